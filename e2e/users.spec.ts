import type { Page } from '@playwright/test';
import { DNS_TEST_ZONES } from './support/stack.js';
import { adminNav, newAdmin } from './support/admin.js';
import { audit, describeFindings, type Finding } from './support/axe.js';
import { expect, test } from './support/fixtures.js';

/** The Users section (administrators) and My profile (everyone). */

async function openUsers(page: Page): Promise<void> {
  const link = page.getByTestId('nav-users');
  await link.click();
  await expect(link).toHaveAttribute('aria-current', 'page');
  await expect(page.locator('#admin-heading')).toBeVisible();
}

test.describe('users', () => {
  test('an admin creates an agent who signs in; deactivating them sends their console back to sign-in at once', async ({ stack, actors }) => {
    const admin = await actors.agent(await newAdmin(stack, [], 'Ada Admin'), { bypassCSP: true });
    const findings: Finding[] = [];
    await admin.signIn();
    await openUsers(admin.page);

    const email = `noor-${Date.now().toString(36)}@${DNS_TEST_ZONES.mx}`;
    await admin.page.getByTestId('user-new').click();
    // A refusal shows at its field.
    await admin.page.getByTestId('user-name').fill('Noor Jansen');
    await admin.page.getByTestId('user-email').fill('not an address');
    await admin.page.getByTestId('user-save').click();
    await expect(admin.page.locator('[data-testid="user-error"][data-field="email"]')).toBeVisible();
    await expect(admin.page.getByTestId('user-email')).toBeFocused();

    await admin.page.getByTestId('user-email').fill(email);
    await admin.page.getByTestId('user-role').selectOption('agent');
    await admin.page.getByTestId('user-save').click();
    const passwordField = admin.page.getByTestId('user-new-password');
    await expect(passwordField).toHaveValue(/^.{10,}$/);
    const password = await passwordField.inputValue();
    await expect(admin.page.getByTestId('user-item').filter({ hasText: 'Noor Jansen' })).toHaveCount(1);
    findings.push(...(await audit(admin.page, 'console: users, new password shown')));

    // The new agent signs in with the generated password, in a browser of their own.
    const noor = await actors.agent({ id: '', email, password, name: 'Noor Jansen' });
    await noor.signIn();
    await expect(noor.page.getByTestId('profile-link-name')).toHaveText('Noor Jansen');

    // Made an administrator while signed in: the admin area appears in her open console without a reload,
    // and goes again when the role is taken back.
    await expect(adminNav(noor.page)).toHaveCount(0);
    await admin.page.getByTestId('user-role').selectOption('admin');
    await admin.page.getByTestId('user-save').click();
    await expect(adminNav(noor.page)).toBeVisible();
    await expect(noor.page.getByTestId('presence-toggle')).toBeVisible();
    await admin.page.getByTestId('user-role').selectOption('agent');
    await admin.page.getByTestId('user-save').click();
    await expect(adminNav(noor.page)).toHaveCount(0);

    // Deactivated: their console returns to the sign-in page without them doing anything.
    await admin.page.getByTestId('user-deactivate').click();
    await admin.page.getByTestId('user-confirm').click();
    await expect(admin.page.getByTestId('user-status')).toContainText('deactivated');
    await expect(admin.page.getByTestId('user-activate')).toBeVisible();
    await expect(noor.page.getByTestId('login-email')).toBeVisible({ timeout: 5_000 });

    // And cannot sign in again until reactivated.
    await noor.page.getByTestId('login-email').fill(email);
    await noor.page.getByTestId('login-password').fill(password);
    await noor.page.getByTestId('login-submit').click();
    await expect(noor.page.getByTestId('presence-toggle')).toHaveCount(0);
    await admin.page.getByTestId('user-activate').click();
    await admin.page.getByTestId('user-confirm').click();
    await expect(admin.page.getByTestId('user-deactivate')).toBeVisible();
    await noor.signIn();
    expect(findings, describeFindings(findings)).toEqual([]);
  });

  test('an agent changes their own name and password', async ({ stack, actors }) => {
    const login = await stack.newAgent([], 'Bram Peeters');
    const agent = await actors.agent(login, { bypassCSP: true });
    await agent.signIn();
    await agent.page.getByTestId('profile-link').click();
    await expect(agent.page.getByTestId('profile-name')).toHaveValue('Bram Peeters');
    await agent.page.getByTestId('profile-name').fill('Bram P.');
    await agent.page.getByTestId('profile-save').click();
    await expect(agent.page.getByTestId('profile-status')).toHaveText(/\S/);
    await expect(agent.page.getByTestId('profile-link-name')).toHaveText('Bram P.');

    await agent.page.getByTestId('password-current').fill('wrong-password');
    await agent.page.getByTestId('password-new').fill('a-new-password-1');
    await agent.page.getByTestId('password-save').click();
    await expect(agent.page.locator('[data-testid="password-error"][data-field="currentPassword"]')).toBeVisible();
    const findings = await audit(agent.page, 'console: my profile with a field error');
    expect(findings, describeFindings(findings)).toEqual([]);
    await agent.page.getByTestId('password-current').fill(login.password);
    await agent.page.getByTestId('password-save').click();
    await expect(agent.page.getByTestId('password-status')).toHaveText(/\S/);

    // After a reload the new name is still there (it was saved), and this session still works.
    await agent.page.reload();
    await expect(agent.page.getByTestId('profile-link-name')).toHaveText('Bram P.');
  });
});
