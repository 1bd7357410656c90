import type { ChatEvent } from '@loket/protocol';
import { describe, expect, it } from 'vitest';
import {
  addEvents,
  applyAck,
  countUnread,
  emptyTimeline,
  hasGap,
  lastSeq,
  pruneOutbox,
  renderMessages,
  unsent,
  type OutboxItem,
} from '../src/frame/timeline.js';

const visitor = (seq: number, body: string, clientMsgId?: string): ChatEvent => ({
  seq,
  kind: 'message',
  at: 1000 + seq,
  author: { kind: 'visitor' },
  body,
  ...(clientMsgId ? { clientMsgId } : {}),
});
const agent = (seq: number, body: string): ChatEvent => ({
  seq,
  kind: 'message',
  at: 1000 + seq,
  author: { kind: 'agent', id: 'a1', name: 'Anna' },
  body,
  clientMsgId: `agent-msg-${seq}`,
});
const system = (seq: number, kind: 'queued' | 'joined' | 'ended'): ChatEvent => ({
  seq,
  kind,
  at: 1000 + seq,
  author: kind === 'joined' ? { kind: 'agent', id: 'a1', name: 'Anna' } : { kind: 'system' },
});
const item = (clientMsgId: string, body: string, extra: Partial<OutboxItem> = {}): OutboxItem => ({ clientMsgId, body, at: 1, ...extra });

describe('addEvents', () => {
  it('orders by seq and ignores duplicates of a seq', () => {
    let t = addEvents(emptyTimeline, [visitor(2, 'b'), visitor(1, 'a')]);
    t = addEvents(t, [visitor(2, 'b again'), visitor(3, 'c'), visitor(3, 'c twice')]);
    expect(t.events.map((e) => [e.seq, e.body])).toEqual([
      [1, 'a'],
      [2, 'b'],
      [3, 'c'],
    ]);
    expect(t.contiguousSeq).toBe(3);
  });

  it('returns the same object when nothing is new (cheap re-render check)', () => {
    const t = addEvents(emptyTimeline, [visitor(1, 'a')]);
    expect(addEvents(t, [visitor(1, 'a')])).toBe(t);
  });

  it('detects a gap, keeps what arrived after it, and closes it when the hole is filled', () => {
    let t = addEvents(emptyTimeline, [visitor(1, 'a'), visitor(2, 'b'), agent(5, 'e')]);
    expect(t.contiguousSeq).toBe(2);
    expect(hasGap(t)).toBe(true);
    expect(lastSeq(t)).toBe(5);
    t = addEvents(t, [agent(3, 'c')]);
    expect(t.contiguousSeq).toBe(3);
    expect(hasGap(t)).toBe(true);
    t = addEvents(t, [agent(4, 'd')]);
    expect(t.contiguousSeq).toBe(5);
    expect(hasGap(t)).toBe(false);
  });

  it('a log that does not start at 1 is a gap', () => {
    const t = addEvents(emptyTimeline, [agent(3, 'x')]);
    expect(t.contiguousSeq).toBe(0);
    expect(hasGap(t)).toBe(true);
  });
});

describe('outbox', () => {
  it('resends only what was neither acked nor confirmed', () => {
    const outbox = [item('aaaaaaaa1', 'one', { seq: 4 }), item('aaaaaaaa2', 'two'), item('aaaaaaaa3', 'q', { confirmed: true })];
    expect(unsent(outbox).map((m) => m.clientMsgId)).toEqual(['aaaaaaaa2']);
  });

  it('ack sets the seq of exactly that message', () => {
    const outbox = applyAck([item('aaaaaaaa1', 'one'), item('aaaaaaaa2', 'two')], 'aaaaaaaa2', 7);
    expect(outbox.map((m) => m.seq)).toEqual([undefined, 7]);
  });

  it('prune drops messages whose echo arrived, and keeps the rest', () => {
    const outbox = [item('aaaaaaaa1', 'one'), item('aaaaaaaa2', 'two')];
    const t = addEvents(emptyTimeline, [visitor(1, 'one', 'aaaaaaaa1')]);
    expect(pruneOutbox(outbox, t).map((m) => m.clientMsgId)).toEqual(['aaaaaaaa2']);
    expect(pruneOutbox(outbox, emptyTimeline)).toBe(outbox);
  });
});

