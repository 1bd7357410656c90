import { useRef, useState } from 'preact/hooks';
import type { AdminChannel, ChannelPostchatSettings, ReplyTemplate } from '@loket/protocol';
import { LANGUAGE_ENDONYMS, fieldOf, samePostchat } from '../../state/admin.js';
import type { Problem } from '../../state/store.js';
import { useConsole } from '../hooks.js';
import { FieldError, type Loaded } from './common.js';

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
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [justSaved, setJustSaved] = useState(false);
  const refs = {
    enabled: useRef<HTMLInputElement>(null),
    header: useRef<HTMLInputElement>(null),
    message: useRef<HTMLTextAreaElement>(null),
    rating: useRef<HTMLInputElement>(null),
    transcript: useRef<HTMLInputElement>(null),
    transcriptTemplateId: useRef<HTMLSelectElement>(null),
  };

  const problemField = (): Field | null => {
    const f = fieldOf(problem?.field);
    return FIELDS.find((x) => x === f) ?? null;
  };
  const errorFor = (field: Field): Problem | null => (problemField() === field ? problem : null);
  const general = problem && problemField() === null ? problem : null;
  const describedBy = (field: Field) => (errorFor(field) ? `postchat-${field}-error` : undefined);

  const change = (patch: Partial<ChannelPostchatSettings>) => {
    const next = { ...form, ...patch };
    setForm(next);
    onDraft?.({ postchat: next });
    setJustSaved(false);
    const f = problemField();
    if (f && f in patch) setProblem(null);
  };

  const save = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setProblem(null);
    setJustSaved(false);
    try {
      const result = await store.http.savePostchat(channel.id, form);
      setSaved(result.postchat);
      setForm((f) => (samePostchat(f, form) ? result.postchat : f));
      setJustSaved(true);
      onSaved(result);
    } catch (err) {
      const p = store.problem(err);
      setProblem(p);
      const f = FIELDS.find((x) => x === fieldOf(p.field));
      if (f) refs[f].current?.focus();
    } finally {
      setBusy(false);
    }
  };

  const list = templates.data ?? [];
  const chosen = form.transcriptTemplateId;
  const unknownChoice = chosen !== null && templates.data !== null && !list.some((x) => x.id === chosen);
  const dirty = !samePostchat(form, saved);

  return (
    <section class="settings-section" aria-labelledby="postchat-heading" data-testid="postchat-section">
      <h3 id="postchat-heading">{t('postchat.heading')}</h3>
      <p class="hint">{t('postchat.intro')}</p>
      <form class="admin-form" onSubmit={save} noValidate aria-labelledby="postchat-heading">
        <div class="check">
          <input
            id="postchat-enabled"
            ref={refs.enabled}
            type="checkbox"
            data-testid="postchat-enabled"
            checked={form.enabled}
            aria-invalid={errorFor('enabled') ? true : undefined}
            aria-describedby={describedBy('enabled')}
            onChange={(e) => change({ enabled: e.currentTarget.checked })}
          />
          <label for="postchat-enabled">{t('postchat.enabled')}</label>
          <FieldError id="postchat-enabled-error" field="enabled" testId="postchat-error" problem={errorFor('enabled')} />
        </div>
        <div class="field">
          <label for="postchat-header">{t('postchat.header')}</label>
          <input
            id="postchat-header"
            ref={refs.header}
            type="text"
            data-testid="postchat-header"
            value={form.header}
            placeholder={t('postchat.default')}
            aria-invalid={errorFor('header') ? true : undefined}
            aria-describedby={describedBy('header')}
            onInput={(e) => change({ header: e.currentTarget.value })}
          />
          <FieldError id="postchat-header-error" field="header" testId="postchat-error" problem={errorFor('header')} />
        </div>
        <div class="field">
          <label for="postchat-message">{t('postchat.message')}</label>
          <textarea
            id="postchat-message"
            ref={refs.message}
            data-testid="postchat-message"
            rows={4}
            value={form.message}
            placeholder={t('postchat.default')}
            aria-invalid={errorFor('message') ? true : undefined}
            aria-describedby={describedBy('message')}
            onInput={(e) => change({ message: e.currentTarget.value })}
          />
          <FieldError id="postchat-message-error" field="message" testId="postchat-error" problem={errorFor('message')} />
        </div>
        <div class="check">
          <input
            id="postchat-rating"
            ref={refs.rating}
            type="checkbox"
            data-testid="postchat-rating"
            checked={form.rating}
            aria-invalid={errorFor('rating') ? true : undefined}
            aria-describedby={describedBy('rating')}
            onChange={(e) => change({ rating: e.currentTarget.checked })}
          />
          <label for="postchat-rating">{t('postchat.rating')}</label>
          <FieldError id="postchat-rating-error" field="rating" testId="postchat-error" problem={errorFor('rating')} />
        </div>
        <div class="check">
          <input
            id="postchat-transcript"
            ref={refs.transcript}
            type="checkbox"
            data-testid="postchat-transcript"
            checked={form.transcript}
            aria-invalid={errorFor('transcript') ? true : undefined}
            aria-describedby={describedBy('transcript')}
            onChange={(e) => change({ transcript: e.currentTarget.checked })}
          />
          <label for="postchat-transcript">{t('postchat.transcript')}</label>
          <FieldError id="postchat-transcript-error" field="transcript" testId="postchat-error" problem={errorFor('transcript')} />
        </div>
        <div class="field">
          <label for="postchat-template">{t('postchat.template')}</label>
          <select
            id="postchat-template"
            ref={refs.transcriptTemplateId}
            data-testid="postchat-template"
            value={chosen ?? ''}
            aria-invalid={errorFor('transcriptTemplateId') ? true : undefined}
            aria-describedby={[templates.problem ? 'postchat-templates-error' : '', describedBy('transcriptTemplateId') ?? ''].filter(Boolean).join(' ') || undefined}
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
          <FieldError id="postchat-transcriptTemplateId-error" field="transcriptTemplateId" testId="postchat-error" problem={errorFor('transcriptTemplateId')} />
        </div>
        {general && (
          <p class="error" role="alert" data-testid="postchat-error">
            {store.problemText(general)}
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
