import nodemailer from 'nodemailer';
import type { EmailsTable } from '../db/schema.js';
import type { Ctx } from '../domain/context.js';
import { composeMessage, envelopeOf } from './outbox.js';

/**
 * Sends the outbox over SMTP. Any number of workers (on any number of nodes) may run against one
 * database; each row is taken by exactly one of them through a lease:
 *
 * - Claim: one conditional UPDATE moves a due row from 'queued' to 'sending', stamping our node id
 *   and lease_until. Whoever's UPDATE matches first owns the row; everyone else's matches nothing.
 * - Send, then record: 250 → 'sent'; 4xx or a broken connection → back to 'queued' after an
 *   exponential, jittered backoff; 5xx, or too many attempts → 'failed' (an administrator can retry).
 * - A node that dies mid-send leaves its row in 'sending'. Once the lease runs out, any worker
 *   reclaims it and sends it again, with the SAME Message-ID (fixed at enqueue). That is safe
 *   because an SMTP server takes responsibility for a message only with its 250 reply to the end
 *   of DATA; if we died before that reply, nothing was delivered. The one window left is between
 *   the server's 250 and our commit of 'sent': a crash exactly there sends the message twice,
 *   and the shared Message-ID lets the receiving side recognise the repeat.
 * - While a send is in flight the lease is renewed, so a slow server never makes a live node look
 *   dead; nodemailer's own timeouts bound how long one send can hang.
 */

export interface WorkerLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface EmailWorkerOptions {
  smtpUrl: string;
  /** Unique per process (hostname:pid:random); written to lease_owner (≤ 80 characters). */
  nodeId: string;
  /** How often to look for due e-mails when nobody kicks (ms). */
  pollMs?: number;
  /** How long a claim holds without renewal; a dead node's e-mails go out again after this (ms). */
  leaseMs?: number;
  /** Attempts before a transiently failing e-mail is given up as 'failed'. */
  maxAttempts?: number;
  /** First retry delay; doubles per attempt up to retryMaxMs. */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** How long stop() lets an in-flight send finish before cutting the connection (ms). */
  stopTimeoutMs?: number;
  log?: WorkerLog;
}

export interface EmailWorker {
  stop(): Promise<void>;
  /** Look for due e-mails now (after an enqueue commits) instead of at the next poll. */
  kick(): void;
}

type Outcome = { kind: 'sent' } | { kind: 'retry'; error: string } | { kind: 'failed'; error: string };

const silent: WorkerLog = { info: () => {}, warn: () => {}, error: () => {} };

/** Exponential backoff with ±20 % jitter, so a crowd of failures doesn't retry in lockstep. */
export function backoffMs(attempt: number, baseMs: number, maxMs: number): number {
  const exp = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp * (0.8 + Math.random() * 0.4));
}

interface SmtpFailure {
  code?: string;
  responseCode?: number;
  message?: string;
}

