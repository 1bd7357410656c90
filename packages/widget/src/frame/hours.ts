import type { OpenSpan } from '@loket/protocol';

/** One local weekday of opening hours, e.g. { day: "Monday", ranges: "09:00–12:00, 13:00–17:00" }. */
export interface HoursLine {
  day: string;
  ranges: string;
}

/**
 * The channel's coming openings as the customer's own weekdays and clock times. A span that crosses local midnight
 * stays one range on the day it starts (people read "22:00–02:00" fine). `timeZone` is the customer's (undefined =
 * the browser's); tests pass one so they do not depend on where they run.
 */
export function hoursLines(upcoming: readonly OpenSpan[], locale: string, timeZone?: string): HoursLine[] {
  const zone = timeZone ? { timeZone } : {};
  const dayKey = new Intl.DateTimeFormat('en-CA', { ...zone, year: 'numeric', month: '2-digit', day: '2-digit' });
  const weekday = new Intl.DateTimeFormat(locale, { ...zone, weekday: 'long' });
  const time = clockFormat(locale, timeZone);
  const lines: { key: string; day: string; ranges: string[] }[] = [];
  for (const span of [...upcoming].sort((a, b) => a.start - b.start)) {
    const key = dayKey.format(span.start);
    let line = lines.find((l) => l.key === key);
    if (!line) lines.push((line = { key, day: weekday.format(span.start), ranges: [] }));
    line.ranges.push(`${time.format(span.start)}–${time.format(span.end)}`);
  }
  return lines.map((l) => ({ day: capitalise(l.day, locale), ranges: l.ranges.join(', ') }));
}

/** When the channel opens next, in the customer's words: "today 09:00", "tomorrow 08:00", "Monday 08:00". */
export function opensAt(at: number, now: number, locale: string, timeZone?: string): string {
  const zone = timeZone ? { timeZone } : {};
  const dayKey = new Intl.DateTimeFormat('en-CA', { ...zone, year: 'numeric', month: '2-digit', day: '2-digit' });
  const days = Math.round((Date.parse(dayKey.format(at)) - Date.parse(dayKey.format(now))) / 86_400_000);
  const day =
    days === 0 || days === 1
      ? new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }).format(days, 'day')
      : new Intl.DateTimeFormat(locale, { ...zone, weekday: 'long', ...(days >= 7 ? { day: 'numeric', month: 'long' } : {}) }).format(at);
  return `${day} ${clockFormat(locale, timeZone).format(at)}`;
}

function clockFormat(locale: string, timeZone?: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat(locale, { ...(timeZone ? { timeZone } : {}), hour: '2-digit', minute: '2-digit' });
}

function capitalise(s: string, locale: string): string {
  return s.charAt(0).toLocaleUpperCase(locale) + s.slice(1);
}
