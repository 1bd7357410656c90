import type { ComposeSnippet } from '@loket/protocol';

/** Pure helpers of the composer's `/` picker (docs/quick-replies.md). */

/** The `/word` the caret is in, when it starts a word: where it starts and what follows the slash. */
export function slashQuery(value: string, caret: number): { start: number; query: string } | null {
  const before = value.slice(0, caret);
  const m = /(^|\s)\/([^\s/]*)$/.exec(before);
  if (!m) return null;
  return { start: caret - m[2]!.length - 1, query: m[2]! };
}

/** Longest list the picker shows: more is noise, and typing narrows it down. */
export const PICKER_MAX = 50;

/**
 * The entries matching `query` (ignoring case): shortcuts and names starting with it first, then those containing it,
 * then texts containing it; within each, in the server's order (personal, shared, templates).
 */
export function filterSnippets(snippets: readonly ComposeSnippet[], query: string): ComposeSnippet[] {
  const q = query.toLocaleLowerCase();
  if (q === '') return snippets.slice(0, PICKER_MAX);
  const starts: ComposeSnippet[] = [];
  const contains: ComposeSnippet[] = [];
  const inText: ComposeSnippet[] = [];
  for (const s of snippets) {
    const label = s.label.toLocaleLowerCase();
    if (label.startsWith(q)) starts.push(s);
    else if (label.includes(q)) contains.push(s);
    else if (s.text.toLocaleLowerCase().includes(q)) inText.push(s);
  }
  return [...starts, ...contains, ...inText].slice(0, PICKER_MAX);
}
