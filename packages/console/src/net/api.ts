import {
  ComposeSnippetListSchema,
  FaqAnswerSchema,
  QuickReplyListSchema,
  QuickReplySchema,
  type ComposeSnippet,
  type FaqAnswer,
  type QuickReply,
  type QuickReplyInput,
  type QuickReplyList,
  ChatRequestCreatedSchema,
  RequestDetailSchema,
  RequestListSchema,
  type RequestDetail,
  type RequestList,
  type RequestListQuery,
  type RequestStatus,
  AdminUserSchema,
  AgentSelfSchema,
  PasswordResetResultSchema,
  UserCreateResultSchema,
  UserListSchema,
  type AdminUser,
  type AgentSelf,
  type PasswordChangeInput,
  type PasswordResetResult,
  type ProfileUpdateInput,
  type UserCreateInput,
  type UserCreateResult,
  type UserUpdateInput,
  AdminChannelListSchema,
  AdminChannelSchema,
  AvailabilitySchema,
  type Availability,
  type OpeningHours,
  ChannelAgentListSchema,
  ChatEventsResultSchema,
  ErrorBodySchema,
  OutboxEmailDetailSchema,
  OutboxEmailSchema,
  OutboxListSchema,
  ReplyTemplateSchema,
  SessionSchema,
  TemplateListSchema,
  TemplatePreviewSchema,
  type AdminChannel,
  type ChannelPostchatSettings,
  type ChannelAgentInput,
  type ChannelAgentList,
  type ChannelProperties,
  ChannelFileSettingsSchema,
  type ChannelFileSettings,
  type ChannelLayoutInput,
  type ChannelPrechatInput,
  type ChannelOfflineInput,
  type FaqFolderSummary,
  FaqFolderListSchema,
  AgentFaqSearchSchema,
  FaqFolderSchema,
  FaqImportResultSchema,
  FaqListSchema,
  FaqPreviewSchema,
  FaqSchema,
  type AgentFaqHit,
  type ChatRequestCreated,
  type ChatRequestInput,
  type Faq,
  type FaqFolder,
  type FaqFolderInput,
  type FaqImportInput,
  type FaqImportResult,
  type FaqInput,
  type FaqList,
  type FaqPreview,
  type Language,
  type NewChannelInput,
  type ChatEvent,
  type EmailStatus,
  type ErrorCode,
  type LoginInput,
  type OutboxEmail,
  type OutboxEmailDetail,
  type OutboxList,
  type ReplyTemplate,
  type Session,
  type TemplateInput,
  type TemplatePreview,
  type TemplatePreviewInput,
  OngoingChatsResultSchema,
  TransferTargetsResultSchema,
  type OngoingChatsResult,
  type TransferTargetsResult,
} from '@loket/protocol';

/** A refusal by the server (with its stable code), as opposed to the network failing. */
export class ApiError extends Error {
  /** The input field the error is about (forms show it there). */
  readonly field: string | null;
  /** Untranslated technical detail, e.g. where a template's syntax is wrong. */
  readonly detail: string | null;

