/**
 * FAQ suggestions before the chat, "this answered my question", and the agents' FAQ search: through HTTP, as the chat
 * window and the console call them.
 */
import { AgentFaqSearchSchema, ErrorBodySchema, FaqSchema, FaqSuggestionsSchema, faqPath, type FaqInput } from '@loket/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updateFaq } from '../../src/domain/knowledge-base.js';
import type { ChannelsTable } from '../../src/db/schema.js';
import { callAs, makeAgent, makeChannel, makeFaq, makeFaqFolder, postJson, SHOP_ORIGIN, type TestAgent } from '../support/factories.js';
import { DIALECTS, startTestLoket, type TestLoket } from '../support/server.js';

/** A small shop's knowledge base, so that word statistics look like a real one's rather than a single FAQ's. */
const SHOP_EN: Array<Partial<FaqInput>> = [
  { question: 'How long does delivery take?', answer: 'Orders placed before 22:00 arrive the next working day.', keywords: ['shipping', 'delivery time'] },
  { question: 'How do I return an item?', answer: 'Print the return label from your account and bring the parcel to a drop-off point.', keywords: ['refund'] },
  { question: 'Which payment methods do you accept?', answer: 'Credit card, PayPal and bank transfer.', keywords: ['pay', 'visa'] },
  { question: 'Can I change my delivery address?', answer: 'Yes, until the order has been shipped. Contact us with your order number.' },
  { question: 'Do you ship abroad?', answer: 'We deliver to all EU countries and the United Kingdom.', keywords: ['international'] },
  { question: 'How do I reset my password?', answer: 'Use "Forgot password" on the sign-in page; we e-mail you a link.' },
  { question: 'Where can I find my invoice?', answer: 'Invoices are in your account under Orders, as PDF.' },
];

