import { useEffect } from 'preact/hooks';
import { PROFILE_ROUTE, allowedRoute, type Route } from '../state/route.js';
import { useConsole } from './hooks.js';
import { LanguagePicker } from './LanguagePicker.js';
import { QueuePanel } from './QueuePanel.js';
import { ChatList } from './ChatList.js';
import { Conversation } from './Conversation.js';
import { Details } from './Details.js';
import { AdminNav } from './AdminNav.js';
import { ReopenedNotices } from './ReopenedNotices.js';
import { Warnings } from './Warnings.js';
import { TemplatesView } from './admin/Templates.js';
import { OutboxView } from './admin/Outbox.js';
import { ChannelsView } from './admin/Channels.js';
import { UsersView } from './admin/Users.js';
import { KnowledgeBaseView } from './admin/KnowledgeBase.js';
import { RouteLink } from './admin/common.js';
import { ProfileView } from './Profile.js';
import { RequestsView } from './Requests.js';
import { IncomingTransfer } from './collab/IncomingTransfer.js';
import { TeamChats } from './collab/TeamChats.js';

export function Workspace() {
  const [snap, store] = useConsole();
  const { t, data } = snap;
  const presence = data.presence;
  const other = presence === 'present' ? 'away' : 'present';
  const isAdmin = snap.session?.agent.role === 'admin';
  // The store already keeps agents out of the admin views; this makes sure nothing renders them anyway.
  const route = allowedRoute(snap.route, snap.session?.agent.role);

  useEffect(() => {
    document.title = route.view === 'chats' ? `${t('app.title')} — ${t('app.subtitle')}` : `${t(`admin.${route.view}`)} — ${t('app.title')}`;
  }, [route.view, t]);

  return (
    <div class="workspace">
      <header class="topbar">
        <p class="brand">
          {t('app.title')} <span>{t('app.subtitle')}</span>
        </p>
        <AdminNav route={route} isAdmin={isAdmin} />
        {snap.connection !== 'online' && (
          <p class="conn" role="status" data-testid="connection" data-state={snap.connection}>
            {snap.connection === 'connecting' ? t('connection.connecting') : t('connection.offline')}
          </p>
        )}
        <div class="topbar-tools">
          <RouteLink class="me" route={PROFILE_ROUTE} data-testid="profile-link" aria-current={route.view === 'profile' ? 'page' : undefined}>
            <span class="visually-hidden">{t('profile.link')}: </span>
            <span data-testid="profile-link-name">{data.agent?.name}</span>
          </RouteLink>
          <button
            type="button"
            class={`presence presence-${presence}`}
            data-testid="presence-toggle"
            data-presence={presence}
            aria-label={`${t('presence.label')}: ${t(`presence.${presence}`)}. ${t('presence.switchTo', { presence: t(`presence.${other}`) })}`}
            onClick={() => store.claims.togglePresence()}
          >
            <span class="dot" aria-hidden="true" />
            {t(`presence.${presence}`)}
          </button>
          <LanguagePicker />
          <button type="button" class="link" data-testid="sign-out" onClick={() => void store.session.logout()}>
            {t('signOut')}
          </button>
        </div>
      </header>
      {snap.notice && (
        <div class="notice" role="alert" data-testid="notice">
          <span>{snap.notice}</span>
          <button type="button" class="link" onClick={() => store.notice.dismiss()}>
            {t('dismiss')}
          </button>
        </div>
      )}
      <Warnings />
      <ReopenedNotices />
      <IncomingTransfer />
      <View route={route} />
    </div>
  );
}

function View({ route }: { route: Route }) {
  switch (route.view) {
    case 'chats':
      return <ChatPanes />;
    case 'templates':
      return <TemplatesView route={route} />;
    case 'outbox':
      return <OutboxView route={route} />;
    case 'channels':
      return <ChannelsView route={route} />;
    case 'users':
      return <UsersView route={route} />;
    case 'faqs':
      return <KnowledgeBaseView route={route} />;
    case 'profile':
      return <ProfileView />;
    case 'requests':
      return <RequestsView route={route} />;
  }
}

/** Today's workspace: queue and chats, the conversation, the details. */
function ChatPanes() {
  const [snap] = useConsole();
  const { t } = snap;
  return (
    <div class="panes">
      <nav class="pane sidebar" aria-label={t('nav.label')}>
        <QueuePanel />
        <ChatList />
        <TeamChats />
      </nav>
      <main class="pane conversation" aria-label={t('conversation.label')}>
        <Conversation />
      </main>
      <aside class="pane details" aria-label={t('details.label')}>
        <Details />
      </aside>
    </div>
  );
}
