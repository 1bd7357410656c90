/**
 * The emoji pickers of the chat window and the console: one short list of what customer service writes, and the arrow
 * keys of their grid. Each emoji is a button whose accessible name is the emoji itself: screen readers say its
 * Unicode name in the reader's own language, which no list of ours could match in every language.
 */
export const EMOJI = [
  '🙂', '😀', '😄', '😊', '😉', '😅', '😂', '🙃',
  '😍', '🤗', '🤔', '😐', '😕', '😢', '😮', '😴',
  '👍', '👎', '👏', '🙏', '👋', '🤝', '💪', '👌',
  '❤️', '🎉', '✨', '⭐', '🔥', '💡', '✅', '❌',
  '⚠️', '❓', '❗', '📦', '🚚', '📧', '📞', '💳',
  '🛒', '🎁', '📅', '⏰', '🔒', '🔧', '☕', '🌞',
] as const;

/** Emoji per row of the grid. */
export const EMOJI_COLUMNS = 8;

/**
 * The cell the arrow keys (and Home/End, Ctrl+Home/End) move to from `index` in a grid of `count` cells, `columns` wide;
 * null for any other key. Moves stop at the edges rather than wrap, as in a grid.
 */
export function gridMove(index: number, key: string, count: number, columns = EMOJI_COLUMNS, ctrl = false): number | null {
  const last = count - 1;
  const rowStart = index - (index % columns);
  switch (key) {
    case 'ArrowRight':
      return Math.min(index + 1, last);
    case 'ArrowLeft':
      return Math.max(index - 1, 0);
    case 'ArrowDown':
      return index + columns <= last ? index + columns : index;
    case 'ArrowUp':
      return index - columns >= 0 ? index - columns : index;
    case 'Home':
      return ctrl ? 0 : rowStart;
    case 'End':
      return ctrl ? last : Math.min(rowStart + columns - 1, last);
    default:
      return null;
  }
}

/** The grid in rows, as both pickers lay it out. */
export const EMOJI_ROWS: readonly (readonly string[])[] = Array.from({ length: Math.ceil(EMOJI.length / EMOJI_COLUMNS) }, (_, r) => EMOJI.slice(r * EMOJI_COLUMNS, (r + 1) * EMOJI_COLUMNS));

/** What a key does in an emoji picker whose `active` cell has the focus: move to a cell, close it, or nothing. */
export function emojiGridKey(active: number, e: { key: string; ctrlKey: boolean }): number | 'close' | null {
  return e.key === 'Escape' ? 'close' : gridMove(active, e.key, EMOJI.length, EMOJI_COLUMNS, e.ctrlKey);
}
