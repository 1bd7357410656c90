import { expect, test } from './support/fixtures.js';

test('reloading the shop page mid-chat restores the same chat with its whole history', async ({ shop, stack, actors }) => {
  const login = await stack.newAgent([shop.channelId], 'Henk Kok');
  const customer = await actors.customer(shop);
  const agent = await actors.agent(login);
  const question = 'Do you repair e-bikes?';

  await customer.startChat('Iris de Boer', question);
  await agent.signIn();
  await agent.getNext();
  await expect(customer.agentName()).toHaveText('Henk Kok');

  const lines: { text: string; author: 'visitor' | 'agent' }[] = [
    { text: question, author: 'visitor' },
    { text: 'Yes, all brands.', author: 'agent' },
    { text: 'How long does it take?', author: 'visitor' },
    { text: 'Usually two working days.', author: 'agent' },
  ];
  await agent.send('Yes, all brands.');
  await expect(customer.messages('Yes, all brands.', 'agent')).toHaveCount(1);
  await customer.send('How long does it take?');
  await expect(agent.messages('How long does it take?', 'visitor')).toHaveCount(1);
  await agent.send('Usually two working days.');
  await expect(customer.messages('Usually two working days.', 'agent')).toHaveCount(1);

  // Every bubble is stored (has its sequence number) before we take the snapshot to compare with.
  await expect(customer.frame.locator('[data-testid="message"]:not([data-seq])')).toHaveCount(0);
  const before = await customer.messages().evaluateAll((els) =>
    els.map((el) => ({ author: el.getAttribute('data-author'), seq: el.getAttribute('data-seq'), text: el.querySelector('.text')?.textContent ?? el.textContent })),
  );

  await customer.page.reload();

  // The chat window comes back by itself (it was open), with the agent and every message exactly once.
  await expect(customer.page.locator('[data-testid="loket-frame"]')).toBeVisible();
  await expect(customer.agentName()).toHaveText('Henk Kok');
  for (const line of lines) await expect(customer.messages(line.text, line.author)).toHaveCount(1);
  await expect(customer.messages()).toHaveCount(before.length);
  const after = await customer.messages().evaluateAll((els) =>
    els.map((el) => ({ author: el.getAttribute('data-author'), seq: el.getAttribute('data-seq'), text: el.querySelector('.text')?.textContent ?? el.textContent })),
  );
  expect(after).toEqual(before);
  await expect(customer.frame.getByTestId('field-name')).toHaveCount(0);
  await expect(customer.queueMessage()).toHaveCount(0);

  // Chatting continues on the same chat, both ways.
  await customer.send('Great, I will bring it tomorrow.');
  await expect(agent.messages('Great, I will bring it tomorrow.', 'visitor')).toHaveCount(1);
  await agent.send('See you then!');
  await expect(customer.messages('See you then!', 'agent')).toHaveCount(1);
  await expect(agent.chatItems()).toHaveCount(1);
  await expect(agent.messages(question, 'visitor')).toHaveCount(1);

  // The agent's console survives a reload too: still signed in, same chat, same history.
  await agent.page.reload();
  await expect(agent.page.getByTestId('presence-toggle')).toBeVisible();
  await expect(agent.chatItems()).toHaveCount(1);
  await agent.chatItems().first().click();
  for (const text of [question, 'How long does it take?', 'Great, I will bring it tomorrow.', 'See you then!']) {
    await expect(agent.messages(text)).toHaveCount(1);
  }
  await agent.send('Reloaded and still here.');
  await expect(customer.messages('Reloaded and still here.', 'agent')).toHaveCount(1);
});

test('reloading while waiting in the queue keeps the place in the queue', async ({ shop, stack, actors }) => {
  const login = await stack.newAgent([shop.channelId], 'Sem Dijkstra');
  const customer = await actors.customer(shop);
  await customer.startChat('Tess Hermans', 'Is the shop open on Sunday?');
  await expect(customer.queueMessage()).toContainText('number 1 in the queue');
  await customer.page.reload();
  await expect(customer.queueMessage()).toContainText('number 1 in the queue');
  await expect(customer.messages('Is the shop open on Sunday?', 'visitor')).toHaveCount(1);

  const agent = await actors.agent(login);
  await agent.signIn();
  await expect(agent.queueCount()).toHaveText('1');
  await agent.getNext();
  await expect(customer.agentName()).toHaveText('Sem Dijkstra');
});
