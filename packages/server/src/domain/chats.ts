import { isPlausiblePhone, LIMITS, type AgentChatSummary, type FieldMode, type ChatEvent, type StartChatInput, type VisitorChat } from '@loket/protocol';
import { isUniqueViolation, type Executor, type Tx } from '../db/database.js';
import type { ChatEventsTable, ChatsTable } from '../db/schema.js';
import { topics } from '../realtime/bus.js';
import { accessChat, agentChannelIds } from './access.js';
import type { Actor, AgentActor } from './actors.js';
import { findChannelByKey, prechatConfig } from './channels.js';
import { inTransaction, type Ctx, type Publish } from './context.js';
import { AppError, assertLine } from './errors.js';
import { newId, sha256 } from './ids.js';
import { listenedChatIds } from './collaboration/listeners.js';
import { withdrawTransfers } from './collaboration/transfer-view.js';
import { channelOf, chatSummary, queueItem, toEvent, visitorChatView } from './views.js';

export type NewEvent = Omit<ChatEventsTable, 'chat_id' | 'seq' | 'created_at'>;

/**
 * Appends one event to a chat's log. Bumping last_seq first takes the chat row's write lock, so
 * concurrent writers to one chat are serialised and seq has no gaps and no repeats.
 */
export async function appendEvent(
  tx: Tx,
  ctx: Ctx,
  chatId: string,
  e: NewEvent,
  /** Checked against the locked, current row; throwing rolls the append back. */
  guard?: (chat: ChatsTable) => void,
): Promise<{ event: ChatEvent; chat: ChatsTable }> {
  const now = ctx.now();
  const isMessage = e.kind === 'message';
  const chat = await tx
    .updateTable('chats')
    .set((eb) => ({
      last_seq: eb('last_seq', '+', 1),
      ...(isMessage ? { last_message: (e.body ?? '').slice(0, 200), last_message_at: now } : {}),
    }))
    .where('id', '=', chatId)
    .returningAll()
    .executeTakeFirstOrThrow();
  guard?.(chat);
  const row: ChatEventsTable = { ...e, chat_id: chatId, seq: chat.last_seq, created_at: now };
  await tx.insertInto('chat_events').values(row).execute();
  return { event: toEvent(row), chat };
}

export async function publishChatState(tx: Tx, chat: ChatsTable, publish: Publish, known?: AgentChatSummary): Promise<AgentChatSummary> {
  const channel = await channelOf(tx, chat.channel_id);
  const summary = known ?? (await chatSummary(tx, chat));
  publish(topics.chat(chat.id), { kind: 'chatState', chatId: chat.id, visitorChat: await visitorChatView(tx, chat, channel.key), summary });
  return summary;
}

export async function publishEvent(tx: Tx, chat: ChatsTable, event: ChatEvent, publish: Publish): Promise<AgentChatSummary> {
  const summary = await chatSummary(tx, chat);
  publish(topics.chat(chat.id), { kind: 'event', chatId: chat.id, event, summary });
  return summary;
}

function requireText(value: string, field: string, max: number, code: 'field_required' | 'message_empty' = 'field_required'): string {
  const text = value.trim();
  if (text.length === 0) throw new AppError(code, field);
  if (text.length > max) throw new AppError(field === 'question' || field === 'body' ? 'message_too_long' : 'validation_failed', field);
  return text;
}

/** A built-in pre-chat field by its mode: off ignores what was sent, required refuses it empty. */
function builtinText(mode: FieldMode, value: string, field: string, max: number): string {
  if (mode === 'off') return '';
  const text = value.trim();
  if (text === '') {
    if (mode === 'required') throw new AppError('field_required', field);
    return '';
  }
  if (text.length > max) throw new AppError('validation_failed', field);
  return text;
}

/** How an actor signs the events they cause. */
export function authorOf(actor: Actor, chat: Pick<ChatsTable, 'visitor_name'>): Pick<ChatEventsTable, 'author_kind' | 'author_id' | 'author_name'> {
  return actor.kind === 'visitor'
    ? { author_kind: 'visitor', author_id: null, author_name: chat.visitor_name || null }
    : { author_kind: 'agent', author_id: actor.agent.id, author_name: actor.agent.name };
}

/** Waiting chats of these channels in queue order (oldest first; ties by id, so every node agrees). */
function waitingChats(db: Executor, channelIds: string[]) {
  return db
    .selectFrom('chats')
    .where('chats.channel_id', 'in', channelIds)
    .where('chats.status', '=', 'waiting')
    .orderBy('chats.queued_at')
    .orderBy('chats.id');
}

