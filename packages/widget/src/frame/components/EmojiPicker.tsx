import { EMOJI, EMOJI_COLUMNS, gridMove } from '@loket/protocol';
import { useEffect, useRef, useState } from 'preact/hooks';

const ROWS = Array.from({ length: Math.ceil(EMOJI.length / EMOJI_COLUMNS) }, (_, r) => EMOJI.slice(r * EMOJI_COLUMNS, (r + 1) * EMOJI_COLUMNS));

/**
 * The chat window's emoji picker, a chunk of its own (loaded on the first click of the emoji button). An ARIA grid:
 * one button in the tab order, the arrow keys move, Enter or Space picks, Escape (or leaving it) closes.
 */
export function EmojiPicker({ id, label, onPick, onClose }: { id: string; label: string; onPick(emoji: string): void; onClose(): void }) {
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
        if (e.key === 'Escape') {
          e.preventDefault();
          onClose();
          return;
        }
        const next = gridMove(active, e.key, EMOJI.length, EMOJI_COLUMNS, e.ctrlKey);
        if (next !== null) {
          e.preventDefault();
          setActive(next);
        }
      }}
      onFocusOut={(e) => {
        if (!(e.relatedTarget instanceof Node && grid.current?.contains(e.relatedTarget))) onClose();
      }}
    >
      {ROWS.map((row, r) => (
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
