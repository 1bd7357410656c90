import { FaqAnswerSchema } from '@loket/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fieldError, makeFaq } from '../support/factories.js';
import { DIALECTS, startTestLoket, type TestLoket } from '../support/server.js';

describe.each(DIALECTS)('an FAQ linked in a chat, for its card and the answer in the chat window, on %s', (dialect) => {
  let t: TestLoket;
  beforeAll(async () => {
    t = await startTestLoket(dialect);
  });
  afterAll(() => t.close());

  const get = async (id: string) => {
    const res = await fetch(`${t.url}/api/widget/faqs/${encodeURIComponent(id)}`);
    return { status: res.status, body: (await res.json()) as unknown };
  };

  it('gives title and rendered answer of a published FAQ visible to everyone', async () => {
    const faq = await makeFaq(t, { question: 'Where is my parcel?', answer: 'Track it **here**: <script>alert(1)</script>', language: 'nl' });
    const res = await get(faq.id);
    expect(res.status).toBe(200);
    const answer = FaqAnswerSchema.parse(res.body);
    expect(answer).toMatchObject({ id: faq.id, question: 'Where is my parcel?', language: 'nl' });
    expect(answer.html).toContain('<strong>here</strong>');
    expect(answer.html).not.toContain('<script');
    expect(answer.url).toBe(`${t.config.publicUrl}/help/faq/${faq.id}/where-is-my-parcel`);
  });

  it('hides what the public help pages hide: drafts and FAQs for signed-in customers', async () => {
    const draft = await makeFaq(t, { published: false });
    const members = await makeFaq(t, { visibility: 'logged_in' });
    for (const id of [draft.id, members.id, 'no-such-faq', 'x'.repeat(64)]) expect(fieldError(await get(id))).toMatchObject({ status: 404, code: 'not_found' });
  });
});
