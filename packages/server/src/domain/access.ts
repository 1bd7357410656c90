import type { Executor } from '../db/database.js';
import type { ChannelAgentsTable, ChatsTable } from '../db/schema.js';
import type { Actor, AgentActor } from './actors.js';
import { AppError } from './errors.js';

/**
 * The one place that decides who may see or do what with a chat, for HTTP and WebSocket alike.
 * A chat someone may not see at all is reported as not found, so ids can't be probed.
 *
 * From the agent's permissions in the chat's channel (administrators act as managers there):
 *   read      the owner; listeners ("can listen in") and managers, any chat of the channel; agents who
 *             may respond, a waiting chat (the queue preview); the receiver of a pending transfer
 *   write     the owner only (messages to the customer, typing, read marks): a listener never sends
 *   note      the owner, listeners and managers: internal notes
 *   claim     agents who may respond
 *   end       the owner and managers
 *   transfer  the owner and managers
 *   manage    managers (take over)
 */
export type ChatAccess = 'read' | 'write' | 'claim' | 'end' | 'note' | 'transfer' | 'manage';

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

/** May the agent watch chats of this channel they don't serve? */
export const mayListen = (m: ChannelAgentsTable): boolean => m.can_listen === 1 || m.manager === 1;

async function mayRead(db: Executor, actor: AgentActor, chat: ChatsTable, membership: ChannelAgentsTable): Promise<boolean> {
  if (chat.agent_id === actor.agent.id || mayListen(membership)) return true;
  if (chat.status === 'waiting' && membership.can_respond === 1) return true;
  const offered = await db
    .selectFrom('chat_transfers')
    .select('id')
    .where('chat_id', '=', chat.id)
    .where('to_agent_id', '=', actor.agent.id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return offered !== undefined;
}

export async function accessChat(db: Executor, actor: Actor, chatId: string, mode: ChatAccess): Promise<ChatsTable> {
  const chat = await db.selectFrom('chats').selectAll().where('id', '=', chatId).executeTakeFirst();
  if (!chat) throw new AppError('chat_not_found');
  if (actor.kind === 'visitor') {
    if (actor.chatId !== chat.id) throw new AppError('chat_not_found');
    if (mode !== 'read' && mode !== 'write' && mode !== 'end') throw new AppError('forbidden');
    return chat;
  }
  let membership: ChannelAgentsTable;
  try {
    membership = await accessChannel(db, actor, chat.channel_id);
  } catch {
    throw new AppError('chat_not_found');
  }
  if (mode === 'claim') {
    // Members who may not respond still see the queue's items: for them a claim is forbidden, not unknown.
    // A responder who was just too late may no longer read the chat, but must hear that someone else took it.
    if (membership.can_respond !== 1) throw new AppError('forbidden');
    return chat;
  }
  if (!(await mayRead(db, actor, chat, membership))) throw new AppError('chat_not_found');
  const owner = chat.agent_id === actor.agent.id;
  const manager = membership.manager === 1;
  switch (mode) {
    case 'read':
      return chat;
    case 'note':
      if (owner || mayListen(membership)) return chat;
      throw new AppError('not_chat_agent');
    case 'manage':
      if (manager) return chat;
      throw new AppError('forbidden');
    case 'write':
    case 'end':
    case 'transfer':
      if (owner || (mode !== 'write' && manager)) return chat;
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
