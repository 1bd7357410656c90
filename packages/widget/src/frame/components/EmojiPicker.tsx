import { EMOJI_COLUMNS, EMOJI_ROWS, emojiGridKey } from '@loket/protocol';
import { useEffect, useRef, useState } from 'preact/hooks';

/**
 * The chat window's emoji picker, a chunk of its own (loaded on the first click of the emoji button). An ARIA grid:
 * one button in the tab order, the arrow keys move, Enter or Space picks, Escape closes (focus back on the button), and so does leaving it.
 */
export function EmojiPicker({ id, label, onPick, onClose }: { id: string; label: string; onPick(emoji: string): void; onClose(returnFocus: boolean): void }) {
  const [active, setActive] = useState(0);
  const grid = useRef<HTMLDivElement>(null);
  useEffect(() => grid.current?.querySelector<HTMLButtonElement>(`[data-i="${active}"]`)?.focus(), [active]);
  return (
    <div
      id={id}
      class="emoji-grid"
      role="grid"
      aria-label={label}
      data-testid="emoji-picker"
      ref={grid}
      onKeyDown={(e) => {
        const next = emojiGridKey(active, e);
        if (next === null) return;
        e.preventDefault();
        if (next === 'close') onClose(true);
        else setActive(next);
      }}
      onFocusOut={(e) => {
        if (!(e.relatedTarget instanceof Node && grid.current?.contains(e.relatedTarget))) onClose(false);
      }}
    >
      {EMOJI_ROWS.map((row, r) => (
        <div role="row" key={r} class="emoji-row">
          {row.map((emoji, c) => {
            const i = r * EMOJI_COLUMNS + c;
            return (
              <span role="gridcell" key={emoji}>
                <button type="button" data-i={i} tabIndex={i === active ? 0 : -1} onClick={() => onPick(emoji)}>
                  {emoji}
                </button>
              </span>
            );
          })}
        </div>
      ))}
    </div>
  );
}
