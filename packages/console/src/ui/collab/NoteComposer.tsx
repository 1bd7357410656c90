import { useEffect, useRef, useState } from 'preact/hooks';
import { LIMITS } from '@loket/protocol';
import { useConsole, useStore } from '../hooks.js';

/**
 * Internal notes: only agents see them. Listeners get this composer alone; the chat's owner opens it
 * beside the customer's composer. The text stays until the server has stored the note.
 */
export function NoteComposer({ chatId, alwaysOpen }: { chatId: string; alwaysOpen: boolean }) {
  const [snap] = useConsole();
  const [state, collab] = useStore((root) => root.collaboration);
  const { t } = snap;
  const [open, setOpen] = useState(alwaysOpen);
  const [text, setText] = useState('');
  const ref = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    setText('');
    setOpen(alwaysOpen);
  }, [chatId, alwaysOpen]);
  useEffect(() => {
    if (open && !alwaysOpen) ref.current?.focus();
  }, [open]);
  const sending = state.notesSending[chatId] === true;
  const error = state.noteErrors[chatId];
  const send = async () => {
    const body = text.trim();
    if (body === '' || body.length > LIMITS.messageBody || sending) return;
    if (await collab.sendNote(chatId, body)) setText('');
  };
  if (!open) {
    return (
      <div class="note-open">
        <button type="button" class="small" data-testid="note-open" onClick={() => setOpen(true)}>
          {t('note.open')}
        </button>
      </div>
    );
  }
  const id = `note-${chatId}`;
  return (
    <form
      class="composer note-composer"
      onSubmit={(e) => {
        e.preventDefault();
        void send();
      }}
    >
      <label for={id} class="note-label">
        {t('note.composerLabel')}
      </label>
      <textarea
        id={id}
        ref={ref}
        rows={2}
        data-testid="note-composer"
        value={text}
        onInput={(e) => setText(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
            e.preventDefault();
            void send();
          }
          if (e.key === 'Escape' && !alwaysOpen) setOpen(false);
        }}
      />
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <div class="composer-foot">
        {!alwaysOpen && (
          <button type="button" class="small" onClick={() => setOpen(false)}>
            {t('note.close')}
          </button>
        )}
        <button type="submit" class="small note-send" data-testid="note-send" disabled={text.trim() === '' || sending}>
          {t('note.add')}
        </button>
      </div>
    </form>
  );
}
