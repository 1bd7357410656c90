const clocks = new Map<string, Intl.DateTimeFormat>();

/**
 * A time of day as the visitor reads it: their browser's locale and time zone, never the server's
 * or the channel's (a Dutch channel may serve a visitor in Tokyo). Formatters are cached because
 * building one costs far more than formatting.
 */
export function formatClock(at: number, locale: string = navigator.language, timeZone?: string): string {
  const id = `${locale}|${timeZone ?? ''}`;
  let clock = clocks.get(id);
  if (!clock) {
    clock = new Intl.DateTimeFormat(locale, { hour: 'numeric', minute: '2-digit', timeZone });
    clocks.set(id, clock);
  }
  return clock.format(at);
}
