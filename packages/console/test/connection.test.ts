import type { AgentClientMessage, AgentServerMessage } from '@loket/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SocketHandlers } from '../src/net/socket.js';
import { ConnectionStore, type SocketLike } from '../src/state/stores/connection.js';
import { agent } from './fixtures.js';

function connected(): { connection: ConnectionStore; sent: AgentClientMessage[]; serve: (msg: AgentServerMessage) => void; link: { online: boolean } } {
  const sent: AgentClientMessage[] = [];
  const link = { online: true };
  let handlers: SocketHandlers | undefined;
  const socket: SocketLike = { start() {}, stop() {}, reconnectNow() {}, send: (f) => link.online && sent.push(f) > 0 };
  const connection = new ConnectionStore(
    (h) => {
      handlers = h;
      return socket;
    },
    { unauthorized() {}, neverOpened() {} },
  );
  return { connection, sent, serve: (msg) => handlers?.message(msg), link };
}

const ridOf = (frame: AgentClientMessage | undefined): string => (frame && 'rid' in frame && frame.rid) || '';

afterEach(() => vi.restoreAllMocks());

describe('ConnectionStore', () => {
  it('hands each frame to the handlers of its type, in registration order, until they unsubscribe', () => {
    const { connection, serve } = connected();
    const seen: string[] = [];
    connection.on('queueRemoved', (m) => seen.push(`first ${m.chatId}`));
    const off = connection.on('queueRemoved', (m) => seen.push(`second ${m.chatId}`));
    connection.on('presence', (m) => seen.push(`presence ${m.presence}`));
    serve({ type: 'queueRemoved', chatId: 'c1', channelId: 'ch' });
    off();
    off();
    serve({ type: 'queueRemoved', chatId: 'c2', channelId: 'ch' });
    expect(seen).toEqual(['first c1', 'second c1', 'first c2']);
  });

  it('routes an error to the request with its rid only, and forgets a request once answered', () => {
    const { connection, sent, serve } = connected();
    const refusedA = vi.fn();
    const refusedB = vi.fn();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    connection.request((rid) => ({ type: 'claim', rid, chatId: 'a' }), { refused: refusedA });
    connection.request((rid) => ({ type: 'claim', rid, chatId: 'b' }), { refused: refusedB });
    const [a, b] = [ridOf(sent[0]), ridOf(sent[1])];
    expect(a).not.toBe(b);

    serve({ type: 'error', rid: b, code: 'chat_already_claimed', message: 'Taken.', retryable: false });
    expect(refusedB).toHaveBeenCalledWith({ code: 'chat_already_claimed', message: 'Taken.', retryable: false });
    expect(refusedA).not.toHaveBeenCalled();

    serve({ type: 'ok', rid: a });
    serve({ type: 'error', rid: a, code: 'internal', message: 'Late.', retryable: false });
    expect(refusedA).not.toHaveBeenCalled();
    expect(warn).toHaveBeenCalledWith('Loket: server error', 'internal', 'Late.');
  });

  it('tells pending requests they are lost when a new connection is ready, before the ready handlers run', () => {
    const { connection, serve } = connected();
    const order: string[] = [];
    connection.request((rid) => ({ type: 'claimNext', rid }), { lost: () => order.push('lost') });
    connection.on('ready', () => order.push('ready'));
    serve({ type: 'ready', agent, queue: [], chats: [] });
    serve({ type: 'ready', agent, queue: [], chats: [] });
    expect(order).toEqual(['lost', 'ready', 'ready']);
  });

  it('keeps nothing pending for a request it could not send', () => {
    const { connection, serve, link } = connected();
    const lostOffline = vi.fn();
    const lostOnline = vi.fn();
    link.online = false;
    expect(connection.request((rid) => ({ type: 'claimNext', rid }), { lost: lostOffline })).toBe(false);
    link.online = true;
    expect(connection.request((rid) => ({ type: 'claimNext', rid }), { lost: lostOnline })).toBe(true);
    serve({ type: 'ready', agent, queue: [], chats: [] });
    expect(lostOffline).not.toHaveBeenCalled();
    expect(lostOnline).toHaveBeenCalledTimes(1);
  });
});
