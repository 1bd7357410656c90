import { createHash } from 'node:crypto';
import { FileInfoSchema, type AgentChatSummary, type AgentPublic, type ChatEvent, type QueueInfo, type QueueItem, type Rating, type VisitorChat, type VisitorField } from '@loket/protocol';
import type { Executor } from '../db/database.js';
import type { AgentsTable, ChannelsTable, ChatEventsTable, ChatsTable } from '../db/schema.js';
import { channelFields } from './channels.js';

/** Row → wire shapes. Kept apart from the actions so every surface renders a chat the same way. */

export function toEvent(row: ChatEventsTable): ChatEvent {
  const event: ChatEvent = {
    seq: row.seq,
    kind: row.kind,
    at: row.created_at,
    author: { kind: row.author_kind },
  };
  if (row.author_id !== null) event.author.id = row.author_id;
  if (row.author_name !== null) event.author.name = row.author_name;
  if (row.body !== null) event.body = row.body;
  if (row.client_msg_id !== null) event.clientMsgId = row.client_msg_id;
  if (row.ended_by !== null) event.endedBy = row.ended_by as 'visitor' | 'agent' | 'system';
  if (row.file) event.file = FileInfoSchema.parse(JSON.parse(row.file));
  return event;
}

export function toAgentPublic(agent: Pick<AgentsTable, 'id' | 'name' | 'photo_url'>): AgentPublic {
  return { id: agent.id, name: agent.name, photoUrl: publicPhotoUrl(agent) };
}

/**
 * An uploaded photo is stored inline (a data: URL of up to ~270 KB); clients get a URL of its own
 * instead, so it isn't resent with every chat state and the browser caches it. The version in the
 * URL changes with the photo.
 */
export function publicPhotoUrl(agent: Pick<AgentsTable, 'id' | 'photo_url'>): string | null {
  const url = agent.photo_url;
  if (url === null || !url.startsWith('data:')) return url;
  return `/api/agents/${encodeURIComponent(agent.id)}/photo?v=${createHash('sha256').update(url).digest('base64url').slice(0, 12)}`;
}

export async function loadEvents(db: Executor, chatId: string, afterSeq: number, limit = 1000): Promise<ChatEvent[]> {
  const rows = await db
    .selectFrom('chat_events')
    .selectAll()
    .where('chat_id', '=', chatId)
    .where('seq', '>', afterSeq)
    .orderBy('seq')
    .limit(limit)
    .execute();
  return rows.map(toEvent);
}

export async function queueInfo(db: Executor, chat: ChatsTable): Promise<QueueInfo | null> {
  if (chat.status !== 'waiting') return null;
  const ahead = await db
    .selectFrom('chats')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('channel_id', '=', chat.channel_id)
    .where('status', '=', 'waiting')
    .where((eb) => eb.or([eb('queued_at', '<', chat.queued_at), eb.and([eb('queued_at', '=', chat.queued_at), eb('id', '<', chat.id)])]))
    .executeTakeFirstOrThrow();
  return { position: Number(ahead.n) + 1, avgWaitSeconds: await averageWaitSeconds(db, chat.channel_id) };
}

/** Average wait of the last 50 chats an agent took in this channel: recent enough to be honest. */
export async function averageWaitSeconds(db: Executor, channelId: string): Promise<number | null> {
  const rows = await db
    .selectFrom('chats')
    .select(['queued_at', 'claimed_at'])
    .where('channel_id', '=', channelId)
    .where('claimed_at', 'is not', null)
    .orderBy('claimed_at', 'desc')
    .limit(50)
    .execute();
  if (rows.length === 0) return null;
  const total = rows.reduce((sum, r) => sum + Math.max(0, (r.claimed_at ?? r.queued_at) - r.queued_at), 0);
  return Math.round(total / rows.length / 1000);
}

