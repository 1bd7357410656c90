import * as z from 'zod/mini';
import { LIMITS } from './limits.js';
import { AvailabilitySchema } from './opening-hours.js';
import { ChannelFileSettingsSchema, FileInfoSchema } from './files.js';

export const IdSchema = z.string().check(z.minLength(1), z.maxLength(64));
/** Epoch milliseconds. */
export const TimeSchema = z.number().check(z.int(), z.minimum(0));

export const LANGUAGES = ['en', 'nl', 'de', 'fr', 'es', 'nb', 'sv', 'da'] as const;
export const LanguageSchema = z.enum(LANGUAGES);
export type Language = z.infer<typeof LanguageSchema>;

export const ChatStatusSchema = z.enum(['waiting', 'active', 'ended']);
export type ChatStatus = z.infer<typeof ChatStatusSchema>;

export const PresenceSchema = z.enum(['present', 'away']);
export type Presence = z.infer<typeof PresenceSchema>;

/** Whether a built-in form field is asked, and whether it must be filled in. */
export const FIELD_MODES = ['off', 'optional', 'required'] as const;
export const FieldModeSchema = z.enum(FIELD_MODES);
export type FieldMode = z.infer<typeof FieldModeSchema>;

/** Keys of the built-in fields; a custom field may not use them. */
export const BUILTIN_FIELD_KEYS = ['name', 'email', 'phone', 'company', 'question'] as const;

/** A pre-chat phone number: digits with an optional leading +, spaces, dashes, dots and parentheses; 6–20 digits. */
export function isPlausiblePhone(text: string): boolean {
  if (!/^\+?[0-9 ().-]+$/.test(text)) return false;
  const digits = text.replace(/[^0-9]/g, '').length;
  return digits >= 6 && digits <= 20;
}

/** A channel's own pre-chat field (besides name, e-mail, phone and company). */
export const PrechatFieldSchema = z.strictObject({
  key: z.string().check(z.regex(/^[a-z][a-z0-9_]{0,39}$/)),
  label: z.string().check(z.maxLength(100)),
  type: z.enum(['text', 'choice', 'checkbox']),
  required: z.boolean(),
  /** For 'choice': the options, in order (1–50, each unique, non-empty). */
  options: z.optional(z.array(z.string().check(z.maxLength(100)))),
});
export type PrechatField = z.infer<typeof PrechatFieldSchema>;

/** The pre-chat form (step 2). Off: visitors go straight to their question, anonymously. */
export const PrechatConfigSchema = z.strictObject({
  enabled: z.boolean(),
  /** Shown above the form; '' = none. */
  message: z.string(),
  name: FieldModeSchema,
  email: FieldModeSchema,
  phone: FieldModeSchema,
  company: FieldModeSchema,
  fields: z.array(PrechatFieldSchema),
  /** Suggest FAQs after the question is entered (the knowledge-base issue makes them appear). */
  faqSuggestions: z.boolean(),
});
export type PrechatConfig = z.infer<typeof PrechatConfigSchema>;

export const REQUEST_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export const RequestPrioritySchema = z.enum(REQUEST_PRIORITIES);
export type RequestPriority = z.infer<typeof RequestPrioritySchema>;

/** What the widget shows when nobody can answer. E-mail and question are always asked when requests are on. */
export const OfflineConfigSchema = z.strictObject({
  header: z.string(),
  message: z.string(),
  /** The customer may leave a request (with an ID) instead of chatting. */
  requests: z.boolean(),
  name: FieldModeSchema,
  phone: FieldModeSchema,
  company: FieldModeSchema,
});
export type OfflineConfig = z.infer<typeof OfflineConfigSchema>;

export const THEMES = ['light', 'dark', 'system'] as const;
export const ThemeSchema = z.enum(THEMES);
export type Theme = z.infer<typeof ThemeSchema>;

/** Font stacks the widget offers (system fonts only: nothing is downloaded from elsewhere). */
export const WIDGET_FONTS = ['system', 'sans', 'serif', 'rounded', 'mono'] as const;
export const WidgetFontSchema = z.enum(WIDGET_FONTS);
export type WidgetFont = z.infer<typeof WidgetFontSchema>;

