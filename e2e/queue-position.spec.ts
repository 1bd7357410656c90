import { expect, test } from './support/fixtures.js';

test('a second customer waits at position 2, then moves up to 1 when the agent takes the next chat', async ({ shop, stack, actors }) => {
  const login = await stack.newAgent([shop.channelId], 'Eva Smit');
  const first = await actors.customer(shop);
  const second = await actors.customer(shop);
  const agent = await actors.agent(login);

  await first.startChat('Fleur Mulder', 'First question: opening hours?');
  await expect(first.queueMessage()).toContainText('number 1 in the queue');

  await second.startChat('Gijs Peters', 'Second question: delivery costs?');
  await expect(second.queueMessage()).toContainText('number 2 in the queue');
  // The queue message also states the average waiting time.
  await expect(second.queueMessage()).toContainText('Average waiting time');
  await expect(first.queueMessage()).toContainText('number 1 in the queue');

  await agent.signIn();
  await expect(agent.queueCount()).toHaveText('2');
  await expect(agent.queueItems()).toHaveCount(2);
  // Oldest first: "Get next in queue" claims the first customer's chat.
  await expect(agent.queueItems().nth(0)).toContainText('Fleur Mulder');
  await expect(agent.queueItems().nth(1)).toContainText('Gijs Peters');

  await agent.getNext();
  await expect(first.agentName()).toHaveText('Eva Smit');
  await expect(first.queueMessage()).toHaveCount(0);

  // Live update, without a reload: the second customer is now first in line.
  await expect(second.queueMessage()).toContainText('number 1 in the queue');
  await expect(second.agentName()).toHaveCount(0);
  await expect(agent.queueCount()).toHaveText('1');
  await expect(agent.queueItems()).toHaveCount(1);
  await expect(agent.queueItems().first()).toContainText('Gijs Peters');

  // And the next one goes to the same agent (one agent serves several chats).
  await agent.getNext();
  await expect(second.agentName()).toHaveText('Eva Smit');
  await expect(second.queueMessage()).toHaveCount(0);
  await expect(agent.queueCount()).toHaveText('0');
  await expect(agent.chatItems()).toHaveCount(2);

  // The open conversation is the second chat; a message in the first shows as unread in the list.
  await expect(agent.messages('Second question: delivery costs?', 'visitor')).toBeVisible();
  await first.send('Are you still there?');
  const firstItem = agent.chatItems().filter({ hasText: 'Fleur Mulder' });
  await expect(firstItem.getByTestId('unread')).toHaveText('1');
  await expect(firstItem.getByTestId('unread')).toBeVisible();
  await expect(agent.messages('Are you still there?')).toHaveCount(0);
  await firstItem.click();
  await expect(agent.messages('Are you still there?', 'visitor')).toHaveCount(1);
  await expect(firstItem.getByTestId('unread')).toBeHidden();
  await first.expectState('Are you still there?', 'read');
});
