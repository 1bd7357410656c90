import { FaqSuggestionsSchema, WidgetConfigSchema } from '@loket/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CHANNEL_KEY, ensureDemoChannel } from '../../src/bootstrap.js';
import { DEMO_FAQS } from '../../src/demo-faqs.js';
import { postJson } from '../support/factories.js';
import { startTestLoket, type TestLoket } from '../support/server.js';

/** `npm start` seeds a demo channel: it must show FAQ suggestions and the help centre out of the box. */
describe('the demo channel', () => {
  let t: TestLoket;
  beforeAll(async () => {
    t = await startTestLoket('sqlite');
    await ensureDemoChannel(t.loket.ctx, ['http://127.0.0.1:3001']);
    await t.loket.ctx.faqSearch.settled();
  });
  afterAll(async () => {
    await t.close();
  });

  it('suggests its FAQs before the chat and lists them on /help', async () => {
    const config = WidgetConfigSchema.parse(await (await fetch(`${t.url}/api/widget/channels/${DEMO_CHANNEL_KEY}`)).json());
    expect(config.prechat.faqSuggestions).toBe(true);
    const res = await postJson(t, `/api/widget/channels/${DEMO_CHANNEL_KEY}/faq-suggestions`, { question: 'how do i send my order back' }, { origin: new URL(t.url).origin });
    const suggestions = FaqSuggestionsSchema.parse(res.body).suggestions;
    expect(suggestions[0]?.question).toBe('How do I return an item?');
    const help = await (await fetch(`${t.url}/help/search?q=warranty`)).text();
    expect(help).toContain('What does the warranty cover?');
  });

  it('is seeded once: a restart adds no second copy of the FAQs', async () => {
    await ensureDemoChannel(t.loket.ctx, ['http://127.0.0.1:3001']);
    const faqs = await t.loket.ctx.db.selectFrom('faqs').select('id').execute();
    expect(faqs).toHaveLength(DEMO_FAQS.faqs.length);
  });
});
