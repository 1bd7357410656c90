import fs from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, type SqliteDatabase } from 'kysely';
import pg from 'pg';
import type { Config } from '../config.js';
import { GroupCommitter } from './group-commit.js';
import { migrate } from './migrations.js';
import type { DB } from './schema.js';

export type Db = Kysely<DB>;
/** What a domain action writes through inside `transact`: a transaction (PostgreSQL) or a savepoint in a group commit (SQLite). */
export type Tx = Kysely<DB>;
export type Executor = Db | Tx;

// int8 (bigint, count) as JS number: our values are epoch ms and counts, far below 2^53.
pg.types.setTypeParser(20, (v) => Number(v));

export interface Storage {
  db: Db;
  dialect: 'sqlite' | 'postgres';
  /** Runs `fn` atomically; resolves only once its writes are committed. */
  transact<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export async function openStorage(config: Pick<Config, 'databaseUrl' | 'sqlitePath' | 'sqliteSynchronous'>): Promise<Storage> {
  let db: Db;
  let dialect: Storage['dialect'];
  let transact: Storage['transact'];
  if (config.databaseUrl !== null) {
    // A bounded connect: with PostgreSQL unreachable, requests fail fast as "unavailable" instead of hanging.
    const pool = new pg.Pool({ connectionString: config.databaseUrl, max: 10, connectionTimeoutMillis: 5_000 });
    // A pool error (server restart) must not crash the process; queries fail and are retried by clients.
    pool.on('error', () => {});
    const pgDb = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    db = pgDb;
    dialect = 'postgres';
    // PostgreSQL runs transactions concurrently and groups their WAL flushes itself.
    transact = (fn) => pgDb.transaction().execute(fn);
  } else {
    fs.mkdirSync(path.dirname(config.sqlitePath), { recursive: true });
    const sqlite = new Sqlite(config.sqlitePath);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma(`synchronous = ${config.sqliteSynchronous}`);
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    db = new Kysely<DB>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
    dialect = 'sqlite';
    // One connection, one writer: batching concurrent transactions into one commit saves an fsync each.
    const committer = new GroupCommitter(db);
    transact = (fn) => committer.run(fn);
  }
  await migrate(db as Kysely<unknown>);
  return { db, dialect, transact, close: () => db.destroy() };
}

/**
 * Kysely prepares every statement anew; with better-sqlite3 that parse is a large share of a
 * message's cost. Statements are reusable (execution is synchronous), so keep the recent ones.
 */
function withStatementCache(sqlite: Sqlite.Database, size = 500): SqliteDatabase {
  const cache = new Map<string, Sqlite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(query: string) {
      let stmt = cache.get(query);
      if (stmt) {
        // Refresh its place: the Map's order is the eviction order.
        cache.delete(query);
      } else {
        stmt = sqlite.prepare(query);
        if (cache.size >= size) cache.delete(cache.keys().next().value as string);
      }
      cache.set(query, stmt);
      return stmt;
    },
  };
}

export function isUniqueViolation(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { code?: unknown };
  return e.code === '23505' || e.code === 'SQLITE_CONSTRAINT_UNIQUE' || e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/**
 * The database is down or unreachable (not: the request was wrong). Such failures are answered as
 * the retryable `unavailable`: nothing was acknowledged, and the same request may succeed later.
 */
export function isStorageUnavailable(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const { code, message } = err as { code?: unknown; message?: unknown };
  if (typeof code === 'string') {
    // PostgreSQL classes 08 (connection), 57P (shutdown), 53 (resources); socket errors; SQLite's transient ones.
    if (/^(08|57P|53)/.test(code)) return true;
    if (['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'SQLITE_BUSY', 'SQLITE_IOERR', 'SQLITE_FULL'].includes(code)) return true;
  }
  // node-postgres reports a dropped connection and a connect timeout without a code.
  return typeof message === 'string' && /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(message);
}