describe('renderMessages', () => {
  it('shows an own message once: pending, then sent after ack, then the echo replaces it', () => {
    let outbox = [item('m1xxxxxx', 'hello')];
    const before = renderMessages(emptyTimeline, outbox, 0);
    expect(before.map((m) => [m.body, m.state, m.seq])).toEqual([['hello', 'pending', null]]);

    outbox = applyAck(outbox, 'm1xxxxxx', 2);
    expect(renderMessages(emptyTimeline, outbox, 0).map((m) => [m.state, m.seq])).toEqual([['sent', 2]]);

    // Echo arrives but the outbox is not pruned yet (same render): still one bubble.
    const t = addEvents(emptyTimeline, [system(1, 'queued'), visitor(2, 'hello', 'm1xxxxxx')]);
    const both = renderMessages(t, outbox, 0);
    expect(both).toHaveLength(1);
    expect(both[0]).toMatchObject({ body: 'hello', seq: 2, state: 'sent', author: 'visitor' });
  });

  it('marks own messages read up to the agent read seq', () => {
    const t = addEvents(emptyTimeline, [visitor(1, 'a', 'c1xxxxxx'), agent(2, 'b'), visitor(3, 'c', 'c3xxxxxx')]);
    expect(renderMessages(t, [], 2).map((m) => m.state)).toEqual(['read', undefined, 'sent']);
  });

  it('shows a message logged twice under one clientMsgId only once', () => {
    const t = addEvents(emptyTimeline, [visitor(1, 'a', 'dupxxxxx'), visitor(2, 'a', 'dupxxxxx')]);
    expect(renderMessages(t, [], 0)).toHaveLength(1);
  });

  it('shows the confirmed opening question as sent before its echo arrives', () => {
    const r = renderMessages(emptyTimeline, [item('qxxxxxxx', 'my question', { confirmed: true })], 0);
    expect(r.map((m) => [m.body, m.state])).toEqual([['my question', 'sent']]);
  });

  it('renders joined and ended as system lines and hides queued', () => {
    const t = addEvents(emptyTimeline, [system(1, 'queued'), system(2, 'joined'), agent(3, 'hi'), system(4, 'ended')]);
    expect(renderMessages(t, [], 0).map((m) => [m.author, m.kind])).toEqual([
      ['system', 'joined'],
      ['agent', 'message'],
      ['system', 'ended'],
    ]);
  });
});

describe('countUnread', () => {
  it('counts agent messages after the seen seq only', () => {
    const t = addEvents(emptyTimeline, [visitor(1, 'q', 'c1xxxxxx'), system(2, 'joined'), agent(3, 'a'), agent(4, 'b'), visitor(5, 'c', 'c5xxxxxx')]);
    expect(countUnread(t, 0)).toBe(2);
    expect(countUnread(t, 3)).toBe(1);
    expect(countUnread(t, 5)).toBe(0);
  });
});

describe('agent-only events (docs/realtime.md)', () => {
  const hidden = (seq: number): ChatEvent => ({ seq, kind: 'hidden', at: 1000 + seq, author: { kind: 'system' } });

  it('a hidden placeholder counts for the contiguous seq (no gap to fill) but is never shown nor unread', () => {
    const t = addEvents(emptyTimeline, [visitor(1, 'Hi', 'c1'), system(2, 'joined'), hidden(3), agent(4, 'Hello')]);
    expect(t.contiguousSeq).toBe(4);
    expect(hasGap(t)).toBe(false);
    expect(renderMessages(t, [], 0).map((m) => m.seq)).toEqual([1, 2, 4]);
    expect(countUnread(t, 0)).toBe(1);
  });

  it('without the placeholder the visitor would wait for the seq forever: the gap stays until it comes', () => {
    const t = addEvents(emptyTimeline, [visitor(1, 'Hi', 'c1'), agent(3, 'Hello')]);
    expect(hasGap(t)).toBe(true);
    expect(hasGap(addEvents(t, [hidden(2)]))).toBe(false);
  });
});
