/**
 * Claims: a queue of 2,000 waiting chats and 50 agents racing with "Get next in queue" (each agent
 * sends `claimNext` again as soon as the previous one is answered, until `queue_empty`). Measures the
 * claim latency (claimNext sent → claimed received) and, per claimed chat, the time until every other
 * agent's socket has seen `queueRemoved` for it. Fails on any double assignment or unclaimed chat.
 * Runs on SQLite and on PostgreSQL.
 */
import type { AgentChatSummary, AgentServerMessage } from '@loket/protocol';
import WebSocket from 'ws';
import type { Scenario, ScenarioResult } from '../lib/result.js';
import { startBenchServer, startChat, type BenchServer, type Dialect } from '../lib/server.js';
import { percentiles, progress, sleep } from '../lib/stats.js';

const CREATE_IN_FLIGHT = 8;
const REPLY_TIMEOUT_MS = 15_000;
const PROPAGATION_WAIT_MS = 10_000;
const GOAL_CLAIM_P99_MS = 10;
/** The `ready` snapshot lists at most this many queued chats (agentQueue's limit). */
const SNAPSHOT_QUEUE_LIMIT = 500;

interface Claim {
  chatId: string;
  agent: number;
  sentAt: number;
  claimedAt: number;
}

interface Agent {
  index: number;
  ws: WebSocket;
  /** Waiting chats in the `ready` snapshot. */
  initialQueue: number;
  pending: Map<string, (f: AgentServerMessage) => void>;
}

async function pool(n: number, inFlight: number, fn: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, inFlight) }, async () => {
      while (next < n) await fn(next++);
    }),
  );
}

/**
 * Opens an agent socket and waits for its `ready` snapshot; `onFrame` sees every later frame.
 * Not lib's openSocket: the server may send `ready` in the same TCP read as the upgrade response,
 * and ws then emits 'message' synchronously right after 'open' — before a promise continuation could
 * attach a listener. So the listener is attached before the socket opens.
 */
function connectAgent(server: BenchServer, index: number, onFrame: (f: AgentServerMessage, at: number) => void): Promise<{ ws: WebSocket; ready: Extract<AgentServerMessage, { type: 'ready' }> }> {
  const ws = new WebSocket(`${server.wsUrl}/ws/agent`, { headers: { cookie: server.agents[index]!.cookie }, perMessageDeflate: false });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error(`agent ${index}: no ready`));
    }, REPLY_TIMEOUT_MS);
    let ready = false;
    ws.on('error', (err) => {
      clearTimeout(timer);
      ws.terminate();
      reject(err);
    });
    ws.on('message', (data: WebSocket.RawData) => {
      const at = performance.now();
      const f = JSON.parse(data.toString()) as AgentServerMessage;
      if (!ready) {
        clearTimeout(timer);
        if (f.type !== 'ready') return reject(new Error(`agent ${index}: expected ready, got ${f.type}`));
        ready = true;
        resolve({ ws, ready: f });
        return;
      }
      onFrame(f, at);
    });
    ws.once('close', () => {
      clearTimeout(timer);
      reject(new Error(`agent ${index}: closed before ready`));
    });
  });
}

