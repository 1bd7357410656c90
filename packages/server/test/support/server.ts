import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startLoket, type Loket, type StartOptions } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import { createEmailVerifier } from '../../src/email/verify.js';
import { startTestDnsServer, type TestDnsServer } from './dns-server.js';

export type Dialect = 'sqlite' | 'postgres';
export const DIALECTS: Dialect[] = ['sqlite', 'postgres'];

/** Admin connection used to create a throwaway database per test server. */
export const PG_ADMIN_URL = process.env.TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestLoket {
  loket: Loket;
  url: string;
  wsUrl: string;
  dns: TestDnsServer;
  config: Config;
  close(): Promise<void>;
  /** Stops this node and starts a new one on the same storage and port: a server restart. */
  restart(): Promise<void>;
}

/** A throwaway PostgreSQL database (tests and bench/ each get their own); `drop` removes it. */
export async function freshDatabase(adminUrl = PG_ADMIN_URL, prefix = 'loket_t'): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** A real Loket node on a random port, with real storage and a DNS server on loopback. */
/** `options` reach startLoket as they are, e.g. `now` for a controllable clock. */
export async function startTestLoket(dialect: Dialect, overrides: Partial<Config> = {}, options: StartOptions = {}): Promise<TestLoket> {
  const dns = await startTestDnsServer();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loket-test-'));
  const database = dialect === 'postgres' ? await freshDatabase() : null;
  const config = loadConfig(
    {},
    {
      host: '127.0.0.1',
      port: 0,
      logLevel: 'silent',
      sqlitePath: path.join(dir, 'loket.db'),
      databaseUrl: database?.url ?? null,
      dnsServers: [dns.address],
      dnsTimeoutMs: 1500,
      ...overrides,
    },
  );
  const start = (cfg: Config) => startLoket(cfg, { email: createEmailVerifier({ servers: [dns.address], timeoutMs: cfg.dnsTimeoutMs }), ...options });
  let loket = await start(config);
  const port = new URL(loket.url).port;
  const handle: TestLoket = {
    loket,
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}`,
    dns,
    config,
    async close() {
      await handle.loket.close();
      await dns.close();
      await database?.drop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
    async restart() {
      await handle.loket.close();
      loket = await start({ ...config, port: Number(port) });
      handle.loket = loket;
    },
  };
  return handle;
}

export interface TestCluster {
  /** The nodes, each usable wherever a TestLoket is (factories, sockets); closing one leaves the others. */
  nodes: TestLoket[];
  databaseUrl: string;
  /** Closes every node still running, the DNS server, and drops the database. */
  close(): Promise<void>;
}

/**
 * `count` Loket nodes in this process on one fresh PostgreSQL database, each started by
 * startLoket from its own config as an operator would (with `redisUrl` set, each builds its own
 * Redis bus). Started one after another so only the first runs the migrations.
 */
export async function startTestCluster(count: number, overrides: Partial<Config> = {}): Promise<TestCluster> {
  const dns = await startTestDnsServer();
  const database = await freshDatabase();
  const nodes: TestLoket[] = [];
  const closed = new Set<TestLoket>();
  const cluster: TestCluster = {
    nodes,
    databaseUrl: database.url,
    async close() {
      for (const n of nodes) if (!closed.has(n)) await n.close();
      await dns.close();
      await database.drop();
    },
  };
  try {
    for (let i = 0; i < count; i++) {
      const config = loadConfig(
        {},
        { host: '127.0.0.1', port: 0, logLevel: 'silent', databaseUrl: database.url, dnsServers: [dns.address], dnsTimeoutMs: 1500, ...overrides },
      );
      const start = (cfg: Config) => startLoket(cfg, { email: createEmailVerifier({ servers: [dns.address], timeoutMs: cfg.dnsTimeoutMs }) });
      const loket = await start(config);
      const port = new URL(loket.url).port;
      const node: TestLoket = {
        loket,
        url: `http://127.0.0.1:${port}`,
        wsUrl: `ws://127.0.0.1:${port}`,
        dns,
        config,
        async close() {
          if (closed.has(node)) return;
          closed.add(node);
          await node.loket.close();
        },
        async restart() {
          await node.loket.close();
          node.loket = await start({ ...config, port: Number(port) });
        },
      };
      nodes.push(node);
    }
  } catch (err) {
    await cluster.close();
    throw err;
  }
  return cluster;
}
