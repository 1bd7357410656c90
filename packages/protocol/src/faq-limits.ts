/** Knowledge-base limits; a module of its own so the widget can use them without the administrators' schemas. */
export const FAQ_LIMITS = {
  folderName: 200,
  question: 300,
  answer: 20_000,
  keywords: 20,
  keyword: 60,
  /** Folder nesting depth (a root folder is depth 1). */
  folderDepth: 8,
  /** FAQs in one import. */
  importRows: 10_000,
  /** Characters of a customer's question used for suggestions. */
  suggestQuery: 500,
  suggestions: 3,
} as const;
