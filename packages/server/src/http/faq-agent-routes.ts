import { AgentFaqSearchQuerySchema, type AgentFaqSearch } from '@loket/protocol';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import type { Ctx } from '../domain/context.js';
import { searchFaqsForAgent } from '../search/agent-search.js';
import { requireAgent } from './auth.js';
import { parse } from './parse.js';

/** Agents search the knowledge base from a chat to link an FAQ in their reply (docs/search.md). */
export function faqAgentRoutes(app: FastifyInstance, ctx: Ctx, config: Pick<Config, 'publicUrl'>): void {
  app.get('/api/faqs/search', async (req, reply): Promise<AgentFaqSearch> => {
    await requireAgent(req, ctx);
    const query = parse(AgentFaqSearchQuerySchema, req.query);
    reply.header('Cache-Control', 'no-store');
    return searchFaqsForAgent(ctx, query, config.publicUrl);
  });
}
