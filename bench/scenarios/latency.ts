/**
 * Latency: 1,000 customer–agent pairs (quick: 100) chatting at a realistic pace — each customer
 * sends a message every ~2 s (±25% jitter) — on Loket (SQLite, synchronous=FULL) and then on the
 * baseline relay with the same load. Measured: customer send → agent receives the `event`, which
 * includes the durable write. Every message must arrive exactly once and in order.
 */
import type { Scenario, ScenarioResult } from '../lib/result.js';
import { percentiles, progress, sleep } from '../lib/stats.js';
import {
  cpuMeter,
  drain,
  ms,
  ratio,
  sendNext,
  sentTotal,
  setupBaseline,
  setupLoket,
  verificationFailure,
  verificationText,
  verify,
  type Target,
  type Verification,
} from './latency-saturation-load.js';

const AGENTS = 20;
const INTERVAL_MS = 2_000;
const JITTER = 0.25;

interface Measured {
  label: string;
  pairs: number;
  durationS: number;
  latency: ReturnType<typeof percentiles>;
  messagesPerSecond: number;
  serverCpuPct: number;
  generatorCpuPct: number;
  verification: Verification;
}

async function measure(target: Target, durationMs: number): Promise<Measured> {
  target.samples = [];
  const cpu = cpuMeter(target.pid);
  const t0 = performance.now();
  const end = t0 + durationMs;
  const timers = new Set<NodeJS.Timeout>();
  const schedule = (fn: () => void, delay: number) => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, delay);
    timers.add(t);
  };
  for (const pair of target.pairs) {
    const tick = () => {
      if (performance.now() >= end) return;
      sendNext(pair);
      schedule(tick, INTERVAL_MS * (1 - JITTER + 2 * JITTER * Math.random()));
    };
    schedule(tick, Math.random() * INTERVAL_MS);
  }
  let lastReported = 0;
  while (performance.now() < end) {
    await sleep(1_000);
    const recent = target.samples.slice(lastReported);
    lastReported = target.samples.length;
    const p = percentiles(recent);
    progress(
      `  latency ${target.label}: ${((performance.now() - t0) / 1000).toFixed(0)}/${durationMs / 1000} s, ${sentTotal(target)} sent, ${target.received} received, last second p50 ${ms(p.p50)} p99 ${ms(p.p99)}`,
    );
  }
  for (const t of timers) clearTimeout(t);
  timers.clear();
  await drain(target, 30_000);
  const elapsed = (performance.now() - t0) / 1000;
  const usage = cpu();
  const verification = verify(target);
  if (process.stdout.isTTY) process.stdout.write('\n');
  return {
    label: target.label,
    pairs: target.pairs.length,
    durationS: durationMs / 1000,
    latency: percentiles(target.samples),
    messagesPerSecond: Math.round(verification.received / elapsed),
    serverCpuPct: usage.serverPct,
    generatorCpuPct: usage.generatorPct,
    verification,
  };
}

async function runOn(setup: () => Promise<Target>, durationMs: number): Promise<Measured> {
  const target = await setup();
  try {
    return await measure(target, durationMs);
  } finally {
    await target.stop();
  }
}

export const run: Scenario = async ({ quick }) => {
  const pairs = quick ? 100 : 1_000;
  const durationMs = quick ? 8_000 : 30_000;
  progress(`latency: ${pairs} pairs, one message per ~${INTERVAL_MS / 1000} s each, ${durationMs / 1000} s — Loket (SQLite)`);
  const loket = await runOn(() => setupLoket({ dialect: 'sqlite', pairs, agents: AGENTS, label: 'Loket (SQLite)' }), durationMs);
  progress(`latency: the same on the baseline relay`);
  const base = await runOn(() => setupBaseline({ pairs, agents: AGENTS, label: 'baseline relay' }), durationMs);

  const failed = [verificationFailure(loket.label, loket.verification), verificationFailure(base.label, base.verification)].filter((f): f is string => f !== undefined);
  const line = (m: Measured) => `p50 ${ms(m.latency.p50)}, p99 ${ms(m.latency.p99)}, p99.9 ${ms(m.latency.p999)}, max ${ms(m.latency.max)}`;
  const p50Ratio = ratio(loket.latency.p50, base.latency.p50);
  const p99Ratio = ratio(loket.latency.p99, base.latency.p99);
  const result: ScenarioResult = {
    name: 'latency',
    title: `Latency: customer send → agent receive, ${pairs.toLocaleString('en')} pairs, one message per ~2 s each, ${durationMs / 1000} s (durable write included)`,
    rows: [
      { label: 'Loket (SQLite, synchronous=FULL)', value: line(loket) },
      { label: 'Baseline relay (SQLite, synchronous=FULL)', value: line(base) },
      { label: 'Loket / baseline', value: `p50 ×${p50Ratio}, p99 ×${p99Ratio}` },
      { label: 'Messages (Loket)', value: `${verificationText(loket.verification)}; ${loket.messagesPerSecond}/s` },
      { label: 'Messages (baseline)', value: `${verificationText(base.verification)}; ${base.messagesPerSecond}/s` },
      { label: 'CPU: server / load generator', value: `Loket ${loket.serverCpuPct}% / ${loket.generatorCpuPct}%, baseline ${base.serverCpuPct}% / ${base.generatorCpuPct}% (of one core)` },
    ],
    data: { pairs, agents: AGENTS, intervalMs: INTERVAL_MS, jitter: JITTER, durationS: durationMs / 1000, loket, baseline: base, ratio: { p50: p50Ratio, p99: p99Ratio } },
    goals: [{ goal: 'Latency p99 ≤ 5 ms at 1,000 pairs', met: pairs >= 1_000 && loket.latency.p99 <= 5, figure: `p99 ${ms(loket.latency.p99)} at ${pairs.toLocaleString('en')} pairs` }],
  };
  if (failed.length > 0) result.failed = failed.join(' | ');
  return result;
};