export async function visitorChatView(db: Executor, chat: ChatsTable, channelKey: string): Promise<VisitorChat> {
  let agent: AgentPublic | null = null;
  if (chat.agent_id !== null) {
    const row = await db.selectFrom('agents').select(['id', 'name', 'photo_url']).where('id', '=', chat.agent_id).executeTakeFirst();
    if (row) agent = toAgentPublic(row);
  }
  return {
    id: chat.id,
    channelKey,
    status: chat.status,
    visitorName: chat.visitor_name,
    agent,
    queue: await queueInfo(db, chat),
    lastSeq: chat.last_seq,
    agentReadSeq: chat.agent_read_seq,
    rating: ratingOf(chat),
    transcripts: chat.status === 'ended' ? await transcriptCount(db, chat.id) : 0,
    visitorEmail: chat.visitor_email,
  };
}

export function ratingOf(chat: ChatsTable): Rating | null {
  if (chat.rating_score === null || chat.rated_at === null) return null;
  return { score: chat.rating_score, comment: chat.rating_comment ?? '', at: chat.rated_at };
}

/** Transcripts requested for a chat so far (whatever their sending status). */
export async function transcriptCount(db: Executor, chatId: string): Promise<number> {
  const row = await db
    .selectFrom('emails')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('chat_id', '=', chatId)
    .where('kind', '=', 'transcript')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The chat as listed for agents; channel name and unread count come from one query (it's on every message's path). */
export async function chatSummary(db: Executor, chat: ChatsTable): Promise<AgentChatSummary> {
  const extra = await db
    .selectFrom('channels')
    .select(['channels.name', 'channels.prechat_fields'])
    .select((eb) =>
      eb
        .selectFrom('chat_events')
        .select(eb.fn.countAll<number>().as('n'))
        .where('chat_events.chat_id', '=', chat.id)
        .where('chat_events.seq', '>', chat.agent_read_seq)
        .where('chat_events.kind', 'in', ['message', 'file'])
        .where('chat_events.author_kind', '=', 'visitor')
        .as('unread'),
    )
    .where('channels.id', '=', chat.channel_id)
    .executeTakeFirstOrThrow();
  return {
    id: chat.id,
    channelId: chat.channel_id,
    channelName: extra.name,
    status: chat.status,
    visitorName: chat.visitor_name,
    visitorEmail: chat.visitor_email,
    agentId: chat.agent_id,
    queuedAt: chat.queued_at,
    claimedAt: chat.claimed_at,
    endedAt: chat.ended_at,
    lastSeq: chat.last_seq,
    lastMessage: chat.last_message,
    lastMessageAt: chat.last_message_at,
    unread: Number(extra.unread ?? 0),
    rating: ratingOf(chat),
    visitorFields: visitorFields(chat, extra.prechat_fields),
    visitorReadSeq: chat.visitor_read_seq,
    visitorLeftAt: chat.visitor_left_at,
  };
}

/** The visitor's pre-chat answers labelled by the channel's current form; answers to removed fields keep their key. */
export function visitorFields(chat: Pick<ChatsTable, 'visitor_fields'>, prechatFields: string): VisitorField[] {
  const stored: unknown = JSON.parse(chat.visitor_fields);
  if (typeof stored !== 'object' || stored === null) return [];
  const answers = stored as Record<string, unknown>;
  const form = channelFields({ prechat_fields: prechatFields });
  const order = ['phone', 'company', ...form.map((f) => f.key), ...Object.keys(answers)];
  const result: VisitorField[] = [];
  for (const key of new Set(order)) {
    const value = answers[key];
    if (typeof value !== 'string' && typeof value !== 'boolean') continue;
    const label = key === 'phone' || key === 'company' ? '' : (form.find((f) => f.key === key)?.label ?? key);
    result.push({ key, label, value });
  }
  return result;
}

export function queueItem(chat: ChatsTable, channel: Pick<ChannelsTable, 'name'>): QueueItem {
  return {
    chatId: chat.id,
    channelId: chat.channel_id,
    channelName: channel.name,
    visitorName: chat.visitor_name,
    question: chat.question,
    queuedAt: chat.queued_at,
  };
}

export async function channelOf(db: Executor, channelId: string): Promise<ChannelsTable> {
  return db.selectFrom('channels').selectAll().where('id', '=', channelId).executeTakeFirstOrThrow();
}
