import type { WebSocket } from '@playwright/test';
import { expect, test, type Actors } from './support/fixtures.js';
import type { Shop, Stack } from './support/stack.js';

test("the customer's network is cut for a few seconds mid-chat: nothing is lost or doubled", async ({ newShop, stack, actors }) => {
  // The customer reaches Loket through a relay we can cut; the agent connects directly.
  const link = await stack.newLink();
  const shop = await newShop({ loketUrl: link.url });
  const login = await stack.newAgent([shop.channelId], 'Joost Hendriks');
  const customer = await actors.customer(shop);
  const agent = await actors.agent(login);

  // Watch the widget's sockets, to prove the cut really broke the live connection.
  const sockets: WebSocket[] = [];
  const closed = new Set<WebSocket>();
  customer.page.on('websocket', (ws) => {
    sockets.push(ws);
    ws.on('close', () => closed.add(ws));
  });

  await customer.startChat('Karin Vos', 'My order has not arrived.');
  await agent.signIn();
  await agent.getNext();
  await expect(customer.agentName()).toHaveText('Joost Hendriks');
  await customer.send('Order number 1234.');
  await expect(agent.messages('Order number 1234.', 'visitor')).toHaveCount(1);
  await agent.send('Let me look it up.');
  await expect(customer.messages('Let me look it up.', 'agent')).toHaveCount(1);
  await expect(customer.frame.locator('[data-testid="message"]:not([data-seq])')).toHaveCount(0);
  expect(sockets.length).toBeGreaterThan(0);
  const live = sockets.filter((ws) => !closed.has(ws));
  expect(live).toHaveLength(1);

  // The cut. Playwright's setOffline makes the browser offline (HTTP fails, navigator.onLine is
  // false, 'online' fires when it comes back) but in Chromium it does NOT break WebSockets that
  // are already open: messages would keep flowing over the old socket. So the relay also resets
  // every connection and refuses new ones, as a dropped network does — checked right below.
  await customer.context.setOffline(true);
  link.cut();
  await expect.poll(() => live.every((ws) => closed.has(ws)), { message: 'the open socket is broken by going offline' }).toBe(true);

  await customer.send('Offline message one.');
  await customer.send('Offline message two.');
  await customer.expectState('Offline message one.', 'pending');
  await customer.expectState('Offline message two.', 'pending');

  // Meanwhile the agent answers; the customer cannot get it yet.
  await agent.send('Found it: it ships today.');
  await expect(agent.messages('Found it: it ships today.', 'agent')).toHaveCount(1);
  await expect(agent.messages('Found it: it ships today.', 'agent')).not.toHaveAttribute('data-pending', 'true');
  // Keep the line down for a few seconds, as a real cut would (reconnect attempts fail and back off).
  await customer.page.waitForTimeout(3_000);
  await expect(agent.messages('Offline message one.')).toHaveCount(0);
  await expect(customer.messages('Found it: it ships today.')).toHaveCount(0);

  const acceptedBefore = link.accepted;
  link.restore();
  await customer.context.setOffline(false);

  // Each side gets each message exactly once, in order.
  await expect(customer.messages('Found it: it ships today.', 'agent')).toHaveCount(1);
  await customer.expectState('Offline message one.', 'read');
  await customer.expectState('Offline message two.', 'read');
  await expect(agent.messages('Offline message one.', 'visitor')).toHaveCount(1);
  await expect(agent.messages('Offline message two.', 'visitor')).toHaveCount(1);
  await expect(customer.messages('Offline message one.')).toHaveCount(1);
  await expect(customer.messages('Offline message two.')).toHaveCount(1);

  const agentVisitorTexts = await agent.messages(undefined, 'visitor').locator('.body').allTextContents();
  expect(agentVisitorTexts).toEqual(['My order has not arrived.', 'Order number 1234.', 'Offline message one.', 'Offline message two.']);
  const seqs = await agent.messages().evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-seq'))));
  expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  expect(new Set(seqs).size).toBe(seqs.length);

  const customerVisitorTexts = await customer.messages(undefined, 'visitor').locator('.text').allTextContents();
  expect(customerVisitorTexts).toEqual(['My order has not arrived.', 'Order number 1234.', 'Offline message one.', 'Offline message two.']);
  const customerSeqs = await customer.messages().evaluateAll((els) => els.map((el) => el.getAttribute('data-seq')));
  expect(customerSeqs.every((s) => s !== null)).toBe(true);
  expect(new Set(customerSeqs).size).toBe(customerSeqs.length);

  // It really was a new connection that brought them.
  expect(link.accepted).toBeGreaterThan(acceptedBefore);

  // The connection is healthy again: a new message goes through live.
  await customer.send('Thanks, that was quick.');
  await expect(agent.messages('Thanks, that was quick.', 'visitor')).toHaveCount(1);
});

