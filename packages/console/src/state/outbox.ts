import type { ErrorCode } from '@loket/protocol';

/** A message the agent sent that the server has not acknowledged (durably written) yet. */
export interface OutboxEntry {
  chatId: string;
  clientMsgId: string;
  body: string;
  createdAt: number;
  /** 'failed' entries were refused for good (e.g. chat ended); they wait for Retry or Discard. */
  status: 'pending' | 'failed';
  error?: { code: ErrorCode; message: string };
}

export type Outbox = readonly OutboxEntry[];

export function enqueue(outbox: Outbox, entry: Omit<OutboxEntry, 'status'>): Outbox {
  if (outbox.some((e) => e.clientMsgId === entry.clientMsgId)) return outbox;
  return [...outbox, { ...entry, status: 'pending' }];
}

/** Removes the acknowledged entry; returns it so its body can become the chat event. */
export function acknowledge(outbox: Outbox, clientMsgId: string): { outbox: Outbox; entry: OutboxEntry | undefined } {
  const entry = outbox.find((e) => e.clientMsgId === clientMsgId);
  if (!entry) return { outbox, entry: undefined };
  return { outbox: outbox.filter((e) => e !== entry), entry };
}

export function markFailed(outbox: Outbox, clientMsgId: string, error: { code: ErrorCode; message: string }): Outbox {
  return outbox.map((e) => (e.clientMsgId === clientMsgId ? { ...e, status: 'failed', error } : e));
}

/** Retrying keeps the clientMsgId, so if the first attempt did land the server deduplicates it. */
export function retry(outbox: Outbox, clientMsgId: string): Outbox {
  return outbox.map((e) => (e.clientMsgId === clientMsgId ? { chatId: e.chatId, clientMsgId: e.clientMsgId, body: e.body, createdAt: e.createdAt, status: 'pending' } : e));
}

export function discard(outbox: Outbox, clientMsgId: string): Outbox {
  return outbox.filter((e) => e.clientMsgId !== clientMsgId);
}

/** What to (re)send on a fresh connection, oldest first so a chat's messages keep their order. */
export function toResend(outbox: Outbox): OutboxEntry[] {
  return outbox.filter((e) => e.status === 'pending').sort((a, b) => a.createdAt - b.createdAt);
}

export function forChat(outbox: Outbox, chatId: string): OutboxEntry[] {
  return outbox.filter((e) => e.chatId === chatId);
}

/** Parses a persisted outbox, dropping anything malformed rather than failing to start. */
export function restoreOutbox(raw: string | null): Outbox {
  if (!raw) return [];
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return [];
  }
  if (!Array.isArray(data)) return [];
  const entries: OutboxEntry[] = [];
  for (const item of data as unknown[]) {
    if (typeof item !== 'object' || item === null) continue;
    const r = item as Record<string, unknown>;
    if (typeof r['chatId'] === 'string' && typeof r['clientMsgId'] === 'string' && typeof r['body'] === 'string' && typeof r['createdAt'] === 'number') {
      entries.push({ chatId: r['chatId'], clientMsgId: r['clientMsgId'], body: r['body'], createdAt: r['createdAt'], status: 'pending' });
    }
  }
  return entries;
}
