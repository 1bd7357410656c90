import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { GroupCommitter } from '../../src/db/group-commit.js';
import type { DB } from '../../src/db/schema.js';

describe('SQLite group commit', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  function open() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loket-gc-'));
    dirs.push(dir);
    const file = path.join(dir, 'db.sqlite');
    const raw = new Sqlite(file);
    raw.pragma('journal_mode = WAL');
    raw.exec('create table t (id integer primary key, v text not null unique)');
    const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: raw }) });
    return { db, file, committer: new GroupCommitter(db) };
  }

  it('commits concurrent jobs together, rolls a failing job back alone, and settles only after the commit', async () => {
    const { db, file, committer } = open();
    // A second connection sees only committed data.
    const reader = new Sqlite(file, { readonly: true });
    const visible = (v: string) => reader.prepare('select count(*) as n from t where v = ?').get(v) as { n: number };
    const jobs = Array.from({ length: 40 }, (_, i) =>
      committer
        .run(async (tx) => {
          await sql`insert into t (v) values (${`row-${i}`})`.execute(tx);
          // Two statements per job: the failing one must take its first statement with it.
          await sql`insert into t (v) values (${i === 7 ? 'row-0' : `extra-${i}`})`.execute(tx);
          return i;
        })
        .then((value) => {
          expect(visible(`row-${i}`).n).toBe(1);
          return { ok: true as const, value };
        })
        .catch((error: unknown) => ({ ok: false as const, error })),
    );
    const results = await Promise.all(jobs);
    expect(results.filter((r) => !r.ok)).toHaveLength(1);
    expect(results[7]?.ok).toBe(false);
    expect(visible('row-7').n).toBe(0);
    expect(visible('extra-8').n).toBe(1);
    const count = reader.prepare('select count(*) as n from t').get() as { n: number };
    expect(count.n).toBe(39 * 2);
    // 40 jobs issued together share commits.
    expect(committer.stats.jobs).toBe(40);
    expect(committer.stats.commits).toBeLessThan(40);
    reader.close();
    await db.destroy();
  });

  it('when the COMMIT itself fails, every job of the batch is told and nothing is stored; the next batch works', async () => {
    const { db, file, committer } = open();
    // A deferred foreign key is checked only at COMMIT: the one way a commit fails after every job succeeded.
    await sql`pragma foreign_keys = on`.execute(db);
    await sql`create table parent (id integer primary key)`.execute(db);
    await sql`create table child (pid integer references parent(id) deferrable initially deferred)`.execute(db);
    const reader = new Sqlite(file, { readonly: true });
    const good = committer.run(async (tx) => sql`insert into t (v) values ('good')`.execute(tx));
    const bad = committer.run(async (tx) => sql`insert into child (pid) values (999)`.execute(tx));
    const also = committer.run(async (tx) => sql`insert into t (v) values ('also')`.execute(tx));
    const settled = await Promise.allSettled([good, bad, also]);
    // The first job may have committed alone before the others queued; all that shared the failed commit fail.
    const failed = settled.filter((r) => r.status === 'rejected').length;
    expect(failed).toBeGreaterThanOrEqual(2);
    expect((reader.prepare("select count(*) as n from t where v = 'also'").get() as { n: number }).n).toBe(0);
    await committer.run(async (tx) => sql`insert into t (v) values ('after')`.execute(tx));
    expect((reader.prepare("select count(*) as n from t where v = 'after'").get() as { n: number }).n).toBe(1);
    reader.close();
    await db.destroy();
  });
});
