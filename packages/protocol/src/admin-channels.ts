import * as z from 'zod/mini';
import {
  FieldModeSchema,
  LanguageSchema,
  PrechatFieldSchema,
  RequestPrioritySchema,
  ThemeSchema,
  WidgetFontSchema,
} from './model.js';

/**
 * Channel administration under /api/admin/channels (administrators only; X-CSRF-Token on writes).
 * Texts are stored exactly as typed and the widget shows them as text, never as HTML.
 */

export const CHANNEL_TEXT_LIMITS = {
  name: 200,
  key: 64,
  badgeText: 200,
  headerText: 200,
  welcomeMessage: 2000,
  queueMessage: 1000,
  description: 2000,
  prechatMessage: 1000,
  offlineHeader: 200,
  offlineMessage: 2000,
  category: 100,
  customFields: 20,
  choiceOptions: 50,
} as const;

/** Unanswered-chat warnings: seconds after a chat enters the queue. */
export const WARNING_SECONDS = { min: 10, max: 86_400 } as const;

/** Variables a queue message may use. {cque} and {cavw} are SuperOffice's names for the same two. */
export const QUEUE_MESSAGE_VARIABLES = ['position', 'wait', 'cque', 'cavw'] as const;

/** The `{name}` variables in a text that are not queue-message variables (empty = valid). */
export function unknownQueueVariables(text: string): string[] {
  const found = [...text.matchAll(/\{([^{}]*)\}/g)].map((m) => m[1] ?? '');
  return found.filter((v) => !(QUEUE_MESSAGE_VARIABLES as readonly string[]).includes(v));
}

/** A channel key: lower-case letters, digits and single dashes, 2–64 characters (it is in the embed snippet). */
export const CHANNEL_KEY_PATTERN = /^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){1,63}$/;

const text = (max: number) => z.string().check(z.maxLength(max));
const required = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));

export const NewChannelInputSchema = z.strictObject({
  name: required(CHANNEL_TEXT_LIMITS.name),
  key: z.string().check(z.trim(), z.toLowerCase(), z.regex(CHANNEL_KEY_PATTERN)),
  language: LanguageSchema,
});
export type NewChannelInput = z.infer<typeof NewChannelInputSchema>;

export const ChannelPropertiesSchema = z.strictObject({
  name: required(CHANNEL_TEXT_LIMITS.name),
  language: LanguageSchema,
  badgeText: required(CHANNEL_TEXT_LIMITS.badgeText),
  headerText: required(CHANNEL_TEXT_LIMITS.headerText),
  welcomeMessage: text(CHANNEL_TEXT_LIMITS.welcomeMessage),
  /** Variables: {position}, {wait} (hh:mm), {cque}, {cavw}; any other {variable} is refused. */
  queueMessage: z.string().check(
    z.maxLength(CHANNEL_TEXT_LIMITS.queueMessage),
    z.refine((v) => unknownQueueVariables(v).length === 0),
  ),
  /** Internal: only administrators see it. */
  description: text(CHANNEL_TEXT_LIMITS.description),
  /** "Warning on new chat": notify present agents with Notifications after this many seconds unanswered; null = off. */
  warnAfterSeconds: z.nullable(z.number().check(z.int(), z.minimum(WARNING_SECONDS.min), z.maximum(WARNING_SECONDS.max))),
  /** "Manager warning": notify the channel's managers after this many seconds (only while some agent is present); null = off. */
  managerWarnAfterSeconds: z.nullable(z.number().check(z.int(), z.minimum(WARNING_SECONDS.min), z.maximum(WARNING_SECONDS.max))),
});
export type ChannelProperties = z.infer<typeof ChannelPropertiesSchema>;

/** Each exactly scheme://host[:port] (http or https); the server normalises and removes duplicates. */
export const ChannelOriginsInputSchema = z.strictObject({
  origins: z.array(z.string().check(z.maxLength(300))).check(z.maxLength(100)),
});
export type ChannelOriginsInput = z.infer<typeof ChannelOriginsInputSchema>;

export const ChannelPermissionsSchema = z.strictObject({
  canRespond: z.boolean(),
  notifications: z.boolean(),
  canListen: z.boolean(),
  manager: z.boolean(),
});
export type ChannelPermissions = z.infer<typeof ChannelPermissionsSchema>;

export const ChannelAgentInputSchema = z.strictObject({
  agentId: z.string().check(z.minLength(1), z.maxLength(40)),
  ...ChannelPermissionsSchema.shape,
});
export type ChannelAgentInput = z.infer<typeof ChannelAgentInputSchema>;

