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

  /** Counts one attempt; beyond the limit it throws (with the seconds until the window ends). */
  take(key: string, now = Date.now()): void {
    if (this.record(key, now) > this.limit) this.refuse(key, now);
  }

  /** Throws if `key` already used up its attempts, without counting one (e.g. count only failures). */
  guard(key: string, now = Date.now()): void {
    const w = this.current(key, now);
    if (w && w.count >= this.limit) this.refuse(key, now);
  }

  /** Counts one attempt without refusing it; returns the count in this window. */
  record(key: string, now = Date.now()): number {
    if (this.limit <= 0) return 0;
    if (this.windows.size > 50_000) this.sweep(now);
    const w = this.current(key, now);
    if (!w) {
      this.windows.set(key, { start: now, count: 1 });
      return 1;
    }
    return ++w.count;
  }

  private current(key: string, now: number): { start: number; count: number } | undefined {
    if (this.limit <= 0) return undefined;
    const w = this.windows.get(key);
    return w && now - w.start < this.windowMs ? w : undefined;
  }

  private refuse(key: string, now: number): never {
    const start = this.windows.get(key)?.start ?? now;
    throw new AppError(this.code, undefined, `limit of ${this.limit}`, undefined, Math.max(1, Math.ceil((start + this.windowMs - now) / 1000)));
  }

  private sweep(now: number): void {
    for (const [k, w] of this.windows) if (now - w.start >= this.windowMs) this.windows.delete(k);
  }
}
