import { useEffect, useRef, useState } from 'preact/hooks';
import { LIMITS } from '@loket/protocol';
import { insertAt } from '../state/admin.js';
import { faqLinkText, spacedInsert } from '../state/faqs.js';
import { FaqLinkPicker } from './FaqLinkPicker.js';
import { Uploads } from './Uploads.js';
import { useConsole } from './hooks.js';

export function Composer({ chatId, visitorName }: { chatId: string; visitorName: string }) {
  const [snap, store] = useConsole();
  const { t } = snap;
  const draft = snap.drafts[chatId] ?? '';
  const ref = useRef<HTMLTextAreaElement>(null);
  const over = draft.trim().length - LIMITS.messageBody;
  // The picker takes focus away; the caret it inserts at is the one the composer had.
  const [picking, setPicking] = useState(false);
  const caret = useRef<{ start: number; end: number } | null>(null);
  useEffect(() => ref.current?.focus(), [chatId]);
  // A search opened for one chat does not follow the agent to another.
  useEffect(() => setPicking(false), [chatId]);

  const openPicker = () => {
    const el = ref.current;
    caret.current = el ? { start: el.selectionStart, end: el.selectionEnd } : null;
    setPicking(true);
  };
  const closePicker = () => {
    setPicking(false);
    ref.current?.focus();
  };

  // Files picked, dropped on the composer or pasted go straight up (state/stores/uploads.ts).
  const attach = (files: FileList | null | undefined): boolean => {
    if (!files || files.length === 0) return false;
    store.uploads.send(chatId, [...files]);
    return true;
  };

  const send = () => {
    store.composer.sendDraft(chatId);
    ref.current?.focus();
  };

  return (
    <form
      class="composer"
      onDragOver={(e) => {
        if (e.dataTransfer?.types.includes('Files')) e.preventDefault();
      }}
      onDrop={(e) => {
        if (attach(e.dataTransfer?.files)) e.preventDefault();
      }}
      onSubmit={(e) => {
        e.preventDefault();
        send();
      }}
    >
      <label for={`composer-${chatId}`} class="visually-hidden">
        {t('composer.label', { name: visitorName })}
      </label>
      <textarea
        id={`composer-${chatId}`}
        ref={ref}
        data-testid="composer"
        rows={3}
        value={draft}
        aria-describedby={`composer-hint-${chatId}`}
        aria-invalid={over > 0 ? true : undefined}
        onInput={(e) => store.composer.setDraft(chatId, e.currentTarget.value)}
        onPaste={(e) => {
          if (attach(e.clipboardData?.files)) e.preventDefault();
        }}
        onKeyDown={(e) => {
          // isComposing: ENTER that confirms an IME candidate must not send.
          if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
            e.preventDefault();
            send();
          }
        }}
      />
      {picking && (
        <FaqLinkPicker
          chatId={chatId}
          onClose={closePicker}
          onPick={(hit) => {
            const start = caret.current?.start ?? null;
            const end = caret.current?.end ?? null;
            const next = insertAt(draft, start, end, spacedInsert(draft, start, end, faqLinkText(hit)));
            store.composer.setDraft(chatId, next.value);
            setPicking(false);
            const el = ref.current;
            if (el) {
              // Set the DOM value first so the caret can be placed now; the re-render then finds it equal.
              el.value = next.value;
              el.focus();
              el.setSelectionRange(next.caret, next.caret);
            }
          }}
        />
      )}
      <Uploads chatId={chatId} />
      <div class="composer-foot">
        <p id={`composer-hint-${chatId}`} class={over > 0 ? 'error' : 'hint'}>
          {over > 0 ? t('composer.tooLong', { over }) : t('composer.hint')}
        </p>
        <button type="button" class="small" data-testid="faq-link-open" aria-expanded={picking ? 'true' : 'false'} onClick={() => (picking ? closePicker() : openPicker())}>
          {t('faqLink.open')}
        </button>
        <label class="small button attach">
          <input type="file" multiple class="visually-hidden" data-testid="file-input" onChange={(e) => attach(e.currentTarget.files) && (e.currentTarget.value = '')} />
          {t('files.attach')}
        </label>
        <button type="submit" class="primary small" disabled={draft.trim() === '' || over > 0}>
          {t('composer.send')}
        </button>
      </div>
    </form>
  );
}
