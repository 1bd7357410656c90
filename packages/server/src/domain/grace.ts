import type { Ctx } from './context.js';
import { inTransaction } from './context.js';
import { finishChat } from './chats.js';

/**
 * The visitor grace period: a chat whose visitor has had no chat window open for `ctx.graceMs`
 * (tab closed, left the site) ends by itself, so nobody waits in the queue for someone who left
 * and agents aren't left with chats nobody reads. A reload within the period resumes the chat.
 */

/** The visitor's last chat window on this node went away. */
export async function visitorLeft(ctx: Ctx, chatId: string): Promise<void> {
  // Through transact: on SQLite it joins the next group commit instead of waiting for one alone.
  await ctx.transact((tx) => tx.updateTable('chats').set({ visitor_left_at: ctx.now() }).where('id', '=', chatId).where('status', '!=', 'ended').execute());
}

/** A chat window of the visitor is open again. */
export async function visitorReturned(ctx: Ctx, chatId: string): Promise<void> {
  await ctx.transact((tx) => tx.updateTable('chats').set({ visitor_left_at: null }).where('id', '=', chatId).where('visitor_left_at', 'is not', null).execute());
}

/**
 * After a restart no visitor is connected to this node, yet nothing recorded that they left:
 * start their grace period now. Only for a single node: in a cluster others may hold them.
 */
export async function startGraceForAll(ctx: Ctx): Promise<void> {
  await ctx.db.updateTable('chats').set({ visitor_left_at: ctx.now() }).where('status', '!=', 'ended').where('visitor_left_at', 'is', null).execute();
}

/**
 * Ends the chats whose visitor stayed away past the grace period. Each end re-checks the condition
 * in its own conditional update, so every node may sweep and each chat still ends exactly once.
 */
export async function endAbandonedChats(ctx: Ctx, limit = 100): Promise<number> {
  const cutoff = ctx.now() - ctx.graceMs;
  const due = await ctx.db
    .selectFrom('chats')
    .selectAll()
    .where('visitor_left_at', 'is not', null)
    .where('visitor_left_at', '<', cutoff)
    .where('status', '!=', 'ended')
    .limit(limit)
    .execute();
  let ended = 0;
  for (const chat of due) {
    const done = await inTransaction(ctx, (tx, publish) =>
      finishChat(tx, ctx, chat, 'system', { author_kind: 'system', author_id: null, author_name: null }, publish, { visitorLeftBefore: cutoff }),
    );
    if (done) ended++;
  }
  return ended;
}
