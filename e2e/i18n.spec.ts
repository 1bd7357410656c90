import { expect, test } from './support/fixtures.js';
import { audit, describeFindings } from './support/axe.js';
import { DNS_TEST_ZONES } from './support/stack.js';

interface Recorder {
  loketTexts: string[];
}

test('a Dutch channel speaks Dutch from the first paint; times follow the customer’s own locale and time zone', async ({ newShop, actors, stack }) => {
  const shop = await newShop({ channel: { language: 'nl' } });
  // The page itself names the language and preloads its chunk (the real build's manifest), only that one.
  const page = await (await fetch(`${stack.loketUrl}/widget/frame.html?channel=${shop.channelKey}`)).text();
  expect(page).toContain('<html lang="nl">');
  expect(page).toMatch(/<link rel="modulepreload" crossorigin href="\/widget\/assets\/nl-[\w-]+\.js">/);
  expect(page).not.toMatch(/assets\/(en|de)-/);

  // A German browser in Tokyo: the channel's language wins for texts, the browser's for times.
  const customer = await actors.customer(shop, { locale: 'de-DE', timezoneId: 'Asia/Tokyo', bypassCSP: true });
  // Records every text the chat window ever shows, from before its first paint (init scripts run in frames too).
  await customer.context.addInitScript(() => {
    if (!location.pathname.endsWith('/widget/frame.html')) return;
    const seen: string[] = [];
    (window as unknown as Recorder).loketTexts = seen;
    new MutationObserver(() => {
      const text = document.getElementById('app')?.textContent;
      if (text) seen.push(text);
    }).observe(document, { subtree: true, childList: true, characterData: true });
  });

  await customer.goto();
  await customer.openWindow();
  await expect(customer.frame.getByTestId('next')).toHaveText('Volgende');
  const frame = await customer.windowFrame();
  expect(await frame.evaluate(() => document.documentElement.lang)).toBe('nl');
  const seen = await frame.evaluate(() => (window as unknown as Recorder).loketTexts);
  expect(seen.length).toBeGreaterThan(0);
  for (const text of seen) expect(text, 'no English or German before the Dutch').not.toMatch(/Loading|Next|Name|Wird geladen|Weiter/);

  await customer.submitDetails('Jan Jansen', `jan@${DNS_TEST_ZONES.mx}`);
  await customer.ask('Kan ik in termijnen betalen?');
  const time = customer.messages('Kan ik in termijnen betalen?', 'visitor').locator('time');
  const at = await time.getAttribute('datetime');
  expect(at).not.toBeNull();
  const tokyo = new Intl.DateTimeFormat('de-DE', { hour: 'numeric', minute: '2-digit', timeZone: 'Asia/Tokyo' }).format(new Date(at ?? 0));
  await expect(time).toHaveText(tokyo);
  const findings = await audit(frame, 'widget: messages with their times (Dutch channel, German visitor)');
  expect(findings, describeFindings(findings)).toEqual([]);
});
