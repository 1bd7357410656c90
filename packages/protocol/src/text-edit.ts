/** Editing a text field's value where its caret is (composers, template editors); in its own module so the emoji list stays in its chunk. */

/** `value` with `insert` in place of [start, end), and where the caret goes after it. */
export function insertText(value: string, start: number | null, end: number | null, insert: string): { value: string; caret: number } {
  const from = Math.min(Math.max(start ?? value.length, 0), value.length);
  const to = Math.min(Math.max(end ?? from, from), value.length);
  return { value: value.slice(0, from) + insert + value.slice(to), caret: from + insert.length };
}
