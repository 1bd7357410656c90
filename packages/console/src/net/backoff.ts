export const BACKOFF_MIN_MS = 500;
export const BACKOFF_MAX_MS = 15_000;

/**
 * Delay before reconnect attempt `attempt` (0-based): exponential from 0.5 s, capped at 15 s,
 * with "equal jitter" (half fixed, half random) so a server restart does not get every
 * console back in the same millisecond, while never waiting less than the minimum.
 */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** Math.max(0, attempt));
  const half = ceiling / 2;
  return Math.max(BACKOFF_MIN_MS, Math.round(half + random() * half));
}
