import type { AgentConsole } from './support/console.js';
import { expect, test } from './support/fixtures.js';

test('two agents take the same waiting chat at once: exactly one gets it, the other is told', async ({ shop, stack, actors }) => {
  const loginA = await stack.newAgent([shop.channelId], 'Lotte Meijer');
  const loginB = await stack.newAgent([shop.channelId], 'Maarten Bos');
  const customer = await actors.customer(shop);
  const a = await actors.agent(loginA);
  const b = await actors.agent(loginB);

  await customer.startChat('Nina Dekker', 'Which saddle fits a child of six?');
  await Promise.all([a.signIn(), b.signIn()]);
  for (const agent of [a, b]) {
    await expect(agent.queueItems()).toHaveCount(1);
    await agent.queueItems().first().click();
    await expect(agent.page.getByTestId('take-chat')).toBeEnabled();
  }

  // Both click "Take" for the same chat, as close together as the browser allows.
  await Promise.all([a.page.getByTestId('take-chat').click(), b.page.getByTestId('take-chat').click()]);

  const outcome = (agent: AgentConsole) => agent.page.getByTestId('claim-error').or(agent.composer());
  await expect(outcome(a)).toBeVisible();
  await expect(outcome(b)).toBeVisible();
  const aLost = await a.page.getByTestId('claim-error').isVisible();
  const bLost = await b.page.getByTestId('claim-error').isVisible();
  expect([aLost, bLost].filter(Boolean), 'exactly one agent is told the chat is taken').toHaveLength(1);
  const [winner, loser] = aLost ? [b, a] : [a, b];

  await expect(loser.page.getByTestId('claim-error')).toContainText('Another agent has already taken this chat');
  await expect(loser.composer()).toHaveCount(0);
  await expect(loser.chatItems()).toHaveCount(0);
  await expect(winner.page.getByTestId('claim-error')).toHaveCount(0);
  await expect(winner.chatItems()).toHaveCount(1);
  await expect(winner.chatItems().first()).toHaveAttribute('data-status', 'active');
  await expect(customer.agentName()).toHaveText(winner.login.name);
  // Joined once, by one agent only.
  await expect(customer.messages(undefined, 'system')).toHaveCount(1);
  for (const agent of [a, b]) await expect(agent.queueCount()).toHaveText('0');

  // The winner really serves the chat.
  await winner.send('I will help you.');
  await expect(customer.messages('I will help you.', 'agent')).toHaveCount(1);
});
