/**
 * Cluster: two Loket nodes (two processes) on one PostgreSQL database, fanned out through Redis.
 * 200 customer–agent pairs, every one spanning both nodes: the customer's widget on one node, the
 * agent's console on the other (half the pairs one way round, half the other, so both nodes take
 * writes and both deliver), so every message crosses Redis. The offered rate is stepped up exactly
 * like the saturation scenario (p99 ≤ 100 ms and nothing falling behind); the highest rate that held
 * is the sustained throughput. For scale, the same run measures ONE node on the same stack
 * (PostgreSQL + Redis, the bus in the path) with the same pairs. Every message must reach its agent
 * exactly once and in order, and be acknowledged.
 *
 * The nodes, Redis, PostgreSQL and this load generator all share the machine's cores: on one
 * two-core machine a second node adds no CPU, so what this measures is the cost of the cluster path
 * (a Redis round trip per fan-out, a second process) more than scale-out. See docs/performance.md.
 */
import WebSocket from 'ws';
import { startCluster, type Cluster, type ClusterNode } from '../../packages/server/test/support/cluster.js';
import { PG_ADMIN_URL } from '../../packages/server/test/support/server.js';
import type { Scenario, ScenarioResult } from '../lib/result.js';
import { processStats } from '../lib/server.js';
import { percentiles, progress, sleep } from '../lib/stats.js';
import { drain, ms, pacedStep, sentTotal, ratio, verificationFailure, verificationText, verify, type Pair, type Target, type Verification } from './latency-saturation-load.js';

const PAIRS = 200;
const AGENTS = 20;
const P99_LIMIT_MS = 100;
const RATES = [100, 200, 300, 400, 500, 600, 750, 1_000, 1_250, 1_500, 2_000, 3_000, 4_000];
const QUICK_RATES = [100, 250, 500, 1_000, 2_000];
/** After the first step that fails, this many halvings of the gap to the last one that passed. */
const REFINEMENTS = 2;
const SETUP_TIMEOUT_MS = 30_000;

interface ClusterTarget extends Target {
  nodes: number;
  /** The nodes' and Redis's processes, for CPU. */
  pids: () => { nodes: number[]; redis: number };
}

interface Step {
  offered: number;
  sentRate: number;
  receivedRate: number;
  backlog: number;
  latency: ReturnType<typeof percentiles>;
  drainMs: number;
  /** Per node, % of one core. */
  nodeCpuPct: number[];
  redisCpuPct: number;
  generatorCpuPct: number;
  passed: boolean;
  reason?: string;
}

interface Run {
  label: string;
  nodes: number;
  sustained: number;
  stoppedBecause: string;
  steps: Step[];
  verification: Verification;
  failed?: string;
}

const EVENT = '{"type":"event"';
const ACK = '{"type":"ack"';
const ERROR = '{"type":"error"';

/** An agent-side `event` frame: latency, and exactly-once in-order delivery per pair (as the saturation scenario checks). */
function onEvent(target: Target, byChat: Map<string, Pair>, text: string): void {
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

function timeout<T>(p: Promise<T>, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`timed out: ${what}`)), SETUP_TIMEOUT_MS);
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

/** A socket listening from the start: the agent's snapshot may come in the same read as the upgrade. */
function openListening(url: string, headers: Record<string, string>, onMessage: (data: Buffer) => void): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers, perMessageDeflate: false });
    ws.on('message', onMessage);
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/**
 * `nodes` Loket processes on fresh PostgreSQL + our own Redis. Agent k's console is on node k mod
 * nodes; pair i is served by agent i mod AGENTS and its widget sits on the next node over.
 */
