/**
 * Load generator shared by the latency and saturation scenarios: N customer–agent pairs on Loket
 * (real widget chats, claimed by signed-in agents over /ws/agent) or on the baseline relay, with
 * the same frames on both. It is kept cheap because it shares the machine's two cores with the
 * server: frames are built by string concatenation, and agent frames are only parsed when they
 * are `event`s (Loket's `chatSummary` frames are skipped by their first bytes).
 *
 * Every pair's messages carry their per-pair number in the body (`m<n>`); the agent side checks
 * that each arrives exactly once and in order.
 */
import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import { startBaselineRelay } from '../baseline/relay.js';
import { openSocket, processStats, startBenchServer, startChat, type Dialect } from '../lib/server.js';
import { percentiles, progress, sleep } from '../lib/stats.js';

export interface Pair {
  chatId: string;
  visitor: WebSocket;
  /** clientMsgId prefix, unique per pair and run. */
  prefix: string;
  /** performance.now() at each send, indexed by message number. */
  sentAt: number[];
  /** Next message number the agent should receive. */
  next: number;
  duplicates: number;
  /** A message that skipped ahead of one not yet received. */
  gaps: number;
  acks: number;
  errors: number;
}

export interface Target {
  label: string;
  pid: number;
  pairs: Pair[];
  /** Latency samples (ms) land here; callers swap it to split by phase. */
  samples: number[];
  received: number;
  /** Unexpected socket closes (code and reason), or error frames. */
  problems: string[];
  stop(): Promise<void>;
}

const EVENT = '{"type":"event"';
const ACK = '{"type":"ack"';
const ERROR = '{"type":"error"';

function newTarget(label: string): Target {
  return { label, pid: -1, pairs: [], samples: [], received: 0, problems: [], stop: async () => undefined };
}

function newPair(chatId: string, visitor: WebSocket, index: number): Pair {
  return { chatId, visitor, prefix: `${randomBytes(6).toString('hex')}p${index}x`, sentAt: [], next: 0, duplicates: 0, gaps: 0, acks: 0, errors: 0 };
}

/** An agent-side `event` frame: records the latency and checks exactly-once, in-order delivery. */
function onEventFrame(target: Target, byChat: Map<string, Pair>, text: string): void {
  const f = JSON.parse(text) as { chatId: string; event: { kind: string; body?: string; author: { kind: string } } };
  if (f.event.kind !== 'message' || f.event.author.kind !== 'visitor') return;
  const body = f.event.body ?? '';
  const pair = byChat.get(f.chatId);
  if (!pair || body.charCodeAt(0) !== 109 /* m */) return;
  const n = Number(body.slice(1));
  if (n === pair.next) {
    target.samples.push(performance.now() - pair.sentAt[n]!);
    target.received++;
    pair.next++;
  } else if (n < pair.next) pair.duplicates++;
  else {
    pair.gaps++;
    target.received++;
    pair.next = n + 1;
  }
}

function watchVisitor(target: Target, pair: Pair): void {
  pair.visitor.on('message', (data: Buffer) => {
    const head = data.toString('latin1', 0, 16);
    if (head.startsWith(ACK)) pair.acks++;
    else if (head.startsWith(ERROR)) {
      pair.errors++;
      if (target.problems.length < 5) target.problems.push(`visitor error: ${data.toString().slice(0, 200)}`);
    }
  });
}

function watchClose(target: Target, socket: WebSocket, what: string, stopping: () => boolean): void {
  socket.on('close', (code: number, reason: Buffer) => {
    if (!stopping() && target.problems.length < 5) target.problems.push(`${what} socket closed ${code} ${reason.toString()}`);
  });
  socket.on('error', () => undefined);
}

/**
 * Like openSocket, but listening from the start: the server may send its first frame (the agent
 * snapshot) in the same read as the upgrade response, before a listener added after 'open' exists.
 */
function openListening(url: string, headers: Record<string, string>, onMessage: (data: Buffer) => void): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers, perMessageDeflate: false });
    ws.on('message', onMessage);
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

