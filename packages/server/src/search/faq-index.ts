import type { Language } from '@loket/protocol';
import MiniSearch, { type Query, type SearchOptions } from 'minisearch';
import SearchableMap from 'minisearch/SearchableMap';
import { analyzerFor, tokenize } from './analysis.js';
import { stripMarkdown } from './markdown.js';

export type FaqVisibility = 'everyone' | 'logged_in';

/** An FAQ as the search index sees it: the storage layer hands over every edit as it happens. */
export interface FaqDocument {
  id: string;
  folderId: string | null;
  language: Language;
  question: string;
  /** Markdown. */
  answer: string;
  keywords: readonly string[];
  published: boolean;
  visibility: FaqVisibility;
}

export interface FaqSearchOptions {
  language: Language;
  /** Only FAQs in these folders (the caller expands a folder to its sub-folders); null or absent: all folders. */
  folderIds?: ReadonlySet<string> | null;
  /** Default 3: what the widget shows. */
  limit?: number;
  /** Default true: only published FAQs visible to everyone. False is for administrators and signed-in customers. */
  publicOnly?: boolean;
}

export interface FaqHit {
  id: string;
  /** BM25+ score: comparable between hits of one query only. */
  score: number;
  /** Share (0–1) of the query's words that this FAQ matched, for a caller deciding whether anything is relevant. */
  coverage: number;
}

export interface FaqIndex {
  upsert(doc: FaqDocument): void;
  /** False if the id was not indexed. */
  remove(id: string): boolean;
  search(query: string, options: FaqSearchOptions): FaqHit[];
  has(id: string): boolean;
  readonly size: number;
}

/**
 * Field boosts: the question says what the FAQ is about, keywords are what an editor added for customers' own words,
 * the answer is long and only supporting evidence. Twice, not more: a common word in a short question must not outweigh
 * a rare answer word that pins the topic down.
 */
export const FIELD_BOOST = { question: 2, keywords: 2, answer: 1 } as const;

/** Edit distance allowed per query term, by the term's length: none for short words, where a typo is another word. */
export function maxEdits(term: string): number {
  if (term.length <= 3) return 0;
  if (term.length <= 6) return 1;
  return 2;
}

/** The shortest last word that is completed as a prefix: shorter ones would match half the vocabulary. */
const MIN_PREFIX = 3;
/**
 * A fragment is completed to at most this many indexed terms, the shortest (closest to what was typed) first: each
 * completion costs a walk through its postings, and "bes" starts hundreds of words.
 */
const MAX_COMPLETIONS = 6;
/** How many candidate completions are looked at to pick the shortest from. */
const COMPLETION_SCAN = 200;

/** The indexed terms that complete `fragment`, shortest first, at most MAX_COMPLETIONS. */
function completions(e: Engine, fragment: string): string[] {
  const found: string[] = [];
  for (const key of e.terms.atPrefix(fragment).keys()) {
    if (key !== fragment) found.push(key);
    if (found.length >= COMPLETION_SCAN) break;
  }
  return found.sort((a, b) => a.length - b.length || (a < b ? -1 : 1)).slice(0, MAX_COMPLETIONS);
}

/**
 * Bounds on what one query may cost: a customer's run-on question fits easily, a pasted page does not get to run
 * dozens of fuzzy look-ups.
 */
export const MAX_QUERY_CHARS = 500;
export const MAX_QUERY_WORDS = 20;

/**
 * The words of a query that can match anything, each once, at most MAX_QUERY_WORDS of them. `complete` is set when
 * words were left out, so that the last one kept is not treated as still being typed.
 */
function queryWords(language: Language, query: string): { words: string[]; complete: boolean } {
  const analyzer = analyzerFor(language);
  const tokens = tokenize(query.slice(0, MAX_QUERY_CHARS));
  const seen = new Set<string>();
  const words: string[] = [];
  let last = -1;
  tokens.forEach((t, i) => {
    const a = words.length < MAX_QUERY_WORDS ? analyzer.analyze(t) : null;
    if (!a || seen.has(a.word)) return;
    seen.add(a.word);
    words.push(t);
    last = i;
  });
  return { words, complete: query.length > MAX_QUERY_CHARS || last !== tokens.length - 1 };
}

interface Engine {
  mini: MiniSearch<FaqDocument>;
  /** Every stem ever indexed (never shrinks: a stale entry only costs a missed typo correction). */
  stems: Set<string>;
  /** Every term ever indexed, stems and whole words, as a tree to complete a prefix from (never shrinks either). */
  terms: SearchableMap<true>;
}

