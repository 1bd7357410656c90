import type { Db, Storage, Tx } from '../db/database.js';
import type { Bus, BusMessage } from '../realtime/bus.js';
import type { createEmailVerifier } from '../email/verify.js';
import type { FaqSearch } from '../search/service.js';

export type EmailVerifier = ReturnType<typeof createEmailVerifier>;

/** Everything a domain action needs; built once at start-up. */
export interface Ctx {
  db: Db;
  dialect: Storage['dialect'];
  transact: Storage['transact'];
  bus: Bus;
  email: EmailVerifier;
  now: () => number;
  /** The From of every e-mail (MAIL_FROM). */
  mailFrom: { name: string; address: string };
  /** Visitor grace period in ms (CHAT_GRACE_SECONDS). */
  graceMs: number;
  /** Wakes this node's e-mail worker after an e-mail committed (absent when nothing sends). */
  mailKick?: () => void;
  /** This node's FAQ search index, following every change to the knowledge base (search/service.ts). */
  faqSearch: FaqSearch;
}

export type Publish = (topic: string, message: BusMessage) => void;

/**
 * Runs `fn` in one transaction and publishes what it queued only after the commit, so no client
 * ever sees an event that could still roll back.
 */
export async function inTransaction<T>(ctx: Ctx, fn: (tx: Tx, publish: Publish) => Promise<T>): Promise<T> {
  const queued: Array<[string, BusMessage]> = [];
  const result = await ctx.transact((tx) => fn(tx, (topic, message) => queued.push([topic, message])));
  for (const [topic, message] of queued) ctx.bus.publish(topic, message);
  return result;
}
