import * as z from 'zod/mini';
import { CHAT_TOKEN_PATTERN, LIMITS } from './limits.js';
import {
  AgentSelfSchema,
  ChatEventSchema,
  ClientMsgIdSchema,
  VisitorChatSchema,
} from './model.js';

/**
 * REST payloads. Widget endpoints live under /api/widget (authorised by the chat token in the
 * `Authorization: Bearer <token>` header, never in a URL); console endpoints under /api
 * (session cookie + `X-CSRF-Token` header on every non-GET request).
 */

export const ChatTokenSchema = z.string().check(z.regex(CHAT_TOKEN_PATTERN));

/** POST /api/widget/channels/:key/email-check */
export const EmailCheckInputSchema = z.strictObject({
  email: z.string().check(z.maxLength(1024)),
});
export const EmailCheckResultSchema = z.strictObject({ ok: z.literal(true) });

/**
 * POST /api/widget/channels/:key/chats — starts a chat with its first message.
 * The widget generates `token` itself (32 random bytes, base64url); the server stores only its
 * hash. Sending the same token again returns the same chat, so a retry never creates two chats.
 */
export const StartChatInputSchema = z.strictObject({
  token: ChatTokenSchema,
  name: z.string().check(z.maxLength(1024)),
  email: z.string().check(z.maxLength(1024)),
  /** Asked when the channel's pre-chat form has phone/company on; absent = empty. */
  phone: z.optional(z.string().check(z.maxLength(1024))),
  company: z.optional(z.string().check(z.maxLength(1024))),
  fields: z.record(z.string().check(z.regex(/^[a-z][a-z0-9_]{0,39}$/)), z.union([z.string().check(z.maxLength(LIMITS.fieldValue * 4)), z.boolean()])),
  question: z.string().check(z.maxLength(LIMITS.messageBody * 4)),
  clientMsgId: ClientMsgIdSchema,
  timeZone: z.optional(z.string().check(z.maxLength(64))),
  locale: z.optional(z.string().check(z.maxLength(35))),
});
export type StartChatInput = z.infer<typeof StartChatInputSchema>;

export const StartChatResultSchema = z.strictObject({ chat: VisitorChatSchema });
export type StartChatResult = z.infer<typeof StartChatResultSchema>;

/** GET /api/widget/chat (Bearer token) — the visitor's chat with its events after `?after=`. */
export const VisitorChatStateSchema = z.strictObject({
  chat: VisitorChatSchema,
  events: z.array(ChatEventSchema),
});
export type VisitorChatState = z.infer<typeof VisitorChatStateSchema>;

/** POST /api/auth/login */
export const LoginInputSchema = z.strictObject({
  email: z.string().check(z.maxLength(1024)),
  password: z.string().check(z.maxLength(LIMITS.password)),
});
export type LoginInput = z.infer<typeof LoginInputSchema>;

/** Response of POST /api/auth/login and GET /api/auth/session. */
export const SessionSchema = z.strictObject({
  agent: AgentSelfSchema,
  csrfToken: z.string(),
});
export type Session = z.infer<typeof SessionSchema>;

/** GET /api/chats/:id/events?after=N — an agent reads a chat's log (access checked). */
export const ChatEventsResultSchema = z.strictObject({
  events: z.array(ChatEventSchema),
});
export type ChatEventsResult = z.infer<typeof ChatEventsResultSchema>;
export type EmailCheckResult = z.infer<typeof EmailCheckResultSchema>;
