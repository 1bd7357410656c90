import { ADMIN_VIEWS, CHATS_ROUTE, REQUESTS_ROUTE, adminRoute, type Route } from '../state/route.js';
import { RouteLink } from './admin/common.js';
import { useConsole } from './hooks.js';

/** The sections: chats and requests for everyone, then the admin views for administrators only. */
export function AdminNav({ route, isAdmin }: { route: Route; isAdmin: boolean }) {
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
        <li>
          <RouteLink route={REQUESTS_ROUTE} data-testid="nav-requests" aria-current={route.view === 'requests' ? 'page' : undefined}>
            {t('admin.requests')}
          </RouteLink>
        </li>
        {(isAdmin ? ADMIN_VIEWS : []).map((view) => (
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
