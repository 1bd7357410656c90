/**
 * Saturation: over 200 customer–agent pairs, the offered message rate is stepped up (5 s a step,
 * quick 2 s) until p99 passes 100 ms or delivery falls behind (agents receive < 95% of the offered
 * rate during the step, or more than 200 ms worth of messages is still in flight when it ends).
 * The highest rate that passed is the sustained throughput. Run on the baseline relay, Loket
 * SQLite and Loket PostgreSQL in one invocation; Loket's figures are reported as ratios to the
 * baseline's. Every message must arrive exactly once and in order.
 */
import type { Dialect } from '../lib/server.js';
import type { Scenario, ScenarioResult } from '../lib/result.js';
import { percentiles, progress, sleep } from '../lib/stats.js';
import {
  cpuMeter,
  drain,
  ms,
  pacedStep,
  sentTotal,
  ratio,
  setupBaseline,
  setupLoket,
  verificationFailure,
  verificationText,
  verify,
  type Target,
  type Verification,
} from './latency-saturation-load.js';

const PAIRS = 200;
const AGENTS = 20;
const P99_LIMIT_MS = 100;
const RATES = [100, 200, 300, 500, 750, 1_000, 1_500, 2_000, 3_000, 4_000, 6_000, 8_000, 12_000, 16_000, 24_000, 32_000];
const QUICK_RATES = [100, 250, 500, 1_000, 2_000, 4_000, 8_000, 16_000];
/** After the first step that fails, this many halvings of the gap to the last one that passed. */
const REFINEMENTS = 2;

interface Step {
  offered: number;
  /** What the load generator managed to send (it shares the cores with the server). */
  sentRate: number;
  /** Messages that reached their agent during the step's window, per second. */
  receivedRate: number;
  /** Messages still in flight when the window closed. */
  backlog: number;
  latency: ReturnType<typeof percentiles>;
  drainMs: number;
  serverCpuPct: number;
  generatorCpuPct: number;
  passed: boolean;
  reason?: string;
}

interface Saturation {
  label: string;
  sustained: number;
  stoppedBecause: string;
  steps: Step[];
  verification: Verification;
  failed?: string;
}

async function step(target: Target, offered: number, windowMs: number): Promise<Step> {
  const r = await pacedStep(target, offered, windowMs, P99_LIMIT_MS, () => cpuMeter(target.pid));
  const { usage, reason, ...measured } = r;
  return { ...measured, serverCpuPct: usage.serverPct, generatorCpuPct: usage.generatorPct, passed: reason === undefined, ...(reason === undefined ? {} : { reason }) };
}

async function saturate(setup: () => Promise<Target>, rates: number[], windowMs: number): Promise<Saturation> {
  const target = await setup();
  const steps: Step[] = [];
  let stoppedBecause = `reached the top step (${rates[rates.length - 1]}/s)`;
  const runStep = async (offered: number): Promise<Step> => {
    progress(`  saturation ${target.label}: offering ${offered.toLocaleString('en')} msg/s for ${windowMs / 1000} s…`);
    const s = await step(target, offered, windowMs);
    steps.push(s);
    progress(
      `  saturation ${target.label}: ${offered.toLocaleString('en')} msg/s offered → sent ${s.sentRate}/s, received ${s.receivedRate}/s, p50 ${ms(s.latency.p50)} p99 ${ms(s.latency.p99)}, ` +
        `server CPU ${s.serverCpuPct}%, generator ${s.generatorCpuPct}% — ${s.passed ? 'sustained' : `not sustained: ${s.reason}`}`,
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
  return { label: target.label, sustained, stoppedBecause, steps, verification, ...(failed ? { failed } : {}) };
}

function stepsText(s: Saturation): string {
  return s.steps.map((st) => `${st.offered}: p99 ${ms(st.latency.p99)}, rx ${st.receivedRate}/s${st.passed ? '' : ' ✗'}`).join('; ');
}

function resultFor(dialect: Dialect, loket: Saturation | Error, base: Saturation, quick: boolean): ScenarioResult {
  const name = `saturation-${dialect}`;
  const title = `Saturation on ${dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL'}: highest sustained msg/s over ${PAIRS} pairs (p99 ≤ ${P99_LIMIT_MS} ms, nothing falling behind)`;
  const goal = dialect === 'sqlite' ? '≥ 60% of baseline sustained throughput on SQLite' : '≥ 10,000 msg/s on PostgreSQL';
  const baseRows = [
    { label: 'Baseline relay (SQLite, group commit)', value: `${base.sustained.toLocaleString('en')} msg/s sustained; stopped: ${base.stoppedBecause}` },
    { label: 'Baseline steps', value: stepsText(base) },
  ];
  if (loket instanceof Error) {
    return {
      name,
      title,
      rows: [{ label: `Loket (${dialect})`, value: `not run: ${loket.message}` }, ...baseRows],
      data: { pairs: PAIRS, agents: AGENTS, quick, error: loket.message, baseline: base },
      goals: [{ goal, met: false, figure: 'not run' }],
      ...(base.failed ? { failed: base.failed } : {}),
    };
  }
  const r = ratio(loket.sustained, base.sustained);
  const met = dialect === 'sqlite' ? r >= 0.6 : loket.sustained >= 10_000;
  const failed = [loket.failed, base.failed].filter((f): f is string => f !== undefined);
  return {
    name,
    title,
    rows: [
      { label: `Loket (${dialect})`, value: `${loket.sustained.toLocaleString('en')} msg/s sustained (×${r} of baseline); stopped: ${loket.stoppedBecause}` },
      { label: 'Loket steps', value: stepsText(loket) },
      ...baseRows,
      { label: 'Messages (Loket)', value: verificationText(loket.verification) },
      { label: 'Messages (baseline)', value: verificationText(base.verification) },
    ],
    data: { pairs: PAIRS, agents: AGENTS, quick, p99LimitMs: P99_LIMIT_MS, loket, baseline: base, ratioToBaseline: r },
    goals: [{ goal, met, figure: dialect === 'sqlite' ? `${loket.sustained} vs ${base.sustained} msg/s = ${Math.round(r * 100)}%` : `${loket.sustained.toLocaleString('en')} msg/s` }],
    ...(failed.length ? { failed: failed.join(' | ') } : {}),
  };
}

export const run: Scenario = async ({ quick }) => {
  const rates = quick ? QUICK_RATES : RATES;
  const windowMs = quick ? 2_000 : 5_000;
  progress(`saturation: ${PAIRS} pairs, offered rate stepped ${rates.join(', ')} msg/s, ${windowMs / 1000} s a step — baseline relay first`);
  const base = await saturate(() => setupBaseline({ pairs: PAIRS, agents: AGENTS, label: 'baseline relay' }), rates, windowMs);
  const results: ScenarioResult[] = [];
  for (const dialect of ['sqlite', 'postgres'] as const) {
    progress(`saturation: Loket on ${dialect}`);
    let loket: Saturation | Error;
    try {
      loket = await saturate(() => setupLoket({ dialect, pairs: PAIRS, agents: AGENTS, label: `Loket (${dialect})` }), rates, windowMs);
    } catch (err) {
      loket = err instanceof Error ? err : new Error(String(err));
    }
    results.push(resultFor(dialect, loket, base, quick));
  }
  return results;
};