function makeEngine(language: Language): Engine {
  const analyzer = analyzerFor(language);
  const stems = new Set<string>();
  const terms = new SearchableMap<true>();
  const mini = new MiniSearch<FaqDocument>({
    idField: 'id',
    fields: ['question', 'keywords', 'answer'],
    // What the filters need, kept inside MiniSearch: it hands them to boostDocument without another lookup.
    storeFields: ['folderId', 'public'],
    extractField: (doc, field) => {
      if (field === 'public') return doc.published && doc.visibility === 'everyone';
      if (field === 'folderId') return doc.folderId;
      if (field === 'keywords') return doc.keywords.join(' ');
      if (field === 'answer') return stripMarkdown(doc.answer);
      if (field === 'question') return doc.question;
      return field === 'id' ? doc.id : '';
    },
    tokenize,
    // Documents are indexed under their stems and the whole word, see the query's processTerm.
    processTerm: (term) => {
      const a = analyzer.analyze(term);
      if (!a) return null;
      for (const s of a.stems) stems.add(s);
      const out = a.stems.includes(a.word) ? [...a.stems] : [...a.stems, a.word];
      for (const t of out) terms.set(t, true);
      return out;
    },
    searchOptions: {
      tokenize,
      // A query word looks up its first stem that some FAQ has; with none, it is probably misspelt, and its whole form
      // is matched by edit distance against whole indexed words, which a typo resembles far more than a stem.
      processTerm: (term) => {
        const a = analyzer.analyze(term);
        if (!a) return null;
        return a.stems.find((s) => stems.has(s)) ?? a.word;
      },
    },
  });
  return { mini, stems, terms };
}

/** Ranking knobs. The defaults were chosen on the evaluation set (docs/search.md); overriding them is for experiments. */
export interface FaqIndexOptions {
  boost?: Partial<Record<keyof typeof FIELD_BOOST, number>>;
  /** MiniSearch's BM25+ parameters. */
  bm25?: { k: number; b: number; d: number };
  /** Score multipliers for fuzzy and prefix matches relative to exact ones. */
  weights?: { fuzzy: number; prefix: number };
}

export const DEFAULT_BM25 = { k: 1.2, b: 0.7, d: 0.5 };
export const DEFAULT_WEIGHTS = { fuzzy: 0.45, prefix: 0.375 };

export function createFaqIndex(tuning: FaqIndexOptions = {}): FaqIndex {
  const boost = { ...FIELD_BOOST, ...tuning.boost };
  const bm25 = tuning.bm25 ?? DEFAULT_BM25;
  const weights = tuning.weights ?? DEFAULT_WEIGHTS;
  // One engine per language: a Dutch query never meets English FAQs, and each language has its own term statistics.
  const engines = new Map<Language, Engine>();
  /** Which engine holds each FAQ. */
  const languageOf = new Map<string, Language>();

  const engine = (language: Language) => {
    let e = engines.get(language);
    if (!e) {
      e = makeEngine(language);
      engines.set(language, e);
    }
    return e;
  };

  const remove = (id: string): boolean => {
    const language = languageOf.get(id);
    if (!language) return false;
    engine(language).mini.discard(id);
    languageOf.delete(id);
    return true;
  };

  return {
    upsert(doc) {
      // The target engine first: an unsupported language throws before the FAQ's previous version is removed.
      const target = engine(doc.language);
      remove(doc.id);
      target.mini.add(doc);
      languageOf.set(doc.id, doc.language);
    },
    remove,
    has: (id) => languageOf.has(id),
    get size() {
      return languageOf.size;
    },
    search(query, { language, folderIds = null, limit = 3, publicOnly = true }) {
      const e = engines.get(language);
      if (!e || limit <= 0) return [];
      const { words, complete } = queryWords(language, query);
      if (words.length === 0) return [];
      // A query that does not end in a space or punctuation is still being typed: its last word may be unfinished.
      const typing = !complete && /[\p{L}\p{N}]$/u.test(query);
      const options: SearchOptions = {
        boost,
        bm25,
        weights,
        combineWith: 'OR',
        // Known words are matched fuzzily too, not only unknown (misspelt) ones: that catches inflections the stemmer
        // leaves apart (Dutch "besteld" ~ "bestell"), and in the evaluation set it gains more than it loses.
        fuzzy: (term) => maxEdits(term) || false,
        maxFuzzy: 2,
        // Filtering as a document boost of 0 drops a document before MiniSearch builds a result for it, which the
        // `filter` option would do only afterwards: a folder filter excludes most of the knowledge base.
        ...((publicOnly || folderIds) && {
          boostDocument: (_id: string, _term: string, stored?: Record<string, unknown>) =>
            stored !== undefined && (!publicOnly || stored.public === true) && (!folderIds || folderIds.has(stored.folderId as string)) ? 1 : 0,
        }),
      };
      // Only a fragment is completed: a last word that is already a known stem is taken as typed, as its
      // inflections share that stem anyway.
      const lastWord = words[words.length - 1];
      const last = typing && lastWord ? analyzerFor(language).analyze(lastWord) : null;
      const fragment = last ? (last.stems.find((st) => e.stems.has(st)) ?? last.word) : null;
      const completed = fragment && fragment.length >= MIN_PREFIX && !e.stems.has(fragment) ? completions(e, fragment) : [];
      const q: Query =
        completed.length === 0
          ? words.join(' ')
          : {
              combineWith: 'OR',
              queries: [
                words.join(' '),
                // Already index terms: matched as they are, at the weight of a prefix match.
                { queries: completed, processTerm: (t: string) => t, fuzzy: false, boostTerm: () => weights.prefix },
              ],
            };
      const results = e.mini.search(q, options);
      return results.slice(0, limit).map((r) => ({
        id: r.id as string,
        score: r.score,
        coverage: Math.min(1, new Set(r.queryTerms.map((t) => (completed.includes(t) ? fragment : t))).size / words.length),
      }));
    },
  };
}
