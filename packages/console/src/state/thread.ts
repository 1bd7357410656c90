import type { ChatEvent } from '@loket/protocol';

/** One chat's log as far as this console has seen it. */
export interface Thread {
  /** Ascending by seq, one entry per seq. */
  events: ChatEvent[];
  /** Every seq from 1 up to this one is present; the resume point after a reconnect or gap. */
  contiguousSeq: number;
  visitorTyping: boolean;
  visitorTypingAt: number;
}

export const EMPTY_THREAD: Thread = { events: [], contiguousSeq: 0, visitorTyping: false, visitorTypingAt: 0 };

/**
 * Merges events into a thread by seq. The same seq can arrive several times (subscribe replay,
 * the history endpoint, a sync, an ack turned into an event); the first copy wins because a
 * chat's log is append-only, so copies are identical.
 */
export function mergeEvents(thread: Thread, incoming: readonly ChatEvent[]): Thread {
  const fresh = incoming.filter((e) => !thread.events.some((have) => have.seq === e.seq));
  if (fresh.length === 0) return thread;
  const bySeq = new Map<number, ChatEvent>();
  for (const e of thread.events) bySeq.set(e.seq, e);
  for (const e of fresh) if (!bySeq.has(e.seq)) bySeq.set(e.seq, e);
  const events = [...bySeq.values()].sort((a, b) => a.seq - b.seq);
  let contiguousSeq = thread.contiguousSeq;
  while (bySeq.has(contiguousSeq + 1)) contiguousSeq += 1;
  // A message from the visitor means they stopped typing, even if their typing:false got lost.
  const visitorSpoke = fresh.some((e) => e.kind === 'message' && e.author.kind === 'visitor');
  return { ...thread, events, contiguousSeq, visitorTyping: visitorSpoke ? false : thread.visitorTyping };
}

/** True when events after the contiguous prefix exist: something in between was missed. */
export function hasGap(thread: Thread): boolean {
  const last = thread.events[thread.events.length - 1];
  return last !== undefined && last.seq > thread.contiguousSeq;
}

export function highestSeq(thread: Thread): number {
  return thread.events[thread.events.length - 1]?.seq ?? 0;
}
