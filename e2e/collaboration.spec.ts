import type { AgentConsole } from './support/console.js';
import { audit, describeFindings, type Finding } from './support/axe.js';
import { expect, test } from './support/fixtures.js';
import type { Customer } from './support/widget.js';

/**
 * Working together on a chat (docs/collaboration.md): a customer and two or three agents. Transfers
 * accepted, rejected and cancelled; a manager taking over; listening in; internal notes — with
 * axe-core over each new console state.
 */

async function axeClean(agent: AgentConsole, where: string): Promise<void> {
  const findings: Finding[] = await audit(agent.page, where);
  expect(findings, describeFindings(findings)).toEqual([]);
}

/** The customer's chat, claimed by `agent`, who greets them. */
async function chatting(customer: Customer, agent: AgentConsole, name: string, question: string): Promise<void> {
  await customer.startChat(name, question);
  await agent.signIn();
  await expect(agent.queueItems()).toHaveCount(1);
  await agent.getNext();
  await expect(agent.composer()).toBeVisible();
  await agent.send('Hello, I am looking into it.');
  await expect(customer.messages('Hello, I am looking into it.', 'agent')).toHaveCount(1);
}

async function openTransfer(agent: AgentConsole): Promise<void> {
  await agent.page.getByTestId('task-menu').click();
  await agent.page.getByTestId('transfer-open').click();
  await expect(agent.page.getByTestId('transfer-dialog')).toBeVisible();
}

test('a transfer accepted: the receiver gets the note and the conversation, the customer sees them join', async ({ shop, stack, actors }) => {
  const loginA = await stack.newAgent([shop.channelId], 'Lotte Meijer');
  const loginB = await stack.newAgent([shop.channelId], 'Sam de Vries');
  const customer = await actors.customer(shop);
  const a = await actors.agent(loginA, { bypassCSP: true });
  const b = await actors.agent(loginB, { bypassCSP: true });
  await b.signIn();
  await chatting(customer, a, 'Nina Dekker', 'Can I return a saddle?');

  // An internal note first: agents see it, styled apart; the customer never does.
  await a.page.getByTestId('note-open').click();
  await a.page.getByTestId('note-composer').fill('Customer bought it 40 days ago');
  await a.page.getByTestId('note-composer').press('Enter');
  const note = a.page.getByTestId('note').filter({ hasText: 'Customer bought it 40 days ago' });
  await expect(note).toBeVisible();
  await expect(note).toContainText('Internal note');
  await axeClean(a, 'console: internal note');

  await openTransfer(a);
  const target = a.page.getByTestId('transfer-target').filter({ hasText: 'Sam de Vries' });
  await expect(target).toContainText('0 active chats');
  await axeClean(a, 'console: transfer dialog');
  await target.click();
  await a.page.getByTestId('transfer-note').fill('Return after 30 days: please decide');
  await a.page.getByTestId('transfer-send').click();
  await expect(a.page.getByTestId('transfer-pending')).toContainText('Waiting for Sam de Vries');

  const incoming = b.page.getByTestId('incoming-transfer');
  await expect(incoming).toBeVisible();
  await expect(incoming.getByTestId('incoming-note')).toContainText('Return after 30 days: please decide');
  await expect(incoming.getByTestId('message').filter({ hasText: 'Can I return a saddle?' })).toBeVisible();
  await expect(incoming.getByTestId('note').filter({ hasText: 'Customer bought it 40 days ago' })).toBeVisible();
  await axeClean(b, 'console: incoming transfer');
  await incoming.getByTestId('transfer-accept').click();

  await expect(incoming).toHaveCount(0);
  await expect(b.composer()).toBeVisible();
  await expect(customer.messages('Sam de Vries joined the chat.', 'system')).toHaveCount(1);
  await expect(customer.agentName()).toHaveText('Sam de Vries');
  await b.send('Sam here, I can take the saddle back.');
  await expect(customer.messages('Sam here, I can take the saddle back.', 'agent')).toHaveCount(1);
  // The sender may not listen in this channel: the chat left her list.
  await expect(a.page.getByTestId('notice')).toContainText('Sam de Vries accepted the transfer');
  await expect(a.chatItems()).toHaveCount(0);
  await expect(customer.frame.getByText('Customer bought it 40 days ago')).toHaveCount(0);
});

