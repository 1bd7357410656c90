import { useRef, useState } from 'preact/hooks';
import { FIELD_MODES, REQUEST_PRIORITIES, type AdminChannel, type ChannelOfflineInput, type FieldMode, type RequestPriority } from '@loket/protocol';
import { fieldOf, sameOffline } from '../../state/admin.js';
import { useConsole } from '../hooks.js';
import { FieldError } from './common.js';
import { describedBy, invalid, useFieldFormAction } from './form.js';

const FIELDS = ['header', 'message', 'requests', 'category', 'priority', 'name', 'phone', 'company'] as const;
type Field = (typeof FIELDS)[number];
const MODES = ['name', 'phone', 'company'] as const;

/** The offline form (SPEC "Chat channels"). Stored and validated now; the offline issue makes the widget use it. */
export function OfflineSection({ channel, onSaved, onDraft }: { channel: AdminChannel; onSaved(c: AdminChannel): void; onDraft?: (patch: Partial<AdminChannel>) => void }) {
  const [snap, store] = useConsole();
  const { t } = snap;
  const [saved, setSaved] = useState<ChannelOfflineInput>(channel.offline);
  const [form, setForm] = useState<ChannelOfflineInput>(channel.offline);
  const { busy, setProblem, field: problemField, errorFor, general, submit } = useFieldFormAction(FIELDS);
  const [justSaved, setJustSaved] = useState(false);
  const refs = useRef<Partial<Record<Field, HTMLElement | null>>>({});
  const latest = useRef(form);
  latest.current = form;

  const aria = (f: Field, hint?: string) => ({
    'aria-invalid': invalid(errorFor(f)),
    'aria-describedby': describedBy(`offline-${f}`, errorFor(f), hint),
  });
  const error = (f: Field) => <FieldError id={`offline-${f}-error`} field={f} testId="offline-error" problem={errorFor(f)} />;
  const ref = (f: Field) => (el: HTMLElement | null) => {
    refs.current[f] = el;
  };

  const change = (patch: Partial<ChannelOfflineInput>) => {
    const next = { ...form, ...patch };
    setForm(next);
    setJustSaved(false);
    const f = problemField();
    if (f && f in patch) setProblem(null);
    onDraft?.({ offline: next });
  };

  const save = (e: Event) =>
    submit(
      e,
      async () => {
        setJustSaved(false);
        const result = await store.http.saveOffline(channel.id, form);
        setSaved(result.offline);
        if (sameOffline(latest.current, form)) setForm(result.offline);
        setJustSaved(true);
        onSaved(result);
      },
      (p) => {
        const f = FIELDS.find((x) => x === fieldOf(p.field));
        if (f) refs.current[f]?.focus();
      },
    );
  const dirty = !sameOffline(form, saved);

  return (
    <section class="settings-section" aria-labelledby="offline-heading" data-testid="offline-section">
      <h3 id="offline-heading">{t('offline.heading')}</h3>
      <p class="hint">{t('offline.intro')}</p>
      <form class="admin-form" onSubmit={save} noValidate aria-labelledby="offline-heading">
        <div class="field">
          <label for="offline-header">{t('offline.header')}</label>
          <input
            id="offline-header"
            ref={ref('header')}
            type="text"
            data-testid="offline-header"
            value={form.header}
            placeholder={t('offline.default')}
            {...aria('header')}
            onInput={(e) => change({ header: e.currentTarget.value })}
          />
          {error('header')}
        </div>
        <div class="field">
          <label for="offline-message">{t('offline.message')}</label>
          <textarea
            id="offline-message"
            ref={ref('message')}
            data-testid="offline-message"
            rows={3}
            value={form.message}
            placeholder={t('offline.default')}
            {...aria('message')}
            onInput={(e) => change({ message: e.currentTarget.value })}
          />
          {error('message')}
        </div>
        <div class="check">
          <input
            id="offline-requests"
            ref={ref('requests')}
            type="checkbox"
            data-testid="offline-requests"
            checked={form.requests}
            {...aria('requests', 'offline-requests-hint')}
            onChange={(e) => change({ requests: e.currentTarget.checked })}
          />
          <label for="offline-requests">{t('offline.requests')}</label>
          <p id="offline-requests-hint" class="hint">
            {t('offline.requestsHint')}
          </p>
          {error('requests')}
        </div>
        <div class="field">
          <label for="offline-category">{t('offline.category')}</label>
          <input
            id="offline-category"
            ref={ref('category')}
            type="text"
            data-testid="offline-category"
            value={form.category}
            {...aria('category')}
            onInput={(e) => change({ category: e.currentTarget.value })}
          />
          {error('category')}
        </div>
        <div class="field">
          <label for="offline-priority">{t('offline.priority')}</label>
          <select
            id="offline-priority"
            ref={ref('priority')}
            data-testid="offline-priority"
            value={form.priority}
            {...aria('priority')}
            onChange={(e) => change({ priority: e.currentTarget.value as RequestPriority })}
          >
            {REQUEST_PRIORITIES.map((p) => (
              <option key={p} value={p}>
                {t(`offline.priority.${p}`)}
              </option>
            ))}
          </select>
          {error('priority')}
        </div>
        <fieldset class="form-group">
          <legend>{t('offline.fields')}</legend>
          {MODES.map((f) => (
            <div class="field" key={f}>
              <label for={`offline-${f}`}>{t(`prechat.${f}`)}</label>
              <select id={`offline-${f}`} ref={ref(f)} data-testid={`offline-${f}`} value={form[f]} {...aria(f)} onChange={(e) => change({ [f]: e.currentTarget.value as FieldMode })}>
                {FIELD_MODES.map((m) => (
                  <option key={m} value={m}>
                    {t(`prechat.mode.${m}`)}
                  </option>
                ))}
              </select>
              {error(f)}
            </div>
          ))}
        </fieldset>
        {general && (
          <p class="error" role="alert" data-testid="offline-error">
            {store.session.problemText(general)}
          </p>
        )}
        <div class="form-actions">
          <button type="submit" class="primary" data-testid="offline-save" disabled={busy}>
            {busy ? t('admin.saving') : t('admin.save')}
          </button>
          <span class="ok" role="status" data-testid="offline-saved">
            {justSaved && !dirty ? t('admin.saved') : ''}
          </span>
        </div>
      </form>
    </section>
  );
}
