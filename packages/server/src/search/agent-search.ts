import { faqPath, LANGUAGES, type AgentFaqSearch, type AgentFaqSearchQuery } from '@loket/protocol';
import type { Ctx } from '../domain/context.js';
import type { FaqHit } from './faq-index.js';

export const AGENT_SEARCH_LIMIT = 10;

/**
 * What an agent looks up to link from a chat: every published FAQ, whatever its visibility (the agent knows whether the
 * customer can open it), in one language or in all. Scores of different languages are not comparable, so across
 * languages the hits are ordered by how much of the query they matched first, then by score.
 */
export async function searchFaqsForAgent(ctx: Ctx, query: AgentFaqSearchQuery, publicUrl: string): Promise<AgentFaqSearch> {
  await ctx.faqSearch.settled();
  const languages = query.language ? [query.language] : LANGUAGES;
  const hits: FaqHit[] = languages
    .flatMap((language) => ctx.faqSearch.search(query.q, { language, limit: AGENT_SEARCH_LIMIT, publicOnly: false }))
    .sort((a, b) => b.coverage - a.coverage || b.score - a.score);
  if (hits.length === 0) return { hits: [] };
  // Unpublished FAQs are in the index too (for administrators); the database decides what agents may link.
  const rows = await ctx.db
    .selectFrom('faqs')
    .select(['id', 'question', 'language', 'visibility'])
    .where(
      'id',
      'in',
      hits.map((h) => h.id),
    )
    .where('published', '=', 1)
    .execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  const base = publicUrl.replace(/\/+$/, '');
  return {
    hits: hits
      .flatMap((h) => {
        const row = byId.get(h.id);
        const language = LANGUAGES.find((l) => l === row?.language);
        return row && language ? [{ id: row.id, question: row.question, url: base + faqPath(row.id, row.question), language, visibility: row.visibility }] : [];
      })
      .slice(0, AGENT_SEARCH_LIMIT),
  };
}
