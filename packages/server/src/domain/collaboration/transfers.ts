import { TRANSFER_NOTE_MAX_LENGTH, TRANSFER_TIMEOUT_MS, type AgentChatSummary, type Transfer, type TransferTargetsResult } from '@loket/protocol';
import { isUniqueViolation, type Tx } from '../../db/database.js';
import type { ChatsTable } from '../../db/schema.js';
import { topics } from '../../realtime/bus.js';
import { accessChannel, accessChat } from '../access.js';
import type { AgentActor } from '../actors.js';
import { appendEvent, publishChatState, publishEvent } from '../chats.js';
import { inTransaction, type Ctx, type Publish } from '../context.js';
import { AppError } from '../errors.js';
import { newId } from '../ids.js';
import { startSweeper, type Sweeper } from '../sweeper.js';
import { channelOf, chatSummary, toAgentPublic } from '../views.js';
import { dropListener, keepFormerOwner } from './listeners.js';
import { publishTransfer, withdrawTransfers } from './transfer-view.js';

/**
 * Transfers (docs/collaboration.md). A pending transfer lives in chat_transfers with its deadline;
 * every answer — accept, reject, cancel, expiry — is one conditional UPDATE … WHERE status =
 * 'pending', so of two answers racing on any nodes exactly one wins and the other is told
 * transfer_not_pending. Accepting also moves the chat, in the same transaction.
 */

const activeOnly = (chat: ChatsTable): void => {
  if (chat.status === 'ended') throw new AppError('chat_ended');
  if (chat.status !== 'active') throw new AppError('chat_not_active');
};

/** The present agents of the chat's channel who may respond (with their load), and the channels the actor serves. */
export async function transferTargets(ctx: Ctx, actor: AgentActor, chatId: string): Promise<TransferTargetsResult> {
  const chat = await accessChat(ctx.db, actor, chatId, 'transfer');
  const rows = await ctx.db
    .selectFrom('channel_agents')
    .innerJoin('agents', 'agents.id', 'channel_agents.agent_id')
    .select(['agents.id', 'agents.name', 'agents.photo_url'])
    .select((eb) =>
      eb
        .selectFrom('chats')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('chats.agent_id', '=', 'agents.id')
        .where('chats.status', '=', 'active')
        .as('active_chats'),
    )
    .where('channel_agents.channel_id', '=', chat.channel_id)
    .where('channel_agents.can_respond', '=', 1)
    .where('agents.active', '=', 1)
    .where('agents.presence', '=', 'present')
    .where('agents.id', '!=', chat.agent_id ?? '')
    .orderBy('agents.name')
    .execute();
  let channels = ctx.db.selectFrom('channels').select(['channels.id', 'channels.name']);
  if (actor.agent.role !== 'admin') {
    channels = channels
      .innerJoin('channel_agents', 'channel_agents.channel_id', 'channels.id')
      .where('channel_agents.agent_id', '=', actor.agent.id)
      .where('channel_agents.can_respond', '=', 1);
  }
  const list = await channels.orderBy('channels.name').execute();
  return {
    agents: rows.map((r) => ({ agent: toAgentPublic(r), activeChats: Number(r.active_chats ?? 0) })),
    channels: [...list.filter((c) => c.id === chat.channel_id), ...list.filter((c) => c.id !== chat.channel_id)],
  };
}

/** Offers the chat to another present agent who may respond in its channel. */
export async function requestTransfer(ctx: Ctx, actor: AgentActor, input: { chatId: string; toAgentId: string; note: string }): Promise<Transfer> {
  const note = input.note.trim();
  if (note.length > TRANSFER_NOTE_MAX_LENGTH) throw new AppError('validation_failed', 'note');
  try {
    return await inTransaction(ctx, async (tx, publish) => {
      const chat = await accessChat(tx, actor, input.chatId, 'transfer');
      activeOnly(chat);
      const now = ctx.now();
      // One not yet swept past its deadline must not block a new transfer.
      await expireDue(tx, now, publish, { chatId: chat.id });
      const pending = await tx.selectFrom('chat_transfers').select('id').where('chat_id', '=', chat.id).where('status', '=', 'pending').executeTakeFirst();
      if (pending) throw new AppError('transfer_pending');
      const target = await tx
        .selectFrom('channel_agents')
        .innerJoin('agents', 'agents.id', 'channel_agents.agent_id')
        .select('agents.id')
        .where('channel_agents.channel_id', '=', chat.channel_id)
        .where('channel_agents.agent_id', '=', input.toAgentId)
        .where('channel_agents.can_respond', '=', 1)
        .where('agents.active', '=', 1)
        .where('agents.presence', '=', 'present')
        .executeTakeFirst();
      if (!target || input.toAgentId === chat.agent_id) throw new AppError('transfer_target_invalid', 'toAgentId');
      const row = {
        id: newId(),
        chat_id: chat.id,
        from_agent_id: actor.agent.id,
        to_agent_id: input.toAgentId,
        note,
        status: 'pending' as const,
        created_at: now,
        expires_at: now + TRANSFER_TIMEOUT_MS,
        decided_at: null,
      };
      await tx.insertInto('chat_transfers').values(row).execute();
      return publishTransfer(tx, row, publish);
    });
  } catch (err) {
    // Two transfers of one chat raced on PostgreSQL: the partial unique index let one in.
    if (isUniqueViolation(err)) throw new AppError('transfer_pending');
    throw err;
  }
}

