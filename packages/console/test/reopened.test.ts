import type { ChatEvent } from '@loket/protocol';
import { describe, expect, it } from 'vitest';
import { INITIAL_STATE, reduce, visibleChats, type ConsoleState } from '../src/state/reducer.js';
import { agent, message, queueItem, summary } from './fixtures.js';

const ended = (seq: number, at = seq * 1_000): ChatEvent => ({ seq, kind: 'ended', at, author: { kind: 'system' }, endedBy: 'visitor' });
const reopened = (seq: number, at = seq * 1_000): ChatEvent => ({ seq, kind: 'reopened', at, author: { kind: 'visitor', name: 'Sam' } });

function withEndedChat(patch = {}): ConsoleState {
  return reduce(INITIAL_STATE, {
    type: 'ready',
    agent,
    queue: [],
    chats: [summary('x', { status: 'ended', endedAt: 4_000, lastSeq: 4, visitorName: 'Sam', ...patch })],
  });
}

describe("'reopened' (Back to chat)", () => {
  it('notifies once when the event arrives for my ended chat, before its summary', () => {
    let s = withEndedChat();
    s = reduce(s, { type: 'events', chatId: 'x', events: [reopened(5, 50_000)] });
    expect(s.reopened).toEqual([{ chatId: 'x', visitorName: 'Sam', at: 50_000 }]);
    expect(s.threads['x']?.events.at(-1)?.kind).toBe('reopened');
    // The summary that follows makes it ongoing again; no second notice.
    s = reduce(s, { type: 'chatSummary', chat: summary('x', { status: 'active', endedAt: null, lastSeq: 5, visitorName: 'Sam' }) });
    expect(s.reopened).toHaveLength(1);
    expect(s.chats['x']?.status).toBe('active');
    expect(visibleChats(s, 60_000).map((c) => [c.id, c.status])).toEqual([['x', 'active']]);
  });

  it('notifies on the summary alone (the chat was not followed) when my ended chat is ongoing again', () => {
    let s = withEndedChat();
    s = reduce(s, { type: 'chatSummary', chat: summary('x', { status: 'active', lastSeq: 5, visitorName: 'Sam' }) });
    expect(s.reopened.map((n) => n.chatId)).toEqual(['x']);
  });

  it('notifies after a reconnect when the snapshot shows my ended chat ongoing again', () => {
    let s = withEndedChat();
    s = reduce(s, { type: 'ready', agent, queue: [], chats: [summary('x', { status: 'active', lastSeq: 6 })] });
    expect(s.reopened.map((n) => n.chatId)).toEqual(['x']);
  });

  it('stays quiet for history: a reopened event the summary already covers', () => {
    let s = reduce(INITIAL_STATE, { type: 'ready', agent, queue: [], chats: [summary('x', { status: 'active', lastSeq: 7 })] });
    s = reduce(s, { type: 'events', chatId: 'x', events: [message(1), ended(4), reopened(5), message(6), message(7)] });
    expect(s.reopened).toEqual([]);
    // …and the old 'ended' in that history does not end the ongoing chat.
    expect(s.chats['x']?.status).toBe('active');
  });

  it("ignores other agents' chats and chats that were never mine", () => {
    let s = withEndedChat({ agentId: 'someone-else' });
    s = reduce(s, { type: 'events', chatId: 'x', events: [reopened(5)] });
    expect(s.reopened).toEqual([]);
    s = reduce(s, { type: 'events', chatId: 'unknown', events: [reopened(9)] });
    expect(s.reopened).toEqual([]);
  });

  it('still ends a chat on a fresh ended event, and a later reopen in the same batch wins', () => {
    let s = reduce(INITIAL_STATE, { type: 'ready', agent, queue: [], chats: [summary('x', { lastSeq: 3 })] });
    const batch = reduce(s, { type: 'events', chatId: 'x', events: [ended(4), reopened(5)] });
    expect(batch.chats['x']?.status).toBe('active');
    expect(batch.reopened.map((n) => n.chatId)).toEqual(['x']);
    s = reduce(s, { type: 'events', chatId: 'x', events: [ended(4)] });
    expect(s.chats['x']?.status).toBe('ended');
  });

  it('notifies also when the chat goes back to the queue because I am away', () => {
    let s = withEndedChat();
    s = reduce(s, { type: 'events', chatId: 'x', events: [reopened(5)] });
    s = reduce(s, { type: 'queueAdded', item: queueItem('x', 50) });
    expect(s.reopened.map((n) => n.chatId)).toEqual(['x']);
    expect(s.queue.map((q) => q.chatId)).toEqual(['x']);
  });

  it('is dismissed per chat and cleared on sign-out', () => {
    let s = withEndedChat();
    s = reduce(s, { type: 'events', chatId: 'x', events: [reopened(5)] });
    expect(reduce(s, { type: 'dismissReopened', chatId: 'other' })).toBe(s);
    expect(reduce(s, { type: 'dismissReopened', chatId: 'x' }).reopened).toEqual([]);
    expect(reduce(s, { type: 'signedOut' }).reopened).toEqual([]);
  });
});
