import { LIMITS } from '@loket/protocol';
import { useState } from 'preact/hooks';
import type { Translate } from '../i18n.js';
import { isSendKey } from './keys.js';

interface Props {
  t: Translate;
  /** A translated error from starting the chat. */
  error: string | null;
  onSubmit(question: string): Promise<void>;
}

export function QuestionForm({ t, error, onSubmit }: Props) {
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [localError, setLocalError] = useState<string | null>(null);
  const shownError = localError ?? error;

  const submit = async (): Promise<void> => {
    if (busy) return;
    const question = text.trim();
    if (!question) return setLocalError(t('errRequired'));
    if (question.length > LIMITS.messageBody) return setLocalError(t('errMessageTooLong'));
    setLocalError(null);
    setBusy(true);
    try {
      await onSubmit(question);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      class="form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <div class="field">
        <label for="f-question">{t('question')}</label>
        <textarea
          id="f-question"
          data-testid="question"
          data-autofocus
          rows={4}
          value={text}
          aria-invalid={Boolean(shownError)}
          aria-describedby={shownError ? 'f-question-hint f-question-err' : 'f-question-hint'}
          onInput={(e) => {
            setText(e.currentTarget.value);
            if (localError) setLocalError(null);
          }}
          onKeyDown={(e) => {
            if (isSendKey(e)) {
              e.preventDefault();
              void submit();
            }
          }}
        />
        <p class="hint" id="f-question-hint">
          {t('questionHint')}
        </p>
        {shownError && (
          <p class="err" id="f-question-err" role="alert">
            {shownError}
          </p>
        )}
      </div>
      <button type="submit" class="primary" aria-busy={busy}>
        {t(busy ? 'starting' : 'startChat')}
      </button>
    </form>
  );
}
