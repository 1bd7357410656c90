import {
  ChatEventsResultSchema,
  ErrorBodySchema,
  SessionSchema,
  type ChatEvent,
  type ErrorCode,
  type LoginInput,
  type Session,
} from '@loket/protocol';

/** A refusal by the server (with its stable code), as opposed to the network failing. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | null,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

interface ParseableSchema<T> {
  safeParse(data: unknown): { success: true; data: T } | { success: false };
}

/**
 * Thin same-origin HTTP client. The CSRF token from the session goes on every non-GET request;
 * the chosen UI language goes in Accept-Language so server messages match the UI.
 */
export class Api {
  csrfToken: string | null = null;

  constructor(
    private readonly language: () => string,
    private readonly base = '',
  ) {}

  private async request<T>(method: string, path: string, schema: ParseableSchema<T> | null, body?: unknown): Promise<T | null> {
    const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': this.language() };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (method !== 'GET' && this.csrfToken) headers['X-CSRF-Token'] = this.csrfToken;
    const res = await fetch(this.base + path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? null : JSON.stringify(body),
    });
    if (!res.ok) throw await toApiError(res);
    if (schema === null || res.status === 204) return null;
    const parsed = schema.safeParse(await res.json());
    if (!parsed.success) throw new ApiError(res.status, null, `Unexpected response from ${path}`);
    return parsed.data;
  }

  /** The current session, or null when not signed in. */
  async session(): Promise<Session | null> {
    try {
      const session = await this.request('GET', '/api/auth/session', SessionSchema);
      this.csrfToken = session?.csrfToken ?? null;
      return session;
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) return null;
      throw err;
    }
  }

  async login(input: LoginInput): Promise<Session> {
    const session = await this.request('POST', '/api/auth/login', SessionSchema, input);
    if (!session) throw new ApiError(500, null, 'Empty login response');
    this.csrfToken = session.csrfToken;
    return session;
  }

  async logout(): Promise<void> {
    try {
      await this.request('POST', '/api/auth/logout', null, {});
    } finally {
      this.csrfToken = null;
    }
  }

  async chatEvents(chatId: string, after: number): Promise<ChatEvent[]> {
    const result = await this.request('GET', `/api/chats/${encodeURIComponent(chatId)}/events?after=${after}`, ChatEventsResultSchema);
    return result?.events ?? [];
  }
}

async function toApiError(res: Response): Promise<ApiError> {
  let data: unknown = null;
  try {
    data = await res.json();
  } catch {
    // Not JSON (e.g. a proxy's error page): the status alone has to do.
  }
  const parsed = ErrorBodySchema.safeParse(data);
  if (parsed.success) return new ApiError(res.status, parsed.data.error.code, parsed.data.error.message);
  return new ApiError(res.status, null, res.statusText || `HTTP ${res.status}`);
}