async function setupCluster(nodes: number, label: string): Promise<ClusterTarget> {
  progress(`  ${label}: starting ${nodes} node(s), Redis and a fresh database…`);
  const cluster: Cluster = await startCluster({ nodes, agents: AGENTS, databasePrefix: 'loket_bench_cluster', adminUrl: process.env.BENCH_PG_ADMIN_URL ?? PG_ADMIN_URL });
  let stopping = false;
  const target: ClusterTarget = {
    label,
    nodes,
    pid: -1,
    pairs: [],
    samples: [],
    received: 0,
    problems: [],
    stop: async () => undefined,
    pids: () => ({ nodes: cluster.nodes.map((n) => n.pid), redis: cluster.redis.pid }),
  };
  const problem = (text: string) => {
    if (target.problems.length < 5) target.problems.push(text);
  };
  const byChat = new Map<string, Pair>();
  const waiting = new Map<string, { resolve: () => void; reject: (e: Error) => void }>();
  const agentSockets: WebSocket[] = [];
  const watchClose = (socket: WebSocket, what: string) => {
    socket.on('close', (code: number, reason: Buffer) => {
      if (!stopping) problem(`${what} socket closed ${code} ${reason.toString()}`);
    });
    socket.on('error', () => undefined);
  };
  const nodeOf = (i: number): ClusterNode => cluster.nodes[i % nodes]!;
  try {
    for (const [k, agent] of cluster.agents.entries()) {
      const ready = new Promise<void>((resolve, reject) => waiting.set(`ready${k}`, { resolve, reject }));
      const socket = await openListening(`${nodeOf(k).wsUrl}/ws/agent`, { cookie: agent.cookie }, (data: Buffer) => {
        const head = data.toString('latin1', 0, 20);
        if (head.startsWith(EVENT)) return onEvent(target, byChat, data.toString());
        if (head.startsWith('{"type":"claimed"') || head.startsWith(ERROR)) {
          const f = JSON.parse(data.toString()) as { rid?: string; message?: string };
          const w = f.rid === undefined ? undefined : waiting.get(f.rid);
          if (!w) return problem(`agent frame: ${data.toString().slice(0, 200)}`);
          waiting.delete(f.rid!);
          if (head.startsWith(ERROR)) w.reject(new Error(`claim failed: ${f.message ?? ''}`));
          else w.resolve();
        } else if (head.startsWith('{"type":"ready"')) waiting.get(`ready${k}`)?.resolve();
      });
      watchClose(socket, `agent (node${k % nodes})`);
      await timeout(ready, 'agent ready');
      waiting.delete(`ready${k}`);
      agentSockets.push(socket);
    }
    const started = performance.now();
    const pairs: Pair[] = new Array<Pair>(PAIRS);
    let nextIndex = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (nextIndex < PAIRS) {
          const i = nextIndex++;
          const agentIndex = i % AGENTS;
          const visitorNode = nodeOf(agentIndex + 1);
          const { token, chatId } = await cluster.startChat(visitorNode, `cluster bench ${i}`);
          const claimed = new Promise<void>((resolve, reject) => waiting.set(`c${i}`, { resolve, reject }));
          agentSockets[agentIndex]!.send(`{"type":"claim","rid":"c${i}","chatId":"${chatId}"}`);
          await timeout(claimed, 'claim');
          let authed: () => void = () => undefined;
          const authedP = new Promise<void>((resolve) => (authed = resolve));
          // The first frame answers `auth`; after that only acks and errors matter to the generator.
          let first = true;
          const visitor = await openListening(`${visitorNode.wsUrl}/ws/visitor`, {}, (data: Buffer) => {
            if (first) {
              first = false;
              authed();
              return;
            }
            const p = byChat.get(chatId);
            const head = data.toString('latin1', 0, 16);
            if (!p) return;
            if (head.startsWith(ACK)) p.acks++;
            else if (head.startsWith(ERROR)) {
              p.errors++;
              problem(`visitor error: ${data.toString().slice(0, 200)}`);
            }
          });
          const pair: Pair = { chatId, visitor, prefix: `${chatId.slice(0, 8)}p${i}x`, sentAt: [], next: 0, duplicates: 0, gaps: 0, acks: 0, errors: 0 };
          byChat.set(chatId, pair);
          visitor.send(JSON.stringify({ type: 'auth', token, lastSeq: 0 }));
          await timeout(authedP, 'visitor auth');
          watchClose(visitor, `visitor (${visitorNode.name})`);
          pairs[i] = pair;
          if (i % 50 === 49) progress(`  ${label}: ${i + 1}/${PAIRS} chats started and claimed (${((performance.now() - started) / 1000).toFixed(1)} s)`);
        }
      }),
    );
    target.pairs = pairs;
    // Let the claims' own events ('joined', chat state) settle before measuring.
    await sleep(500);
  } catch (err) {
    stopping = true;
    for (const s of agentSockets) s.terminate();
    await cluster.close();
    throw err;
  }
  target.stop = async () => {
    stopping = true;
    for (const p of target.pairs) p.visitor.terminate();
    for (const s of agentSockets) s.terminate();
    await cluster.close();
  };
  return target;
}

