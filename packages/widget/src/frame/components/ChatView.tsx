import { formatQueueMessage, type FaqSuggestion, type WidgetConfig } from '@loket/protocol';
import type { RefObject } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { errorText, type Translate } from '../i18n.js';
import type { SessionActions, SessionState } from '../session.js';
import { Composer } from './Composer.js';
import { ConfirmDialog } from './ConfirmDialog.js';
import { FaqWhileWaiting } from './FaqSuggestions.js';
import { Header, headerLogo } from './Header.js';
import { MessageList } from './MessageList.js';
import type { WaitingDetails } from './WaitingNotice.js';

type Notice = (typeof import('./WaitingNotice.js'))['WaitingNotice'];
type PostChatForm = (typeof import('./PostChat.js'))['PostChat'];

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
  // The post-chat form is its own chunk, loaded when a chat ends: most of the chat window's life it isn't needed.
  const [PostChat, setPostChat] = useState<PostChatForm | null>(null);
  useEffect(() => {
    if (postchat && !PostChat) void import('./PostChat.js').then((m) => setPostChat(() => m.PostChat));
  }, [postchat, PostChat]);
  // Loaded the first time the channel cannot answer this chat; it then stays (it shows the request it made).
  const [WaitingNotice, setWaitingNotice] = useState<Notice | null>(null);
  const unavailable = state.availability !== null && !state.availability.available;
  useEffect(() => {
    if (unavailable && !WaitingNotice) void import('./WaitingNotice.js').then((m) => setWaitingNotice(() => m.WaitingNotice));
  }, [unavailable, WaitingNotice]);

  // Back from the post-chat form: the composer returns; take the visitor there.
  // An old "could not end" must not come back with it.
  const wasEnded = useRef(ended);
  useEffect(() => {
    if (ended) setEndFailed(false);
    else if (wasEnded.current && document.hasFocus()) document.getElementById('f-composer')?.focus();
    wasEnded.current = ended;
  }, [ended]);

  const title = agent ? <span data-testid="agent-name">{agent.name}</span> : config.headerText;
  const photo = agent && config.showAgentPhoto ? agent.photoUrl : null;

  return (
    <div class="window">
      <Header title={title} t={t} onClose={onClose} photoUrl={photo} logo={headerLogo(config)}>
        {!ended && chat && (
          <button type="button" ref={endButton} class="text-btn" data-testid="end-chat" onClick={() => setConfirming(true)}>
            {t('endChat')}
          </button>
        )}
      </Header>
      <main class="chat" ref={mainRef}>
        <LinkBanner state={state} t={t} onResume={() => session.resume()} />
        {waitingDetails && WaitingNotice && <WaitingNotice config={config} t={t} session={session} state={state} details={waitingDetails} />}
        <MessageList t={t} state={state} token={token} />
        {waiting && chat?.queue && (
          <p class="queue" role="status" data-testid="queue-message">
            {formatQueueMessage(config.queueMessage, chat.queue.position, chat.queue.avgWaitSeconds)}
          </p>
        )}
        {waiting && <FaqWhileWaiting t={t} suggestions={suggestions} />}
        <p class="typing" aria-live="polite" data-testid={state.agentTyping !== null ? 'typing' : undefined}>
          {state.agentTyping !== null ? t('typing', { name: state.agentTyping || agent?.name || t('agent') }) : ''}
        </p>
        {postchat && PostChat && (
          <div data-testid="chat-ended">
            <PostChat config={config} t={t} session={session} chat={chat} onNewChat={onNewChat} />
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
      </main>
      {/* Hidden, not removed, behind the post-chat form: a message refused as the chat ended goes back into it. */}
      <Composer
        t={t}
        session={session}
        disabled={ended}
        hidden={postchat}
        error={endFailed && !ended ? t('errNetwork') : state.error && errorText(t, state.error.code, state.error.message)}
        rejected={rejected}
        files={chat && token ? { settings: config.files, token, chatId: chat.id } : undefined}
      />
      {confirming && (
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
