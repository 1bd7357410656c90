import { describe, expect, it } from 'vitest';
import { EMOJI, EMOJI_COLUMNS, gridMove } from '../src/emoji.js';
import { insertText } from '../src/text-edit.js';

describe('the emoji grid', () => {
  const count = 20;
  const cols = 8;
  it('moves by cell and by row, stopping at the edges', () => {
    expect(gridMove(0, 'ArrowRight', count, cols)).toBe(1);
    expect(gridMove(0, 'ArrowLeft', count, cols)).toBe(0);
    expect(gridMove(19, 'ArrowRight', count, cols)).toBe(19);
    expect(gridMove(3, 'ArrowDown', count, cols)).toBe(11);
    // Row 3 holds only 16..19: down from 13 would fall off, so it stays.
    expect(gridMove(13, 'ArrowDown', count, cols)).toBe(13);
    expect(gridMove(11, 'ArrowUp', count, cols)).toBe(3);
    expect(gridMove(3, 'ArrowUp', count, cols)).toBe(3);
  });
  it('goes to the row’s ends with Home/End and the grid’s with Ctrl', () => {
    expect(gridMove(10, 'Home', count, cols)).toBe(8);
    expect(gridMove(10, 'End', count, cols)).toBe(15);
    expect(gridMove(17, 'End', count, cols)).toBe(19);
    expect(gridMove(10, 'Home', count, cols, true)).toBe(0);
    expect(gridMove(10, 'End', count, cols, true)).toBe(19);
    expect(gridMove(10, 'a', count, cols)).toBeNull();
  });
  it('has full rows of distinct emoji', () => {
    expect(EMOJI.length % EMOJI_COLUMNS).toBe(0);
    expect(new Set(EMOJI).size).toBe(EMOJI.length);
  });
});

describe('insertText', () => {
  it('replaces the selection and puts the caret after the insert, clamping bad positions', () => {
    expect(insertText('Hello world', 6, 11, '🙂')).toEqual({ value: 'Hello 🙂', caret: 8 });
    expect(insertText('Hi', null, null, '!')).toEqual({ value: 'Hi!', caret: 3 });
    expect(insertText('Hi', 99, -1, '!')).toEqual({ value: 'Hi!', caret: 3 });
  });
});
