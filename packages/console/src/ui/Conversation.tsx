import type { AgentChatSummary, QueueItem } from '@loket/protocol';
import { forChat } from '../state/outbox.js';
import { EMPTY_THREAD } from '../state/thread.js';
import { formatClock, formatElapsed } from '../time.js';
import { Composer } from './Composer.js';
import { translateError } from '../i18n/index.js';
import { useConsole, useNow, useStore } from './hooks.js';
import { MessageLog } from './MessageLog.js';
import { TaskMenu } from './TaskMenu.js';
import { NoteComposer } from './collab/NoteComposer.js';
import { TransferDialog } from './collab/TransferDialog.js';
import { useState } from 'preact/hooks';

export function Conversation() {
  const [snap] = useConsole();
  const { selection, t } = snap;
  if (selection === null) return <p class="placeholder">{t('conversation.none')}</p>;
  if (selection.kind === 'preview') {
    const mine = snap.data.chats[selection.item.chatId];
    return mine ? <ChatView chat={mine} /> : <PreviewView item={selection.item} />;
  }
  const chat = snap.data.chats[selection.chatId];
  return chat ? <ChatView chat={chat} /> : <p class="placeholder">{t('conversation.none')}</p>;
}

function PreviewView({ item }: { item: QueueItem }) {
  const [snap, store] = useConsole();
  const now = useNow();
  const { t, claim } = snap;
  const thread = snap.data.threads[item.chatId] ?? EMPTY_THREAD;
  const stillWaiting = snap.data.queue.some((q) => q.chatId === item.chatId);
  const error = claim.error && claim.chatId === item.chatId ? translateError(snap.lang, claim.error.code, claim.error.message) : null;
  const hasQuestion = thread.events.some((e) => e.kind === 'message');
  return (
    <>
      <header class="conv-head">
        <div>
          <h1>{item.visitorName}</h1>
          <p class="meta">
            {item.channelName} · {t('status.waiting')}
          </p>
        </div>
      </header>
      {hasQuestion ? (
        <MessageLog events={thread.events} pending={[]} myId={snap.data.agent?.id} visitorName={item.visitorName} label={t('conversation.messages', { name: item.visitorName })} lang={snap.lang} t={t} />
      ) : (
        // Until the log arrives, the queue item's question is the preview.
        <div class="log" role="log" aria-label={t('conversation.messages', { name: item.visitorName })}>
          <div class="msg visitor" data-testid="message" data-author="visitor">
            <p class="body">{item.question}</p>
          </div>
        </div>
      )}
      <div class="take">
        {error && (
          <p class="error" role="alert" data-testid="claim-error">
            {error}
          </p>
        )}
        {/* The ticking wait time is not a live region: it would be announced every second. */}
        {stillWaiting ? (
          <p class="hint">{t('conversation.preview', { channel: item.channelName, time: formatElapsed(now - item.queuedAt, t) })}</p>
        ) : (
          <p class="hint" role="status">
            {t('conversation.gone')}
          </p>
        )}
        {/* Stays clickable after the chat left the queue: an agent who clicks just too late gets the server's clear answer. */}
        <button type="button" class="primary" data-testid="take-chat" disabled={claim.busy} onClick={() => store.claims.claim(item.chatId)}>
          {claim.busy && claim.chatId === item.chatId ? t('conversation.taking') : t('conversation.take')}
        </button>
      </div>
    </>
  );
}

function ChatView({ chat }: { chat: AgentChatSummary }) {
  const [snap, store] = useConsole();
  const [, collab] = useStore((root) => root.collaboration);
  const { t } = snap;
  const thread = snap.data.threads[chat.id] ?? EMPTY_THREAD;
  const load = snap.loads[chat.id];
  // In my list but served by someone else: I listen in, silently and read-only.
  const listening = chat.agentId !== snap.data.agent?.id;
  const outgoing = collab.outgoing(chat.id);
  const manages = chat.status === 'active' && collab.manages(chat.channelId);
  const [transferring, setTransferring] = useState(false);
  return (
    <>
      <header class="conv-head">
        <div>
          <h1>
            {chat.visitorName}
            {listening && (
              <span class="listening-badge" data-testid="listening">
                {t('collab.listening')}
              </span>
            )}
          </h1>
          <p class="meta">
            {chat.channelName} · {t(`status.${chat.status}`)}
          </p>
        </div>
        {chat.status === 'active' && !listening && <TaskMenu chat={chat} />}
        {listening && (
          <div class="head-actions">
            {manages && (
              <button type="button" class="small" data-testid="take-over" onClick={() => collab.takeOver(chat.id)}>
                {t('collab.takeOver')}
              </button>
            )}
            {/* Managers transfer any chat of their channels, not only their own. */}
            {manages && !outgoing && (
              <button type="button" class="small" data-testid="manager-transfer" onClick={() => setTransferring(true)}>
                {t('transfer.menu')}
              </button>
            )}
            {transferring && <TransferDialog chat={chat} mode="agent" onClose={() => setTransferring(false)} />}
            <button type="button" class="small" data-testid="stop-listening" onClick={() => collab.unlisten(chat.id)}>
              {t('collab.stopListening')}
            </button>
          </div>
        )}
      </header>
      {load === 'loading' && thread.events.length === 0 && (
        <p class="hint" role="status">
          {t('conversation.loading')}
        </p>
      )}
      {load === 'error' && (
        <p class="error" role="alert">
          {t('conversation.loadError')}
        </p>
      )}
      <MessageLog
        events={thread.events}
        pending={forChat(snap.outbox, chat.id)}
        myId={snap.data.agent?.id}
        visitorName={chat.visitorName}
        label={t('conversation.messages', { name: chat.visitorName })}
        lang={snap.lang}
        t={t}
        onRetry={(id) => store.composer.retrySend(id)}
        onDiscard={(id) => store.composer.discardSend(id)}
        seenUpTo={chat.visitorReadSeq}
      />
      {chat.status !== 'ended' && chat.visitorLeftAt !== null && (
        <p class="visitor-left" role="status" data-testid="visitor-left">
          {t('conversation.visitorLeft', { name: chat.visitorName || t('message.visitor'), time: formatClock(chat.visitorLeftAt, snap.lang) })}
        </p>
      )}
      <div class="typing-slot" aria-live="polite">
        {thread.visitorTyping && chat.status === 'active' && (
          <p class="typing" data-testid="typing">
            {t('typing.visitor', { name: chat.visitorName })}
          </p>
        )}
      </div>
      {outgoing && (
        <p class="pending-transfer" role="status" data-testid="transfer-pending">
          {t('transfer.pending', { name: outgoing.to.name })}{' '}
          <button type="button" class="small" data-testid="transfer-cancel" onClick={() => collab.cancel(outgoing.id)}>
            {t('transfer.cancelPending')}
          </button>
        </p>
      )}
      {chat.status === 'ended' && (
        <p class="ended" role="status" data-testid="chat-ended">
          {t('conversation.ended')}
        </p>
      )}
      {chat.status === 'active' && listening && <p class="listening-hint hint">{t('collab.listeningHint')}</p>}
      {chat.status === 'active' && !listening && <Composer chatId={chat.id} visitorName={chat.visitorName} />}
      {chat.status === 'active' && <NoteComposer chatId={chat.id} alwaysOpen={listening} />}
    </>
  );
}
