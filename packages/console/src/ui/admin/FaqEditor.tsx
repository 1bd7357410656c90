import { useRef, useState } from 'preact/hooks';
import { FAQ_VISIBILITIES, type Faq, type FaqFolder, type FaqPreview, type Language } from '@loket/protocol';
import { faqFieldOf, faqForm, faqInputOf, folderTree, sameFaqForm, type FaqForm } from '../../state/faqs.js';
import type { Problem } from '../../state/store.js';
import { useConsole } from '../hooks.js';
import { CheckField, ConfirmDialog, FieldError, FormField, LanguageSelect } from './common.js';
import { describedBy, focusLater, invalid, useConfirm, useFormAction, usePreview } from './form.js';
import { indent } from './FaqFolders.js';

/** How long typing must pause before the answer's preview is asked for. */
export const FAQ_PREVIEW_DEBOUNCE_MS = 300;

type Field = keyof FaqForm;

/** Creates (faq null) or edits one FAQ; the answer's Markdown is previewed as the public page renders it. */
export function FaqEditor({
  faq,
  folders,
  defaultFolderId,
  justCreated = false,
  onSaved,
  onDeleted,
}: {
  faq: Faq | null;
  folders: readonly FaqFolder[];
  defaultFolderId: string | null;
  justCreated?: boolean;
  onSaved(faq: Faq): void;
  onDeleted(id: string): void;
}) {
  const [snap, store] = useConsole();
  const { t } = snap;
  const initialLanguage: Language = snap.lang;
  const [current, setCurrent] = useState<Faq | null>(faq);
  const [saved, setSaved] = useState<FaqForm>(() => faqForm(faq, { language: initialLanguage, folderId: defaultFolderId }));
  const [form, setForm] = useState<FaqForm>(saved);
  const { busy, problem, setProblem, run, submit } = useFormAction();
  const [justSaved, setJustSaved] = useState(justCreated);
  const refs = {
    question: useRef<HTMLInputElement>(null),
    answer: useRef<HTMLTextAreaElement>(null),
    language: useRef<HTMLSelectElement>(null),
    folderId: useRef<HTMLSelectElement>(null),
    keywords: useRef<HTMLInputElement>(null),
    published: useRef<HTMLInputElement>(null),
    visibility: useRef<HTMLInputElement>(null),
  };
  const deleteButton = useRef<HTMLButtonElement>(null);
  const { confirming, setConfirming, onClose: closeConfirm } = useConfirm(deleteButton);

  const {
    data: preview,
    problem: previewProblem,
    busy: previewBusy,
  } = usePreview<FaqPreview>(form.answer.trim() === '' ? null : () => store.http.previewFaq(form.answer), form.answer, FAQ_PREVIEW_DEBOUNCE_MS);

  const problemField = faqFieldOf(problem?.field);
  const errorFor = (field: Field): Problem | null => (problem && problemField === field ? problem : null);
  const generalProblem = problem && problemField === null ? problem : null;

  const change = (patch: Partial<FaqForm>) => {
    setForm((f) => ({ ...f, ...patch }));
    setJustSaved(false);
    if (problemField && problemField in patch) setProblem(null);
  };

  const save = (e: Event) =>
    submit(
      e,
      async () => {
        setJustSaved(false);
        const input = faqInputOf(form);
      const result = current ? await store.http.updateFaq(current.id, input) : await store.http.createFaq(input);
      const next = faqForm(result, { language: result.language, folderId: result.folderId });
      setCurrent(result);
      setSaved(next);
      setForm((f) => (sameFaqForm(f, form) ? next : f));
      setJustSaved(true);
      onSaved(result);
      },
      (p) => {
        const field = faqFieldOf(p.field);
        if (field) refs[field].current?.focus();
      },
    );

  const remove = async () => {
    if (!current) return;
    setConfirming(false);
    await run(
      async () => {
        await store.http.deleteFaq(current.id);
        onDeleted(current.id);
      },
      () => focusLater(deleteButton),
    );
  };

  const described = (field: Field, hint?: string) => describedBy(`faq-${field}`, errorFor(field), hint);
  const dirty = !sameFaqForm(form, saved);
  const rows = folderTree(folders);

  return (
    <div class="template-editor faq-editor">
      <form class="admin-form" onSubmit={save} noValidate aria-labelledby="faq-editor-heading">
        <h2 id="faq-editor-heading">{current ? t('faqs.editHeading') : t('faqs.newHeading')}</h2>
        {current && (
          <p class="hint kb-meta">
            <span data-testid="faq-deflections">{t('faqs.deflections', { count: current.deflections })}</span>
            {current.published && (
              <>
                {' · '}
                <a href={current.url} target="_blank" rel="noopener" data-testid="faq-public-link">
                  {t('faqs.publicPage')}
                  <span class="visually-hidden"> {t('faqs.newTab')}</span>
                </a>
              </>
            )}
          </p>
        )}
        <FormField id="faq-question" label={t('faqs.question')} field="question" errorTestId="faq-error" problem={errorFor('question')}>
          <input
            id="faq-question"
            ref={refs.question}
            data-testid="faq-question"
            type="text"
            required
            value={form.question}
            aria-invalid={invalid(errorFor('question'))}
            aria-describedby={described('question')}
            onInput={(e) => change({ question: e.currentTarget.value })}
          />
        </FormField>
        <FormField id="faq-answer" label={t('faqs.answer')} hint={t('faqs.answerHint')} field="answer" errorTestId="faq-error" problem={errorFor('answer')}>
          <textarea
            id="faq-answer"
            ref={refs.answer}
            data-testid="faq-answer"
            rows={12}
            value={form.answer}
            aria-invalid={invalid(errorFor('answer'))}
            aria-describedby={described('answer', 'faq-answer-hint')}
            onInput={(e) => change({ answer: e.currentTarget.value })}
          />
        </FormField>
        <FormField id="faq-language" label={t('faqs.language')} field="language" errorTestId="faq-error" problem={errorFor('language')}>
          <LanguageSelect
            id="faq-language"
            selectRef={refs.language}
            testId="faq-language"
            value={form.language}
            invalid={errorFor('language') !== null}
            describedBy={described('language')}
            onChange={(language) => change({ language })}
          />
        </FormField>
        <FormField id="faq-folder" label={t('faqs.folder')} errorId="faq-folderId-error" field="folderId" errorTestId="faq-error" problem={errorFor('folderId')}>
          <select
            id="faq-folder"
            ref={refs.folderId}
            data-testid="faq-folder-select"
            value={form.folderId ?? ''}
            aria-invalid={invalid(errorFor('folderId'))}
            aria-describedby={described('folderId')}
            onChange={(e) => {
              const value = e.currentTarget.value;
              change({ folderId: value === '' ? null : value });
            }}
          >
            <option value="">{t('faqs.noFolder')}</option>
            {rows.map((row) => (
              <option key={row.folder.id} value={row.folder.id}>
                {indent(row.depth)}
                {row.folder.name}
              </option>
            ))}
          </select>
        </FormField>
        <FormField id="faq-keywords" label={t('faqs.keywords')} hint={t('faqs.keywordsHint')} field="keywords" errorTestId="faq-error" problem={errorFor('keywords')}>
          <input
            id="faq-keywords"
            ref={refs.keywords}
            data-testid="faq-keywords"
            type="text"
            value={form.keywords}
            aria-invalid={invalid(errorFor('keywords'))}
            aria-describedby={described('keywords', 'faq-keywords-hint')}
            onInput={(e) => change({ keywords: e.currentTarget.value })}
          />
        </FormField>
        <CheckField id="faq-published" label={t('faqs.published')} field="published" errorTestId="faq-error" problem={errorFor('published')}>
          <input
            id="faq-published"
            ref={refs.published}
            type="checkbox"
            data-testid="faq-published"
            checked={form.published}
            aria-invalid={invalid(errorFor('published'))}
            aria-describedby={described('published')}
            onChange={(e) => change({ published: e.currentTarget.checked })}
          />
        </CheckField>
        <fieldset class="radios" aria-describedby={described('visibility')}>
          <legend>{t('faqs.visibility')}</legend>
          {FAQ_VISIBILITIES.map((v, i) => (
            <label key={v} class="radio">
              <input
                type="radio"
                name="faq-visibility"
                ref={i === 0 ? refs.visibility : undefined}
                data-testid={`faq-visibility-${v}`}
                value={v}
                checked={form.visibility === v}
                onChange={() => change({ visibility: v })}
              />
              {t(`faqs.visibility.${v}`)}
            </label>
          ))}
          <FieldError id="faq-visibility-error" field="visibility" testId="faq-error" problem={errorFor('visibility')} />
        </fieldset>
        {generalProblem && (
          <p class="error" role="alert" data-testid="faq-error">
            {store.session.problemText(generalProblem)}
          </p>
        )}
        <div class="form-actions">
          <button type="submit" class="primary" data-testid="faq-save" disabled={busy}>
            {busy ? t('admin.saving') : t('admin.save')}
          </button>
          {current && (
            <button type="button" class="danger-outline" ref={deleteButton} data-testid="faq-delete" disabled={busy} onClick={() => setConfirming(true)}>
              {t('faqs.delete')}
            </button>
          )}
          <span class="ok" role="status" data-testid="faq-saved">
            {justSaved && !dirty ? t('admin.saved') : ''}
          </span>
        </div>
      </form>
      <section class="preview" aria-labelledby="faq-preview-heading" data-testid="faq-preview" aria-busy={previewBusy ? 'true' : 'false'}>
        <h2 id="faq-preview-heading">{t('faqs.preview')}</h2>
        <p class="hint">{previewBusy ? t('faqs.previewLoading') : t('faqs.previewHint')}</p>
        {previewProblem && <p class="error">{store.session.problemText(previewProblem)}</p>}
        {preview && (
          <iframe
            class={previewProblem ? 'preview-html stale' : 'preview-html'}
            data-testid="faq-preview-html"
            // The server renders safe HTML; the empty sandbox keeps even a mistake there from running.
            sandbox=""
            srcdoc={previewDocument(preview.html, form.language)}
            title={t('faqs.previewFrame')}
          />
        )}
      </section>
      {current && (
        <ConfirmDialog
          open={confirming}
          id="faq-delete-dialog"
          title={t('faqs.deleteTitle')}
          text={t('faqs.deleteText', { question: current.question })}
          confirm={t('faqs.deleteConfirm')}
          confirmTestId="faq-delete-confirm"
          onConfirm={() => void remove()}
          onClose={closeConfirm}
        />
      )}
    </div>
  );
}

/** The rendered answer as a small document in the FAQ's language, readable without the public page's styles. */
function previewDocument(html: string, language: Language): string {
  return `<!doctype html><html lang="${language}"><head><meta charset="utf-8"><style>body{font:16px/1.5 system-ui,sans-serif;margin:0.75rem;color:#1f2933}a{color:#0b57d0}pre,code{white-space:pre-wrap}</style></head><body>${html}</body></html>`;
}
