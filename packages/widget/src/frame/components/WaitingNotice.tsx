import type { RequestCreated, WidgetConfig } from '@loket/protocol';
import { useState } from 'preact/hooks';
import type { Translate } from '../i18n.js';
import type { SessionActions, SessionState } from '../session.js';
import { WhenOpen } from './Offline.js';
import { RequestDone, RequestForm, type RequestDraft } from './RequestForm.js';

export interface WaitingDetails {
  token: string;
  phone: string;
  company: string;
}

interface Props {
  config: WidgetConfig;
  t: Translate;
  session: SessionActions;
  state: SessionState;
  details: WaitingDetails;
}

/**
 * Above a waiting chat whose channel can no longer answer: says so, and offers to leave a request instead, filled in
 * from the chat so nothing is retyped. The customer may also just keep waiting; the notice goes when someone is back.
 * ChatView loads it on its own, the first time the channel cannot answer: most chats never need it.
 */
export function WaitingNotice({ config, t, session, state, details }: Props) {
  const [formOpen, setFormOpen] = useState(false);
  const [created, setCreated] = useState<RequestCreated | null>(null);
  const a = state.availability;
  const waiting = !state.ended && state.chat?.status === 'waiting';
  const shown = waiting && a !== null && !a.available;

  if (created) return <RequestDone t={t} created={created} />;
  if (!shown || !a) return null;
  if (formOpen) {
    const chat = state.chat;
    const first = state.timeline.events.find((e) => e.kind === 'message' && e.author.kind === 'visitor');
    const draft: RequestDraft = { name: chat?.visitorName ?? '', email: chat?.visitorEmail ?? '', phone: details.phone, company: details.company, question: first?.body ?? '' };
    return (
      <RequestForm
        config={config}
        t={t}
        initial={draft}
        chatToken={details.token}
        onCancel={() => setFormOpen(false)}
        onCreated={(c) => {
          setCreated(c);
          // The request carries the chat: it leaves the queue, ended by the customer who chose the request.
          session.end();
        }}
      />
    );
  }
  return (
    <div class="notice" role="status" data-testid="waiting-unavailable">
      <p>
        <strong>{t('waitingNobody')}</strong>
      </p>
      <WhenOpen availability={a} t={t} sayNoAgents={false} />
      {config.offline.requests && (
        <button type="button" class="secondary" data-testid="leave-request" onClick={() => setFormOpen(true)}>
          {t('leaveRequest')}
        </button>
      )}
    </div>
  );
}
