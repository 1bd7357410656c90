import * as z from 'zod/mini';
import { LIMITS } from './limits.js';
import { ChannelLayoutInputSchema, ChannelOfflineInputSchema, ChannelPrechatInputSchema } from './admin-channels.js';
import { IdSchema, LanguageSchema, PostchatConfigSchema, TimeSchema } from './model.js';
import { OpeningHoursSchema } from './opening-hours.js';

/**
 * Administrator API under /api/admin (session cookie of an agent with role 'admin', plus
 * X-CSRF-Token on every non-GET). See docs/email.md for templates and the outbox.
 */

// ---- reply templates ----

/**
 * Variables a reply template may use, as `{{name}}`. Everything is HTML-escaped in the HTML part;
 * `{{{…}}}` (unescaped) is refused. Blocks `{{#if name}}…{{else}}…{{/if}}` and `{{#unless}}` work.
 */
export const TEMPLATE_VARIABLES = [
  'customer.name',
  'customer.email',
  'agent.name',
  'channel.name',
  'chat.id',
  'chat.startedAt',
  'chat.endedAt',
  'transcript',
  'request.id',
  'request.question',
] as const;
export type TemplateVariable = (typeof TEMPLATE_VARIABLES)[number];

export const TemplateInputSchema = z.strictObject({
  name: z.string().check(z.maxLength(LIMITS.templateName * 4)),
  language: LanguageSchema,
  subject: z.string().check(z.maxLength(LIMITS.templateSubject * 4)),
  /** Plain text with variables; the HTML part is derived from it (paragraphs, line breaks, escaped). */
  body: z.string().check(z.maxLength(LIMITS.templateBody * 4)),
});
export type TemplateInput = z.infer<typeof TemplateInputSchema>;

export const ReplyTemplateSchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  language: LanguageSchema,
  subject: z.string(),
  body: z.string(),
  /** Shipped with Loket (the default transcript in each widget language); editable, not deletable. */
  builtin: z.boolean(),
  updatedAt: TimeSchema,
});
export type ReplyTemplate = z.infer<typeof ReplyTemplateSchema>;

export const TemplateListSchema = z.strictObject({ templates: z.array(ReplyTemplateSchema) });
export type TemplateList = z.infer<typeof TemplateListSchema>;

/** POST /api/admin/templates/preview — renders with sample data, without saving. */
export const TemplatePreviewInputSchema = z.strictObject({
  language: LanguageSchema,
  subject: z.string().check(z.maxLength(LIMITS.templateSubject * 4)),
  body: z.string().check(z.maxLength(LIMITS.templateBody * 4)),
});
export type TemplatePreviewInput = z.infer<typeof TemplatePreviewInputSchema>;

export const TemplatePreviewSchema = z.strictObject({ subject: z.string(), html: z.string(), text: z.string() });
export type TemplatePreview = z.infer<typeof TemplatePreviewSchema>;

// ---- outbox ----

export const EmailStatusSchema = z.enum(['queued', 'sending', 'sent', 'failed']);
export type EmailStatus = z.infer<typeof EmailStatusSchema>;

export const MailboxSchema = z.strictObject({ name: z.string(), address: z.string() });
export type Mailbox = z.infer<typeof MailboxSchema>;

export const OutboxEmailSchema = z.strictObject({
  id: z.string(),
  kind: z.enum(['transcript', 'request_confirmation', 'request_reply', 'other']),
  to: MailboxSchema,
  subject: z.string(),
  status: EmailStatusSchema,
  attempts: z.number().check(z.int(), z.minimum(0)),
  lastError: z.nullable(z.string()),
  chatId: z.nullable(z.string()),
  createdAt: TimeSchema,
  nextAttemptAt: TimeSchema,
  sentAt: z.nullable(TimeSchema),
});
export type OutboxEmail = z.infer<typeof OutboxEmailSchema>;

export const OutboxEmailDetailSchema = z.strictObject({
  email: OutboxEmailSchema,
  from: MailboxSchema,
  messageId: z.string(),
  text: z.string(),
  html: z.string(),
});
export type OutboxEmailDetail = z.infer<typeof OutboxEmailDetailSchema>;

export const OutboxListSchema = z.strictObject({
  emails: z.array(OutboxEmailSchema),
  /** False: no SMTP_URL, so e-mails stay here to be read and downloaded (.eml). */
  smtpConfigured: z.boolean(),
});
export type OutboxList = z.infer<typeof OutboxListSchema>;

// ---- channels (the post-chat part; the full channel admin builds on this) ----

export const ChannelPostchatSettingsSchema = z.strictObject({
  ...PostchatConfigSchema.shape,
  /** The reply template transcripts are built from; null = the built-in one in the channel's language. */
  transcriptTemplateId: z.nullable(IdSchema),
});
export type ChannelPostchatSettings = z.infer<typeof ChannelPostchatSettingsSchema>;

export const AdminChannelSchema = z.strictObject({
  id: z.string(),
  key: z.string(),
  name: z.string(),
  language: LanguageSchema,
  postchat: ChannelPostchatSettingsSchema,
  badgeText: z.string(),
  headerText: z.string(),
  welcomeMessage: z.string(),
  queueMessage: z.string(),
  /** Internal note for administrators; never shown to visitors. */
  description: z.string(),
  warnAfterSeconds: z.nullable(z.number()),
  managerWarnAfterSeconds: z.nullable(z.number()),
  layout: z.strictObject({
    ...ChannelLayoutInputSchema.shape,
    /** Where the widget loads the logo from; null = no logo. */
    logoUrl: z.nullable(z.string()),
  }),
  prechat: ChannelPrechatInputSchema,
  offline: ChannelOfflineInputSchema,
  openingHours: OpeningHoursSchema,
  /** Origins (scheme://host[:port]) allowed to embed the channel. */
  origins: z.array(z.string()),
  /** The one deferred script tag to put on the website, built from PUBLIC_URL and the key. */
  embedSnippet: z.string(),
});
export type AdminChannel = z.infer<typeof AdminChannelSchema>;

export const AdminChannelListSchema = z.strictObject({ channels: z.array(AdminChannelSchema) });
export type AdminChannelList = z.infer<typeof AdminChannelListSchema>;
