/**
 * A Loket cluster in real processes, for tests (and bench/) that must prove several nodes lose
 * nothing: one fresh PostgreSQL database, our own redis-server on a loopback port, and N nodes
 * started as an operator starts them (`node --import tsx packages/server/src/main.ts`), each of
 * which can be killed (-9), drained (SIGTERM) and started again on the same port. Clients ask
 * `route()` where to connect, as they would ask a load balancer.
 *
 * Also here: the invariant checker that compares what clients were told (acks, the events they
 * hold) with what the database holds, and reports every difference in words.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import net from 'node:net';
import path from 'node:path';
import type { ChatEvent } from '@loket/protocol';
import { openStorage, type Db, type Storage } from '../../src/db/database.js';
import { createAgent, login } from '../../src/domain/agents.js';
import { addChannelAgent, createChannel } from '../../src/domain/channels.js';
import { toEvent } from '../../src/domain/views.js';
import { SESSION_COOKIE } from '../../src/http/auth.js';
import { freePort } from './ports.js';
import type { ResumingClient } from './resuming-client.js';
import { freshDatabase, PG_ADMIN_URL } from './server.js';
import { seedCtx } from './seed.js';

const root = path.resolve(import.meta.dirname, '../../../..');
const REDIS_SERVER = process.env.REDIS_SERVER ?? '/usr/bin/redis-server';
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------
// Child processes
// ---------------------------------------------------------------------------------------------

/** Every child this module started, so a crashed test run does not leave nodes listening. */
const children = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

interface Proc {
  child: ChildProcess;
  /** Resolves with the exit code (null when ended by a signal). */
  exited: Promise<number | null>;
  /** The last ~16 KB of stdout + stderr, for failure messages. */
  output(): string;
}

function launch(command: string, args: string[], env: NodeJS.ProcessEnv): Proc {
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let out = '';
  const keep = (chunk: Buffer) => {
    out += chunk.toString();
    if (out.length > 32_768) out = out.slice(-16_384);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      children.delete(child);
      resolve(code);
    }),
  );
  return { child, exited, output: () => out };
}

const running = (p: Proc | null): boolean => p !== null && p.child.exitCode === null && p.child.signalCode === null;

async function until(what: string, fn: () => Promise<boolean> | boolean, timeoutMs: number, everyMs = 50): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await fn())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

// ---------------------------------------------------------------------------------------------
// Redis
// ---------------------------------------------------------------------------------------------

export interface RedisServer {
  readonly port: number;
  readonly url: string;
  readonly running: boolean;
  /** The redis-server process (-1 while stopped), e.g. for its CPU time. */
  readonly pid: number;
  /** Stops the server (SIGKILL by default: an outage, not a maintenance window). */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Starts it again on the same port, empty (no persistence: as after a failover to a fresh replica). */
  start(): Promise<void>;
  /** SIGSTOP / SIGCONT: connections stay open but nothing answers (a hung server, a black-holed network). */
  pause(): void;
  resume(): void;
}

/** True when a RESP PING on `port` is answered with +PONG. */
function redisPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let answer = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (d: Buffer) => {
      answer += d.toString();
      if (answer.includes('\r\n')) done(answer.startsWith('+PONG'));
    });
  });
}

export async function startRedis(): Promise<RedisServer> {
  const port = await freePort();
  let proc: Proc | null = null;
  const server: RedisServer = {
    port,
    url: `redis://127.0.0.1:${port}`,
    get running() {
      return running(proc);
    },
    get pid() {
      return proc !== null && running(proc) ? (proc.child.pid ?? -1) : -1;
    },
    async start() {
      if (running(proc)) return;
      // Nothing on disk: a restarted Redis is empty, which is what the bus must cope with.
      proc = launch(REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], process.env);
      const p = proc;
      await until(
        `redis-server on port ${port}`,
        async () => {
          if (!running(p)) throw new Error(`redis-server exited: ${p.output()}`);
          return redisPing(port);
        },
        10_000,
      );
    },
    async stop(signal = 'SIGKILL') {
      if (proc === null || !running(proc)) return;
      proc.child.kill(signal);
      proc.child.kill('SIGCONT');
      await proc.exited;
    },
    pause() {
      if (proc !== null && running(proc)) proc.child.kill('SIGSTOP');
    },
    resume() {
      if (proc !== null && running(proc)) proc.child.kill('SIGCONT');
    },
  };
  await server.start();
  return server;
}

