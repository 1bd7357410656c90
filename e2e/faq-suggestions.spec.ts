import type { Faq } from '@loket/protocol';
import { newAdmin } from './support/admin.js';
import { audit, describeFindings } from './support/axe.js';
import { KnowledgeBaseApi, faqInput, suggestedQuestions, suggestion, suggestionsView, thanksView, waitingSuggestions } from './support/faq.js';
import { expect, test } from './support/fixtures.js';
import { DNS_TEST_ZONES, type Shop, type Stack } from './support/stack.js';
import type { Customer } from './support/widget.js';

/**
 * Issue 6: FAQ suggestions between the question and the queue. Every test has its own folder and points its own
 * channel at it, so FAQs of other tests (the stack is shared) are never suggested.
 */

const QUESTION = 'How can I return my bicycle and get a refund?';

interface ReturnsKb {
  api: KnowledgeBaseApi;
  /** Published, for everyone: the ones the customer may get. */
  visible: Faq[];
  /** Match the question better than any visible one, but must never be suggested. */
  unpublished: Faq;
  loginOnly: Faq;
}

let folders = 0;

/** A folder of FAQs about returns (plus one off-topic), suggested by the shop's channel. */
async function returnsKnowledgeBase(stack: Stack, shop: Shop): Promise<ReturnsKb> {
  const api = await KnowledgeBaseApi.signIn(stack, await newAdmin(stack));
  const folder = await api.createFolder(`Returns ${++folders} ${shop.channelKey}`);
  const faq = (question: string, answer: string, extra = {}) => api.createFaq(faqInput(folder.id, question, answer, { keywords: ['returns'], ...extra }));
  const visible = [
    await faq('How do I return my bicycle for a refund?', 'Pack the bicycle in its box, print the **return label** from your account and drop it off at any post office.'),
    await faq('When do I get my refund after returning a bicycle?', 'We refund within 14 days after the returned bicycle reaches our warehouse.'),
    await faq('Can I return a bicycle I bought on sale and get a refund?', 'Yes: sale items can be returned within 30 days, like everything else.'),
  ];
  await faq('What are your opening hours?', 'Monday to Saturday, 9:00 to 18:00.', { keywords: [] });
  const unpublished = await faq(QUESTION, 'Draft: not ready yet.', { published: false });
  const loginOnly = await faq(`${QUESTION} (business customers)`, 'Business customers: use the returns portal.', { visibility: 'logged_in' });
  await api.suggestFrom(shop.channelId, folder.id);
  return { api, visible, unpublished, loginOnly };
}

/** Shop page → chat window → details → the question with ENTER. */
async function askQuestion(customer: Customer, name: string, question: string): Promise<void> {
  await customer.goto();
  await customer.openWindow();
  await customer.submitDetails(name, `${name.toLowerCase().replace(/[^a-z]+/g, '.')}@${DNS_TEST_ZONES.mx}`);
  await customer.ask(question);
}

async function chatsOf(stack: Stack, shop: Shop): Promise<number> {
  const rows = await stack.loket.ctx.db.selectFrom('chats').select('id').where('channel_id', '=', shop.channelId).execute();
  return rows.length;
}

