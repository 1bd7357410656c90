import { LIMITS } from '@loket/protocol';
import { isUniqueViolation, type Tx } from '../db/database.js';
import type { ChannelsTable, ChatsTable } from '../db/schema.js';
import { buildTranscriptEmail } from '../email/transcript.js';
import { enqueueEmail } from '../email/outbox.js';
import { topics } from '../realtime/bus.js';
import { accessChat } from './access.js';
import type { VisitorActor } from './actors.js';
import { appendEvent, publishChatState, publishEvent } from './chats.js';
import { inTransaction, type Ctx } from './context.js';
import { AppError } from './errors.js';
import { channelOf, chatSummary, queueItem, transcriptCount } from './views.js';

/** The post-chat form (step 6): back to the chat, rating, transcript. Visitor actions on their own chat. */

async function endedChatWithForm(tx: Tx, actor: VisitorActor, feature: 'form' | 'rating' | 'transcript'): Promise<{ chat: ChatsTable; channel: ChannelsTable }> {
  const chat = await accessChat(tx, actor, actor.chatId, 'read');
  const channel = await channelOf(tx, chat.channel_id);
  const on = channel.postchat_enabled === 1 && (feature === 'form' || (feature === 'rating' ? channel.postchat_rating === 1 : channel.postchat_transcript === 1));
  if (!on) throw new AppError('feature_disabled');
  return { chat, channel };
}

/** Whether the chat's last agent can take it straight back: still active, present, and allowed to respond. */
async function agentCanResume(tx: Tx, chat: ChatsTable): Promise<boolean> {
  if (chat.agent_id === null) return false;
  const agent = await tx
    .selectFrom('agents')
    .select(['role', 'presence', 'active'])
    .where('id', '=', chat.agent_id)
    .executeTakeFirst();
  if (!agent || agent.active !== 1 || agent.presence !== 'present') return false;
  if (agent.role === 'admin') return true;
  const membership = await tx
    .selectFrom('channel_agents')
    .select('can_respond')
    .where('channel_id', '=', chat.channel_id)
    .where('agent_id', '=', chat.agent_id)
    .executeTakeFirst();
  return membership?.can_respond === 1;
}

/**
 * "Back to chat": the ended chat becomes live again. Its agent gets it straight back when still
 * present; otherwise it re-enters the queue at the back, with its whole history. Reopening a chat
 * that is not ended is a no-op, so a resent request is harmless.
 */
export async function reopenChat(ctx: Ctx, actor: VisitorActor): Promise<void> {
  await inTransaction(ctx, async (tx, publish) => {
    const { chat, channel } = await endedChatWithForm(tx, actor, 'form');
    if (chat.status !== 'ended') return;
    const now = ctx.now();
    const resume = await agentCanResume(tx, chat);
    const reopened = await tx
      .updateTable('chats')
      .set(
        resume
          ? { status: 'active', ended_at: null, ended_by: null, visitor_seen_at: now }
          : { status: 'waiting', agent_id: null, claimed_at: null, queued_at: now, warned_at: null, manager_warned_at: null, ended_at: null, ended_by: null, visitor_seen_at: now },
      )
      .where('id', '=', chat.id)
      .where('status', '=', 'ended')
      .returningAll()
      .executeTakeFirst();
    if (!reopened) return;
    if (resume && reopened.agent_id !== null) {
      // The agent's sockets start following the chat before the event, so they receive it.
      publish(topics.agent(reopened.agent_id), { kind: 'assigned', summary: await chatSummary(tx, reopened) });
    }
    const visitor = { author_kind: 'visitor' as const, author_id: null, author_name: chat.visitor_name || null, client_msg_id: null, ended_by: null };
    let { event, chat: current } = await appendEvent(tx, ctx, chat.id, { ...visitor, kind: 'reopened', body: null });
    let summary = await publishEvent(tx, current, event, publish);
    if (!resume) {
      ({ event, chat: current } = await appendEvent(tx, ctx, chat.id, { ...visitor, author_kind: 'system', author_name: null, kind: 'queued', body: null }));
      summary = await publishEvent(tx, current, event, publish);
      publish(topics.channel(channel.id), { kind: 'queueAdded', item: queueItem(current, channel) });
    }
    await publishChatState(tx, current, publish, summary);
  });
}

