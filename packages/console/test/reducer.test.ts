import { AgentServerMessageSchema } from '@loket/protocol';
import { describe, expect, it } from 'vitest';
import { INITIAL_STATE, RECENT_ENDED_MS, TYPING_STALE_MS, reduce, visibleChats, type ConsoleState } from '../src/state/reducer.js';
import { agent, message, queueItem, summary } from './fixtures.js';

function ready(queue = [queueItem('q2', 200), queueItem('q1', 100)], chats = [summary('x')]): ConsoleState {
  return reduce(INITIAL_STATE, { type: 'ready', agent, queue, chats });
}

describe('ready', () => {
  it('takes agent, presence, queue (oldest first) and chats from the snapshot', () => {
    const s = ready();
    expect(s.agent?.id).toBe('a1');
    expect(s.presence).toBe('present');
    expect(s.queue.map((q) => q.chatId)).toEqual(['q1', 'q2']);
    expect(Object.keys(s.chats)).toEqual(['x']);
  });

  it('replaces the queue and chat list on reconnect but keeps the chat logs already seen', () => {
    let s = ready();
    s = reduce(s, { type: 'events', chatId: 'x', events: [message(1), message(2)] });
    s = reduce(s, { type: 'typing', chatId: 'x', typing: true, at: 5 });
    s = reduce(s, { type: 'ready', agent: { ...agent, presence: 'away' }, queue: [queueItem('q3', 300)], chats: [summary('y')] });
    expect(s.queue.map((q) => q.chatId)).toEqual(['q3']);
    expect(Object.keys(s.chats)).toEqual(['y']);
    expect(s.presence).toBe('away');
    expect(s.threads['x']?.contiguousSeq).toBe(2);
    expect(s.threads['x']?.visitorTyping).toBe(false);
  });
});

describe('queue', () => {
  it('adds in queuedAt order without duplicates and removes by chat id', () => {
    let s = ready([queueItem('q1', 100)], []);
    s = reduce(s, { type: 'queueAdded', item: queueItem('q0', 50) });
    s = reduce(s, { type: 'queueAdded', item: queueItem('q1', 100) });
    expect(s.queue.map((q) => q.chatId)).toEqual(['q0', 'q1']);
    s = reduce(s, { type: 'queueRemoved', chatId: 'q0' });
    expect(s.queue.map((q) => q.chatId)).toEqual(['q1']);
  });

  it('returns the same state when removing an unknown chat', () => {
    const s = ready();
    expect(reduce(s, { type: 'queueRemoved', chatId: 'nope' })).toBe(s);
  });
});

describe('chatSummary', () => {
  it('upserts a chat and drops it from the queue once it is no longer waiting', () => {
    let s = ready();
    s = reduce(s, { type: 'chatSummary', chat: summary('q1', { unread: 2 }) });
    expect(s.chats['q1']?.unread).toBe(2);
    expect(s.queue.map((q) => q.chatId)).toEqual(['q2']);
  });

  it('ignores a summary older than the one held', () => {
    let s = ready([], [summary('x', { lastSeq: 5, unread: 0 })]);
    const before = s;
    s = reduce(s, { type: 'chatSummary', chat: summary('x', { lastSeq: 4, unread: 3 }) });
    expect(s).toBe(before);
    s = reduce(s, { type: 'chatSummary', chat: summary('x', { lastSeq: 5, unread: 1 }) });
    expect(s.chats['x']?.unread).toBe(1);
  });
});

describe('events', () => {
  it('orders by seq and drops duplicates', () => {
    let s = ready();
    s = reduce(s, { type: 'events', chatId: 'x', events: [message(2), message(1)] });
    s = reduce(s, { type: 'events', chatId: 'x', events: [message(2), message(3)] });
    expect(s.threads['x']?.events.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(s.threads['x']?.contiguousSeq).toBe(3);
  });

  it('keeps the contiguous prefix at a gap until the missing seq arrives', () => {
    let s = ready();
    s = reduce(s, { type: 'events', chatId: 'x', events: [message(1), message(3)] });
    expect(s.threads['x']?.contiguousSeq).toBe(1);
    s = reduce(s, { type: 'events', chatId: 'x', events: [message(2)] });
    expect(s.threads['x']?.contiguousSeq).toBe(3);
  });

  it('marks the chat ended when an ended event arrives', () => {
    let s = ready();
    s = reduce(s, { type: 'events', chatId: 'x', events: [{ seq: 4, kind: 'ended', at: 9_000, author: { kind: 'system' }, endedBy: 'visitor' }] });
    expect(s.chats['x']?.status).toBe('ended');
    expect(s.chats['x']?.endedAt).toBe(9_000);
  });

  it('clears the visitor typing flag when the visitor sends a message', () => {
    let s = ready();
    s = reduce(s, { type: 'typing', chatId: 'x', typing: true, at: 1 });
    expect(s.threads['x']?.visitorTyping).toBe(true);
    s = reduce(s, { type: 'events', chatId: 'x', events: [message(1, 'visitor')] });
    expect(s.threads['x']?.visitorTyping).toBe(false);
  });
});

describe('typing, read, presence', () => {
  it('expires a stale typing flag', () => {
    let s = reduce(ready(), { type: 'typing', chatId: 'x', typing: true, at: 1_000 });
    expect(reduce(s, { type: 'typingExpired', now: 1_000 + TYPING_STALE_MS - 1 }).threads['x']?.visitorTyping).toBe(true);
    s = reduce(s, { type: 'typingExpired', now: 1_000 + TYPING_STALE_MS + 1 });
    expect(s.threads['x']?.visitorTyping).toBe(false);
  });

  it('zeroes unread locally on read', () => {
    const s = reduce(ready([], [summary('x', { unread: 4 })]), { type: 'localRead', chatId: 'x' });
    expect(s.chats['x']?.unread).toBe(0);
  });

  it('applies presence changes', () => {
    expect(reduce(ready(), { type: 'presence', presence: 'away' }).presence).toBe('away');
  });
});

describe('visibleChats', () => {
  it('lists ongoing chats by latest activity, then chats ended within 8 hours', () => {
    const now = 10 * RECENT_ENDED_MS;
    const s = ready(
      [],
      [
        summary('old', { status: 'ended', endedAt: now - RECENT_ENDED_MS - 1 }),
        summary('recent', { status: 'ended', endedAt: now - 1_000 }),
        summary('a', { lastMessageAt: 5 }),
        summary('b', { lastMessageAt: 9 }),
      ],
    );
    expect(visibleChats(s, now).map((c) => c.id)).toEqual(['b', 'a', 'recent']);
  });
});

describe('wire frames', () => {
  it('reduces frames exactly as validated by the protocol schema', () => {
    const frame = AgentServerMessageSchema.safeParse({ type: 'queueAdded', item: queueItem('q9', 1) });
    expect(frame.success).toBe(true);
    if (frame.success && frame.data.type === 'queueAdded') {
      expect(reduce(ready([], []), { type: 'queueAdded', item: frame.data.item }).queue).toHaveLength(1);
    }
  });
});
