import { useConsole } from './hooks.js';

/**
 * Unanswered-chat warnings: one banner per waiting chat and level, until opened, dismissed, or the
 * chat leaves the queue. role=alert: a customer waiting too long is worth interrupting for.
 */
export function Warnings() {
  const [snap, store] = useConsole();
  const { t, data } = snap;
  if (data.warnings.length === 0) return null;
  return (
    <div class="toasts">
      {data.warnings.map((w) => {
        const name = w.visitorName || t('message.visitor');
        return (
          <div key={`${w.level}-${w.chatId}`} class={`toast toast-warning toast-${w.level}`} role="alert" data-testid="warning-toast" data-chat-id={w.chatId} data-level={w.level}>
            <span>{store.warnings.warningText(w)}</span>
            <span class="toast-actions">
              <button type="button" class="primary small" data-testid="warning-open" aria-label={t('warning.openLabel', { name })} onClick={() => store.warnings.openWarning(w.chatId)}>
                {t('warning.open')}
              </button>
              <button type="button" class="link" data-testid="warning-dismiss" aria-label={t('warning.dismissLabel', { name })} onClick={() => store.warnings.dismissWarning(w.chatId)}>
                {t('dismiss')}
              </button>
            </span>
          </div>
        );
      })}
    </div>
  );
}
