import { useRef, useState } from 'preact/hooks';
import type { AdminChannel, ChannelPostchatSettings, ReplyTemplate } from '@loket/protocol';
import { LANGUAGE_ENDONYMS, fieldOf, samePostchat } from '../../state/admin.js';
import { useConsole } from '../hooks.js';
import { CheckField, FormField, type Loaded } from './common.js';
import { describedBy, invalid, useFieldFormAction } from './form.js';

const FIELDS = ['enabled', 'header', 'message', 'rating', 'transcript', 'transcriptTemplateId'] as const;
type Field = (typeof FIELDS)[number];

/** A channel's post-chat form settings (SPEC: enable, header, message, rating, transcript + its template). */
export function PostchatSection({
  channel,
  templates,
  onSaved,
  onDraft,
}: {
  channel: AdminChannel;
  templates: Loaded<ReplyTemplate[]>;
  onSaved(c: AdminChannel): void;
  /** Every unsaved edit, for the live preview. */
  onDraft?: (patch: Partial<AdminChannel>) => void;
}) {
  const [snap, store] = useConsole();
  const { t } = snap;
  const [saved, setSaved] = useState<ChannelPostchatSettings>(channel.postchat);
  const [form, setForm] = useState<ChannelPostchatSettings>(channel.postchat);
  const { busy, setProblem, field: problemField, errorFor, general, submit } = useFieldFormAction(FIELDS);
  const [justSaved, setJustSaved] = useState(false);
  const refs = {
    enabled: useRef<HTMLInputElement>(null),
    header: useRef<HTMLInputElement>(null),
    message: useRef<HTMLTextAreaElement>(null),
    rating: useRef<HTMLInputElement>(null),
    transcript: useRef<HTMLInputElement>(null),
    transcriptTemplateId: useRef<HTMLSelectElement>(null),
  };

  const described = (field: Field) => describedBy(`postchat-${field}`, errorFor(field));

  const change = (patch: Partial<ChannelPostchatSettings>) => {
    const next = { ...form, ...patch };
    setForm(next);
    onDraft?.({ postchat: next });
    setJustSaved(false);
    const f = problemField();
    if (f && f in patch) setProblem(null);
  };

  const save = (e: Event) =>
    submit(
      e,
      async () => {
        setJustSaved(false);
        const result = await store.http.savePostchat(channel.id, form);
        setSaved(result.postchat);
        setForm((f) => (samePostchat(f, form) ? result.postchat : f));
        setJustSaved(true);
        onSaved(result);
      },
      (p) => {
        const f = FIELDS.find((x) => x === fieldOf(p.field));
        if (f) refs[f].current?.focus();
      },
    );

  const list = templates.data ?? [];
  const chosen = form.transcriptTemplateId;
  const unknownChoice = chosen !== null && templates.data !== null && !list.some((x) => x.id === chosen);
  const dirty = !samePostchat(form, saved);

  return (
    <section class="settings-section" aria-labelledby="postchat-heading" data-testid="postchat-section">
      <h3 id="postchat-heading">{t('postchat.heading')}</h3>
      <p class="hint">{t('postchat.intro')}</p>
      <form class="admin-form" onSubmit={save} noValidate aria-labelledby="postchat-heading">
        <CheckField id="postchat-enabled" label={t('postchat.enabled')} field="enabled" errorTestId="postchat-error" problem={errorFor('enabled')}>
          <input
            id="postchat-enabled"
            ref={refs.enabled}
            type="checkbox"
            data-testid="postchat-enabled"
            checked={form.enabled}
            aria-invalid={invalid(errorFor('enabled'))}
            aria-describedby={described('enabled')}
            onChange={(e) => change({ enabled: e.currentTarget.checked })}
          />
        </CheckField>
        <FormField id="postchat-header" label={t('postchat.header')} field="header" errorTestId="postchat-error" problem={errorFor('header')}>
          <input
            id="postchat-header"
            ref={refs.header}
            type="text"
            data-testid="postchat-header"
            value={form.header}
            placeholder={t('postchat.default')}
            aria-invalid={invalid(errorFor('header'))}
            aria-describedby={described('header')}
            onInput={(e) => change({ header: e.currentTarget.value })}
          />
        </FormField>
        <FormField id="postchat-message" label={t('postchat.message')} field="message" errorTestId="postchat-error" problem={errorFor('message')}>
          <textarea
            id="postchat-message"
            ref={refs.message}
            data-testid="postchat-message"
            rows={4}
            value={form.message}
            placeholder={t('postchat.default')}
            aria-invalid={invalid(errorFor('message'))}
            aria-describedby={described('message')}
            onInput={(e) => change({ message: e.currentTarget.value })}
          />
        </FormField>
        <CheckField id="postchat-rating" label={t('postchat.rating')} field="rating" errorTestId="postchat-error" problem={errorFor('rating')}>
          <input
            id="postchat-rating"
            ref={refs.rating}
            type="checkbox"
            data-testid="postchat-rating"
            checked={form.rating}
            aria-invalid={invalid(errorFor('rating'))}
            aria-describedby={described('rating')}
            onChange={(e) => change({ rating: e.currentTarget.checked })}
          />
        </CheckField>
        <CheckField id="postchat-transcript" label={t('postchat.transcript')} field="transcript" errorTestId="postchat-error" problem={errorFor('transcript')}>
          <input
            id="postchat-transcript"
            ref={refs.transcript}
            type="checkbox"
            data-testid="postchat-transcript"
            checked={form.transcript}
            aria-invalid={invalid(errorFor('transcript'))}
            aria-describedby={described('transcript')}
            onChange={(e) => change({ transcript: e.currentTarget.checked })}
          />
        </CheckField>
        <FormField id="postchat-template" label={t('postchat.template')} errorId="postchat-transcriptTemplateId-error" field="transcriptTemplateId" errorTestId="postchat-error" problem={errorFor('transcriptTemplateId')}>
          <select
            id="postchat-template"
            ref={refs.transcriptTemplateId}
            data-testid="postchat-template"
            value={chosen ?? ''}
            aria-invalid={invalid(errorFor('transcriptTemplateId'))}
            aria-describedby={describedBy('postchat-transcriptTemplateId', errorFor('transcriptTemplateId'), templates.problem ? 'postchat-templates-error' : undefined)}
            onChange={(e) => change({ transcriptTemplateId: e.currentTarget.value === '' ? null : e.currentTarget.value })}
          >
            <option value="">{t('postchat.builtin')}</option>
            {list.map((tpl) => (
              <option key={tpl.id} value={tpl.id}>
                {tpl.name} ({LANGUAGE_ENDONYMS[tpl.language]})
              </option>
            ))}
            {/* Keep a choice the list does not (yet) know, rather than silently switching to the built-in one. */}
            {(unknownChoice || (chosen !== null && templates.data === null)) && <option value={chosen}>{t('postchat.unknownTemplate', { id: chosen })}</option>}
          </select>
          {templates.problem && (
            <p id="postchat-templates-error" class="hint">
              {t('postchat.templatesError')}
            </p>
          )}
        </FormField>
        {general && (
          <p class="error" role="alert" data-testid="postchat-error">
            {store.session.problemText(general)}
          </p>
        )}
        <div class="form-actions">
          <button type="submit" class="primary" data-testid="postchat-save" disabled={busy}>
            {busy ? t('admin.saving') : t('admin.save')}
          </button>
          <span class="ok" role="status" data-testid="postchat-saved">
            {justSaved && !dirty ? t('admin.saved') : ''}
          </span>
        </div>
      </form>
    </section>
  );
}
