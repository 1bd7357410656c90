import * as z from 'zod/mini';
import { LIMITS } from './limits.js';
import { IdSchema, TimeSchema } from './model.js';

/**
 * Quick replies (docs/quick-replies.md): short texts an agent inserts with `/shortcut` in the composer. Personal ones
 * belong to one agent; shared ones to a channel, edited by its managers and administrators. Session cookie, plus
 * X-CSRF-Token on every non-GET.
 */

export const QUICK_REPLY_LIMITS = {
  /** Characters of a shortcut, without the leading `/`. */
  shortcut: 32,
  /** The text is a message once inserted, so it may not be longer than one. */
  text: LIMITS.messageBody,
} as const;

/** Letters, digits, `-` and `_`: what follows `/` in the composer up to the next blank. */
export const QUICK_REPLY_SHORTCUT_PATTERN = /^[\p{L}\p{N}_-]+$/u;

/** The variables a quick reply is filled with for the chat it is inserted into, as `{{name}}`. */
export const QUICK_REPLY_VARIABLES = ['customer.name', 'customer.email', 'agent.name', 'channel.name', 'chat.id', 'chat.startedAt'] as const;

/** POST /api/quick-replies and PUT /api/quick-replies/:id. `channelId` null: a personal one. */
export const QuickReplyInputSchema = z.strictObject({
  channelId: z.nullable(IdSchema),
  shortcut: z.string().check(z.maxLength(QUICK_REPLY_LIMITS.shortcut * 4)),
  text: z.string().check(z.maxLength(QUICK_REPLY_LIMITS.text * 4)),
});
export type QuickReplyInput = z.infer<typeof QuickReplyInputSchema>;

export const QuickReplySchema = z.strictObject({
  id: z.string(),
  /** null: the agent's own. */
  channelId: z.nullable(z.string()),
  shortcut: z.string(),
  text: z.string(),
  /** The caller may change or delete it (their own; a shared one of a channel they manage). */
  editable: z.boolean(),
  updatedAt: TimeSchema,
});
export type QuickReply = z.infer<typeof QuickReplySchema>;

/** A channel whose shared quick replies I see; `editable`: I may add, change and delete them (manager, administrator). */
export const QuickReplyChannelSchema = z.strictObject({ id: z.string(), name: z.string(), editable: z.boolean() });
export type QuickReplyChannel = z.infer<typeof QuickReplyChannelSchema>;

/** GET /api/quick-replies: my personal ones and the shared ones of my channels (administrators: every channel). */
export const QuickReplyListSchema = z.strictObject({ quickReplies: z.array(QuickReplySchema), channels: z.array(QuickReplyChannelSchema) });
export type QuickReplyList = z.infer<typeof QuickReplyListSchema>;

/** One entry of the composer's `/` picker, with its text already filled for the chat. */
export const ComposeSnippetSchema = z.strictObject({
  kind: z.enum(['personal', 'channel', 'template']),
  id: z.string(),
  /** The shortcut of a quick reply; a reply template's name. */
  label: z.string(),
  text: z.string(),
});
export type ComposeSnippet = z.infer<typeof ComposeSnippetSchema>;

/** GET /api/chats/:id/snippets: personal and the chat channel's shared quick replies, then reply templates in the channel's language. */
export const ComposeSnippetListSchema = z.strictObject({ snippets: z.array(ComposeSnippetSchema) });
export type ComposeSnippetList = z.infer<typeof ComposeSnippetListSchema>;
