import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { openStorage } from '../../packages/server/src/db/database.js';
import { createAgent } from '../../packages/server/src/domain/agents.js';
import { addChannelAgent, createChannel } from '../../packages/server/src/domain/channels.js';
import { freshDatabase } from '../../packages/server/test/support/server.js';
import { freePort } from '../../packages/server/test/support/ports.js';
import { seedCtx } from '../../packages/server/test/support/seed.js';

const root = path.resolve(import.meta.dirname, '../..');
export type Dialect = 'sqlite' | 'postgres';
const PG_ADMIN_URL = process.env.BENCH_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface BenchAgent {
  id: string;
  email: string;
  cookie: string;
}

/**
 * A Loket node in its own process (so its RSS and CPU are its own), on fresh storage, with one
 * channel (pre-chat form off: no DNS needed) and `agents` signed-in agents serving it.
 */
export interface BenchServer {
  dialect: Dialect;
  url: string;
  wsUrl: string;
  channelKey: string;
  channelId: string;
  agents: BenchAgent[];
  pid: number;
  /** The node's own view of its memory (process.memoryUsage) and open sockets, via SIGUSR2. */
  memory(): Promise<{ memory: NodeJS.MemoryUsage; sockets: number }>;
  /** Kill (SIGKILL when `hard`) and start again on the same storage and port. */
  restart(opts?: { hard?: boolean }): Promise<void>;
  stop(): Promise<void>;
}

export async function startBenchServer(opts: { dialect: Dialect; agents: number; env?: Record<string, string> }): Promise<BenchServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loket-bench-'));
  const pgDb = opts.dialect === 'postgres' ? await freshDatabase(PG_ADMIN_URL, 'loket_bench') : null;
  const storageConfig = { databaseUrl: pgDb?.url ?? null, sqlitePath: path.join(dir, 'loket.db'), sqliteSynchronous: 'FULL' as const };
  const storage = await openStorage(storageConfig);
  const ctx = seedCtx(storage);
  const channel = await createChannel(ctx, { key: 'bench', name: 'Bench', allowedOrigins: [], prechatEnabled: false });
  const credentials: Array<{ id: string; email: string; password: string }> = [];
  for (let i = 0; i < opts.agents; i++) {
    const password = randomUUID();
    const email = `bench-agent-${i}@example.com`;
    const agent = await createAgent(ctx, { email, name: `Agent ${i}`, password });
    await addChannelAgent(ctx, channel.id, agent.id);
    credentials.push({ id: agent.id, email, password });
  }
  await storage.close();

  const port = await freePort();
  const env = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dir,
    LOG_LEVEL: 'warn',
    CHAT_STARTS_PER_MINUTE: '0',
    ...(pgDb ? { DATABASE_URL: pgDb.url } : {}),
    ...opts.env,
  };
  let child: ChildProcess;
  const statsWaiters: Array<(s: { memory: NodeJS.MemoryUsage; sockets: number }) => void> = [];
  const url = `http://127.0.0.1:${port}`;
  const launch = async () => {
    child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'packages/server/src/main.ts')], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let buffered = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        if (line.startsWith('{"stats":')) statsWaiters.shift()?.((JSON.parse(line) as { stats: { memory: NodeJS.MemoryUsage; sockets: number } }).stats);
      }
    });
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        if ((await fetch(`${url}/readyz`)).ok) return;
      } catch {
        // not up yet
      }
      if (Date.now() > deadline) throw new Error('bench server did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  await launch();

  const agents: BenchAgent[] = [];
  for (const c of credentials) {
    const res = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: c.email, password: c.password }) });
    if (!res.ok) throw new Error(`bench login failed: ${res.status}`);
    agents.push({ id: c.id, email: c.email, cookie: (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '' });
  }

  const exited = () => new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));
  return {
    dialect: opts.dialect,
    url,
    wsUrl: url.replace('http', 'ws'),
    channelKey: channel.key,
    channelId: channel.id,
    agents,
    get pid() {
      return child.pid ?? -1;
    },
    memory() {
      return new Promise((resolve) => {
        statsWaiters.push(resolve);
        child.kill('SIGUSR2');
      });
    },
    async restart({ hard = false } = {}) {
      child.kill(hard ? 'SIGKILL' : 'SIGTERM');
      await exited();
      await launch();
    },
    async stop() {
      child.kill('SIGTERM');
      await exited();
      await pgDb?.drop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const newToken = (): string => randomBytes(32).toString('base64url');
export const newMsgId = (): string => randomUUID().replace(/-/g, '');

/** Starts a chat through the widget API (pre-chat form off). */
export async function startChat(server: BenchServer, question: string): Promise<{ token: string; chatId: string }> {
  const token = newToken();
  const res = await fetch(`${server.url}/api/widget/channels/${server.channelKey}/chats`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token, name: '', email: '', fields: {}, question, clientMsgId: newMsgId() }),
  });
  if (res.status !== 201) throw new Error(`start chat: ${res.status} ${await res.text()}`);
  return { token, chatId: ((await res.json()) as { chat: { id: string } }).chat.id };
}

/**
 * Opens a socket. Pass `onMessage` when the server speaks first (the agent's `ready`): it can
 * arrive in the same read as the upgrade, before a listener attached after `open` would exist.
 */
export function openSocket(url: string, headers: Record<string, string> = {}, onMessage?: (data: WebSocket.RawData) => void): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers, perMessageDeflate: false });
    if (onMessage) ws.on('message', onMessage);
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/** RSS (bytes) and cumulative CPU time (ms) of a process, from /proc. */
export function processStats(pid: number): { rss: number; cpuMs: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  const ticks = Number(stat[11]) + Number(stat[12]);
  return { rss: rssKb * 1024, cpuMs: (ticks * 1000) / 100 };
}
