import { formatQueueMessage, type FaqAnswer, type FaqSuggestion, type WidgetConfig } from '@loket/protocol';
import type { RefObject } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { errorText, type Translate } from '../i18n.js';
import type { SessionActions, SessionState } from '../session.js';
import { Composer } from './Composer.js';
import { FaqAnswerView } from './FaqAnswerView.js';
import { Header, headerLogo } from './Header.js';
import { MessageList } from './MessageList.js';
import type { WaitingDetails } from './WaitingNotice.js';
import { useLazy } from './lazy.js';

interface Props {
  config: WidgetConfig;
  t: Translate;
  session: SessionActions;
  state: SessionState;
  mainRef: RefObject<HTMLElement>;
  rejected: { current: ((body: string) => void) | null };
  onClose(): void;
  onNewChat(): void;
  /** The FAQs suggested for the question, kept at hand while the chat waits in the queue. */
  suggestions?: FaqSuggestion[];
  /** For a request instead of waiting (the chat token and the pre-chat details the chat does not carry). */
  waitingDetails?: WaitingDetails;
  /** The chat's token: files are fetched and sent with it. */
  token: string;
}

export function ChatView({ config, t, session, state, mainRef, rejected, onClose, onNewChat, suggestions = [], waitingDetails, token }: Props) {
  const [confirming, setConfirming] = useState(false);
  const [endFailed, setEndFailed] = useState(false);
  const endButton = useRef<HTMLButtonElement>(null);
  const { chat, ended } = state;
  const agent = chat?.agent ?? null;
  const waiting = !ended && chat?.status === 'waiting';
  const postchat = ended && config.postchat.enabled;
  // Loaded the first time the channel cannot answer this chat; it then stays (it shows the request it made).
  const unavailable = state.availability !== null && !state.availability.available;
  const WaitingNotice = useLazy(unavailable, () => import('./WaitingNotice.js').then((m) => m.WaitingNotice));
  // Most chats end without the customer looking at the post-chat form, and none need it before.
  const FaqWhileWaiting = useLazy(suggestions.length > 0, () => import('./FaqSuggestions.js').then((m) => m.FaqWhileWaiting));
  // Asked for once the End button is hovered, focused or pressed, so the question is there when it is pressed.
  const [endIntent, setEndIntent] = useState(false);
  const ConfirmDialog = useLazy(endIntent || confirming, () => import('./ConfirmDialog.js').then((m) => m.ConfirmDialog));
  const PostChat = useLazy(postchat, () => import('./PostChat.js').then((m) => m.PostChat));

  // Back from the post-chat form: the composer returns; take the visitor there.
  // An old "could not end" must not come back with it.
  const wasEnded = useRef(ended);
  useEffect(() => {
    if (ended) setEndFailed(false);
    else if (wasEnded.current && document.hasFocus()) document.getElementById('f-composer')?.focus();
    wasEnded.current = ended;
  }, [ended]);

  // An FAQ from an agent's card, read inside the window; `from` is the card, which gets the focus back.
  const [reading, setReading] = useState<{ faq: FaqAnswer; from: HTMLElement } | null>(null);
  const returnTo = useRef<HTMLElement | null>(null);
  const closeFaq = () => {
    returnTo.current = reading?.from ?? null;
    setReading(null);
  };
  useEffect(() => {
    if (reading || !returnTo.current) return;
    returnTo.current.focus();
    returnTo.current = null;
  }, [reading]);

  const title = agent ? <span data-testid="agent-name">{agent.name}</span> : config.headerText;
  const photo = agent && config.showAgentPhoto ? agent.photoUrl : null;

  return (
    <div class="window">
      <Header title={title} t={t} onClose={onClose} photoUrl={photo} logo={headerLogo(config)}>
        {!ended && chat && (
          <button
            type="button"
            ref={endButton}
            class="text-btn"
            data-testid="end-chat"
            onPointerEnter={() => setEndIntent(true)}
            onFocus={() => setEndIntent(true)}
            onClick={() => setConfirming(true)}
          >
            {t('endChat')}
          </button>
        )}
      </Header>
      <main class="chat" ref={mainRef}>
        {reading && <FaqAnswerView faq={reading.faq} t={t} onBack={closeFaq} />}
        {/* Kept, only hidden, while an FAQ is read: the conversation, its scroll position and focus target stay. */}
        <div class="conv" hidden={reading !== null}>
          <LinkBanner state={state} t={t} onResume={() => session.resume()} />
          {waitingDetails && WaitingNotice && <WaitingNotice config={config} t={t} session={session} state={state} details={waitingDetails} />}
          <MessageList t={t} state={state} token={token} onOpenFaq={(faq, from) => setReading({ faq, from })} />
          {waiting && chat?.queue && (
            <p class="queue" role="status" data-testid="queue-message">
              {formatQueueMessage(config.queueMessage, chat.queue.position, chat.queue.avgWaitSeconds)}
            </p>
          )}
          {waiting && FaqWhileWaiting && <FaqWhileWaiting t={t} suggestions={suggestions} />}
          <p class="typing" aria-live="polite" data-testid={state.agentTyping !== null ? 'typing' : undefined}>
            {state.agentTyping !== null ? t('typing', { name: state.agentTyping || agent?.name || t('agent') }) : ''}
          </p>
          {postchat && (
            <div data-testid="chat-ended">
              {PostChat && <PostChat config={config} t={t} session={session} chat={chat} onNewChat={onNewChat} />}
            </div>
          )}
          {ended && !postchat && (
            <div class="ended" data-testid="chat-ended" role="status">
              <p>{t('ended')}</p>
              <button type="button" class="primary" data-testid="new-chat" data-autofocus onClick={onNewChat}>
                {t('newChat')}
              </button>
            </div>
          )}
        </div>
      </main>
      {/* Hidden, not removed, behind the post-chat form: a message refused as the chat ended goes back into it. */}
      <Composer
        t={t}
        session={session}
        disabled={ended}
        hidden={postchat || reading !== null}
        error={endFailed && !ended ? t('errNetwork') : state.error && errorText(t, state.error.code, state.error.message)}
        rejected={rejected}
        files={chat && token ? { settings: config.files, token, chatId: chat.id } : undefined}
      />
      {confirming && ConfirmDialog && (
        <ConfirmDialog
          title={t('confirmTitle')}
          text={t(config.postchat.enabled ? 'confirmTextBack' : 'confirmText')}
          confirm={t('confirmYes')}
          cancel={t('cancel')}
          onConfirm={() => {
            // Offline: say so rather than pretend; the visitor can try again once reconnected.
            setEndFailed(!session.end());
            setConfirming(false);
          }}
          onCancel={() => {
            setConfirming(false);
            endButton.current?.focus();
          }}
        />
      )}
    </div>
  );
}

function LinkBanner({ state, t, onResume }: { state: SessionState; t: Translate; onResume(): void }) {
  if (state.link === 'replaced') {
    return (
      <div class="banner" role="status">
        {t('replaced')}{' '}
        <button type="button" class="text-btn" onClick={onResume}>
          {t('continueHere')}
        </button>
      </div>
    );
  }
  if (state.link === 'ready' || state.link === 'stopped') return null;
  // Before the first successful auth this is plain "connecting", afterwards a lost connection.
  return (
    <div class="banner" role="status">
      {t(state.chat && state.link === 'retrying' ? 'reconnecting' : 'connecting')}
    </div>
  );
}
