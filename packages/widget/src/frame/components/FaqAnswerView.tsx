import type { FaqAnswer } from '@loket/protocol';
import { useEffect, useRef } from 'preact/hooks';
import type { Translate } from '../i18n.js';

/**
 * An FAQ's answer read inside the chat window, in place of the conversation (which stays as it was underneath). Back,
 * or Escape, returns to the conversation. The answer is the server's rendered Markdown, as on the public help page.
 */
export function FaqAnswerView({ faq, t, onBack }: { faq: FaqAnswer; t: Translate; onBack(): void }) {
  const back = useRef<HTMLButtonElement>(null);
  useEffect(() => back.current?.focus(), [faq.id]);
  return (
    <section
      class="faq-answer"
      aria-labelledby="faq-answer-title"
      data-testid="faq-answer"
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          // Handled: the window stays open (App closes it on an unhandled Escape).
          e.preventDefault();
          onBack();
        }
      }}
    >
      <button type="button" class="text-btn" ref={back} data-testid="faq-back" onClick={onBack}>
        ← {t('faqBack')}
      </button>
      <h2 id="faq-answer-title" lang={faq.language}>
        {faq.question}
      </h2>
      {/* Rendered and sanitised by the server's FAQ renderer (packages/server/src/faq/markdown.ts), as on /help. */}
      <div class="answer" lang={faq.language} dangerouslySetInnerHTML={{ __html: faq.html }} />
    </section>
  );
}
