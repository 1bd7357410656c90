import { FaqDeflectionInputSchema, FaqSuggestInputSchema, type FaqSuggestions } from '@loket/protocol';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import type { Ctx } from '../domain/context.js';
import { recordDeflection, suggestFaqs } from '../search/suggestions.js';
import { parse } from './parse.js';
import { RateLimiter } from './rate-limit.js';
import { requireFrame } from './widget-routes.js';

/**
 * FAQ suggestions before the chat and "this answered my question" (docs/search.md, "Suggestions"). Like starting a
 * chat, only the chat window itself (our origin) may call them.
 */
export function faqWidgetRoutes(app: FastifyInstance, ctx: Ctx, config: Pick<Config, 'publicUrl' | 'chatStartsPerMinute'>): void {
  // A customer rephrases a question a few times before starting a chat; per IP, an office behind one address fits
  // easily. Searching is cheap, this only stops a script from using us as a free search engine. 0 = unlimited.
  const perMinute = config.chatStartsPerMinute * 3;
  const suggestionLimit = new RateLimiter(perMinute, 60_000);
  const deflectionLimit = new RateLimiter(perMinute, 60_000);

  app.post<{ Params: { key: string } }>('/api/widget/channels/:key/faq-suggestions', async (req, reply): Promise<FaqSuggestions> => {
    const channel = await requireFrame(req, ctx);
    suggestionLimit.take(req.ip);
    const input = parse(FaqSuggestInputSchema, req.body);
    reply.header('Cache-Control', 'no-store');
    return suggestFaqs(ctx, channel, input.question, config.publicUrl);
  });

  app.post<{ Params: { key: string } }>('/api/widget/channels/:key/faq-deflections', async (req, reply) => {
    const channel = await requireFrame(req, ctx);
    deflectionLimit.take(req.ip);
    const input = parse(FaqDeflectionInputSchema, req.body);
    await recordDeflection(ctx, channel, input);
    return reply.status(204).send();
  });
}
