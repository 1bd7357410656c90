import { audit, describeFindings, type Finding } from './support/axe.js';
import { expect, test } from './support/fixtures.js';
import { REQUEST_ID_IN_TEXT } from './support/console.js';

test.describe('what the agent sees of the customer, and a request from a chat', () => {
  test('the agent sees their message seen, the customer leave the page and come back', async ({ shop, stack, actors }) => {
    const login = await stack.newAgent([shop.channelId], 'Sam Agent');
    const agent = await actors.agent(login);
    await agent.signIn();
    const customer = await actors.customer(shop);
    await customer.startChat('Carla Jansen', 'Where is my parcel?');
    await agent.getNext();

    await agent.send('Let me check that for you.');
    await expect(customer.messages('Let me check that for you.', 'agent')).toHaveCount(1);
    // The customer's window is open and visible: the agent's message shows as seen.
    await expect(agent.seenMark()).toHaveCount(1);
    await expect(agent.messages('Let me check that for you.', 'agent').getByTestId('seen')).toContainText('Seen by Carla Jansen');
    await expect(agent.visitorPresence()).toHaveCount(0);

    // The customer leaves the page: the agent knows within moments, not after the grace period.
    await customer.page.goto('about:blank');
    await expect(agent.visitorPresence()).toContainText('Carla Jansen left the page');

    // …and comes back (the shop remembers the open chat window): the chat resumes and the notice goes.
    await customer.goto();
    await expect(agent.visitorPresence()).toHaveCount(0);
    await agent.send('Found it: it arrives tomorrow.');
    await expect(customer.messages('Found it: it arrives tomorrow.', 'agent')).toHaveCount(1);
    await expect(agent.messages('Found it: it arrives tomorrow.', 'agent').getByTestId('seen')).toHaveCount(1);
    await expect(agent.seenMark()).toHaveCount(1);
  });

  test('task menu › Create request: the request carries the conversation, the ID goes to the customer', async ({ shop, stack, actors }) => {
    const login = await stack.newAgent([shop.channelId], 'Sam Agent');
    // axe is injected as an inline script, which the console's CSP (rightly) refuses otherwise.
    const agent = await actors.agent(login, { bypassCSP: true });
    await agent.signIn();
    const customer = await actors.customer(shop);
    await customer.startChat('Carla Jansen', 'My blender arrived broken.');
    await agent.getNext();
    await agent.send('I am sorry to hear that. I will arrange a replacement.');
    const findings: Finding[] = [];

    const dialog = await agent.openCreateRequest();
    findings.push(...(await audit(agent.page, 'console: create request dialog')));
    // A title is required: the error is at the field.
    await dialog.getByTestId('chat-request-create').click();
    await expect(dialog.getByTestId('chat-request-title')).toHaveAttribute('aria-invalid', 'true');
    await expect(dialog.getByTestId('chat-request-error')).toBeVisible();

    await dialog.getByTestId('chat-request-title').fill('Replacement blender');
    await dialog.getByTestId('chat-request-priority').selectOption('high');
    await dialog.getByTestId('chat-request-create').click();
    await expect(dialog).toBeHidden();
    await expect(agent.composer()).toHaveValue(REQUEST_ID_IN_TEXT);
    const message = await agent.composer().inputValue();
    const publicId = REQUEST_ID_IN_TEXT.exec(message)?.[0] ?? '';
    await agent.composer().press('Enter');
    await expect(customer.messages(publicId, 'agent')).toHaveCount(1);

    // The request is under Requests with the conversation.
    await agent.page.getByTestId('nav-requests').click();
    await agent.page.getByRole('link', { name: publicId }).click();
    await expect(agent.page.getByTestId('request-title')).toHaveText('Replacement blender');
    const conversation = agent.page.getByTestId('request-conversation');
    await expect(conversation.getByText('My blender arrived broken.')).toBeVisible();
    await expect(conversation.getByText('I am sorry to hear that. I will arrange a replacement.')).toBeVisible();
    findings.push(...(await audit(agent.page, 'console: request made from a chat')));
    const report = describeFindings(findings);
    expect(findings, report).toEqual([]);
  });
});
