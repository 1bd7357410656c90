import type { VisitorActor } from './actors.js';
import { topics } from '../realtime/bus.js';
import { accessChat } from './access.js';
import { inTransaction, type Ctx } from './context.js';
import { chatSummary } from './views.js';

/**
 * What the agent learns about the customer beyond their messages: how far they have read, and
 * whether their chat window is still open. Both only change the agents' view of the chat.
 */

/** The customer has seen the chat up to `seq`; agents see their messages up to it as seen. */
export async function markVisitorRead(ctx: Ctx, actor: VisitorActor, seq: number): Promise<void> {
  await inTransaction(ctx, async (tx, publish) => {
    const chat = await accessChat(tx, actor, actor.chatId, 'read');
    const upTo = Math.min(seq, chat.last_seq);
    if (upTo <= chat.visitor_read_seq) return;
    // Guarded: two windows of one customer reporting at once never move the mark backwards.
    const updated = await tx
      .updateTable('chats')
      .set({ visitor_read_seq: upTo })
      .where('id', '=', chat.id)
      .where('visitor_read_seq', '<', upTo)
      .returningAll()
      .executeTakeFirst();
    if (!updated) return;
    publish(topics.chat(chat.id), { kind: 'summary', chatId: chat.id, summary: await chatSummary(tx, updated) });
  });
}

/**
 * The customer's chat window opened (`open`) or the last one on this node closed. Only open chats
 * change: after the end nobody is watching for the customer. A second window on another node that
 * stays open is put right by that node's heartbeat (visitorsSeen), which clears the mark.
 */
export async function visitorWindow(ctx: Ctx, chatId: string, open: boolean): Promise<void> {
  await inTransaction(ctx, async (tx, publish) => {
    const left = open ? null : ctx.now();
    let q = tx.updateTable('chats').set({ visitor_left_at: left }).where('id', '=', chatId).where('status', 'in', ['waiting', 'active']);
    q = open ? q.where('visitor_left_at', 'is not', null) : q.where('visitor_left_at', 'is', null);
    const updated = await q.returningAll().executeTakeFirst();
    if (!updated) return;
    publish(topics.chat(chatId), { kind: 'summary', chatId, summary: await chatSummary(tx, updated) });
  });
}

/** Ids per statement: well under SQLite's and PostgreSQL's bound-parameter limits. */
const CHUNK = 500;

/** Of these chats (windows open on this node), those marked as left are open again. */
export async function windowsBack(ctx: Ctx, chatIds: readonly string[]): Promise<void> {
  for (let i = 0; i < chatIds.length; i += CHUNK) {
    const ids = chatIds.slice(i, i + CHUNK);
    const marked = await ctx.db.selectFrom('chats').select('id').where('id', 'in', ids).where('visitor_left_at', 'is not', null).execute();
    for (const { id } of marked) await visitorWindow(ctx, id, true);
  }
}
