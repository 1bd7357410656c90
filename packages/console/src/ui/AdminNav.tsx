import { ADMIN_VIEWS, CHATS_ROUTE, adminRoute, type Route } from '../state/route.js';
import { RouteLink } from './admin/common.js';
import { useConsole } from './hooks.js';

/** Administrators' sections: the chats workspace and the admin views. Agents never see it. */
export function AdminNav({ route }: { route: Route }) {
  const [snap] = useConsole();
  const { t } = snap;
  const waiting = snap.data.queue.length;
  return (
    <nav class="admin-nav" aria-label={t('admin.nav')} data-nav="admin">
      <ul>
        <li>
          <RouteLink route={CHATS_ROUTE} data-testid="nav-chats" aria-current={route.view === 'chats' ? 'page' : undefined}>
            {t('admin.chats')}
            {waiting > 0 && route.view !== 'chats' && (
              <>
                {' '}
                <span class="badge badge-hot" aria-hidden="true">
                  {waiting}
                </span>
                <span class="visually-hidden">{t('queue.count', { count: waiting })}</span>
              </>
            )}
          </RouteLink>
        </li>
        {ADMIN_VIEWS.map((view) => (
          <li key={view}>
            <RouteLink route={adminRoute(view)} data-testid={`nav-${view}`} aria-current={route.view === view ? 'page' : undefined}>
              {t(`admin.${view}`)}
            </RouteLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}