// ---------------------------------------------------------------------------------------------
// Loket nodes
// ---------------------------------------------------------------------------------------------

export interface ClusterNode {
  readonly index: number;
  readonly name: string;
  readonly port: number;
  readonly url: string;
  readonly wsUrl: string;
  readonly pid: number;
  /**
   * In the load balancer's pool: started and not being stopped. A node leaves the pool the moment it
   * is told to stop (as a real balancer takes a node out before draining it, or notices it dead).
   */
  readonly up: boolean;
  /** Starts the node (again) on its port and waits for the banner and /readyz. */
  start(): Promise<void>;
  /** kill -9: no drain, no goodbye; in-flight transactions are rolled back by PostgreSQL. */
  kill(): Promise<void>;
  /** SIGTERM: drain and exit; resolves with the exit code. */
  terminate(): Promise<number | null>;
  /** The node's recent output (warnings, errors), for failure messages. */
  output(): string;
}

function startableNode(index: number, port: number, env: NodeJS.ProcessEnv): ClusterNode {
  let proc: Proc | null = null;
  let up = false;
  const url = `http://127.0.0.1:${port}`;
  const node: ClusterNode = {
    index,
    name: `node${index}`,
    port,
    url,
    wsUrl: `ws://127.0.0.1:${port}`,
    get pid() {
      return proc?.child.pid ?? -1;
    },
    get up() {
      return up && running(proc);
    },
    async start() {
      if (running(proc)) return;
      proc = launch(process.execPath, ['--import', 'tsx', path.join(root, 'packages/server/src/main.ts')], { ...env, PORT: String(port) });
      const p = proc;
      // The banner comes after the signal handlers are installed: only then is SIGTERM a drain.
      let banner = false;
      let tail = '';
      const watch = (c: Buffer) => {
        // A little of the previous chunk too, in case the banner is split between two reads.
        tail = (tail + c.toString()).slice(-4096);
        if (!tail.includes('Loket is running')) return;
        banner = true;
        p.child.stdout!.off('data', watch);
      };
      p.child.stdout!.on('data', watch);
      await until(
        `${node.name} to be ready`,
        async () => {
          if (!running(p)) throw new Error(`${node.name} exited while starting: ${p.output()}`);
          return banner && fetch(`${url}/readyz`).then((r) => r.ok, () => false);
        },
        60_000,
        100,
      );
      up = true;
    },
    async kill() {
      up = false;
      if (proc === null || !running(proc)) return;
      proc.child.kill('SIGKILL');
      await proc.exited;
    },
    async terminate() {
      up = false;
      if (proc === null) return null;
      const p = proc;
      if (!running(p)) return p.exited;
      p.child.kill('SIGTERM');
      const timer = setTimeout(() => p.child.kill('SIGKILL'), 30_000);
      const code = await p.exited;
      clearTimeout(timer);
      return code;
    },
    output: () => proc?.output() ?? '',
  };
  return node;
}

// ---------------------------------------------------------------------------------------------
// The cluster
// ---------------------------------------------------------------------------------------------

export interface ClusterAgent {
  id: string;
  name: string;
  /** `loket_session=…`: a session made in the database, valid on every node. */
  cookie: string;
}

