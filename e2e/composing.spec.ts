import { seedFaq } from './support/admin.js';
import { audit, describeFindings, type Finding } from './support/axe.js';
import { expect, test, type Actors } from './support/fixtures.js';
import type { Shop, Stack } from './support/stack.js';

/**
 * Composing (issue 13, docs/quick-replies.md): quick replies through `/` with the keyboard only, emoji on both sides,
 * clickable links (and a `javascript:` one that is not), an FAQ card read inside the chat window. axe-clean states.
 */
/** A customer and an agent in a chat the agent has taken, both audit-ready (CSP bypassed so axe can be injected). */
async function inChat(stack: Stack, shop: Shop, actors: Actors, agentName: string, customerName: string, question: string) {
  const agent = await actors.agent(await stack.newAgent([shop.channelId], agentName), { bypassCSP: true });
  const customer = await actors.customer(shop, { bypassCSP: true });
  await customer.startChat(customerName, question);
  await agent.signIn();
  await agent.getNext();
  await expect(customer.agentName()).toHaveText(agentName);
  return { agent, customer };
}

test.describe('composing', () => {
  test('an agent saves a quick reply and inserts it with / and the keyboard only, filled for the chat', async ({ shop, stack, actors }) => {
    const login = await stack.newAgent([shop.channelId], 'Anna de Vries');
    const agent = await actors.agent(login, { bypassCSP: true });
    const customer = await actors.customer(shop);
    const { page } = agent;
    const findings: Finding[] = [];

    // The profile page: a personal quick reply with variables; a duplicate shortcut is refused with a clear error.
    await agent.signIn();
    await page.getByTestId('profile-link').click();
    const mine = page.locator('[data-testid="quick-reply-group"][data-channel=""]');
    await mine.getByTestId('quick-reply-add').click();
    await expect(mine.getByTestId('quick-reply-shortcut')).toBeFocused();
    await page.keyboard.type('greet');
    await mine.getByTestId('quick-reply-text').fill('Hello {{customer.name}}, I am {{agent.name}} of {{channel.name}}.');
    await page.keyboard.press('Tab');
    await expect(mine.getByTestId('quick-reply-save')).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(mine.getByTestId('quick-reply')).toHaveCount(1);
    await expect(page.getByTestId('quick-replies-status')).toHaveText('Quick reply saved.');
    await mine.getByTestId('quick-reply-add').click();
    // The new row takes the focus after a render: typing before that would go elsewhere.
    await expect(mine.getByTestId('quick-reply-shortcut')).toBeFocused();
    await page.keyboard.type('GREET');
    await mine.getByTestId('quick-reply-text').fill('Again');
    await mine.getByTestId('quick-reply-save').click();
    await expect(mine.getByTestId('quick-reply-error')).toHaveText(/already a quick reply with this shortcut/);
    await expect(mine.getByTestId('quick-reply-shortcut')).toBeFocused();
    await expect(mine.getByTestId('quick-reply-shortcut')).toHaveAttribute('aria-invalid', 'true');
    findings.push(...(await audit(page, 'console: quick replies with an error')));

    await customer.startChat('Carla Jansen', 'Where is my parcel?');
    await page.goto(agent.url);
    await agent.getNext();
    await expect(agent.messages('Where is my parcel?', 'visitor')).toHaveCount(1);

    const composer = agent.composer();
    await expect(composer).toBeFocused();
    await page.keyboard.type('Hi! /gr');
    const options = page.getByTestId('snippet-option');
    await expect(options).toHaveCount(1);
    await expect(options.first()).toContainText('/greet');
    await expect(composer).toHaveAttribute('aria-expanded', 'true');
    await expect(composer).toHaveAttribute('aria-activedescendant', (await options.first().getAttribute('id')) ?? 'missing');
    findings.push(...(await audit(page, 'console: / picker open')));

    // Escape closes it and leaves the text alone; typing on in another word opens it again.
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('snippet-picker')).toHaveCount(0);
    await expect(composer).toHaveValue('Hi! /gr');
    await expect(composer).toHaveAttribute('aria-expanded', 'false');
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Backspace');
    await page.keyboard.type('/');
    // A bare `/` lists everything: my quick replies first, then the reply templates in the channel's language.
    await expect(options.first()).toContainText('/greet');
    await expect(options.first()).toHaveAttribute('aria-selected', 'true');
    await expect(page.locator('[data-testid="snippet-option"][data-kind="template"]').first()).toBeVisible();
    await page.keyboard.press('ArrowDown');
    await expect(options.first()).toHaveAttribute('aria-selected', 'false');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Enter');
    const filled = `Hello Carla Jansen, I am Anna de Vries of Shop ${shop.channelKey}.`;
    await expect(composer).toHaveValue(`Hi! ${filled}`);
    await expect(page.getByTestId('snippet-picker')).toHaveCount(0);
    // Inserted, not sent: the next Enter sends.
    await page.keyboard.press('Enter');
    await expect(composer).toHaveValue('');
    await expect(customer.messages(filled, 'agent')).toHaveCount(1);
    expect(findings, describeFindings(findings)).toEqual([]);
  });

  test('emoji from the console and from the chat window, with the keyboard; clickable links on both sides', async ({ shop, stack, actors }) => {
    const { agent, customer } = await inChat(stack, shop, actors, 'Bo Agent', 'Dirk Smit', 'Hello');
    const findings: Finding[] = [];

    // Chat window: the picker is a chunk loaded on the first click; arrows move, Enter picks, Escape returns focus.
    const frame = await customer.windowFrame();
    const openEmoji = customer.frame.getByTestId('emoji-open');
    await customer.composer().fill('Thanks ');
    await openEmoji.focus();
    await customer.page.keyboard.press('Enter');
    const grid = customer.frame.getByTestId('emoji-picker');
    await expect(grid).toBeVisible();
    await expect(openEmoji).toHaveAttribute('aria-expanded', 'true');
    await expect(grid.getByRole('button', { name: '🙂' })).toBeFocused();
    findings.push(...(await audit(frame, 'widget: emoji picker')));
    await customer.page.keyboard.press('Escape');
    await expect(grid).toHaveCount(0);
    await expect(openEmoji).toBeFocused();
    await customer.page.keyboard.press('Enter');
    await expect(grid.getByRole('button', { name: '🙂' })).toBeFocused();
    await customer.page.keyboard.press('ArrowDown');
    await customer.page.keyboard.press('ArrowDown');
    await customer.page.keyboard.press('ArrowRight');
    await expect(grid.getByRole('button', { name: '👎' })).toBeFocused();
    await customer.page.keyboard.press('Enter');
    await expect(grid).toHaveCount(0);
    await expect(customer.composer()).toBeFocused();
    await expect(customer.composer()).toHaveValue('Thanks 👎');
    await customer.page.keyboard.press('Enter');
    await expect(agent.messages('Thanks 👎', 'visitor')).toHaveCount(1);

    // Console: the same with its own picker.
    const { page } = agent;
    await agent.composer().fill('Sorry to hear ');
    await page.getByTestId('emoji-open').click();
    const consoleGrid = page.getByTestId('emoji-picker');
    await expect(consoleGrid.getByRole('button', { name: '🙂' })).toBeFocused();
    findings.push(...(await audit(page, 'console: emoji picker')));
    await page.keyboard.press('End');
    await page.keyboard.press('ArrowDown');
    await expect(consoleGrid.getByRole('button', { name: '😴' })).toBeFocused();
    await page.keyboard.press('ArrowUp');
    await expect(consoleGrid.getByRole('button', { name: '🙃' })).toBeFocused();
    await page.keyboard.press('Space');
    await expect(consoleGrid).toHaveCount(0);
    await expect(agent.composer()).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(customer.messages('Sorry to hear 🙃', 'agent')).toHaveCount(1);

    // Links: http(s) and mailto become links on both sides, `javascript:` and markup stay text.
    await customer.send('My order: https://shop.example/orders/42. Also javascript:alert(1) and <b>bold</b>');
    const fromCustomer = agent.messages('My order', 'visitor');
    await expect(fromCustomer).toHaveCount(1);
    const orderLink = fromCustomer.getByRole('link', { name: 'https://shop.example/orders/42' });
    await expect(orderLink).toHaveAttribute('href', 'https://shop.example/orders/42');
    await expect(orderLink).toHaveAttribute('rel', 'noopener noreferrer nofollow');
    await expect(orderLink).toHaveAttribute('target', '_blank');
    await expect(fromCustomer.locator('a')).toHaveCount(1);
    await expect(fromCustomer.locator('b')).toHaveCount(0);
    await expect(fromCustomer).toContainText('javascript:alert(1) and <b>bold</b>');

    await agent.send(`Write to mailto:help@shop.example or see ${shop.origin}/returns (policy), not javascript:void(0)`);
    const fromAgent = customer.messages('Write to', 'agent');
    await expect(fromAgent).toHaveCount(1);
    await expect(fromAgent.locator('a')).toHaveCount(2);
    await expect(fromAgent.getByRole('link', { name: 'mailto:help@shop.example' })).toHaveAttribute('href', 'mailto:help@shop.example');
    const returns = fromAgent.getByRole('link', { name: `${shop.origin}/returns` });
    await expect(returns).toHaveAttribute('rel', 'noopener noreferrer nofollow');
    await expect(returns).toHaveAttribute('target', '_blank');
    // Clicking opens a new tab, away from the chat.
    const [tab] = await Promise.all([customer.context.waitForEvent('page'), returns.click()]);
    await tab.waitForLoadState();
    expect(tab.url()).toBe(`${shop.origin}/returns`);
    await tab.close();
    findings.push(...(await audit(frame, 'widget: messages with links')));
    expect(findings, describeFindings(findings)).toEqual([]);
  });

  test('an FAQ link from the agent is a card the customer reads inside the chat window, and goes back', async ({ shop, stack, actors }) => {
    const tag = Date.now().toString(36);
    const faq = await seedFaq(stack, { question: `Can I return a used bike ${tag}?`, answer: 'Yes, within **30 days**.\n\n- Keep the receipt\n- Bring all parts' });
    const { agent, customer } = await inChat(stack, shop, actors, 'Cas Agent', 'Eva Bakker', 'Returns?');
    const findings: Finding[] = [];

    await agent.send(`Have a look: ${faq.url}`);
    // The console shows the same card, with the title.
    await expect(agent.messages('Have a look', 'agent').getByTestId('faq-card')).toContainText(faq.question);

    const card = customer.messages('Have a look', 'agent').getByTestId('faq-card');
    await expect(card).toContainText(faq.question);
    await expect(card).toHaveAttribute('href', faq.url);
    const frame = await customer.windowFrame();
    findings.push(...(await audit(frame, 'widget: FAQ card')));

    await card.focus();
    await customer.page.keyboard.press('Enter');
    const answer = customer.frame.getByTestId('faq-answer');
    await expect(answer.getByRole('heading', { name: faq.question })).toBeVisible();
    await expect(answer.locator('strong')).toHaveText('30 days');
    await expect(customer.frame.getByRole('log')).toBeHidden();
    await expect(customer.composer()).toBeHidden();
    await expect(customer.frame.getByTestId('faq-back')).toBeFocused();
    findings.push(...(await audit(frame, 'widget: FAQ answer in the window')));

    // Back: the conversation as it was, the focus on the card it came from.
    await customer.page.keyboard.press('Enter');
    await expect(answer).toHaveCount(0);
    await expect(customer.messages('Returns?', 'visitor')).toBeVisible();
    await expect(card).toBeFocused();
    // Escape goes back too, and does not close the window.
    await card.click();
    await expect(answer).toBeVisible();
    await customer.page.keyboard.press('Escape');
    await expect(answer).toHaveCount(0);
    await expect(customer.composer()).toBeVisible();
    await customer.send('Thanks!');
    await expect(agent.messages('Thanks!', 'visitor')).toHaveCount(1);
    expect(findings, describeFindings(findings)).toEqual([]);
  });
});
