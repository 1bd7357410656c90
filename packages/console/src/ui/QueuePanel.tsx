import { formatElapsed } from '../time.js';
import { translateError } from '../i18n/index.js';
import { useConsole, useNow } from './hooks.js';

export function QueuePanel() {
  const [snap, store] = useConsole();
  const now = useNow();
  const { t, data, selection, claim } = snap;
  const count = data.queue.length;
  const nextError = claim.error && claim.chatId === null ? translateError(snap.lang, claim.error.code, claim.error.message) : null;
  return (
    <section class="queue" aria-labelledby="queue-heading">
      <div class="section-head">
        <h2 id="queue-heading">
          {t('queue.heading')}{' '}
          <span class={`badge${count > 0 ? ' badge-hot' : ''}`} data-testid="queue-count" aria-label={t('queue.count', { count })}>
            {count}
          </span>
        </h2>
        <button type="button" class="primary small" data-testid="get-next" disabled={count === 0 || claim.busy} onClick={() => store.claims.claimNext()}>
          {t('queue.getNext')}
        </button>
      </div>
      {nextError && (
        <p class="error" role="alert" data-testid="claim-error">
          {nextError}
        </p>
      )}
      {count === 0 ? (
        <p class="empty">{t('queue.empty')}</p>
      ) : (
        <ul class="items">
          {data.queue.map((item) => {
            const current = selection?.kind === 'preview' && selection.item.chatId === item.chatId;
            return (
              <li key={item.chatId}>
                <button
                  type="button"
                  class="item"
                  data-testid="queue-item"
                  data-chat-id={item.chatId}
                  aria-current={current ? 'true' : undefined}
                  onClick={() => store.selection.preview(item)}
                >
                  <span class="item-line">
                    <strong class="name">{item.visitorName}</strong>
                    <span class="meta" data-testid="waited">
                      {t('queue.waited', { time: formatElapsed(now - item.queuedAt, t) })}
                    </span>
                  </span>
                  <span class="item-line">
                    <span class="snippet">{item.question}</span>
                  </span>
                  <span class="channel">{item.channelName}</span>
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
