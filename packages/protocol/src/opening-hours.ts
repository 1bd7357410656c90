import * as z from 'zod/mini';

/**
 * A channel's opening hours: intervals per weekday in the channel's IANA time zone, plus dated exceptions. An interval
 * whose `to` is not after its `from` runs past midnight into the next day ("22:00"–"02:00"); "00:00"–"00:00" is the
 * whole day. Daylight-saving changes are the server's job (it computes concrete instants); clients only format them.
 */

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export const WeekdaySchema = z.enum(WEEKDAYS);
export type Weekday = z.infer<typeof WeekdaySchema>;

/** "HH:MM", 24-hour. */
export const CLOCK_TIME_PATTERN = /^([01]\d|2[0-3]):[0-5]\d$/;
export const ClockTimeSchema = z.string().check(z.regex(CLOCK_TIME_PATTERN));

export const HoursIntervalSchema = z.strictObject({ from: ClockTimeSchema, to: ClockTimeSchema });
export type HoursInterval = z.infer<typeof HoursIntervalSchema>;

export const OPENING_HOURS_LIMITS = { intervalsPerDay: 6, exceptions: 200, note: 200 } as const;

const DayIntervals = z.array(HoursIntervalSchema).check(z.maxLength(OPENING_HOURS_LIMITS.intervalsPerDay));

export const HoursExceptionSchema = z.strictObject({
  /** "YYYY-MM-DD" in the channel's time zone. */
  date: z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/)),
  /** Empty = closed all day (a holiday); otherwise these hours replace the weekday's. */
  intervals: DayIntervals,
  /** For administrators, e.g. "Christmas". */
  note: z.string().check(z.maxLength(OPENING_HOURS_LIMITS.note)),
});
export type HoursException = z.infer<typeof HoursExceptionSchema>;

/** PUT /api/admin/channels/:id/opening-hours; AdminChannel.openingHours. */
export const OpeningHoursSchema = z.strictObject({
  /** Off = always open (availability then depends on present agents only). */
  enabled: z.boolean(),
  /** IANA time zone, e.g. "Europe/Amsterdam". */
  timeZone: z.string().check(z.minLength(1), z.maxLength(64)),
  week: z.strictObject({
    mon: DayIntervals,
    tue: DayIntervals,
    wed: DayIntervals,
    thu: DayIntervals,
    fri: DayIntervals,
    sat: DayIntervals,
    sun: DayIntervals,
  }),
  exceptions: z.array(HoursExceptionSchema).check(z.maxLength(OPENING_HOURS_LIMITS.exceptions)),
});
export type OpeningHours = z.infer<typeof OpeningHoursSchema>;

/** A concrete opening, as epoch milliseconds (the widget formats it in the customer's own zone). */
export const OpenSpanSchema = z.strictObject({ start: z.number(), end: z.number() });
export type OpenSpan = z.infer<typeof OpenSpanSchema>;

/** Why a channel cannot take a chat right now. */
export const UNAVAILABLE_REASONS = ['closed', 'no_agents'] as const;
export const UnavailableReasonSchema = z.enum(UNAVAILABLE_REASONS);
export type UnavailableReason = z.infer<typeof UnavailableReasonSchema>;

/** WidgetConfig.availability: computed by the server at request time (and pushed to waiting visitors on change). */
export const AvailabilitySchema = z.strictObject({
  /** Within opening hours AND at least one agent who can respond is present. */
  available: z.boolean(),
  /** null when available. */
  reason: z.nullable(UnavailableReasonSchema),
  /** False when the channel has no opening hours (always open). */
  hasHours: z.boolean(),
  /** The next time the channel opens (start of the next span), null when open now or never. */
  nextOpenAt: z.nullable(z.number()),
  /** The openings of the coming 7 days (from now), to show "our hours in your time". */
  upcoming: z.array(OpenSpanSchema),
});
export type Availability = z.infer<typeof AvailabilitySchema>;
