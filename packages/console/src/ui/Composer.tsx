import { useEffect, useRef } from 'preact/hooks';
import { LIMITS } from '@loket/protocol';
import { useConsole } from './hooks.js';

export function Composer({ chatId, visitorName }: { chatId: string; visitorName: string }) {
  const [snap, store] = useConsole();
  const { t } = snap;
  const draft = snap.drafts[chatId] ?? '';
  const ref = useRef<HTMLTextAreaElement>(null);
  const over = draft.trim().length - LIMITS.messageBody;
  useEffect(() => ref.current?.focus(), [chatId]);

  const send = () => {
    store.sendDraft(chatId);
    ref.current?.focus();
  };

  return (
    <form
      class="composer"
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
        onInput={(e) => store.setDraft(chatId, e.currentTarget.value)}
        onKeyDown={(e) => {
          // isComposing: ENTER that confirms an IME candidate must not send.
          if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
            e.preventDefault();
            send();
          }
        }}
      />
      <div class="composer-foot">
        <p id={`composer-hint-${chatId}`} class={over > 0 ? 'error' : 'hint'}>
          {over > 0 ? t('composer.tooLong', { over }) : t('composer.hint')}
        </p>
        <button type="submit" class="primary small" disabled={draft.trim() === '' || over > 0}>
          {t('composer.send')}
        </button>
      </div>
    </form>
  );
}
