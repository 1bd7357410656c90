import * as z from 'zod/mini';
import { EmailStatusSchema } from './admin.js';
import { LIMITS } from './limits.js';
import { ChatEventSchema, RequestPrioritySchema } from './model.js';

/**
 * Requests (tickets) left through a channel's offline form, with a human-readable id like "LK-4821-7QX". The customer
 * gets a confirmation e-mail through the outbox; agents list them, change their status and answer by e-mail.
 */

export const REQUEST_STATUSES = ['open', 'pending', 'closed'] as const;
export const RequestStatusSchema = z.enum(REQUEST_STATUSES);
export type RequestStatus = z.infer<typeof RequestStatusSchema>;

export const REQUEST_LIMITS = { question: LIMITS.messageBody, reply: 20_000, company: 200, phone: 40 } as const;

/** The public id's shape: "LK-" + 4 digits + "-" + 3 letters/digits without look-alikes (0/O, 1/I/L). */
export const REQUEST_PUBLIC_ID_PATTERN = /^LK-\d{4}-[2-9A-HJKMNP-Z]{3}$/;

/** POST /api/widget/channels/:key/requests (the chat window only). */
export const RequestInputSchema = z.strictObject({
  /** Widget-generated: a resend after a lost answer returns the same request instead of a second one. */
  requestKey: z.string().check(z.regex(/^[A-Za-z0-9_-]{16,64}$/)),
  name: z.string().check(z.maxLength(LIMITS.name * 4)),
  email: z.string().check(z.maxLength(1024)),
  phone: z.string().check(z.maxLength(REQUEST_LIMITS.phone * 4)),
  company: z.string().check(z.maxLength(REQUEST_LIMITS.company * 4)),
  question: z.string().check(z.maxLength(REQUEST_LIMITS.question * 4)),
  /** Honeypot: a field people never see; anything in it marks a bot (`spam_detected`). */
  website: z.string().check(z.maxLength(1000)),
  /** Set when the customer was waiting in a chat that could not be answered: the request carries its log. */
  chatToken: z.optional(z.string().check(z.maxLength(64))),
  timeZone: z.optional(z.string().check(z.maxLength(64))),
  locale: z.optional(z.string().check(z.maxLength(35))),
});
export type RequestInput = z.infer<typeof RequestInputSchema>;

export const RequestCreatedSchema = z.strictObject({ publicId: z.string(), email: z.string() });
export type RequestCreated = z.infer<typeof RequestCreatedSchema>;

export const RequestReplySchema = z.strictObject({
  id: z.string(),
  agentId: z.nullable(z.string()),
  agentName: z.string(),
  body: z.string(),
  /** The outbox e-mail that carries it (its status shows in the console's Outbox). */
  emailId: z.nullable(z.string()),
  /** That e-mail's outbox status, so agents (who cannot open the Outbox) see whether it left. */
  emailStatus: z.nullable(EmailStatusSchema),
  at: z.number(),
});
export type RequestReply = z.infer<typeof RequestReplySchema>;

export const SupportRequestSchema = z.strictObject({
  id: z.string(),
  publicId: z.string(),
  channelId: z.string(),
  channelName: z.string(),
  category: z.string(),
  priority: RequestPrioritySchema,
  status: RequestStatusSchema,
  name: z.string(),
  email: z.string(),
  phone: z.string(),
  company: z.string(),
  question: z.string(),
  /** The chat the request came from: the customer was waiting in it, or an agent made the request from it. */
  chatId: z.nullable(z.string()),
  /** Given by the agent who made the request from a chat; '' for requests from the offline form. */
  title: z.string(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type SupportRequest = z.infer<typeof SupportRequestSchema>;

/** GET /api/requests?status=&channelId=&category=&priority= — agents see their channels' requests, admins all. */
export const RequestListQuerySchema = z.strictObject({
  status: z.optional(RequestStatusSchema),
  channelId: z.optional(z.string().check(z.maxLength(40))),
  category: z.optional(z.string().check(z.maxLength(100))),
  priority: z.optional(RequestPrioritySchema),
});
export type RequestListQuery = z.infer<typeof RequestListQuerySchema>;
export const RequestListSchema = z.strictObject({ requests: z.array(SupportRequestSchema) });
export type RequestList = z.infer<typeof RequestListSchema>;

/** GET /api/requests/:id */
export const RequestDetailSchema = z.strictObject({
  request: SupportRequestSchema,
  replies: z.array(RequestReplySchema),
  /** The chat's conversation (messages, oldest first; internal notes are not part of it); [] without a chat. */
  conversation: z.array(ChatEventSchema),
});
export type RequestDetail = z.infer<typeof RequestDetailSchema>;

/** PUT /api/requests/:id/status */
export const RequestStatusInputSchema = z.strictObject({ status: RequestStatusSchema });

/** POST /api/requests/:id/replies — sent to the customer through the outbox, kept on the request. */
export const RequestReplyInputSchema = z.strictObject({
  body: z.string().check(z.maxLength(REQUEST_LIMITS.reply * 4)),
  /** Widget-style idempotency: a resend does not send a second e-mail. */
  replyKey: z.string().check(z.regex(/^[A-Za-z0-9_-]{16,64}$/)),
});

export const REQUEST_TITLE_MAX = 200;

/** POST /api/chats/:chatId/requests — an agent makes a request from a chat (task menu > Create request). */
export const ChatRequestInputSchema = z.strictObject({
  /** The console's idempotency key: a resend returns the same request. */
  requestKey: z.string().check(z.regex(/^[A-Za-z0-9_-]{16,64}$/)),
  title: z.string().check(z.maxLength(REQUEST_TITLE_MAX * 4)),
  category: z.string().check(z.maxLength(400)),
  priority: RequestPrioritySchema,
});
export type ChatRequestInput = z.infer<typeof ChatRequestInputSchema>;

export const ChatRequestCreatedSchema = z.strictObject({
  request: SupportRequestSchema,
  /** A message for the customer with the request ID, in the chat window's language, for the agent to send. */
  customerMessage: z.string(),
});
export type ChatRequestCreated = z.infer<typeof ChatRequestCreatedSchema>;
