import { expect, type Frame, type FrameLocator, type Locator, type Page } from '@playwright/test';
import { DNS_TEST_ZONES, type Shop } from './stack.js';

export type VisitorMessageState = 'pending' | 'sent' | 'read';

/** A customer on the shop page, using the widget (launcher in an open shadow root, chat in a cross-origin iframe). */
export class Customer {
  readonly frame: FrameLocator;
  readonly launcher: Locator;

  constructor(
    readonly page: Page,
    readonly shop: Shop,
  ) {
    this.frame = page.frameLocator('[data-testid="loket-frame"]');
    this.launcher = page.locator('#loket-launcher-host').getByTestId('loket-launcher');
  }

  get context() {
    return this.page.context();
  }

  async goto(): Promise<void> {
    await this.page.goto(this.shop.url);
  }

  async openWindow(): Promise<void> {
    await expect(this.launcher).toBeVisible();
    await this.launcher.click();
    await expect(this.page.locator('[data-testid="loket-frame"]')).toBeVisible();
  }

  /** The chat window's Frame (for evaluating inside it), once it is loaded. */
  async windowFrame(): Promise<Frame> {
    const handle = await this.page.locator('[data-testid="loket-frame"]').elementHandle();
    const frame = await handle?.contentFrame();
    if (!frame) throw new Error('the chat window iframe has no frame');
    return frame;
  }

  field(key: string): Locator {
    return this.frame.getByTestId(`field-${key}`);
  }

  /** Fills pre-chat fields by key: text and choice fields by value, checkboxes by true/false. */
  async fillDetails(values: Record<string, string | boolean>): Promise<void> {
    for (const [key, value] of Object.entries(values)) {
      const field = this.field(key);
      if (typeof value === 'boolean') await field.setChecked(value);
      else if ((await field.evaluate((el) => el.tagName)) === 'SELECT') await field.selectOption(value);
      else await field.fill(value);
    }
  }

  /** Every field of the pre-chat form, in order. */
  formFields(): Locator {
    return this.frame.locator('form [data-testid^="field-"]');
  }

  /** Fills the pre-chat form and presses Next; does not wait for the verdict. */
  async submitDetails(name: string, email: string): Promise<void> {
    await this.field('name').fill(name);
    await this.field('email').fill(email);
    await this.frame.getByTestId('next').click();
  }

  /** Types the question and presses ENTER (which starts the chat). */
  async ask(question: string): Promise<void> {
    const box = this.frame.getByTestId('question');
    await expect(box).toBeVisible();
    await box.fill(question);
    await box.press('Enter');
  }

  /** The whole start: shop page, icon, form with a valid e-mail, question; waits until the chat is queued. */
  async startChat(name: string, question: string): Promise<void> {
    await this.goto();
    await this.openWindow();
    await this.submitDetails(name, `${name.toLowerCase().replace(/[^a-z0-9]+/g, '.')}@${DNS_TEST_ZONES.mx}`);
    await this.ask(question);
    await expect(this.messages(question)).toHaveCount(1);
  }

  queueMessage(): Locator {
    return this.frame.getByTestId('queue-message');
  }

  /** Message bubbles containing `text` (all authors unless given). */
  messages(text?: string, author?: 'visitor' | 'agent' | 'system'): Locator {
    const all = this.frame.locator(author ? `[data-testid="message"][data-author="${author}"]` : '[data-testid="message"]');
    return text === undefined ? all : all.filter({ hasText: text });
  }

  composer(): Locator {
    return this.frame.getByTestId('composer');
  }

  async send(text: string): Promise<void> {
    const box = this.composer();
    await box.fill(text);
    await box.press('Enter');
    await expect(box).toHaveValue('');
  }

  agentName(): Locator {
    return this.frame.getByTestId('agent-name');
  }

  typing(): Locator {
    return this.frame.getByTestId('typing');
  }

  /** The customer's own message with `text`, checked for its delivery state. */
  async expectState(text: string, state: VisitorMessageState): Promise<void> {
    await expect(this.messages(text, 'visitor')).toHaveAttribute('data-state', state);
  }

  async endChat(): Promise<void> {
    await this.frame.getByTestId('end-chat').click();
    await this.frame.getByTestId('confirm-end').click();
  }

  ended(): Locator {
    return this.frame.getByTestId('chat-ended');
  }
}
