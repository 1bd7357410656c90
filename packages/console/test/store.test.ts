import type { AgentClientMessage, AgentServerMessage, ChatEvent } from '@loket/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SocketHandlers } from '../src/net/socket.js';
import { INITIAL_STATE } from '../src/state/reducer.js';
import { ConsoleStore, type SocketLike } from '../src/state/store.js';
import { agent, message, queueItem, summary } from './fixtures.js';

/** Records frames and lets the test play the server. `online` decides whether send() succeeds. */
class ScriptedSocket implements SocketLike {
  sent: AgentClientMessage[] = [];
  online = false;
  started = 0;
  constructor(readonly handlers: SocketHandlers) {}
  start() {
    this.started += 1;
  }
  stop() {
    this.online = false;
  }
  reconnectNow() {}
  send(frame: AgentClientMessage) {
    if (!this.online) return false;
    this.sent.push(frame);
    return true;
  }
  serve(msg: AgentServerMessage) {
    this.handlers.message(msg);
  }
  ofType<T extends AgentClientMessage['type']>(type: T) {
    return this.sent.filter((f): f is Extract<AgentClientMessage, { type: T }> => f.type === type);
  }
}

let historyByChat: Record<string, ChatEvent[]> = {};

function jsonResponse(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

beforeEach(() => {
  historyByChat = {};
  const storage = new Map<string, string>();
  vi.stubGlobal('navigator', { languages: ['en-GB'], language: 'en-GB' });
  vi.stubGlobal('document', { visibilityState: 'visible', documentElement: { lang: '' }, addEventListener: () => {} });
  vi.stubGlobal('window', {
    addEventListener: () => {},
    localStorage: { getItem: (k: string) => storage.get(k) ?? null, setItem: (k: string, v: string) => void storage.set(k, v) },
  });
  vi.stubGlobal('fetch', async (url: string) => {
    if (url === '/api/auth/session') return jsonResponse(200, { agent, csrfToken: 'csrf' });
    const m = /^\/api\/chats\/([^/]+)\/events\?after=(\d+)$/.exec(url);
    if (m) return jsonResponse(200, { events: (historyByChat[m[1]!] ?? []).filter((e) => e.seq > Number(m[2])) });
    return jsonResponse(404, { error: { code: 'not_found', message: 'Not found.' } });
  });
});
afterEach(() => {
  vi.unstubAllGlobals();
});

async function signedIn(): Promise<{ store: ConsoleStore; socket: ScriptedSocket }> {
  let socket: ScriptedSocket | undefined;
  const store = new ConsoleStore((h) => (socket = new ScriptedSocket(h)));
  await store.init();
  if (!socket) throw new Error('no socket');
  expect(store.snapshot.screen).toBe('console');
  expect(socket.started).toBe(1);
  return { store, socket };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('ConsoleStore delivery', () => {
  it('keeps a message sent while offline, resends it with the same clientMsgId after ready, and shows it once', async () => {
    const { store, socket } = await signedIn();
    socket.online = true;
    socket.serve({ type: 'ready', agent, queue: [], chats: [summary('x', { lastSeq: 1 })] });
    socket.online = false;
    store.composer.setDraft('x', 'hello there');
    expect(store.composer.sendDraft('x')).toBe(true);
    expect(store.snapshot.drafts['x']).toBe('');
    expect(store.snapshot.outbox).toHaveLength(1);
    const clientMsgId = store.snapshot.outbox[0]!.clientMsgId;

    socket.online = true;
    socket.serve({ type: 'ready', agent, queue: [], chats: [summary('x', { lastSeq: 1 })] });
    const sends = socket.ofType('send');
    expect(sends.map((f) => f.clientMsgId)).toEqual([clientMsgId]);

    // Reconnect before the ack: the same id goes out again, never a new one.
    socket.serve({ type: 'ready', agent, queue: [], chats: [summary('x', { lastSeq: 1 })] });
    expect(socket.ofType('send').map((f) => f.clientMsgId)).toEqual([clientMsgId, clientMsgId]);

    socket.serve({ type: 'ack', rid: sends[0]!.rid, chatId: 'x', clientMsgId, seq: 2, at: 5 });
    socket.serve({ type: 'ack', chatId: 'x', clientMsgId, seq: 2, at: 5 });
    socket.serve({ type: 'event', chatId: 'x', event: { seq: 2, kind: 'message', at: 5, author: { kind: 'agent', id: 'a1' }, body: 'hello there', clientMsgId } });
    expect(store.snapshot.outbox).toHaveLength(0);
    const bodies = store.snapshot.data.threads['x']?.events.filter((e) => e.body === 'hello there');
    expect(bodies).toHaveLength(1);
  });

  it('marks a message failed on a final error and keeps it pending on a retryable one', async () => {
    const { store, socket } = await signedIn();
    socket.online = true;
    socket.serve({ type: 'ready', agent, queue: [], chats: [summary('x')] });
    store.composer.setDraft('x', 'too late');
    store.composer.sendDraft('x');
    const [send] = socket.ofType('send');
    socket.serve({ type: 'error', rid: send!.rid, code: 'chat_ended', message: 'This chat has ended.', retryable: false });
    expect(store.snapshot.outbox[0]?.status).toBe('failed');
    expect(store.snapshot.outbox[0]?.error?.code).toBe('chat_ended');
  });

  it('asks the server to replay from the last contiguous seq when it sees a gap', async () => {
    const { socket } = await signedIn();
    socket.online = true;
    socket.serve({ type: 'ready', agent, queue: [], chats: [summary('x')] });
    socket.serve({ type: 'event', chatId: 'x', event: message(1) });
    socket.serve({ type: 'event', chatId: 'x', event: message(4) });
    socket.serve({ type: 'event', chatId: 'x', event: message(5) });
    expect(socket.ofType('sync')).toEqual([{ type: 'sync', chatId: 'x', afterSeq: 1 }]);
  });

  it('opening a chat subscribes, loads history, and reports it read; re-subscribes after reconnect from the last seq', async () => {
    const { store, socket } = await signedIn();
    socket.online = true;
    historyByChat['x'] = [message(1), message(2), message(3)];
    socket.serve({ type: 'ready', agent, queue: [], chats: [summary('x', { lastSeq: 3, unread: 2 })] });
    store.selection.select('x');
    expect(socket.ofType('subscribe')).toEqual([{ type: 'subscribe', chatId: 'x', afterSeq: 0 }]);
    await flush();
    await flush();
    expect(store.snapshot.data.threads['x']?.contiguousSeq).toBe(3);
    expect(socket.ofType('read').at(-1)).toEqual({ type: 'read', chatId: 'x', seq: 3 });
    expect(store.snapshot.data.chats['x']?.unread).toBe(0);

    socket.serve({ type: 'ready', agent, queue: [], chats: [summary('x', { lastSeq: 3 })] });
    expect(socket.ofType('subscribe').at(-1)).toEqual({ type: 'subscribe', chatId: 'x', afterSeq: 3 });
  });
});

describe('ConsoleStore claims', () => {
  it('shows the server refusal when another agent claimed first', async () => {
    const { store, socket } = await signedIn();
    socket.online = true;
    socket.serve({ type: 'ready', agent, queue: [queueItem('q1', 1)], chats: [] });
    store.selection.preview(queueItem('q1', 1));
    store.claims.claim('q1');
    expect(store.snapshot.claim.busy).toBe(true);
    const [claim] = socket.ofType('claim');
    socket.serve({ type: 'queueRemoved', chatId: 'q1', channelId: 'c1' });
    socket.serve({ type: 'error', rid: claim!.rid, code: 'chat_already_claimed', message: 'Another agent has already taken this chat.', retryable: false });
    expect(store.snapshot.claim).toEqual({ busy: false, chatId: 'q1', error: { code: 'chat_already_claimed', message: 'Another agent has already taken this chat.' } });
    expect(store.snapshot.selection).toEqual({ kind: 'preview', item: queueItem('q1', 1) });
  });

  it('selects the chat it won', async () => {
    const { store, socket } = await signedIn();
    socket.online = true;
    socket.serve({ type: 'ready', agent, queue: [queueItem('q1', 1)], chats: [] });
    store.claims.claimNext();
    const [next] = socket.ofType('claimNext');
    socket.serve({ type: 'claimed', rid: next!.rid, chat: summary('q1') });
    expect(store.snapshot.selection).toEqual({ kind: 'chat', chatId: 'q1' });
    expect(store.snapshot.data.queue).toHaveLength(0);
  });

  it('goes back to sign-in when the server ends the session', async () => {
    const { store, socket } = await signedIn();
    socket.handlers.unauthorized();
    expect(store.snapshot.screen).toBe('login');
    expect(store.snapshot.loginError).toBe('Please sign in.');
  });

  it('forgets everything of the session when it ends, in every store', async () => {
    const { store, socket } = await signedIn();
    socket.online = true;
    historyByChat['x'] = [message(1)];
    socket.serve({ type: 'ready', agent, queue: [queueItem('q1', 1)], chats: [summary('x', { lastSeq: 1 })] });
    store.selection.select('x');
    store.composer.setDraft('x', 'half written');
    store.claims.claim('q1');
    socket.online = false;
    store.claims.end('x');
    await flush();
    expect(store.snapshot.notice).not.toBeNull();
    expect(store.snapshot.loads['x']).toBe('loaded');

    socket.handlers.unauthorized();
    const snap = store.snapshot;
    expect(snap.session).toBeNull();
    expect(snap.selection).toBeNull();
    expect(snap.drafts).toEqual({});
    expect(snap.outbox).toEqual([]);
    expect(snap.loads).toEqual({});
    expect(snap.notice).toBeNull();
    expect(snap.claim).toEqual({ busy: false, chatId: null, error: null });
    expect(snap.data).toEqual(INITIAL_STATE);
  });
});
