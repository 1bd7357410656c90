/**
 * Every node's FAQ search index (src/search/service.ts): filled from the database at start, following each committed
 * change at once, on this node and — through Redis — on the others.
 */
import type { Language } from '@loket/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteFaq, updateFaq } from '../../src/domain/knowledge-base.js';
import { deleteFolder } from '../../src/domain/knowledge-base-folders.js';
import { importFaqs } from '../../src/domain/knowledge-base-transfer.js';
import { startRedis } from '../support/cluster.js';
import { FaqSuggestionsSchema } from '@loket/protocol';
import { callAs, makeAgent, makeChannel, makeFaq, makeFaqFolder, postJson } from '../support/factories.js';
import { DIALECTS, startTestCluster, startTestLoket, type TestLoket } from '../support/server.js';

const system = { kind: 'system' } as const;

function ids(t: TestLoket, query: string, language: Language = 'en', publicOnly = true): string[] {
  return t.loket.ctx.faqSearch.search(query, { language, publicOnly, limit: 10 }).map((h) => h.id);
}

describe.each(DIALECTS)('FAQ search index on %s', (dialect) => {
  let t: TestLoket;
  beforeAll(async () => {
    t = await startTestLoket(dialect);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('follows create, update, unpublish and delete as soon as each commits', async () => {
    const faq = await makeFaq(t, { question: 'How do I return a parcel?', answer: 'Print the **label** and drop it off.' });
    await t.loket.ctx.faqSearch.settled();
    expect(ids(t, 'return parcel')).toEqual([faq.id]);

    const input = { folderId: null, language: 'en' as const, question: 'Can I exchange shoes for another size?', answer: 'Yes, free of charge.', keywords: ['swap'], published: true, visibility: 'everyone' as const };
    await updateFaq(t.loket.ctx, system, faq.id, input, t.config.publicUrl);
    await t.loket.ctx.faqSearch.settled();
    expect(ids(t, 'return parcel')).toEqual([]);
    expect(ids(t, 'swap shoes')).toEqual([faq.id]);

    await updateFaq(t.loket.ctx, system, faq.id, { ...input, published: false }, t.config.publicUrl);
    await t.loket.ctx.faqSearch.settled();
    expect(ids(t, 'swap shoes')).toEqual([]);
    // Administrators search unpublished FAQs with the same index.
    expect(ids(t, 'swap shoes', 'en', false)).toEqual([faq.id]);

    await deleteFaq(t.loket.ctx, system, faq.id);
    await t.loket.ctx.faqSearch.settled();
    expect(ids(t, 'swap shoes', 'en', false)).toEqual([]);
  });

  it('keeps languages apart', async () => {
    const nl = await makeFaq(t, { language: 'nl', question: 'Hoe lang duurt de bezorging?', answer: 'Meestal twee werkdagen.' });
    await t.loket.ctx.faqSearch.settled();
    expect(ids(t, 'bezorging duurt', 'nl')).toEqual([nl.id]);
    expect(ids(t, 'bezorging duurt', 'en')).toEqual([]);
  });

  it('expands a folder to its descendants, and follows folders being added and deleted', async () => {
    const top = await makeFaqFolder(t, `Orders ${dialect}`);
    const child = await makeFaqFolder(t, 'Returns', top.id);
    const grandchild = await makeFaqFolder(t, 'Abroad', child.id);
    const other = await makeFaqFolder(t, `Other ${dialect}`);
    await t.loket.ctx.faqSearch.settled();
    expect([...t.loket.ctx.faqSearch.folderTree(top.id)].sort()).toEqual([top.id, child.id, grandchild.id].sort());
    expect([...t.loket.ctx.faqSearch.folderTree(child.id)].sort()).toEqual([child.id, grandchild.id].sort());
    expect([...t.loket.ctx.faqSearch.folderTree(other.id)]).toEqual([other.id]);
    expect(t.loket.ctx.faqSearch.folderTree('no-such-folder').size).toBe(0);

    await deleteFolder(t.loket.ctx, system, grandchild.id);
    await t.loket.ctx.faqSearch.settled();
    expect([...t.loket.ctx.faqSearch.folderTree(top.id)].sort()).toEqual([top.id, child.id].sort());
  });

  it('reloads everything after an import, and is filled from the database when a node starts', async () => {
    const text = JSON.stringify({
      version: 1,
      faqs: [
        { folder: '', language: 'en', question: 'Do you sell gift vouchers?', answer: 'Yes, in the shop.', keywords: [], published: true, visibility: 'everyone' },
        { folder: '', language: 'de', question: 'Verkaufen Sie Gutscheine?', answer: 'Ja, im Laden.', keywords: [], published: true, visibility: 'everyone' },
      ],
    });
    await importFaqs(t.loket.ctx, system, { format: 'json', text });
    await t.loket.ctx.faqSearch.settled();
    expect(ids(t, 'gift vouchers')).toHaveLength(1);
    expect(ids(t, 'Gutscheine', 'de')).toHaveLength(1);

    // Larger than what a reload applies in place: a new index is built beside the live one and swapped in.
    const many = Array.from({ length: 600 }, (_, i) => ({
      folder: 'Spare parts',
      language: 'en',
      question: i === 599 ? 'Do you stock the titanium derailleur?' : `Do you stock spare part number ${i}?`,
      answer: `Part ${i} ships from the warehouse.`,
      keywords: [],
      published: true,
      visibility: 'everyone',
    }));
    const sizeBefore = t.loket.ctx.faqSearch.size;
    await importFaqs(t.loket.ctx, system, { format: 'json', text: JSON.stringify({ version: 1, faqs: many }) });
    await t.loket.ctx.faqSearch.settled();
    expect(t.loket.ctx.faqSearch.size).toBe(sizeBefore + 600);
    expect(ids(t, 'titanium derailleur')).toHaveLength(1);
    expect(ids(t, 'gift vouchers')).toHaveLength(1);

    const before = t.loket.ctx.faqSearch.size;
    await t.restart();
    // No settled(): the node must not take requests before its index is full.
    expect(t.loket.ctx.faqSearch.size).toBe(before);
    expect(ids(t, 'gift vouchers')).toHaveLength(1);
  });
});

describe('FAQ search index on several nodes through Redis', () => {
  it('an edit on node A is found on node B, also after B missed it while Redis was away', async () => {
    const redis = await startRedis();
    const cluster = await startTestCluster(2, { redisUrl: redis.url, chatStartsPerMinute: 0 });
    try {
      const [A, B] = cluster.nodes as [TestLoket, TestLoket];
      const channel = await makeChannel(A);
      const admin = await makeAgent(A, [], { role: 'admin' });
      const prechat = { enabled: true, message: '', name: 'required', email: 'required', phone: 'off', company: 'off', fields: [], faqSuggestions: true, faqFolderId: null };
      expect((await callAs(A, 'PUT', `/api/admin/channels/${channel.id}/prechat`, admin, prechat)).status).toBe(200);
      // What the chat window on node B is shown.
      const suggestedOnB = async (question: string) => {
        const res = await postJson(B, `/api/widget/channels/${channel.key}/faq-suggestions`, { question });
        return FaqSuggestionsSchema.parse(res.body).suggestions.map((s) => s.id);
      };

      const faq = await makeFaq(A, { question: 'Is there a warranty on bicycles?', answer: 'Two years on every frame.' });
      await expect.poll(() => suggestedOnB('is there a warranty on my bicycle'), { timeout: 5_000 }).toEqual([faq.id]);

      await updateFaq(A.loket.ctx, system, faq.id, { folderId: null, language: 'en', question: 'Is there a guarantee on e-bikes?', answer: 'Two years.', keywords: [], published: true, visibility: 'everyone' }, A.config.publicUrl);
      await expect.poll(() => suggestedOnB('guarantee on e-bikes'), { timeout: 5_000 }).toEqual([faq.id]);
      expect(await suggestedOnB('is there a warranty on my bicycle')).toEqual([]);

      // Redis away: A's message cannot reach B. When Redis is back, B is told it may have missed messages and reloads.
      await redis.stop();
      const missed = await makeFaq(A, { question: 'Can I pay with a credit card?', answer: 'Visa and Mastercard.' });
      expect(ids(B, 'credit card')).toEqual([]);
      await redis.start();
      await expect.poll(() => ids(B, 'credit card'), { timeout: 20_000, interval: 200 }).toEqual([missed.id]);
    } finally {
      await cluster.close();
      await redis.stop();
    }
  }, 60_000);
});