export async function findChatByToken(db: Executor, token: string): Promise<ChatsTable | undefined> {
  return db.selectFrom('chats').selectAll().where('token_hash', '=', sha256(token)).executeTakeFirst();
}

/**
 * A visitor starts a chat with their question as its first message; it enters the channel's queue.
 * Idempotent on the widget-generated token: a retried request returns the chat already made.
 */
export async function startChat(ctx: Ctx, channelKey: string, input: StartChatInput): Promise<VisitorChat> {
  const channel = await findChannelByKey(ctx.db, channelKey);
  const existing = await findChatByToken(ctx.db, input.token);
  if (existing) {
    if (existing.channel_id !== channel.id) throw new AppError('chat_not_found');
    return visitorChatView(ctx.db, existing, channel.key);
  }
  const form = prechatConfig(channel);
  const prechat = form.enabled;
  // With the form off the visitor is anonymous: whatever name a client sends is kept, nothing is required.
  const name = assertLine(prechat ? builtinText(form.name, input.name, 'name', LIMITS.name) : input.name.trim().slice(0, LIMITS.name), 'name');
  let email = '';
  const emailText = prechat ? builtinText(form.email, input.email, 'email', Number.POSITIVE_INFINITY) : '';
  if (emailText !== '') {
    const verdict = await ctx.email.verify(emailText);
    if (!verdict.ok) throw new AppError(verdict.code, 'email');
    email = verdict.address;
  }
  const fields: Record<string, string | boolean> = {};
  const phone = prechat ? builtinText(form.phone, input.phone ?? '', 'phone', LIMITS.fieldValue) : '';
  if (phone !== '' && !isPlausiblePhone(phone)) throw new AppError('validation_failed', 'phone');
  // Custom fields may not use the built-in keys, so phone and company can never collide with one.
  if (phone !== '') fields.phone = phone;
  const company = assertLine(prechat ? builtinText(form.company, input.company ?? '', 'company', LIMITS.name * 2) : '', 'company');
  if (company !== '') fields.company = company;
  for (const field of prechat ? form.fields : []) {
    const value = input.fields[field.key];
    if (field.type === 'checkbox') {
      if (field.required && value !== true) throw new AppError('field_required', field.key);
      fields[field.key] = value === true;
      continue;
    }
    const text = typeof value === 'string' ? value.trim() : '';
    if (field.required && text === '') throw new AppError('field_required', field.key);
    if (text.length > LIMITS.fieldValue) throw new AppError('validation_failed', field.key);
    if (field.type === 'choice' && text !== '' && !(field.options ?? []).includes(text)) throw new AppError('validation_failed', field.key);
    if (text !== '') fields[field.key] = text;
  }
  const question = requireText(input.question, 'question', LIMITS.messageBody, 'message_empty');
  const now = ctx.now();
  const chat: ChatsTable = {
    id: newId(),
    channel_id: channel.id,
    token_hash: sha256(input.token),
    status: 'waiting',
    visitor_name: name,
    visitor_email: email,
    visitor_fields: JSON.stringify(fields),
    visitor_time_zone: input.timeZone ?? null,
    visitor_locale: input.locale ?? null,
    question,
    agent_id: null,
    last_seq: 0,
    agent_read_seq: 0,
    last_message: null,
    last_message_at: null,
    created_at: now,
    queued_at: now,
    warned_at: null,
    manager_warned_at: null,
    claimed_at: null,
    ended_at: null,
    ended_by: null,
    rating_score: null,
    rating_comment: null,
    rated_at: null,
    visitor_seen_at: now,
    visitor_read_seq: 0,
    visitor_left_at: null,
  };
  try {
    return await inTransaction(ctx, async (tx, publish) => {
      await tx.insertInto('chats').values(chat).execute();
      const visitor = { author_kind: 'visitor' as const, author_id: null, author_name: name || null, ended_by: null };
      await appendEvent(tx, ctx, chat.id, { ...visitor, kind: 'message', body: question, client_msg_id: input.clientMsgId });
      const { chat: queued } = await appendEvent(tx, ctx, chat.id, {
        kind: 'queued', author_kind: 'system', author_id: null, author_name: null, body: null, client_msg_id: null, ended_by: null,
      });
      publish(topics.channel(channel.id), { kind: 'queueAdded', item: queueItem(queued, channel) });
      return visitorChatView(tx, queued, channel.key);
    });
  } catch (err) {
    // Two copies of the same request raced: the other one created it.
    if (isUniqueViolation(err)) {
      const raced = await findChatByToken(ctx.db, input.token);
      if (raced) return visitorChatView(ctx.db, raced, channel.key);
    }
    throw err;
  }
}

