/**
 * FAQ search: 10,000 generated FAQs (quick: 2,000) in the eight languages, mostly Dutch and English, with realistic
 * lengths (a one-line question, a 3–6 sentence answer, a few keywords) and a vocabulary that keeps growing like a real
 * knowledge base's (product names, a Zipf-distributed long tail of words). 2,000 customer-like queries (typos, unfinished last words, folder filters) run
 * against it one by one, as the server runs a suggestion. Measures the index build, its memory, the search latency
 * (goal from issue 6: p99 ≤ 5 ms) and the cost of following an edit. In-process: the search module is pure.
 */
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';
import type { Language } from '@loket/protocol';
import { createFaqIndex, type FaqDocument } from '../../packages/server/src/search/index.js';
import { LANGUAGE_DATA } from '../../packages/server/src/search/languages.js';
import type { Scenario } from '../lib/result.js';
import { percentiles } from '../lib/stats.js';

const GOAL_P99_MS = 5;
const FOLDERS = 50;

/** Deterministic, so two runs search the same knowledge base. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Bank {
  weight: number;
  questions: string[];
  sentences: string[];
  nouns: string[];
}

/** Phrases per language; {n} takes a topic noun, {p} a product name. English and Dutch add the evaluation set. */
const BANKS: Record<Language, Bank> = {
  en: { weight: 30, questions: ['How do I return my {n}?', 'Where is my {n}?', 'Can I change the {n} of my {p}?', 'What does the {n} cost?', 'Is the {p} covered by the {n}?'], sentences: ['You can find the {n} under My account.', 'The {p} comes with a two-year {n}.', 'We send the {n} within three working days.', 'Contact customer service if your {n} has not arrived.', 'A {n} for the {p} is free of charge.'], nouns: ['order', 'delivery', 'invoice', 'warranty', 'refund', 'size', 'colour', 'subscription', 'gift card', 'battery', 'charger', 'manual'] },
  nl: { weight: 30, questions: ['Hoe retourneer ik mijn {n}?', 'Waar blijft mijn {n}?', 'Kan ik de {n} van mijn {p} wijzigen?', 'Wat kost de {n}?', 'Valt de {p} onder de {n}?'], sentences: ['Je vindt de {n} onder Mijn account.', 'Op de {p} zit twee jaar {n}.', 'We versturen de {n} binnen drie werkdagen.', 'Neem contact op met de klantenservice als je {n} niet is aangekomen.', 'Een {n} voor de {p} is gratis.'], nouns: ['bestelling', 'bezorging', 'factuur', 'garantie', 'terugbetaling', 'maat', 'kleur', 'abonnement', 'cadeaukaart', 'accu', 'oplader', 'handleiding'] },
  de: { weight: 10, questions: ['Wie sende ich meine {n} zurück?', 'Wo bleibt meine {n}?', 'Kann ich die {n} meines {p} ändern?', 'Was kostet die {n}?'], sentences: ['Die {n} finden Sie unter Mein Konto.', 'Auf den {p} gibt es zwei Jahre {n}.', 'Wir versenden die {n} innerhalb von drei Werktagen.', 'Wenden Sie sich an den Kundendienst, wenn Ihre {n} nicht angekommen ist.'], nouns: ['Bestellung', 'Lieferung', 'Rechnung', 'Garantie', 'Rückerstattung', 'Größe', 'Farbe', 'Abonnement', 'Gutschein', 'Ladegerät'] },
  fr: { weight: 10, questions: ['Comment retourner ma {n} ?', 'Où en est ma {n} ?', 'Puis-je modifier la {n} de mon {p} ?', 'Combien coûte la {n} ?'], sentences: ['Vous trouverez la {n} dans Mon compte.', 'Le {p} est couvert par une {n} de deux ans.', 'Nous envoyons la {n} sous trois jours ouvrés.', 'Contactez le service client si votre {n} n’est pas arrivée.'], nouns: ['commande', 'livraison', 'facture', 'garantie', 'remboursement', 'taille', 'couleur', 'carte cadeau', 'batterie'] },
  es: { weight: 5, questions: ['¿Cómo devuelvo mi {n}?', '¿Dónde está mi {n}?', '¿Puedo cambiar la {n} de mi {p}?'], sentences: ['Encontrará la {n} en Mi cuenta.', 'El {p} tiene dos años de {n}.', 'Enviamos la {n} en tres días laborables.'], nouns: ['pedido', 'entrega', 'factura', 'garantía', 'devolución', 'talla', 'suscripción'] },
  nb: { weight: 5, questions: ['Hvordan returnerer jeg {n}?', 'Hvor er {n} min?', 'Kan jeg endre {n} på {p}?'], sentences: ['Du finner {n} under Min konto.', '{p} har to års {n}.', 'Vi sender {n} innen tre virkedager.'], nouns: ['bestilling', 'levering', 'faktura', 'garanti', 'tilbakebetaling', 'størrelse', 'abonnement'] },
  sv: { weight: 5, questions: ['Hur returnerar jag min {n}?', 'Var är min {n}?', 'Kan jag ändra {n} på min {p}?'], sentences: ['Du hittar {n} under Mitt konto.', '{p} har två års {n}.', 'Vi skickar {n} inom tre arbetsdagar.'], nouns: ['beställning', 'leverans', 'faktura', 'garanti', 'återbetalning', 'storlek', 'prenumeration'] },
  da: { weight: 5, questions: ['Hvordan returnerer jeg min {n}?', 'Hvor er min {n}?', 'Kan jeg ændre {n} på min {p}?'], sentences: ['Du finder {n} under Min konto.', '{p} har to års {n}.', 'Vi sender {n} inden for tre hverdage.'], nouns: ['bestilling', 'levering', 'faktura', 'garanti', 'tilbagebetaling', 'størrelse', 'abonnement'] },
};

