import { useEffect, useLayoutEffect, useRef } from 'preact/hooks';
import type { ChatEvent } from '@loket/protocol';
import type { Translate } from '../i18n/index.js';
import type { OutboxEntry } from '../state/outbox.js';
import { formatClock } from '../time.js';
import { ChatFile } from './ChatFile.js';
import { MessageText } from './MessageText.js';

interface Props {
  events: readonly ChatEvent[];
  pending: readonly OutboxEntry[];
  myId: string | undefined;
  visitorName: string;
  label: string;
  lang: string;
  t: Translate;
  onRetry?: (clientMsgId: string) => void;
  onDiscard?: (clientMsgId: string) => void;
  /** The customer has seen the chat up to this seq: my last message up to it is marked "Seen". */
  seenUpTo?: number;
}

export function MessageLog({ events, pending, myId, visitorName, label, lang, t, onRetry, onDiscard, seenUpTo = 0 }: Props) {
  const ref = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  // An entry whose event already arrived (event before ack) is no longer pending on screen.
  const stored = new Set(events.map((e) => e.clientMsgId).filter((id): id is string => id !== undefined));
  const unsent = pending.filter((p) => !stored.has(p.clientMsgId));
  const isMine = (e: ChatEvent) => e.author.kind === 'agent' && e.author.id === myId;
  let seenSeq = 0;
  for (const e of events) if ((e.kind === 'message' || e.kind === 'file') && isMine(e) && e.seq <= seenUpTo) seenSeq = e.seq;

  useLayoutEffect(() => {
    const el = ref.current;
    // Follow new messages only when the agent is already at the bottom, not while reading back.
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [events.length, unsent.length]);
  useEffect(() => {
    stick.current = true;
  }, [label]);

  return (
    <div
      class="log"
      ref={ref}
      role="log"
      aria-live="polite"
      aria-label={label}
      tabIndex={0}
      onScroll={(e) => {
        const el = e.currentTarget;
        stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
      }}
    >
      {events.map((e) =>
        e.kind === 'message' || e.kind === 'file' || e.kind === 'note' ? (
          <Bubble key={e.seq} event={e} mine={isMine(e)} seen={e.seq === seenSeq} visitorName={visitorName} lang={lang} t={t} />
        ) : e.kind === 'hidden' ? null : (
          <p key={e.seq} class="system" data-testid="event" data-kind={e.kind} data-seq={e.seq}>
            {systemText(e, visitorName, t)} <time dateTime={new Date(e.at).toISOString()}>{formatClock(e.at, lang)}</time>
          </p>
        ),
      )}
      {unsent.map((p) => (
        <div key={p.clientMsgId} class={`msg mine${p.status === 'failed' ? ' failed' : ''}`} data-testid="message" data-author="agent" data-pending="true">
          <MessageText body={p.body} />
          {p.status === 'pending' ? (
            <p class="msg-meta">{t('message.pending')}</p>
          ) : (
            <p class="msg-meta error" role="alert">
              {t('message.failed', { reason: p.error?.message ?? t('error.generic') })}{' '}
              {onRetry && (
                <button type="button" class="link" onClick={() => onRetry(p.clientMsgId)}>
                  {t('message.retry')}
                </button>
              )}{' '}
              {onDiscard && (
                <button type="button" class="link" onClick={() => onDiscard(p.clientMsgId)}>
                  {t('message.discard')}
                </button>
              )}
            </p>
          )}
        </div>
      ))}
    </div>
  );
}

function Bubble({ event, mine, seen, visitorName, lang, t }: { event: ChatEvent; mine: boolean; seen: boolean; visitorName: string; lang: string; t: Translate }) {
  const who = mine ? t('message.you') : event.author.kind === 'visitor' ? visitorName || t('message.visitor') : (event.author.name ?? '');
  // Internal notes look apart and say so: agents must never mistake one for what the customer saw.
  const note = event.kind === 'note';
  return (
    <div
      class={`msg ${mine ? 'mine' : event.author.kind}${note ? ' note' : ''}`}
      data-testid={note ? 'note' : 'message'}
      data-author={event.author.kind}
      data-seq={event.seq}
    >
      <p class="msg-meta">
        {note && <span class="note-tag">{t('note.label')}</span>}
        <span class="who">{who}</span> <time dateTime={new Date(event.at).toISOString()}>{formatClock(event.at, lang)}</time>
      </p>
      {event.file ? <ChatFile file={event.file} lang={lang} t={t} /> : <MessageText body={event.body ?? ''} />}
      {seen && (
        <p class="msg-seen" data-testid="seen">
          {t('message.seen', { name: visitorName || t('message.visitor') })}
        </p>
      )}
    </div>
  );
}

function systemText(e: ChatEvent, visitorName: string, t: Translate): string {
  const name = e.author.name ?? (e.author.kind === 'visitor' ? visitorName : '');
  switch (e.kind) {
    case 'queued':
      return t('event.queued', { name: visitorName });
    case 'joined':
      return t('event.joined', { name });
    case 'ended':
      if (e.endedBy === 'visitor') return t('event.endedByVisitor');
      if (e.endedBy === 'agent') return t('event.endedByAgent', { name });
      return t('event.endedBySystem');
    case 'reopened':
      return t('event.reopened', { name: e.author.kind === 'visitor' ? visitorName || t('message.visitor') : name });
    case 'message':
    case 'file':
    case 'note':
    case 'hidden':
      return e.body ?? '';
  }
}