/** CPU of every node, of Redis and of this process between two calls, in % of one core. */
function clusterCpu(target: ClusterTarget): () => { nodes: number[]; redis: number; generator: number } {
  const cpu = (pid: number) => (pid > 0 ? processStats(pid).cpuMs : 0);
  const pids = target.pids();
  const t0 = performance.now();
  const n0 = pids.nodes.map(cpu);
  const r0 = cpu(pids.redis);
  const g0 = process.cpuUsage();
  return () => {
    const wall = performance.now() - t0;
    const pct = (v: number) => Math.round((v / wall) * 100);
    const g = process.cpuUsage(g0);
    return { nodes: pids.nodes.map((pid, i) => pct(cpu(pid) - n0[i]!)), redis: pct(cpu(pids.redis) - r0), generator: pct((g.user + g.system) / 1000) };
  };
}

async function step(target: ClusterTarget, offered: number, windowMs: number): Promise<Step> {
  const r = await pacedStep(target, offered, windowMs, P99_LIMIT_MS, () => clusterCpu(target));
  const { usage, reason, ...measured } = r;
  return {
    ...measured,
    nodeCpuPct: usage.nodes,
    redisCpuPct: usage.redis,
    generatorCpuPct: usage.generator,
    passed: reason === undefined,
    ...(reason === undefined ? {} : { reason }),
  };
}

async function saturate(setup: () => Promise<ClusterTarget>, rates: number[], windowMs: number): Promise<Run> {
  const target = await setup();
  const steps: Step[] = [];
  let stoppedBecause = `reached the top step (${rates[rates.length - 1]}/s)`;
  const runStep = async (offered: number): Promise<Step> => {
    progress(`  ${target.label}: offering ${offered.toLocaleString('en')} msg/s for ${windowMs / 1000} s…`);
    const s = await step(target, offered, windowMs);
    steps.push(s);
    progress(
      `  ${target.label}: ${offered.toLocaleString('en')} msg/s offered → sent ${s.sentRate}/s, received ${s.receivedRate}/s, p50 ${ms(s.latency.p50)} p99 ${ms(s.latency.p99)}, ` +
        `nodes CPU ${s.nodeCpuPct.join('+')}%, Redis ${s.redisCpuPct}%, generator ${s.generatorCpuPct}% — ${s.passed ? 'sustained' : `not sustained: ${s.reason}`}`,
    );
    if (process.stdout.isTTY) process.stdout.write('\n');
    return s;
  };
  try {
    await sleep(300);
    let passed = 0;
    let failedAt = 0;
    for (const offered of rates) {
      const s = await runStep(offered);
      if (!s.passed) {
        stoppedBecause = `${offered}/s: ${s.reason ?? 'failed'}`;
        failedAt = offered;
        break;
      }
      passed = offered;
    }
    // Narrow the gap between the last rate that held and the first that did not.
    for (let i = 0; i < REFINEMENTS && failedAt > 0 && passed > 0 && target.problems.length === 0; i++) {
      if (target.received < sentTotal(target)) break; // still behind from the failed step
      const mid = Math.round((passed + failedAt) / 2 / 50) * 50;
      if (mid <= passed || mid >= failedAt) break;
      await sleep(300);
      const s = await runStep(mid);
      if (s.passed) passed = mid;
      else {
        failedAt = mid;
        stoppedBecause = `${mid}/s: ${s.reason ?? 'failed'}`;
      }
    }
    await drain(target, 30_000);
  } finally {
    await target.stop();
  }
  const verification = verify(target);
  const failed = verificationFailure(target.label, verification);
  const sustained = steps.filter((s) => s.passed).reduce((max, s) => Math.max(max, s.offered), 0);
  return { label: target.label, nodes: target.nodes, sustained, stoppedBecause, steps, verification, ...(failed ? { failed } : {}) };
}

