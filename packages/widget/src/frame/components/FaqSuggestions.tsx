import type { FaqSuggestion } from '@loket/protocol';
import { useEffect, useRef } from 'preact/hooks';
import type { Translate } from '../i18n.js';
import { isShown } from '../parent.js';

/** Takes focus to a view's heading when it appears, so screen readers announce it; never from the background. */
function useFocusOnMount() {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (document.hasFocus() && isShown()) heading.current?.focus();
  }, []);
  return heading;
}

/** The FAQ's page opens in a new tab, so the customer keeps their place in the chat window. */
function FaqLink({ faq, id, t }: { faq: FaqSuggestion; id?: string; t: Translate }) {
  return (
    <a id={id} href={faq.url} target="_blank" rel="noopener noreferrer" data-testid="faq-link">
      {faq.question}
      <span aria-hidden="true"> ↗</span>
      <span class="sr-only"> {t('faqNewTab')}</span>
    </a>
  );
}

interface Props {
  t: Translate;
  suggestions: FaqSuggestion[];
  /** Starting the chat is under way. */
  busy: boolean;
  /** A translated error from starting the chat. */
  error: string | null;
  onAnswered(faq: FaqSuggestion): void;
  onStartChat(): void;
}

/**
 * The FAQs that may answer the question, before any chat exists. Each has its own "This answered my question" so
 * the deflection is counted for the FAQ that helped, without asking which one afterwards.
 */
export function FaqSuggestions({ t, suggestions, busy, error, onAnswered, onStartChat }: Props) {
  const heading = useFocusOnMount();
  return (
    <section class="faq" data-testid="faq-suggestions" aria-labelledby="faq-title">
      <h2 id="faq-title" tabIndex={-1} ref={heading} data-autofocus>
        {t('faqHeading', { count: suggestions.length })}
      </h2>
      <ul class="faq-list">
        {suggestions.map((faq, i) => (
          <li key={faq.id} data-testid="faq-suggestion" data-faq-id={faq.id}>
            <FaqLink faq={faq} id={`faq-${i}`} t={t} />
            <button type="button" class="text-btn" data-testid="faq-answered" aria-describedby={`faq-${i}`} onClick={() => onAnswered(faq)}>
              {t('faqAnswered')}
            </button>
          </li>
        ))}
      </ul>
      <p class="hint" id="faq-chat-hint">
        {t('faqChatHint')}
      </p>
      {error && (
        <p class="err" id="faq-err" role="alert">
          {error}
        </p>
      )}
      <button
        type="button"
        class="primary"
        data-testid="faq-start-chat"
        aria-busy={busy}
        aria-describedby={error ? 'faq-chat-hint faq-err' : 'faq-chat-hint'}
        onClick={() => {
          if (!busy) onStartChat();
        }}
      >
        {t(busy ? 'starting' : 'startChat')}
      </button>
    </section>
  );
}

/** After "This answered my question": no chat was created; the customer may ask something else. */
export function FaqThanks({ t, onAskAnother }: { t: Translate; onAskAnother(): void }) {
  const heading = useFocusOnMount();
  return (
    <section class="faq" data-testid="faq-thanks" aria-labelledby="faq-thanks-title">
      <h2 id="faq-thanks-title" tabIndex={-1} ref={heading} data-autofocus>
        {t('faqThanksTitle')}
      </h2>
      <p>{t('faqThanksText')}</p>
      <button type="button" class="primary" data-testid="faq-ask-another" onClick={onAskAnother}>
        {t('faqAskAnother')}
      </button>
    </section>
  );
}

/** While the chat waits in the queue: the same suggestions, folded away until wanted. */
export function FaqWhileWaiting({ t, suggestions }: { t: Translate; suggestions: FaqSuggestion[] }) {
  if (suggestions.length === 0) return null;
  return (
    <details class="faq-waiting" data-testid="faq-waiting">
      <summary>{t('faqWhileWaiting')}</summary>
      <ul class="faq-list">
        {suggestions.map((faq) => (
          <li key={faq.id} data-testid="faq-suggestion" data-faq-id={faq.id}>
            <FaqLink faq={faq} t={t} />
          </li>
        ))}
      </ul>
    </details>
  );
}
