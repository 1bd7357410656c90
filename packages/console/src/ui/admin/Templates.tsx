import { useEffect, useRef, useState } from 'preact/hooks';
import { TEMPLATE_VARIABLES, type Language, type ReplyTemplate, type TemplateInput, type TemplatePreview } from '@loket/protocol';
import { LANGUAGE_ENDONYMS, fieldOf, insertAt, sameInput, sortTemplates, templateInput, upsertTemplate, variableToken } from '../../state/admin.js';
import type { Route } from '../../state/route.js';
import type { Problem } from '../../state/store.js';
import { useConsole } from '../hooks.js';
import { ConfirmDialog, FormField, LanguageSelect, LoadState, RouteLink, ViewHeading, useLoaded } from './common.js';
import { describedBy, focusLater, invalid, useConfirm, useFormAction, usePreview } from './form.js';

/** How long typing must pause before the preview is asked for. */
export const PREVIEW_DEBOUNCE_MS = 350;

type TemplatesRoute = Extract<Route, { view: 'templates' }>;
type TextField = 'subject' | 'body';

export function TemplatesView({ route }: { route: TemplatesRoute }) {
  const [snap, store] = useConsole();
  const { t } = snap;
  const list = useLoaded(() => store.http.templates().then(sortTemplates), 'templates');
  const [flash, setFlash] = useState<string | null>(null);
  const [createdId, setCreatedId] = useState<string | null>(null);
  const templates = list.data ?? [];
  useEffect(() => {
    if (route.templateId !== null || route.creating) setFlash(null);
  }, [route.templateId, route.creating]);
  const selected = route.templateId === null ? null : (templates.find((x) => x.id === route.templateId) ?? null);

  return (
    <main class="admin" aria-labelledby="admin-heading">
      <div class="admin-head">
        <ViewHeading id="admin-heading">{t('templates.heading')}</ViewHeading>
        <RouteLink class="button primary small" data-testid="template-new" route={{ view: 'templates', templateId: null, creating: true }} aria-current={route.creating ? 'page' : undefined}>
          {t('templates.new')}
        </RouteLink>
      </div>
      <div class="admin-body master-detail">
        <section class="admin-list" aria-labelledby="templates-list-heading">
          <h2 id="templates-list-heading" class="visually-hidden">
            {t('templates.list')}
          </h2>
          <LoadState loaded={list} />
          {list.data && templates.length === 0 && <p class="empty">{t('templates.empty')}</p>}
          <ul class="items">
            {templates.map((tpl) => (
              <li key={tpl.id}>
                <RouteLink
                  class="item"
                  data-testid="template-item"
                  data-template-id={tpl.id}
                  data-builtin={tpl.builtin ? 'true' : 'false'}
                  route={{ view: 'templates', templateId: tpl.id, creating: false }}
                  aria-current={route.templateId === tpl.id ? 'page' : undefined}
                >
                  <span class="item-line">
                    <strong class="name">{tpl.name}</strong>
                    {tpl.builtin && <span class="badge">{t('templates.builtin')}</span>}
                  </span>
                  <span class="channel" lang={tpl.language}>
                    {LANGUAGE_ENDONYMS[tpl.language]}
                  </span>
                </RouteLink>
              </li>
            ))}
          </ul>
        </section>
        <section class="admin-detail" aria-labelledby="template-editor-heading">
          <p class="ok" role="status" data-testid="template-flash">
            {flash && !route.creating && route.templateId === null ? flash : ''}
          </p>
          {route.creating ? (
            <TemplateEditor
              key="new"
              template={null}
              onSaved={(saved) => {
                list.update((all) => upsertTemplate(all, saved));
                setCreatedId(saved.id);
                store.route.navigate({ view: 'templates', templateId: saved.id, creating: false }, true);
              }}
              onDeleted={() => undefined}
            />
          ) : selected ? (
            <TemplateEditor
              key={selected.id}
              template={selected}
              justCreated={createdId === selected.id}
              onSaved={(saved) => list.update((all) => upsertTemplate(all, saved))}
              onDeleted={(id) => {
                list.update((all) => all.filter((x) => x.id !== id));
                setFlash(t('templates.deleted'));
                store.route.navigate({ view: 'templates', templateId: null, creating: false }, true);
                // The editor (and the focused dialog button) is gone: continue from the view's heading.
                document.getElementById('admin-heading')?.focus();
              }}
            />
          ) : (
            <>
              <h2 id="template-editor-heading" class="visually-hidden">
                {t('templates.editHeading')}
              </h2>
              {list.data && <p class="placeholder">{route.templateId === null ? t('templates.none') : t('templates.notFound')}</p>}
            </>
          )}
        </section>
      </div>
    </main>
  );
}