export interface Cluster {
  nodes: ClusterNode[];
  redis: RedisServer;
  databaseUrl: string;
  /** The test's own connection to the database, for the checker and assertions. */
  db: Db;
  channel: { id: string; key: string };
  agents: ClusterAgent[];
  /**
   * Where a client that prefers node `preferred` connects now, as a load balancer would send it:
   * its own node while that is up, otherwise the next one up. With none up, its own (the connect
   * fails and the client retries).
   */
  route(preferred: number): ClusterNode;
  /** Starts a chat through the widget API of `node`; `clientMsgId` is the first message's (the question). */
  startChat(node: ClusterNode, question: string): Promise<{ token: string; chatId: string; clientMsgId: string }>;
  /** Stops every node (SIGTERM), Redis, and drops the database. */
  close(): Promise<void>;
}

export interface ClusterOptions {
  nodes: number;
  agents: number;
  /** Extra environment for every node. */
  env?: Record<string, string>;
  /** Prefix of the throwaway database's name. */
  databasePrefix?: string;
  adminUrl?: string;
}

export const newClientMsgId = (): string => randomUUID().replace(/-/g, '');

export async function startCluster(opts: ClusterOptions): Promise<Cluster> {
  const database = await freshDatabase(opts.adminUrl ?? PG_ADMIN_URL, opts.databasePrefix ?? 'loket_cluster');
  let storage: Storage | null = null;
  let redis: RedisServer | null = null;
  const nodes: ClusterNode[] = [];
  const cleanup = async () => {
    await Promise.all(nodes.map((n) => n.terminate()));
    await redis?.stop('SIGTERM');
    await storage?.close();
    await database.drop();
  };
  try {
    storage = await openStorage({ databaseUrl: database.url, sqlitePath: '', sqliteSynchronous: 'FULL' });
    const ctx = seedCtx(storage);
    // No pre-chat form: starting a chat needs no e-mail address, so no DNS.
    const channel = await createChannel(ctx, { key: `cluster-${randomBytes(3).toString('hex')}`, name: 'Cluster', allowedOrigins: [], prechatEnabled: false });
    const agents: ClusterAgent[] = [];
    for (let i = 0; i < opts.agents; i++) {
      const email = `cluster-agent-${i}@example.com`;
      const password = randomUUID();
      const agent = await createAgent(ctx, { email, name: `Agent ${i}`, password });
      await addChannelAgent(ctx, channel.id, agent.id);
      const session = await login(ctx, { email, password }, 12);
      agents.push({ id: agent.id, name: agent.name, cookie: `${SESSION_COOKIE}=${session.token}` });
    }
    redis = await startRedis();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      HOST: '127.0.0.1',
      DATABASE_URL: database.url,
      REDIS_URL: redis.url,
      LOG_LEVEL: 'warn',
      CHAT_STARTS_PER_MINUTE: '0',
      ...opts.env,
    };
    for (let i = 0; i < opts.nodes; i++) nodes.push(startableNode(i, await freePort(), env));
    // In parallel: a node's start is mostly tsx compiling, and the two cores can overlap that with I/O.
    await Promise.all(nodes.map((n) => n.start()));
    const db = storage.db;
    const redisServer = redis;
    return {
      nodes,
      redis: redisServer,
      databaseUrl: database.url,
      db,
      channel: { id: channel.id, key: channel.key },
      agents,
      route(preferred) {
        for (let k = 0; k < nodes.length; k++) {
          const n = nodes[(preferred + k) % nodes.length]!;
          if (n.up) return n;
        }
        return nodes[preferred % nodes.length]!;
      },
      async startChat(node, question) {
        const token = randomBytes(32).toString('base64url');
        const clientMsgId = newClientMsgId();
        const res = await fetch(`${node.url}/api/widget/channels/${channel.key}/chats`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ token, name: '', email: '', fields: {}, question, clientMsgId }),
        });
        if (res.status !== 201) throw new Error(`start chat on ${node.name}: ${res.status} ${await res.text()}`);
        return { token, chatId: ((await res.json()) as { chat: { id: string } }).chat.id, clientMsgId };
      },
      close: cleanup,
    };
  } catch (err) {
    const logs = nodes.map((n) => `--- ${n.name}\n${n.output()}`).join('\n');
    await cleanup().catch(() => undefined);
    throw new Error(`cluster did not start: ${err instanceof Error ? err.message : String(err)}\n${logs}`);
  }
}

