import * as z from 'zod/mini';
import { ErrorCodeSchema } from './errors.js';
import {
  AgentChatSummarySchema,
  AgentPublicSchema,
  AgentSelfSchema,
  ChatEventSchema,
  ClientMsgIdSchema,
  IdSchema,
  PresenceSchema,
  QueueInfoSchema,
  QueueItemSchema,
  RatingScoreSchema,
  VisitorChatSchema,
} from './model.js';
import { AvailabilitySchema } from './opening-hours.js';
import { LIMITS } from './limits.js';
import { ChatTokenSchema } from './http.js';
import { TransferSchema } from './collaboration.js';

/**
 * WebSocket protocol (see docs/protocol.md). Two endpoints on the HTTP port:
 *   /ws/visitor — the widget's chat window; first message must be `auth` with the chat token.
 *   /ws/agent   — the console; authenticated by the session cookie at upgrade.
 * Every frame is one JSON object with a `type`. Requests may carry `rid`; the reply
 * (`ack`, `claimed`, `ok` or `error`) echoes it.
 */

const Rid = z.optional(z.string().check(z.maxLength(64)));
const Seq = z.number().check(z.int(), z.minimum(0));
/** Message bodies are length-checked by the server's action (with a translated error), not here. */
const Body = z.string().check(z.maxLength(64_000));

// ---- visitor → server ----
export const VisitorAuthSchema = z.strictObject({ type: z.literal('auth'), token: ChatTokenSchema, lastSeq: Seq });
export const VisitorSendSchema = z.strictObject({ type: z.literal('send'), rid: Rid, clientMsgId: ClientMsgIdSchema, body: Body });
export const VisitorTypingSchema = z.strictObject({ type: z.literal('typing'), typing: z.boolean() });
export const VisitorEndSchema = z.strictObject({ type: z.literal('end'), rid: Rid });
/** Post-chat form: back to the ended chat. */
export const VisitorReopenSchema = z.strictObject({ type: z.literal('reopen'), rid: Rid });
/** Post-chat form: rate the ended chat (again: the last rating counts). */
export const VisitorRateSchema = z.strictObject({ type: z.literal('rate'), rid: Rid, score: RatingScoreSchema, comment: z.string().check(z.maxLength(LIMITS.ratingComment * 4)) });
/**
 * Post-chat form: e-mail the conversation to `email` (checked like the pre-chat address). `timeZone`
 * and `locale` are the customer's, for the times in the transcript.
 */
export const VisitorTranscriptSchema = z.strictObject({
  type: z.literal('transcript'),
  rid: Rid,
  /** The widget's own id for this request: a resend after a dropped connection sends no second e-mail. */
  requestId: z.optional(ClientMsgIdSchema),
  email: z.string().check(z.maxLength(1024)),
  timeZone: z.optional(z.string().check(z.maxLength(64))),
  locale: z.optional(z.string().check(z.maxLength(35))),
});
export const VisitorSyncSchema = z.strictObject({ type: z.literal('sync'), afterSeq: Seq });
/** The customer has seen the chat up to `seq` (the window is visible and shows it); agents see their messages as seen. */
export const VisitorReadSchema = z.strictObject({ type: z.literal('read'), seq: Seq });
export const PingSchema = z.strictObject({ type: z.literal('ping') });

export const VisitorClientMessageSchema = z.discriminatedUnion('type', [
  VisitorAuthSchema,
  VisitorSendSchema,
  VisitorTypingSchema,
  VisitorEndSchema,
  VisitorReopenSchema,
  VisitorRateSchema,
  VisitorTranscriptSchema,
  VisitorSyncSchema,
  PingSchema,
  VisitorReadSchema,
]);
export type VisitorClientMessage = z.infer<typeof VisitorClientMessageSchema>;

// ---- agent → server ----
export const AgentSendSchema = z.strictObject({ type: z.literal('send'), rid: Rid, chatId: IdSchema, clientMsgId: ClientMsgIdSchema, body: Body });
export const AgentTypingSchema = z.strictObject({ type: z.literal('typing'), chatId: IdSchema, typing: z.boolean() });
export const AgentReadSchema = z.strictObject({ type: z.literal('read'), chatId: IdSchema, seq: Seq });
/** Start receiving a chat's events after `afterSeq` (opening a waiting or ended chat). Own chats are subscribed automatically. */
export const AgentSubscribeSchema = z.strictObject({ type: z.literal('subscribe'), chatId: IdSchema, afterSeq: Seq });
export const AgentUnsubscribeSchema = z.strictObject({ type: z.literal('unsubscribe'), chatId: IdSchema });
export const AgentClaimSchema = z.strictObject({ type: z.literal('claim'), rid: Rid, chatId: IdSchema });
export const AgentClaimNextSchema = z.strictObject({ type: z.literal('claimNext'), rid: Rid });
export const AgentEndSchema = z.strictObject({ type: z.literal('end'), rid: Rid, chatId: IdSchema });
export const AgentPresenceSchema = z.strictObject({ type: z.literal('presence'), rid: Rid, presence: PresenceSchema });
export const AgentSyncSchema = z.strictObject({ type: z.literal('sync'), chatId: IdSchema, afterSeq: Seq });

