import { describe, expect, it } from 'vitest';
import { hoursLines, opensAt } from '../src/frame/hours.js';

const at = (iso: string) => Date.parse(iso);

describe('opening hours in the customer’s own time', () => {
  // Amsterdam Monday 09:00–12:00 and 13:00–17:00 (UTC+1 in November), Tuesday 09:00–17:00.
  const upcoming = [
    { start: at('2026-11-24T08:00:00Z'), end: at('2026-11-24T16:00:00Z') },
    { start: at('2026-11-23T08:00:00Z'), end: at('2026-11-23T11:00:00Z') },
    { start: at('2026-11-23T12:00:00Z'), end: at('2026-11-23T16:00:00Z') },
  ];

  it('groups spans per local weekday, in order, in the channel’s own zone', () => {
    expect(hoursLines(upcoming, 'en-GB', 'Europe/Amsterdam')).toEqual([
      { day: 'Monday', ranges: '09:00–12:00, 13:00–17:00' },
      { day: 'Tuesday', ranges: '09:00–17:00' },
    ]);
  });

  it('converts to the customer’s zone and language', () => {
    expect(hoursLines(upcoming, 'en-GB', 'America/New_York')).toEqual([
      { day: 'Monday', ranges: '03:00–06:00, 07:00–11:00' },
      { day: 'Tuesday', ranges: '03:00–11:00' },
    ]);
    expect(hoursLines(upcoming, 'nl-NL', 'Asia/Tokyo')).toEqual([
      { day: 'Maandag', ranges: '17:00–20:00, 21:00–01:00' },
      { day: 'Dinsdag', ranges: '17:00–01:00' },
    ]);
  });

  it('moves a span to the previous local day when the customer is far enough west', () => {
    const early = [{ start: at('2026-11-24T03:00:00Z'), end: at('2026-11-24T05:00:00Z') }];
    expect(hoursLines(early, 'en-GB', 'America/Los_Angeles')).toEqual([{ day: 'Monday', ranges: '19:00–21:00' }]);
  });

  it('says when it opens next: today, tomorrow, or the weekday', () => {
    const now = at('2026-11-23T05:00:00Z');
    expect(opensAt(at('2026-11-23T08:00:00Z'), now, 'en-GB', 'Europe/Amsterdam')).toBe('today 09:00');
    expect(opensAt(at('2026-11-24T08:00:00Z'), now, 'en-GB', 'Europe/Amsterdam')).toBe('tomorrow 09:00');
    expect(opensAt(at('2026-11-26T08:00:00Z'), now, 'en-GB', 'Europe/Amsterdam')).toBe('Thursday 09:00');
    expect(opensAt(at('2026-11-24T08:00:00Z'), now, 'nl-NL', 'America/New_York')).toBe('morgen 03:00');
  });
});
