import { expect, type Locator, type Page } from '@playwright/test';
import type { AgentLogin } from './stack.js';

/** An agent in the console at http://localhost:<port>/console/. */
export class AgentConsole {
  constructor(
    readonly page: Page,
    readonly url: string,
    readonly login: AgentLogin,
  ) {}

  get context() {
    return this.page.context();
  }

  async signIn(): Promise<void> {
    await this.page.goto(this.url);
    await this.page.getByTestId('login-email').fill(this.login.email);
    await this.page.getByTestId('login-password').fill(this.login.password);
    await this.page.getByTestId('login-submit').click();
    await expect(this.page.getByTestId('presence-toggle')).toHaveAttribute('data-presence', 'present');
  }

  queueCount(): Locator {
    return this.page.getByTestId('queue-count');
  }

  queueItems(): Locator {
    return this.page.getByTestId('queue-item');
  }

  async getNext(): Promise<void> {
    await this.page.getByTestId('get-next').click();
  }

  chatItems(): Locator {
    return this.page.getByTestId('chat-item');
  }

  /** Message bubbles in the open conversation containing `text`. */
  messages(text?: string, author?: 'visitor' | 'agent'): Locator {
    const all = this.page.locator(author ? `[data-testid="message"][data-author="${author}"]` : '[data-testid="message"]');
    return text === undefined ? all : all.filter({ hasText: text });
  }

  composer(): Locator {
    return this.page.getByTestId('composer');
  }

  async send(text: string): Promise<void> {
    const box = this.composer();
    await box.fill(text);
    await box.press('Enter');
    await expect(box).toHaveValue('');
  }

  typing(): Locator {
    return this.page.getByTestId('typing');
  }

  async endChat(): Promise<void> {
    await this.page.getByTestId('task-menu').click();
    await this.page.getByTestId('end-chat').click();
    await this.page.getByTestId('confirm-end').click();
  }

  ended(): Locator {
    return this.page.getByTestId('chat-ended');
  }

  /** The composer's "Insert FAQ link" search (issue 6). */
  faqPicker(): Locator {
    return this.page.getByTestId('faq-picker');
  }

  faqPickerOptions(): Locator {
    return this.page.getByTestId('faq-picker-option');
  }

  /** "Seen by …" under the agent's last message the customer has seen. */
  seenMark(): Locator {
    return this.page.getByTestId('seen');
  }

  /** The notice that the customer left the page (absent while they are on it). */
  visitorPresence(): Locator {
    return this.page.getByTestId('visitor-left');
  }

  /** Task menu › Create request: the dialog, open. */
  async openCreateRequest(): Promise<Locator> {
    await this.page.getByTestId('task-menu').click();
    await this.page.getByTestId('create-request').click();
    const dialog = this.page.getByTestId('chat-request-dialog');
    await expect(dialog).toBeVisible();
    return dialog;
  }
}

/** A request ID (REQUEST_PUBLIC_ID_PATTERN) inside a text. */
export const REQUEST_ID_IN_TEXT = /LK-\d{4}-[2-9A-HJKMNP-Z]{3}/;
