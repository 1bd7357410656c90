import { sql, type Kysely } from 'kysely';
import type { DB } from './schema.js';

interface Job {
  fn: (tx: Kysely<DB>) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

const MAX_BATCH = 512;

/**
 * Group commit for SQLite: transactions that arrive while one is committing are run together,
 * one after another, inside a single BEGIN … COMMIT, so the whole batch pays for one fsync.
 * Each job runs in its own SAVEPOINT: a job that fails is rolled back alone and the others commit.
 * Every job's promise settles only after the real COMMIT, so nothing is acknowledged early.
 */
export class GroupCommitter {
  private queue: Job[] = [];
  private draining = false;
  /** Commits made and jobs run, for tests and bench/. */
  readonly stats = { commits: 0, jobs: 0 };

  constructor(private readonly db: Kysely<DB>) {}

  run<T>(fn: (tx: Kysely<DB>) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ fn, resolve: resolve as (v: unknown) => void, reject });
      if (!this.draining) {
        this.draining = true;
        // Wait for the rest of this event-loop turn: better-sqlite3 is synchronous, so starting at
        // once would commit this job alone before the next socket's message is even read.
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, MAX_BATCH);
        const outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
        try {
          await this.db.connection().execute(async (conn) => {
            await sql`begin immediate`.execute(conn);
            try {
              for (let i = 0; i < batch.length; i++) {
                const job = batch[i]!;
                await sql`savepoint gc`.execute(conn);
                try {
                  const value = await job.fn(conn);
                  await sql`release gc`.execute(conn);
                  outcomes.push({ ok: true, value });
                } catch (error) {
                  await sql`rollback to gc`.execute(conn);
                  await sql`release gc`.execute(conn);
                  outcomes.push({ ok: false, error });
                }
              }
              await sql`commit`.execute(conn);
              this.stats.commits++;
              this.stats.jobs += batch.length;
            } catch (err) {
              await sql`rollback`.execute(conn).catch(() => undefined);
              throw err;
            }
          });
        } catch (err) {
          // The commit itself failed: nothing of this batch is stored, so nobody may be told otherwise.
          for (const job of batch) job.reject(err);
          continue;
        }
        batch.forEach((job, i) => {
          const o = outcomes[i]!;
          if (o.ok) job.resolve(o.value);
          else job.reject(o.error);
        });
        // Let sockets deliver what arrived during this commit, so it joins the next batch.
        if (this.queue.length === 0) await new Promise<void>((r) => setImmediate(r));
      }
    } finally {
      this.draining = false;
    }
  }
}
