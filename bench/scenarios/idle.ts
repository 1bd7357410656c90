/**
 * Idle widgets: as many connected, idle visitor sockets as the machine allows (at least 10,000), each
 * for its own chat started through the widget API, authenticated, sending nothing but the app-level
 * `ping` every 20 s. Measures the server's RSS and V8 heap per connection, its idle CPU with all of
 * them connected, and how long all of them take to reconnect and resume after a graceful restart.
 */
import fs from 'node:fs';
import { DEAD_MS, type VisitorServerMessage } from '@loket/protocol';
import WebSocket from 'ws';
import { backoffDelay } from '../../packages/widget/src/frame/backoff.js';
import type { Scenario, ScenarioResult } from '../lib/result.js';
import { processStats, startBenchServer, startChat, type BenchServer } from '../lib/server.js';
import { percentiles, progress, sleep } from '../lib/stats.js';

const PING_MS = 20_000;
const PING_TICK_MS = 250;
const CREATE_IN_FLIGHT = 8;
const CONNECT_IN_FLIGHT = 64;
const RECONNECT_MIN_MS = 500;
const RECONNECT_MAX_MS = 2_000;
const MAX_RECONNECT_ATTEMPTS = 40;
const GOAL_RSS_PER_WIDGET = 8 * 1024;

interface Widget {
  token: string;
  chatId: string;
  ws: WebSocket | null;
  lastSeq: number;
  /** The `chat` frame arrived on the current connection. */
  resumed: boolean;
  /** Called with true on the `chat` frame, false when the socket closes first. */
  onResumed: ((ok: boolean) => void) | null;
  connecting: boolean;
  attempts: number;
  /** Failed attempts since the last success (the widget's backoff exponent). */
  failures: number;
  resumedAt: number;
  reconnectTimer: NodeJS.Timeout | null;
}

/** Soft limit of open files of this process (the server child inherits the same). */
function openFilesLimit(): number {
  const m = /Max open files\s+(\d+|unlimited)/.exec(fs.readFileSync('/proc/self/limits', 'utf8'));
  return m?.[1] === undefined || m[1] === 'unlimited' ? 1 << 20 : Number(m[1]);
}

function ephemeralPorts(): number {
  const [lo, hi] = fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
  return (hi ?? 60999) - (lo ?? 32768) + 1;
}

/** How many widgets this machine can hold: both ends need a descriptor each, every client an ephemeral port. */
function capacity(): { count: number; limitedBy: string } {
  const fds = openFilesLimit() - 1_500;
  const ports = ephemeralPorts() - 3_000;
  return fds <= ports ? { count: fds, limitedBy: `open files (ulimit -n ${openFilesLimit()})` } : { count: ports, limitedBy: `ephemeral ports (${ephemeralPorts()})` };
}

/** Runs `fn` over 0..n-1 with at most `inFlight` at once. */
async function pool(n: number, inFlight: number, fn: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, inFlight) }, async () => {
      while (next < n) await fn(next++);
    }),
  );
}