/** Rating 1–5 with an optional comment, on an ended chat; rating again replaces it. */
export async function rateChat(ctx: Ctx, actor: VisitorActor, input: { score: number; comment: string }): Promise<void> {
  const comment = input.comment.trim();
  if (comment.length > LIMITS.ratingComment) throw new AppError('validation_failed', 'comment');
  await inTransaction(ctx, async (tx, publish) => {
    const { chat } = await endedChatWithForm(tx, actor, 'rating');
    if (chat.status !== 'ended') throw new AppError('chat_not_ended');
    const rated = await tx
      .updateTable('chats')
      .set({ rating_score: input.score, rating_comment: comment, rated_at: ctx.now() })
      .where('id', '=', chat.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await publishChatState(tx, rated, publish);
  });
}

export interface TranscriptRequest {
  /** The client's id for the request; a resend with the same id sends nothing twice. */
  requestId?: string | undefined;
  email: string;
  timeZone?: string | undefined;
  locale?: string | undefined;
}

/**
 * Queues the conversation by e-mail (through the outbox, committed with the request). The address
 * is checked like the pre-chat one; a chat gets at most LIMITS.transcriptsPerChat transcripts.
 */
export async function requestTranscript(ctx: Ctx, actor: VisitorActor, input: TranscriptRequest): Promise<void> {
  const dedupKey = input.requestId === undefined ? undefined : `${actor.chatId}:${input.requestId}`;
  const alreadyDone = async (tx: Tx): Promise<boolean> =>
    dedupKey !== undefined && (await tx.selectFrom('emails').select('id').where('dedup_key', '=', dedupKey).executeTakeFirst()) !== undefined;
  // Cheap checks first: no DNS lookup for a request that will be refused anyway.
  const done = await inTransaction(ctx, async (tx) => {
    if (await alreadyDone(tx)) return true;
    const { chat } = await endedChatWithForm(tx, actor, 'transcript');
    if (chat.status !== 'ended') throw new AppError('chat_not_ended');
    if ((await transcriptCount(tx, chat.id)) >= LIMITS.transcriptsPerChat) throw new AppError('transcript_limit');
    return false;
  });
  if (done) return;
  if (input.email.trim() === '') throw new AppError('field_required', 'email');
  const verdict = await ctx.email.verify(input.email);
  if (!verdict.ok) throw new AppError(verdict.code, 'email');
  try {
    await queueTranscript(ctx, actor, input, verdict.address, dedupKey, alreadyDone);
  } catch (err) {
    // The same request twice at once (PostgreSQL): the unique key let one in, which is the answer.
    if (!(dedupKey !== undefined && isUniqueViolation(err))) throw err;
  }
  ctx.mailKick?.();
}

async function queueTranscript(
  ctx: Ctx,
  actor: VisitorActor,
  input: TranscriptRequest,
  address: string,
  dedupKey: string | undefined,
  alreadyDone: (tx: Tx) => Promise<boolean>,
): Promise<void> {
  await inTransaction(ctx, async (tx, publish) => {
    const { chat } = await endedChatWithForm(tx, actor, 'transcript');
    if (chat.status !== 'ended') throw new AppError('chat_not_ended');
    // Counted again under the write: two tabs asking at once still get the limit right.
    await tx.updateTable('chats').set((eb) => ({ last_seq: eb.ref('last_seq') })).where('id', '=', chat.id).execute();
    if (await alreadyDone(tx)) return;
    if ((await transcriptCount(tx, chat.id)) >= LIMITS.transcriptsPerChat) throw new AppError('transcript_limit');
    const mail = await buildTranscriptEmail(tx, chat, { timeZone: input.timeZone, locale: input.locale });
    await enqueueEmail(tx, ctx, {
      kind: 'transcript',
      chatId: chat.id,
      to: { name: chat.visitor_name, address },
      ...mail,
      ...(dedupKey === undefined ? {} : { dedupKey }),
    });
    const current = await tx.selectFrom('chats').selectAll().where('id', '=', chat.id).executeTakeFirstOrThrow();
    await publishChatState(tx, current, publish);
  });
}
