import { AppError } from '../domain/errors.js';

/**
 * Fixed-window counter per key, in memory. Per node on purpose: it bounds abuse of the costly
 * calls (DNS lookups, password hashing) on this process, which is what it protects.
 */
export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  /** `limit` 0 means unlimited. */
  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    /** The error beyond the limit: a generic one, or one that says which limit (e.g. transcripts). */
    private readonly code: 'rate_limited' | 'transcript_limit' = 'rate_limited',
  ) {}

  take(key: string, now = Date.now()): void {
    if (this.limit <= 0) return;
    if (this.windows.size > 50_000) this.sweep(now);
    const w = this.windows.get(key);
    if (!w || now - w.start >= this.windowMs) {
      this.windows.set(key, { start: now, count: 1 });
      return;
    }
    if (++w.count > this.limit) throw new AppError(this.code);
  }

  private sweep(now: number): void {
    for (const [k, w] of this.windows) if (now - w.start >= this.windowMs) this.windows.delete(k);
  }
}
