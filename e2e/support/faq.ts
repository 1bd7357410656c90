import { expect, type Locator } from '@playwright/test';
import {
  AdminChannelListSchema,
  AdminChannelSchema,
  FaqFolderSchema,
  FaqSchema,
  type AdminChannel,
  type Faq,
  type FaqFolder,
  type FaqInput,
} from '@loket/protocol';
import type { AgentLogin, Stack } from './stack.js';
import type { Customer } from './widget.js';

/**
 * The knowledge base (issue 6) set up the way an administrator's console does it: through the admin API, signed in
 * as `login` (session cookie + CSRF token), every answer parsed with the protocol's schemas.
 */
export class KnowledgeBaseApi {
  private constructor(
    private readonly baseUrl: string,
    private readonly cookie: string,
    private readonly csrfToken: string,
  ) {}

  static async signIn(stack: Stack, login: AgentLogin): Promise<KnowledgeBaseApi> {
    const res = await fetch(`${stack.loketUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: login.email, password: login.password }),
    });
    if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const { csrfToken } = (await res.json()) as { csrfToken: string };
    return new KnowledgeBaseApi(stack.loketUrl, cookie, csrfToken);
  }

  private async call<T>(method: string, path: string, schema: { parse(v: unknown): T }, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { cookie: this.cookie };
    if (method !== 'GET') headers['x-csrf-token'] = this.csrfToken;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${this.baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return schema.parse(JSON.parse(text));
  }

  createFolder(name: string, parentId: string | null = null): Promise<FaqFolder> {
    return this.call('POST', '/api/admin/faq-folders', FaqFolderSchema, { name, parentId });
  }

  createFaq(input: FaqInput): Promise<Faq> {
    return this.call('POST', '/api/admin/faqs', FaqSchema, input);
  }

  getFaq(id: string): Promise<Faq> {
    return this.call('GET', `/api/admin/faqs/${encodeURIComponent(id)}`, FaqSchema);
  }

  /** Turns FAQ suggestions on for a channel (from `folderId` and its sub-folders), the rest of its form unchanged. */
  async suggestFrom(channelId: string, folderId: string | null): Promise<AdminChannel> {
    const { channels } = await this.call('GET', '/api/admin/channels', AdminChannelListSchema);
    const channel = channels.find((c) => c.id === channelId);
    if (!channel) throw new Error(`channel ${channelId} is not listed for this administrator`);
    return this.call('PUT', `/api/admin/channels/${encodeURIComponent(channelId)}/prechat`, AdminChannelSchema, {
      ...channel.prechat,
      faqSuggestions: true,
      faqFolderId: folderId,
    });
  }
}

/** An English FAQ for a test: published and public unless said otherwise. */
export function faqInput(folderId: string, question: string, answer: string, extra: Partial<FaqInput> = {}): FaqInput {
  return { folderId, language: 'en', question, answer, keywords: [], published: true, visibility: 'everyone', ...extra };
}

// ---- the customer's side, in the chat window ----

/** The suggestions view shown after ENTER on the question. */
export function suggestionsView(customer: Customer): Locator {
  return customer.frame.getByTestId('faq-suggestions');
}

/** One suggestion (link + its own "This answered my question") by the FAQ's question. */
export function suggestion(customer: Customer, question: string): Locator {
  return suggestionsView(customer).getByTestId('faq-suggestion').filter({ hasText: question });
}

/** The questions of the suggested FAQs, in the order shown. */
export async function suggestedQuestions(list: Locator): Promise<string[]> {
  const links = list.getByTestId('faq-link');
  await expect(links.first()).toBeVisible();
  // The link's text also carries the "opens in a new tab" hint and an arrow; the FAQ's question comes first.
  return links.evaluateAll((as) => as.map((a) => a.firstChild?.textContent ?? ''));
}

export function thanksView(customer: Customer): Locator {
  return customer.frame.getByTestId('faq-thanks');
}

/** The suggestions kept at hand in the chat while it waits in the queue. */
export function waitingSuggestions(customer: Customer): Locator {
  return customer.frame.getByTestId('faq-waiting');
}