/** PUT /api/admin/channels/:id/agents replaces the whole list. */
export const ChannelAgentsInputSchema = z.strictObject({
  agents: z.array(ChannelAgentInputSchema).check(z.maxLength(1000)),
});
export type ChannelAgentsInput = z.infer<typeof ChannelAgentsInputSchema>;

export const ChannelAgentSchema = z.strictObject({
  agentId: z.string(),
  name: z.string(),
  email: z.string(),
  ...ChannelPermissionsSchema.shape,
});
export type ChannelAgent = z.infer<typeof ChannelAgentSchema>;

export const AvailableAgentSchema = z.strictObject({ id: z.string(), name: z.string(), email: z.string() });
export type AvailableAgent = z.infer<typeof AvailableAgentSchema>;

/** GET/PUT /api/admin/channels/:id/agents: the channel's agents, and every active agent that could be added. */
export const ChannelAgentListSchema = z.strictObject({
  agents: z.array(ChannelAgentSchema),
  available: z.array(AvailableAgentSchema),
});
export type ChannelAgentList = z.infer<typeof ChannelAgentListSchema>;

// ---- widget layout ----

/** #rrggbb only: anything else could smuggle CSS into the widget. */
export const HEX_COLOR_PATTERN = /^#[0-9a-fA-F]{6}$/;

/** PUT /api/admin/channels/:id/layout. The logo has its own upload (PUT/DELETE /api/admin/channels/:id/logo). */
export const ChannelLayoutInputSchema = z.strictObject({
  theme: ThemeSchema,
  color: z.string().check(z.regex(HEX_COLOR_PATTERN)),
  /** 'auto' = black or white, whichever reads best; an own colour must reach WCAG AA (4.5:1) on `color`. */
  headerTextColor: z.string().check(z.refine((v) => v === 'auto' || HEX_COLOR_PATTERN.test(v))),
  font: WidgetFontSchema,
  showAgentPhoto: z.boolean(),
});
export type ChannelLayoutInput = z.infer<typeof ChannelLayoutInputSchema>;

/** Logo uploads: PNG, JPEG, or SVG (sanitised by the server); at most this many bytes. */
export const LOGO_MAX_BYTES = 100_000;
export const LOGO_TYPES = ['image/png', 'image/jpeg', 'image/svg+xml'] as const;

// ---- pre-chat and offline forms ----

/** PUT /api/admin/channels/:id/prechat. Custom field keys are unique and not one of BUILTIN_FIELD_KEYS. */
export const ChannelPrechatInputSchema = z.strictObject({
  enabled: z.boolean(),
  message: text(CHANNEL_TEXT_LIMITS.prechatMessage),
  name: FieldModeSchema,
  email: FieldModeSchema,
  phone: FieldModeSchema,
  company: FieldModeSchema,
  fields: z.array(PrechatFieldSchema).check(z.maxLength(CHANNEL_TEXT_LIMITS.customFields)),
  faqSuggestions: z.boolean(),
  /** The FAQ folder suggestions come from (with its sub-folders); null = every folder. */
  faqFolderId: z.nullable(z.string().check(z.minLength(1), z.maxLength(40))),
});
export type ChannelPrechatInput = z.infer<typeof ChannelPrechatInputSchema>;

/** PUT /api/admin/channels/:id/offline. */
export const ChannelOfflineInputSchema = z.strictObject({
  header: text(CHANNEL_TEXT_LIMITS.offlineHeader),
  message: text(CHANNEL_TEXT_LIMITS.offlineMessage),
  requests: z.boolean(),
  /** Given to requests left through this channel. */
  category: text(CHANNEL_TEXT_LIMITS.category),
  priority: RequestPrioritySchema,
  name: FieldModeSchema,
  phone: FieldModeSchema,
  company: FieldModeSchema,
});
export type ChannelOfflineInput = z.infer<typeof ChannelOfflineInputSchema>;

/** GET /api/admin/faq-folders: the folders a channel's suggestions can come from (edited with the knowledge base). */
export const FaqFolderSummarySchema = z.strictObject({ id: z.string(), name: z.string(), parentId: z.nullable(z.string()) });
export type FaqFolderSummary = z.infer<typeof FaqFolderSummarySchema>;
export const FaqFolderListSchema = z.strictObject({ folders: z.array(FaqFolderSummarySchema) });
export type FaqFolderList = z.infer<typeof FaqFolderListSchema>;
