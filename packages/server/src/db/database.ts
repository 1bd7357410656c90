import fs from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, type Transaction } from 'kysely';
import pg from 'pg';
import type { Config } from '../config.js';
import { migrate } from './migrations.js';
import type { DB } from './schema.js';

export type Db = Kysely<DB>;
export type Tx = Transaction<DB>;
export type Executor = Db | Tx;

// int8 (bigint, count) as JS number: our values are epoch ms and counts, far below 2^53.
pg.types.setTypeParser(20, (v) => Number(v));

export interface Storage {
  db: Db;
  dialect: 'sqlite' | 'postgres';
  close(): Promise<void>;
}

export async function openStorage(config: Pick<Config, 'databaseUrl' | 'sqlitePath' | 'sqliteSynchronous'>): Promise<Storage> {
  let db: Db;
  let dialect: Storage['dialect'];
  if (config.databaseUrl !== null) {
    const pool = new pg.Pool({ connectionString: config.databaseUrl, max: 10 });
    // A pool error (server restart) must not crash the process; queries fail and are retried by clients.
    pool.on('error', () => {});
    db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    dialect = 'postgres';
  } else {
    fs.mkdirSync(path.dirname(config.sqlitePath), { recursive: true });
    const sqlite = new Sqlite(config.sqlitePath);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma(`synchronous = ${config.sqliteSynchronous}`);
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    db = new Kysely<DB>({ dialect: new SqliteDialect({ database: sqlite }) });
    dialect = 'sqlite';
  }
  await migrate(db as Kysely<unknown>);
  return { db, dialect, close: () => db.destroy() };
}

export function isUniqueViolation(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { code?: unknown };
  return e.code === '23505' || e.code === 'SQLITE_CONSTRAINT_UNIQUE' || e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
