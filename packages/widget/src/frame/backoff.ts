export const BACKOFF_MIN_MS = 500;
export const BACKOFF_MAX_MS = 15_000;

/**
 * Delay before reconnect attempt `attempt` (0-based): exponential, capped, with jitter so that
 * thousands of widgets do not reconnect in lockstep after a server restart.
 */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** Math.max(0, attempt));
  return Math.round(Math.max(BACKOFF_MIN_MS, ceiling / 2 + (random() * ceiling) / 2));
}
