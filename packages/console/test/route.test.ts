import { describe, expect, it } from 'vitest';
import { ADMIN_VIEWS, CHATS_ROUTE, PROFILE_ROUTE, adminRoute, allowedRoute, formatRoute, isAdminRoute, parseRoute, type Route } from '../src/state/route.js';

describe('parseRoute', () => {
  it('reads every view from the path under /console/', () => {
    expect(parseRoute('/console/')).toEqual(CHATS_ROUTE);
    expect(parseRoute('/console')).toEqual(CHATS_ROUTE);
    expect(parseRoute('/console/templates')).toEqual({ view: 'templates', templateId: null, creating: false });
    expect(parseRoute('/console/templates/')).toEqual({ view: 'templates', templateId: null, creating: false });
    expect(parseRoute('/console/templates/new')).toEqual({ view: 'templates', templateId: null, creating: true });
    expect(parseRoute('/console/templates/t%201')).toEqual({ view: 'templates', templateId: 't 1', creating: false });
    expect(parseRoute('/console/outbox')).toEqual({ view: 'outbox', emailId: null, status: null });
    expect(parseRoute('/console/outbox/e1', '?status=failed')).toEqual({ view: 'outbox', emailId: 'e1', status: 'failed' });
    expect(parseRoute('/console/channels/c9')).toEqual({ view: 'channels', channelId: 'c9' });
  });

  it('falls back to the chats for anything it does not know', () => {
    expect(parseRoute('/elsewhere/templates')).toEqual(CHATS_ROUTE);
    expect(parseRoute('/console/nope')).toEqual(CHATS_ROUTE);
    expect(parseRoute('/console/templates/a/b')).toEqual(CHATS_ROUTE);
    expect(parseRoute('/console/templates/%E0%A4%A')).toEqual(CHATS_ROUTE);
    expect(parseRoute('/consolex/templates')).toEqual(CHATS_ROUTE);
    expect(parseRoute('/console/outbox', '?status=bogus')).toEqual({ view: 'outbox', emailId: null, status: null });
  });
});

describe('formatRoute', () => {
  const routes: Route[] = [
    CHATS_ROUTE,
    { view: 'templates', templateId: null, creating: false },
    { view: 'templates', templateId: null, creating: true },
    { view: 'templates', templateId: 'a/b c', creating: false },
    { view: 'outbox', emailId: null, status: null },
    { view: 'outbox', emailId: 'e1', status: 'sent' },
    { view: 'channels', channelId: null },
    { view: 'channels', channelId: 'c1' },
  ];

  it('round-trips through parseRoute (deep links survive a reload)', () => {
    for (const route of routes) {
      const url = new URL(formatRoute(route), 'http://localhost');
      expect(parseRoute(url.pathname, url.search)).toEqual(route);
    }
  });

  it('writes readable URLs', () => {
    expect(formatRoute(CHATS_ROUTE)).toBe('/console/');
    expect(formatRoute({ view: 'outbox', emailId: null, status: 'failed' })).toBe('/console/outbox?status=failed');
    expect(formatRoute({ view: 'templates', templateId: null, creating: true })).toBe('/console/templates/new');
  });
});

describe('who may see what', () => {
  it('keeps the admin views for administrators and sends everyone else to the chats', () => {
    for (const view of ADMIN_VIEWS) {
      const route = adminRoute(view);
      expect(isAdminRoute(route)).toBe(true);
      expect(allowedRoute(route, 'admin')).toEqual(route);
      expect(allowedRoute(route, 'agent')).toEqual(CHATS_ROUTE);
      expect(allowedRoute(route, null)).toEqual(CHATS_ROUTE);
    }
    expect(allowedRoute(CHATS_ROUTE, 'agent')).toEqual(CHATS_ROUTE);
  });
});

describe('users and my profile', () => {
  it('reads and writes the users view and the profile', () => {
    expect(parseRoute('/console/users')).toEqual({ view: 'users', userId: null, creating: false });
    expect(parseRoute('/console/users/new')).toEqual({ view: 'users', userId: null, creating: true });
    expect(parseRoute('/console/users/u%201')).toEqual({ view: 'users', userId: 'u 1', creating: false });
    expect(parseRoute('/console/profile')).toEqual(PROFILE_ROUTE);
    expect(parseRoute('/console/profile/x')).toEqual(CHATS_ROUTE);
    for (const route of [PROFILE_ROUTE, { view: 'users', userId: null, creating: true }, { view: 'users', userId: 'a b', creating: false }] as Route[]) {
      const url = new URL(formatRoute(route), 'http://localhost');
      expect(parseRoute(url.pathname, url.search)).toEqual(route);
    }
  });

  it('keeps Users for administrators, and My profile for everyone', () => {
    expect(ADMIN_VIEWS).toContain('users');
    expect(allowedRoute({ view: 'users', userId: null, creating: false }, 'agent')).toEqual(CHATS_ROUTE);
    expect(isAdminRoute(PROFILE_ROUTE)).toBe(false);
    expect(allowedRoute(PROFILE_ROUTE, 'agent')).toEqual(PROFILE_ROUTE);
    expect(allowedRoute(PROFILE_ROUTE, 'admin')).toEqual(PROFILE_ROUTE);
  });
});

describe('the knowledge base', () => {
  it('deep-links to the list, a new FAQ and one FAQ, for administrators only', () => {
    expect(parseRoute('/console/faqs')).toEqual({ view: 'faqs', faqId: null, creating: false });
    expect(parseRoute('/console/faqs/new')).toEqual({ view: 'faqs', faqId: null, creating: true });
    expect(parseRoute('/console/faqs/f%201')).toEqual({ view: 'faqs', faqId: 'f 1', creating: false });
    expect(parseRoute('/console/faqs/f1/x')).toEqual(CHATS_ROUTE);
    for (const route of [adminRoute('faqs'), { view: 'faqs', faqId: null, creating: true }, { view: 'faqs', faqId: 'a/b', creating: false }] as Route[]) {
      const url = new URL(formatRoute(route), 'http://localhost');
      expect(parseRoute(url.pathname, url.search)).toEqual(route);
    }
    expect(formatRoute({ view: 'faqs', faqId: 'f1', creating: false })).toBe('/console/faqs/f1');
    expect(allowedRoute({ view: 'faqs', faqId: 'f1', creating: false }, 'agent')).toEqual(CHATS_ROUTE);
  });
});
