import type { HoursInterval, OpeningHours } from '@loket/protocol';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/domain/errors.js';
import { isOpenAt, nextOpenAt, spansBetween, validateOpeningHours } from '../../src/domain/opening-hours.js';

const HOUR = 3_600_000;
const none: HoursInterval[] = [];

function hours(timeZone: string, all: HoursInterval[], patch: Partial<OpeningHours> = {}): OpeningHours {
  return {
    enabled: true,
    timeZone,
    week: { mon: all, tue: all, wed: all, thu: all, fri: all, sat: all, sun: all },
    exceptions: [],
    ...patch,
  };
}

function weekdays(intervals: HoursInterval[], timeZone = 'Europe/Amsterdam'): OpeningHours {
  return hours(timeZone, none, { week: { mon: intervals, tue: intervals, wed: intervals, thu: intervals, fri: intervals, sat: none, sun: none } });
}

const at = (iso: string): number => Date.parse(iso);
const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** The spans that start on a UTC day, as ISO strings. */
function spansOf(h: OpeningHours, fromIso: string, toIso: string): [string, string][] {
  return spansBetween(h, at(fromIso), at(toIso)).map((s) => [new Date(s.start).toISOString(), new Date(s.end).toISOString()]);
}

function fieldOf(h: OpeningHours): string | undefined {
  try {
    validateOpeningHours(h);
  } catch (err) {
    if (err instanceof AppError) return `${err.code}:${err.field ?? ''}`;
    throw err;
  }
  return undefined;
}

describe('opening hours across daylight-saving changes', () => {
  it('Europe/Amsterdam spring forward (2026-03-29): 09:00–17:00 is 7 hours, 02:30 starts when the clocks jump', () => {
    const day = hours('Europe/Amsterdam', [{ from: '09:00', to: '17:00' }]);
    expect(spansOf(day, '2026-03-29T00:00:00Z', '2026-03-29T20:00:00Z')).toEqual([['2026-03-29T07:00:00.000Z', '2026-03-29T15:00:00.000Z']]);
    const night = hours('Europe/Amsterdam', [{ from: '00:00', to: '04:00' }]);
    const [span] = spansBetween(night, at('2026-03-28T23:30:00Z'), at('2026-03-29T01:00:00Z'));
    // 00:00 CET = 23:00Z, 04:00 CEST = 02:00Z: 3 hours instead of 4.
    expect(span && (span.end - span.start) / HOUR).toBe(3);
    const gap = hours('Europe/Amsterdam', [{ from: '02:30', to: '05:00' }]);
    expect(spansOf(gap, '2026-03-29T00:00:00Z', '2026-03-29T05:00:00Z')).toEqual([['2026-03-29T01:00:00.000Z', '2026-03-29T03:00:00.000Z']]);
    expect(isOpenAt(gap, at('2026-03-29T00:59:00Z'))).toBe(false);
    expect(isOpenAt(gap, at('2026-03-29T01:00:00Z'))).toBe(true);
  });

  it('Europe/Amsterdam fall back (2026-10-25): 00:00–04:00 is 5 hours, 02:30 means its first occurrence', () => {
    const night = hours('Europe/Amsterdam', [{ from: '00:00', to: '04:00' }]);
    const [span] = spansBetween(night, at('2026-10-24T22:30:00Z'), at('2026-10-25T01:00:00Z'));
    expect(iso(span?.start ?? null)).toBe('2026-10-24T22:00:00.000Z');
    expect(span && (span.end - span.start) / HOUR).toBe(5);
    const ambiguous = hours('Europe/Amsterdam', [{ from: '02:30', to: '06:00' }]);
    // 02:30 CEST (first occurrence) = 00:30Z; 06:00 CET = 05:00Z.
    expect(spansOf(ambiguous, '2026-10-25T00:00:00Z', '2026-10-25T06:00:00Z')).toEqual([['2026-10-25T00:30:00.000Z', '2026-10-25T05:00:00.000Z']]);
    const day = hours('Europe/Amsterdam', [{ from: '09:00', to: '17:00' }]);
    expect(spansOf(day, '2026-10-25T00:00:00Z', '2026-10-25T20:00:00Z')).toEqual([['2026-10-25T08:00:00.000Z', '2026-10-25T16:00:00.000Z']]);
  });

  it('America/New_York spring forward (2026-03-08) and fall back (2026-11-01)', () => {
    const night = hours('America/New_York', [{ from: '01:00', to: '04:00' }]);
    const [spring] = spansBetween(night, at('2026-03-08T06:00:00Z'), at('2026-03-08T07:00:00Z'));
    expect(spring && (spring.end - spring.start) / HOUR).toBe(2);
    const [fall] = spansBetween(night, at('2026-11-01T05:00:00Z'), at('2026-11-01T06:00:00Z'));
    expect(fall && (fall.end - fall.start) / HOUR).toBe(4);
    const gap = hours('America/New_York', [{ from: '02:15', to: '03:30' }]);
    // 02:15 does not exist: opens at 03:00 EDT = 07:00Z.
    expect(spansOf(gap, '2026-03-08T05:00:00Z', '2026-03-08T09:00:00Z')).toEqual([['2026-03-08T07:00:00.000Z', '2026-03-08T07:30:00.000Z']]);
    const day = hours('America/New_York', [{ from: '09:00', to: '17:00' }]);
    expect(spansOf(day, '2026-11-01T10:00:00Z', '2026-11-01T23:00:00Z')).toEqual([['2026-11-01T14:00:00.000Z', '2026-11-01T22:00:00.000Z']]);
  });
});