// ---------------------------------------------------------------------------------------------
// The invariant checker
// ---------------------------------------------------------------------------------------------

/** What one client (a widget or a console following one chat) was told, for the checker. */
export interface ClientRecord {
  /** For the report, e.g. "visitor of pair 3". */
  label: string;
  chatId: string;
  /** Every clientMsgId this client tried to send (each once, however often it was resent). */
  attempted: readonly string[];
  /** Every ack it received, resends included. */
  acks: ReadonlyArray<{ clientMsgId: string; seq: number }>;
  /** The events the client holds at the end, by seq. */
  view: ReadonlyMap<number, ChatEvent>;
}

export interface InvariantReport {
  chats: number;
  events: number;
  messages: number;
  acks: number;
  /** Every broken invariant, in words; empty when all hold. */
  violations: string[];
}

/** One line per event, the fields both sides must agree on (`at` is the server's clock, shown everywhere alike). */
export function describeEvent(e: ChatEvent | undefined): string {
  if (!e) return '(none)';
  const who = e.author.kind === 'agent' ? `agent ${e.author.name ?? e.author.id ?? '?'}` : e.author.kind;
  const parts = [`#${e.seq}`, e.kind, `by ${who}`];
  if (e.body !== undefined) parts.push(JSON.stringify(e.body.length > 40 ? `${e.body.slice(0, 40)}…` : e.body));
  if (e.clientMsgId !== undefined) parts.push(`[${e.clientMsgId}]`);
  if (e.endedBy !== undefined) parts.push(`endedBy ${e.endedBy}`);
  return parts.join(' ');
}

const MAX_LINES_PER_CLIENT = 12;

/**
 * Checks, for every chat the clients took part in:
 *  1. the chat's log is numbered 1..N without gaps or repeats, and chats.last_seq = N;
 *  2. no clientMsgId is stored twice (within the chat, and across the checked chats);
 *  3. every acknowledged message is stored exactly once, at the seq its ack(s) named;
 *  4. every message a client tried to send was acknowledged in the end (nothing lost after resends);
 *  5. every stored message with a clientMsgId is one somebody sent (`known`: sent another way, e.g. the question);
 *  6. each client's final view (its events by seq) equals the database's events for that chat.
 */
