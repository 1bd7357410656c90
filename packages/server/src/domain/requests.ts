import {
  isPlausiblePhone,
  LIMITS,
  REQUEST_LIMITS,
  type FieldMode,
  type RequestCreated,
  type RequestDetail,
  type RequestInput,
  type RequestList,
  type RequestListQuery,
  type RequestStatus,
  type SupportRequest,
  type ChatEvent,
} from '@loket/protocol';
import { randomInt } from 'node:crypto';
import { isUniqueViolation, type Executor } from '../db/database.js';
import type { ChannelsTable, RequestsTable } from '../db/schema.js';
import { enqueueEmail } from '../email/outbox.js';
import { accessChannel, agentChannelIds } from './access.js';
import type { AgentActor } from './actors.js';
import { findChannelByKey, offlineConfig, offlinePriority } from './channels.js';
import { findChatByToken, finishChat } from './chats.js';
import { inTransaction, type Ctx } from './context.js';
import { AppError } from './errors.js';
import { newId } from './ids.js';
import { toEvent } from './views.js';
import { confirmationEmail, replyEmail } from './request-emails.js';

/**
 * Requests left through a channel's offline form (docs/requests.md): the customer gets an ID and a
 * confirmation e-mail; agents of the channel list them, set their status and answer by e-mail.
 */

const DIGITS = '0123456789';
/** REQUEST_PUBLIC_ID_PATTERN: no 0/O or 1/I/L, so an ID read out over the phone is unambiguous. */
const LETTERS = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const pick = (alphabet: string, n: number): string => Array.from({ length: n }, () => alphabet[randomInt(alphabet.length)]).join('');
export const newPublicId = (): string => `LK-${pick(DIGITS, 4)}-${pick(LETTERS, 3)}`;

/** 10^4 · 31^3 ≈ 3·10^8 ids; a few tries make a collision practically impossible to hit twice. */
const PUBLIC_ID_TRIES = 5;

function fieldText(mode: FieldMode, value: string, field: string, max: number): string {
  if (mode === 'off') return '';
  const text = value.trim();
  if (text === '' && mode === 'required') throw new AppError('field_required', field);
  if (text.length > max) throw new AppError('validation_failed', field);
  return text;
}

/** The request an earlier copy with this key made; `question` tells a resend from another request under a reused key. */
export async function existingByKey(db: Executor, channelId: string, requestKey: string, question: string): Promise<RequestCreated | null> {
  const row = await db.selectFrom('requests').select(['public_id', 'email', 'channel_id', 'question']).where('request_key', '=', requestKey).executeTakeFirst();
  if (!row) return null;
  // Keys are random per form; one reused on another channel is not a resend of this request.
  if (row.channel_id !== channelId) throw new AppError('validation_failed', 'requestKey');
  if (row.question !== question) throw new AppError('idempotency_conflict', 'requestKey');
  return { publicId: row.public_id, email: row.email };
}

/** The customer's request from the chat window. Rate limiting per address is the route's (http/request-routes.ts). */
export async function createRequest(ctx: Ctx, channelKey: string, input: RequestInput, ip: string): Promise<RequestCreated> {
  const channel = await findChannelByKey(ctx.db, channelKey);
  const form = offlineConfig(channel);
  if (!form.requests) throw new AppError('feature_disabled');
  // Nothing is stored for a bot, and it learns nothing from a friendlier answer either.
  if (input.website.trim() !== '') throw new AppError('spam_detected', 'website');
  const done = await existingByKey(ctx.db, channel.id, input.requestKey, input.question.trim());
  if (done) return done;

  const name = fieldText(form.name, input.name, 'name', LIMITS.name);
  const phone = fieldText(form.phone, input.phone, 'phone', REQUEST_LIMITS.phone);
  if (phone !== '' && !isPlausiblePhone(phone)) throw new AppError('validation_failed', 'phone');
  const company = fieldText(form.company, input.company, 'company', REQUEST_LIMITS.company);
  const question = input.question.trim();
  if (question === '') throw new AppError('field_required', 'question');
  if (question.length > REQUEST_LIMITS.question) throw new AppError('message_too_long', 'question');
  if (input.email.trim() === '') throw new AppError('field_required', 'email');
  const verdict = await ctx.email.verify(input.email);
  if (!verdict.ok) throw new AppError(verdict.code, 'email');

  let chatId: string | null = null;
  if (input.chatToken !== undefined && input.chatToken !== '') {
    const chat = await findChatByToken(ctx.db, input.chatToken);
    if (!chat || chat.channel_id !== channel.id) throw new AppError('chat_not_found', 'chatToken');
    chatId = chat.id;
  }

  const now = ctx.now();
  const base: Omit<RequestsTable, 'id' | 'public_id'> = {
    request_key: input.requestKey,
    channel_id: channel.id,
    chat_id: chatId,
    category: channel.offline_category,
    priority: offlinePriority(channel),
    status: 'open',
    name,
    email: verdict.address,
    phone,
    company,
    question,
    ip: ip.slice(0, 64),
    created_at: now,
    updated_at: now,
    title: '',
    created_by: null,
  };
  for (let attempt = 1; ; attempt++) {
    const row: RequestsTable = { ...base, id: newId(), public_id: newPublicId() };
    try {
      await insertRequest(ctx, channel, row);
      ctx.mailKick?.();
      return { publicId: row.public_id, email: row.email };
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      // Either the same request raced in (same key: that one is the answer) or the random ID was taken.
      const raced = await existingByKey(ctx.db, channel.id, input.requestKey, row.question);
      if (raced) return raced;
      if (attempt >= PUBLIC_ID_TRIES) throw err;
    }
  }
}

