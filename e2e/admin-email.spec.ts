import { audit, describeFindings, type Finding } from './support/axe.js';
import {
  adminNav,
  createTemplate,
  emailHtml,
  gotoConsole,
  openAdmin,
  openEmail,
  outboxItems,
  previewHtml,
  setPostchat,
  templateError,
  templatePreview,
  fillTemplate,
  newAdmin,
} from './support/admin.js';
import { expect, test } from './support/fixtures.js';
import { postchat, requestTranscript, transcriptSent } from './support/postchat.js';
import { DNS_TEST_ZONES, mailTo } from './support/stack.js';

test.describe('administrators: post-chat form, reply templates, outbox', () => {
  test('an admin sets the post-chat form and a transcript template; the next widget and the e-mail follow; the outbox shows it', async ({ shop, stack, actors }, testInfo) => {
    const adminLogin = await newAdmin(stack, [shop.channelId], 'Ada Admin');
    const admin = await actors.agent(adminLogin, { bypassCSP: true });
    await admin.signIn();
    const findings: Finding[] = [];

    // A template of our own, previewed live with sample data (escaped), then refused with a typo in a variable.
    await openAdmin(admin.page, 'templates');
    await createTemplate(admin.page, {
      name: 'Friendly transcript',
      language: 'en',
      subject: 'Our chat about your order, {{customer.name}}',
      body: 'Hello {{customer.name}},\n\nHere is our conversation with {{agent.name}}:\n\n{{transcript}}\n\nKind regards,\n{{channel.name}}',
    });
    await expect(templatePreview(admin.page)).toContainText('Our chat about your order, Sam Sample');
    await expect(previewHtml(admin.page).locator('body')).toContainText('<b>html</b>');
    findings.push(...(await audit(admin.page, 'console: template editor with preview')));
    await fillTemplate(admin.page, { body: 'Hello {{customer.nmae}}' });
    await expect(templateError(admin.page, 'body')).toContainText('customer.nmae');

    // The channel's post-chat form: own texts, no rating, this template.
    await setPostchat(admin.page, `Shop ${shop.channelKey}`, {
      enabled: true,
      header: 'Thanks for visiting <Fietsenwinkel>',
      message: 'Need anything else? Go back to the chat.',
      rating: false,
      transcript: true,
      template: 'Friendly transcript',
    });
    findings.push(...(await audit(admin.page, 'console: channel post-chat settings')));

    // A customer loading the widget afterwards gets exactly that (the header as text, not markup).
    const login = await stack.newAgent([shop.channelId], 'Bram Peeters');
    const agent = await actors.agent(login);
    await agent.signIn();
    const customer = await actors.customer(shop);
    await customer.startChat('Fleur de Wit', 'Do you have a 28 inch frame?');
    await agent.getNext();
    await agent.send('Yes, in three colours.');
    await customer.endChat();
    await expect(postchat(customer.frame)).toBeVisible();
    await expect(postchat(customer.frame).getByRole('heading')).toHaveText('Thanks for visiting <Fietsenwinkel>');
    await expect(postchat(customer.frame)).toContainText('Need anything else? Go back to the chat.');
    await expect(customer.frame.getByTestId('rating-star-1')).toHaveCount(0);
    await requestTranscript(customer.frame, `fleur@${DNS_TEST_ZONES.mx}`);
    await expect(transcriptSent(customer.frame)).toBeVisible();

    const mail = await mailTo(stack, `fleur@${DNS_TEST_ZONES.mx}`);
    expect(mail.parsed.subject).toBe('Our chat about your order, Fleur de Wit');
    expect(mail.parsed.text).toContain('Here is our conversation with Bram Peeters');
    expect(mail.parsed.text).toContain('Yes, in three colours.');

    // The outbox lists it as sent; the detail shows both parts; the .eml is the sent message.
    await openAdmin(admin.page, 'outbox');
    await expect(outboxItems(admin.page, `fleur@${DNS_TEST_ZONES.mx}`)).toHaveCount(1);
    await expect(outboxItems(admin.page, `fleur@${DNS_TEST_ZONES.mx}`)).toHaveAttribute('data-status', 'sent');
    const detail = await openEmail(admin.page, `fleur@${DNS_TEST_ZONES.mx}`);
    await expect(detail).toContainText('Our chat about your order, Fleur de Wit');
    await expect(emailHtml(admin.page).locator('body')).toContainText('Do you have a 28 inch frame?');
    findings.push(...(await audit(admin.page, 'console: outbox e-mail detail')));
    const download = admin.page.waitForEvent('download');
    await admin.page.getByTestId('outbox-eml').click();
    const eml = await (await download).path().then((p) => import('node:fs').then((fs) => fs.readFileSync(p, 'utf8')));
    expect(eml).toMatch(/^Subject: Our chat about your order, Fleur de Wit$/m);
    expect(eml).toContain(mail.messageId);

    const report = describeFindings(findings);
    await testInfo.attach('axe-admin.txt', { body: report, contentType: 'text/plain' });
    expect(findings, report).toEqual([]);
  });

  test('an agent who is not an administrator never reaches the admin area or its API', async ({ shop, stack, actors }) => {
    const login = await stack.newAgent([shop.channelId], 'Noor Jacobs');
    const agent = await actors.agent(login);
    await agent.signIn();
    await expect(adminNav(agent.page)).toHaveCount(0);
    // A deep link to an admin view lands on the agent's own workspace.
    await gotoConsole(agent.page, stack.consoleUrl, 'templates');
    await expect(agent.page.getByTestId('presence-toggle')).toBeVisible();
    await expect(agent.page.getByTestId('template-item')).toHaveCount(0);
    await expect(agent.page).toHaveURL(/\/console\/$/);
    // And the API says no, with the agent's own session.
    for (const path of ['/api/admin/templates', '/api/admin/outbox', '/api/admin/channels']) {
      const res = await agent.page.request.get(`${stack.loketUrl}${path}`);
      expect(res.status(), path).toBe(403);
    }
  });
});