export async function checkInvariants(db: Db, clients: readonly ClientRecord[], known: Iterable<string> = []): Promise<InvariantReport> {
  const violations: string[] = [];
  const chatIds = [...new Set(clients.map((c) => c.chatId))];
  const knownIds = new Set(known);
  const report: InvariantReport = { chats: chatIds.length, events: 0, messages: 0, acks: 0, violations };
  if (chatIds.length === 0) return report;
  const rows = await db.selectFrom('chat_events').selectAll().where('chat_id', 'in', chatIds).orderBy('chat_id').orderBy('seq').execute();
  const chats = await db.selectFrom('chats').select(['id', 'last_seq']).where('id', 'in', chatIds).execute();
  const lastSeq = new Map(chats.map((c) => [c.id, c.last_seq]));
  const byChat = new Map<string, ChatEvent[]>(chatIds.map((id) => [id, []]));
  for (const r of rows) byChat.get(r.chat_id)!.push(toEvent(r));
  report.events = rows.length;

  const attemptedEverywhere = new Set(clients.flatMap((c) => c.attempted));
  const storedEverywhere = new Map<string, string>();
  for (const chatId of chatIds) {
    const events = byChat.get(chatId)!;
    const where = `chat ${chatId}`;
    if (!lastSeq.has(chatId)) violations.push(`${where}: not in the database`);

    // 1. 1..N, no gaps, no repeats.
    const seqs = events.map((e) => e.seq);
    const gaps: number[] = [];
    const repeats: number[] = [];
    for (let i = 0; i < seqs.length; i++) {
      if (i > 0 && seqs[i] === seqs[i - 1]) repeats.push(seqs[i]!);
    }
    const seen = new Set(seqs);
    const top = Math.max(0, ...seqs);
    for (let s = 1; s <= top; s++) if (!seen.has(s)) gaps.push(s);
    if (gaps.length) violations.push(`${where}: seq has gaps — missing ${gaps.slice(0, 20).join(', ')}${gaps.length > 20 ? ` (+${gaps.length - 20})` : ''} of 1..${top}`);
    if (repeats.length) violations.push(`${where}: seq repeated: ${repeats.slice(0, 20).join(', ')}`);
    if (lastSeq.has(chatId) && lastSeq.get(chatId) !== top) violations.push(`${where}: chats.last_seq is ${lastSeq.get(chatId)} but the log ends at ${top}`);

    // 2. each clientMsgId once.
    const storedAt = new Map<string, number[]>();
    for (const e of events) {
      if (e.clientMsgId === undefined) continue;
      if (e.kind === 'message') report.messages++;
      storedAt.set(e.clientMsgId, [...(storedAt.get(e.clientMsgId) ?? []), e.seq]);
      const other = storedEverywhere.get(e.clientMsgId);
      if (other !== undefined && other !== chatId) violations.push(`clientMsgId ${e.clientMsgId} is stored in chat ${other} and in chat ${chatId}`);
      storedEverywhere.set(e.clientMsgId, chatId);
    }
    for (const [id, at] of storedAt) if (at.length > 1) violations.push(`${where}: clientMsgId ${id} stored ${at.length} times, at seq ${at.join(', ')}`);
    // 5. nothing stored that nobody sent.
    for (const [id, at] of storedAt) {
      if (!attemptedEverywhere.has(id) && !knownIds.has(id)) violations.push(`${where}: message [${id}] at seq ${at.join(', ')} was stored but no client sent it`);
    }

    const dbLines = new Map(events.map((e) => [e.seq, describeEvent(e)]));
    for (const client of clients.filter((c) => c.chatId === chatId)) {
      const who = `${where}, ${client.label}`;
      const lines: string[] = [];
      // 3. acks: stored once, at the acknowledged seq; resends acknowledged alike.
      const ackSeqs = new Map<string, Set<number>>();
      for (const a of client.acks) {
        report.acks++;
        let s = ackSeqs.get(a.clientMsgId);
        if (!s) ackSeqs.set(a.clientMsgId, (s = new Set()));
        s.add(a.seq);
      }
      for (const [id, seqSet] of ackSeqs) {
        const stored = storedAt.get(id) ?? [];
        if (seqSet.size > 1) lines.push(`[${id}] was acknowledged with different seqs: ${[...seqSet].join(', ')}`);
        if (stored.length === 0) lines.push(`[${id}] was acknowledged (seq ${[...seqSet].join(', ')}) but is not stored`);
        else if (stored.length === 1 && !seqSet.has(stored[0]!)) lines.push(`[${id}] was acknowledged as seq ${[...seqSet].join(', ')} but is stored at seq ${stored[0]}`);
      }
      // 4. nothing lost: every attempt acknowledged in the end.
      const unacked = client.attempted.filter((id) => !ackSeqs.has(id));
      if (unacked.length) {
        const stored = unacked.filter((id) => storedAt.has(id)).length;
        lines.push(`${unacked.length} of ${client.attempted.length} messages never acknowledged (${stored} of them stored anyway): ${unacked.slice(0, 5).map((id) => `[${id}]`).join(' ')}${unacked.length > 5 ? ' …' : ''}`);
      }
      // 6. the client's view is the database's log.
      const top2 = Math.max(top, 0, ...client.view.keys());
      let diffs = 0;
      const diffLines: string[] = [];
      for (let s = 1; s <= top2; s++) {
        const d = dbLines.get(s) ?? '(none)';
        const c = describeEvent(client.view.get(s));
        if (d === c) continue;
        diffs++;
        if (diffLines.length < MAX_LINES_PER_CLIENT) diffLines.push(`    - db:     ${d}\n    + client: ${c}`);
      }
      if (diffs) lines.push(`view differs from the database at ${diffs} of ${top2} seqs:\n${diffLines.join('\n')}${diffs > diffLines.length ? `\n    … ${diffs - diffLines.length} more` : ''}`);
      for (const l of lines) violations.push(`${who}: ${l}`);
    }
  }
  return report;
}