const LANGS = Object.keys(BANKS) as Language[];

interface EvalFaq {
  question: string;
  answer: string;
  keywords: string[];
}

function addEvalSet(): Record<'en' | 'nl', string[]> {
  const dir = path.resolve(import.meta.dirname, '../../packages/server/test/fixtures/faq-eval');
  const questions = { en: [] as string[], nl: [] as string[] };
  for (const l of ['en', 'nl'] as const) {
    const faqs = JSON.parse(fs.readFileSync(path.join(dir, `faqs-${l}.json`), 'utf8')) as EvalFaq[];
    const qs = JSON.parse(fs.readFileSync(path.join(dir, `questions-${l}.json`), 'utf8')) as Array<{ q: string }>;
    for (const f of faqs) {
      BANKS[l].questions.push(f.question);
      BANKS[l].sentences.push(...f.answer.split(/(?<=[.!?])\s+/));
    }
    questions[l] = qs.map((q) => q.q);
  }
  return questions;
}

export const run: Scenario = async ({ quick }) => {
  const faqCount = quick ? 2_000 : 10_000;
  const queryCount = quick ? 500 : 2_000;
  const rand = rng(42);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const totalWeight = LANGS.reduce((n, l) => n + BANKS[l].weight, 0);
  const pickLang = (): Language => {
    let r = rand() * totalWeight;
    for (const l of LANGS) if ((r -= BANKS[l].weight) < 0) return l;
    return 'en';
  };
  const customerQuestions = addEvalSet();
  const syllables = ['ka', 'lo', 'mi', 'ret', 'van', 'dor', 'pix', 'sen', 'tu', 'bel', 'gra', 'nor', 'qui', 'zel', 'fo', 'har', 'ste', 'mun', 'ol', 'brik'];
  const pseudoWord = (min: number) => Array.from({ length: min + Math.floor(rand() * 3) }, () => pick(syllables)).join('');
  const products = Array.from({ length: 3_000 }, () => `${pseudoWord(2)} ${100 + Math.floor(rand() * 900)}`);
  // Besides the phrases every shop repeats, a knowledge base has a long tail of its own words (products, parts,
  // services): a Zipf-distributed vocabulary per language, so that term frequencies look like real text.
  const VOCABULARY = 8_000;
  const vocab = Object.fromEntries(LANGS.map((l) => [l, Array.from({ length: VOCABULARY }, () => pseudoWord(2))])) as Record<Language, string[]>;
  // Ranks from 100 on: the head of a real language's Zipf curve is its stop words, which the analyser drops anyway.
  const zipfWeights = Array.from({ length: VOCABULARY }, (_, r) => 1 / (r + 100) ** 1.1);
  const zipfCdf: number[] = [];
  zipfWeights.reduce((sum, w) => (zipfCdf.push(sum + w), sum + w), 0);
  const zipfTotal = zipfCdf[zipfCdf.length - 1] ?? 1;
  const zipf = (l: Language): string => {
    const x = rand() * zipfTotal;
    let lo = 0;
    let hi = zipfCdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((zipfCdf[mid] ?? 0) < x) lo = mid + 1;
      else hi = mid;
    }
    return vocab[l][lo] ?? '';
  };
  const tailSentence = (l: Language) => {
    const stop = LANGUAGE_DATA[l].stopwords;
    const words = Array.from({ length: 8 + Math.floor(rand() * 7) }, (_, i) => (i % 3 === 1 ? pick(stop) : zipf(l)));
    return `${words.join(' ')}.`;
  };
  const fill = (bank: Bank, s: string) => s.replace(/\{n\}/g, () => pick(bank.nouns)).replace(/\{p\}/g, () => pick(products));

  const docs: FaqDocument[] = Array.from({ length: faqCount }, (_, i) => {
    const language = pickLang();
    const bank = BANKS[language];
    const sentences = Array.from({ length: 3 + Math.floor(rand() * 4) }, () => (rand() < 0.4 ? fill(bank, pick(bank.sentences)) : tailSentence(language)));
    const r = rand();
    return {
      id: `faq-${i}`,
      folderId: `folder-${Math.floor(rand() * FOLDERS)}`,
      language,
      question: fill(bank, pick(bank.questions)).replace(/\?$/, rand() < 0.5 ? ` ${zipf(language)}?` : '?'),
      answer: sentences.join(' '),
      keywords: Array.from({ length: Math.floor(rand() * 4) }, () => pick(bank.nouns)),
      published: r > 0.05,
      visibility: r > 0.1 ? 'everyone' : 'logged_in',
    };
  });

  const typo = (q: string): string => {
    const words = q.split(' ');
    const i = Math.floor(rand() * words.length);
    const w = words[i] ?? '';
    if (w.length > 4) {
      const j = 1 + Math.floor(rand() * (w.length - 2));
      words[i] = w.slice(0, j) + (w[j + 1] ?? '') + (w[j] ?? '') + w.slice(j + 2);
    }
    return words.join(' ');
  };
  const queries = Array.from({ length: queryCount }, () => {
    const language = pickLang();
    const bank = BANKS[language];
    let q = (language === 'en' || language === 'nl') && rand() < 0.7 ? pick(customerQuestions[language]) : `${fill(bank, pick(bank.questions)).toLowerCase()} ${zipf(language)}`;
    if (rand() < 0.3) q = typo(q);
    // Still typing: the last word unfinished.
    if (rand() < 0.3) q = q.replace(/[?.!\s]+$/, '').slice(0, -2);
    const folderIds = rand() < 0.3 ? new Set(Array.from({ length: 5 }, () => `folder-${Math.floor(rand() * FOLDERS)}`)) : null;
    return { q, language, folderIds };
  });

  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const buildStart = performance.now();
  const index = createFaqIndex();
  for (const d of docs) index.upsert(d);
  const buildMs = performance.now() - buildStart;
  gc();
  const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;

  for (const { q, language, folderIds } of queries.slice(0, 200)) index.search(q, { language, folderIds });
  const samples: number[] = [];
  let empty = 0;
  for (const { q, language, folderIds } of queries) {
    const t = performance.now();
    const hits = index.search(q, { language, folderIds });
    samples.push(performance.now() - t);
    if (hits.length === 0) empty++;
  }
  const s = percentiles(samples);

  // Following an edit: an administrator saves an FAQ; the index must reflect it before the next search.
  const edits: number[] = [];
  for (let i = 0; i < 500; i++) {
    const d = docs[Math.floor(rand() * docs.length)] as FaqDocument;
    const t = performance.now();
    index.upsert({ ...d, question: `${d.question} ${pick(products)}` });
    edits.push(performance.now() - t);
  }
  const e = percentiles(edits);

  return {
    name: 'faq-search',
    title: `FAQ search (${faqCount.toLocaleString('en')} FAQs, ${queryCount.toLocaleString('en')} queries)`,
    rows: [
      { label: 'Index build', value: `${Math.round(buildMs)} ms (${((1000 * buildMs) / faqCount).toFixed(0)} µs per FAQ)` },
      { label: 'Index memory (heap)', value: `${heapMb.toFixed(1)} MB` },
      { label: 'Search latency p50 / p99 / p99.9 / max', value: `${s.p50} / ${s.p99} / ${s.p999} / ${s.max} ms` },
      { label: 'Queries with no hit', value: `${empty} of ${queryCount}` },
      { label: 'Edit (upsert) latency p50 / p99', value: `${e.p50} / ${e.p99} ms` },
    ],
    data: { faqCount, queryCount, buildMs, heapMb, search: s, edit: e, empty },
    goals: [{ goal: `Suggestion search p99 ≤ ${GOAL_P99_MS} ms with ${faqCount.toLocaleString('en')} FAQs`, met: s.p99 <= GOAL_P99_MS, figure: `${s.p99} ms` }],
  };
};
