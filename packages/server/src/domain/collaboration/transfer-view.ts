import type { Transfer } from '@loket/protocol';
import type { Executor, Tx } from '../../db/database.js';
import type { ChatTransfersTable } from '../../db/schema.js';
import { topics } from '../../realtime/bus.js';
import type { Publish } from '../context.js';
import { chatSummary, toAgentPublic } from '../views.js';

/** A transfer row → the wire shape both its agents get. */
export async function transferView(db: Executor, row: ChatTransfersTable): Promise<Transfer> {
  const agents = await db.selectFrom('agents').select(['id', 'name', 'photo_url']).where('id', 'in', [row.from_agent_id, row.to_agent_id]).execute();
  const agent = (id: string) => {
    const a = agents.find((x) => x.id === id);
    return a ? toAgentPublic(a) : { id, name: '', photoUrl: null };
  };
  const chat = await db.selectFrom('chats').selectAll().where('id', '=', row.chat_id).executeTakeFirstOrThrow();
  return {
    id: row.id,
    chatId: row.chat_id,
    from: agent(row.from_agent_id),
    to: agent(row.to_agent_id),
    note: row.note,
    status: row.status,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    chat: await chatSummary(db, chat),
  };
}

/** Tells the transfer's sender and receiver (on every node) what became of it. */
export async function publishTransfer(db: Executor, row: ChatTransfersTable, publish: Publish): Promise<Transfer> {
  const transfer = await transferView(db, row);
  publish(topics.agent(row.from_agent_id), { kind: 'transfer', transfer });
  if (row.to_agent_id !== row.from_agent_id) publish(topics.agent(row.to_agent_id), { kind: 'transfer', transfer });
  return transfer;
}

/**
 * The chat changed hands otherwise (ended, taken over, sent back to a queue, its agent deactivated):
 * a pending transfer of it no longer makes sense and is withdrawn as cancelled.
 */
export async function withdrawTransfers(tx: Tx, chatId: string, now: number, publish: Publish): Promise<void> {
  const rows = await tx
    .updateTable('chat_transfers')
    .set({ status: 'cancelled', decided_at: now })
    .where('chat_id', '=', chatId)
    .where('status', '=', 'pending')
    .returningAll()
    .execute();
  for (const row of rows) await publishTransfer(tx, row, publish);
}
