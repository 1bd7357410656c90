import type { AgentChatSummary, OngoingChatsResult } from '@loket/protocol';
import type { Executor, Tx } from '../../db/database.js';
import type { ChatsTable } from '../../db/schema.js';
import { topics } from '../../realtime/bus.js';
import { accessChat, accessChannel, mayListen } from '../access.js';
import type { AgentActor } from '../actors.js';
import { inTransaction, type Ctx, type Publish } from '../context.js';
import { AppError } from '../errors.js';
import { chatSummary, toAgentPublic } from '../views.js';

/**
 * Listening in: agents with "Can listen in" and managers follow an ongoing chat of their channels
 * silently and read-only (accessChat's 'note' right). The customer is told nothing; the chat joins
 * the agent's list (chat_listeners) until they stop or it leaves their reach.
 */
export async function listenIn(ctx: Ctx, actor: AgentActor, chatId: string): Promise<AgentChatSummary> {
  return inTransaction(ctx, async (tx, publish) => {
    const chat = await accessChat(tx, actor, chatId, 'note');
    const summary = await chatSummary(tx, chat);
    if (chat.agent_id === actor.agent.id) return summary;
    if (chat.status !== 'active') throw new AppError(chat.status === 'ended' ? 'chat_ended' : 'chat_not_active');
    await addListener(tx, chat.id, actor.agent.id, ctx.now());
    publish(topics.agent(actor.agent.id), { kind: 'listening', summary });
    return summary;
  });
}

export async function stopListening(ctx: Ctx, actor: AgentActor, chatId: string): Promise<void> {
  await inTransaction(ctx, async (tx, publish) => {
    const gone = await tx.deleteFrom('chat_listeners').where('chat_id', '=', chatId).where('agent_id', '=', actor.agent.id).executeTakeFirst();
    if (Number(gone.numDeletedRows) > 0) publish(topics.agent(actor.agent.id), { kind: 'unlisted', chatId });
  });
}

async function addListener(tx: Tx, chatId: string, agentId: string, now: number): Promise<void> {
  await tx
    .insertInto('chat_listeners')
    .values({ chat_id: chatId, agent_id: agentId, created_at: now })
    .onConflict((oc) => oc.columns(['chat_id', 'agent_id']).doNothing())
    .execute();
}

/**
 * The chat's former owner after a transfer or take-over: stays as a silent listener when allowed
 * to listen in the chat's channel; otherwise the chat leaves their list.
 */
export async function keepFormerOwner(tx: Tx, ctx: Ctx, chat: ChatsTable, formerId: string, summary: AgentChatSummary, publish: Publish): Promise<void> {
  const former = await tx.selectFrom('agents').selectAll().where('id', '=', formerId).executeTakeFirst();
  let listens = false;
  if (former && former.active === 1) {
    listens = await accessChannel(tx, { kind: 'agent', agent: former, sessionId: '' }, chat.channel_id).then(mayListen, () => false);
  }
  if (listens) {
    await addListener(tx, chat.id, formerId, ctx.now());
    publish(topics.agent(formerId), { kind: 'listening', summary });
  } else {
    publish(topics.agent(formerId), { kind: 'unlisted', chatId: chat.id });
  }
}

/** The new owner no longer listens: they serve. */
export async function dropListener(tx: Tx, chatId: string, agentId: string): Promise<void> {
  await tx.deleteFrom('chat_listeners').where('chat_id', '=', chatId).where('agent_id', '=', agentId).execute();
}

/** Channels whose chats this agent may watch (listen or manage; administrators: all). */
async function listenChannelIds(db: Executor, actor: AgentActor): Promise<string[]> {
  if (actor.agent.role === 'admin') return (await db.selectFrom('channels').select('id').execute()).map((r) => r.id);
  const rows = await db
    .selectFrom('channel_agents')
    .select('channel_id')
    .where('agent_id', '=', actor.agent.id)
    .where((eb) => eb.or([eb('can_listen', '=', 1), eb('manager', '=', 1)]))
    .execute();
  return rows.map((r) => r.channel_id);
}

/** Ids of the chats the agent listens to and still may (the snapshot's part beside their own chats). */
export async function listenedChatIds(db: Executor, actor: AgentActor): Promise<string[]> {
  const channels = await listenChannelIds(db, actor);
  if (channels.length === 0) return [];
  const rows = await db
    .selectFrom('chat_listeners')
    .innerJoin('chats', 'chats.id', 'chat_listeners.chat_id')
    .select('chats.id')
    .where('chat_listeners.agent_id', '=', actor.agent.id)
    .where('chats.channel_id', 'in', channels)
    .execute();
  return rows.map((r) => r.id);
}

/** GET /api/chats/ongoing: what the agent may listen in to (others' ongoing chats of those channels). */
export async function ongoingChats(ctx: Ctx, actor: AgentActor): Promise<OngoingChatsResult> {
  const channels = await listenChannelIds(ctx.db, actor);
  const managed =
    actor.agent.role === 'admin'
      ? channels
      : (await ctx.db.selectFrom('channel_agents').select('channel_id').where('agent_id', '=', actor.agent.id).where('manager', '=', 1).execute()).map((r) => r.channel_id);
  if (channels.length === 0) return { chats: [], listenChannelIds: [], managedChannelIds: [] };
  const rows = await ctx.db
    .selectFrom('chats')
    .selectAll()
    .where('channel_id', 'in', channels)
    .where('status', '=', 'active')
    .where('agent_id', '!=', actor.agent.id)
    .orderBy('claimed_at', 'desc')
    .limit(200)
    .execute();
  const agentIds = [...new Set(rows.map((r) => r.agent_id).filter((id): id is string => id !== null))];
  const agents = agentIds.length === 0 ? [] : await ctx.db.selectFrom('agents').select(['id', 'name', 'photo_url']).where('id', 'in', agentIds).execute();
  const byId = new Map(agents.map((a) => [a.id, toAgentPublic(a)]));
  return {
    chats: await Promise.all(rows.map(async (chat) => ({ chat: await chatSummary(ctx.db, chat), agent: (chat.agent_id && byId.get(chat.agent_id)) || null }))),
    listenChannelIds: channels,
    managedChannelIds: managed,
  };
}
