import type { Locator, Page } from '@playwright/test';
import { expect, test } from './support/fixtures.js';
import { audit, describeFindings } from './support/axe.js';
import { newAdmin, openAdmin, openChannel } from './support/admin.js';

const day = (page: Page, d: string): Locator => page.getByTestId(`hours-day-${d}`);
const time = (page: Page, path: string): Locator => page.locator(`[data-path="${path}"]`);

test.describe('opening hours (issue 5)', () => {
  test('an administrator sets weekday hours with a lunch break; an overlap is refused at the field; a reload shows them', async ({ shop, stack, actors }) => {
    const admin = await actors.agent(await newAdmin(stack), { bypassCSP: true });
    await admin.signIn();
    const page = admin.page;
    await openAdmin(page, 'channels');
    await openChannel(page, `Shop ${shop.channelKey}`);
    const section = page.getByTestId('hours-section');
    await expect(section.getByTestId('hours-status')).toBeVisible();
    await expect(day(page, 'mon').getByTestId('hours-closed')).toBeVisible();

    await section.getByTestId('hours-enabled').check();
    await section.getByTestId('hours-timezone').selectOption('America/New_York');
    await day(page, 'mon').getByTestId('hours-add').click();
    await time(page, 'week.mon.0.from').fill('09:00');
    await time(page, 'week.mon.0.to').fill('12:00');
    await day(page, 'mon').getByTestId('hours-add').click();
    await time(page, 'week.mon.1.from').fill('13:00');
    await time(page, 'week.mon.1.to').fill('17:00');
    await section.getByTestId('hours-copy-monday').click();
    for (const d of ['tue', 'wed', 'thu', 'fri']) await expect(day(page, d).getByTestId('hours-interval')).toHaveCount(2);
    await expect(day(page, 'sat').getByTestId('hours-closed')).toBeVisible();

    // Tuesday's afternoon now starts before its morning ends.
    await time(page, 'week.tue.1.from').fill('11:30');
    await section.getByTestId('hours-save').click();
    const error = section.locator('[data-testid="hours-error"][data-field="week.tue.1.from"]');
    await expect(error).toBeVisible();
    await expect(time(page, 'week.tue.1.from')).toHaveAttribute('aria-invalid', 'true');
    await expect(time(page, 'week.tue.1.from')).toBeFocused();
    const findings = await audit(page, 'console: opening hours with a field error', '[data-testid="hours-section"]');
    expect(findings, describeFindings(findings)).toEqual([]);

    await time(page, 'week.tue.1.from').fill('13:00');
    await expect(error).toHaveCount(0);
    await section.getByTestId('hours-save').click();
    await expect(section.getByTestId('hours-saved')).not.toBeEmpty();
    await expect(section.getByTestId('hours-status')).toContainText(/Open now|Opens/);

    await page.reload();
    await openChannel(page, `Shop ${shop.channelKey}`);
    await expect(page.getByTestId('hours-enabled')).toBeChecked();
    await expect(page.getByTestId('hours-timezone')).toHaveValue('America/New_York');
    for (const d of ['mon', 'tue', 'wed', 'thu', 'fri']) {
      await expect(time(page, `week.${d}.0.from`)).toHaveValue('09:00');
      await expect(time(page, `week.${d}.0.to`)).toHaveValue('12:00');
      await expect(time(page, `week.${d}.1.from`)).toHaveValue('13:00');
      await expect(time(page, `week.${d}.1.to`)).toHaveValue('17:00');
    }
    await expect(day(page, 'sun').getByTestId('hours-closed')).toBeVisible();
    const saved = await audit(page, 'console: opening hours saved', '[data-testid="hours-section"]');
    expect(saved, describeFindings(saved)).toEqual([]);
  });
});
