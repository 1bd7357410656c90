import { describe, expect, it } from 'vitest';
import { acknowledge, discard, enqueue, forChat, markFailed, restoreOutbox, retry, toResend, type Outbox } from '../src/state/outbox.js';

const entry = (id: string, chatId = 'c', createdAt = 1) => ({ chatId, clientMsgId: id, body: `body ${id}`, createdAt });

describe('outbox', () => {
  it('holds a message until its ack and hands back the entry', () => {
    let box: Outbox = enqueue([], entry('m1'));
    box = enqueue(box, entry('m2', 'c', 2));
    const { outbox, entry: acked } = acknowledge(box, 'm1');
    expect(acked?.body).toBe('body m1');
    expect(outbox.map((e) => e.clientMsgId)).toEqual(['m2']);
  });

  it('never holds the same clientMsgId twice', () => {
    const box = enqueue(enqueue([], entry('m1')), entry('m1'));
    expect(box).toHaveLength(1);
  });

  it('ignores an ack it does not know (e.g. a duplicate ack)', () => {
    const box = enqueue([], entry('m1'));
    expect(acknowledge(box, 'zzz')).toEqual({ outbox: box, entry: undefined });
  });

  it('resends pending entries oldest first with their original clientMsgId, skipping failed ones', () => {
    let box: Outbox = enqueue([], entry('late', 'a', 30));
    box = enqueue(box, entry('early', 'b', 10));
    box = enqueue(box, entry('bad', 'a', 20));
    box = markFailed(box, 'bad', { code: 'chat_ended', message: 'ended' });
    expect(toResend(box).map((e) => e.clientMsgId)).toEqual(['early', 'late']);
    box = retry(box, 'bad');
    expect(toResend(box).map((e) => e.clientMsgId)).toEqual(['early', 'bad', 'late']);
    expect(box.find((e) => e.clientMsgId === 'bad')?.error).toBeUndefined();
  });

  it('filters by chat and discards', () => {
    let box: Outbox = enqueue(enqueue([], entry('m1', 'a')), entry('m2', 'b'));
    expect(forChat(box, 'b').map((e) => e.clientMsgId)).toEqual(['m2']);
    box = discard(box, 'm2');
    expect(box.map((e) => e.clientMsgId)).toEqual(['m1']);
  });

  it('survives a reload through JSON and drops malformed entries', () => {
    const box = enqueue([], entry('m1'));
    const raw = JSON.stringify([...box, { chatId: 5 }, 'junk']);
    expect(restoreOutbox(raw)).toEqual(box);
    expect(restoreOutbox('{not json')).toEqual([]);
    expect(restoreOutbox(null)).toEqual([]);
  });
});
