import { useEffect, useRef, useState } from 'preact/hooks';
import { REQUEST_PRIORITIES, type RequestPriority } from '@loket/protocol';
import { FormField } from './admin/common.js';
import { describedBy, invalid } from './admin/form.js';
import { useConsole, useStore } from './hooks.js';

/** Task menu › Create request: title, category and priority; the request takes the chat's conversation. */
export function CreateRequestDialog({ chatId, onClosed }: { chatId: string; onClosed(): void }) {
  const [{ t }, root] = useConsole();
  const [state, requests] = useStore((r) => r.chatRequests);
  const open = state.openFor === chatId;
  const dialog = useRef<HTMLDialogElement>(null);
  const titleInput = useRef<HTMLInputElement>(null);
  const [title, setTitle] = useState('');
  const [category, setCategory] = useState('');
  const [priority, setPriority] = useState<RequestPriority>('normal');

  useEffect(() => {
    const d = dialog.current;
    if (!d) return;
    if (open && !d.open) {
      setTitle('');
      setCategory('');
      setPriority('normal');
      d.showModal();
    }
    if (!open && d.open) d.close();
  }, [open]);

  useEffect(() => {
    if (state.problem?.field === 'title') titleInput.current?.focus();
  }, [state.problem]);

  const problem = state.problem;
  const fieldProblem = (field: string) => (problem?.field === field ? problem : null);
  const submit = async (e: Event) => {
    e.preventDefault();
    // On success the store closes the dialog, and its close event gives the focus back.
    await requests.create({ title, category, priority });
  };

  return (
    <dialog
      ref={dialog}
      class="confirm chat-request"
      data-testid="chat-request-dialog"
      aria-labelledby={`chat-request-heading-${chatId}`}
      aria-describedby={`chat-request-intro-${chatId}`}
      onClose={() => {
        if (requests.state.openFor === chatId) requests.close();
        onClosed();
      }}
    >
      <form onSubmit={(e) => void submit(e)} noValidate>
        <h2 id={`chat-request-heading-${chatId}`}>{t('chatRequest.heading')}</h2>
        <p id={`chat-request-intro-${chatId}`}>{t('chatRequest.intro')}</p>
        <FormField id={`chat-request-title-${chatId}`} label={t('chatRequest.title')} field="title" errorTestId="chat-request-title-error" problem={fieldProblem('title')}>
          <input
            id={`chat-request-title-${chatId}`}
            ref={titleInput}
            data-testid="chat-request-title"
            value={title}
            maxLength={200}
            required
            aria-invalid={invalid(fieldProblem('title'))}
            aria-describedby={describedBy(`chat-request-title-${chatId}`, fieldProblem('title'))}
            onInput={(e) => setTitle(e.currentTarget.value)}
          />
        </FormField>
        <FormField
          id={`chat-request-category-${chatId}`}
          label={t('chatRequest.category')}
          hint={t('chatRequest.categoryHint')}
          field="category"
          errorTestId="chat-request-category-error"
          problem={fieldProblem('category')}
        >
          <input
            id={`chat-request-category-${chatId}`}
            data-testid="chat-request-category"
            value={category}
            maxLength={100}
            aria-invalid={invalid(fieldProblem('category'))}
            aria-describedby={describedBy(`chat-request-category-${chatId}`, fieldProblem('category'), `chat-request-category-${chatId}-hint`)}
            onInput={(e) => setCategory(e.currentTarget.value)}
          />
        </FormField>
        <div class="field">
          <label for={`chat-request-priority-${chatId}`}>{t('chatRequest.priority')}</label>
          <select
            id={`chat-request-priority-${chatId}`}
            data-testid="chat-request-priority"
            value={priority}
            onChange={(e) => setPriority(e.currentTarget.value as RequestPriority)}
          >
            {REQUEST_PRIORITIES.map((p) => (
              <option key={p} value={p}>
                {t(`requests.priority.${p}`)}
              </option>
            ))}
          </select>
        </div>
        {problem && (
          <p class="error" role="alert" data-testid="chat-request-error">
            {root.session.problemText(problem)}
          </p>
        )}
        <div class="confirm-actions">
          <button type="button" data-testid="chat-request-cancel" onClick={() => requests.close()}>
            {t('chatRequest.cancel')}
          </button>
          <button type="submit" class="primary" data-testid="chat-request-create" disabled={state.busy}>
            {state.busy ? t('chatRequest.creating') : t('chatRequest.create')}
          </button>
        </div>
      </form>
    </dialog>
  );
}
