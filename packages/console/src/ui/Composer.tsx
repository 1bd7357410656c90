import { useEffect, useRef, useState } from 'preact/hooks';
import { LIMITS } from '@loket/protocol';
import { insertAt } from '../state/admin.js';
import { faqLinkText, spacedInsert } from '../state/faqs.js';
import { EmojiPicker } from './EmojiPicker.js';
import { FaqLinkPicker } from './FaqLinkPicker.js';
import { Uploads } from './Uploads.js';
import { useConsole } from './hooks.js';
import { SnippetList, useSnippetPicker } from './SnippetPicker.js';

export function Composer({ chatId, visitorName }: { chatId: string; visitorName: string }) {
  const [snap, store] = useConsole();
  const { t } = snap;
  const draft = snap.drafts[chatId] ?? '';
  const ref = useRef<HTMLTextAreaElement>(null);
  const emojiButton = useRef<HTMLButtonElement>(null);
  const over = draft.trim().length - LIMITS.messageBody;
  // The FAQ picker and the emoji grid take focus away; what they insert goes where the composer's caret was.
  const [picking, setPicking] = useState<'faq' | 'emoji' | null>(null);
  const caret = useRef<{ start: number; end: number } | null>(null);
  // Where the caret is while typing, for the `/` picker.
  const [at, setAt] = useState(0);
  useEffect(() => ref.current?.focus(), [chatId]);
  // A search opened for one chat does not follow the agent to another.
  useEffect(() => setPicking(null), [chatId]);

  /** Puts `text` in place of [start, end) of the draft and the caret after it. */
  const replace = (start: number | null, end: number | null, text: string) => {
    const next = insertAt(draft, start, end, text);
    store.composer.setDraft(chatId, next.value);
    const el = ref.current;
    if (el) {
      // Set the DOM value first so the caret can be placed now; the re-render then finds it equal.
      el.value = next.value;
      el.focus();
      el.setSelectionRange(next.caret, next.caret);
    }
    setAt(next.caret);
  };
  const snippets = useSnippetPicker(chatId, draft, at, replace);

  const open = (which: 'faq' | 'emoji') => {
    const el = ref.current;
    caret.current = el ? { start: el.selectionStart, end: el.selectionEnd } : null;
    setPicking(which);
  };
  const close = (focus: HTMLElement | null) => {
    setPicking(null);
    focus?.focus();
  };
  const insertPicked = (text: string) => {
    setPicking(null);
    replace(caret.current?.start ?? null, caret.current?.end ?? null, text);
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
  const track = (el: HTMLTextAreaElement) => setAt(el.selectionStart);

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
        // A combobox: `/` at the start of a word pops up the quick replies and templates (SnippetPicker).
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={snippets.open && snippets.options.length > 0 ? 'true' : 'false'}
        aria-controls={snippets.open && snippets.options.length > 0 ? snippets.listId : undefined}
        aria-activedescendant={snippets.open && snippets.options[snippets.active] ? snippets.optionId(snippets.active) : undefined}
        aria-describedby={`composer-hint-${chatId}`}
        aria-invalid={over > 0 ? true : undefined}
        onInput={(e) => {
          store.composer.setDraft(chatId, e.currentTarget.value);
          track(e.currentTarget);
        }}
        onKeyUp={(e) => track(e.currentTarget)}
        onClick={(e) => track(e.currentTarget)}
        onPaste={(e) => {
          if (attach(e.clipboardData?.files)) e.preventDefault();
        }}
        onKeyDown={(e) => {
          if (snippets.onKeyDown(e)) return;
          // isComposing: ENTER that confirms an IME candidate must not send.
          if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
            e.preventDefault();
            send();
          }
        }}
      />
      <SnippetList picker={snippets} />
      <p class="visually-hidden" role="status">
        {snippets.status}
      </p>
      {picking === 'faq' && <FaqLinkPicker chatId={chatId} onClose={() => close(ref.current)} onPick={(hit) => insertPicked(spacedInsert(draft, caret.current?.start ?? null, caret.current?.end ?? null, faqLinkText(hit)))} />}
      {picking === 'emoji' && <EmojiPicker id={`emoji-${chatId}`} label={t('emoji.label')} onPick={insertPicked} onClose={(back) => close(back ? emojiButton.current : null)} />}
      <Uploads chatId={chatId} />
      <div class="composer-foot">
        <p id={`composer-hint-${chatId}`} class={over > 0 ? 'error' : 'hint'}>
          {over > 0 ? t('composer.tooLong', { over }) : t('composer.hint')}
        </p>
        <button type="button" class="small" data-testid="faq-link-open" aria-expanded={picking === 'faq' ? 'true' : 'false'} onClick={() => (picking === 'faq' ? close(ref.current) : open('faq'))}>
          {t('faqLink.open')}
        </button>
        <button
          type="button"
          class="small"
          ref={emojiButton}
          data-testid="emoji-open"
          aria-label={t('emoji.label')}
          title={t('emoji.label')}
          aria-expanded={picking === 'emoji' ? 'true' : 'false'}
          aria-controls={picking === 'emoji' ? `emoji-${chatId}` : undefined}
          onClick={() => (picking === 'emoji' ? close(ref.current) : open('emoji'))}
        >
          <span aria-hidden="true">🙂</span>
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