function TemplateEditor({
  template,
  justCreated = false,
  onSaved,
  onDeleted,
}: {
  template: ReplyTemplate | null;
  /** Just created (the editor of the new template replaced the "new" one): say it was saved. */
  justCreated?: boolean;
  onSaved(t: ReplyTemplate): void;
  onDeleted(id: string): void;
}) {
  const [snap, store] = useConsole();
  const { t } = snap;
  // A new template starts in the UI language (a widget language too).
  const initialLanguage: Language = snap.lang;
  const [saved, setSaved] = useState<TemplateInput>(() => templateInput(template, initialLanguage));
  const [form, setForm] = useState<TemplateInput>(saved);
  const { busy, problem: saveProblem, setProblem: setSaveProblem, run, submit } = useFormAction();
  const [justSaved, setJustSaved] = useState(justCreated);
  const lastField = useRef<TextField>('body');
  const refs = {
    name: useRef<HTMLInputElement>(null),
    language: useRef<HTMLSelectElement>(null),
    subject: useRef<HTMLInputElement>(null),
    body: useRef<HTMLTextAreaElement>(null),
  };
  const deleteButton = useRef<HTMLButtonElement>(null);
  const { confirming, setConfirming, onClose: closeConfirm } = useConfirm(deleteButton);

  // The live preview. Nothing to render yet: no request, and no error on a form the admin has not started.
  const {
    data: preview,
    problem: previewProblem,
    busy: previewBusy,
  } = usePreview<TemplatePreview>(
    form.subject.trim() === '' && form.body.trim() === '' ? null : () => store.http.previewTemplate({ language: form.language, subject: form.subject, body: form.body }),
    JSON.stringify([form.language, form.subject, form.body]),
    PREVIEW_DEBOUNCE_MS,
  );

  const change = (patch: Partial<TemplateInput>) => {
    setForm((f) => ({ ...f, ...patch }));
    setJustSaved(false);
    if (saveProblem && Object.keys(patch).includes(fieldOf(saveProblem.field) ?? '')) setSaveProblem(null);
  };

  const errorFor = (field: keyof TemplateInput): Problem | null => {
    if (saveProblem && fieldOf(saveProblem.field) === field) return saveProblem;
    if (previewProblem && fieldOf(previewProblem.field) === field) return previewProblem;
    return null;
  };
  const fields = ['name', 'language', 'subject', 'body'] as const;
  const generalProblem = saveProblem && !fields.some((f) => f === fieldOf(saveProblem.field)) ? saveProblem : null;
  const previewGeneral = previewProblem && !fields.some((f) => f === fieldOf(previewProblem.field)) ? previewProblem : null;

  const insertVariable = (name: string) => {
    const field = lastField.current;
    const el = refs[field].current;
    const token = variableToken(name);
    const next = insertAt(form[field], el?.selectionStart ?? null, el?.selectionEnd ?? null, token);
    if (el) {
      // Set the DOM value first so the caret can be placed now; the state update then finds it equal.
      el.value = next.value;
      el.focus();
      el.setSelectionRange(next.caret, next.caret);
    }
    change(field === 'subject' ? { subject: next.value } : { body: next.value });
  };

  const save = (e: Event) =>
    submit(
      e,
      async () => {
        setJustSaved(false);
        const result = template ? await store.http.updateTemplate(template.id, form) : await store.http.createTemplate(form);
        const input = templateInput(result, result.language);
        setSaved(input);
        setForm((f) => (sameInput(f, form) ? input : f));
        setJustSaved(true);
        onSaved(result);
      },
      (problem) => {
        const field = fieldOf(problem.field);
        if (field === 'name' || field === 'language' || field === 'subject' || field === 'body') refs[field].current?.focus();
      },
    );

  const remove = async () => {
    if (!template) return;
    setConfirming(false);
    await run(
      async () => {
        await store.http.deleteTemplate(template.id);
        onDeleted(template.id);
      },
      // After the re-render that enables the button again.
      () => focusLater(deleteButton),
    );
  };

  const described = (field: keyof TemplateInput, hint?: string) => describedBy(`template-${field}`, errorFor(field), hint);
  const dirty = !sameInput(form, saved);

  return (
    <div class="template-editor">
      <form class="admin-form" onSubmit={save} noValidate aria-labelledby="template-editor-heading">
        <h2 id="template-editor-heading">{template ? t('templates.editHeading') : t('templates.newHeading')}</h2>
        {template?.builtin && <p class="hint">{t('templates.builtinHint')}</p>}
        <FormField id="template-name" label={t('templates.name')} field="name" errorTestId="template-error" problem={errorFor('name')}>
          <input
            id="template-name"
            ref={refs.name}
            data-testid="template-name"
            type="text"
            required
            value={form.name}
            aria-invalid={invalid(errorFor('name'))}
            aria-describedby={described('name')}
            onInput={(e) => change({ name: e.currentTarget.value })}
          />
        </FormField>
        <FormField id="template-language" label={t('templates.language')} field="language" errorTestId="template-error" problem={errorFor('language')}>
          <LanguageSelect
            id="template-language"
            selectRef={refs.language}
            testId="template-language"
            value={form.language}
            invalid={errorFor('language') !== null}
            describedBy={described('language')}
            onChange={(language) => change({ language })}
          />
        </FormField>
        <FormField id="template-subject" label={t('templates.subject')} field="subject" errorTestId="template-error" problem={errorFor('subject')}>
          <input
            id="template-subject"
            ref={refs.subject}
            data-testid="template-subject"
            type="text"
            value={form.subject}
            aria-invalid={invalid(errorFor('subject'))}
            aria-describedby={described('subject')}
            onFocus={() => (lastField.current = 'subject')}
            onInput={(e) => change({ subject: e.currentTarget.value })}
          />
        </FormField>
        <FormField id="template-body" label={t('templates.body')} hint={t('templates.bodyHint')} field="body" errorTestId="template-error" problem={errorFor('body')}>
          <textarea
            id="template-body"
            ref={refs.body}
            data-testid="template-body"
            rows={14}
            value={form.body}
            aria-invalid={invalid(errorFor('body'))}
            aria-describedby={described('body', 'template-body-hint')}
            onFocus={() => (lastField.current = 'body')}
            onInput={(e) => change({ body: e.currentTarget.value })}
          />
        </FormField>
        {generalProblem && (
          <p class="error" role="alert" data-testid="template-error">
            {store.session.problemText(generalProblem)}
            {generalProblem.detail && (
              <>
                {' '}
                <code class="detail">{generalProblem.detail}</code>
              </>
            )}
          </p>
        )}
        <div class="form-actions">
          <button type="submit" class="primary" data-testid="template-save" disabled={busy}>
            {busy ? t('admin.saving') : t('admin.save')}
          </button>
          {template && !template.builtin && (
            <button type="button" class="danger-outline" ref={deleteButton} data-testid="template-delete" disabled={busy} onClick={() => setConfirming(true)}>
              {t('templates.delete')}
            </button>
          )}
          <span class="ok" role="status" data-testid="template-saved">
            {justSaved && !dirty ? t('admin.saved') : ''}
          </span>
        </div>
        <section class="variables" aria-labelledby="template-variables-heading">
          <h3 id="template-variables-heading">{t('templates.variables')}</h3>
          <p class="hint" id="template-variables-hint">
            {t('templates.variablesHint')}
          </p>
          <ul>
            {TEMPLATE_VARIABLES.map((v) => (
              <li key={v}>
                <button
                  type="button"
                  class="variable"
                  data-testid="template-variable"
                  data-variable={v}
                  aria-describedby={`template-var-${v.replace('.', '-')}`}
                  // Keep the caret where it is in the field; the click inserts there.
                  onMouseDown={(e) => e.preventDefault()}
                  onClick={() => insertVariable(v)}
                >
                  <code>{variableToken(v)}</code>
                </button>{' '}
                <span id={`template-var-${v.replace('.', '-')}`} class="hint">
                  {t(`var.${v}`)}
                </span>
              </li>
            ))}
          </ul>
          <p class="hint">
            {t('templates.blocksHint')} <code>{'{{#if customer.name}}…{{else}}…{{/if}}'}</code>
          </p>
        </section>
      </form>
      <TemplatePreviewPane preview={preview} busy={previewBusy} invalid={previewProblem !== null} general={previewGeneral} />
      {template && !template.builtin && (
        <ConfirmDialog
          open={confirming}
          id="template-delete-dialog"
          title={t('templates.deleteTitle')}
          text={t('templates.deleteText', { name: template.name })}
          confirm={t('templates.deleteConfirm')}
          confirmTestId="template-delete-confirm"
          onConfirm={() => void remove()}
          onClose={closeConfirm}
        />
      )}
    </div>
  );
}

