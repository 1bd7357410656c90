import { DNS_TEST_ZONES } from './support/stack.js';
import { expect, test } from './support/fixtures.js';

test.describe('the customer path (steps 1–6)', () => {
  test('customer starts a chat, agent takes it from the queue, they talk, the agent ends it', async ({ shop, stack, actors }) => {
    const login = await stack.newAgent([shop.channelId], 'Anna de Vries');
    const customer = await actors.customer(shop);
    const agent = await actors.agent(login);
    const question = 'Is the cargo bike in stock?';

    // 1. One script tag shows the icon; the chat window is loaded only on click.
    await customer.goto();
    await expect(customer.launcher).toBeVisible();
    await expect(customer.launcher).toContainText('Chat with us');
    await expect(customer.page.locator('[data-testid="loket-frame"]')).toHaveCount(0);
    await customer.openWindow();

    // 2. Pre-chat form: a domain that does not exist is refused on the field, with a clear message.
    await customer.submitDetails('Carla Jansen', `x@${DNS_TEST_ZONES.nonExistent}`);
    const email = customer.field('email');
    await expect(email).toHaveAttribute('aria-invalid', 'true');
    await expect(email).toHaveAccessibleDescription(/domain .*does not exist/i);
    await expect(customer.frame.getByTestId('question')).toHaveCount(0);

    await email.fill(`x@${DNS_TEST_ZONES.mx}`);
    await expect(email).toHaveAttribute('aria-invalid', 'false');
    await customer.frame.getByTestId('next').click();

    // 3. Question + ENTER creates the chat with the question as its first message (Shift+ENTER = new line).
    const box = customer.frame.getByTestId('question');
    await box.pressSequentially('Is the cargo bike');
    await box.press('Shift+Enter');
    await expect(box).toHaveValue('Is the cargo bike\n');
    await expect(customer.messages()).toHaveCount(0);
    await box.fill(question);
    await box.press('Enter');
    await expect(customer.messages(question, 'visitor')).toHaveCount(1);

    // 4. Waiting: the channel's queue message with the position.
    await expect(customer.queueMessage()).toContainText('number 1 in the queue');
    // Delivered (stored by the server) but nobody has read it yet.
    await customer.expectState(question, 'sent');

    // The agent signs in and sees exactly this chat waiting.
    await agent.signIn();
    await expect(agent.queueCount()).toHaveText('1');
    await expect(agent.queueItems()).toHaveCount(1);
    await expect(agent.queueItems().first()).toContainText('Carla Jansen');
    await expect(agent.queueItems().first()).toContainText(question);

    // 5. "Get next in queue": the customer's header shows the agent's name.
    await agent.getNext();
    await expect(customer.agentName()).toHaveText('Anna de Vries');
    await expect(customer.queueMessage()).toHaveCount(0);
    await expect(agent.queueCount()).toHaveText('0');
    await expect(agent.chatItems()).toHaveCount(1);
    await expect(agent.chatItems().first()).toHaveAttribute('data-status', 'active');
    await expect(agent.messages(question, 'visitor')).toHaveCount(1);

    // Typing indicators both ways (shown while typing, gone once the message is sent).
    await agent.composer().pressSequentially('Let me ch');
    await expect(customer.typing()).toBeVisible();
    await expect(customer.typing()).toContainText('Anna de Vries');
    await agent.composer().pressSequentially('eck that for you.');
    await agent.composer().press('Enter');
    await expect(agent.composer()).toHaveValue('');
    await expect(customer.messages('Let me check that for you.', 'agent')).toHaveCount(1);
    await expect(customer.typing()).toHaveCount(0);

    await customer.composer().pressSequentially('Thank');
    await expect(agent.typing()).toBeVisible();
    await customer.composer().pressSequentially('s! I need it by Friday.');
    await customer.composer().press('Enter');
    await expect(customer.composer()).toHaveValue('');
    await expect(agent.messages('Thanks! I need it by Friday.', 'visitor')).toHaveCount(1);
    await expect(agent.typing()).toHaveCount(0);

    // The agent has the conversation open, so the customer sees both messages as read.
    await customer.expectState('Thanks! I need it by Friday.', 'read');
    await customer.expectState(question, 'read');

    await agent.send('It is in stock, we can deliver on Thursday.');
    await expect(customer.messages('It is in stock, we can deliver on Thursday.', 'agent')).toHaveCount(1);

    // Nothing was duplicated along the way.
    await expect(customer.messages(question)).toHaveCount(1);
    await expect(agent.messages('Let me check that for you.')).toHaveCount(1);

    // 6. The agent ends the chat from the task menu; both sides see it ended.
    await agent.endChat();
    await expect(agent.ended()).toBeVisible();
    await expect(agent.chatItems().first()).toHaveAttribute('data-status', 'ended');
    await expect(customer.ended()).toBeVisible();
    await expect(customer.composer()).toBeDisabled();
    await expect(customer.frame.getByTestId('end-chat')).toHaveCount(0);

    // The customer can start a new chat, which goes into the queue again.
    await customer.frame.getByTestId('new-chat').click();
    await expect(customer.messages()).toHaveCount(0);
    if ((await customer.field('name').count()) > 0) await customer.submitDetails('Carla Jansen', `x@${DNS_TEST_ZONES.mx}`);
    await customer.ask('One more thing: do you sell helmets?');
    await expect(customer.queueMessage()).toContainText('number 1 in the queue');
    await expect(agent.queueCount()).toHaveText('1');
    await expect(agent.queueItems().first()).toContainText('do you sell helmets?');
  });

  test('customer ends the chat with the end button and confirmation; the agent sees it ended', async ({ shop, stack, actors }) => {
    const login = await stack.newAgent([shop.channelId], 'Bram Visser');
    const customer = await actors.customer(shop);
    const agent = await actors.agent(login);

    await customer.startChat('Dirk Bakker', 'Can I return a bike after 30 days?');
    await agent.signIn();
    await expect(agent.queueCount()).toHaveText('1');
    await agent.getNext();
    await expect(customer.agentName()).toHaveText('Bram Visser');
    await agent.send('Hello Dirk, yes you can.');
    await expect(customer.messages('Hello Dirk, yes you can.', 'agent')).toHaveCount(1);

    // Minimised, the launcher counts what the customer has not seen; reopening shows it.
    await customer.frame.getByTestId('close-window').click();
    await expect(customer.page.locator('[data-testid="loket-frame"]')).toBeHidden();
    await agent.send('Do you still have the receipt?');
    await expect(customer.launcher).toHaveAttribute('aria-label', /\(1\)$/);
    await customer.launcher.click();
    await expect(customer.messages('Do you still have the receipt?', 'agent')).toBeVisible();
    await expect(customer.launcher).not.toHaveAttribute('aria-label', /\(\d+\)$/);

    // Cancelling the confirmation keeps the chat going.
    await customer.frame.getByTestId('end-chat').click();
    await customer.frame.getByRole('button', { name: 'Cancel' }).click();
    await expect(customer.ended()).toHaveCount(0);
    await expect(customer.composer()).toBeEnabled();

    await customer.endChat();
    await expect(customer.ended()).toBeVisible();
    await expect(agent.ended()).toBeVisible();
    await expect(agent.chatItems().first()).toHaveAttribute('data-status', 'ended');
    await expect(agent.composer()).toHaveCount(0);
    await expect(customer.frame.getByTestId('new-chat')).toBeVisible();
  });
});
