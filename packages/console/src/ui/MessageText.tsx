import { useEffect, useState } from 'preact/hooks';
import { faqLinkId, isWebLink, linkify, type FaqAnswer } from '@loket/protocol';
import { useConsole } from './hooks.js';

/** A message as text with its http(s) and mailto links clickable and our FAQ pages' links as cards; nothing else is markup. */
export function MessageText({ body }: { body: string }) {
  return (
    <p class="body">
      {linkify(body).map((part, i) => {
        if (part.kind === 'text') return part.text;
        const faqId = faqLinkId(part.href, location.origin);
        return faqId !== null ? <FaqCard key={i} id={faqId} href={part.href} text={part.text} /> : <Link key={i} href={part.href} text={part.text} />;
      })}
    </p>
  );
}

function Link({ href, text }: { href: string; text: string }) {
  return (
    <a href={href} rel="noopener noreferrer nofollow" target={isWebLink(href) ? '_blank' : undefined}>
      {text}
    </a>
  );
}

/** The FAQ's title as a card opening its public page; one the public may not see stays a plain link. */
function FaqCard({ id, href, text }: { id: string; href: string; text: string }) {
  const [snap, store] = useConsole();
  const [faq, setFaq] = useState<FaqAnswer | null>(null);
  useEffect(() => {
    let live = true;
    void store.quickReplies.faq(id).then((f) => live && setFaq(f));
    return () => {
      live = false;
    };
  }, [id, store]);
  if (!faq) return <Link href={href} text={text} />;
  return (
    <a class="faq-card" href={href} target="_blank" rel="noopener noreferrer nofollow" data-testid="faq-card">
      <span class="faq-card-label">{snap.t('faqCard.label')}</span>
      <span class="faq-card-title" lang={faq.language}>
        {faq.question}
      </span>
    </a>
  );
}
