import { WEEKDAYS, type HoursInterval, type OpeningHours, type OpenSpan, type Weekday } from '@loket/protocol';
import { DateTime, IANAZone } from 'luxon';
import { AppError } from './errors.js';

/**
 * Opening hours as concrete instants. Pure: every function takes the clock as an argument.
 *
 * Daylight-saving rules (docs/availability.md):
 * - a wall time that does not exist (the spring-forward gap) starts at the first valid instant after it, i.e. the
 *   moment the clocks jump;
 * - an ambiguous wall time (the fall-back hour) means its first occurrence.
 */

export const DEFAULT_OPENING_HOURS: OpeningHours = {
  enabled: false,
  timeZone: 'Europe/Amsterdam',
  week: { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] },
  exceptions: [],
};

const DAY_MINUTES = 24 * 60;
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** How far nextOpenAt looks: a year of holidays plus a week. */
const LOOKAHEAD_DAYS = 373;

function minutesOf(clock: string): number {
  return Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));
}

/** [from, to) in minutes from the day's midnight; `to` may pass 1440 for an interval that runs into the next day. */
function minuteRange(interval: HoursInterval): [number, number] {
  const from = minutesOf(interval.from);
  const to = minutesOf(interval.to);
  return [from, to > from ? to : to + DAY_MINUTES];
}

function checkDay(intervals: HoursInterval[], path: string, spill: [number, number][]): void {
  const ranges: [number, number][] = [];
  intervals.forEach((interval, index) => {
    if (interval.from === interval.to && interval.from !== '00:00') throw new AppError('validation_failed', `${path}.${index}.to`);
    const range = minuteRange(interval);
    const clash = [...spill, ...ranges].some(([from, to]) => range[0] < to && from < range[1]);
    if (clash) throw new AppError('validation_failed', `${path}.${index}.from`);
    ranges.push(range);
  });
}

/** The part of a day's intervals that runs past midnight, as minutes of the next day. */
function spillOf(intervals: HoursInterval[]): [number, number][] {
  return intervals.map(minuteRange).filter(([, to]) => to > DAY_MINUTES).map(([, to]) => [0, to - DAY_MINUTES]);
}

export function isValidTimeZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

/** Throws validation_failed at the first wrong field (`timeZone`, `week.mon.1.to`, `exceptions.2.date`, …). */
export function validateOpeningHours(hours: OpeningHours): void {
  if (!isValidTimeZone(hours.timeZone)) throw new AppError('validation_failed', 'timeZone');
  WEEKDAYS.forEach((day, index) => {
    const previous = WEEKDAYS[(index + WEEKDAYS.length - 1) % WEEKDAYS.length] ?? day;
    checkDay(hours.week[day], `week.${day}`, spillOf(hours.week[previous]));
  });
  const seen = new Set<string>();
  hours.exceptions.forEach((exception, index) => {
    if (!DateTime.fromISO(exception.date, { zone: 'UTC' }).isValid || seen.has(exception.date)) {
      throw new AppError('validation_failed', `exceptions.${index}.date`);
    }
    seen.add(exception.date);
    checkDay(exception.intervals, `exceptions.${index}.intervals`, []);
  });
}

function offsetAt(zone: string, instant: number): number {
  return DateTime.fromMillis(instant, { zone }).offset * MINUTE;
}

/**
 * The instant of a wall time in the zone. Ambiguous: the first occurrence. Non-existent: the moment the clocks
 * jump past it (found by bisecting between the two offsets around it).
 */
export function wallTimeToInstant(zone: string, date: DateTime, minutes: number): number {
  const wall = Date.UTC(date.year, date.month - 1, date.day) + minutes * MINUTE;
  const offsets = [...new Set([offsetAt(zone, wall - DAY), offsetAt(zone, wall + DAY)])];
  const candidates = offsets.map((offset) => wall - offset).filter((instant) => wall - offsetAt(zone, instant) === instant);
  if (candidates.length > 0) return Math.min(...candidates);
  let low = Math.min(...offsets.map((offset) => wall - offset));
  let high = Math.max(...offsets.map((offset) => wall - offset));
  const before = offsetAt(zone, low);
  while (high - low > MINUTE) {
    const middle = low + Math.floor((high - low) / 2 / MINUTE) * MINUTE;
    if (offsetAt(zone, middle) === before) low = middle;
    else high = middle;
  }
  return high;
}

function intervalsOn(hours: OpeningHours, date: DateTime): HoursInterval[] {
  const iso = date.toISODate();
  const exception = hours.exceptions.find((item) => item.date === iso);
  if (exception) return exception.intervals;
  const weekday: Weekday = WEEKDAYS[date.weekday - 1] ?? 'mon';
  return hours.week[weekday];
}

/**
 * The openings that overlap [fromMs, toMs), as concrete instants, sorted and merged (an interval running past
 * midnight and the next day's morning become one span). Spans are not clipped to the window. Hours that are
 * switched off are one span covering the window: always open.
 */
export function spansBetween(hours: OpeningHours, fromMs: number, toMs: number): OpenSpan[] {
  if (!hours.enabled) return toMs > fromMs ? [{ start: fromMs, end: toMs }] : [];
  const zone = hours.timeZone;
  // A day before the window: its interval past midnight may still be open at the window's start.
  let date = DateTime.fromMillis(fromMs, { zone }).startOf('day').minus({ days: 1 });
  const last = DateTime.fromMillis(toMs, { zone }).startOf('day').plus({ days: 1 });
  const raw: OpenSpan[] = [];
  while (date <= last) {
    for (const interval of intervalsOn(hours, date)) {
      const [from, to] = minuteRange(interval);
      const start = wallTimeToInstant(zone, date, from);
      const end = to >= DAY_MINUTES ? wallTimeToInstant(zone, date.plus({ days: 1 }), to - DAY_MINUTES) : wallTimeToInstant(zone, date, to);
      if (end > start) raw.push({ start, end });
    }
    date = date.plus({ days: 1 });
  }
  raw.sort((a, b) => a.start - b.start);
  const merged: OpenSpan[] = [];
  for (const span of raw) {
    const previous = merged[merged.length - 1];
    if (previous && span.start <= previous.end) previous.end = Math.max(previous.end, span.end);
    else merged.push({ ...span });
  }
  return merged.filter((span) => span.start < toMs && span.end > fromMs);
}

export function isOpenAt(hours: OpeningHours, instant: number): boolean {
  return spansBetween(hours, instant, instant + 1).length > 0;
}

/** When the channel opens next; null when it is open at `now` or has no opening within a year. */
export function nextOpenAt(hours: OpeningHours, now: number): number | null {
  if (isOpenAt(hours, now)) return null;
  const step = 14 * DAY;
  for (let from = now; from < now + LOOKAHEAD_DAYS * DAY; from += step) {
    const next = spansBetween(hours, from, from + step).find((span) => span.start > now);
    if (next) return next.start;
  }
  return null;
}
