import { FaqDeflectionInputSchema, FaqSuggestInputSchema, faqPath, type FaqAnswer, type FaqSuggestions } from '@loket/protocol';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import type { Ctx } from '../domain/context.js';
import { AppError } from '../domain/errors.js';
import { renderFaqMarkdown } from '../faq/markdown.js';
import { publicFaqs } from '../help/data.js';
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

  // An FAQ linked in a chat: what its public /help page shows, as data. No origin check, the page itself is public.
  app.get<{ Params: { id: string } }>('/api/widget/faqs/:id', async (req, reply): Promise<FaqAnswer> => {
    const faq = await publicFaqs(ctx.db, null).where('id', '=', req.params.id).executeTakeFirst();
    if (!faq) throw new AppError('not_found');
    reply.header('Cache-Control', 'public, max-age=60');
    return { id: faq.id, question: faq.question, language: faq.language, html: renderFaqMarkdown(faq.answer), url: `${config.publicUrl}${faqPath(faq.id, faq.question)}` };
  });
}