async function insertRequest(ctx: Ctx, channel: ChannelsTable, row: RequestsTable): Promise<void> {
  await inTransaction(ctx, async (tx, publish) => {
    await tx.insertInto('requests').values(row).execute();
    if (row.chat_id !== null) {
      // The customer gave up waiting and left a request instead: the chat leaves the queue with it.
      const chat = await tx.selectFrom('chats').selectAll().where('id', '=', row.chat_id).executeTakeFirstOrThrow();
      const author = { author_kind: 'visitor' as const, author_id: null, author_name: chat.visitor_name || null };
      await finishChat(tx, ctx, chat, 'visitor', author, publish);
    }
    const mail = await confirmationEmail(tx, channel, row);
    await enqueueEmail(tx, ctx, {
      kind: 'request_confirmation',
      chatId: row.chat_id,
      to: { name: row.name, address: row.email },
      ...mail,
      dedupKey: `request:${row.id}`,
    });
  });
}

export function toSupportRequest(row: RequestsTable, channelName: string): SupportRequest {
  return {
    id: row.id,
    publicId: row.public_id,
    channelId: row.channel_id,
    channelName,
    category: row.category,
    priority: row.priority === 'low' || row.priority === 'high' || row.priority === 'urgent' ? row.priority : 'normal',
    status: row.status,
    name: row.name,
    email: row.email,
    phone: row.phone,
    company: row.company,
    question: row.question,
    chatId: row.chat_id,
    title: row.title,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

const LIST_LIMIT = 500;
/** Event kinds a request shows of its chat; internal notes never leave the agents' chat view. */
const REQUEST_EVENT_KINDS = ['message', 'file'] as const;

/** Requests of the actor's channels (administrators: all), newest first. */
export async function listRequests(ctx: Ctx, actor: AgentActor, query: RequestListQuery): Promise<RequestList> {
  const channelIds = await agentChannelIds(ctx.db, actor);
  if (query.channelId !== undefined && !channelIds.includes(query.channelId)) return { requests: [] };
  const ids = query.channelId !== undefined ? [query.channelId] : channelIds;
  if (ids.length === 0) return { requests: [] };
  let q = ctx.db
    .selectFrom('requests')
    .innerJoin('channels', 'channels.id', 'requests.channel_id')
    .selectAll('requests')
    .select('channels.name as channel_name')
    .where('requests.channel_id', 'in', ids);
  if (query.status !== undefined) q = q.where('requests.status', '=', query.status);
  if (query.category !== undefined) q = q.where('requests.category', '=', query.category);
  if (query.priority !== undefined) q = q.where('requests.priority', '=', query.priority);
  const rows = await q.orderBy('requests.created_at', 'desc').orderBy('requests.id').limit(LIST_LIMIT).execute();
  return { requests: rows.map(({ channel_name, ...row }) => toSupportRequest(row, channel_name)) };
}

/** A request someone may not see is reported as not found, so ids can't be probed. */
async function accessRequest(db: Executor, actor: AgentActor, id: string): Promise<RequestsTable> {
  const row = await db.selectFrom('requests').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new AppError('not_found');
  try {
    await accessChannel(db, actor, row.channel_id);
  } catch {
    throw new AppError('not_found');
  }
  return row;
}

async function detailOf(db: Executor, row: RequestsTable): Promise<RequestDetail> {
  const channel = await db.selectFrom('channels').select('name').where('id', '=', row.channel_id).executeTakeFirstOrThrow();
  const replies = await db
    .selectFrom('request_replies')
    .leftJoin('emails', 'emails.id', 'request_replies.email_id')
    .selectAll('request_replies')
    .select('emails.status as email_status')
    .where('request_replies.request_id', '=', row.id)
    .orderBy('request_replies.created_at')
    .orderBy('request_replies.id')
    .execute();
  return {
    request: toSupportRequest(row, channel.name),
    conversation: row.chat_id === null ? [] : await conversationOf(db, row.chat_id),
    replies: replies.map((r) => ({ id: r.id, agentId: r.agent_id, agentName: r.agent_name, body: r.body, emailId: r.email_id, emailStatus: r.email_status, at: r.created_at })),
  };
}

/** What of a chat belongs in its request: what the customer and the agents said to each other. */
async function conversationOf(db: Executor, chatId: string): Promise<ChatEvent[]> {
  const rows = await db.selectFrom('chat_events').selectAll().where('chat_id', '=', chatId).where('kind', 'in', REQUEST_EVENT_KINDS).orderBy('seq').limit(LIST_LIMIT * 4).execute();
  return rows.map(toEvent);
}

export async function getRequest(ctx: Ctx, actor: AgentActor, id: string): Promise<RequestDetail> {
  return detailOf(ctx.db, await accessRequest(ctx.db, actor, id));
}

export async function setRequestStatus(ctx: Ctx, actor: AgentActor, id: string, status: RequestStatus): Promise<RequestDetail> {
  return inTransaction(ctx, async (tx) => {
    const row = await accessRequest(tx, actor, id);
    if (row.status === status) return detailOf(tx, row);
    const updated_at = ctx.now();
    await tx.updateTable('requests').set({ status, updated_at }).where('id', '=', id).execute();
    return detailOf(tx, { ...row, status, updated_at });
  });
}

/** An agent's answer, e-mailed to the customer through the outbox and kept on the request. */
export async function replyToRequest(ctx: Ctx, actor: AgentActor, id: string, input: { body: string; replyKey: string }): Promise<RequestDetail> {
  const body = input.body.trim();
  if (body === '') throw new AppError('field_required', 'body');
  if (body.length > REQUEST_LIMITS.reply) throw new AppError('message_too_long', 'body');
  const resend = async (db: Executor): Promise<RequestDetail | null> => {
    const reply = await db.selectFrom('request_replies').select(['request_id', 'body']).where('reply_key', '=', input.replyKey).executeTakeFirst();
    if (!reply) return null;
    if (reply.request_id !== id) throw new AppError('validation_failed', 'replyKey');
    if (reply.body !== body) throw new AppError('idempotency_conflict', 'replyKey');
    return detailOf(db, await accessRequest(db, actor, id));
  };
  const before = await resend(ctx.db);
  if (before) return before;
  try {
    const detail = await inTransaction(ctx, async (tx) => {
      const row = await accessRequest(tx, actor, id);
      const channel = await tx.selectFrom('channels').selectAll().where('id', '=', row.channel_id).executeTakeFirstOrThrow();
      const mail = replyEmail(channel, row, actor.agent.name, body);
      const emailId = await enqueueEmail(tx, ctx, {
        kind: 'request_reply',
        chatId: row.chat_id,
        to: { name: row.name, address: row.email },
        ...mail,
        dedupKey: `request-reply:${input.replyKey}`,
      });
      const now = ctx.now();
      await tx
        .insertInto('request_replies')
        .values({ id: newId(), request_id: row.id, reply_key: input.replyKey, agent_id: actor.agent.id, agent_name: actor.agent.name, body, email_id: emailId, created_at: now })
        .execute();
      // Answered: now it waits for the customer. A pending or closed request keeps its status.
      const status: RequestStatus = row.status === 'open' ? 'pending' : row.status;
      await tx.updateTable('requests').set({ status, updated_at: now }).where('id', '=', row.id).execute();
      return detailOf(tx, { ...row, status, updated_at: now });
    });
    ctx.mailKick?.();
    return detail;
  } catch (err) {
    // The same reply twice at once: the unique reply key let one in, which is the answer.
    if (isUniqueViolation(err)) {
      const raced = await resend(ctx.db);
      if (raced) return raced;
    }
    throw err;
  }
}