async function inBatches<T>(count: number, width: number, fn: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array<T>(count);
  let nextIndex = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, count) }, async () => {
      while (nextIndex < count) {
        const i = nextIndex++;
        out[i] = await fn(i);
      }
    }),
  );
  return out;
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`timed out: ${what}`)), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

/** Loket on fresh storage, `pairs` chats started through the widget API and claimed evenly by `agents` agents. */
export async function setupLoket(opts: { dialect: Dialect; pairs: number; agents: number; label: string; env?: Record<string, string> }): Promise<Target> {
  const target = newTarget(opts.label);
  let stopping = false;
  const server = await startBenchServer({ dialect: opts.dialect, agents: opts.agents, ...(opts.env ? { env: opts.env } : {}) });
  target.pid = server.pid;
  const byChat = new Map<string, Pair>();
  const waiting = new Map<string, { resolve: () => void; reject: (e: Error) => void }>();
  const agentSockets: WebSocket[] = [];
  try {
    for (const agent of server.agents) {
      const ready = new Promise<void>((resolve) => waiting.set('ready', { resolve, reject: () => undefined }));
      const socket = await openListening(`${server.wsUrl}/ws/agent`, { cookie: agent.cookie }, (data: Buffer) => {
        const head = data.toString('latin1', 0, 20);
        if (head.startsWith(EVENT)) return onEventFrame(target, byChat, data.toString());
        if (head.startsWith('{"type":"claimed"') || head.startsWith(ERROR)) {
          const f = JSON.parse(data.toString()) as { rid?: string; message?: string };
          const w = f.rid === undefined ? undefined : waiting.get(f.rid);
          if (!w) {
            if (target.problems.length < 5) target.problems.push(`agent frame: ${data.toString().slice(0, 200)}`);
            return;
          }
          waiting.delete(f.rid!);
          if (head.startsWith(ERROR)) w.reject(new Error(`claim failed: ${f.message ?? ''}`));
          else w.resolve();
        } else if (head.startsWith('{"type":"ready"')) waiting.get('ready')?.resolve();
      });
      watchClose(target, socket, 'agent', () => stopping);
      await withTimeout(ready, 30_000, 'agent ready');
      waiting.delete('ready');
      agentSockets.push(socket);
    }
    const started = performance.now();
    target.pairs = await inBatches(opts.pairs, 16, async (i) => {
      const { token, chatId } = await startChat(server, `bench question ${i}`);
      const claimed = new Promise<void>((resolve, reject) => waiting.set(`c${i}`, { resolve, reject }));
      agentSockets[i % agentSockets.length]!.send(`{"type":"claim","rid":"c${i}","chatId":"${chatId}"}`);
      await withTimeout(claimed, 30_000, 'claim');
      const visitor = await openSocket(`${server.wsUrl}/ws/visitor`);
      const authed = new Promise<void>((resolve) => visitor.once('message', () => resolve()));
      visitor.send(JSON.stringify({ type: 'auth', token, lastSeq: 0 }));
      await withTimeout(authed, 30_000, 'visitor auth');
      const pair = newPair(chatId, visitor, i);
      byChat.set(chatId, pair);
      watchVisitor(target, pair);
      watchClose(target, visitor, 'visitor', () => stopping);
      if (i % 50 === 49) progress(`  ${opts.label}: ${i + 1}/${opts.pairs} chats started and claimed (${((performance.now() - started) / 1000).toFixed(1)} s)`);
      return pair;
    });
    // Let the claim's own events ('joined', chat state) settle before measuring.
    await sleep(500);
  } catch (err) {
    stopping = true;
    await server.stop();
    throw err;
  }
  target.stop = async () => {
    stopping = true;
    for (const p of target.pairs) p.visitor.terminate();
    for (const s of agentSockets) s.terminate();
    await server.stop();
  };
  return target;
}