  constructor(
    readonly status: number,
    readonly code: ErrorCode | null,
    message: string,
    extra: { field?: string | undefined; detail?: string | undefined } = {},
  ) {
    super(message);
    this.name = 'ApiError';
    this.field = extra.field ?? null;
    this.detail = extra.detail ?? null;
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

  /** A request whose answer must have a body matching `schema`. */
  private async required<T>(method: string, path: string, schema: ParseableSchema<T>, body?: unknown): Promise<T> {
    const result = await this.request(method, path, schema, body);
    if (result === null) throw new ApiError(500, null, `Empty response from ${path}`);
    return result;
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

  // ---- working together (docs/collaboration.md); the actions themselves go over the socket ----

  ongoingChats(): Promise<OngoingChatsResult> {
    return this.required('GET', '/api/chats/ongoing', OngoingChatsResultSchema);
  }

  transferTargets(chatId: string): Promise<TransferTargetsResult> {
    return this.required('GET', `/api/chats/${encodeURIComponent(chatId)}/transfer-targets`, TransferTargetsResultSchema);
  }

  // ---- administration (role 'admin'; others get 403 forbidden) ----

  async templates(): Promise<ReplyTemplate[]> {
    return (await this.required('GET', '/api/admin/templates', TemplateListSchema)).templates;
  }

  createTemplate(input: TemplateInput): Promise<ReplyTemplate> {
    return this.required('POST', '/api/admin/templates', ReplyTemplateSchema, input);
  }

  updateTemplate(id: string, input: TemplateInput): Promise<ReplyTemplate> {
    return this.required('PUT', `/api/admin/templates/${encodeURIComponent(id)}`, ReplyTemplateSchema, input);
  }

  async deleteTemplate(id: string): Promise<void> {
    await this.request('DELETE', `/api/admin/templates/${encodeURIComponent(id)}`, null);
  }

  /** Renders with sample data without saving; 422 template_invalid names the field and the detail. */
  previewTemplate(input: TemplatePreviewInput): Promise<TemplatePreview> {
    return this.required('POST', '/api/admin/templates/preview', TemplatePreviewSchema, input);
  }

  // ---- requests (every agent: their channels'; administrators: all) ----

  requests(query: RequestListQuery): Promise<RequestList> {
    const params = new URLSearchParams(Object.entries(query).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== ''));
    const search = params.toString();
    return this.required('GET', `/api/requests${search === '' ? '' : `?${search}`}`, RequestListSchema);
  }

  requestDetail(id: string): Promise<RequestDetail> {
    return this.required('GET', `/api/requests/${encodeURIComponent(id)}`, RequestDetailSchema);
  }

  setRequestStatus(id: string, status: RequestStatus): Promise<RequestDetail> {
    return this.required('PUT', `/api/requests/${encodeURIComponent(id)}/status`, RequestDetailSchema, { status });
  }

  /** `replyKey` makes a resend after a lost answer harmless: the server sends one e-mail per key. */
  replyToRequest(id: string, input: { body: string; replyKey: string }): Promise<RequestDetail> {
    return this.required('POST', `/api/requests/${encodeURIComponent(id)}/replies`, RequestDetailSchema, input);
  }

  /** Task menu > Create request: the request and a message with its ID in the chat's language. */
  createChatRequest(chatId: string, input: ChatRequestInput): Promise<ChatRequestCreated> {
    return this.required('POST', `/api/chats/${encodeURIComponent(chatId)}/requests`, ChatRequestCreatedSchema, input);
  }

  outbox(status: EmailStatus | null): Promise<OutboxList> {
    return this.required('GET', `/api/admin/outbox${status === null ? '' : `?status=${status}`}`, OutboxListSchema);
  }

  outboxEmail(id: string): Promise<OutboxEmailDetail> {
    return this.required('GET', `/api/admin/outbox/${encodeURIComponent(id)}`, OutboxEmailDetailSchema);
  }

  retryEmail(id: string): Promise<OutboxEmail> {
    return this.required('POST', `/api/admin/outbox/${encodeURIComponent(id)}/retry`, OutboxEmailSchema, {});
  }

  /** A plain GET with the session cookie: used as the href of a download link. */
  outboxEmlUrl(id: string): string {
    return `${this.base}/api/admin/outbox/${encodeURIComponent(id)}/eml`;
  }

  async channels(): Promise<AdminChannel[]> {
    return (await this.required('GET', '/api/admin/channels', AdminChannelListSchema)).channels;
  }

  savePostchat(channelId: string, settings: ChannelPostchatSettings): Promise<AdminChannel> {
    return this.required('PUT', `/api/admin/channels/${encodeURIComponent(channelId)}/postchat`, AdminChannelSchema, settings);
  }

  createChannel(input: NewChannelInput): Promise<AdminChannel> {
    return this.required('POST', '/api/admin/channels', AdminChannelSchema, input);
  }

  savePrechat(channelId: string, input: ChannelPrechatInput): Promise<AdminChannel> {
    return this.required('PUT', `/api/admin/channels/${encodeURIComponent(channelId)}/prechat`, AdminChannelSchema, input);
  }

  saveOffline(channelId: string, input: ChannelOfflineInput): Promise<AdminChannel> {
    return this.required('PUT', `/api/admin/channels/${encodeURIComponent(channelId)}/offline`, AdminChannelSchema, input);
  }

  saveOpeningHours(channelId: string, input: OpeningHours): Promise<AdminChannel> {
    return this.required('PUT', `/api/admin/channels/${encodeURIComponent(channelId)}/opening-hours`, AdminChannelSchema, input);
  }

  previewAvailability(channelId: string, hours: OpeningHours): Promise<Availability> {
    return this.required('POST', `/api/admin/channels/${encodeURIComponent(channelId)}/availability-preview`, AvailabilitySchema, hours);
  }

  fileSettings(channelId: string): Promise<ChannelFileSettings> {
    return this.required('GET', `/api/admin/channels/${encodeURIComponent(channelId)}/files`, ChannelFileSettingsSchema);
  }

  saveFileSettings(channelId: string, input: ChannelFileSettings): Promise<ChannelFileSettings> {
    return this.required('PUT', `/api/admin/channels/${encodeURIComponent(channelId)}/files`, ChannelFileSettingsSchema, input);
  }

  channelAvailability(channelId: string): Promise<Availability> {
    return this.required('GET', `/api/admin/channels/${encodeURIComponent(channelId)}/availability`, AvailabilitySchema);
  }

  async faqFolders(): Promise<FaqFolderSummary[]> {
    return (await this.required('GET', '/api/admin/faq-folders', FaqFolderListSchema)).folders;
  }

  // ---- knowledge base (administrators); agents search published FAQs ----

  /** `query` is the query string (faqListQuery in state/faqs.ts): folderId, language, q. */
  faqs(query: string): Promise<FaqList> {
    return this.required('GET', `/api/admin/faqs${query}`, FaqListSchema);
  }

  faq(id: string): Promise<Faq> {
    return this.required('GET', `/api/admin/faqs/${encodeURIComponent(id)}`, FaqSchema);
  }

  createFaq(input: FaqInput): Promise<Faq> {
    return this.required('POST', '/api/admin/faqs', FaqSchema, input);
  }

  updateFaq(id: string, input: FaqInput): Promise<Faq> {
    return this.required('PUT', `/api/admin/faqs/${encodeURIComponent(id)}`, FaqSchema, input);
  }

  async deleteFaq(id: string): Promise<void> {
    await this.request('DELETE', `/api/admin/faqs/${encodeURIComponent(id)}`, null);
  }

  previewFaq(answer: string): Promise<FaqPreview> {
    return this.required('POST', '/api/admin/faqs/preview', FaqPreviewSchema, { answer });
  }

  createFaqFolder(input: FaqFolderInput): Promise<FaqFolder> {
    return this.required('POST', '/api/admin/faq-folders', FaqFolderSchema, input);
  }

  updateFaqFolder(id: string, input: FaqFolderInput): Promise<FaqFolder> {
    return this.required('PUT', `/api/admin/faq-folders/${encodeURIComponent(id)}`, FaqFolderSchema, input);
  }

  async deleteFaqFolder(id: string): Promise<void> {
    await this.request('DELETE', `/api/admin/faq-folders/${encodeURIComponent(id)}`, null);
  }

  /** All rows or none: a bad row is a 422 naming its line. */
  importFaqs(input: FaqImportInput): Promise<FaqImportResult> {
    return this.required('POST', '/api/admin/faqs/import', FaqImportResultSchema, input);
  }

  /** A plain GET with the session cookie: used as the href of a download link. */
  faqExportUrl(format: 'json' | 'csv'): string {
    return `${this.base}/api/admin/faqs/export?format=${format}`;
  }

  /** Every agent: published FAQs to link from a chat. */
  async searchFaqs(q: string, language: Language | null): Promise<AgentFaqHit[]> {
    const params = new URLSearchParams({ q });
    if (language !== null) params.set('language', language);
    return (await this.required('GET', `/api/faqs/search?${params.toString()}`, AgentFaqSearchSchema)).hits;
  }

  saveProperties(channelId: string, input: ChannelProperties): Promise<AdminChannel> {
    return this.required('PUT', `/api/admin/channels/${encodeURIComponent(channelId)}/properties`, AdminChannelSchema, input);
  }

  saveLayout(channelId: string, input: ChannelLayoutInput): Promise<AdminChannel> {
    return this.required('PUT', `/api/admin/channels/${encodeURIComponent(channelId)}/layout`, AdminChannelSchema, input);
  }

  /** The file itself is the body (its type as Content-Type): the server checks and sanitises it. */
  async uploadLogo(channelId: string, file: Blob): Promise<AdminChannel> {
    const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': this.language(), 'Content-Type': file.type };
    if (this.csrfToken) headers['X-CSRF-Token'] = this.csrfToken;
    const path = `/api/admin/channels/${encodeURIComponent(channelId)}/logo`;
    const res = await fetch(this.base + path, { method: 'PUT', headers, credentials: 'same-origin', body: file });
    if (!res.ok) throw await toApiError(res);
    const parsed = AdminChannelSchema.safeParse(await res.json());
    if (!parsed.success) throw new ApiError(res.status, null, `Unexpected response from ${path}`);
    return parsed.data;
  }

  removeLogo(channelId: string): Promise<AdminChannel> {
    return this.required('DELETE', `/api/admin/channels/${encodeURIComponent(channelId)}/logo`, AdminChannelSchema);
  }

  saveOrigins(channelId: string, origins: string[]): Promise<AdminChannel> {
    return this.required('PUT', `/api/admin/channels/${encodeURIComponent(channelId)}/origins`, AdminChannelSchema, { origins });
  }

  channelAgents(channelId: string): Promise<ChannelAgentList> {
    return this.required('GET', `/api/admin/channels/${encodeURIComponent(channelId)}/agents`, ChannelAgentListSchema);
  }

  saveChannelAgents(channelId: string, agents: ChannelAgentInput[]): Promise<ChannelAgentList> {
    return this.required('PUT', `/api/admin/channels/${encodeURIComponent(channelId)}/agents`, ChannelAgentListSchema, { agents });
  }

  async deleteChannel(channelId: string): Promise<void> {
    await this.request('DELETE', `/api/admin/channels/${encodeURIComponent(channelId)}`, null);
  }

  // ---- users (administrators) and my profile (everyone) ----

  async users(): Promise<AdminUser[]> {
    return (await this.required('GET', '/api/admin/users', UserListSchema)).users;
  }

  /** Without a password the server generates one; it is in the result, once. */
  createUser(input: UserCreateInput): Promise<UserCreateResult> {
    return this.required('POST', '/api/admin/users', UserCreateResultSchema, input);
  }

  updateUser(id: string, input: UserUpdateInput): Promise<AdminUser> {
    return this.required('PUT', `/api/admin/users/${encodeURIComponent(id)}`, AdminUserSchema, input);
  }

  setUserActive(id: string, active: boolean): Promise<AdminUser> {
    return this.required('POST', `/api/admin/users/${encodeURIComponent(id)}/${active ? 'activate' : 'deactivate'}`, AdminUserSchema, {});
  }

  resetPassword(id: string): Promise<PasswordResetResult> {
    return this.required('POST', `/api/admin/users/${encodeURIComponent(id)}/reset-password`, PasswordResetResultSchema, {});
  }

  updateProfile(input: ProfileUpdateInput): Promise<AgentSelf> {
    return this.required('PUT', '/api/me/profile', AgentSelfSchema, input);
  }

  async changePassword(input: PasswordChangeInput): Promise<void> {
    await this.request('POST', '/api/me/password', null, input);
  }

  // ---- composing: quick replies, the `/` picker, linked FAQs (docs/quick-replies.md) ----

  quickReplies(): Promise<QuickReplyList> {
    return this.required('GET', '/api/quick-replies', QuickReplyListSchema);
  }

  saveQuickReply(id: string | null, input: QuickReplyInput): Promise<QuickReply> {
    return id === null
      ? this.required('POST', '/api/quick-replies', QuickReplySchema, input)
      : this.required('PUT', `/api/quick-replies/${encodeURIComponent(id)}`, QuickReplySchema, input);
  }

  async deleteQuickReply(id: string): Promise<void> {
    await this.request('DELETE', `/api/quick-replies/${encodeURIComponent(id)}`, null);
  }

  async snippets(chatId: string): Promise<ComposeSnippet[]> {
    return (await this.required('GET', `/api/chats/${encodeURIComponent(chatId)}/snippets`, ComposeSnippetListSchema)).snippets;
  }

  faqAnswer(id: string): Promise<FaqAnswer> {
    return this.required('GET', `/api/widget/faqs/${encodeURIComponent(id)}`, FaqAnswerSchema);
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
  if (parsed.success) {
    const { code, message, field, detail } = parsed.data.error;
    return new ApiError(res.status, code, message, { field, detail });
  }
  return new ApiError(res.status, null, res.statusText || `HTTP ${res.status}`);
}
