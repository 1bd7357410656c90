import { useEffect, useRef, useState } from 'preact/hooks';
import { OPENING_HOURS_LIMITS, WEEKDAYS, type AdminChannel, type Availability, type HoursException, type HoursInterval, type OpeningHours, type Weekday } from '@loket/protocol';
import type { Problem } from '../../state/store.js';
import { useConsole } from '../hooks.js';
import { FieldError } from './common.js';
import { invalid, useFormAction } from './form.js';

const WORKDAYS: Weekday[] = ['tue', 'wed', 'thu', 'fri'];
const NEW_INTERVAL: HoursInterval = { from: '09:00', to: '17:00' };
/** Typing a time fires on every digit: ask the server once the administrator pauses. */
const PREVIEW_DELAY_MS = 300;

function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'Europe/Amsterdam';
}

/** Never saved: the server's default is Amsterdam, a new administrator more likely means their own zone. */
function initialHours(hours: OpeningHours): OpeningHours {
  const untouched = !hours.enabled && hours.exceptions.length === 0 && WEEKDAYS.every((d) => hours.week[d].length === 0);
  return untouched ? { ...hours, timeZone: browserTimeZone() } : hours;
}

function allTimeZones(current: string): string[] {
  const zones = Intl.supportedValuesOf('timeZone');
  return zones.includes(current) ? zones : [current, ...zones];
}

function fieldIds(path: string): string {
  return `hours-${path.replace(/\./g, '-')}`;
}

