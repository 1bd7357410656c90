import { useEffect, useMemo, useRef } from 'preact/hooks';
import type { Translate } from '../i18n.js';
import type { SessionState } from '../session.js';
import { formatClock } from '../time.js';
import { FileCard } from './FileCard.js';
import { renderMessages, type RenderedMessage } from '../timeline.js';
import { MessageText, type OpenFaq } from './MessageText.js';

export function MessageList({ t, state, token, onOpenFaq }: { t: Translate; state: SessionState; token: string; onOpenFaq?: OpenFaq }) {
  const messages = useMemo(
    () => renderMessages(state.timeline, state.outbox, state.chat?.agentReadSeq ?? 0),
    [state.timeline, state.outbox, state.chat?.agentReadSeq],
  );
  const listRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = listRef.current?.closest('main');
    if (el) el.scrollTop = el.scrollHeight;
  }, [messages.length, state.agentTyping, state.ended]);

  return (
    <div class="log" role="log" aria-live="polite" aria-label={t('conversation')} ref={listRef}>
      {messages.map((m) => (
        <Bubble key={m.key} m={m} t={t} token={token} onOpenFaq={onOpenFaq} />
      ))}
    </div>
  );
}

function Bubble({ m, t, token, onOpenFaq }: { m: RenderedMessage; t: Translate; token: string; onOpenFaq: OpenFaq | undefined }) {
  if (m.author === 'system') {
    const text =
      m.kind === 'joined' ? t('joined', { name: m.name ?? t('agent') }) : m.kind === 'ended' || m.kind === 'reopened' ? t(m.kind) : m.body;
    return (
      <p class="msg system" data-testid="message" data-author="system" data-seq={m.seq ?? undefined}>
        {text}
      </p>
    );
  }
  const own = m.author === 'visitor';
  return (
    <div
      class={own ? 'msg own' : 'msg other'}
      data-testid="message"
      data-author={m.author}
      data-seq={m.seq ?? undefined}
      data-state={own ? m.state : undefined}
    >
      <span class="sr-only">{own ? t('you') : (m.name ?? t('agent'))}: </span>
      {/* FAQ cards are for what the agent sends; the customer's own links stay links. */}
      {m.file ? <FileCard file={m.file} token={token} /> : <MessageText body={m.body} t={t} onOpenFaq={own ? undefined : onOpenFaq} />}
      <time class="at" dateTime={new Date(m.at).toISOString()}>
        {formatClock(m.at)}
      </time>
      {own && m.state && <span class="state">{t(m.state)}</span>}
    </div>
  );
}
