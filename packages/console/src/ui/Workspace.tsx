import { useConsole } from './hooks.js';
import { LanguagePicker } from './LanguagePicker.js';
import { QueuePanel } from './QueuePanel.js';
import { ChatList } from './ChatList.js';
import { Conversation } from './Conversation.js';
import { Details } from './Details.js';

export function Workspace() {
  const [snap, store] = useConsole();
  const { t, data } = snap;
  const presence = data.presence;
  const other = presence === 'present' ? 'away' : 'present';
  return (
    <div class="workspace">
      <header class="topbar">
        <p class="brand">
          {t('app.title')} <span>{t('app.subtitle')}</span>
        </p>
        {snap.connection !== 'online' && (
          <p class="conn" role="status" data-testid="connection" data-state={snap.connection}>
            {snap.connection === 'connecting' ? t('connection.connecting') : t('connection.offline')}
          </p>
        )}
        <div class="topbar-tools">
          <span class="me">{data.agent?.name}</span>
          <button
            type="button"
            class={`presence presence-${presence}`}
            data-testid="presence-toggle"
            data-presence={presence}
            aria-label={`${t('presence.label')}: ${t(`presence.${presence}`)}. ${t('presence.switchTo', { presence: t(`presence.${other}`) })}`}
            onClick={() => store.togglePresence()}
          >
            <span class="dot" aria-hidden="true" />
            {t(`presence.${presence}`)}
          </button>
          <LanguagePicker />
          <button type="button" class="link" data-testid="sign-out" onClick={() => void store.logout()}>
            {t('signOut')}
          </button>
        </div>
      </header>
      {snap.notice && (
        <div class="notice" role="alert" data-testid="notice">
          <span>{snap.notice}</span>
          <button type="button" class="link" onClick={() => store.dismissNotice()}>
            {t('dismiss')}
          </button>
        </div>
      )}
      <div class="panes">
        <nav class="pane sidebar" aria-label={t('nav.label')}>
          <QueuePanel />
          <ChatList />
        </nav>
        <main class="pane conversation" aria-label={t('conversation.label')}>
          <Conversation />
        </main>
        <aside class="pane details" aria-label={t('details.label')}>
          <Details />
        </aside>
      </div>
    </div>
  );
}
