/** FAQ search: language-aware analysis and BM25+ ranking, pure and in memory (docs/search.md). */
export { createFaqIndex, FIELD_BOOST, MAX_QUERY_CHARS, MAX_QUERY_WORDS, maxEdits } from './faq-index.js';
export type { FaqDocument, FaqHit, FaqIndex, FaqIndexOptions, FaqSearchOptions, FaqVisibility } from './faq-index.js';
export { analyze, foldDiacritics, tokenize } from './analysis.js';
export { stripMarkdown } from './markdown.js';
