import { RequestCreatedSchema, type RequestInput } from '@loket/protocol';
import { randomBytes } from 'node:crypto';
import { audit, describeFindings, type Finding } from './support/axe.js';
import { expect, test } from './support/fixtures.js';
import { DNS_TEST_ZONES, type Shop, type Stack } from './support/stack.js';

/** A request as the chat window's offline form sends it (same origin as Loket, no Origin header from Node). */
async function leaveRequest(stack: Stack, shop: Shop, fields: Pick<RequestInput, 'name' | 'email' | 'question'>): Promise<string> {
  const input: RequestInput = { requestKey: randomBytes(18).toString('base64url'), phone: '', company: '', website: '', ...fields };
  const res = await fetch(`${stack.loketUrl}/api/widget/channels/${shop.channelKey}/requests`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(input),
  });
  expect(res.status).toBe(201);
  return RequestCreatedSchema.parse(await res.json()).publicId;
}

test.describe('requests in the console', () => {
  test('an agent filters, opens a request, changes its status and replies; the reply reaches the customer', async ({ shop, stack, actors }, testInfo) => {
    const unique = randomBytes(4).toString('hex');
    const address = `fleur-${unique}@${DNS_TEST_ZONES.mx}`;
    const first = await leaveRequest(stack, shop, { name: 'Fleur de Wit', email: address, question: 'My bike <frame> arrived scratched.' });
    const second = await leaveRequest(stack, shop, { name: 'Bram Peeters', email: `bram-${unique}@${DNS_TEST_ZONES.mx}`, question: 'Do you ship to Belgium?' });

    const login = await stack.newAgent([shop.channelId], 'Anna Agent');
    // axe is injected as an inline script, which the console's CSP (rightly) refuses otherwise.
    const agent = await actors.agent(login, { bypassCSP: true });
    await agent.signIn();
    const page = agent.page;
    const findings: Finding[] = [];

    // Every agent has Requests beside Chats.
    await page.getByTestId('nav-requests').click();
    await expect(page.getByTestId('nav-requests')).toHaveAttribute('aria-current', 'page');
    const items = page.getByTestId('request-item');
    await expect(items).toHaveCount(2);
    await expect(items.first()).toContainText(second);
    findings.push(...(await audit(page, 'console: requests list')));

    await page.getByTestId('requests-status-filter').selectOption('closed');
    await expect(page.getByTestId('requests-empty')).toBeVisible();
    await page.getByTestId('requests-status-filter').selectOption('open');
    await expect(items).toHaveCount(2);
    await page.getByTestId('requests-status-filter').selectOption('');

    await page.getByRole('link', { name: first }).click();
    const detail = page.getByTestId('request-detail');
    await expect(detail.getByRole('heading', { name: `Request ${first}` })).toBeVisible();
    await expect(page.getByTestId('request-question')).toHaveText('My bike <frame> arrived scratched.');
    await expect(page.getByTestId('request-email')).toHaveText(address);
    await expect(page.getByTestId('request-no-replies')).toBeVisible();
    findings.push(...(await audit(page, 'console: request detail')));

    // An empty reply is refused at the field.
    await page.getByTestId('request-reply-send').click();
    await expect(page.getByTestId('request-reply-error')).toBeVisible();
    await expect(page.getByTestId('request-reply-body')).toHaveAttribute('aria-invalid', 'true');

    const reply = `Sorry about that! A new frame is on its way (${unique}).`;
    await page.getByTestId('request-reply-body').fill(reply);
    await page.getByTestId('request-reply-send').click();
    await expect(page.getByTestId('request-reply')).toHaveCount(1);
    await expect(page.getByTestId('request-reply')).toContainText(reply);
    await expect(page.getByTestId('request-reply')).toContainText('Anna Agent');
    await expect(page.getByTestId('request-status')).toHaveAttribute('data-status', 'pending');
    await expect(page.getByTestId('request-reply-body')).toHaveValue('');
    findings.push(...(await audit(page, 'console: request detail with a reply')));

    await page.getByTestId('request-status-closed').click();
    await expect(page.getByTestId('request-status')).toHaveAttribute('data-status', 'closed');
    await page.getByTestId('requests-status-filter').selectOption('closed');
    await expect(items).toHaveCount(1);
    await expect(items.first()).toContainText(first);
    await page.getByTestId('requests-status-filter').selectOption('open');
    await expect(items).toHaveCount(1);
    await expect(items.first()).toContainText(second);

    // The customer got the confirmation and the reply, which names the request.
    await expect
      .poll(() => stack.mail.messages.filter((m) => m.envelope.to.includes(address)).map((m) => m.parsed.subject ?? ''), { timeout: 15_000 })
      .toEqual(expect.arrayContaining([expect.stringContaining(`[${first}]`), expect.stringContaining(`Your request ${first}`)]));
    const sent = stack.mail.messages.find((m) => m.envelope.to.includes(address) && (m.parsed.subject ?? '').includes(`[${first}]`));
    expect(sent?.parsed.text).toContain(reply);

    const report = describeFindings(findings);
    await testInfo.attach('axe-requests.txt', { body: report, contentType: 'text/plain' });
    expect(findings, report).toEqual([]);
  });
});