export interface PostResult {
  chatId: string;
  clientMsgId: string;
  seq: number;
  at: number;
}

/**
 * The earlier copy of a resent message. The id is the client's promise that it is the same message:
 * one from someone else, or with other text, is a different message under a reused id, refused
 * rather than confirmed as the first (whose sender would then believe a text was delivered that was not).
 */
export async function findByClientMsgId(db: Executor, chatId: string, clientMsgId: string, author: Pick<ChatEventsTable, 'author_kind' | 'author_id'>, body: string): Promise<PostResult | undefined> {
  const row = await db
    .selectFrom('chat_events')
    .select(['seq', 'created_at', 'author_kind', 'author_id', 'body'])
    .where('chat_id', '=', chatId)
    .where('client_msg_id', '=', clientMsgId)
    .executeTakeFirst();
  if (!row) return undefined;
  if (row.author_kind !== author.author_kind || row.author_id !== author.author_id || row.body !== body) throw new AppError('idempotency_conflict', 'clientMsgId');
  return { chatId, clientMsgId, seq: row.seq, at: row.created_at };
}

/**
 * Stores a message and returns its seq once committed. A resend with the same clientMsgId returns
 * the first copy's seq and stores nothing, so a client may resend freely after any failure.
 */
export async function postMessage(ctx: Ctx, actor: Actor, input: { chatId: string; clientMsgId: string; body: string }): Promise<PostResult> {
  const body = input.body.replace(/\s+$/u, '');
  if (body.trim().length === 0) throw new AppError('message_empty', 'body');
  if (body.length > LIMITS.messageBody) throw new AppError('message_too_long', 'body');
  try {
    // Access and dedup are checked inside the transaction: on SQLite's single connection every
    // statement outside it would wait for a whole commit cycle of its own.
    return await inTransaction(ctx, async (tx, publish) => {
      const chat = await accessChat(tx, actor, input.chatId, actor.kind === 'visitor' ? 'read' : 'write');
      const duplicate = await findByClientMsgId(tx, chat.id, input.clientMsgId, authorOf(actor, chat), body);
      if (duplicate) return duplicate;
      const { event, chat: updated } = await appendEvent(
        tx,
        ctx,
        chat.id,
        { ...authorOf(actor, chat), kind: 'message', body, client_msg_id: input.clientMsgId, ended_by: null },
        (current) => {
          if (current.status === 'ended') throw new AppError('chat_ended');
          if (actor.kind === 'agent' && (current.status !== 'active' || current.agent_id !== actor.agent.id)) throw new AppError('not_chat_agent');
        },
      );
      const answering = actor.kind === 'agent';
      if (answering) {
        // Answering means the agent has read everything before it; the visitor must hear so too.
        await tx.updateTable('chats').set({ agent_read_seq: event.seq }).where('id', '=', chat.id).execute();
        updated.agent_read_seq = event.seq;
      }
      const summary = await publishEvent(tx, updated, event, publish);
      if (answering) publish(topics.chat(chat.id), { kind: 'read', chatId: chat.id, seq: event.seq, summary });
      return { chatId: chat.id, clientMsgId: input.clientMsgId, seq: event.seq, at: event.at };
    });
  } catch (err) {
    // Two copies raced on PostgreSQL; the unique index let exactly one in.
    if (isUniqueViolation(err)) {
      const chat = await ctx.db.selectFrom('chats').select('visitor_name').where('id', '=', input.chatId).executeTakeFirstOrThrow();
      const raced = await findByClientMsgId(ctx.db, input.chatId, input.clientMsgId, authorOf(actor, chat), body);
      if (raced) return raced;
    }
    throw err;
  }
}

/**
 * An agent takes a waiting chat. The conditional update is the arbiter: of two agents claiming at
 * once exactly one changes the row; the other is told who was faster.
 */
/** Records that the agent took the chat (already won in `tx`) and queues the news for after the commit. */
async function completeClaim(tx: Tx, ctx: Ctx, actor: AgentActor, chatId: string, channelId: string, publish: Publish): Promise<AgentChatSummary> {
  const { event, chat: claimed } = await appendEvent(tx, ctx, chatId, {
    kind: 'joined', author_kind: 'agent', author_id: actor.agent.id, author_name: actor.agent.name, body: null, client_msg_id: null, ended_by: null,
  });
  publish(topics.channel(channelId), { kind: 'queueRemoved', chatId, channelId });
  const summary = await publishChatState(tx, claimed, publish, await publishEvent(tx, claimed, event, publish));
  publish(topics.agent(actor.agent.id), { kind: 'assigned', summary });
  return summary;
}

