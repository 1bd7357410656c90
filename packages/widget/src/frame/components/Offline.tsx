import type { WidgetConfig } from '@loket/protocol';
import type { Translate } from '../i18n.js';

/** What the window shows when nobody can answer: the channel's texts, or translated defaults when empty. */
export function Offline({ config, t }: { config: WidgetConfig; t: Translate }) {
  return (
    <section class="offline" data-testid="offline" aria-labelledby="off-title">
      <h2 id="off-title">{config.offline.header || t('offlineTitle')}</h2>
      <p>{config.offline.message || t('offlineText')}</p>
    </section>
  );
}
