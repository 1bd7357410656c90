import type { Frame } from '@playwright/test';
import type { OpeningHours, RequestList } from '@loket/protocol';
import { audit, describeFindings } from './support/axe.js';
import { expect, test } from './support/fixtures.js';
import { DNS_TEST_ZONES, mailTo, type Shop, type Stack } from './support/stack.js';

const REQUEST_ID = /^LK-\d{4}-[2-9A-HJKMNP-Z]{3}$/;
const weekday = [{ from: '09:00', to: '17:00' }];
const AMSTERDAM_HOURS: OpeningHours = {
  enabled: true,
  timeZone: 'Europe/Amsterdam',
  week: { mon: weekday, tue: weekday, wed: weekday, thu: weekday, fri: weekday, sat: weekday, sun: weekday },
  exceptions: [],
};

/** The offline form on, optionally with hours. Set in storage: the admin screens for them have their own tests. */
async function offlineSettings(stack: Stack, shop: Shop, hours: OpeningHours | null): Promise<void> {
  await stack.loket.ctx.db
    .updateTable('channels')
    .set({ offline_requests: 1, offline_name: 'required', offline_header: 'We are closed', offline_message: 'Leave us a note.', opening_hours: hours && JSON.stringify(hours) })
    .where('id', '=', shop.channelId)
    .execute();
}

/** "09:00" in Amsterdam as the New York clock shows it on the same day (5 or 6 hours earlier, by the season). */
function newYorkClock(amsterdamHour: number): string {
  const hourIn = (zone: string) => Number(new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', hourCycle: 'h23' }).format(Date.now()));
  const shift = (hourIn('Europe/Amsterdam') - hourIn('America/New_York') + 24) % 24;
  return `${String(amsterdamHour - shift).padStart(2, '0')}:00`;
}

async function expectNoFindings(frame: Frame, where: string): Promise<void> {
  const findings = await audit(frame, where);
  expect(findings, describeFindings(findings)).toEqual([]);
}

test.describe('when nobody can answer (issue 5)', () => {
  test('offline: the channel’s texts, its hours in the customer’s own time, a request with an ID, listed and e-mailed', async ({ newShop, stack, actors }) => {
    const shop = await newShop({ staffed: false });
    await offlineSettings(stack, shop, AMSTERDAM_HOURS);
    const customer = await actors.customer(shop, { timezoneId: 'America/New_York', bypassCSP: true });
    await customer.goto();
    await customer.openWindow();
    const offline = customer.frame.getByTestId('offline');
    await expect(offline.getByRole('heading', { name: 'We are closed' })).toBeVisible();
    await expect(offline).toContainText('Leave us a note.');
    // Nobody is present: either closed now (when it opens, in New York time) or open without agents.
    await expect(customer.frame.locator('[data-testid="opens-at"], [data-testid="no-agents"]')).toBeVisible();
    const hours = customer.frame.getByTestId('hours');
    // The first day may have begun already (its opening then starts now); the later ones show the whole opening.
    await expect(hours.locator('dd').filter({ hasText: `${newYorkClock(9)}–${newYorkClock(17)}` }).first()).toBeVisible();
    await expect(hours.locator('dt')).not.toHaveCount(0);
    const frame = await customer.windowFrame();
    await expectNoFindings(frame, 'widget: offline view');

    // The honeypot is out of reach for people: not in the tab order, hidden from assistive technology.
    const honeypot = customer.frame.locator('input[name="website"]');
    await expect(honeypot).toHaveAttribute('tabindex', '-1');
    await expect(honeypot).toHaveAttribute('autocomplete', 'off');
    await expect(customer.frame.locator('[aria-hidden="true"]:has(input[name="website"])')).toHaveCount(1);
    await expect(honeypot).not.toBeInViewport();

    // A mistyped address is refused at its field.
    await customer.field('name').fill('Olga Offline');
    await customer.field('email').fill('olga@');
    await customer.field('question').fill('Can I return a bike after 30 days?');
    await customer.frame.getByTestId('request-send').click();
    await expect(customer.field('email')).toHaveAttribute('aria-invalid', 'true');
    await expect(customer.field('email')).toBeFocused();
    await expectNoFindings(frame, 'widget: request form with an error');

    const email = `olga.${Date.now()}@${DNS_TEST_ZONES.mx}`;
    await customer.field('email').fill(email);
    await customer.frame.getByTestId('request-send').click();
    const id = customer.frame.getByTestId('request-id');
    await expect(id).toHaveText(REQUEST_ID);
    const publicId = (await id.textContent()) ?? '';
    await expect(customer.frame.getByTestId('request-done')).toContainText(email);
    await expectNoFindings(frame, 'widget: request confirmation');


    const login = await stack.newAgent([shop.channelId], 'Rita Requests');
    const agent = await actors.agent(login);
    await agent.signIn();
    await agent.page.getByTestId('nav-requests').click();
    const item = agent.page.getByTestId('request-item').filter({ hasText: publicId });
    await expect(item).toContainText('Olga Offline');
    const list = (await (await agent.page.request.get(`${stack.loketUrl}/api/requests`)).json()) as RequestList;
    const made = list.requests.find((r) => r.publicId === publicId);
    expect(made).toMatchObject({ name: 'Olga Offline', email, question: 'Can I return a bike after 30 days?', chatId: null });

    const mail = await mailTo(stack, email);
    expect(`${mail.parsed.subject ?? ''}\n${mail.parsed.text ?? ''}`).toContain(publicId);
  });

  test('a waiting customer is told when the last agent goes Away and leaves a request from the chat instead', async ({ newShop, stack, actors }) => {
    const shop = await newShop({ staffed: false });
    await offlineSettings(stack, shop, null);
    const login = await stack.newAgent([shop.channelId], 'Wim Waiting');
    const agent = await actors.agent(login);
    await agent.signIn();
    const customer = await actors.customer(shop, { bypassCSP: true });
    const question = 'Where is my cargo bike?';
    await customer.startChat('Walter Wait', question);
    await expect(customer.queueMessage()).toBeVisible();

    await agent.page.getByTestId('presence-toggle').click();
    await expect(agent.page.getByTestId('presence-toggle')).toHaveAttribute('data-presence', 'away');
    const notice = customer.frame.getByTestId('waiting-unavailable');
    await expect(notice).toContainText('Nobody can answer right now');
    const frame = await customer.windowFrame();
    await expectNoFindings(frame, 'widget: waiting, nobody can answer');

    // Coming back takes the notice away; going again brings it back.
    await agent.page.getByTestId('presence-toggle').click();
    await expect(notice).toHaveCount(0);
    await agent.page.getByTestId('presence-toggle').click();
    await expect(notice).toBeVisible();

    await notice.getByTestId('leave-request').click();
    await expect(customer.field('question')).toHaveValue(question);
    await expect(customer.field('name')).toHaveValue('Walter Wait');
    await expect(customer.field('email')).toHaveValue(/^walter\.wait@/);
    await customer.frame.getByTestId('request-send').click();
    const id = customer.frame.getByTestId('request-id');
    await expect(id).toHaveText(REQUEST_ID);
    const publicId = (await id.textContent()) ?? '';
    await expect(customer.frame.getByTestId('chat-ended')).toBeVisible();

    const list = (await (await agent.page.request.get(`${stack.loketUrl}/api/requests`)).json()) as RequestList;
    const made = list.requests.find((r) => r.publicId === publicId);
    expect(made?.question).toBe(question);
    expect(made?.chatId).toEqual(expect.any(String));
  });
});