/** The bare relay, with the same pair/agent layout. */
export async function setupBaseline(opts: { pairs: number; agents: number; label: string }): Promise<Target> {
  const target = newTarget(opts.label);
  let stopping = false;
  const relay = await startBaselineRelay();
  target.pid = relay.pid ?? -1;
  const byChat = new Map<string, Pair>();
  const agentSockets: WebSocket[] = [];
  try {
    for (let a = 0; a < opts.agents; a++) {
      const chats: number[] = [];
      for (let i = a; i < opts.pairs; i += opts.agents) chats.push(i + 1);
      if (chats.length === 0) continue;
      const socket = await openSocket(`${relay.url}/?role=agent&chat=${chats.join(',')}`);
      socket.on('message', (data: Buffer) => {
        if (data.toString('latin1', 0, 16).startsWith(EVENT)) onEventFrame(target, byChat, data.toString());
      });
      watchClose(target, socket, 'agent', () => stopping);
      agentSockets.push(socket);
    }
    target.pairs = await inBatches(opts.pairs, 16, async (i) => {
      const chatId = String(i + 1);
      const visitor = await openSocket(`${relay.url}/?role=visitor&chat=${chatId}`);
      const pair = newPair(chatId, visitor, i);
      byChat.set(chatId, pair);
      watchVisitor(target, pair);
      watchClose(target, visitor, 'visitor', () => stopping);
      return pair;
    });
  } catch (err) {
    stopping = true;
    await relay.stop();
    throw err;
  }
  target.stop = async () => {
    stopping = true;
    for (const p of target.pairs) p.visitor.terminate();
    for (const s of agentSockets) s.terminate();
    await relay.stop();
  };
  return target;
}

/** Sends the pair's next message: a pre-shaped frame, no serialiser. */
export function sendNext(pair: Pair): void {
  const n = pair.sentAt.length;
  pair.sentAt.push(performance.now());
  pair.visitor.send(`{"type":"send","clientMsgId":"${pair.prefix}${n}","body":"m${n}"}`);
}

export function sentTotal(target: Target): number {
  let n = 0;
  for (const p of target.pairs) n += p.sentAt.length;
  return n;
}

/** Waits (bounded) until every sent message has reached its agent. */
export async function drain(target: Target, maxMs: number): Promise<number> {
  const t0 = performance.now();
  const total = sentTotal(target);
  while (target.received < total && performance.now() - t0 < maxMs) await sleep(10);
  return performance.now() - t0;
}

export interface Verification {
  sent: number;
  received: number;
  lost: number;
  duplicates: number;
  gaps: number;
  missingAcks: number;
  errorFrames: number;
  chatsWithProblems: number;
  problems: string[];
}

/** Exactly once, in order, acknowledged: per chat. */
export function verify(target: Target): Verification {
  const v: Verification = { sent: 0, received: target.received, lost: 0, duplicates: 0, gaps: 0, missingAcks: 0, errorFrames: 0, chatsWithProblems: 0, problems: target.problems };
  for (const p of target.pairs) {
    const sent = p.sentAt.length;
    v.sent += sent;
    const lost = Math.max(0, sent - p.next);
    v.lost += lost;
    v.duplicates += p.duplicates;
    v.gaps += p.gaps;
    v.missingAcks += Math.max(0, sent - p.acks);
    v.errorFrames += p.errors;
    if (lost + p.duplicates + p.gaps + p.errors > 0 || p.acks < sent) v.chatsWithProblems++;
  }
  return v;
}

export function verificationFailure(label: string, v: Verification): string | undefined {
  const bad = v.lost + v.duplicates + v.gaps + v.missingAcks + v.errorFrames + v.problems.length;
  if (bad === 0) return undefined;
  return (
    `${label}: ${v.lost} lost, ${v.duplicates} doubled, ${v.gaps} out of order, ${v.missingAcks} unacknowledged, ${v.errorFrames} error frames ` +
    `in ${v.chatsWithProblems} chats${v.problems.length ? `; ${v.problems.join('; ')}` : ''}`
  );
}

