import { EmailStatusSchema, type EmailStatus } from '@loket/protocol';

/**
 * Client-side routes under /console/ (path routing: the server answers every extension-less
 * /console/… URL with the console's index page, so deep links survive a reload).
 *
 *   /console/                     the chats workspace
 *   /console/templates            reply templates; /templates/new, /templates/<id>
 *   /console/outbox?status=failed the e-mail outbox; /outbox/<id> with one e-mail open
 *   /console/channels             channels; /channels/<id> with one channel open
 *   /console/users                users (agents); /users/new, /users/<id>
 *   /console/faqs                 knowledge base (FAQ folders and FAQs); /faqs/new, /faqs/<id>
 *   /console/profile              my profile (every agent)
 *   /console/requests             requests left through the offline form (every agent); /requests/<id>
 */
export const CONSOLE_BASE = '/console/';

export const ADMIN_VIEWS = ['templates', 'outbox', 'channels', 'users', 'faqs'] as const;
export type AdminView = (typeof ADMIN_VIEWS)[number];

export type Route =
  | { view: 'chats' }
  | { view: 'templates'; templateId: string | null; creating: boolean }
  | { view: 'outbox'; emailId: string | null; status: EmailStatus | null }
  | { view: 'channels'; channelId: string | null }
  | { view: 'users'; userId: string | null; creating: boolean }
  | { view: 'faqs'; faqId: string | null; creating: boolean }
  | { view: 'profile' }
  | { view: 'requests'; requestId: string | null };

export const CHATS_ROUTE: Route = { view: 'chats' };

export const PROFILE_ROUTE: Route = { view: 'profile' };

export const REQUESTS_ROUTE: Route = { view: 'requests', requestId: null };

export function isAdminRoute(route: Route): route is Exclude<Route, { view: 'chats' | 'profile' | 'requests' }> {
  return (ADMIN_VIEWS as readonly string[]).includes(route.view);
}

/** The route a signed-in user may see: the admin views only exist for administrators. */
export function allowedRoute(route: Route, role: 'admin' | 'agent' | null | undefined): Route {
  return isAdminRoute(route) && role !== 'admin' ? CHATS_ROUTE : route;
}

/** The landing route of an admin view (what its nav link opens). */
export function adminRoute(view: AdminView): Route {
  switch (view) {
    case 'templates':
      return { view, templateId: null, creating: false };
    case 'outbox':
      return { view, emailId: null, status: null };
    case 'channels':
      return { view, channelId: null };
    case 'users':
      return { view, userId: null, creating: false };
    case 'faqs':
      return { view, faqId: null, creating: false };
  }
}

function decode(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

/** Unknown or malformed paths fall back to the chats workspace. */
export function parseRoute(pathname: string, search = ''): Route {
  const base = CONSOLE_BASE.replace(/\/$/, '');
  if (pathname !== base && !pathname.startsWith(CONSOLE_BASE)) return CHATS_ROUTE;
  const parts = pathname.slice(CONSOLE_BASE.length).split('/').filter((p) => p !== '');
  const segments = parts.map(decode);
  if (segments.some((s) => s === null || s === '')) return CHATS_ROUTE;
  const [view, id, ...rest] = segments as string[];
  if (rest.length > 0) return CHATS_ROUTE;
  switch (view) {
    case 'templates':
      if (id === 'new') return { view, templateId: null, creating: true };
      return { view, templateId: id ?? null, creating: false };
    case 'outbox': {
      const status = EmailStatusSchema.safeParse(new URLSearchParams(search).get('status'));
      return { view, emailId: id ?? null, status: status.success ? status.data : null };
    }
    case 'channels':
      return { view, channelId: id ?? null };
    case 'users':
      if (id === 'new') return { view, userId: null, creating: true };
      return { view, userId: id ?? null, creating: false };
    case 'faqs':
      if (id === 'new') return { view, faqId: null, creating: true };
      return { view, faqId: id ?? null, creating: false };
    case 'profile':
      return id === undefined ? PROFILE_ROUTE : CHATS_ROUTE;
    case 'requests':
      return { view, requestId: id ?? null };
    default:
      return CHATS_ROUTE;
  }
}

export function formatRoute(route: Route): string {
  const at = (...segments: string[]) => CONSOLE_BASE + segments.map(encodeURIComponent).join('/');
  switch (route.view) {
    case 'chats':
      return CONSOLE_BASE;
    case 'templates':
      if (route.creating) return at('templates', 'new');
      return route.templateId === null ? at('templates') : at('templates', route.templateId);
    case 'outbox': {
      const path = route.emailId === null ? at('outbox') : at('outbox', route.emailId);
      return route.status === null ? path : `${path}?status=${route.status}`;
    }
    case 'channels':
      return route.channelId === null ? at('channels') : at('channels', route.channelId);
    case 'users':
      if (route.creating) return at('users', 'new');
      return route.userId === null ? at('users') : at('users', route.userId);
    case 'faqs':
      if (route.creating) return at('faqs', 'new');
      return route.faqId === null ? at('faqs') : at('faqs', route.faqId);
    case 'profile':
      return at('profile');
    case 'requests':
      return route.requestId === null ? at('requests') : at('requests', route.requestId);
  }
}

export function sameRoute(a: Route, b: Route): boolean {
  return formatRoute(a) === formatRoute(b);
}