test.describe('FAQ suggestions before the chat', () => {
  test('answered by an FAQ: its page opens in a new tab, the deflection is counted, no chat is made', async ({ shop, stack, actors }) => {
    const kb = await returnsKnowledgeBase(stack, shop);
    const customer = await actors.customer(shop, { bypassCSP: true });

    await askQuestion(customer, 'Rosa Bakker', QUESTION);
    const view = suggestionsView(customer);
    await expect(view).toBeVisible();
    // Focus goes to the heading, which says how many answers there are.
    const heading = view.getByRole('heading', { level: 2 });
    await expect(heading).toBeFocused();
    await expect(heading).toHaveText('These 3 answers may help');
    // The three public ones; the unpublished and the login-only FAQ match better but are never offered.
    expect((await suggestedQuestions(view)).sort()).toEqual(kb.visible.map((f) => f.question).sort());
    for (const hidden of [kb.unpublished, kb.loginOnly]) await expect(view.locator(`[data-faq-id="${hidden.id}"]`)).toHaveCount(0);
    await expect(customer.messages()).toHaveCount(0);
    const frame = await customer.windowFrame();
    let findings = await audit(frame, 'widget: FAQ suggestions');
    expect(findings, describeFindings(findings)).toEqual([]);

    // Each suggestion opens its public page in a new tab, without a handle back to the chat window.
    const chosen = kb.visible[1] as Faq;
    const link = suggestion(customer, chosen.question).getByRole('link');
    await expect(link).toHaveAttribute('target', '_blank');
    await expect(link).toHaveAttribute('rel', 'noopener noreferrer');
    await expect(link).toHaveAccessibleName(new RegExp(`^${chosen.question.replace(/[?.]/g, '\\$&')}.*new tab`));
    const [page] = await Promise.all([customer.context.waitForEvent('page'), link.click()]);
    await page.waitForLoadState();
    expect(page.url()).toBe(chosen.url);
    expect(new URL(page.url()).pathname).toMatch(new RegExp(`^/help/faq/${chosen.id}/`));
    await expect(page.locator('h1')).toHaveText(chosen.question);
    expect(await page.evaluate(() => window.opener)).toBeNull();
    await page.close();

    // "This answered my question" for that FAQ: a thank-you, and it is done.
    await suggestion(customer, chosen.question).getByTestId('faq-answered').click();
    const thanks = thanksView(customer);
    await expect(thanks).toBeVisible();
    await expect(thanks.getByRole('heading', { level: 2 })).toBeFocused();
    await expect(view).toHaveCount(0);
    findings = await audit(frame, 'widget: FAQ thank-you');
    expect(findings, describeFindings(findings)).toEqual([]);

    await expect.poll(async () => (await kb.api.getFaq(chosen.id)).deflections).toBe(1);
    for (const other of kb.visible.filter((f) => f.id !== chosen.id)) expect((await kb.api.getFaq(other.id)).deflections).toBe(0);
    // No chat reached any queue.
    expect(await chatsOf(stack, shop)).toBe(0);

    // Another question starts from an empty form; the details are not asked again.
    await thanks.getByTestId('faq-ask-another').click();
    await expect(customer.frame.getByTestId('question')).toHaveValue('');
    await expect(customer.frame.getByTestId('question')).toBeFocused();
    await expect(customer.field('email')).toHaveCount(0);
  });

  test('chat started after the suggestions: the question is its first message, the suggestions stay at hand', async ({ shop, stack, actors }) => {
    const kb = await returnsKnowledgeBase(stack, shop);
    const login = await stack.newAgent([shop.channelId], 'Sem Visser');
    const customer = await actors.customer(shop, { bypassCSP: true });
    const agent = await actors.agent(login);

    await askQuestion(customer, 'Daan Smit', QUESTION);
    const view = suggestionsView(customer);
    await expect(view.getByRole('heading', { level: 2 })).toBeFocused();

    // Keyboard only: Tab through the suggestions to "Start chat" and press Enter.
    const start = view.getByTestId('faq-start-chat');
    for (let i = 0; i < 10 && !(await start.evaluate((el) => el === document.activeElement)); i++) await customer.page.keyboard.press('Tab');
    await expect(start).toBeFocused();
    await customer.page.keyboard.press('Enter');

    await expect(customer.messages(QUESTION, 'visitor')).toHaveCount(1);
    await expect(customer.queueMessage()).toContainText('number 1 in the queue');
    expect(await chatsOf(stack, shop)).toBe(1);

    // While waiting, the same suggestions are one click away.
    const waiting = waitingSuggestions(customer);
    await expect(waiting).toBeVisible();
    await waiting.locator('summary').click();
    expect((await suggestedQuestions(waiting)).sort()).toEqual(kb.visible.map((f) => f.question).sort());
    for (const faq of kb.visible) await expect(waiting.getByRole('link', { name: faq.question })).toHaveAttribute('href', faq.url);
    const findings = await audit(await customer.windowFrame(), 'widget: waiting with the suggestions open');
    expect(findings, describeFindings(findings)).toEqual([]);

    // The agent gets the chat with the question, not retyped, as its first message.
    await agent.signIn();
    await expect(agent.queueItems()).toHaveCount(1);
    await expect(agent.queueItems().first()).toContainText(QUESTION);
    await agent.getNext();
    await expect(agent.messages(undefined, 'visitor').first()).toHaveText(new RegExp(QUESTION.replace(/[?.]/g, '\\$&')));
    await expect(agent.messages(QUESTION, 'visitor')).toHaveCount(1);

    // Once an agent has it, the chat is no longer waiting: the suggestions step aside.
    await expect(customer.agentName()).toHaveText('Sem Visser');
    await expect(waiting).toHaveCount(0);
  });

  test('nothing relevant: straight to the queue, no suggestions view', async ({ shop, stack, actors }) => {
    await returnsKnowledgeBase(stack, shop);
    const customer = await actors.customer(shop);
    const question = 'Do you sell gift vouchers for birthdays?';

    const asked = customer.page.waitForResponse((r) => r.url().endsWith('/faq-suggestions'));
    await askQuestion(customer, 'Noor de Wit', question);
    // Suggestions were asked for, and there were none.
    const response = await asked;
    expect(await response.json()).toEqual({ suggestions: [] });

    await expect(customer.messages(question, 'visitor')).toHaveCount(1);
    await expect(customer.queueMessage()).toBeVisible();
    await expect(suggestionsView(customer)).toHaveCount(0);
    await expect(waitingSuggestions(customer)).toHaveCount(0);
    expect(await chatsOf(stack, shop)).toBe(1);
  });

  test('suggestions that fail to arrive never keep the customer from the queue', async ({ shop, stack, actors }) => {
    await returnsKnowledgeBase(stack, shop);
    const customer = await actors.customer(shop);
    await customer.context.route('**/faq-suggestions', (route) => route.abort('connectionreset'));

    await askQuestion(customer, 'Lotte Mulder', QUESTION);
    await expect(customer.messages(QUESTION, 'visitor')).toHaveCount(1);
    await expect(customer.queueMessage()).toBeVisible();
    await expect(suggestionsView(customer)).toHaveCount(0);
    expect(await chatsOf(stack, shop)).toBe(1);
  });
});