export function verificationText(v: Verification): string {
  return `${v.received.toLocaleString('en')}/${v.sent.toLocaleString('en')} delivered; lost (not delivered in time) ${v.lost}, doubled ${v.duplicates}, out of order ${v.gaps}, unacknowledged ${v.missingAcks}`;
}

/** CPU use of the server process and of this (load generator) process between two calls. */
export function cpuMeter(pid: number): () => { serverPct: number; generatorPct: number } {
  const t0 = performance.now();
  const s0 = pid > 0 ? processStats(pid).cpuMs : 0;
  const g0 = process.cpuUsage();
  return () => {
    const wall = performance.now() - t0;
    const s1 = pid > 0 ? processStats(pid).cpuMs : 0;
    const g = process.cpuUsage(g0);
    return { serverPct: Math.round(((s1 - s0) / wall) * 100), generatorPct: Math.round(((g.user + g.system) / 1000 / wall) * 100) };
  };
}

/** What one saturation step measured, whatever is being saturated (one node, a cluster, the baseline). */
export interface PacedStep<Usage> {
  offered: number;
  /** Messages the generator managed to send per second during the window. */
  sentRate: number;
  /** Messages that reached their agent during the window, per second. */
  receivedRate: number;
  /** Messages still in flight when the window closed. */
  backlog: number;
  latency: ReturnType<typeof percentiles>;
  drainMs: number;
  /** CPU use over the window, as the caller's meter reports it. */
  usage: Usage;
  /** Why the step does not count as sustained; undefined = it does. */
  reason: string | undefined;
}

/**
 * Offers `offered` msg/s for `windowMs`, paced by elapsed time (each tick sends what is due, round-robin over the
 * pairs, so each pair's order holds), then lets the backlog drain and judges the step against `p99LimitMs`.
 */
export async function pacedStep<Usage>(target: Target, offered: number, windowMs: number, p99LimitMs: number, startMeter: () => () => Usage): Promise<PacedStep<Usage>> {
  target.samples = [];
  const meter = startMeter();
  const received0 = target.received;
  const t0 = performance.now();
  let sent = 0;
  let cursor = 0;
  const pairs = target.pairs;
  for (;;) {
    const elapsed = performance.now() - t0;
    if (elapsed >= windowMs) break;
    const due = Math.min(Math.floor((offered * elapsed) / 1000) - sent, Math.ceil(offered / 50));
    for (let i = 0; i < due; i++) {
      sendNext(pairs[cursor]!);
      cursor = (cursor + 1) % pairs.length;
    }
    if (due > 0) sent += due;
    await sleep(2);
  }
  const window = performance.now() - t0;
  const receivedInWindow = target.received - received0;
  const backlog = sentTotal(target) - target.received;
  const usage = meter();
  const drainMs = await drain(target, 10_000);
  const latency = percentiles(target.samples);
  const sentRate = Math.round((sent / window) * 1000);
  const receivedRate = Math.round((receivedInWindow / window) * 1000);
  let reason: string | undefined;
  if (sentRate < 0.95 * offered) reason = `the load generator could offer only ${sentRate}/s`;
  else if (!(latency.p99 <= p99LimitMs)) reason = `p99 ${ms(latency.p99)} > ${p99LimitMs} ms`;
  else if (receivedRate < 0.95 * offered) reason = `received ${receivedRate}/s < 95% of offered`;
  else if (backlog > Math.max(100, offered * 0.2)) reason = `${backlog} messages behind at the end of the step`;
  else if (target.received < sentTotal(target)) reason = 'did not drain within 10 s';
  else if (target.problems.length > 0) reason = target.problems[0]!;
  return { offered, sentRate, receivedRate, backlog, latency, drainMs: Math.round(drainMs), usage, reason };
}

export const ms = (v: number): string => (Number.isFinite(v) ? `${v.toFixed(v < 10 ? 2 : 1)} ms` : 'n/a');
export const ratio = (a: number, b: number): number => (b > 0 ? Math.round((a / b) * 100) / 100 : NaN);
export { percentiles };
