import { DNS_TEST_ZONES, mailTo } from './support/stack.js';
import { expect, test } from './support/fixtures.js';
import { backToChat, postchat, rate, requestTranscript, transcriptError, transcriptSent } from './support/postchat.js';

test.describe('the end of a chat (step 6)', () => {
  test('agent ends → post-chat form → back to chat → customer ends → rates → transcript arrives by e-mail', async ({ shop, stack, actors }) => {
    const login = await stack.newAgent([shop.channelId], 'Anna de Vries');
    const customer = await actors.customer(shop);
    const agent = await actors.agent(login);
    await agent.signIn();
    const question = 'Can I return shoes <b>after</b> 30 days?';
    await customer.startChat('Carla Jansen', question);
    await agent.getNext();
    await expect(customer.agentName()).toHaveText('Anna de Vries');
    await agent.send('Yes, within 60 days.');
    await expect(customer.messages('Yes, within 60 days.', 'agent')).toHaveCount(1);

    // The agent ends it: the customer gets the post-chat form, not a dead end.
    await agent.endChat();
    await expect(postchat(customer.frame)).toBeVisible();
    await expect(postchat(customer.frame).getByRole('heading')).toBeVisible();
    await expect(customer.frame.getByTestId('transcript-email')).toHaveValue(`carla.jansen@${DNS_TEST_ZONES.mx}`);

    // Back to chat: the same agent (still present) gets it back and is told so.
    await backToChat(customer.frame);
    await expect(customer.messages(undefined, 'system').filter({ hasText: /went back to the chat/i })).toHaveCount(1);
    await expect(agent.page.getByTestId('reopened-notice')).toContainText('Carla Jansen');
    await expect(agent.chatItems().first()).toHaveAttribute('data-status', 'active');
    await customer.send('One more thing: do you pay the return postage?');
    await expect(agent.messages('One more thing: do you pay the return postage?', 'visitor')).toHaveCount(1);
    await agent.send('We do.');
    await expect(customer.messages('We do.', 'agent')).toHaveCount(1);

    // Now the customer ends it, and uses the form.
    await customer.endChat();
    await expect(postchat(customer.frame)).toBeVisible();
    await rate(customer.frame, 4, 'Quick and friendly');
    await expect(agent.page.getByTestId('chat-rating')).toContainText('4');

    // A wrong address is refused at the field; then the pre-filled one is used.
    await requestTranscript(customer.frame, `carla@${DNS_TEST_ZONES.nonExistent}`);
    await expect(transcriptError(customer.frame)).toContainText(/does not exist/i);
    await expect(customer.frame.getByTestId('transcript-email')).toHaveAttribute('aria-invalid', 'true');
    await requestTranscript(customer.frame, `carla.jansen@${DNS_TEST_ZONES.mx}`);
    await expect(transcriptSent(customer.frame)).toContainText(`carla.jansen@${DNS_TEST_ZONES.mx}`);

    const mail = await mailTo(stack, `carla.jansen@${DNS_TEST_ZONES.mx}`);
    expect(mail.parsed.subject).toContain(`Shop ${shop.channelKey}`);
    const text = mail.parsed.text ?? '';
    const html = typeof mail.parsed.html === 'string' ? mail.parsed.html : '';
    for (const line of [question, 'Yes, within 60 days.', 'One more thing: do you pay the return postage?', 'We do.']) expect(text).toContain(line);
    expect(text).toMatch(/Anna de Vries/);
    expect(text).toMatch(/went back to the chat|back to the chat/i);
    // Customer input is escaped in the HTML part, never markup.
    expect(html).toContain('Can I return shoes &lt;b&gt;after&lt;/b&gt; 30 days?');
    expect(html).not.toContain('<b>after</b>');
    // Times are in the customer's time zone (the browser's: Europe/Amsterdam).
    expect(text).toMatch(/Europe\/Amsterdam|CET|CEST|GMT\+1|GMT\+2/);
    await expect(customer.frame.getByTestId('rating-thanks')).toBeVisible();
  });

  test('a channel without the post-chat form keeps the simple ending; a reload shows the form with what was done', async ({ newShop, stack, actors }) => {
    const plain = await newShop({ channel: { postchat: { enabled: false } } });
    const login = await stack.newAgent([plain.channelId]);
    const agent = await actors.agent(login);
    await agent.signIn();
    const customer = await actors.customer(plain);
    await customer.startChat('Dirk Bakker', 'Do you sell gift cards?');
    await agent.getNext();
    await agent.endChat();
    await expect(customer.ended()).toBeVisible();
    await expect(postchat(customer.frame)).toHaveCount(0);
    await expect(customer.frame.getByTestId('new-chat')).toBeVisible();

    const withForm = await newShop();
    const login2 = await stack.newAgent([withForm.channelId]);
    const agent2 = await actors.agent(login2);
    await agent2.signIn();
    const second = await actors.customer(withForm);
    await second.startChat('Eva Smit', 'Is the store open on Sunday?');
    await agent2.getNext();
    await second.endChat();
    await rate(second.frame, 5);
    await second.page.reload();
    await second.page.waitForLoadState('load');
    // The window reopens by itself when it was open; either way the customer can open it.
    if (!(await second.page.locator('[data-testid="loket-frame"]').isVisible())) await second.openWindow();
    await expect(postchat(second.frame)).toBeVisible();
    await expect(second.frame.getByTestId('rating-thanks')).toBeVisible();
  });
});
