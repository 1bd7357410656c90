import fs from 'node:fs';
import path from 'node:path';
import type { Language } from '@loket/protocol';
import { describe, expect, it } from 'vitest';
import { foldDiacritics, tokenize } from '../../src/search/analysis.js';
import { createFaqIndex, type FaqDocument } from '../../src/search/index.js';
import { LANGUAGE_DATA } from '../../src/search/languages.js';

/**
 * The evaluation set (fixtures/faq-eval, see its README): real-looking FAQs and customer questions written before the
 * engine was tuned. The expected FAQ must be in the top 3 — what the widget shows — for at least 90% of them.
 */
interface EvalFaq {
  id: string;
  folderId: string;
  question: string;
  answer: string;
  keywords: string[];
}
interface EvalQuestion {
  q: string;
  expected: string;
  paraphrase: boolean;
}

const dir = path.join(import.meta.dirname, '../fixtures/faq-eval');
const LANGS = ['en', 'nl'] as const satisfies readonly Language[];
const read = <T>(file: string): T => JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as T;
const faqs = Object.fromEntries(LANGS.map((l) => [l, read<EvalFaq[]>(`faqs-${l}.json`)])) as Record<(typeof LANGS)[number], EvalFaq[]>;
const questions = Object.fromEntries(LANGS.map((l) => [l, read<EvalQuestion[]>(`questions-${l}.json`)])) as Record<(typeof LANGS)[number], EvalQuestion[]>;

/** Question words are function words too, though not all Snowball stop-word lists have them. */
const INTERROGATIVES = ['where', 'when', 'what', 'which', 'who', 'why', 'how', 'waar', 'wanneer', 'welke', 'wat', 'wie', 'waarom', 'hoe', 'hoeveel'];

/** Content words as plain Snowball stems (no synonyms): what "shares no content word" is judged by. */
function contentStems(language: Language, text: string): Set<string> {
  const { stem, stopwords, filler } = LANGUAGE_DATA[language];
  const stop = new Set([...stopwords, ...filler, ...INTERROGATIVES].map(foldDiacritics));
  return new Set(tokenize(text).map(foldDiacritics).filter((w) => w.length > 1 && !stop.has(w)).map(stem));
}

describe('FAQ search evaluation set', () => {
  it('is as large and as hard as issue 6 asks', () => {
    for (const l of LANGS) {
      expect(faqs[l].length).toBeGreaterThanOrEqual(30);
      expect(questions[l].length).toBeGreaterThanOrEqual(60);
      const ids = new Set(faqs[l].map((f) => f.id));
      for (const q of questions[l]) expect(ids.has(q.expected), q.expected).toBe(true);
    }
    const all = LANGS.flatMap((l) => questions[l]);
    expect(all.filter((q) => q.paraphrase).length / all.length).toBeGreaterThanOrEqual(0.4);
  });

  it('marks a question as a paraphrase only when it shares no content word with the FAQ question', () => {
    const wrong: string[] = [];
    for (const l of LANGS) {
      const byId = new Map(faqs[l].map((f) => [f.id, f]));
      for (const q of questions[l].filter((x) => x.paraphrase)) {
        const faqStems = contentStems(l, byId.get(q.expected)?.question ?? '');
        const shared = [...contentStems(l, q.q)].filter((s) => faqStems.has(s));
        if (shared.length > 0) wrong.push(`${q.q} ~ ${shared.join(',')}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('finds the expected FAQ in the top 3 for at least 90% of the questions', () => {
    const index = createFaqIndex();
    for (const l of LANGS) {
      for (const f of faqs[l]) {
        const doc: FaqDocument = { ...f, language: l, published: true, visibility: 'everyone' };
        index.upsert(doc);
      }
    }
    let hits = 0;
    let total = 0;
    const lines: string[] = [];
    for (const l of LANGS) {
      let langHits = 0;
      let paraHits = 0;
      const paraTotal = questions[l].filter((q) => q.paraphrase).length;
      for (const q of questions[l]) {
        const top = index.search(q.q, { language: l }).map((h) => h.id);
        if (top.includes(q.expected)) {
          langHits++;
          if (q.paraphrase) paraHits++;
        } else {
          lines.push(`  miss [${l}${q.paraphrase ? ', paraphrase' : ''}] "${q.q}" → expected ${q.expected}, got ${top.join(', ') || 'nothing'}`);
        }
      }
      hits += langHits;
      total += questions[l].length;
      const pct = (n: number, d: number) => `${((100 * n) / d).toFixed(1)}%`;
      lines.unshift(`  ${l}: ${langHits}/${questions[l].length} = ${pct(langHits, questions[l].length)} (paraphrases ${paraHits}/${paraTotal} = ${pct(paraHits, paraTotal)})`);
    }
    const rate = hits / total;
    console.log(`FAQ search evaluation, expected FAQ in top 3:\n  overall: ${hits}/${total} = ${(100 * rate).toFixed(1)}%\n${lines.join('\n')}`);
    expect(rate).toBeGreaterThanOrEqual(0.9);
  });
});
