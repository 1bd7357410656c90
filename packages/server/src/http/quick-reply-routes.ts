import { QuickReplyInputSchema, type ComposeSnippetList, type QuickReply, type QuickReplyList } from '@loket/protocol';
import type { FastifyInstance } from 'fastify';
import { composeSnippets, createQuickReply, deleteQuickReply, listQuickReplies, updateQuickReply } from '../domain/compose/quick-replies.js';
import type { Ctx } from '../domain/context.js';
import { requireAgent } from './auth.js';
import { parse } from './parse.js';

/** Quick replies and the composer's `/` picker (docs/quick-replies.md). */
export function quickReplyRoutes(app: FastifyInstance, ctx: Ctx): void {
  app.get('/api/quick-replies', async (req, reply): Promise<QuickReplyList> => {
    const actor = await requireAgent(req, ctx);
    reply.header('Cache-Control', 'no-store');
    return listQuickReplies(ctx, actor);
  });

  app.post('/api/quick-replies', async (req, reply): Promise<QuickReply> => {
    const actor = await requireAgent(req, ctx);
    const input = parse(QuickReplyInputSchema, req.body);
    const created = await createQuickReply(ctx, actor, input);
    reply.code(201);
    return created;
  });

  app.put<{ Params: { id: string } }>('/api/quick-replies/:id', async (req): Promise<QuickReply> => {
    const actor = await requireAgent(req, ctx);
    const input = parse(QuickReplyInputSchema, req.body);
    return updateQuickReply(ctx, actor, req.params.id, input);
  });

  app.delete<{ Params: { id: string } }>('/api/quick-replies/:id', async (req, reply) => {
    const actor = await requireAgent(req, ctx);
    await deleteQuickReply(ctx, actor, req.params.id);
    return reply.status(204).send();
  });

  app.get<{ Params: { id: string } }>('/api/chats/:id/snippets', async (req, reply): Promise<ComposeSnippetList> => {
    const actor = await requireAgent(req, ctx);
    reply.header('Cache-Control', 'no-store');
    return { snippets: await composeSnippets(ctx, actor, req.params.id) };
  });
}
