import {
  ErrorBodySchema,
  EmailCheckResultSchema,
  FaqAnswerSchema,
  FaqSuggestionsSchema,
  RequestCreatedSchema,
  StartChatResultSchema,
  WidgetConfigSchema,
  type ErrorCode,
  type FaqAnswer,
  type FaqDeflectionInput,
  type FaqSuggestInput,
  type FaqSuggestions,
  type RequestCreated,
  type RequestInput,
  type StartChatInput,
  type StartChatResult,
  type WidgetConfig,
} from '@loket/protocol';
import { backoffDelay } from './backoff.js';
import { errorText, type Translate } from './i18n.js';

export interface ApiError {
  code: ErrorCode;
  /** In the visitor's language: ours (see errorText), else the server's. */
  message: string;
  field: string | undefined;
  /** The request may succeed if repeated (network down, server restarting). */
  retryable: boolean;
}
export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ApiError };

interface Parser<T> {
  safeParse(data: unknown): { success: true; data: T } | { success: false };
}

const base = (channel: string): string => `/api/widget/channels/${encodeURIComponent(channel)}`;

async function request<T>(url: string, init: RequestInit, schema: Parser<T>, t: Translate, timeoutMs = 15_000): Promise<ApiResult<T>> {
  const networkError: ApiResult<T> = {
    ok: false,
    error: { code: 'unavailable', message: t('errNetwork'), field: undefined, retryable: true },
  };
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  let res: Response;
  let body: unknown;
  try {
    res = await fetch(url, { ...init, signal: abort.signal, credentials: 'same-origin' });
    body = await res.json().catch(() => undefined);
  } catch {
    return networkError;
  } finally {
    clearTimeout(timer);
  }
  if (res.ok) {
    const parsed = schema.safeParse(body);
    if (parsed.success) return { ok: true, value: parsed.data };
    console.warn('Loket: unexpected response from', url);
    return networkError;
  }
  const err = ErrorBodySchema.safeParse(body);
  if (!err.success) return res.status >= 500 ? networkError : { ok: false, error: { code: 'bad_request', message: t('errUnavailable'), field: undefined, retryable: false } };
  const { code, message, field } = err.data.error;
  return { ok: false, error: { code, message: errorText(t, code, message), field, retryable: res.status >= 500 || code === 'rate_limited' } };
}

const json = (body: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

export function fetchConfig(channel: string, t: Translate): Promise<ApiResult<WidgetConfig>> {
  return request(base(channel), { method: 'GET' }, WidgetConfigSchema, t);
}

/** The server looks the domain up in DNS (up to ~3 s), hence the generous timeout. */
export function checkEmail(channel: string, email: string, t: Translate): Promise<ApiResult<{ ok: true }>> {
  return request(`${base(channel)}/email-check`, json({ email }), EmailCheckResultSchema, t, 12_000);
}

/**
 * Starts the chat. Safe to retry: the server returns the same chat for the same token, so
 * network errors and 5xx are retried a few times before giving up.
 */
export async function startChat(channel: string, input: StartChatInput, t: Translate): Promise<ApiResult<StartChatResult>> {
  for (let attempt = 0; ; attempt++) {
    const result = await request(`${base(channel)}/chats`, json(input), StartChatResultSchema, t);
    if (result.ok || !result.error.retryable || attempt >= 4) return result;
    await new Promise((r) => setTimeout(r, backoffDelay(attempt)));
  }
}

/**
 * FAQs that may answer the question before a chat starts. Short timeout: a slow search must never keep the
 * customer from chatting (any failure means "start the chat").
 */
export function fetchFaqSuggestions(channel: string, input: FaqSuggestInput, t: Translate): Promise<ApiResult<FaqSuggestions>> {
  return request(`${base(channel)}/faq-suggestions`, json(input), FaqSuggestionsSchema, t, 2500);
}

/** The answer carries nothing the widget needs: any 2xx counts. */
const anyBody: Parser<undefined> = { safeParse: () => ({ success: true, data: undefined }) };

/**
 * "This answered my question". Nobody waits for it, so a few retries with the same requestId (the server counts
 * it once); keepalive lets it finish when the page is closed right after.
 */
export async function recordDeflection(channel: string, input: FaqDeflectionInput, t: Translate): Promise<boolean> {
  for (let attempt = 0; ; attempt++) {
    const result = await request(`${base(channel)}/faq-deflections`, { ...json(input), keepalive: true }, anyBody, t);
    if (result.ok || !result.error.retryable || attempt >= 3) return result.ok;
    await new Promise((r) => setTimeout(r, backoffDelay(attempt)));
  }
}

/** Leaves a request (offline form). Safe to retry: the same requestKey returns the same request. */
export async function createRequest(channel: string, input: RequestInput, t: Translate): Promise<ApiResult<RequestCreated>> {
  for (let attempt = 0; ; attempt++) {
    const result = await request(`${base(channel)}/requests`, json(input), RequestCreatedSchema, t);
    if (result.ok || !result.error.retryable || result.error.code === 'rate_limited' || attempt >= 3) return result;
    await new Promise((r) => setTimeout(r, backoffDelay(attempt)));
  }
}

const faqAnswers = new Map<string, Promise<FaqAnswer | null>>();

/** An FAQ an agent linked in the chat, for its card and its answer; null when the public may not see it. Asked once. */
export function fetchFaqAnswer(id: string, t: Translate): Promise<FaqAnswer | null> {
  let answer = faqAnswers.get(id);
  if (!answer) {
    answer = request(`/api/widget/faqs/${encodeURIComponent(id)}`, { method: 'GET' }, FaqAnswerSchema, t).then((r) => {
      if (!r.ok && r.error.retryable) faqAnswers.delete(id);
      return r.ok ? r.value : null;
    });
    faqAnswers.set(id, answer);
  }
  return answer;
}