// Working together (docs/collaboration.md)
/** An internal note: only agents see it → `ack`. */
export const AgentNoteSchema = z.strictObject({ type: z.literal('note'), rid: Rid, chatId: IdSchema, clientMsgId: ClientMsgIdSchema, body: Body });
/** Offer the chat to another agent → `transfer {transfer}` (pending). */
export const AgentTransferSchema = z.strictObject({ type: z.literal('transfer'), rid: Rid, chatId: IdSchema, toAgentId: IdSchema, note: z.string().check(z.maxLength(2000)) });
/** The receiver answers → `claimed {chat}` (accepted) or `ok` (rejected). */
export const AgentTransferAnswerSchema = z.strictObject({ type: z.literal('transferAnswer'), rid: Rid, transferId: IdSchema, accept: z.boolean() });
/** The sender withdraws a pending transfer → `ok`. */
export const AgentTransferCancelSchema = z.strictObject({ type: z.literal('transferCancel'), rid: Rid, transferId: IdSchema });
/** Back into a channel's queue, at the front → `ok`. */
export const AgentTransferToChannelSchema = z.strictObject({ type: z.literal('transferToChannel'), rid: Rid, chatId: IdSchema, channelId: IdSchema });
/** A manager takes an ongoing chat over → `claimed {chat}`. */
export const AgentTakeOverSchema = z.strictObject({ type: z.literal('takeOver'), rid: Rid, chatId: IdSchema });
/** Listen in silently (the chat joins my list, read-only) → `ok`; `unlisten` stops. */
export const AgentListenSchema = z.strictObject({ type: z.literal('listen'), rid: Rid, chatId: IdSchema });
export const AgentUnlistenSchema = z.strictObject({ type: z.literal('unlisten'), rid: Rid, chatId: IdSchema });

export const AgentClientMessageSchema = z.discriminatedUnion('type', [
  AgentSendSchema,
  AgentTypingSchema,
  AgentReadSchema,
  AgentSubscribeSchema,
  AgentUnsubscribeSchema,
  AgentClaimSchema,
  AgentClaimNextSchema,
  AgentEndSchema,
  AgentPresenceSchema,
  AgentSyncSchema,
  PingSchema,
  AgentNoteSchema,
  AgentTransferSchema,
  AgentTransferAnswerSchema,
  AgentTransferCancelSchema,
  AgentTransferToChannelSchema,
  AgentTakeOverSchema,
  AgentListenSchema,
  AgentUnlistenSchema,
]);
export type AgentClientMessage = z.infer<typeof AgentClientMessageSchema>;

// ---- server → clients ----
/** The write committed: the message has `seq`. A resend of the same clientMsgId gets the same ack. */
export const AckSchema = z.strictObject({ type: z.literal('ack'), rid: Rid, chatId: IdSchema, clientMsgId: z.string(), seq: Seq, at: z.number() });
export const OkSchema = z.strictObject({ type: z.literal('ok'), rid: Rid });
export const ErrorMessageSchema = z.strictObject({
  type: z.literal('error'),
  rid: Rid,
  code: ErrorCodeSchema,
  message: z.string(),
  /** True when the same request may succeed if sent again later (e.g. storage briefly down). */
  retryable: z.boolean(),
  /** With a limit (`rate_limited`, `transcript_limit`): seconds until it lets a new attempt through. */
  retryAfter: z.optional(z.number().check(z.int(), z.minimum(1))),
  /** The frame's field at fault, as on HTTP (`validation_failed`, `text_not_allowed`, `message_too_long`…): a dotted path. */
  field: z.optional(z.string()),
});
export type ErrorMessage = z.infer<typeof ErrorMessageSchema>;
export const EventMessageSchema = z.strictObject({ type: z.literal('event'), chatId: IdSchema, event: ChatEventSchema });
export const TypingMessageSchema = z.strictObject({ type: z.literal('typing'), chatId: IdSchema, from: z.enum(['visitor', 'agent']), typing: z.boolean(), name: z.optional(z.string()) });
export const PongSchema = z.strictObject({ type: z.literal('pong') });
/** Server is going away (restart, sign-out): reconnect after a pause, or (reason 'signed_out') stop. */
export const ByeSchema = z.strictObject({ type: z.literal('bye'), reason: z.enum(['restart', 'signed_out', 'replaced', 'access_changed']) });

