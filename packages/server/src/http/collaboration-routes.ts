import {
  TransferInputSchema,
  TransferToChannelInputSchema,
  type AgentChatSummary,
  type OngoingChatsResult,
  type TransferResult,
  type TransferTargetsResult,
} from '@loket/protocol';
import type { FastifyInstance } from 'fastify';
import type { Ctx } from '../domain/context.js';
import { ongoingChats } from '../domain/collaboration/listeners.js';
import { answerTransfer, cancelTransfer, requestTransfer, takeOver, transferTargets, transferToChannel } from '../domain/collaboration/transfers.js';
import { requireAgent } from './auth.js';
import { parse } from './parse.js';

type IdParams = { Params: { id: string } };

/**
 * Working together over REST (docs/collaboration.md). The console uses the socket for the actions;
 * these are the same domain actions for integrations, plus the two lists the console fetches.
 */
export function collaborationRoutes(app: FastifyInstance, ctx: Ctx): void {
  app.get('/api/chats/ongoing', async (req, reply): Promise<OngoingChatsResult> => {
    const actor = await requireAgent(req, ctx);
    reply.header('Cache-Control', 'no-store');
    return ongoingChats(ctx, actor);
  });

  app.get<IdParams>('/api/chats/:id/transfer-targets', async (req, reply): Promise<TransferTargetsResult> => {
    const actor = await requireAgent(req, ctx);
    reply.header('Cache-Control', 'no-store');
    return transferTargets(ctx, actor, req.params.id);
  });

  app.post<IdParams>('/api/chats/:id/transfers', async (req, reply): Promise<TransferResult> => {
    const actor = await requireAgent(req, ctx);
    const input = parse(TransferInputSchema, req.body);
    const transfer = await requestTransfer(ctx, actor, { chatId: req.params.id, ...input });
    reply.status(201);
    return { transfer };
  });

  app.post<IdParams>('/api/transfers/:id/accept', async (req): Promise<{ chat: AgentChatSummary }> => {
    const actor = await requireAgent(req, ctx);
    const chat = await answerTransfer(ctx, actor, { transferId: req.params.id, accept: true });
    if (!chat) throw new Error('accepting returned no chat');
    return { chat };
  });

  app.post<IdParams>('/api/transfers/:id/reject', async (req, reply) => {
    const actor = await requireAgent(req, ctx);
    await answerTransfer(ctx, actor, { transferId: req.params.id, accept: false });
    return reply.status(204).send();
  });

  app.post<IdParams>('/api/transfers/:id/cancel', async (req, reply) => {
    const actor = await requireAgent(req, ctx);
    await cancelTransfer(ctx, actor, { transferId: req.params.id });
    return reply.status(204).send();
  });

  app.post<IdParams>('/api/chats/:id/transfer-to-channel', async (req, reply) => {
    const actor = await requireAgent(req, ctx);
    const input = parse(TransferToChannelInputSchema, req.body);
    await transferToChannel(ctx, actor, { chatId: req.params.id, channelId: input.channelId });
    return reply.status(204).send();
  });

  app.post<IdParams>('/api/chats/:id/take-over', async (req): Promise<{ chat: AgentChatSummary }> => {
    const actor = await requireAgent(req, ctx);
    return { chat: await takeOver(ctx, actor, { chatId: req.params.id }) };
  });
}
