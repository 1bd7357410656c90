/**
 * FAQ suggestions end to end: a real Loket node (in this process, SQLite) with 10,000 FAQs (quick: 2,000) imported
 * through the knowledge base, a channel with suggestions on, and the evaluation set's customer questions asked one by
 * one. Measures what the node spends per suggestion (search, relevance rule, database lookup: `suggestFaqs`, the goal
 * of issue 6 is p99 ≤ 5 ms) and the HTTP round trip of POST /api/widget/channels/:key/faq-suggestions (client in the
 * same process, so it includes the client's share). Also: how long the node takes to fill its index at start.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { startLoket } from '../../packages/server/src/app.js';
import { loadConfig } from '../../packages/server/src/config.js';
import { createChannel } from '../../packages/server/src/domain/channels.js';
import { importFaqs } from '../../packages/server/src/domain/knowledge-base-transfer.js';
import { suggestFaqs } from '../../packages/server/src/search/suggestions.js';
import type { Scenario } from '../lib/result.js';
import { percentiles } from '../lib/stats.js';

const GOAL_P99_MS = 5;

interface EvalFaq {
  question: string;
  answer: string;
  keywords: string[];
}

/** Deterministic, so two runs ask the same knowledge base. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const run: Scenario = async ({ quick }) => {
  const faqCount = quick ? 2_000 : 10_000;
  const rand = rng(7);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const dir = path.resolve(import.meta.dirname, '../../packages/server/test/fixtures/faq-eval');
  const read = <T>(file: string): T => JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as T;
  const evalFaqs = { en: read<EvalFaq[]>('faqs-en.json'), nl: read<EvalFaq[]>('faqs-nl.json') };
  const questions = (['en', 'nl'] as const).flatMap((l) => read<Array<{ q: string }>>(`questions-${l}.json`).map((q) => ({ language: l, q: q.q })));

  // The evaluation FAQs, then variations of them (other products, shuffled sentences) up to the size asked for: the
  // words customers use stay common, as in a real shop's knowledge base.
  const syllables = ['ka', 'lo', 'mi', 'ret', 'van', 'dor', 'pix', 'sen', 'tu', 'bel', 'gra', 'nor', 'qui', 'zel'];
  const product = () => `${pick(syllables)}${pick(syllables)}${pick(syllables)} ${100 + Math.floor(rand() * 900)}`;
  const rows = [];
  for (let i = 0; i < faqCount; i++) {
    const language = rand() < 0.5 ? 'en' : 'nl';
    const base = pick(evalFaqs[language]);
    const variant = i < evalFaqs.en.length + evalFaqs.nl.length ? null : product();
    const sentences = base.answer.split(/(?<=[.!?])\s+/).sort(() => rand() - 0.5);
    rows.push({
      folder: `Folder ${i % 20}`,
      language,
      question: variant ? base.question.replace(/\?$/, ` (${variant})?`) : base.question,
      answer: variant ? `${sentences.slice(0, 2).join(' ')} ${variant}.` : base.answer,
      keywords: base.keywords,
      published: rand() > 0.05,
      visibility: rand() > 0.05 ? 'everyone' : 'logged_in',
    });
  }

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'loket-bench-faq-'));
  const config = loadConfig({}, { host: '127.0.0.1', port: 0, logLevel: 'warn', sqlitePath: path.join(dataDir, 'loket.db'), chatStartsPerMinute: 0 });
  let loket = await startLoket(config);
  try {
    await importFaqs(loket.ctx, { kind: 'system' }, { format: 'json', text: JSON.stringify({ version: 1, faqs: rows }) });
    await loket.ctx.faqSearch.settled();
    const channels = {
      en: await createChannel(loket.ctx, { key: 'bench-en', name: 'Bench EN', language: 'en', allowedOrigins: [] }),
      nl: await createChannel(loket.ctx, { key: 'bench-nl', name: 'Bench NL', language: 'nl', allowedOrigins: [] }),
    };
    await loket.ctx.db.updateTable('channels').set({ faq_suggestions: 1 }).execute();
    for (const l of ['en', 'nl'] as const) channels[l] = { ...channels[l], faq_suggestions: 1 };

    // A restart: the time from start to a node whose index is full (it listens only then).
    await loket.close();
    const startAt = performance.now();
    loket = await startLoket(config);
    const startMs = performance.now() - startAt;

    const rounds = quick ? 1 : 3;
    const asks = Array.from({ length: rounds }, () => questions).flat();
    for (const { language, q } of asks.slice(0, 50)) await suggestFaqs(loket.ctx, channels[language], q, config.publicUrl);

    const searchOnly: number[] = [];
    for (const { language, q } of asks) {
      const t = performance.now();
      loket.ctx.faqSearch.search(q, { language, limit: 3 });
      searchOnly.push(performance.now() - t);
    }
    const server: number[] = [];
    let shown = 0;
    for (const { language, q } of asks) {
      const t = performance.now();
      const { suggestions } = await suggestFaqs(loket.ctx, channels[language], q, config.publicUrl);
      server.push(performance.now() - t);
      if (suggestions.length > 0) shown++;
    }
    const http: number[] = [];
    for (const { language, q } of asks) {
      const t = performance.now();
      const res = await fetch(`${loket.url}/api/widget/channels/${channels[language].key}/faq-suggestions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ question: q }),
      });
      await res.arrayBuffer();
      http.push(performance.now() - t);
      if (res.status !== 200) throw new Error(`suggestions answered ${res.status}`);
    }
    const s = percentiles(server);
    const so = percentiles(searchOnly);
    const h = percentiles(http);
    return {
      name: 'faq-suggest',
      title: `FAQ suggestions over HTTP (${faqCount.toLocaleString('en')} FAQs, ${asks.length} questions, SQLite)`,
      rows: [
        { label: 'Node start with a full index', value: `${Math.round(startMs)} ms` },
        { label: 'Server work per suggestion (search + relevance + lookup) p50 / p99 / max', value: `${s.p50} / ${s.p99} / ${s.max} ms` },
        { label: 'Of which the index search alone p50 / p99 / max', value: `${so.p50} / ${so.p99} / ${so.max} ms` },
        { label: 'HTTP round trip p50 / p99 / max', value: `${h.p50} / ${h.p99} / ${h.max} ms` },
        { label: 'Questions with at least one suggestion', value: `${shown} of ${asks.length}` },
      ],
      data: { faqCount, questions: asks.length, startMs, server: s, search: so, http: h, shown },
      goals: [{ goal: `Suggestion p99 ≤ ${GOAL_P99_MS} ms on the server with ${faqCount.toLocaleString('en')} FAQs`, met: s.p99 <= GOAL_P99_MS, figure: `${s.p99} ms` }],
    };
  } finally {
    await loket.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
};