/**
 * An agent takes a waiting chat. The conditional update is the arbiter: of two agents claiming at
 * once exactly one changes the row; the other is told who was faster.
 */
export async function claimChat(ctx: Ctx, actor: AgentActor, input: { chatId: string }): Promise<AgentChatSummary> {
  const result = await inTransaction(ctx, async (tx, publish) => {
    const chat = await accessChat(tx, actor, input.chatId, 'claim');
    const won = await tx
      .updateTable('chats')
      .set({ status: 'active', agent_id: actor.agent.id, claimed_at: ctx.now() })
      .where('id', '=', chat.id)
      .where('status', '=', 'waiting')
      .executeTakeFirst();
    if (Number(won.numUpdatedRows) !== 1) return null;
    return completeClaim(tx, ctx, actor, chat.id, chat.channel_id, publish);
  });
  if (result) return result;
  const now = await ctx.db.selectFrom('chats').select('status').where('id', '=', input.chatId).executeTakeFirstOrThrow();
  throw new AppError(now.status === 'ended' ? 'chat_ended' : 'chat_already_claimed');
}

/**
 * "Get next in queue": takes the oldest waiting chat of the agent's channels in one statement, so
 * agents racing for the head of the queue don't all pick the same chat and lose in turn.
 */
export async function claimNextChat(ctx: Ctx, actor: AgentActor): Promise<AgentChatSummary> {
  const channelIds = await respondableChannelIds(ctx, actor);
  for (let attempt = 0; attempt < 20 && channelIds.length > 0; attempt++) {
    const result = await inTransaction(ctx, async (tx, publish) => {
      let oldest = waitingChats(tx, channelIds).select('chats.id').limit(1);
      // PostgreSQL runs claims concurrently: each skips the rows others are taking instead of
      // waiting for them. SQLite has a single writer, so there is nothing to skip.
      if (ctx.dialect === 'postgres') oldest = oldest.forUpdate().skipLocked();
      const won = await tx
        .updateTable('chats')
        .set({ status: 'active', agent_id: actor.agent.id, claimed_at: ctx.now() })
        .where('id', '=', oldest)
        .where('status', '=', 'waiting')
        .returning(['id', 'channel_id'])
        .executeTakeFirst();
      return won ? completeClaim(tx, ctx, actor, won.id, won.channel_id, publish) : null;
    });
    if (result) return result;
    // Nothing taken: either the queue is empty, or every waiting chat was being taken by others.
    const left = await waitingChats(ctx.db, channelIds).select('chats.id').limit(1).executeTakeFirst();
    if (!left) break;
  }
  throw new AppError('queue_empty');
}

async function respondableChannelIds(ctx: Ctx, actor: AgentActor): Promise<string[]> {
  if (actor.agent.role === 'admin') return agentChannelIds(ctx.db, actor);
  const rows = await ctx.db
    .selectFrom('channel_agents')
    .select('channel_id')
    .where('agent_id', '=', actor.agent.id)
    .where('can_respond', '=', 1)
    .execute();
  return rows.map((r) => r.channel_id);
}

/** Either side ends the chat; both see an `ended` event. Ending an ended chat is a no-op. */
export async function endChat(ctx: Ctx, actor: Actor, input: { chatId: string }): Promise<void> {
  await inTransaction(ctx, async (tx, publish) => {
    const chat = await accessChat(tx, actor, input.chatId, actor.kind === 'visitor' ? 'read' : 'end');
    await finishChat(tx, ctx, chat, actor.kind === 'visitor' ? 'visitor' : 'agent', authorOf(actor, chat), publish);
  });
}

/**
 * Ends `chat` inside `tx` unless it already ended (then returns false). `extra` narrows the
 * conditional update further: "the visitor is still unseen", for the grace-period sweeper.
 */