function classify(err: unknown): { permanent: boolean; error: string } {
  const e = (typeof err === 'object' && err !== null ? err : {}) as SmtpFailure;
  const code = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  const text = `${code ?? e.code ?? 'error'}: ${e.message ?? String(err)}`.slice(0, 1000);
  // RFC 5321: 5yz is final, except 503 (bad sequence: a session problem, not a verdict on the
  // message). A rejected login is our configuration, not the message: keep it and retry.
  const permanent = code !== undefined && code >= 500 && code < 600 && code !== 503 && e.code !== 'EAUTH';
  return { permanent, error: text };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function startEmailWorker(ctx: Pick<Ctx, 'transact' | 'now' | 'dialect'>, opts: EmailWorkerOptions): EmailWorker {
  const pollMs = opts.pollMs ?? 5_000;
  const leaseMs = opts.leaseMs ?? 60_000;
  const maxAttempts = opts.maxAttempts ?? 8;
  const retryBaseMs = opts.retryBaseMs ?? 30_000;
  const retryMaxMs = opts.retryMaxMs ?? 3_600_000;
  const stopTimeoutMs = opts.stopTimeoutMs ?? 15_000;
  const log = opts.log ?? silent;
  const owner = opts.nodeId.slice(0, 80);

  const transport = nodemailer.createTransport({
    url: opts.smtpUrl,
    pool: true,
    maxConnections: 1,
    // Bound every wait well inside the lease: a hung server must fail the attempt, not outlive it.
    connectionTimeout: Math.min(30_000, leaseMs / 2),
    greetingTimeout: Math.min(30_000, leaseMs / 2),
    socketTimeout: Math.min(60_000, leaseMs / 2),
  });

  // A pooled connection that breaks while idle is reported as an event; unheard, it would crash the process.
  transport.on('error', (err: unknown) => log.warn({ err }, 'SMTP connection error'));

  let stopping = false;
  let wake: (() => void) | null = null;
  let kicked = false;

  async function claim(): Promise<EmailsTable | undefined> {
    return ctx.transact(async (tx) => {
      const now = ctx.now();
      let due = tx
        .selectFrom('emails')
        .select('id')
        .where((eb) =>
          eb.or([
            eb.and([eb('status', '=', 'queued'), eb('next_attempt_at', '<=', now)]),
            // A lease that ran out: its node died (or lost the database) mid-send.
            eb.and([eb('status', '=', 'sending'), eb('lease_until', '<', now)]),
          ]),
        )
        .orderBy('next_attempt_at')
        .orderBy('created_at')
        .orderBy('id')
        .limit(1);
      // PostgreSQL: concurrent claimers skip each other's rows instead of queueing behind them.
      // SQLite has one writer, so the conditional UPDATE below is already atomic there.
      if (ctx.dialect === 'postgres') due = due.forUpdate().skipLocked();
      return tx
        .updateTable('emails')
        .set((eb) => ({ status: 'sending', lease_owner: owner, lease_until: now + leaseMs, attempts: eb('attempts', '+', 1) }))
        .where('id', '=', due)
        .where((eb) =>
          eb.or([
            eb.and([eb('status', '=', 'queued'), eb('next_attempt_at', '<=', now)]),
            eb.and([eb('status', '=', 'sending'), eb('lease_until', '<', now)]),
          ]),
        )
        .returningAll()
        .executeTakeFirst();
    });
  }

  async function send(row: EmailsTable): Promise<Outcome> {
    try {
      const raw = await composeMessage(row);
      await transport.sendMail({ envelope: envelopeOf(row), raw });
      return { kind: 'sent' };
    } catch (err) {
      const { permanent, error } = classify(err);
      if (permanent) return { kind: 'failed', error };
      return row.attempts >= maxAttempts ? { kind: 'failed', error: `${error} (gave up after ${row.attempts} attempts)` } : { kind: 'retry', error };
    }
  }

  async function record(row: EmailsTable, outcome: Outcome): Promise<void> {
    const now = ctx.now();
    const set =
      outcome.kind === 'sent'
        ? { status: 'sent' as const, sent_at: now, last_error: null }
        : outcome.kind === 'retry'
          ? { status: 'queued' as const, next_attempt_at: now + backoffMs(row.attempts, retryBaseMs, retryMaxMs), last_error: outcome.error }
          : { status: 'failed' as const, last_error: outcome.error };
    const done = await ctx.transact((tx) =>
      tx
        .updateTable('emails')
        .set({ ...set, lease_owner: null, lease_until: null })
        .where('id', '=', row.id)
        .where('status', '=', 'sending')
        .where('lease_owner', '=', owner)
        .executeTakeFirst(),
    );
    if (Number(done.numUpdatedRows) !== 1) log.warn({ emailId: row.id }, 'e-mail lease was lost before its outcome was recorded');
  }

  /**
   * Records the outcome, retrying for a while when the database is down: after a 250 every
   * failed write widens the in-doubt window (the lease would run out and the mail go again).
   */
  async function recordPersistently(row: EmailsTable, outcome: Outcome): Promise<void> {
    const deadline = Date.now() + leaseMs / 2;
    for (let delay = 200; ; delay = Math.min(delay * 2, 5_000)) {
      try {
        await record(row, outcome);
        return;
      } catch (err) {
        if (Date.now() + delay > deadline) {
          log.error({ err, emailId: row.id, outcome: outcome.kind }, 'could not record an e-mail outcome; it will be retried after its lease');
          return;
        }
        await sleep(delay);
      }
    }
  }

  async function deliver(row: EmailsTable): Promise<void> {
    // Renew the lease while the send is in flight, so only a dead node's e-mails are reclaimed.
    const renew = setInterval(() => {
      ctx
        .transact((tx) =>
          tx.updateTable('emails').set({ lease_until: ctx.now() + leaseMs }).where('id', '=', row.id).where('status', '=', 'sending').where('lease_owner', '=', owner).execute(),
        )
        .catch((err: unknown) => log.warn({ err, emailId: row.id }, 'could not renew an e-mail lease'));
    }, Math.max(50, Math.floor(leaseMs / 3)));
    try {
      const outcome = await send(row);
      if (outcome.kind === 'sent') log.info({ emailId: row.id, to: row.to_address }, 'e-mail sent');
      else log.warn({ emailId: row.id, attempts: row.attempts, error: outcome.error }, outcome.kind === 'failed' ? 'e-mail failed' : 'e-mail will be retried');
      await recordPersistently(row, outcome);
    } finally {
      clearInterval(renew);
    }
  }

  function idle(): Promise<void> {
    if (kicked) {
      kicked = false;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, pollMs);
      function done() {
        clearTimeout(timer);
        wake = null;
        resolve();
      }
      wake = done;
    });
  }

  async function loop(): Promise<void> {
    while (!stopping) {
      let row: EmailsTable | undefined;
      try {
        row = await claim();
      } catch (err) {
        log.warn({ err }, 'could not claim an e-mail; retrying later');
        await idle();
        continue;
      }
      if (!row) {
        await idle();
        continue;
      }
      const claimed = row;
      await deliver(claimed).catch((err: unknown) => log.error({ err, emailId: claimed.id }, 'e-mail delivery failed unexpectedly'));
    }
  }

  const running = loop();

  return {
    kick() {
      if (wake) wake();
      else kicked = true;
    },
    async stop() {
      if (stopping) return running;
      stopping = true;
      wake?.();
      let timer: NodeJS.Timeout | undefined;
      const finished = await Promise.race([running.then(() => true), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), stopTimeoutMs)))]);
      clearTimeout(timer);
      if (!finished) {
        // Cut the connection: the server gave no 250, so the send fails and the row is re-queued
        // (or, if even that can't be recorded, reclaimed by another node after its lease).
        log.warn({}, 'in-flight e-mail did not finish in time; closing the SMTP connection');
        transport.close({ force: true });
        await running;
      }
      transport.close();
    },
  };
}