/** The agent's console goes through a relay that is cut for a few seconds mid-chat. */
async function agentCut({ shop, stack, actors }: { shop: Shop; stack: Stack; actors: Actors }) {
  const link = await stack.newLink();
  const login = await stack.newAgent([shop.channelId], 'Lars Koster');
  const customer = await actors.customer(shop);
  const agent = await actors.agent(login, {}, link.url);

  await customer.startChat('Mila Jacobs', 'Can I change my delivery address?');
  await agent.signIn();
  await agent.getNext();
  await expect(customer.agentName()).toHaveText('Lars Koster');
  await agent.send('Sure, what is the new address?');
  await expect(customer.messages('Sure, what is the new address?', 'agent')).toHaveCount(1);

  // See the customer test for why setOffline alone is not enough in Chromium.
  await agent.context.setOffline(true);
  link.cut();
  await expect(agent.page.getByTestId('connection')).toBeVisible();
  await agent.send('Agent offline one.');
  await agent.send('Agent offline two.');
  await expect(agent.page.locator('[data-testid="message"][data-pending="true"]')).toHaveCount(2);
  await customer.send('Kerkstraat 1, Utrecht.');
  await customer.expectState('Kerkstraat 1, Utrecht.', 'sent');
  await agent.page.waitForTimeout(3_000);
  await expect(customer.messages('Agent offline one.')).toHaveCount(0);
  await expect(agent.messages('Kerkstraat 1, Utrecht.')).toHaveCount(0);

  link.restore();
  await agent.context.setOffline(false);
  await expect(agent.page.getByTestId('connection')).toHaveCount(0);
  return { customer, agent };
}

test("the agent's network is cut for a few seconds mid-chat: nothing is lost or doubled", async ({ shop, stack, actors }) => {
  const { customer, agent } = await agentCut({ shop, stack, actors });

  await expect(agent.messages('Kerkstraat 1, Utrecht.', 'visitor')).toHaveCount(1);
  await expect(customer.messages('Agent offline one.', 'agent')).toHaveCount(1);
  await expect(customer.messages('Agent offline two.', 'agent')).toHaveCount(1);
  await expect(agent.page.locator('[data-testid="message"][data-pending="true"]')).toHaveCount(0);
  await expect(agent.messages('Agent offline one.')).toHaveCount(1);
  await expect(agent.messages('Agent offline two.')).toHaveCount(1);
  const agentTexts = await customer.messages(undefined, 'agent').locator('.text').allTextContents();
  expect(agentTexts).toEqual(['Sure, what is the new address?', 'Agent offline one.', 'Agent offline two.']);

  // Still live both ways afterwards.
  await customer.send('Thank you!');
  await expect(agent.messages('Thank you!', 'visitor')).toHaveCount(1);
});

test("after the agent's reconnect, the customer sees the message the agent has now read as read", async ({ shop, stack, actors }) => {
  // The agent's resent answers raise the read cursor themselves; the visitor must be told so
  // (the console's own 'read' then finds nothing left to raise).
  const { customer, agent } = await agentCut({ shop, stack, actors });
  await expect(agent.messages('Kerkstraat 1, Utrecht.', 'visitor')).toHaveCount(1);
  await expect(customer.messages('Agent offline two.', 'agent')).toHaveCount(1);
  await customer.expectState('Kerkstraat 1, Utrecht.', 'read');
});
