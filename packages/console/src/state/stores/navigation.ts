import type { Session } from '@loket/protocol';
import { CHATS_ROUTE, allowedRoute, formatRoute, parseRoute, sameRoute, type Route } from '../route.js';
import { Store } from './base.js';

/** Where the console is (the URL under /console/); admin views only for role 'admin'. */
export class RouteStore extends Store<{ route: Route }> {
  /** `role` is undefined before sign-in. */
  constructor(private readonly role: () => Session['agent']['role'] | undefined) {
    super({ route: currentLocation() });
  }

  /** Follows back/forward in the browser. */
  listen(): void {
    window.addEventListener('popstate', () => this.follow(currentLocation()));
  }

  /** Goes to `route` (a new history entry unless `replace`); admin views only for administrators. */
  navigate(route: Route, replace = false): void {
    const allowed = allowedRoute(route, this.role());
    if (sameRoute(allowed, this.state.route)) return;
    writeHistory(formatRoute(allowed), replace);
    this.set({ route: allowed });
  }

  /** Follows the address bar (start, back/forward); a view the user may not see is replaced by the chats. */
  follow(route: Route, role = this.role()): void {
    // Before sign-in the role is unknown: keep the deep link, it is checked again once the session starts.
    const allowed = role === undefined ? route : allowedRoute(route, role);
    if (!sameRoute(allowed, route)) writeHistory(formatRoute(allowed), true);
    if (!sameRoute(allowed, this.state.route)) this.set({ route: allowed });
  }
}

/** The route in the address bar; the chats when there is no address bar (tests). */
function currentLocation(): Route {
  const loc = typeof window === 'undefined' ? undefined : (window.location as Location | undefined);
  return loc ? parseRoute(loc.pathname, loc.search) : CHATS_ROUTE;
}

function writeHistory(url: string, replace: boolean): void {
  const history = typeof window === 'undefined' ? undefined : (window.history as History | undefined);
  if (!history) return;
  if (replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
}
