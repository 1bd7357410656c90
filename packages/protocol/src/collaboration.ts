import * as z from 'zod/mini';
import { AgentChatSummarySchema, AgentPublicSchema, IdSchema, TimeSchema } from './model.js';

/**
 * Working together on a chat (docs/collaboration.md): transfers between agents, transfer back to a
 * channel's queue, managers taking over, listening in and internal notes.
 */

/** A pending transfer is withdrawn when the receiver has not answered within this time. */
export const TRANSFER_TIMEOUT_MS = 60_000;
/** An internal note's length, like a message's. */
export const NOTE_MAX_LENGTH = 4000;
/** A transfer's optional note to the receiver. */
export const TRANSFER_NOTE_MAX_LENGTH = 500;

export const TransferStatusSchema = z.enum(['pending', 'accepted', 'rejected', 'cancelled', 'expired']);
export type TransferStatus = z.infer<typeof TransferStatusSchema>;

/** A transfer as its sender and receiver see it. */
export const TransferSchema = z.strictObject({
  id: IdSchema,
  chatId: IdSchema,
  from: AgentPublicSchema,
  to: AgentPublicSchema,
  /** The sender's note to the receiver; '' when none. */
  note: z.string(),
  status: TransferStatusSchema,
  createdAt: TimeSchema,
  /** When a pending transfer is withdrawn unanswered. */
  expiresAt: TimeSchema,
  /** The chat as it was when the transfer was made or answered (the receiver's incoming-transfer view). */
  chat: AgentChatSummarySchema,
});
export type Transfer = z.infer<typeof TransferSchema>;

/** An agent a chat can be transferred to: present, may respond in the chat's channel. */
export const TransferTargetSchema = z.strictObject({
  agent: AgentPublicSchema,
  /** Ongoing chats the agent serves now. */
  activeChats: z.number().check(z.int(), z.minimum(0)),
});
export type TransferTarget = z.infer<typeof TransferTargetSchema>;

/** GET /api/chats/{id}/transfer-targets: the agents and the channels a chat can go to. */
export const TransferTargetsResultSchema = z.strictObject({
  agents: z.array(TransferTargetSchema),
  /** Channels the agent serves (may respond in), the chat's own first. */
  channels: z.array(z.strictObject({ id: IdSchema, name: z.string() })),
});
export type TransferTargetsResult = z.infer<typeof TransferTargetsResultSchema>;

/** GET /api/chats/ongoing: ongoing chats of the channels where the agent may listen in (managers: all of theirs). */
export const OngoingChatsResultSchema = z.strictObject({
  chats: z.array(z.strictObject({ chat: AgentChatSummarySchema, agent: z.nullable(AgentPublicSchema) })),
  /** Channels where the agent may listen in (with "Can listen in", or as manager). */
  listenChannelIds: z.array(IdSchema),
  /** Channels the agent manages (take over, transfer any chat); administrators: all. */
  managedChannelIds: z.array(IdSchema),
});
export type OngoingChatsResult = z.infer<typeof OngoingChatsResultSchema>;

/** REST equivalents of the socket's transfer frames. */
export const TransferInputSchema = z.strictObject({ toAgentId: IdSchema, note: z.string().check(z.maxLength(TRANSFER_NOTE_MAX_LENGTH * 4)) });
export type TransferInput = z.infer<typeof TransferInputSchema>;
export const TransferToChannelInputSchema = z.strictObject({ channelId: IdSchema });
export const TransferResultSchema = z.strictObject({ transfer: TransferSchema });
export type TransferResult = z.infer<typeof TransferResultSchema>;
