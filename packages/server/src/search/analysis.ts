import type { Language } from '@loket/protocol';
import { LANGUAGE_DATA, type LanguageData } from './languages.js';

/** Letters without their accents, plus the few letters Unicode does not decompose. */
const UNDECOMPOSED: Record<string, string> = { ß: 'ss', æ: 'ae', ø: 'o', œ: 'oe', đ: 'd', ł: 'l', þ: 'th', ð: 'd' };

export function foldDiacritics(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/[ßæøœđłþð]/g, (c) => UNDECOMPOSED[c] ?? c);
}

/**
 * Splits text into lower-cased words. Apostrophes separate (French "l'adresse" → "l", "adresse"); a hyphenated word
 * counts both joined and as its parts, so "e-mail" meets "email" and "Rücksende-Etikett" meets "Etikett".
 */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.toLowerCase().split(/[^\p{L}\p{N}\p{M}-]+/u)) {
    if (!raw.includes('-')) {
      if (raw) out.push(raw);
      continue;
    }
    const parts = raw.split('-').filter(Boolean);
    if (parts.length === 0) continue;
    out.push(parts.join(''));
    if (parts.length > 1) for (const p of parts) if (p.length >= 3) out.push(p);
  }
  return out;
}

export interface AnalyzedWord {
  /**
   * The Snowball stem, folded: what a differently inflected word of the same family meets. Some stemmer rules need
   * the accents (Spanish "devolución"), while a customer types without them ("devolucion"), so a word may have two:
   * stemmed before folding (first) and after.
   */
  stems: readonly string[];
  /** The whole word, folded: what a misspelt word meets by edit distance (a typo often defeats the stemmer). */
  word: string;
}

export interface Analyzer {
  language: Language;
  /** One lower-cased word → its stems and folded form, or null for a stop word or noise. */
  analyze(word: string): AnalyzedWord | null;
}

const CACHE_LIMIT = 50_000;

function makeAnalyzer(language: Language): Analyzer {
  const data = LANGUAGE_DATA[language] as LanguageData | undefined;
  // Types keep this out, but storage is a trust boundary: a row with another language must fail loudly, not index junk.
  if (!data) throw new Error(`FAQ search: unsupported language ${JSON.stringify(language)}`);
  const translit = data.transliterate ?? ((t: string) => t);
  const normalise = (w: string) => foldDiacritics(translit(w));
  const stemBoth = (lower: string, folded: string): readonly string[] => {
    const accented = foldDiacritics(data.stem(translit(lower)));
    const plain = data.stem(folded);
    return accented === plain ? [plain] : [accented, plain];
  };
  // Stop words are matched in both spellings: as listed (with accents) and as a customer types them (without).
  const stop = new Set<string>();
  for (const w of [...data.stopwords, ...data.filler]) {
    // "we'll" is tokenised as "we" and "ll": both halves are as empty as the whole.
    for (const part of [w, ...w.split(/['’]/)]) {
      stop.add(part);
      stop.add(normalise(part));
    }
  }
  const synonyms = new Map<string, string>();
  for (const group of data.synonyms) {
    const canonical = normalise(group[0] ?? '');
    for (const w of group) synonyms.set(normalise(w), canonical);
  }
  // Snowball stemming costs microseconds per word and FAQ texts repeat words a lot: remember recent results.
  const cache = new Map<string, AnalyzedWord | null>();
  return {
    language,
    analyze(raw) {
      const hit = cache.get(raw);
      if (hit !== undefined) return hit;
      let result: AnalyzedWord | null = null;
      if (!stop.has(raw)) {
        const folded = normalise(raw);
        if (!stop.has(folded) && (folded.length > 1 || /\d/.test(folded))) {
          const synonym = synonyms.get(folded);
          result = synonym ? { stems: [data.stem(synonym)], word: synonym } : { stems: stemBoth(raw, folded), word: folded };
        }
      }
      if (cache.size >= CACHE_LIMIT) cache.clear();
      cache.set(raw, result);
      return result;
    },
  };
}

const analyzers = new Map<Language, Analyzer>();

export function analyzerFor(language: Language): Analyzer {
  let a = analyzers.get(language);
  if (!a) {
    a = makeAnalyzer(language);
    analyzers.set(language, a);
  }
  return a;
}

/** The stems of a text, in order: what a query looks up when every word is spelt right. */
export function analyze(language: Language, text: string): string[] {
  const a = analyzerFor(language);
  const out: string[] = [];
  for (const w of tokenize(text)) {
    const t = a.analyze(w);
    if (t) out.push(t.stems[0] ?? t.word);
  }
  return out;
}