/** Visitor: the chat's current state; sent after `auth` and whenever status/agent changes. */
export const VisitorReadySchema = z.strictObject({ type: z.literal('chat'), chat: VisitorChatSchema });
export const VisitorQueueSchema = z.strictObject({ type: z.literal('queue'), chatId: IdSchema, queue: QueueInfoSchema });
export const VisitorAgentReadSchema = z.strictObject({ type: z.literal('read'), chatId: IdSchema, seq: Seq });

/** A waiting visitor's channel closed or lost its last present agent (or can answer again). */
export const VisitorAvailabilitySchema = z.strictObject({ type: z.literal('availability'), chatId: IdSchema, availability: AvailabilitySchema });

export const VisitorServerMessageSchema = z.discriminatedUnion('type', [
  VisitorReadySchema,
  VisitorAvailabilitySchema,
  VisitorQueueSchema,
  VisitorAgentReadSchema,
  EventMessageSchema,
  TypingMessageSchema,
  AckSchema,
  OkSchema,
  ErrorMessageSchema,
  PongSchema,
  ByeSchema,
]);
export type VisitorServerMessage = z.infer<typeof VisitorServerMessageSchema>;

/** Agent: snapshot sent once per connection before any live message. */
export const AgentReadySchema = z.strictObject({
  type: z.literal('ready'),
  agent: AgentSelfSchema,
  queue: z.array(QueueItemSchema),
  chats: z.array(AgentChatSummarySchema),
});
export const QueueAddedSchema = z.strictObject({ type: z.literal('queueAdded'), item: QueueItemSchema });
export const QueueRemovedSchema = z.strictObject({ type: z.literal('queueRemoved'), chatId: IdSchema, channelId: IdSchema });
/** Upsert of a chat in the agent's list (claimed, message, read, ended…). */
export const ChatSummaryMessageSchema = z.strictObject({ type: z.literal('chatSummary'), chat: AgentChatSummarySchema });
export const ClaimedSchema = z.strictObject({ type: z.literal('claimed'), rid: Rid, chat: AgentChatSummarySchema });
export const PresenceChangedSchema = z.strictObject({ type: z.literal('presence'), presence: PresenceSchema });
export const ChatAgentSchema = z.strictObject({ type: z.literal('chatAgent'), chatId: IdSchema, agent: z.nullable(AgentPublicSchema) });

/** A chat waited too long unanswered: to present agents with Notifications (level agent), or to managers. */
export const WarningMessageSchema = z.strictObject({
  type: z.literal('warning'),
  level: z.enum(['agent', 'manager']),
  chatId: IdSchema,
  channelId: IdSchema,
  channelName: z.string(),
  visitorName: z.string(),
  /** Seconds the chat had waited when the warning was raised. */
  waitedSeconds: z.number().check(z.int(), z.minimum(0)),
});

/** A transfer I sent or received was made or changed (pending, accepted, rejected, cancelled, expired). */
export const TransferMessageSchema = z.strictObject({ type: z.literal('transfer'), rid: Rid, transfer: TransferSchema });
/** The chat left my list (transferred away without the right to listen, or I stopped listening). */
export const ChatRemovedSchema = z.strictObject({ type: z.literal('chatRemoved'), chatId: IdSchema });
/** A manager took over a chat I served. */
export const TakenOverSchema = z.strictObject({ type: z.literal('takenOver'), chatId: IdSchema, by: AgentPublicSchema });

export const AgentServerMessageSchema = z.discriminatedUnion('type', [
  WarningMessageSchema,
  AgentReadySchema,
  QueueAddedSchema,
  QueueRemovedSchema,
  ChatSummaryMessageSchema,
  ClaimedSchema,
  PresenceChangedSchema,
  ChatAgentSchema,
  EventMessageSchema,
  TypingMessageSchema,
  AckSchema,
  OkSchema,
  ErrorMessageSchema,
  PongSchema,
  ByeSchema,
  TransferMessageSchema,
  ChatRemovedSchema,
  TakenOverSchema,
]);
export type AgentServerMessage = z.infer<typeof AgentServerMessageSchema>;
export type WarningMessage = z.infer<typeof WarningMessageSchema>;

/** WebSocket close codes used by the server. */
export const CLOSE_CODES = {
  /** Server shutting down or restarting: reconnect. */
  goingAway: 1001,
  /** Auth failed or session ended: do not reconnect with the same credentials. */
  unauthorized: 4401,
  /** Protocol violation (e.g. no auth within the time limit). */
  policy: 1008,
  /** The server could not finish this request now (e.g. auth while storage was unavailable, or the client is too far behind): reconnect and resume. */
  tryAgainLater: 1013,
} as const;

/** Heartbeat: clients ping every HEARTBEAT_MS and reconnect when nothing arrives for DEAD_MS. */
export const HEARTBEAT_MS = 20_000;
export const DEAD_MS = 45_000;
