import { useConsole } from './hooks.js';

/** "Back to chat": a banner per chat whose customer went back after it ended, until opened or dismissed. */
export function ReopenedNotices() {
  const [snap, store] = useConsole();
  const { t, data } = snap;
  if (data.reopened.length === 0) return null;
  return (
    <div class="toasts">
      {data.reopened.map((n) => {
        const name = n.visitorName || t('message.visitor');
        const queued = data.chats[n.chatId]?.status !== 'active' && data.queue.some((q) => q.chatId === n.chatId);
        return (
          <div key={n.chatId} class="toast" role="status" data-testid="reopened-notice" data-chat-id={n.chatId}>
            <span>{t(queued ? 'reopened.queued' : 'reopened.notice', { name })}</span>
            <span class="toast-actions">
              <button type="button" class="primary small" data-testid="reopened-open" aria-label={t('reopened.openLabel', { name })} onClick={() => store.selection.openReopened(n.chatId)}>
                {t('reopened.open')}
              </button>
              <button type="button" class="link" data-testid="reopened-dismiss" aria-label={t('reopened.dismissLabel', { name })} onClick={() => store.selection.dismissReopened(n.chatId)}>
                {t('dismiss')}
              </button>
            </span>
          </div>
        );
      })}
    </div>
  );
}