export async function finishChat(
  tx: Tx,
  ctx: Ctx,
  chat: ChatsTable,
  endedBy: 'visitor' | 'agent' | 'system',
  author: Pick<ChatEventsTable, 'author_kind' | 'author_id' | 'author_name'>,
  publish: Publish,
  extra?: { visitorSeenBefore: number },
): Promise<boolean> {
  let update = tx
    .updateTable('chats')
    .set({ status: 'ended', ended_at: ctx.now(), ended_by: endedBy })
    .where('id', '=', chat.id)
    .where('status', '!=', 'ended');
  if (extra) update = update.where('visitor_seen_at', '<', extra.visitorSeenBefore);
  const done = await update.executeTakeFirst();
  if (Number(done.numUpdatedRows) !== 1) return false;
  await withdrawTransfers(tx, chat.id, ctx.now(), publish);
  const { event, chat: ended } = await appendEvent(tx, ctx, chat.id, { ...author, kind: 'ended', body: null, client_msg_id: null, ended_by: endedBy });
  if (chat.status === 'waiting') publish(topics.channel(chat.channel_id), { kind: 'queueRemoved', chatId: chat.id, channelId: chat.channel_id });
  await publishChatState(tx, ended, publish, await publishEvent(tx, ended, event, publish));
  return true;
}

/** The agent has seen the chat up to `seq`: unread counts drop and the visitor sees "read". */
export async function markRead(ctx: Ctx, actor: AgentActor, input: { chatId: string; seq: number }): Promise<void> {
  await inTransaction(ctx, async (tx, publish) => {
    const chat = await accessChat(tx, actor, input.chatId, 'write');
    const seq = Math.min(input.seq, chat.last_seq);
    if (seq <= chat.agent_read_seq) return;
    const res = await tx.updateTable('chats').set({ agent_read_seq: seq }).where('id', '=', chat.id).where('agent_read_seq', '<', seq).executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) return;
    const updated = await tx.selectFrom('chats').selectAll().where('id', '=', chat.id).executeTakeFirstOrThrow();
    publish(topics.chat(chat.id), { kind: 'read', chatId: chat.id, seq, summary: await chatSummary(tx, updated) });
  });
}

const RECENT_MS = 8 * 60 * 60 * 1000;

/** The agent's ongoing chats and those ended in the last 8 hours, and the chats they listen to, newest first. */
export async function agentChats(ctx: Ctx, actor: AgentActor): Promise<AgentChatSummary[]> {
  const since = ctx.now() - RECENT_MS;
  const listened = await listenedChatIds(ctx.db, actor);
  const rows = await ctx.db
    .selectFrom('chats')
    .selectAll()
    .where((eb) => (listened.length === 0 ? eb('agent_id', '=', actor.agent.id) : eb.or([eb('agent_id', '=', actor.agent.id), eb('id', 'in', listened)])))
    .where((eb) => eb.or([eb('status', '=', 'active'), eb.and([eb('status', '=', 'ended'), eb('ended_at', '>', since)])]))
    .orderBy('created_at', 'desc')
    .limit(200)
    .execute();
  return Promise.all(rows.map((chat) => chatSummary(ctx.db, chat)));
}

export async function agentQueue(ctx: Ctx, actor: AgentActor) {
  const channelIds = await agentChannelIds(ctx.db, actor);
  if (channelIds.length === 0) return [];
  const rows = await waitingChats(ctx.db, channelIds)
    .innerJoin('channels', 'channels.id', 'chats.channel_id')
    .selectAll('chats')
    .select('channels.name as channel_name')
    .limit(500)
    .execute();
  return rows.map(({ channel_name, ...chat }) => queueItem(chat, { name: channel_name }));
}

/** Waiting chats of a channel in queue order: position = index + 1. */
export async function waitingChatIds(ctx: Ctx, channelId: string): Promise<string[]> {
  const rows = await waitingChats(ctx.db, [channelId]).select('chats.id').execute();
  return rows.map((r) => r.id);
}

/**
 * An agent can no longer serve (deactivated): their ongoing chats go back to the queue, at the
 * back, with their history, so no customer is left talking to nobody.
 */
export async function requeueAgentChats(tx: Tx, ctx: Ctx, agentId: string, publish: Publish): Promise<number> {
  const now = ctx.now();
  const taken = await tx
    .updateTable('chats')
    .set({ status: 'waiting', agent_id: null, claimed_at: null, queued_at: now, warned_at: null, manager_warned_at: null })
    .where('agent_id', '=', agentId)
    .where('status', '=', 'active')
    .returning(['id', 'channel_id'])
    .execute();
  for (const { id, channel_id } of taken) {
    await withdrawTransfers(tx, id, now, publish);
    const { event, chat } = await appendEvent(tx, ctx, id, {
      kind: 'queued', author_kind: 'system', author_id: null, author_name: null, body: null, client_msg_id: null, ended_by: null,
    });
    const channel = await channelOf(tx, channel_id);
    publish(topics.channel(channel_id), { kind: 'queueAdded', item: queueItem(chat, channel) });
    await publishChatState(tx, chat, publish, await publishEvent(tx, chat, event, publish));
  }
  return taken.length;
}