/** The status line ("Open now", "Opens Monday 30 November 08:00") for the saved hours, in their time zone, as the server computes it. */
function AvailabilityLine({ availability, timeZone }: { availability: Availability | null; timeZone: string }) {
  const [snap] = useConsole();
  const { t } = snap;
  if (!availability) return null;
  let text: string;
  if (!availability.hasHours) text = t('hours.statusAlways');
  else if (availability.reason === 'closed') {
    text =
      availability.nextOpenAt === null
        ? t('hours.statusClosed')
        : t('hours.statusOpens', { when: new Intl.DateTimeFormat(snap.lang, { weekday: 'long', day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit', timeZone }).format(availability.nextOpenAt) });
  } else text = t('hours.statusOpen');
  return (
    <p class="hint" data-testid="hours-status">
      {text}
      {availability.reason === 'no_agents' ? ` ${t('hours.statusNoAgents')}` : ''}
    </p>
  );
}

/** Opening hours (SPEC "Chat channels"): a weekly view in the channel's time zone plus dated exceptions. */
export function OpeningHoursSection({
  channel,
  onSaved,
  onDraft,
  onHours,
}: {
  channel: AdminChannel;
  onSaved(c: AdminChannel): void;
  onDraft?: (patch: Partial<AdminChannel>) => void;
  /** The server's availability for the current (unsaved) hours, for the live preview. */
  onHours?: (availability: Availability | null) => void;
}) {
  const [snap, store] = useConsole();
  const { t } = snap;
  const [form, setForm] = useState<OpeningHours>(() => initialHours(channel.openingHours));
  const [saved, setSaved] = useState<string>(JSON.stringify(channel.openingHours));
  const [availability, setAvailability] = useState<Availability | null>(null);
  const [justSaved, setJustSaved] = useState(false);
  const { busy, problem, setProblem, submit } = useFormAction();
  const inputs = useRef(new Map<string, HTMLElement>());

  const refresh = (): void => {
    store.http.channelAvailability(channel.id).then(setAvailability, () => setAvailability(null));
  };
  useEffect(refresh, [channel.id]);

  // The preview follows the draft: the server computes its openings (time zones and DST are its job). An invalid
  // draft keeps the last valid preview; the error shows when the administrator saves.
  useEffect(() => {
    if (!onHours) return;
    let current = true;
    const timer = setTimeout(() => {
      store.http.previewAvailability(channel.id, form).then(
        (a) => current && onHours(a),
        () => undefined,
      );
    }, PREVIEW_DELAY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [channel.id, form]);

  const paths = new Set<string>();
  const errorAt = (path: string): Problem | null => {
    paths.add(path);
    return problem && problem.field === path ? problem : null;
  };
  const bind = (path: string) => {
    const error = errorAt(path);
    return {
      id: fieldIds(path),
      'data-path': path,
      ref: (el: HTMLElement | null) => {
        if (el) inputs.current.set(path, el);
        else inputs.current.delete(path);
      },
      'aria-invalid': invalid(error),
      'aria-describedby': error ? `${fieldIds(path)}-error` : undefined,
    };
  };
  const error = (path: string) => <FieldError id={`${fieldIds(path)}-error`} field={path} testId="hours-error" problem={errorAt(path)} />;

  const change = (next: OpeningHours): void => {
    setForm(next);
    setJustSaved(false);
    setProblem(null);
    onDraft?.({ openingHours: next });
  };
  const setDay = (day: Weekday, intervals: HoursInterval[]): void => change({ ...form, week: { ...form.week, [day]: intervals } });
  const setException = (index: number, patch: Partial<HoursException>): void =>
    change({ ...form, exceptions: form.exceptions.map((x, i) => (i === index ? { ...x, ...patch } : x)) });

  const save = (e: Event) =>
    submit(
      e,
      async () => {
        setJustSaved(false);
        const result = await store.http.saveOpeningHours(channel.id, form);
        setSaved(JSON.stringify(result.openingHours));
        setJustSaved(true);
        onSaved(result);
        refresh();
      },
      (p) => {
        if (p.field) inputs.current.get(p.field)?.focus();
      },
    );

  /** Intervals of a weekday or an exception, each as from–to time inputs. */
  const intervalsEditor = (base: string, label: string, intervals: HoursInterval[], set: (next: HoursInterval[]) => void) => (
    <>
      {intervals.length === 0 && (
        <span class="hint" data-testid="hours-closed">
          {t('hours.closed')}
        </span>
      )}
      {intervals.map((interval, i) => (
        <span class="hours-interval" key={i} data-testid="hours-interval">
          <label class="visually-hidden" for={fieldIds(`${base}.${i}.from`)}>
            {t('hours.from', { day: label, n: i + 1 })}
          </label>
          <input type="time" step={60} value={interval.from} {...bind(`${base}.${i}.from`)} onInput={(e) => set(intervals.map((x, j) => (j === i ? { ...x, from: e.currentTarget.value } : x)))} />
          <span aria-hidden="true">–</span>
          <label class="visually-hidden" for={fieldIds(`${base}.${i}.to`)}>
            {t('hours.to', { day: label, n: i + 1 })}
          </label>
          <input type="time" step={60} value={interval.to} {...bind(`${base}.${i}.to`)} onInput={(e) => set(intervals.map((x, j) => (j === i ? { ...x, to: e.currentTarget.value } : x)))} />
          <button type="button" class="link" onClick={() => set(intervals.filter((_, j) => j !== i))} aria-label={t('hours.removeInterval', { day: label, n: i + 1 })}>
            {t('hours.remove')}
          </button>
          {error(`${base}.${i}.from`)}
          {error(`${base}.${i}.to`)}
        </span>
      ))}
      {intervals.length < OPENING_HOURS_LIMITS.intervalsPerDay && (
        <button type="button" class="link" data-testid="hours-add" onClick={() => set([...intervals, intervals.length === 0 ? NEW_INTERVAL : { from: '13:00', to: '17:00' }])} aria-label={t('hours.addInterval', { day: label })}>
          {t('hours.add')}
        </button>
      )}
    </>
  );

  const dirty = JSON.stringify(form) !== saved;
  const general = problem && (problem.field === null || !paths.has(problem.field)) ? problem : null;

  return (
    <section class="settings-section" aria-labelledby="hours-heading" data-testid="hours-section">
      <h3 id="hours-heading">{t('hours.heading')}</h3>
      <p class="hint">{t('hours.intro')}</p>
      <AvailabilityLine availability={availability} timeZone={channel.openingHours.timeZone} />
      <form class="admin-form" onSubmit={save} noValidate aria-labelledby="hours-heading">
        <div class="check">
          <input type="checkbox" data-testid="hours-enabled" checked={form.enabled} {...bind('enabled')} onChange={(e) => change({ ...form, enabled: e.currentTarget.checked })} />
          <label for={fieldIds('enabled')}>{t('hours.enabled')}</label>
          {error('enabled')}
        </div>
        <div class="field">
          <label for={fieldIds('timeZone')}>{t('hours.timeZone')}</label>
          <select data-testid="hours-timezone" value={form.timeZone} {...bind('timeZone')} onChange={(e) => change({ ...form, timeZone: e.currentTarget.value })}>
            {allTimeZones(form.timeZone).map((zone) => (
              <option key={zone} value={zone}>
                {zone}
              </option>
            ))}
          </select>
          {error('timeZone')}
        </div>
        <fieldset class="form-group" data-testid="hours-week">
          <legend>{t('hours.week')}</legend>
          <table class="hours-week">
            <tbody>
              {WEEKDAYS.map((day) => (
                <tr key={day} data-testid={`hours-day-${day}`}>
                  <th scope="row">{t(`hours.day.${day}`)}</th>
                  <td>
                    <div class="hours-day">{intervalsEditor(`week.${day}`, t(`hours.day.${day}`), form.week[day], (next) => setDay(day, next))}</div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <button
            type="button"
            data-testid="hours-copy-monday"
            onClick={() => change({ ...form, week: { ...form.week, ...Object.fromEntries(WORKDAYS.map((d) => [d, form.week.mon])) } })}
          >
            {t('hours.copyMonday')}
          </button>
        </fieldset>
        <fieldset class="form-group" data-testid="hours-exceptions">
          <legend>{t('hours.exceptions')}</legend>
          <p class="hint">{t('hours.exceptionsHint')}</p>
          {form.exceptions.map((exception, index) => {
            const label = exception.date || t('hours.exceptionN', { n: index + 1 });
            return (
              <div class="hours-exception" key={index} data-testid="hours-exception">
                <div class="field">
                  <label for={fieldIds(`exceptions.${index}.date`)}>{t('hours.date')}</label>
                  <input type="date" value={exception.date} {...bind(`exceptions.${index}.date`)} onInput={(e) => setException(index, { date: e.currentTarget.value })} />
                  {error(`exceptions.${index}.date`)}
                </div>
                <div class="field">
                  <label for={fieldIds(`exceptions.${index}.note`)}>{t('hours.note')}</label>
                  <input type="text" maxLength={OPENING_HOURS_LIMITS.note} value={exception.note} {...bind(`exceptions.${index}.note`)} onInput={(e) => setException(index, { note: e.currentTarget.value })} />
                  {error(`exceptions.${index}.note`)}
                </div>
                <div class="field">
                  <span>{t('hours.exceptionHours')}</span>{' '}
                  {intervalsEditor(`exceptions.${index}.intervals`, label, exception.intervals, (next) => setException(index, { intervals: next }))}
                </div>
                <button type="button" class="link" onClick={() => change({ ...form, exceptions: form.exceptions.filter((_, i) => i !== index) })} aria-label={t('hours.removeException', { date: label })}>
                  {t('hours.remove')}
                </button>
              </div>
            );
          })}
          {form.exceptions.length < OPENING_HOURS_LIMITS.exceptions && (
            <button type="button" data-testid="hours-add-exception" onClick={() => change({ ...form, exceptions: [...form.exceptions, { date: '', intervals: [], note: '' }] })}>
              {t('hours.addException')}
            </button>
          )}
        </fieldset>
        {general && (
          <p class="error" role="alert" data-testid="hours-error">
            {store.session.problemText(general)}
          </p>
        )}
        <div class="form-actions">
          <button type="submit" class="primary" data-testid="hours-save" disabled={busy}>
            {busy ? t('admin.saving') : t('admin.save')}
          </button>
          <span class="ok" role="status" data-testid="hours-saved">
            {justSaved && !dirty ? t('admin.saved') : ''}
          </span>
        </div>
      </form>
    </section>
  );
}
