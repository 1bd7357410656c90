import type { ChatEvent, FileInfo } from '@loket/protocol';

/**
 * Pure bookkeeping for "never lose, never double": the chat's log as received (by seq) plus the
 * visitor's own messages the server has not echoed yet (the outbox).
 */

export interface OutboxItem {
  clientMsgId: string;
  body: string;
  at: number;
  /** Set once the server acknowledged the durable write; such items are never resent. */
  seq?: number;
  /** The opening question, written by POST /chats: durable but its seq is not known yet. */
  confirmed?: boolean;
}

export interface Timeline {
  /** Sorted by seq, each seq once. */
  events: ChatEvent[];
  /** Highest n such that seqs 1..n are all present: what to resume from. */
  contiguousSeq: number;
}

export const emptyTimeline: Timeline = { events: [], contiguousSeq: 0 };

/** Merges events, ignoring seqs already present. Returns the same object when nothing changed. */
export function addEvents(t: Timeline, incoming: readonly ChatEvent[]): Timeline {
  const known = new Set(t.events.map((e) => e.seq));
  const fresh = incoming.filter((e) => {
    if (known.has(e.seq)) return false;
    known.add(e.seq);
    return true;
  });
  if (fresh.length === 0) return t;
  const events = [...t.events, ...fresh].sort((a, b) => a.seq - b.seq);
  let contiguousSeq = t.contiguousSeq;
  for (const e of events) {
    if (e.seq === contiguousSeq + 1) contiguousSeq = e.seq;
    else if (e.seq > contiguousSeq + 1) break;
  }
  return { events, contiguousSeq };
}

/** True when events after a hole were received, so the hole must be filled with `sync`. */
export function hasGap(t: Timeline): boolean {
  const last = t.events[t.events.length - 1];
  return last !== undefined && last.seq > t.contiguousSeq;
}

export function lastSeq(t: Timeline): number {
  return t.events[t.events.length - 1]?.seq ?? 0;
}

/** Records an ack: the message is durable with `seq`. */
export function applyAck(outbox: readonly OutboxItem[], clientMsgId: string, seq: number): OutboxItem[] {
  return outbox.map((m) => (m.clientMsgId === clientMsgId ? { ...m, seq } : m));
}

/** Drops outbox items whose echo is in the log: from then on the event is the message. */
export function pruneOutbox(outbox: readonly OutboxItem[], t: Timeline): OutboxItem[] {
  const echoed = new Set(t.events.map((e) => e.clientMsgId).filter((id): id is string => id !== undefined));
  const kept = outbox.filter((m) => !echoed.has(m.clientMsgId));
  return kept.length === outbox.length ? (outbox as OutboxItem[]) : kept;
}

/** Items to (re)send after a (re)connect: not acknowledged and not already durable. */
export function unsent(outbox: readonly OutboxItem[]): OutboxItem[] {
  return outbox.filter((m) => m.seq === undefined && !m.confirmed);
}

export type DeliveryState = 'pending' | 'sent' | 'read';

export interface RenderedMessage {
  key: string;
  kind: ChatEvent['kind'];
  author: 'visitor' | 'agent' | 'system';
  name: string | undefined;
  body: string;
  seq: number | null;
  at: number;
  /** Only for the visitor's own messages. */
  state: DeliveryState | undefined;
  file?: FileInfo | undefined;
}

/**
 * What the message list shows: logged events by seq (a clientMsgId shown once even if the server
 * logged it twice), then outbox items not echoed yet. `queued` events are not shown: the live
 * queue message stands for them; `hidden` ones stand for agent-only events and only keep seqs gapless.
 */
export function renderMessages(t: Timeline, outbox: readonly OutboxItem[], agentReadSeq: number): RenderedMessage[] {
  const out: RenderedMessage[] = [];
  const seenIds = new Set<string>();
  const stateFor = (seq: number | undefined): DeliveryState =>
    seq === undefined ? 'pending' : seq <= agentReadSeq ? 'read' : 'sent';
  for (const e of t.events) {
    if (e.kind === 'queued' || e.kind === 'hidden' || e.kind === 'note') continue;
    if (e.clientMsgId !== undefined) {
      if (seenIds.has(e.clientMsgId)) continue;
      seenIds.add(e.clientMsgId);
    }
    const author = e.kind === 'message' || e.kind === 'file' ? e.author.kind : 'system';
    out.push({
      key: `s${e.seq}`,
      kind: e.kind,
      author,
      name: e.author.name,
      body: e.body ?? '',
      seq: e.seq,
      at: e.at,
      state: author === 'visitor' ? stateFor(e.seq) : undefined,
      file: e.file,
    });
  }
  for (const m of outbox) {
    if (seenIds.has(m.clientMsgId)) continue;
    seenIds.add(m.clientMsgId);
    out.push({
      key: `c${m.clientMsgId}`,
      kind: 'message',
      author: 'visitor',
      name: undefined,
      body: m.body,
      seq: m.seq ?? null,
      at: m.at,
      state: m.confirmed && m.seq === undefined ? 'sent' : stateFor(m.seq),
    });
  }
  return out;
}

/** Agent messages with seq above `seenSeq`: the launcher's unread badge. */
export function countUnread(t: Timeline, seenSeq: number): number {
  return t.events.filter((e) => e.seq > seenSeq && (e.kind === 'message' || e.kind === 'file') && e.author.kind === 'agent').length;
}
