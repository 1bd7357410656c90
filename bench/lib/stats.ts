/** Percentiles over a sample of numbers (nearest-rank). */
export function percentiles(samples: number[]): { n: number; p50: number; p99: number; p999: number; max: number } {
  const s = [...samples].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? NaN;
  const round = (v: number) => Math.round(v * 1000) / 1000;
  return { n: s.length, p50: round(at(50)), p99: round(at(99)), p999: round(at(99.9)), max: round(s[s.length - 1] ?? NaN) };
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** One progress line, rewritten in place on a terminal. */
export function progress(text: string): void {
  if (process.stdout.isTTY) process.stdout.write(`\r\x1b[K${text}`);
  else process.stdout.write(`${text}\n`);
}