function withTimeout<T>(p: Promise<T>, ms: number, onLate: (v: T) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    let done = false;
    const timer = setTimeout(() => {
      done = true;
      reject(new Error('timeout'));
    }, ms);
    p.then(
      (v) => {
        clearTimeout(timer);
        if (done) onLate(v);
        else resolve(v);
      },
      (err: unknown) => {
        clearTimeout(timer);
        if (!done) reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(2)} KB`;
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;

async function serverMemory(server: BenchServer): Promise<{ rss: number; heapUsed: number; heapTotal: number; external: number; sockets: number }> {
  const { memory, sockets } = await withTimeout(server.memory(), 5_000, () => undefined);
  return { rss: processStats(server.pid).rss, heapUsed: memory.heapUsed, heapTotal: memory.heapTotal, external: memory.external + memory.arrayBuffers, sockets };
}

/** Several samples over `ms`; the heap's minimum (least garbage), the last RSS. */
async function sampleMemory(server: BenchServer, ms: number, every: number): Promise<{ rss: number; heapUsed: number; heapTotal: number; external: number; sockets: number }> {
  const samples: Array<Awaited<ReturnType<typeof serverMemory>>> = [];
  const end = Date.now() + ms;
  for (let i = 0; i < 1000 && (samples.length === 0 || Date.now() < end); i++) {
    samples.push(await serverMemory(server));
    await sleep(every);
  }
  const last = samples[samples.length - 1]!;
  return { ...last, heapUsed: Math.min(...samples.map((s) => s.heapUsed)), external: Math.min(...samples.map((s) => s.external)) };
}

export const run: Scenario = async ({ quick }) => {
  const cap = capacity();
  const wanted = Number(process.env.BENCH_IDLE_WIDGETS ?? (quick ? 1_000 : Math.max(10_000, cap.count)));
  const count = Math.min(wanted, cap.count);
  const idleMs = quick ? 5_000 : 20_000;
  const serverNodeOptions = process.env.BENCH_SERVER_NODE_OPTIONS;
  const server = await startBenchServer({ dialect: 'sqlite', agents: 0, ...(serverNodeOptions ? { env: { NODE_OPTIONS: serverNodeOptions } } : {}) });
  const widgets: Widget[] = [];
  const buckets: Widget[][] = Array.from({ length: PING_MS / PING_TICK_MS }, () => []);
  let phase: 'connect' | 'idle' | 'restart' | 'done' = 'connect';
  let pinger: NodeJS.Timeout | null = null;
  let lastGoingAwayAt = 0;
  const errorCodes = new Map<string, number>();
  const counters = { pongs: 0, byes: 0, closes1001: 0, otherCloses: 0, openTimeouts: 0, resumeTimeouts: 0, gaveUp: 0, connectFailures: 0 };

  const attach = (w: Widget, ws: WebSocket) => {
    w.ws = ws;
    w.resumed = false;
    ws.on('message', (data: WebSocket.RawData) => {
      const f = JSON.parse(data.toString()) as VisitorServerMessage;
      if (f.type === 'chat') {
        w.lastSeq = Math.max(w.lastSeq, f.chat.lastSeq);
        if (!w.resumed) {
          w.resumed = true;
          w.onResumed?.(true);
        }
      } else if (f.type === 'event') w.lastSeq = Math.max(w.lastSeq, f.event.seq);
      else if (f.type === 'pong') counters.pongs++;
      else if (f.type === 'bye') counters.byes++;
    });
    ws.on('close', (code: number) => {
      if (w.ws !== ws) return;
      w.ws = null;
      w.resumed = false;
      w.onResumed?.(false);
      if (phase === 'done') return;
      if (code === 1001) {
        counters.closes1001++;
        lastGoingAwayAt = performance.now();
      }
      else counters.otherCloses++;
      if (phase !== 'restart') return;
      // Resumed on the old node while it was still shutting down doesn't count: it must resume on the new one.
      w.resumedAt = 0;
      if (!w.connecting) scheduleReconnect(w);
    });
    ws.send(JSON.stringify({ type: 'auth', token: w.token, lastSeq: w.lastSeq }));
  };

  /**
   * One connection attempt: open, `auth` with lastSeq, wait for the `chat` frame. Not lib's
   * openSocket: an attempt that hangs (SYN backlog full) must be cancellable, or its descriptor leaks.
   * Like the widget, an attempt is given up after DEAD_MS of silence.
   */
  const connect = (w: Widget): Promise<boolean> => {
    w.attempts++;
    w.connecting = true;
    return new Promise<boolean>((resolve) => {
      const ws = new WebSocket(`${server.wsUrl}/ws/visitor`, { perMessageDeflate: false });
      let opened = false;
      const timer = setTimeout(() => {
        if (opened) counters.resumeTimeouts++;
        else counters.openTimeouts++;
        settle(false);
      }, DEAD_MS);
      const settle = (ok: boolean) => {
        clearTimeout(timer);
        w.onResumed = null;
        w.connecting = false;
        if (ok) {
          w.resumedAt = performance.now();
          w.failures = 0;
        } else {
          w.failures++;
          if (w.ws === ws) w.ws = null;
          ws.removeAllListeners('close');
          ws.on('error', () => undefined);
          ws.terminate();
        }
        resolve(ok);
      };
      ws.on('error', (err: NodeJS.ErrnoException) => {
        if (!opened) {
          const code = err.code ?? 'other';
          errorCodes.set(code, (errorCodes.get(code) ?? 0) + 1);
          settle(false);
        } else ws.terminate();
      });
      ws.once('unexpected-response', () => {
        errorCodes.set('http-status', (errorCodes.get('http-status') ?? 0) + 1);
        settle(false);
      });
      ws.once('open', () => {
        opened = true;
        w.onResumed = settle;
        attach(w, ws);
      });
    });
  };

  const scheduleReconnect = (w: Widget) => {
    if (w.reconnectTimer || phase !== 'restart') return;
    if (w.attempts >= MAX_RECONNECT_ATTEMPTS) {
      counters.gaveUp++;
      return;
    }
    // The first retry jittered over 0.5–2 s, then the widget's own exponential backoff (capped at 15 s).
    const delay = w.failures === 0 ? RECONNECT_MIN_MS + Math.random() * (RECONNECT_MAX_MS - RECONNECT_MIN_MS) : backoffDelay(w.failures);
    w.reconnectTimer = setTimeout(() => {
      w.reconnectTimer = null;
      if (phase !== 'restart' || w.ws) return;
      void connect(w).then((ok) => {
        if (!ok && !w.ws) scheduleReconnect(w);
      });
    }, delay);
  };

  try {
    // 1. Chats, through the HTTP API, a few requests in flight.
    const t0 = performance.now();
    let lastShown = 0;
    await pool(count, CREATE_IN_FLIGHT, async (i) => {
      const { token, chatId } = await startChat(server, `idle widget ${i}`);
      widgets.push({ token, chatId, ws: null, lastSeq: 0, resumed: false, onResumed: null, connecting: false, attempts: 0, failures: 0, resumedAt: 0, reconnectTimer: null });
      if (widgets.length - lastShown >= 500 || widgets.length === count) {
        lastShown = widgets.length;
        progress(`idle: started ${widgets.length}/${count} chats (${Math.round(widgets.length / ((performance.now() - t0) / 1000))}/s)`);
      }
    });
    const chatStartsPerSecond = count / ((performance.now() - t0) / 1000);
    widgets.forEach((w, i) => buckets[i % buckets.length]!.push(w));

    // 2. Baseline: the idle server before any widget connects (after the code paths ran once).
    await pool(Math.min(20, count), 4, async (i) => {
      const w = widgets[i]!;
      if (await connect(w)) w.ws?.close();
    });
    await sleep(2_000);
    const base = await sampleMemory(server, 3_000, 500);

    // 3. Connect everyone; one timer pings each widget every 20 s, spread evenly.
    let tick = 0;
    pinger = setInterval(() => {
      for (const w of buckets[tick++ % buckets.length]!) if (w.ws && w.resumed) w.ws.send('{"type":"ping"}');
    }, PING_TICK_MS);
    const t1 = performance.now();
    let connected = 0;
    await pool(count, CONNECT_IN_FLIGHT, async (i) => {
      const w = widgets[i]!;
      let ok = false;
      for (let attempt = 0; attempt < 3 && !ok; attempt++) ok = await connect(w);
      if (ok) connected++;
      else counters.connectFailures++;
      if ((connected + counters.connectFailures) % 500 === 0 || connected + counters.connectFailures === count) {
        progress(`idle: connected ${connected}/${count} widgets (${Math.round(connected / ((performance.now() - t1) / 1000))}/s)`);
      }
    });
    const connectSeconds = (performance.now() - t1) / 1000;

    // 4. Idle: CPU over the window, memory sampled through it.
    phase = 'idle';
    await sleep(3_000);
    progress(`idle: ${connected} widgets connected; measuring idle CPU and memory for ${idleMs / 1000} s`);
    const pongsBefore = counters.pongs;
    const cpu0 = processStats(server.pid).cpuMs;
    const w0 = performance.now();
    const loaded = await sampleMemory(server, idleMs - 500, 2_000);
    const windowMs = performance.now() - w0;
    const idleCpuMs = processStats(server.pid).cpuMs - cpu0;
    const pongsInWindow = counters.pongs - pongsBefore;
    const n = loaded.sockets;
    const rssPer = (loaded.rss - base.rss) / n;
    const heapPer = (loaded.heapUsed - base.heapUsed) / n;
    const externalPer = (loaded.external - base.external) / n;

    // 5. Graceful restart: everyone gets bye/1001, reconnects with jittered backoff and resumes with lastSeq.
    const stillOpen = widgets.filter((w) => w.ws && w.resumed);
    for (const w of widgets) {
      w.attempts = 0;
      w.resumedAt = 0;
    }
    phase = 'restart';
    progress(`idle: restarting the server with ${stillOpen.length} widgets connected`);
    const r0 = performance.now();
    const closesBefore = counters.closes1001;
    const restarting = server.restart();
    let serverBackMs = NaN;
    void restarting.then(() => (serverBackMs = performance.now() - r0));
    const deadline = Date.now() + (quick ? 60_000 : 180_000);
    for (let i = 0; i < 10_000 && Date.now() < deadline; i++) {
      const resumedCount = stillOpen.filter((w) => w.resumedAt > 0).length;
      progress(`idle: ${((performance.now() - r0) / 1000).toFixed(1)} s after restart: ${resumedCount}/${stillOpen.length} resumed${Number.isNaN(serverBackMs) ? ' (server not up yet)' : ''}`);
      if (resumedCount === stillOpen.length || counters.gaveUp + resumedCount >= stillOpen.length) break;
      await sleep(1_000);
    }
    await restarting;
    phase = 'done';
    const resumeTimes = stillOpen.filter((w) => w.resumedAt > 0).map((w) => w.resumedAt - r0);
    const notResumed = stillOpen.length - resumeTimes.length;
    const allResumedMs = notResumed === 0 ? Math.max(...resumeTimes) : NaN;
    const attempts = stillOpen.map((w) => w.attempts);
    const after = await sampleMemory(server, 1_500, 500);
    const rt = percentiles(resumeTimes);

    const failed =
      connected < Math.min(count, 10_000) && !quick
        ? `only ${connected} of ${count} widgets connected`
        : notResumed > 0
          ? `${notResumed} of ${stillOpen.length} widgets did not resume after the restart`
          : n < connected
            ? `server counted ${n} sockets for ${connected} connected widgets`
            : undefined;

    const result: ScenarioResult = {
      name: 'idle',
      title: `Idle widgets: ${connected.toLocaleString('en')} connected (SQLite)`,
      rows: [
        { label: 'Widgets connected', value: `${connected.toLocaleString('en')} of ${count.toLocaleString('en')} (capacity ${cap.count.toLocaleString('en')}, limited by ${cap.limitedBy}); server counted ${n.toLocaleString('en')} sockets` },
        { label: 'Setup', value: `chats started at ${Math.round(chatStartsPerSecond)}/s (${CREATE_IN_FLIGHT} in flight); sockets connected+authenticated at ${Math.round(connected / connectSeconds)}/s (${CONNECT_IN_FLIGHT} in flight)` },
        { label: 'Server RSS', value: `${mb(base.rss)} idle → ${mb(loaded.rss)} with all connected: ${kb(rssPer)} per widget` },
        { label: 'V8 heap used', value: `${mb(base.heapUsed)} → ${mb(loaded.heapUsed)}: ${kb(heapPer)} per widget (+ ${kb(externalPer)} external/buffers)` },
        { label: `Idle CPU (${(windowMs / 1000).toFixed(0)} s, pings every 20 s)`, value: `${((idleCpuMs / windowMs) * 100).toFixed(1)}% of one core (${idleCpuMs.toFixed(0)} ms CPU); ${pongsInWindow.toLocaleString('en')} pongs` },
        { label: 'Server back after restart', value: `${(serverBackMs / 1000).toFixed(2)} s after SIGTERM; the old node had closed every socket after ${((lastGoingAwayAt - r0) / 1000).toFixed(2)} s (${(counters.closes1001 - closesBefore).toLocaleString('en')} got close 1001, ${counters.byes.toLocaleString('en')} bye)` },
        {
          label: 'All resumed after restart',
          value: notResumed === 0 ? `${(allResumedMs / 1000).toFixed(2)} s (per widget p50 ${(rt.p50 / 1000).toFixed(2)} s, p99 ${(rt.p99 / 1000).toFixed(2)} s)` : `${notResumed} did not resume`,
        },
        { label: 'Reconnect attempts', value: `mean ${(attempts.reduce((a, b) => a + b, 0) / Math.max(1, attempts.length)).toFixed(2)}, max ${Math.max(0, ...attempts)}; errors ${[...errorCodes].map(([k, v]) => `${k}×${v}`).join(', ') || 'none'}; open timeouts ${counters.openTimeouts}, auth timeouts ${counters.resumeTimeouts}` },
        { label: 'RSS after resume', value: `${mb(after.rss)} (${kb((after.rss - base.rss) / Math.max(1, after.sockets))} per widget over the pre-restart baseline)` },
      ],
      data: {
        widgets: count,
        connected,
        capacity: cap,
        chatStartsPerSecond,
        connectPerSecond: connected / connectSeconds,
        baseline: base,
        loaded,
        afterRestart: after,
        perWidget: { rssBytes: rssPer, heapUsedBytes: heapPer, externalBytes: externalPer },
        idleCpu: { windowMs, cpuMs: idleCpuMs, percentOfCore: (idleCpuMs / windowMs) * 100, pongs: pongsInWindow },
        restart: { serverBackMs, oldNodeClosedAllMs: lastGoingAwayAt - r0, allResumedMs, resumeMs: rt, notResumed, attempts: { mean: attempts.reduce((a, b) => a + b, 0) / Math.max(1, attempts.length), max: Math.max(0, ...attempts) } },
        counters,
        connectErrors: Object.fromEntries(errorCodes),
      },
      goals: [{ goal: '≤ 8 KB RSS per idle widget', met: rssPer <= GOAL_RSS_PER_WIDGET, figure: kb(rssPer) }],
    };
    if (failed) result.failed = failed;
    return result;
  } finally {
    phase = 'done';
    if (pinger) clearInterval(pinger);
    for (const w of widgets) {
      if (w.reconnectTimer) clearTimeout(w.reconnectTimer);
      w.ws?.terminate();
    }
    await server.stop();
  }
};
