import { describe, expect, it } from 'vitest';
import { EMPTY_THREAD, hasGap, highestSeq, mergeEvents } from '../src/state/thread.js';
import { formatElapsed } from '../src/time.js';
import { translator } from '../src/i18n/index.js';
import { parseFrame } from '../src/net/socket.js';
import { message } from './fixtures.js';

describe('thread', () => {
  it('detects a gap and its resume point', () => {
    const t = mergeEvents(EMPTY_THREAD, [message(1), message(2), message(5)]);
    expect(hasGap(t)).toBe(true);
    expect(t.contiguousSeq).toBe(2);
    expect(highestSeq(t)).toBe(5);
    expect(hasGap(mergeEvents(t, [message(3), message(4)]))).toBe(false);
  });

  it('keeps the first copy of a seq and returns the same thread when nothing is new', () => {
    const t = mergeEvents(EMPTY_THREAD, [message(1, 'visitor', 'original')]);
    expect(mergeEvents(t, [message(1, 'visitor', 'other')])).toBe(t);
  });
});

describe('formatElapsed', () => {
  const t = translator('en');
  it('shows seconds, minutes, then hours and minutes', () => {
    expect(formatElapsed(12_400, t)).toBe('12 s');
    expect(formatElapsed(2 * 60_000 + 5_000, t)).toBe('2 min');
    expect(formatElapsed(65 * 60_000, t)).toBe('1 h 5 min');
    expect(formatElapsed(-5, t)).toBe('0 s');
    expect(formatElapsed(65 * 60_000, translator('nl'))).toBe('1 u 5 min');
  });
});

describe('parseFrame', () => {
  it('accepts valid frames and drops invalid JSON or shapes', () => {
    expect(parseFrame(JSON.stringify({ type: 'pong' }))).toEqual({ type: 'pong' });
    expect(parseFrame('{oops')).toBeNull();
    expect(parseFrame(JSON.stringify({ type: 'queueRemoved', chatId: 'x' }))).toBeNull();
    expect(parseFrame(JSON.stringify({ type: 'pong', extra: 1 }))).toBeNull();
  });
});