/** The channel's post-chat form (step 6): shown when the chat ends, from either side. */
export const PostchatConfigSchema = z.strictObject({
  /** Off: an ended chat shows only "start a new chat"; no going back. */
  enabled: z.boolean(),
  header: z.string(),
  message: z.string(),
  /** Ask for a 1–5 rating with an optional comment. */
  rating: z.boolean(),
  /** Offer the conversation by e-mail. */
  transcript: z.boolean(),
});
export type PostchatConfig = z.infer<typeof PostchatConfigSchema>;

export const RatingScoreSchema = z.number().check(z.int(), z.minimum(1), z.maximum(5));
export const RatingSchema = z.strictObject({
  score: RatingScoreSchema,
  comment: z.string(),
  at: TimeSchema,
});
export type Rating = z.infer<typeof RatingSchema>;

/** What the widget needs to render a channel. Public: no secrets. */
export const WidgetConfigSchema = z.strictObject({
  key: z.string(),
  name: z.string(),
  language: LanguageSchema,
  badgeText: z.string(),
  headerText: z.string(),
  welcomeMessage: z.string(),
  /** Variables: {position}, {wait} (hh:mm); SuperOffice's {cque} and {cavw} are accepted too. */
  queueMessage: z.string(),
  /** Accent colour (#rrggbb) of the header, launcher and buttons. */
  color: z.string(),
  /** Text on the accent colour: the administrator's choice when it reaches 4.5:1, otherwise black or white. */
  headerTextColor: z.string(),
  theme: ThemeSchema,
  font: WidgetFontSchema,
  /** Absolute URL of the channel's logo (changes when the logo does), or null. */
  logoUrl: z.nullable(z.string()),
  showAgentPhoto: z.boolean(),
  prechat: PrechatConfigSchema,
  offline: OfflineConfigSchema,
  postchat: PostchatConfigSchema,
  /** Opening hours and present agents, computed when the config is served. */
  availability: AvailabilitySchema,
  /** What customers may send (docs/files.md); no types = no attach button. */
  files: ChannelFileSettingsSchema,
});
export type WidgetConfig = z.infer<typeof WidgetConfigSchema>;

export const AuthorSchema = z.strictObject({
  kind: z.enum(['visitor', 'agent', 'system']),
  /** Agent id for agents; absent for visitor and system. */
  id: z.optional(z.string()),
  name: z.optional(z.string()),
});
export type Author = z.infer<typeof AuthorSchema>;

/**
 * One entry of a chat's log. `seq` is per chat, starts at 1 and has no gaps:
 * clients resume from the last seq they saw and detect gaps with it.
 */
export const ChatEventSchema = z.strictObject({
  seq: z.number().check(z.int(), z.minimum(1)),
/**
   * 'reopened': the visitor went back to an ended chat ("Back to chat"). 'file': a file sent in the
   * chat. 'note': an internal note, agents only. 'hidden': what a visitor gets in place of an
   * agent-only event, so their seqs stay gapless (docs/realtime.md) — it carries nothing else and is never shown.
   */
  kind: z.enum(['message', 'queued', 'joined', 'ended', 'reopened', 'file', 'note', 'hidden']),
  at: TimeSchema,
  author: AuthorSchema,
  body: z.optional(z.string()),
  /** Present on messages: the sender's own id for it, used to deduplicate resends. */
  clientMsgId: z.optional(z.string()),
  /** For 'ended': who ended it. */
  endedBy: z.optional(z.enum(['visitor', 'agent', 'system'])),
  /** For 'file': the file sent (docs/files.md); clientMsgId is then the upload's clientFileId. */
  file: z.optional(FileInfoSchema),
});
export type ChatEvent = z.infer<typeof ChatEventSchema>;

export const AgentPublicSchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  photoUrl: z.nullable(z.string()),
});
export type AgentPublic = z.infer<typeof AgentPublicSchema>;