describe.each(DIALECTS)('FAQ suggestions and deflections on %s', (dialect) => {
  let t: TestLoket;
  let admin: TestAgent;
  beforeAll(async () => {
    t = await startTestLoket(dialect, { chatStartsPerMinute: 0 });
    admin = await makeAgent(t, [], { role: 'admin' });
    for (const faq of SHOP_EN) await makeFaq(t, faq);
  });
  afterAll(async () => {
    await t?.close();
  });

  async function setSuggestions(channel: ChannelsTable, faqSuggestions: boolean, faqFolderId: string | null = null): Promise<void> {
    const body = { enabled: true, message: '', name: 'required', email: 'required', phone: 'off', company: 'off', fields: [], faqSuggestions, faqFolderId };
    const res = await callAs(t, 'PUT', `/api/admin/channels/${channel.id}/prechat`, admin, body);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  }

  async function channelWithSuggestions(opts: { language?: 'en' | 'nl'; folderId?: string | null } = {}): Promise<ChannelsTable> {
    const channel = await makeChannel(t, { language: opts.language ?? 'en' });
    await setSuggestions(channel, true, opts.folderId ?? null);
    return channel;
  }

  async function suggest(channel: ChannelsTable, question: string) {
    const res = await postJson(t, `/api/widget/channels/${channel.key}/faq-suggestions`, { question }, { origin: new URL(t.url).origin });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return FaqSuggestionsSchema.parse(res.body).suggestions;
  }
  const suggestedIds = async (channel: ChannelsTable, question: string) => (await suggest(channel, question)).map((s) => s.id);

  const deflect = (channel: ChannelsTable, faqId: string, requestId: string) =>
    postJson(t, `/api/widget/channels/${channel.key}/faq-deflections`, { faqId, requestId }, { origin: new URL(t.url).origin });

  const deflections = async (faqId: string) => {
    const res = await callAs(t, 'GET', `/api/admin/faqs/${faqId}`, admin);
    expect(res.status).toBe(200);
    return FaqSchema.parse(res.body).deflections;
  };

  it('suggests at most 3 relevant FAQs with their public page, best first', async () => {
    const channel = await channelWithSuggestions();
    const suggestions = await suggest(channel, 'how long does the delivery of my order take');
    expect(suggestions.length).toBeGreaterThanOrEqual(1);
    expect(suggestions.length).toBeLessThanOrEqual(3);
    const first = suggestions[0]!;
    expect(first.question).toBe('How long does delivery take?');
    expect(first.url).toBe(`${t.config.publicUrl.replace(/\/+$/, '')}${faqPath(first.id, first.question)}`);
  });

  it('suggests nothing for a question nothing in the knowledge base answers', async () => {
    const channel = await channelWithSuggestions();
    // Each shares one word with an FAQ ("united", "working"), which the index does return: the relevance rule drops it.
    expect(await suggest(channel, 'is the weather nice in the united states')).toEqual([]);
    expect(await suggest(channel, 'can you tell me about your working hours')).toEqual([]);
    expect(await suggest(channel, '   ')).toEqual([]);
    // …while it does answer a real question, without the weak second hit that only shares "use".
    expect(await suggest(channel, 'which payment methods can I use')).toMatchObject([{ question: 'Which payment methods do you accept?' }]);
  });

  it('suggests nothing when the channel has suggestions off', async () => {
    const channel = await makeChannel(t);
    expect(await suggest(channel, 'how do I return an item')).toEqual([]);
    await setSuggestions(channel, true);
    expect(await suggestedIds(channel, 'how do I return an item')).toHaveLength(1);
    await setSuggestions(channel, false);
    expect(await suggest(channel, 'how do I return an item')).toEqual([]);
  });

  it("suggests only published FAQs visible to everyone, in the channel's language", async () => {
    const question = 'Can I collect my order from the warehouse?';
    const everyone = await makeFaq(t, { question, answer: 'Yes, on weekdays.' });
    // Same question, so they would rank alongside it if they were allowed.
    await makeFaq(t, { question, answer: 'Yes, with your customer card.', visibility: 'logged_in' });
    await makeFaq(t, { question, answer: 'Soon.', published: false });
    const dutch = await makeFaq(t, { language: 'nl', question: 'Kan ik mijn bestelling ophalen in het magazijn?', answer: 'Ja, op werkdagen.' });
    const en = await channelWithSuggestions();
    const nl = await channelWithSuggestions({ language: 'nl' });
    expect(await suggestedIds(en, 'collect order warehouse')).toEqual([everyone.id]);
    expect(await suggestedIds(nl, 'bestelling ophalen magazijn')).toEqual([dutch.id]);
    expect(await suggestedIds(nl, 'collect order warehouse')).toEqual([]);

    // Unpublishing takes effect at once.
    const input = { folderId: null, language: 'en' as const, question, answer: 'Yes, on weekdays.', keywords: [], published: false, visibility: 'everyone' as const };
    await updateFaq(t.loket.ctx, { kind: 'system' }, everyone.id, input, t.config.publicUrl);
    expect(await suggestedIds(en, 'collect order warehouse')).toEqual([]);
  });

  it("suggests from the channel's folder and its sub-folders only", async () => {
    const bikes = await makeFaqFolder(t, `Bikes ${dialect}`);
    const ebikes = await makeFaqFolder(t, 'E-bikes', bikes.id);
    const cars = await makeFaqFolder(t, `Cars ${dialect}`);
    const inBikes = await makeFaq(t, { folderId: bikes.id, question: 'How often should tyre pressure be checked?', answer: 'Every two weeks.' });
    const inEbikes = await makeFaq(t, { folderId: ebikes.id, question: 'How do I check the tyre pressure of an e-bike?', answer: 'With a pump with a gauge.' });
    const inCars = await makeFaq(t, { folderId: cars.id, question: 'What tyre pressure does a car need?', answer: 'See the sticker in the door.' });
    const bikeChannel = await channelWithSuggestions({ folderId: bikes.id });
    const ebikeChannel = await channelWithSuggestions({ folderId: ebikes.id });
    const allChannel = await channelWithSuggestions();
    expect((await suggestedIds(bikeChannel, 'check tyre pressure')).sort()).toEqual([inBikes.id, inEbikes.id].sort());
    expect(await suggestedIds(ebikeChannel, 'check tyre pressure')).toEqual([inEbikes.id]);
    expect((await suggestedIds(allChannel, 'check tyre pressure')).sort()).toEqual([inBikes.id, inEbikes.id, inCars.id].sort());
  });

  it('is for the chat window only', async () => {
    const channel = await channelWithSuggestions();
    const res = await postJson(t, `/api/widget/channels/${channel.key}/faq-suggestions`, { question: 'delivery' }, { origin: SHOP_ORIGIN });
    expect(res.status).toBe(403);
    expect(ErrorBodySchema.parse(res.body).error.code).toBe('origin_not_allowed');
    const bad = await postJson(t, `/api/widget/channels/${channel.key}/faq-suggestions`, { question: 'x'.repeat(5000) });
    expect(ErrorBodySchema.parse(bad.body).error).toMatchObject({ code: 'validation_failed', field: 'question' });
  });

  it('counts a deflection once per request id', async () => {
    const channel = await channelWithSuggestions();
    const faq = await makeFaq(t, { question: 'Do you offer gift wrapping?', answer: 'Yes, for €2.' });
    const requestId = `req-${Date.now().toString(36)}-a`;
    expect((await deflect(channel, faq.id, requestId)).status).toBe(204);
    expect((await deflect(channel, faq.id, requestId)).status).toBe(204);
    expect(await deflections(faq.id)).toBe(1);
    expect((await deflect(channel, faq.id, `${requestId}-2`)).status).toBe(204);
    expect(await deflections(faq.id)).toBe(2);
  });

  it('refuses a deflection for an FAQ the channel could not have suggested', async () => {
    const folder = await makeFaqFolder(t, `Deflection ${dialect}`);
    const other = await makeFaqFolder(t, `Elsewhere ${dialect}`);
    const channel = await channelWithSuggestions({ folderId: folder.id });
    const inside = await makeFaq(t, { folderId: folder.id });
    const outside = await makeFaq(t, { folderId: other.id });
    const dutch = await makeFaq(t, { folderId: folder.id, language: 'nl' });
    const loginOnly = await makeFaq(t, { folderId: folder.id, visibility: 'logged_in' });
    const draft = await makeFaq(t, { folderId: folder.id, published: false });
    let n = 0;
    for (const faq of [outside, dutch, loginOnly, draft]) {
      const res = await deflect(channel, faq.id, `refused-${dialect}-${n++}-${Date.now().toString(36)}`);
      expect(res.status).toBe(404);
      expect(ErrorBodySchema.parse(res.body).error).toMatchObject({ code: 'not_found', field: 'faqId' });
      expect(await deflections(faq.id)).toBe(0);
    }
    expect((await deflect(channel, inside.id, `accepted-${dialect}-${Date.now().toString(36)}`)).status).toBe(204);
    const off = await makeChannel(t);
    expect((await deflect(off, inside.id, `off-${dialect}-${Date.now().toString(36)}`)).status).toBe(404);
  });

  it('lets signed-in agents search published FAQs of any visibility and language', async () => {
    const agent = await makeAgent(t, []);
    const everyone = await makeFaq(t, { question: 'How do I assemble the bunk bed?', answer: 'Follow the manual.' });
    const loginOnly = await makeFaq(t, { question: 'Bunk bed assembly service for members', answer: 'Book it in your account.', visibility: 'logged_in' });
    const draft = await makeFaq(t, { question: 'Bunk bed recall notice', answer: 'Draft.', published: false });
    const dutch = await makeFaq(t, { language: 'nl', question: 'Hoe zet ik het stapelbed in elkaar?', answer: 'Volg de handleiding.' });

    const anonymous = await callAs(t, 'GET', '/api/faqs/search?q=bunk%20bed', null);
    expect(anonymous.status).toBe(401);

    const res = await callAs(t, 'GET', '/api/faqs/search?q=bunk%20bed', agent);
    expect(res.status).toBe(200);
    const hits = AgentFaqSearchSchema.parse(res.body).hits;
    // Both bunk-bed FAQs first; looser matches may follow ("bunk" ~ "bank"), the agent picks. Never a draft.
    expect(hits.slice(0, 2).map((h) => h.id).sort()).toEqual([everyone.id, loginOnly.id].sort());
    expect(hits.map((h) => h.id)).not.toContain(draft.id);
    expect(hits.find((h) => h.id === loginOnly.id)).toMatchObject({ visibility: 'logged_in', language: 'en', url: `${t.config.publicUrl.replace(/\/+$/, '')}${faqPath(loginOnly.id, loginOnly.question)}` });

    const nl = AgentFaqSearchSchema.parse((await callAs(t, 'GET', '/api/faqs/search?q=stapelbed&language=nl', agent)).body).hits;
    expect(nl.map((h) => h.id)).toEqual([dutch.id]);
    const any = AgentFaqSearchSchema.parse((await callAs(t, 'GET', '/api/faqs/search?q=stapelbed', agent)).body).hits;
    expect(any.map((h) => h.id)).toEqual([dutch.id]);
    const wrong = await callAs(t, 'GET', '/api/faqs/search?q=bed&language=xx', agent);
    expect(ErrorBodySchema.parse(wrong.body).error).toMatchObject({ code: 'validation_failed', field: 'language' });
  });
});

describe('FAQ suggestions rate limit and API description', () => {
  it('describes the suggestion, deflection and agent search routes in the OpenAPI document', async () => {
    const t = await startTestLoket('sqlite');
    try {
      const doc = (await (await fetch(`${t.url}/api/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
      expect(Object.keys(doc.paths['/api/widget/channels/{key}/faq-suggestions'] ?? {})).toEqual(['post']);
      expect(Object.keys(doc.paths['/api/widget/channels/{key}/faq-deflections'] ?? {})).toEqual(['post']);
      expect(Object.keys(doc.paths['/api/faqs/search'] ?? {})).toEqual(['get']);
    } finally {
      await t.close();
    }
  });

  it('limits suggestions per IP to three times the chat starts per minute', async () => {
    const t = await startTestLoket('sqlite', { chatStartsPerMinute: 1 });
    try {
      const channel = await makeChannel(t);
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await postJson(t, `/api/widget/channels/${channel.key}/faq-suggestions`, { question: `question ${i}` })).status);
      expect(statuses).toEqual([200, 200, 200, 429]);
    } finally {
      await t.close();
    }
  });
});
