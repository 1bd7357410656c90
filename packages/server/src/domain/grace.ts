import { finishChat } from './chats.js';
import { inTransaction, type Ctx } from './context.js';

/**
 * The visitor grace period: a chat whose visitor has had no chat window open for `ctx.graceMs`
 * (tab closed, left the site) ends by itself, so nobody waits in the queue for someone who left
 * and agents aren't left with chats nobody reads. A reload within the period resumes the chat.
 *
 * Nodes record when they last saw each visitor (at connect, then by heartbeat) rather than when
 * one left: "left" can't be recorded by a node that was killed, and with several nodes one node's
 * "left" could land after another's "back". A visitor seen by any node recently is simply there.
 */

const OPEN = ['waiting', 'active'] as const;
/** Chats per statement: bounded, so a node with thousands of idle widgets writes in small steps. */
const CHUNK = 500;

/** The visitors of these chats have a chat window open on this node right now. */
export async function visitorsSeen(ctx: Ctx, chatIds: readonly string[]): Promise<void> {
  for (let i = 0; i < chatIds.length; i += CHUNK) {
    const ids = chatIds.slice(i, i + CHUNK);
    // Through transact: on SQLite it joins the next group commit instead of waiting for one alone.
    await ctx.transact((tx) => tx.updateTable('chats').set({ visitor_seen_at: ctx.now() }).where('id', 'in', ids).where('status', 'in', OPEN).execute());
  }
}

/**
 * After a restart of a single node nobody has been able to connect yet: every open chat gets a
 * fresh grace period to reconnect in, however long the node was down. In a cluster the other
 * nodes keep seeing their visitors, so this is for single nodes only.
 */
export async function restartGraceForAll(ctx: Ctx): Promise<void> {
  await ctx.transact((tx) => tx.updateTable('chats').set({ visitor_seen_at: ctx.now() }).where('status', 'in', OPEN).execute());
}

/**
 * Ends the open chats whose visitor nobody has seen for the grace period. Each end re-checks the
 * condition in its own conditional update, so every node may sweep and each chat still ends once.
 */
export async function endAbandonedChats(ctx: Ctx, limit = 100): Promise<number> {
  const cutoff = ctx.now() - ctx.graceMs;
  const due = await ctx.db.selectFrom('chats').selectAll().where('status', 'in', OPEN).where('visitor_seen_at', '<', cutoff).limit(limit).execute();
  let ended = 0;
  for (const chat of due) {
    const done = await inTransaction(ctx, (tx, publish) =>
      finishChat(tx, ctx, chat, 'system', { author_kind: 'system', author_id: null, author_name: null }, publish, { visitorSeenBefore: cutoff }),
    );
    if (done) ended++;
  }
  return ended;
}