function stepsText(r: Run): string {
  return r.steps.map((st) => `${st.offered}: p99 ${ms(st.latency.p99)}, rx ${st.receivedRate}/s${st.passed ? '' : ' ✗'}`).join('; ');
}

/** The step at the sustained rate (the last one that passed at that rate). */
function atSustained(r: Run): Step | undefined {
  return r.steps.filter((s) => s.passed && s.offered === r.sustained).at(-1);
}

function sustainedText(r: Run): string {
  const s = atSustained(r);
  if (!s) return 'no step held';
  return (
    `p50 ${ms(s.latency.p50)}, p99 ${ms(s.latency.p99)}, p99.9 ${ms(s.latency.p999)}, max ${ms(s.latency.max)} (${s.latency.n.toLocaleString('en')} messages); ` +
    `CPU: node${r.nodes > 1 ? 's' : ''} ${s.nodeCpuPct.map((p) => `${p}%`).join(' + ')}, Redis ${s.redisCpuPct}%, generator ${s.generatorCpuPct}% (of one core)`
  );
}

export const run: Scenario = async ({ quick }) => {
  const rates = quick ? QUICK_RATES : RATES;
  const windowMs = quick ? 2_000 : 5_000;
  progress(`cluster: ${PAIRS} pairs across nodes, offered rate stepped ${rates.join(', ')} msg/s, ${windowMs / 1000} s a step — one node first, then two`);
  const runs: Array<Run | Error> = [];
  for (const nodes of [1, 2]) {
    try {
      runs.push(await saturate(() => setupCluster(nodes, `Loket, ${nodes} node${nodes > 1 ? 's' : ''} (PostgreSQL + Redis)`), rates, windowMs));
    } catch (err) {
      runs.push(err instanceof Error ? err : new Error(String(err)));
    }
  }
  const [one, two] = runs as [Run | Error, Run | Error];
  const rows: ScenarioResult['rows'] = [];
  const failed: string[] = [];
  for (const r of [two, one]) {
    if (r instanceof Error) {
      rows.push({ label: r === two ? 'Loket, 2 nodes' : 'Loket, 1 node', value: `not run: ${r.message.split('\n')[0]}` });
      failed.push(r.message.split('\n')[0]!);
      continue;
    }
    const scale = r === two && !(one instanceof Error) ? ` (×${ratio(r.sustained, one.sustained)} of one node)` : '';
    rows.push(
      { label: r.label, value: `${r.sustained.toLocaleString('en')} msg/s sustained${scale}; stopped: ${r.stoppedBecause}` },
      { label: `${r.label} at its sustained rate`, value: sustainedText(r) },
      { label: `${r.label}, steps`, value: stepsText(r) },
      { label: `Messages, ${r.nodes} node${r.nodes > 1 ? 's' : ''}`, value: verificationText(r.verification) },
    );
    if (r.failed) failed.push(r.failed);
  }
  return {
    name: 'cluster',
    title: `Cluster: two nodes on PostgreSQL + Redis, ${PAIRS} pairs each spanning both nodes — highest sustained msg/s (p99 ≤ ${P99_LIMIT_MS} ms), against one node`,
    rows,
    data: { pairs: PAIRS, agents: AGENTS, quick, p99LimitMs: P99_LIMIT_MS, runs: runs.map((r) => (r instanceof Error ? { error: r.message } : r)) },
    ...(failed.length ? { failed: failed.join(' | ') } : {}),
  };
};