describe('opening hours rules', () => {
  it('an interval past midnight keeps the channel open into the next day', () => {
    const late = hours('Europe/Amsterdam', none, { week: { ...weekdays([]).week, mon: [{ from: '22:00', to: '02:00' }] } });
    // Tuesday 2026-11-24 01:00 Amsterdam = 00:00Z, after Monday's interval.
    expect(isOpenAt(late, at('2026-11-24T00:00:00Z'))).toBe(true);
    expect(isOpenAt(late, at('2026-11-24T01:30:00Z'))).toBe(false);
    expect(spansOf(late, '2026-11-23T00:00:00Z', '2026-11-25T00:00:00Z')).toEqual([['2026-11-23T21:00:00.000Z', '2026-11-24T01:00:00.000Z']]);
    // The interval belongs to Monday: a holiday on Tuesday closes Tuesday's own hours only.
    const holiday = { ...late, exceptions: [{ date: '2026-11-24', intervals: [], note: '' }] };
    expect(isOpenAt(holiday, at('2026-11-24T00:00:00Z'))).toBe(true);
  });

  it('merges whole days across midnight', () => {
    const always = hours('Europe/Amsterdam', [{ from: '00:00', to: '00:00' }]);
    const spans = spansBetween(always, at('2026-11-23T12:00:00Z'), at('2026-11-26T12:00:00Z'));
    expect(spans).toHaveLength(1);
  });

  it('a lunch break closes the channel and nextOpenAt is after it', () => {
    const lunch = weekdays([
      { from: '09:00', to: '12:00' },
      { from: '13:00', to: '17:00' },
    ]);
    // Wednesday 2026-11-25, Amsterdam is UTC+1.
    expect(isOpenAt(lunch, at('2026-11-25T11:30:00Z'))).toBe(false);
    expect(iso(nextOpenAt(lunch, at('2026-11-25T11:30:00Z')))).toBe('2026-11-25T12:00:00.000Z');
    expect(isOpenAt(lunch, at('2026-11-25T10:59:00Z'))).toBe(true);
    expect(nextOpenAt(lunch, at('2026-11-25T10:59:00Z'))).toBeNull();
  });

  it('nextOpenAt over a weekend is Monday morning', () => {
    const office = weekdays([{ from: '09:00', to: '17:00' }]);
    // Friday 2026-11-27 18:00 Amsterdam.
    expect(iso(nextOpenAt(office, at('2026-11-27T17:00:00Z')))).toBe('2026-11-30T08:00:00.000Z');
  });

  it('a holiday exception closes a Monday and special hours replace a day', () => {
    const office = weekdays([{ from: '09:00', to: '17:00' }]);
    const holiday: OpeningHours = {
      ...office,
      exceptions: [
        { date: '2026-11-30', intervals: [], note: 'Holiday' },
        { date: '2026-12-01', intervals: [{ from: '12:00', to: '14:00' }], note: 'Short day' },
      ],
    };
    expect(isOpenAt(holiday, at('2026-11-30T10:00:00Z'))).toBe(false);
    expect(iso(nextOpenAt(holiday, at('2026-11-27T17:00:00Z')))).toBe('2026-12-01T11:00:00.000Z');
    expect(spansOf(holiday, '2026-12-01T00:00:00Z', '2026-12-02T00:00:00Z')).toEqual([['2026-12-01T11:00:00.000Z', '2026-12-01T13:00:00.000Z']]);
  });

  it('hours that are switched off are always open', () => {
    const off = { ...weekdays([{ from: '09:00', to: '10:00' }]), enabled: false };
    expect(isOpenAt(off, at('2026-11-29T03:00:00Z'))).toBe(true);
    expect(nextOpenAt(off, at('2026-11-29T03:00:00Z'))).toBeNull();
  });
});

describe('validateOpeningHours', () => {
  it('accepts a normal week', () => {
    expect(fieldOf(weekdays([{ from: '09:00', to: '12:00' }, { from: '13:00', to: '17:00' }]))).toBeUndefined();
    expect(fieldOf(hours('UTC', [{ from: '00:00', to: '00:00' }]))).toBeUndefined();
  });

  it('refuses wrong values at their field', () => {
    expect(fieldOf(hours('Mars/Olympus', none))).toBe('validation_failed:timeZone');
    const overlap = weekdays([{ from: '09:00', to: '12:00' }, { from: '11:00', to: '17:00' }]);
    expect(fieldOf(overlap)).toBe('validation_failed:week.mon.1.from');
    const empty = weekdays([{ from: '09:00', to: '12:00' }, { from: '13:00', to: '13:00' }]);
    expect(fieldOf(empty)).toBe('validation_failed:week.mon.1.to');
    const spill: OpeningHours = { ...weekdays([]), week: { ...weekdays([]).week, sun: [{ from: '22:00', to: '03:00' }], mon: [{ from: '02:00', to: '08:00' }] } };
    expect(fieldOf(spill)).toBe('validation_failed:week.mon.0.from');
    const badDate = { ...weekdays([]), exceptions: [{ date: '2026-02-30', intervals: [], note: '' }] };
    expect(fieldOf(badDate)).toBe('validation_failed:exceptions.0.date');
    const twice = {
      ...weekdays([]),
      exceptions: [
        { date: '2026-12-25', intervals: [], note: '' },
        { date: '2026-12-25', intervals: [], note: '' },
      ],
    };
    expect(fieldOf(twice)).toBe('validation_failed:exceptions.1.date');
  });
});