function TemplatePreviewPane({ preview, busy, invalid, general }: { preview: TemplatePreview | null; busy: boolean; invalid: boolean; general: Problem | null }) {
  const [snap, store] = useConsole();
  const { t } = snap;
  return (
    <section class="preview" aria-labelledby="template-preview-heading" data-testid="template-preview" aria-busy={busy ? 'true' : 'false'}>
      <h2 id="template-preview-heading">{t('templates.preview')}</h2>
      <p class="hint">{busy ? t('templates.previewLoading') : t('templates.previewHint')}</p>
      {general ? (
        <p class="error">{store.session.problemText(general)}</p>
      ) : (
        invalid && <p class="error">{t('templates.previewInvalid')}</p>
      )}
      {preview && (
        <div class={invalid ? 'preview-parts stale' : 'preview-parts'}>
          <h3>{t('templates.previewSubject')}</h3>
          <p class="preview-subject" data-testid="template-preview-subject">
            {preview.subject}
          </p>
          <h3>{t('templates.previewText')}</h3>
          <pre class="preview-text" data-testid="template-preview-text">
            {preview.text}
          </pre>
          <h3>{t('templates.previewHtml')}</h3>
          <iframe class="preview-html" data-testid="template-preview-html" sandbox="" srcdoc={preview.html} title={t('templates.previewFrame')} />
        </div>
      )}
    </section>
  );
}
