import { FAQ_LIMITS, faqPath, type FaqDeflectionInput, type FaqSuggestions } from '@loket/protocol';
import { channelLanguage } from '../domain/channels.js';
import { inTransaction, type Ctx } from '../domain/context.js';
import { AppError } from '../domain/errors.js';
import type { ChannelsTable } from '../db/schema.js';
import type { FaqHit } from './faq-index.js';

/**
 * "Nothing relevant" for the widget, so the customer goes straight to the queue instead of reading three FAQs that
 * merely share a word with their question. A hit is shown when
 *   - it matched at least half of the question's words with a BM25 score of at least 3, or
 *   - it matched at least a fifth of them with a score of at least 8 (a rare, telling word: "refund", "invoice"), and
 *   - it scores at least a quarter of the best hit (a weak tail behind a clear answer is noise).
 * Calibrated on the evaluation set (test/fixtures/faq-eval): 153 of its 154 top-3 answers pass, while off-topic
 * questions ("what is the weather tomorrow", "tell me a joke") match one word weakly and are dropped. See docs/search.md.
 */
export const RELEVANCE = { coverage: 0.5, score: 3, rareCoverage: 0.2, rareScore: 8, ofBest: 0.25 } as const;

export function relevantHits(hits: readonly FaqHit[]): FaqHit[] {
  const best = hits[0]?.score ?? 0;
  return hits.filter(
    (h) =>
      ((h.coverage >= RELEVANCE.coverage && h.score >= RELEVANCE.score) || (h.coverage >= RELEVANCE.rareCoverage && h.score >= RELEVANCE.rareScore)) &&
      h.score >= best * RELEVANCE.ofBest,
  );
}

/** The folders a channel's suggestions come from; null = every folder (FAQs outside any folder included). */
function channelFolders(ctx: Ctx, channel: ChannelsTable): ReadonlySet<string> | null {
  return channel.faq_folder_id === null ? null : ctx.faqSearch.folderTree(channel.faq_folder_id);
}

export async function suggestFaqs(ctx: Ctx, channel: ChannelsTable, question: string, publicUrl: string): Promise<FaqSuggestions> {
  if (channel.faq_suggestions !== 1) return { suggestions: [] };
  // Read-your-writes on this node: an edit committed here a moment ago is searchable now (free when nothing is pending).
  await ctx.faqSearch.settled();
  const hits = relevantHits(
    ctx.faqSearch.search(question.slice(0, FAQ_LIMITS.suggestQuery), {
      language: channelLanguage(channel),
      folderIds: channelFolders(ctx, channel),
      limit: FAQ_LIMITS.suggestions,
      publicOnly: true,
    }),
  );
  if (hits.length === 0) return { suggestions: [] };
  // The database has the last word: an FAQ unpublished a moment ago may not have left this node's index yet.
  const rows = await ctx.db
    .selectFrom('faqs')
    .select(['id', 'question'])
    .where(
      'id',
      'in',
      hits.map((h) => h.id),
    )
    .where('published', '=', 1)
    .where('visibility', '=', 'everyone')
    .execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  const suggestions = hits.flatMap((h) => {
    const row = byId.get(h.id);
    return row ? [{ id: row.id, question: row.question, url: publicUrl.replace(/\/+$/, '') + faqPath(row.id, row.question) }] : [];
  });
  return { suggestions };
}

/**
 * "This answered my question": counted once per request id, and only for an FAQ this channel could have suggested, so
 * the count cannot be inflated for arbitrary FAQs through some other channel.
 */
export async function recordDeflection(ctx: Ctx, channel: ChannelsTable, input: FaqDeflectionInput): Promise<void> {
  const faq = await ctx.db
    .selectFrom('faqs')
    .select(['id', 'folder_id', 'language', 'published', 'visibility'])
    .where('id', '=', input.faqId)
    .executeTakeFirst();
  const folders = channelFolders(ctx, channel);
  const suggestible =
    faq !== undefined &&
    channel.faq_suggestions === 1 &&
    faq.published === 1 &&
    faq.visibility === 'everyone' &&
    faq.language === channelLanguage(channel) &&
    (folders === null || (faq.folder_id !== null && folders.has(faq.folder_id)));
  if (!suggestible) throw new AppError('not_found', 'faqId');
  await inTransaction(ctx, async (tx) => {
    const inserted = await tx
      .insertInto('faq_deflections')
      .values({ request_id: input.requestId, faq_id: faq.id, channel_id: channel.id, created_at: ctx.now() })
      .onConflict((oc) => oc.column('request_id').doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 0) return;
    await tx
      .updateTable('faqs')
      .set((eb) => ({ deflections: eb('deflections', '+', 1) }))
      .where('id', '=', faq.id)
      .execute();
  });
  // No faqChanged: a count does not change what is found, and every node re-reading the FAQ per click is waste.
}
