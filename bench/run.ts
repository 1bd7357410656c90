/**
 * `npm run bench` — Loket's speed, memory and weight, measured against a bare baseline in the same run.
 *   npm run bench                      all scenarios, full size
 *   npm run bench -- --quick           small sizes (a smoke run)
 *   npm run bench -- --only latency,claims
 *   npm run bench -- --only cluster     two nodes on PostgreSQL + Redis against one
 * Results: bench/results/latest.json and latest.md (committed as the reference run), plus a dated copy.
 * Never part of `npm test`: figures differ between machines; goals are reported, not asserted.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Scenario, ScenarioResult } from './lib/result.js';

const SCENARIOS: Array<[string, () => Promise<{ run: Scenario }>]> = [
  ['weight', () => import('./scenarios/weight.js')],
  ['latency', () => import('./scenarios/latency.js')],
  ['saturation', () => import('./scenarios/saturation.js')],
  ['idle', () => import('./scenarios/idle.js')],
  ['claims', () => import('./scenarios/claims.js')],
  ['cluster', () => import('./scenarios/cluster.js')],
  ['faq-search', () => import('./scenarios/faq-search.js')],
  ['faq-suggest', () => import('./scenarios/faq-suggest.js')],
];

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const onlyIdx = argv.indexOf('--only');
const only = onlyIdx >= 0 ? new Set((argv[onlyIdx + 1] ?? '').split(',').filter(Boolean)) : null;
const unknown = only ? [...only].filter((n) => !SCENARIOS.some(([s]) => s === n)) : [];
if (unknown.length > 0) {
  console.error(`Unknown scenario(s): ${unknown.join(', ')}. Known: ${SCENARIOS.map(([s]) => s).join(', ')}`);
  process.exit(2);
}

const results: ScenarioResult[] = [];
const errors: string[] = [];
for (const [name, load] of SCENARIOS) {
  if (only && !only.has(name)) continue;
  console.log(`\n▶ ${name}${quick ? ' (quick)' : ''}`);
  const started = Date.now();
  try {
    const { run } = await load();
    const out = await run({ quick });
    for (const r of Array.isArray(out) ? out : [out]) {
      results.push(r);
      console.log(`\n  ${r.title}`);
      for (const row of r.rows) console.log(`    ${row.label}: ${row.value}`);
      for (const g of r.goals ?? []) console.log(`    ${g.met ? '✓' : '✗'} ${g.goal} — ${g.figure}`);
      if (r.failed) console.log(`    FAILED: ${r.failed}`);
    }
  } catch (err) {
    errors.push(`${name}: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
    console.error(`  ${name} crashed:`, err);
  }
  console.log(`  (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

const machine = `${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()}`;
const date = new Date().toISOString();
const md = [
  `# Loket bench results`,
  '',
  `${date} · ${machine}${quick ? ' · **quick run**' : ''}`,
  '',
  ...results.flatMap((r) => [
    `## ${r.title}`,
    '',
    '| Measure | Figure |',
    '| --- | --- |',
    ...r.rows.map((row) => `| ${row.label} | ${row.value} |`),
    ...(r.goals ?? []).map((g) => `| Goal: ${g.goal} | ${g.met ? '✓ met' : '✗ not met'} (${g.figure}) |`),
    ...(r.failed ? [`| **FAILED** | ${r.failed} |`] : []),
    '',
  ]),
  ...(errors.length ? ['## Errors', '', ...errors.map((e) => `- ${e.split('\n')[0]}`), ''] : []),
].join('\n');

const dir = path.join(import.meta.dirname, 'results');
fs.mkdirSync(dir, { recursive: true });
const json = JSON.stringify({ date, machine, quick, results, errors }, null, 2) + '\n';
const stamp = date.replace(/[:.]/g, '-');
fs.writeFileSync(path.join(dir, `${stamp}${quick ? '-quick' : ''}.json`), json);
if (!only) {
  // Only a complete run replaces the reference.
  fs.writeFileSync(path.join(dir, quick ? 'latest-quick.json' : 'latest.json'), json);
  fs.writeFileSync(path.join(dir, quick ? 'latest-quick.md' : 'latest.md'), md + '\n');
}
console.log(`\nResults written to ${path.relative(process.cwd(), dir)}/`);
const failed = results.filter((r) => r.failed);
if (failed.length > 0 || errors.length > 0) {
  console.error(`\n${failed.length} scenario(s) broke an invariant, ${errors.length} crashed.`);
  process.exit(1);
}
