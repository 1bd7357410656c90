import { faqLinkId, isWebLink, linkify, type FaqAnswer } from '@loket/protocol';
import { useEffect, useState } from 'preact/hooks';
import { fetchFaqAnswer } from '../api.js';
import type { Translate } from '../i18n.js';

/** Opens an FAQ's answer inside the chat window; `from` gets the focus back afterwards. */
export type OpenFaq = (faq: FaqAnswer, from: HTMLElement) => void;

/** A message as text, its http(s) and mailto links clickable and links to our FAQ pages as cards; nothing else is markup. */
export function MessageText({ body, t, onOpenFaq }: { body: string; t: Translate; onOpenFaq?: OpenFaq }) {
  return (
    <p class="text">
      {linkify(body).map((part, i) => {
        if (part.kind === 'text') return part.text;
        const faqId = onOpenFaq ? faqLinkId(part.href, location.origin) : null;
        return faqId !== null && onOpenFaq ? <FaqCard key={i} id={faqId} href={part.href} text={part.text} t={t} onOpen={onOpenFaq} /> : <Link key={i} href={part.href} text={part.text} />;
      })}
    </p>
  );
}

function Link({ href, text }: { href: string; text: string }) {
  return isWebLink(href) ? (
    <a href={href} target="_blank" rel="noopener noreferrer nofollow">
      {text}
    </a>
  ) : (
    <a href={href} rel="noopener noreferrer nofollow">
      {text}
    </a>
  );
}

/** The FAQ's title as a card; an FAQ the public may not see (or cannot be fetched) stays a plain link. */
function FaqCard({ id, href, text, t, onOpen }: { id: string; href: string; text: string; t: Translate; onOpen: OpenFaq }) {
  const [faq, setFaq] = useState<FaqAnswer | null | undefined>(undefined);
  useEffect(() => {
    let live = true;
    void fetchFaqAnswer(id, t).then((f) => live && setFaq(f));
    return () => {
      live = false;
    };
  }, [id, t]);
  if (!faq) return <Link href={href} text={text} />;
  return (
    <a
      class="faq-card"
      href={href}
      target="_blank"
      rel="noopener noreferrer nofollow"
      data-testid="faq-card"
      onClick={(e) => {
        // A plain click reads the answer here; Ctrl/⌘-click and middle-click still open the page.
        if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
        e.preventDefault();
        onOpen(faq, e.currentTarget);
      }}
    >
      <span class="faq-card-label">{t('faqCard')}</span>
      <span class="faq-card-title" lang={faq.language}>
        {faq.question}
      </span>
    </a>
  );
}
