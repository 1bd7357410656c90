import type { Availability, WidgetConfig } from '@loket/protocol';
import type { ComponentChildren } from 'preact';
import { hoursLines, opensAt } from '../hours.js';
import type { Translate } from '../i18n.js';

/** What the window shows when nobody can answer: the channel's texts (or translated defaults), its hours, and `children` (the request form). */
export function Offline({ config, t, children }: { config: WidgetConfig; t: Translate; children?: ComponentChildren }) {
  return (
    <section class="offline" data-testid="offline" aria-labelledby="off-title">
      <h2 id="off-title">{config.offline.header || t('offlineTitle')}</h2>
      <p>{config.offline.message || t('offlineText')}</p>
      <WhenOpen availability={config.availability} t={t} />
      <Hours availability={config.availability} t={t} />
      {children}
    </section>
  );
}

/** "Opens tomorrow 08:00, your time", or (unless the caller said so already) that nobody is available within hours. */
export function WhenOpen({ availability: a, t, sayNoAgents = true }: { availability: Availability; t: Translate; sayNoAgents?: boolean }) {
  if (a.available) return null;
  if (a.reason === 'no_agents') return sayNoAgents ? <p data-testid="no-agents">{t('offlineNoAgents')}</p> : null;
  if (a.nextOpenAt === null) return null;
  return <p data-testid="opens-at">{t('offlineOpensAt', { when: opensAt(a.nextOpenAt, Date.now(), navigator.language) })}</p>;
}

/** The coming week's openings in the customer's own time zone and weekdays. */
function Hours({ availability: a, t }: { availability: Availability; t: Translate }) {
  if (!a.hasHours || a.upcoming.length === 0) return null;
  const lines = hoursLines(a.upcoming, navigator.language);
  return (
    <div class="hours">
      <h3 id="off-hours">{t('offlineHours')}</h3>
      <dl data-testid="hours">
        {lines.map((l) => (
          <div key={l.day}>
            <dt>{l.day}</dt>
            <dd>{l.ranges}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}
