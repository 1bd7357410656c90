import type { Executor } from '../db/database.js';
import type { ChannelAgentsTable, ChatsTable } from '../db/schema.js';
import type { Actor, AgentActor } from './actors.js';
import { AppError } from './errors.js';

/**
 * The one place that decides who may see or do what with a chat, for HTTP and WebSocket alike.
 * A chat someone may not see is reported as not found, so ids can't be probed.
 */
export type ChatAccess = 'read' | 'write' | 'claim' | 'end';

export async function accessChannel(db: Executor, actor: AgentActor, channelId: string): Promise<ChannelAgentsTable> {
  const membership = await db
    .selectFrom('channel_agents')
    .selectAll()
    .where('channel_id', '=', channelId)
    .where('agent_id', '=', actor.agent.id)
    .executeTakeFirst();
  if (membership) return membership;
  if (actor.agent.role === 'admin') {
    // Administrators oversee every channel with manager rights even when not serving it.
    return { channel_id: channelId, agent_id: actor.agent.id, can_respond: 1, notifications: 0, can_listen: 1, manager: 1 };
  }
  throw new AppError('forbidden');
}

export async function accessChat(db: Executor, actor: Actor, chatId: string, mode: ChatAccess): Promise<ChatsTable> {
  const chat = await db.selectFrom('chats').selectAll().where('id', '=', chatId).executeTakeFirst();
  if (!chat) throw new AppError('chat_not_found');
  if (actor.kind === 'visitor') {
    if (actor.chatId !== chat.id) throw new AppError('chat_not_found');
    if (mode === 'claim') throw new AppError('forbidden');
    return chat;
  }
  let membership: ChannelAgentsTable;
  try {
    membership = await accessChannel(db, actor, chat.channel_id);
  } catch {
    throw new AppError('chat_not_found');
  }
  switch (mode) {
    case 'read':
      return chat;
    case 'claim':
      if (membership.can_respond !== 1) throw new AppError('forbidden');
      return chat;
    case 'write':
    case 'end':
      if (chat.agent_id === actor.agent.id) return chat;
      if (mode === 'end' && membership.manager === 1) return chat;
      throw new AppError('not_chat_agent');
  }
}

/** Channel ids in which the agent sees the queue. */
export async function agentChannelIds(db: Executor, actor: AgentActor): Promise<string[]> {
  if (actor.agent.role === 'admin') {
    const rows = await db.selectFrom('channels').select('id').execute();
    return rows.map((r) => r.id);
  }
  const rows = await db.selectFrom('channel_agents').select('channel_id').where('agent_id', '=', actor.agent.id).execute();
  return rows.map((r) => r.channel_id);
}

/** The admin area (channels, templates, outbox): administrators only. */
export function requireAdmin(actor: AgentActor): void {
  if (actor.agent.role !== 'admin') throw new AppError('forbidden');
}