async function transferFor(tx: Tx, transferId: string, agentId: string, side: 'to_agent_id' | 'from_agent_id') {
  const row = await tx.selectFrom('chat_transfers').selectAll().where('id', '=', transferId).executeTakeFirst();
  if (!row || row[side] !== agentId) throw new AppError('transfer_not_found');
  return row;
}

/** Sets a pending transfer's outcome; false when it was no longer pending (someone else decided first). */
async function decide(tx: Tx, transferId: string, status: 'accepted' | 'rejected' | 'cancelled', now: number): Promise<boolean> {
  let update = tx.updateTable('chat_transfers').set({ status, decided_at: now }).where('id', '=', transferId).where('status', '=', 'pending');
  // An answer after the deadline comes too late even if the sweep hasn't marked it yet.
  if (status !== 'cancelled') update = update.where('expires_at', '>', now);
  const res = await update.executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** The receiver answers. Accepting makes them the chat's agent; rejecting changes nothing else. */
export async function answerTransfer(ctx: Ctx, actor: AgentActor, input: { transferId: string; accept: boolean }): Promise<AgentChatSummary | null> {
  return inTransaction(ctx, async (tx, publish) => {
    const row = await transferFor(tx, input.transferId, actor.agent.id, 'to_agent_id');
    const now = ctx.now();
    if (!input.accept) {
      if (!(await decide(tx, row.id, 'rejected', now))) throw new AppError('transfer_not_pending');
      await publishTransfer(tx, { ...row, status: 'rejected', decided_at: now }, publish);
      return null;
    }
    // The chat row first, as every other writer to a chat does, so the two locks are always taken in one order.
    const chat = await tx.selectFrom('chats').selectAll().where('id', '=', row.chat_id).executeTakeFirstOrThrow();
    const moved = await tx.updateTable('chats').set({ agent_id: actor.agent.id }).where('id', '=', chat.id).where('status', '=', 'active').executeTakeFirst();
    if (!(await decide(tx, row.id, 'accepted', now)) || Number(moved.numUpdatedRows) !== 1) throw new AppError('transfer_not_pending');
    const summary = await handOver(tx, ctx, actor, chat, publish);
    await publishTransfer(tx, { ...row, status: 'accepted', decided_at: now }, publish);
    return summary;
  });
}

/** The sender withdraws a pending transfer. */
export async function cancelTransfer(ctx: Ctx, actor: AgentActor, input: { transferId: string }): Promise<void> {
  await inTransaction(ctx, async (tx, publish) => {
    const row = await transferFor(tx, input.transferId, actor.agent.id, 'from_agent_id');
    const now = ctx.now();
    if (!(await decide(tx, row.id, 'cancelled', now))) throw new AppError('transfer_not_pending');
    await publishTransfer(tx, { ...row, status: 'cancelled', decided_at: now }, publish);
  });
}

/**
 * After the chat's row now names `actor` as its agent: the customer sees "… joined the chat" and the
 * new agent's name and photo; the new agent gets the chat; the former owner stays as a listener if
 * allowed to listen.
 */
async function handOver(tx: Tx, ctx: Ctx, actor: AgentActor, before: ChatsTable, publish: Publish): Promise<AgentChatSummary> {
  await dropListener(tx, before.id, actor.agent.id);
  const { event, chat } = await appendEvent(tx, ctx, before.id, {
    kind: 'joined', author_kind: 'agent', author_id: actor.agent.id, author_name: actor.agent.name, body: null, client_msg_id: null, ended_by: null,
  });
  const summary = await publishChatState(tx, chat, publish, await publishEvent(tx, chat, event, publish));
  publish(topics.agent(actor.agent.id), { kind: 'assigned', summary });
  if (before.agent_id !== null && before.agent_id !== actor.agent.id) await keepFormerOwner(tx, ctx, chat, before.agent_id, summary, publish);
  return summary;
}

/** A manager of the chat's channel takes an ongoing chat over; its agent is told. */
export async function takeOver(ctx: Ctx, actor: AgentActor, input: { chatId: string }): Promise<AgentChatSummary> {
  return inTransaction(ctx, async (tx, publish) => {
    const chat = await accessChat(tx, actor, input.chatId, 'manage');
    activeOnly(chat);
    if (chat.agent_id === actor.agent.id) return chatSummary(tx, chat);
    let update = tx.updateTable('chats').set({ agent_id: actor.agent.id }).where('id', '=', chat.id).where('status', '=', 'active');
    update = chat.agent_id === null ? update.where('agent_id', 'is', null) : update.where('agent_id', '=', chat.agent_id);
    const won = await update.executeTakeFirst();
    if (Number(won.numUpdatedRows) !== 1) throw new AppError('chat_not_active');
    await withdrawTransfers(tx, chat.id, ctx.now(), publish);
    // Told before the chat leaves their list, so their console still knows which customer it was.
    if (chat.agent_id !== null) publish(topics.agent(chat.agent_id), { kind: 'takenOver', chatId: chat.id, by: toAgentPublic(actor.agent) });
    return handOver(tx, ctx, actor, chat, publish);
  });
}

/**
 * Back into a channel's queue (the same or another the agent serves), at its front, keeping the
 * time the customer waited before: queued_at becomes "now minus that wait", or just before the
 * channel's current head if that is earlier.
 */
export async function transferToChannel(ctx: Ctx, actor: AgentActor, input: { chatId: string; channelId: string }): Promise<void> {
  await inTransaction(ctx, async (tx, publish) => {
    const chat = await accessChat(tx, actor, input.chatId, 'transfer');
    activeOnly(chat);
    const exists = await tx.selectFrom('channels').select('id').where('id', '=', input.channelId).executeTakeFirst();
    const target = exists ? await accessChannel(tx, actor, input.channelId).catch(() => null) : null;
    if (!target || target.can_respond !== 1) throw new AppError('transfer_target_invalid', 'channelId');
    const now = ctx.now();
    const waited = Math.max(0, (chat.claimed_at ?? chat.queued_at) - chat.queued_at);
    const head = await tx
      .selectFrom('chats')
      .select((eb) => eb.fn.min('queued_at').as('first'))
      .where('channel_id', '=', input.channelId)
      .where('status', '=', 'waiting')
      .executeTakeFirst();
    const first = head?.first === null || head?.first === undefined ? null : Number(head.first);
    const queuedAt = first === null ? now - waited : Math.min(now - waited, first - 1);
    let update = tx
      .updateTable('chats')
      .set({ status: 'waiting', agent_id: null, claimed_at: null, channel_id: input.channelId, queued_at: queuedAt, warned_at: null, manager_warned_at: null })
      .where('id', '=', chat.id)
      .where('status', '=', 'active');
    update = chat.agent_id === null ? update.where('agent_id', 'is', null) : update.where('agent_id', '=', chat.agent_id);
    const won = await update.executeTakeFirst();
    if (Number(won.numUpdatedRows) !== 1) throw new AppError('chat_not_active');
    await withdrawTransfers(tx, chat.id, now, publish);
    const { event, chat: queued } = await appendEvent(tx, ctx, chat.id, {
      kind: 'queued', author_kind: 'system', author_id: null, author_name: null, body: null, client_msg_id: null, ended_by: null,
    });
    const channel = await channelOf(tx, input.channelId);
    publish(topics.channel(input.channelId), { kind: 'queueAdded', item: { chatId: queued.id, channelId: channel.id, channelName: channel.name, visitorName: queued.visitor_name, question: queued.question, queuedAt: queued.queued_at } });
    await publishChatState(tx, queued, publish, await publishEvent(tx, queued, event, publish));
    if (chat.agent_id !== null) publish(topics.agent(chat.agent_id), { kind: 'unlisted', chatId: chat.id });
  });
}

/** Marks pending transfers past their deadline expired (one chat's, or one transfer), telling both agents. */
async function expireDue(tx: Tx, now: number, publish: Publish, where: { chatId?: string; id?: string }): Promise<number> {
  let update = tx.updateTable('chat_transfers').set({ status: 'expired', decided_at: now }).where('status', '=', 'pending').where('expires_at', '<=', now);
  if (where.chatId !== undefined) update = update.where('chat_id', '=', where.chatId);
  if (where.id !== undefined) update = update.where('id', '=', where.id);
  const rows = await update.returningAll().execute();
  for (const row of rows) await publishTransfer(tx, row, publish);
  return rows.length;
}

/**
 * Withdraws unanswered transfers. Any node may run it at any time: the conditional update marks each
 * transfer once, and only the node whose update won tells the agents.
 */
export async function sweepTransfers(ctx: Ctx): Promise<number> {
  const due = await ctx.db.selectFrom('chat_transfers').select('id').where('status', '=', 'pending').where('expires_at', '<=', ctx.now()).limit(100).execute();
  let expired = 0;
  for (const { id } of due) expired += await inTransaction(ctx, (tx, publish) => expireDue(tx, ctx.now(), publish, { id }));
  return expired;
}

/** The per-node deadline sweep (every node runs one; see sweepTransfers). */
export function startTransferSweeper(ctx: Ctx, everyMs: number, onError: (err: unknown) => void): Sweeper {
  return startSweeper(() => sweepTransfers(ctx), everyMs, onError);
}
