import { insertText, LIMITS, type ChannelFileSettings } from '@loket/protocol';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Translate } from '../i18n.js';
import type { SessionActions } from '../session.js';
import { isSendKey } from './keys.js';
import { useLazy } from './lazy.js';

interface Props {
  t: Translate;
  session: SessionActions;
  disabled: boolean;
  /** Behind the post-chat form. */
  hidden?: boolean;
  /** Translated error from the server about the last send. */
  error: string | null;
  rejected: { current: ((body: string) => void) | null };
  /** Sending files: the channel's settings and what the upload needs; absent = no attach button. */
  files?: { settings: ChannelFileSettings; token: string; chatId: string } | undefined;
}

type UploadsView = (typeof import('./Uploads.js'))['default'];

export function Composer({ t, session, disabled, hidden, error, rejected, files }: Props) {
  const [text, setText] = useState('');
  // The upload UI is its own chunk, fetched when a file is first picked, dropped or pasted.
  const [Uploads, setUploads] = useState<UploadsView | null>(null);
  const [batch, setBatch] = useState({ n: 0, files: [] as File[] });
  const canAttach = Boolean(files?.settings.allowedTypes.length) && !disabled;
  const attach = (list: FileList | null | undefined): boolean => {
    const picked = [...(list ?? [])];
    if (!canAttach || !picked.length) return false;
    void import('./Uploads.js').then((m) => setUploads(() => m.default));
    setBatch((b) => ({ n: b.n + 1, files: picked }));
    return true;
  };
  useEffect(() => {
    const drag = (e: DragEvent) => {
      if (!canAttach || !e.dataTransfer?.types.includes('Files')) return;
      e.preventDefault();
      if (e.type === 'drop') attach(e.dataTransfer.files);
    };
    document.addEventListener('dragover', drag);
    document.addEventListener('drop', drag);
    return () => {
      document.removeEventListener('dragover', drag);
      document.removeEventListener('drop', drag);
    };
  });
  const [localError, setLocalError] = useState<string | null>(null);
  const shownError = localError ?? error;
  const field = useRef<HTMLTextAreaElement>(null);
  const emojiButton = useRef<HTMLButtonElement>(null);
  const [emojiOpen, setEmojiOpen] = useState(false);
  // A chunk of its own, fetched on the first click: most customers never open it.
  const EmojiPicker = useLazy(emojiOpen, () => import('./EmojiPicker.js').then((m) => m.EmojiPicker));
  const closeEmoji = (focus: HTMLElement | null) => {
    setEmojiOpen(false);
    focus?.focus();
  };
  const pickEmoji = (emoji: string) => {
    const el = field.current;
    const next = insertText(text, el?.selectionStart ?? null, el?.selectionEnd ?? null, emoji);
    setText(next.value);
    closeEmoji(el);
    if (el) {
      // The DOM value first, so the caret can be placed now; the re-render then finds it equal.
      el.value = next.value;
      el.setSelectionRange(next.caret, next.caret);
    }
  };

  useEffect(() => {
    // A message the server refused for good goes back into an empty composer, so it is not lost.
    rejected.current = (body) => setText((current) => (current.trim() ? current : body));
    return () => {
      rejected.current = null;
    };
  }, [rejected]);

  const send = (): void => {
    const body = text.trim();
    if (!body || disabled) return;
    if (body.length > LIMITS.messageBody) return setLocalError(t('errMessageTooLong'));
    setLocalError(null);
    session.send(body);
    setText('');
  };

  return (
    <form
      class="composer"
      hidden={hidden}
      onSubmit={(e) => {
        e.preventDefault();
        send();
      }}
    >
      <label for="f-composer" class="sr-only">
        {t('message')}
      </label>
      <textarea
        id="f-composer"
        ref={field}
        data-testid="composer"
        data-autofocus
        rows={2}
        value={text}
        disabled={disabled}
        placeholder={t('message')}
        aria-invalid={Boolean(shownError)}
        aria-describedby={shownError ? 'f-composer-err' : undefined}
        onInput={(e) => {
          setText(e.currentTarget.value);
          if (localError) setLocalError(null);
          if (e.currentTarget.value) session.noteTyping();
          else session.stopTyping();
        }}
        onBlur={() => session.stopTyping()}
        onPaste={(e) => {
          if (attach(e.clipboardData?.files)) e.preventDefault();
        }}
        onKeyDown={(e) => {
          if (isSendKey(e)) {
            e.preventDefault();
            send();
          }
        }}
      />
      {canAttach && (
        <label class="attach" title={t('attach')}>
          <input type="file" multiple class="sr-only" aria-label={t('attach')} data-testid="file-input" onChange={(e) => attach(e.currentTarget.files) && (e.currentTarget.value = '')} />
          <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d="M16.5 6v11.5a4 4 0 0 1-8 0V5a2.5 2.5 0 0 1 5 0v10.5a1 1 0 0 1-2 0V6H10v9.5a2.5 2.5 0 0 0 5 0V5a4 4 0 0 0-8 0v12.5a5.5 5.5 0 0 0 11 0V6z" />
          </svg>
        </label>
      )}
      <button
        type="button"
        class="emoji-btn"
        ref={emojiButton}
        data-testid="emoji-open"
        disabled={disabled}
        aria-label={t('emoji')}
        title={t('emoji')}
        aria-expanded={emojiOpen}
        aria-controls={emojiOpen ? 'f-emoji' : undefined}
        onClick={() => setEmojiOpen((o) => !o)}
      >
        <span aria-hidden="true">🙂</span>
      </button>
      {emojiOpen && EmojiPicker && <EmojiPicker id="f-emoji" label={t('emoji')} onPick={pickEmoji} onClose={(back) => closeEmoji(back ? emojiButton.current : null)} />}
      <button type="submit" class="send" disabled={disabled} aria-label={t('send')} title={t('send')}>
        <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
          <path d="M3 20.5 21 12 3 3.5V10l12 2-12 2z" />
        </svg>
      </button>
      {Uploads && files && <Uploads t={t} token={files.token} chatId={files.chatId} settings={files.settings} batch={batch} />}
      {shownError && (
        <p class="err composer-err" id="f-composer-err" role="alert">
          {shownError}
        </p>
      )}
    </form>
  );
}