async function claimRace(dialect: Dialect, chats: number, agentCount: number): Promise<ScenarioResult> {
  const name = `claims-${dialect}`;
  const serverNodeOptions = process.env.BENCH_SERVER_NODE_OPTIONS;
  const server = await startBenchServer({ dialect, agents: agentCount, ...(serverNodeOptions ? { env: { NODE_OPTIONS: serverNodeOptions } } : {}) });
  const agents: Agent[] = [];
  try {
    // 1. The queue.
    const chatIds = new Set<string>();
    const t0 = performance.now();
    await pool(chats, CREATE_IN_FLIGHT, async (i) => {
      chatIds.add((await startChat(server, `claims ${i}`)).chatId);
      if (chatIds.size % 250 === 0 || chatIds.size === chats) progress(`${name}: queued ${chatIds.size}/${chats} chats (${Math.round(chatIds.size / ((performance.now() - t0) / 1000))}/s)`);
    });

    // 2. Agents, each with the whole queue in its snapshot. Every queueRemoved is timestamped per agent.
    const removedSeen = new Map<string, Map<number, number>>();
    for (let i = 0; i < agentCount; i++) {
      const pending = new Map<string, (f: AgentServerMessage) => void>();
      const { ws, ready } = await connectAgent(server, i, (f, at) => {
        if (f.type === 'queueRemoved') {
          let seen = removedSeen.get(f.chatId);
          if (!seen) removedSeen.set(f.chatId, (seen = new Map()));
          if (!seen.has(i)) seen.set(i, at);
        } else if ((f.type === 'claimed' || f.type === 'error') && f.rid !== undefined) {
          const settle = pending.get(f.rid);
          pending.delete(f.rid);
          settle?.(f);
        }
      });
      agents.push({ index: i, ws, initialQueue: ready.queue.length, pending });
    }
    progress(`${name}: ${agentCount} agents connected; racing for ${chats} chats`);

    // 3. The race: every agent loops claimNext until queue_empty.
    const claims: Claim[] = [];
    const claimedBy = new Map<string, number>();
    let doubles = 0;
    const errors = new Map<string, number>();
    const startedAt = performance.now();
    const deadline = Date.now() + Math.max(60_000, chats * 100);
    const shower = setInterval(() => progress(`${name}: ${claimedBy.size}/${chats} claimed`), 500);
    const ask = (a: Agent, rid: string): Promise<AgentServerMessage | null> =>
      new Promise((resolve) => {
        const timer = setTimeout(() => {
          a.pending.delete(rid);
          resolve(null);
        }, REPLY_TIMEOUT_MS);
        a.pending.set(rid, (f) => {
          clearTimeout(timer);
          resolve(f);
        });
        a.ws.send(JSON.stringify({ type: 'claimNext', rid }));
      });
    try {
      await Promise.all(
        agents.map(async (a) => {
          // Bounded: at most every chat plus some errors, within the deadline.
          for (let k = 0; k < chats + 50 && Date.now() < deadline; k++) {
            const sentAt = performance.now();
            const f = await ask(a, `${a.index}-${k}`);
            const at = performance.now();
            if (f === null) {
              errors.set('timeout', (errors.get('timeout') ?? 0) + 1);
              continue;
            }
            if (f.type === 'claimed') {
              const chat: AgentChatSummary = f.chat;
              if (claimedBy.has(chat.id)) doubles++;
              else claimedBy.set(chat.id, a.index);
              claims.push({ chatId: chat.id, agent: a.index, sentAt, claimedAt: at });
              continue;
            }
            if (f.type === 'error' && f.code === 'queue_empty') return;
            const code = f.type === 'error' ? f.code : f.type;
            errors.set(code, (errors.get(code) ?? 0) + 1);
          }
        }),
      );
    } finally {
      clearInterval(shower);
    }
    const raceMs = performance.now() - startedAt;

    // 4. Propagation: every other agent must see queueRemoved for every claimed chat.
    const allSeen = (c: Claim) => (removedSeen.get(c.chatId)?.size ?? 0) >= agentCount - (removedSeen.get(c.chatId)?.has(c.agent) ? 0 : 1);
    for (let i = 0; i < PROPAGATION_WAIT_MS / 50 && !claims.every(allSeen); i++) await sleep(50);
    const propagation: number[] = [];
    const afterClaimed: number[] = [];
    let missingRemovals = 0;
    for (const c of claims) {
      const seen = removedSeen.get(c.chatId) ?? new Map<number, number>();
      let last = -Infinity;
      for (const a of agents) {
        if (a.index === c.agent) continue;
        const at = seen.get(a.index);
        if (at === undefined) missingRemovals++;
        else last = Math.max(last, at);
      }
      if (last > -Infinity) {
        propagation.push(last - c.sentAt);
        afterClaimed.push(last - c.claimedAt);
      }
    }

    // 5. The server's own view: a fresh snapshot per agent; each chat in exactly one agent's list, the one told.
    let serverDoubles = 0;
    let serverMismatch = 0;
    let queueLeft = -1;
    const owner = new Map<string, number>();
    for (const a of agents) {
      const { ws, ready } = await connectAgent(server, a.index, () => undefined);
      if (queueLeft < 0) queueLeft = ready.queue.length;
      for (const chat of ready.chats) {
        if (!chatIds.has(chat.id)) continue;
        if (owner.has(chat.id)) serverDoubles++;
        owner.set(chat.id, a.index);
        if (claimedBy.get(chat.id) !== a.index) serverMismatch++;
      }
      ws.close();
    }
    const unclaimed = [...chatIds].filter((id) => !claimedBy.has(id)).length;

    const lat = percentiles(claims.map((c) => c.claimedAt - c.sentAt));
    const prop = percentiles(propagation);
    const propAfter = percentiles(afterClaimed);
    const perAgent = agents.map((a) => claims.filter((c) => c.agent === a.index).length);
    const problems = [
      doubles > 0 ? `${doubles} double assignments` : '',
      serverDoubles > 0 ? `${serverDoubles} chats in two agents' lists` : '',
      serverMismatch > 0 ? `${serverMismatch} chats owned by another agent than the one told 'claimed'` : '',
      unclaimed > 0 ? `${unclaimed} chats never claimed` : '',
      queueLeft > 0 ? `${queueLeft} chats still queued` : '',
      owner.size !== chatIds.size ? `server lists ${owner.size} of ${chatIds.size} chats as assigned` : '',
      missingRemovals > 0 ? `${missingRemovals} queueRemoved never seen by another agent` : '',
      agents.some((a) => a.initialQueue !== Math.min(chats, SNAPSHOT_QUEUE_LIMIT)) ? 'an agent snapshot lacked queued chats' : '',
    ].filter(Boolean);
    const ms = (v: number) => `${v.toFixed(2)} ms`;
    const result: ScenarioResult = {
      name,
      title: `Claims: ${chats.toLocaleString('en')} queued chats, ${agentCount} agents racing with "Get next" (${dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL'})`,
      rows: [
        { label: 'Claim latency (claimNext → claimed)', value: `p50 ${ms(lat.p50)}, p99 ${ms(lat.p99)}, p99.9 ${ms(lat.p999)}, max ${ms(lat.max)}` },
        { label: 'Until every other agent saw queueRemoved (from claimNext)', value: `p50 ${ms(prop.p50)}, p99 ${ms(prop.p99)}, max ${ms(prop.max)}` },
        { label: '… measured from the claimant’s `claimed`', value: `p50 ${ms(propAfter.p50)}, p99 ${ms(propAfter.p99)}, max ${ms(propAfter.max)}` },
        { label: 'Throughput', value: `${claims.length} claims in ${(raceMs / 1000).toFixed(2)} s = ${Math.round(claims.length / (raceMs / 1000))} claims/s; per agent min ${Math.min(...perAgent)}, max ${Math.max(...perAgent)}` },
        { label: 'Double assignments', value: `${doubles} (server's lists: ${serverDoubles})` },
        { label: 'Unclaimed', value: `${unclaimed}; still queued ${queueLeft}; other errors ${[...errors].map(([k, v]) => `${k}×${v}`).join(', ') || 'none'}` },
      ],
      data: {
        dialect,
        chats,
        agents: agentCount,
        claimLatencyMs: lat,
        queueRemovedAllOthersMs: prop,
        queueRemovedAfterClaimedMs: propAfter,
        raceMs,
        claimsPerSecond: claims.length / (raceMs / 1000),
        perAgent,
        doubles,
        serverDoubles,
        serverMismatch,
        unclaimed,
        queueLeft,
        missingRemovals,
        snapshotQueueLengths: [...new Set(agents.map((a) => a.initialQueue))],
        errors: Object.fromEntries(errors),
      },
      goals: [{ goal: 'claim p99 ≤ 10 ms', met: lat.p99 <= GOAL_CLAIM_P99_MS, figure: ms(lat.p99) }],
    };
    if (problems.length > 0) result.failed = problems.join('; ');
    return result;
  } finally {
    for (const a of agents) a.ws.terminate();
    await server.stop();
  }
}

export const run: Scenario = async ({ quick }) => {
  const chats = Number(process.env.BENCH_CLAIMS_CHATS ?? (quick ? 200 : 2_000));
  const agents = Number(process.env.BENCH_CLAIMS_AGENTS ?? (quick ? 10 : 50));
  const results: ScenarioResult[] = [];
  for (const dialect of ['sqlite', 'postgres'] as const) results.push(await claimRace(dialect, chats, agents));
  return results;
};