export const QueueInfoSchema = z.strictObject({
  /** 1 = next to be served. */
  position: z.number().check(z.int(), z.minimum(1)),
  /** Average wait of recently served chats in this channel, in seconds; null when unknown. */
  avgWaitSeconds: z.nullable(z.number().check(z.int(), z.minimum(0))),
});
export type QueueInfo = z.infer<typeof QueueInfoSchema>;

/** The chat as its visitor sees it. */
export const VisitorChatSchema = z.strictObject({
  id: z.string(),
  channelKey: z.string(),
  status: ChatStatusSchema,
  visitorName: z.string(),
  agent: z.nullable(AgentPublicSchema),
  queue: z.nullable(QueueInfoSchema),
  lastSeq: z.number().check(z.int(), z.minimum(0)),
  /** Highest seq the agent has read; the widget shows visitor messages up to it as read. */
  agentReadSeq: z.number().check(z.int(), z.minimum(0)),
  /** The visitor's rating, once given (the post-chat form then thanks instead of asking). */
  rating: z.nullable(RatingSchema),
  /** Transcripts requested so far; at LIMITS.transcriptsPerChat the form stops offering more. */
  transcripts: z.number().check(z.int(), z.minimum(0)),
  /** The pre-chat e-mail address, to pre-fill the transcript form; '' when none was asked. */
  visitorEmail: z.string(),
});
export type VisitorChat = z.infer<typeof VisitorChatSchema>;

/** A waiting chat, as listed in the agents' incoming queue. */
export const QueueItemSchema = z.strictObject({
  chatId: z.string(),
  channelId: z.string(),
  channelName: z.string(),
  visitorName: z.string(),
  question: z.string(),
  queuedAt: TimeSchema,
});
export type QueueItem = z.infer<typeof QueueItemSchema>;

/**
 * An answer from the pre-chat form besides name and e-mail. `label` is the custom field's current label
 * ('' for the built-in 'phone' and 'company', which clients translate; a removed field's key otherwise).
 */
export const VisitorFieldSchema = z.strictObject({
  key: z.string(),
  label: z.string(),
  value: z.union([z.string(), z.boolean()]),
});
export type VisitorField = z.infer<typeof VisitorFieldSchema>;

/** A chat in an agent's list of ongoing and recently ended chats. */
export const AgentChatSummarySchema = z.strictObject({
  id: z.string(),
  channelId: z.string(),
  channelName: z.string(),
  status: ChatStatusSchema,
  visitorName: z.string(),
  visitorEmail: z.string(),
  agentId: z.nullable(z.string()),
  queuedAt: TimeSchema,
  claimedAt: z.nullable(TimeSchema),
  endedAt: z.nullable(TimeSchema),
  lastSeq: z.number().check(z.int(), z.minimum(0)),
  lastMessage: z.nullable(z.string()),
  lastMessageAt: z.nullable(TimeSchema),
  /** Visitor messages after the agent's read cursor. */
  unread: z.number().check(z.int(), z.minimum(0)),
  rating: z.nullable(RatingSchema),
  /** Phone, company and custom fields, in the form's order. */
  visitorFields: z.array(VisitorFieldSchema),
  /** The customer has seen the chat up to this seq: the agent's messages up to it show as seen. */
  visitorReadSeq: z.number().check(z.int(), z.minimum(0)),
  /** When the customer's last chat window closed (they left the page); null while it is open. */
  visitorLeftAt: z.nullable(TimeSchema),
});
export type AgentChatSummary = z.infer<typeof AgentChatSummarySchema>;

export const ChannelSummarySchema = z.strictObject({
  id: z.string(),
  key: z.string(),
  name: z.string(),
  language: LanguageSchema,
});
export type ChannelSummary = z.infer<typeof ChannelSummarySchema>;

export const AgentSelfSchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  role: z.enum(['admin', 'agent']),
  photoUrl: z.nullable(z.string()),
  presence: PresenceSchema,
  channels: z.array(ChannelSummarySchema),
});
export type AgentSelf = z.infer<typeof AgentSelfSchema>;

export const MessageBodySchema = z.string().check(z.maxLength(LIMITS.messageBody));
export const ClientMsgIdSchema = z.string().check(z.regex(/^[A-Za-z0-9_-]{8,64}$/));
