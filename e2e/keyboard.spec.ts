import type { Frame, Page } from '@playwright/test';
import { expect, test } from './support/fixtures.js';
import { DNS_TEST_ZONES } from './support/stack.js';

interface Focused {
  testid: string | null;
  tag: string;
  /** A visible focus indicator: an outline or a box-shadow ring. */
  ring: boolean;
}

/** What has the keyboard focus in a document (the launcher lives in a shadow root) and whether it shows it. */
async function focused(target: Page | Frame): Promise<Focused> {
  return target.evaluate(() => {
    let el: Element | null = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    if (!el) return { testid: null, tag: '', ring: false };
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
    const shadow = style.boxShadow !== 'none' && style.boxShadow !== '';
    return { testid: el.getAttribute('data-testid'), tag: el.tagName.toLowerCase(), ring: outline || shadow };
  });
}

async function expectFocus(target: Page | Frame, testid: string): Promise<void> {
  await expect.poll(async () => (await focused(target)).testid, { message: `focus on ${testid}` }).toBe(testid);
  expect((await focused(target)).ring, `${testid} shows a visible focus indicator`).toBe(true);
}

/** Presses `key` until the element with `testid` has the focus (at most `max` times), checking the ring on the way. */
async function tabTo(page: Page, target: Page | Frame, testid: string, key = 'Tab', max = 25): Promise<void> {
  for (let i = 0; i < max; i += 1) {
    const now = await focused(target);
    if (now.testid === testid) {
      expect(now.ring, `${testid} shows a visible focus indicator`).toBe(true);
      return;
    }
    await page.keyboard.press(key);
  }
  throw new Error(`${key} never reached ${testid}; focus is on ${JSON.stringify(await focused(target))}`);
}

test('a customer chats from start to end with the keyboard alone, and new messages are announced', async ({ shop, stack, actors }) => {
  const login = await stack.newAgent([shop.channelId], 'Kim Keyboard');
  const agent = await actors.agent(login);
  const customer = await actors.customer(shop);
  const page = customer.page;
  await customer.goto();
  await expect(customer.launcher).toBeVisible();

  // Tab from the top of the shop page to the chat icon and open it with Enter.
  await tabTo(page, page, 'loket-launcher');
  await page.keyboard.press('Enter');
  await expect(page.locator('[data-testid="loket-frame"]')).toBeVisible();
  const frame = await customer.windowFrame();

  // The focus moves into the chat window, onto the first field; Tab walks the form, Enter submits it.
  await expectFocus(frame, 'field-name');
  await page.keyboard.type('Kees Toetsenbord');
  await tabTo(page, frame, 'field-email');
  await page.keyboard.type(`kees@${DNS_TEST_ZONES.mx}`);
  await page.keyboard.press('Enter');
  await expectFocus(frame, 'question');
  await page.keyboard.type('Can I change my delivery address?');
  await page.keyboard.press('Enter');
  await expect(customer.messages('Can I change my delivery address?')).toHaveCount(1);
  await expect(customer.queueMessage()).toBeVisible();

  await agent.signIn();
  await expect(agent.queueItems()).toHaveCount(1);
  await agent.queueItems().first().click();
  await agent.page.getByTestId('take-chat').click();
  await agent.send('Yes, until the parcel has left our warehouse.');

  // New messages land in a polite live region, so screen readers read them out without moving the focus.
  const log = customer.frame.locator('[role="log"][aria-live="polite"]');
  await expect(log.getByText('Yes, until the parcel has left our warehouse.')).toHaveCount(1);
  await expect(customer.agentName()).toHaveText('Kim Keyboard');

  // Reply from the composer with Enter.
  await tabTo(page, frame, 'composer');
  await page.keyboard.type('Great, thank you!');
  await page.keyboard.press('Enter');
  await expect(agent.messages('Great, thank you!')).toHaveCount(1);

  // End the chat: reach the button, confirm in the dialog (which takes the focus), all by keyboard.
  await tabTo(page, frame, 'end-chat', 'Shift+Tab');
  await page.keyboard.press('Enter');
  await expect(customer.frame.getByTestId('confirm-end')).toBeVisible();
  const inDialog = await frame.evaluate(() => document.activeElement?.closest('dialog') !== null);
  expect(inDialog, 'the confirmation dialog has the focus').toBe(true);
  await tabTo(page, frame, 'confirm-end');
  await page.keyboard.press('Enter');
  await expect(customer.frame.getByTestId('postchat')).toBeVisible();

  // Escape closes the chat window and gives the focus back to the chat icon on the shop page.
  await page.keyboard.press('Escape');
  await expect(page.locator('[data-testid="loket-frame"]')).toBeHidden();
  await expectFocus(page, 'loket-launcher');
});
