import { audit, describeFindings, type Finding } from './support/axe.js';
import { expect, test } from './support/fixtures.js';
import { backToChat, rate, requestTranscript, transcriptError, transcriptSent } from './support/postchat.js';
import { DNS_TEST_ZONES } from './support/stack.js';

/**
 * axe-core (WCAG 2.x A/AA) over every state of the customer path, in the widget and the console.
 * The contexts bypass CSP only so that axe can be injected as an inline script.
 */
test('widget and console: WCAG 2.x A/AA audit with axe-core along the customer path', async ({ shop, stack, actors }, testInfo) => {
  const login = await stack.newAgent([shop.channelId], 'Ruben Claes');
  const customer = await actors.customer(shop, { bypassCSP: true });
  const agent = await actors.agent(login, { bypassCSP: true });
  const findings: Finding[] = [];
  const check = async (...found: Promise<Finding[]>[]): Promise<void> => {
    for (const f of found) findings.push(...(await f));
  };

  // Console: login page, then a refused login.
  await agent.page.goto(agent.url);
  await expect(agent.page.getByTestId('login-email')).toBeVisible();
  await check(audit(agent.page, 'console: login'));
  await agent.page.getByTestId('login-email').fill(login.email);
  await agent.page.getByTestId('login-password').fill('not the password');
  await agent.page.getByTestId('login-submit').click();
  await expect(agent.page.getByTestId('login-error')).toBeVisible();
  await check(audit(agent.page, 'console: login error'));

  // The audit can fail: a canary violation planted in the shop page (not Loket's) must be found.
  await customer.goto();
  await customer.page.evaluate(() => {
    const canary = document.createElement('div');
    canary.id = 'axe-canary';
    canary.innerHTML = '<button type="button"></button>';
    document.body.append(canary);
  });
  const canary = await audit(customer.page, 'canary', '#axe-canary');
  expect(canary.map((f) => f.rule)).toContain('button-name');

  // Shop page: the launcher only (the shop itself is a demo page, not Loket's).
  await expect(customer.launcher).toBeVisible();
  await check(audit(customer.page, 'shop: launcher', '#loket-launcher-host'));

  await customer.openWindow();
  await expect(customer.field('name')).toBeVisible();
  const frame = await customer.windowFrame();
  await check(audit(frame, 'widget: pre-chat form'));
  await customer.submitDetails('Sanne Maes', `x@${DNS_TEST_ZONES.nullMx}`);
  await expect(customer.field('email')).toHaveAttribute('aria-invalid', 'true');
  await check(audit(frame, 'widget: pre-chat form with e-mail error'));
  await customer.field('email').fill(`sanne@${DNS_TEST_ZONES.mx}`);
  await customer.frame.getByTestId('next').click();
  await expect(customer.frame.getByTestId('question')).toBeVisible();
  await check(audit(frame, 'widget: question form'));
  await customer.ask('Can I pay in instalments?');
  await expect(customer.queueMessage()).toBeVisible();
  await check(audit(frame, 'widget: waiting in the queue'));

  await agent.signIn();
  await expect(agent.queueItems()).toHaveCount(1);
  await agent.queueItems().first().click();
  await expect(agent.page.getByTestId('take-chat')).toBeVisible();
  await check(audit(agent.page, 'console: queue with a chat previewed'));
  await agent.page.getByTestId('take-chat').click();
  await expect(customer.agentName()).toHaveText('Ruben Claes');
  await agent.send('Yes, in three instalments.');
  await customer.send('How do I choose that?');
  await expect(agent.messages('How do I choose that?')).toHaveCount(1);
  await agent.composer().pressSequentially('At check');
  await expect(customer.typing()).toBeVisible();
  await check(audit(frame, 'widget: chat with an agent (typing)'), audit(agent.page, 'console: active conversation'));

  await agent.page.getByTestId('task-menu').click();
  await expect(agent.page.getByTestId('end-chat')).toBeVisible();
  await check(audit(agent.page, 'console: task menu open'));
  await agent.page.keyboard.press('Escape');

  await customer.frame.getByTestId('end-chat').click();
  await expect(customer.frame.getByTestId('confirm-end')).toBeVisible();
  await check(audit(frame, 'widget: end-chat confirmation'));
  await customer.frame.getByTestId('confirm-end').click();
  await expect(customer.ended()).toBeVisible();
  await expect(agent.ended()).toBeVisible();
  await check(audit(frame, 'widget: chat ended (post-chat form)'), audit(agent.page, 'console: chat ended'));

  // The post-chat form's states: a refused address, a rating given, a transcript sent, back to chat.
  await requestTranscript(customer.frame, 'not-an-address');
  await expect(transcriptError(customer.frame)).toBeVisible();
  await check(audit(frame, 'widget: post-chat form, transcript address refused'));
  await rate(customer.frame, 5, 'Clear answers');
  await requestTranscript(customer.frame, `sanne@${DNS_TEST_ZONES.mx}`);
  await expect(transcriptSent(customer.frame)).toBeVisible();
  await check(audit(frame, 'widget: post-chat form, rated and transcript sent'), audit(agent.page, 'console: ended chat with its rating'));
  await backToChat(customer.frame);
  await expect(agent.page.getByTestId('reopened-notice')).toBeVisible();
  await check(audit(frame, 'widget: back in the chat'), audit(agent.page, 'console: customer went back to the chat'));

  const report = describeFindings(findings);
  await testInfo.attach('axe-wcag-aa.txt', { body: report, contentType: 'text/plain' });
  await testInfo.attach('axe-wcag-aa.json', { body: JSON.stringify(findings, null, 2), contentType: 'application/json' });
  // There were none when this suite was written: keep it that way.
  expect(findings, report).toEqual([]);
});
