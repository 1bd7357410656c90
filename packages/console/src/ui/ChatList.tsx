import { visibleChats } from '../state/reducer.js';
import { formatClock } from '../time.js';
import { useConsole, useNow } from './hooks.js';

export function ChatList() {
  const [snap, store] = useConsole();
  const now = useNow(30_000);
  const { t, data, selection } = snap;
  const chats = visibleChats(data, now);
  return (
    <section class="chats" aria-labelledby="chats-heading">
      <div class="section-head">
        <h2 id="chats-heading">{t('chats.heading')}</h2>
      </div>
      {chats.length === 0 ? (
        <p class="empty">{t('chats.empty')}</p>
      ) : (
        <ul class="items">
          {chats.map((chat) => {
            const current = selection?.kind === 'chat' && selection.chatId === chat.id;
            const typing = data.threads[chat.id]?.visitorTyping === true;
            return (
              <li key={chat.id}>
                <button
                  type="button"
                  class={`item status-${chat.status}`}
                  data-testid="chat-item"
                  data-chat-id={chat.id}
                  data-status={chat.status}
                  aria-current={current ? 'true' : undefined}
                  onClick={() => store.selection.select(chat.id)}
                >
                  <span class="item-line">
                    <strong class="name">{chat.visitorName}</strong>
                    <span
                      class="badge badge-hot"
                      data-testid="unread"
                      hidden={chat.unread === 0}
                      aria-label={t('chats.unread', { count: chat.unread })}
                    >
                      {chat.unread}
                    </span>
                  </span>
                  <span class="item-line">
                    <span class="snippet">
                      {typing ? t('typing.visitor', { name: chat.visitorName }) : (chat.lastMessage ?? t('chats.noMessages'))}
                    </span>
                    {chat.lastMessageAt !== null && <span class="meta">{formatClock(chat.lastMessageAt, snap.lang)}</span>}
                  </span>
                  <span class="channel">
                    {chat.channelName}
                    {chat.status === 'ended' && <span class="tag">{t('chats.ended')}</span>}
                    {chat.agentId !== data.agent?.id && <span class="tag">{t('collab.tagListening')}</span>}
                  </span>
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
