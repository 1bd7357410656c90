import { errorMessage, type AgentClientMessage, type AgentSelf } from '@loket/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SocketHandlers } from '../src/net/socket.js';
import { ConsoleStore, type Problem, type SocketLike } from '../src/state/store.js';
import { agent, queueItem, summary } from './fixtures.js';

class Socket implements SocketLike {
  sent: AgentClientMessage[] = [];
  constructor(readonly handlers: SocketHandlers) {}
  start() {}
  stop() {}
  reconnectNow() {}
  send(frame: AgentClientMessage) {
    this.sent.push(frame);
    return true;
  }
}

const admin: AgentSelf = { ...agent, id: 'ad1', name: 'Ada', role: 'admin' };

interface Browser {
  path: string;
  pushes: string[];
  replaces: string[];
  popstate?: () => void;
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

/** A signed-in store in a fake browser at `path`; `fetchImpl` answers anything beyond the session. */
async function open(path: string, self: AgentSelf, fetchImpl?: (url: string) => Response): Promise<{ store: ConsoleStore; socket: Socket; browser: Browser }> {
  const browser: Browser = { path, pushes: [], replaces: [] };
  const url = () => new URL(browser.path, 'http://localhost');
  vi.stubGlobal('navigator', { languages: ['en-GB'], language: 'en-GB' });
  vi.stubGlobal('document', { visibilityState: 'visible', documentElement: { lang: '' }, addEventListener: () => {} });
  vi.stubGlobal('window', {
    addEventListener: (type: string, fn: () => void) => {
      if (type === 'popstate') browser.popstate = fn;
    },
    localStorage: { getItem: () => null, setItem: () => {} },
    get location() {
      return { pathname: url().pathname, search: url().search };
    },
    history: {
      pushState: (_s: unknown, _t: string, to: string) => {
        browser.pushes.push(to);
        browser.path = to;
      },
      replaceState: (_s: unknown, _t: string, to: string) => {
        browser.replaces.push(to);
        browser.path = to;
      },
    },
  });
  vi.stubGlobal('fetch', async (u: string) => {
    if (u === '/api/auth/session') return json(200, { agent: self, csrfToken: 'csrf' });
    return fetchImpl ? fetchImpl(u) : json(404, { error: { code: 'not_found', message: 'Not found.' } });
  });
  let socket: Socket | undefined;
  const store = new ConsoleStore((h) => (socket = new Socket(h)));
  await store.init();
  if (!socket) throw new Error('no socket');
  return { store, socket, browser };
}

afterEach(() => vi.unstubAllGlobals());

describe('routing in the store', () => {
  it('opens a deep link into an admin view for an administrator (after a reload)', async () => {
    const { store, browser } = await open('/console/outbox/e1?status=failed', admin);
    expect(store.snapshot.route).toEqual({ view: 'outbox', emailId: 'e1', status: 'failed' });
    expect(browser.replaces).toEqual([]);
  });

  it('sends an agent who opens an admin URL to the chats, replacing the URL', async () => {
    const { store, browser } = await open('/console/templates/t1', agent);
    expect(store.snapshot.route).toEqual({ view: 'chats' });
    expect(browser.replaces).toEqual(['/console/']);
    store.route.navigate({ view: 'channels', channelId: null });
    expect(store.snapshot.route).toEqual({ view: 'chats' });
    expect(browser.pushes).toEqual([]);
  });

  it('keeps agents out on back/forward too', async () => {
    const { store, browser } = await open('/console/', agent);
    browser.path = '/console/channels';
    browser.popstate?.();
    expect(store.snapshot.route).toEqual({ view: 'chats' });
    expect(browser.path).toBe('/console/');
  });

  it('pushes a history entry per navigation and follows back/forward', async () => {
    const { store, browser } = await open('/console/', admin);
    store.route.navigate({ view: 'templates', templateId: null, creating: true });
    store.route.navigate({ view: 'templates', templateId: null, creating: true });
    expect(browser.pushes).toEqual(['/console/templates/new']);
    store.route.navigate({ view: 'outbox', emailId: null, status: 'sent' }, true);
    expect(browser.replaces).toEqual(['/console/outbox?status=sent']);
    browser.path = '/console/channels/c1';
    browser.popstate?.();
    expect(store.snapshot.route).toEqual({ view: 'channels', channelId: 'c1' });
  });
});

describe('read receipts and admin views', () => {
  it('does not report messages read while an admin view hides the conversation', async () => {
    const { store, socket } = await open('/console/', admin);
    socket.handlers.message({ type: 'ready', agent: admin, queue: [], chats: [summary('x', { agentId: 'ad1', lastSeq: 0 })] });
    store.selection.select('x');
    store.route.navigate({ view: 'templates', templateId: null, creating: false });
    socket.handlers.message({ type: 'event', chatId: 'x', event: { seq: 1, kind: 'message', at: 1, author: { kind: 'visitor' }, body: 'hi', clientMsgId: 'cmid-1-xyz' } });
    expect(socket.sent.filter((f) => f.type === 'read')).toEqual([]);
    store.route.navigate({ view: 'chats' });
    expect(socket.sent.filter((f) => f.type === 'read')).toEqual([{ type: 'read', chatId: 'x', seq: 1 }]);
  });
});

describe('Back to chat in the store', () => {
  it('opens the reopened chat from its notice, from any view, and clears the notice', async () => {
    const { store, socket } = await open('/console/templates', admin);
    socket.handlers.message({ type: 'ready', agent: admin, queue: [], chats: [summary('x', { agentId: 'ad1', status: 'ended', lastSeq: 4, visitorName: 'Sam' })] });
    socket.handlers.message({ type: 'event', chatId: 'x', event: { seq: 5, kind: 'reopened', at: 5_000, author: { kind: 'visitor' } } });
    socket.handlers.message({ type: 'chatSummary', chat: summary('x', { agentId: 'ad1', status: 'active', lastSeq: 5, visitorName: 'Sam' }) });
    expect(store.snapshot.data.reopened.map((n) => [n.chatId, n.visitorName])).toEqual([['x', 'Sam']]);
    store.selection.openReopened('x');
    expect(store.snapshot.route).toEqual({ view: 'chats' });
    expect(store.snapshot.selection).toEqual({ kind: 'chat', chatId: 'x' });
    expect(store.snapshot.data.reopened).toEqual([]);
  });

  it('previews the chat when it went back to the queue', async () => {
    const { store, socket } = await open('/console/', agent);
    socket.handlers.message({ type: 'ready', agent, queue: [], chats: [summary('x', { status: 'ended', lastSeq: 4 })] });
    socket.handlers.message({ type: 'event', chatId: 'x', event: { seq: 5, kind: 'reopened', at: 5_000, author: { kind: 'visitor' } } });
    socket.handlers.message({ type: 'queueAdded', item: queueItem('x', 5_000) });
    store.selection.openReopened('x');
    expect(store.snapshot.selection).toEqual({ kind: 'preview', item: queueItem('x', 5_000) });
  });

  it('dismisses the notice when the agent opens the chat from the list', async () => {
    const { store, socket } = await open('/console/', agent);
    socket.handlers.message({ type: 'ready', agent, queue: [], chats: [summary('x', { status: 'ended', lastSeq: 4 })] });
    socket.handlers.message({ type: 'chatSummary', chat: summary('x', { status: 'active', lastSeq: 5 }) });
    expect(store.snapshot.data.reopened).toHaveLength(1);
    store.selection.select('x');
    expect(store.snapshot.data.reopened).toEqual([]);
  });
});

describe('admin request problems', () => {
  it('ends the session on 401 and keeps field + detail otherwise', async () => {
    const { store } = await open('/console/templates', admin, (u) =>
      u === '/api/admin/templates/preview'
        ? json(422, { error: { code: 'template_invalid', message: 'The template is not valid.', field: 'subject', detail: 'unknown variable x' } })
        : json(401, { error: { code: 'unauthenticated', message: 'Please sign in.' } }),
    );
    const invalid = await store.http.previewTemplate({ language: 'en', subject: '{{x}}', body: '' }).catch((e: unknown) => store.session.problem(e));
    expect(invalid).toMatchObject({ code: 'template_invalid', field: 'subject', detail: 'unknown variable x', network: false });
    // A field error keeps the server's specific text; anything else is translated by code.
    expect(store.session.problemText(invalid as Problem)).toBe('The template is not valid.');
    expect(store.session.problemText({ ...(invalid as Problem), field: null })).toBe(errorMessage('template_invalid', 'en'));
    expect(store.snapshot.screen).toBe('console');
    const lapsed = await store.http.templates().catch((e: unknown) => store.session.problem(e));
    expect(lapsed).toMatchObject({ code: 'unauthenticated' });
    expect(store.snapshot.screen).toBe('login');
  });

  it('describes a network failure as such', async () => {
    const { store } = await open('/console/', admin);
    const problem = store.session.problem(new TypeError('Failed to fetch'));
    expect(problem.network).toBe(true);
    expect(store.session.problemText(problem)).toBe('Cannot reach the server. Check your connection and try again.');
  });
});

describe('users and my profile in the store', () => {
  it('lets an agent open My profile (but not Users), and shows a saved profile at once', async () => {
    const { store, browser } = await open('/console/profile', agent);
    expect(store.snapshot.route).toEqual({ view: 'profile' });
    expect(browser.replaces).toEqual([]);
    store.route.navigate({ view: 'users', userId: null, creating: false });
    expect(store.snapshot.route).toEqual({ view: 'chats' });
    store.session.profileSaved({ ...agent, name: 'New Name', photoUrl: 'https://x.example/p.png', presence: 'away' });
    expect(store.snapshot.session?.agent.name).toBe('New Name');
    expect(store.snapshot.data.agent?.name).toBe('New Name');
    // Presence stays what the socket last said, not what the profile answer carried.
    expect(store.snapshot.data.agent?.presence).toBe(store.snapshot.data.presence);
  });
});