test('a transfer rejected, then one cancelled: the chat stays with its agent; then back to the queue for another', async ({ shop, stack, actors }) => {
  const loginA = await stack.newAgent([shop.channelId], 'Lotte Meijer');
  const loginB = await stack.newAgent([shop.channelId], 'Sam de Vries');
  const customer = await actors.customer(shop);
  const a = await actors.agent(loginA);
  const b = await actors.agent(loginB);
  await b.signIn();
  await chatting(customer, a, 'Nina Dekker', 'Do you sell helmets?');

  await openTransfer(a);
  await a.page.getByTestId('transfer-target').filter({ hasText: 'Sam de Vries' }).click();
  await a.page.getByTestId('transfer-send').click();
  await b.page.getByTestId('transfer-reject').click();
  await expect(b.page.getByTestId('incoming-transfer')).toHaveCount(0);
  await expect(a.page.getByTestId('notice')).toContainText('Sam de Vries rejected the transfer');
  await expect(a.page.getByTestId('transfer-pending')).toHaveCount(0);
  await expect(a.composer()).toBeVisible();

  await openTransfer(a);
  await a.page.getByTestId('transfer-target').filter({ hasText: 'Sam de Vries' }).click();
  await a.page.getByTestId('transfer-send').click();
  await expect(b.page.getByTestId('incoming-transfer')).toBeVisible();
  await a.page.getByTestId('transfer-cancel').click();
  await expect(b.page.getByTestId('incoming-transfer')).toHaveCount(0);
  await expect(b.page.getByTestId('notice')).toContainText('was withdrawn');
  await expect(a.page.getByTestId('transfer-pending')).toHaveCount(0);

  await a.send('Yes, we have helmets in every size.');
  await expect(customer.messages('Yes, we have helmets in every size.', 'agent')).toHaveCount(1);
  await expect(customer.messages(undefined, 'system')).toHaveCount(1);
  await expect(customer.agentName()).toHaveText('Lotte Meijer');
  await expect(b.chatItems()).toHaveCount(0);

  // Transfer to channel: back at the front of the queue, where another agent takes it.
  await a.page.getByTestId('task-menu').click();
  await a.page.getByTestId('transfer-channel-open').click();
  await expect(a.page.getByTestId('transfer-channel-dialog')).toBeVisible();
  await a.page.getByTestId('transfer-send').click();
  await expect(a.chatItems()).toHaveCount(0);
  await expect(b.queueItems()).toHaveCount(1);
  await b.getNext();
  await expect(b.composer()).toBeVisible();
  await expect(customer.messages('Sam de Vries joined the chat.', 'system')).toHaveCount(1);
  await expect(customer.agentName()).toHaveText('Sam de Vries');
});

test('listening in silently, a note from the listener, then a manager takes over', async ({ shop, stack, actors }) => {
  const loginA = await stack.newAgent([shop.channelId], 'Lotte Meijer');
  const loginM = await stack.newAgent([shop.channelId], 'Mira Jansen');
  await stack.loket.ctx.db.updateTable('channel_agents').set({ manager: 1, can_listen: 1 }).where('agent_id', '=', loginM.id).execute();
  const customer = await actors.customer(shop);
  const a = await actors.agent(loginA);
  const m = await actors.agent(loginM, { bypassCSP: true });
  await chatting(customer, a, 'Nina Dekker', 'Where is my order?');

  await m.signIn();
  const team = m.page.getByTestId('team-chat').filter({ hasText: 'Nina Dekker' });
  await expect(team).toContainText('Lotte Meijer');
  await team.getByTestId('listen-in').click();
  await expect(m.page.getByTestId('listening')).toBeVisible();
  await expect(m.messages('Hello, I am looking into it.', 'agent')).toHaveCount(1);
  // Read-only for the customer: no composer, only the note composer.
  await expect(m.composer()).toHaveCount(0);
  await expect(m.page.getByTestId('note-composer')).toBeVisible();
  await axeClean(m, 'console: listening view');

  await customer.send('It has been a week.');
  await expect(m.messages('It has been a week.', 'visitor')).toHaveCount(1);
  await m.page.getByTestId('note-composer').fill('Check the carrier first');
  await m.page.getByTestId('note-send').click();
  await expect(a.page.getByTestId('note').filter({ hasText: 'Check the carrier first' })).toBeVisible();
  await expect(customer.frame.getByText('Check the carrier first')).toHaveCount(0);
  // The customer was told nothing of the listener.
  await expect(customer.messages(undefined, 'system')).toHaveCount(1);

  await m.page.getByTestId('take-over').click();
  await expect(m.composer()).toBeVisible();
  await expect(m.page.getByTestId('listening')).toHaveCount(0);
  await expect(a.page.getByTestId('notice')).toContainText('Mira Jansen took over your chat with Nina Dekker');
  await expect(a.chatItems()).toHaveCount(0);
  await expect(customer.messages('Mira Jansen joined the chat.', 'system')).toHaveCount(1);
  await m.send('Your parcel is with the carrier, arriving tomorrow.');
  await expect(customer.messages('Your parcel is with the carrier, arriving tomorrow.', 'agent')).toHaveCount(1);
});
