import { describe, expect, it } from 'vitest';
import { BACKOFF_MAX_MS, BACKOFF_MIN_MS, backoffDelay } from '../src/net/backoff.js';

describe('backoffDelay', () => {
  it('stays between 0.5 s and 15 s for any attempt and any randomness', () => {
    for (let attempt = 0; attempt < 40; attempt++) {
      for (const r of [0, 0.5, 0.999999]) {
        const d = backoffDelay(attempt, () => r);
        expect(d).toBeGreaterThanOrEqual(BACKOFF_MIN_MS);
        expect(d).toBeLessThanOrEqual(BACKOFF_MAX_MS);
      }
    }
  });

  it('grows with attempts and reaches the cap', () => {
    const top = (a: number) => backoffDelay(a, () => 1);
    expect(top(0)).toBe(500);
    expect(top(1)).toBe(1_000);
    expect(top(3)).toBe(4_000);
    expect(top(10)).toBe(15_000);
  });

  it('is jittered: different randomness gives different delays', () => {
    expect(backoffDelay(5, () => 0)).not.toBe(backoffDelay(5, () => 1));
  });
});