/** The report as a readable block, for a failing assertion's message. */
export function formatReport(r: InvariantReport, limit = 60): string {
  const head = `${r.chats} chats, ${r.events} events (${r.messages} with a clientMsgId), ${r.acks} acks checked`;
  if (r.violations.length === 0) return `${head}: every invariant holds`;
  const shown = r.violations.slice(0, limit);
  return [`${head}: ${r.violations.length} violation(s)`, ...shown.map((v) => `  • ${v}`), ...(r.violations.length > limit ? [`  … ${r.violations.length - limit} more`] : [])].join('\n');
}

// ---------------------------------------------------------------------------------------------
// Bookkeeping around ResumingClient (support/resuming-client.ts)
// ---------------------------------------------------------------------------------------------

/** One message a client tried to send, and what became of it. */
export interface Attempt {
  clientMsgId: string;
  body: string;
  /** Date.now() when handed to the client. */
  sentAt: number;
  /** Date.now() when its ack arrived (or null). */
  ackedAt: number | null;
  /** Why the client gave up on it (a non-retryable error, or closed with it unacknowledged). */
  error: string | null;
}

/**
 * The attempts of one client. ResumingClient.send() resolves with the ack but does not say which
 * clientMsgId it chose, and the checker needs every attempted one (not only those acknowledged):
 * send() puts the new message at the end of `outbox` synchronously, so it is read from there.
 */
export class SendLog {
  readonly attempts: Attempt[] = [];
  private readonly settling = new Set<Promise<void>>();

  send(client: ResumingClient, body: string, chatId?: string): Attempt {
    const before = client.outbox.length;
    const acked = client.send(body, chatId);
    const outbox = client.outbox;
    const clientMsgId = outbox[outbox.length - 1];
    if (outbox.length !== before + 1 || clientMsgId === undefined) throw new Error('could not tell the clientMsgId of a send');
    const attempt: Attempt = { clientMsgId, body, sentAt: Date.now(), ackedAt: null, error: null };
    this.attempts.push(attempt);
    const settled = acked.then(
      () => void (attempt.ackedAt = Date.now()),
      (err: unknown) => void (attempt.error = err instanceof Error ? err.message : String(err)),
    );
    this.settling.add(settled);
    void settled.finally(() => this.settling.delete(settled));
    return attempt;
  }

  get unsettled(): number {
    return this.settling.size;
  }

  /** Waits (bounded) until every attempt was acknowledged or given up; returns how many are still open. */
  async settle(timeoutMs: number): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (this.settling.size > 0 && Date.now() < deadline) await sleep(25);
    return this.settling.size;
  }
}

/** What `client` was told about `chatId`, for checkInvariants: every ack frame (resends too), its events. */
export function recordOf(label: string, client: ResumingClient, chatId: string, log: SendLog): ClientRecord {
  const acks: Array<{ clientMsgId: string; seq: number }> = [];
  for (const { frame } of client.frames) if (frame.type === 'ack' && frame.chatId === chatId) acks.push({ clientMsgId: frame.clientMsgId, seq: frame.seq });
  return {
    label,
    chatId,
    attempted: log.attempts.map((a) => a.clientMsgId),
    acks,
    view: new Map(client.events(chatId).map((e) => [e.seq, e])),
  };
}
