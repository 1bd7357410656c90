import type { WarningMessage } from '@loket/protocol';
import { sql, type ExpressionBuilder } from 'kysely';
import type { DB } from '../db/schema.js';
import { topics } from '../realtime/bus.js';
import { inTransaction, type Ctx } from './context.js';
import { startSweeper, type Sweeper } from './sweeper.js';

/**
 * Warnings for unanswered chats (channel Properties: warn_after_seconds, manager_warn_after_seconds).
 *
 * A chat that has waited N seconds since it (last) entered the queue warns the channel's present,
 * active agents with the Notifications permission; after M seconds it warns the channel's managers.
 * Each level is raised at most once per queue visit: `warned_at` / `manager_warned_at` are set by a
 * conditional update, so every node may sweep and only the node whose update wins publishes.
 * Re-entering the queue (Back to chat, requeue after a deactivation) resets both to null.
 *
 * A level with nobody to tell is not marked: it goes out once someone to tell is there and the chat
 * still waits. For the manager level "somebody to tell" also needs a present agent who can respond
 * (managers are warned only while the channel is being served); managers themselves are warned
 * whether present or away, since overseeing is their job, on whichever console they have open.
 */

type Level = WarningMessage['level'];

const LEVELS: Record<Level, { after: 'channels.warn_after_seconds' | 'channels.manager_warn_after_seconds'; mark: 'warned_at' | 'manager_warned_at' }> = {
  agent: { after: 'channels.warn_after_seconds', mark: 'warned_at' },
  manager: { after: 'channels.manager_warn_after_seconds', mark: 'manager_warned_at' },
};

/** Chats per sweep and level: bounded, the rest follow on the next sweep. */
const LIMIT = 100;

type Eb = ExpressionBuilder<DB, 'chats' | 'channels'>;

/** Some active agent of the chat's channel, present, with this channel permission. */
function someone(eb: Eb, permission: 'notifications' | 'can_respond') {
  return eb.exists(
    eb
      .selectFrom('channel_agents')
      .innerJoin('agents', 'agents.id', 'channel_agents.agent_id')
      .select(sql`1`.as('one'))
      .whereRef('channel_agents.channel_id', '=', 'chats.channel_id')
      .where(`channel_agents.${permission}`, '=', 1)
      .where('agents.active', '=', 1)
      .where('agents.presence', '=', 'present'),
  );
}

async function sweepLevel(ctx: Ctx, level: Level): Promise<number> {
  const { after, mark } = LEVELS[level];
  const now = ctx.now();
  const due = await ctx.db
    .selectFrom('chats')
    .innerJoin('channels', 'channels.id', 'chats.channel_id')
    .select(['chats.id', 'chats.channel_id', 'chats.queued_at', 'chats.visitor_name', 'channels.name as channel_name'])
    .where('chats.status', '=', 'waiting')
    .where(`chats.${mark}`, 'is', null)
    .where(after, 'is not', null)
    // queued_at + N s <= now, with the sum in 64 bits (epoch ms overflow PostgreSQL's integer).
    .where(sql<boolean>`${sql.ref('chats.queued_at')} + cast(${sql.ref(after)} as bigint) * 1000 <= ${now}`)
    .where((eb) => (level === 'agent' ? someone(eb, 'notifications') : someone(eb, 'can_respond')))
    .orderBy('chats.queued_at')
    .limit(LIMIT)
    .execute();

  let raised = 0;
  for (const chat of due) {
    const sent = await inTransaction(ctx, async (tx, publish) => {
      // Still waiting in the same queue visit and not warned by another node meanwhile.
      const won = await tx
        .updateTable('chats')
        .set({ [mark]: now })
        .where('id', '=', chat.id)
        .where('status', '=', 'waiting')
        .where('queued_at', '=', chat.queued_at)
        .where(mark, 'is', null)
        .executeTakeFirst();
      if (Number(won.numUpdatedRows) !== 1) return false;
      let recipients = tx
        .selectFrom('channel_agents')
        .innerJoin('agents', 'agents.id', 'channel_agents.agent_id')
        .select('agents.id')
        .where('channel_agents.channel_id', '=', chat.channel_id)
        .where('agents.active', '=', 1);
      recipients =
        level === 'agent'
          ? recipients.where('channel_agents.notifications', '=', 1).where('agents.presence', '=', 'present')
          : recipients.where('channel_agents.manager', '=', 1);
      const warning: WarningMessage = {
        type: 'warning',
        level,
        chatId: chat.id,
        channelId: chat.channel_id,
        channelName: chat.channel_name,
        visitorName: chat.visitor_name,
        waitedSeconds: Math.max(0, Math.floor((now - chat.queued_at) / 1000)),
      };
      for (const { id } of await recipients.execute()) publish(topics.agent(id), { kind: 'warning', warning });
      return true;
    });
    if (sent) raised++;
  }
  return raised;
}

/** One sweep over both levels; returns how many warnings this call raised (each chat and level counted once). */
export async function sweepWarnings(ctx: Ctx): Promise<number> {
  return (await sweepLevel(ctx, 'agent')) + (await sweepLevel(ctx, 'manager'));
}

/** The per-node timer. Short: the query only looks at waiting chats through the queue index. */
export function startWarningSweeper(ctx: Ctx, everyMs: number, onError: (err: unknown) => void): Sweeper {
  return startSweeper(() => sweepWarnings(ctx), everyMs, onError);
}
