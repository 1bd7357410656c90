import { audit, describeFindings } from './support/axe.js';
import { expect, test } from './support/fixtures.js';

/** What the console handed to `new Notification(...)`, recorded by the init script below. */
type Recorded = { title: string; body: string };

test('a customer left waiting warns the present agent: banner, desktop notification, and "Open" opens the chat', async ({ shop, stack, actors }) => {
  // The console allows 10 s at least; a browser test on shared cores sets 2 s in the column directly
  // instead of sitting out the minimum. The sweeper reads the column, so the behaviour is the same.
  await stack.loket.ctx.db.updateTable('channels').set({ warn_after_seconds: 2 }).where('id', '=', shop.channelId).execute();
  const login = await stack.newAgent([shop.channelId], 'Eva Smit');
  const agent = await actors.agent(login, { permissions: ['notifications'], bypassCSP: true });
  await agent.page.addInitScript(() => {
    const calls: Array<{ title: string; body: string }> = [];
    const Real = window.Notification;
    class Recording extends Real {
      constructor(title: string, options?: NotificationOptions) {
        calls.push({ title, body: options?.body ?? '' });
        super(title, options);
      }
    }
    Object.defineProperty(window, 'Notification', { value: Recording, configurable: true, writable: true });
    Object.defineProperty(window, '__notifications', { value: calls });
  });
  await agent.signIn();

  const customer = await actors.customer(shop);
  await customer.startChat('Mia Jansen', 'Is my order on its way?');

  const toast = agent.page.getByTestId('warning-toast');
  await expect(toast).toHaveCount(1, { timeout: 10_000 });
  await expect(toast).toHaveAttribute('role', 'alert');
  await expect(toast).toContainText('Mia Jansen');
  await expect(toast).toContainText(/has been waiting \d+ s in .+ without an answer/);

  const recorded = await agent.page.evaluate(() => (window as unknown as { __notifications: Recorded[] }).__notifications);
  expect(recorded).toHaveLength(1);
  expect(recorded[0]?.title).toBe('A customer is waiting');
  expect(recorded[0]?.body).toContain('Mia Jansen');

  const findings = await audit(agent.page, 'console: unanswered-chat warning', '[data-testid="warning-toast"]');
  expect(findings, describeFindings(findings)).toEqual([]);

  await agent.page.getByTestId('warning-open').click();
  await expect(toast).toHaveCount(0);
  // The waiting chat's preview: its question and the button to take it.
  await expect(agent.messages('Is my order on its way?', 'visitor')).toBeVisible();
  await agent.page.getByTestId('take-chat').click();
  await expect(customer.agentName()).toHaveText('Eva Smit');
});

test('sound and desktop notifications are set on the profile page, and asked for only on a click', async ({ shop, stack, actors }) => {
  const login = await stack.newAgent([shop.channelId], 'Joris Bakker');
  const agent = await actors.agent(login, { bypassCSP: true });
  await agent.signIn();
  await agent.page.getByTestId('profile-link').click();
  const sound = agent.page.getByTestId('warning-sound');
  await expect(sound).toBeChecked();
  await sound.uncheck();
  await agent.page.reload();
  await expect(agent.page.getByTestId('warning-sound')).not.toBeChecked();
  await expect(agent.page.getByTestId('warning-desktop')).toBeVisible();
  await agent.context.grantPermissions(['notifications']);
  await agent.page.getByTestId('warning-desktop').click();
  await expect(agent.page.getByTestId('warning-desktop-state')).toHaveText('Desktop notifications are on.');
  const findings = await audit(agent.page, 'console: warning settings', '[data-testid="warning-settings"]');
  expect(findings, describeFindings(findings)).toEqual([]);
});
