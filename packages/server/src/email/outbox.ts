import { createHash } from 'node:crypto';
import type { EmailStatus, Mailbox, OutboxEmail, OutboxEmailDetail } from '@loket/protocol';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { Executor, Tx } from '../db/database.js';
import type { EmailsTable } from '../db/schema.js';
import type { Ctx } from '../domain/context.js';
import { AppError } from '../domain/errors.js';
import { newId } from '../domain/ids.js';
import { headerText } from './templates.js';

/**
 * The durable outbox. An e-mail is a row written in the same transaction as the action that
 * causes it, so it exists exactly when the action happened; the worker (worker.ts) sends it later
 * and records the outcome. Addresses, names and the subject are kept as structured values and only
 * turned into headers by nodemailer's MailComposer, here, for both sending and the .eml download.
 */

export type EmailKind = EmailsTable['kind'];

export interface NewEmail {
  kind: EmailKind;
  chatId: string | null;
  to: Mailbox;
  subject: string;
  text: string;
  html: string;
  /** Unique per causing request (see EmailsTable.dedup_key); the caller checks it first. */
  dedupKey?: string;
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const ADDRESS = /^[^\s<>()[\]\\,;:"@]+@[^\s<>()[\]\\,;:"@]+$/;

/** Names and addresses become header fields: a CR/LF in one would be a header of its own. */
function checkMailbox(box: Mailbox, field: string): Mailbox {
  if (CONTROL.test(box.name) || box.name.length > 200) throw new AppError('validation_failed', `${field}.name`);
  if (CONTROL.test(box.address) || box.address.length > 254 || !ADDRESS.test(box.address)) throw new AppError('email_invalid', `${field}.address`);
  return { name: box.name.trim(), address: box.address };
}

function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1) || 'loket.localhost';
}

/**
 * Queues an e-mail inside the caller's transaction: it commits (or rolls back) with the action.
 * The Message-ID is fixed now, so every attempt sends the same message and a receiver that got an
 * earlier, in-doubt attempt can recognise the repeat. Call `ctx.mailKick?.()` after the commit.
 */
export async function enqueueEmail(tx: Tx, ctx: Pick<Ctx, 'now' | 'mailFrom'>, e: NewEmail): Promise<string> {
  const to = checkMailbox(e.to, 'to');
  const from = checkMailbox(ctx.mailFrom, 'from');
  const id = newId();
  const now = ctx.now();
  await tx
    .insertInto('emails')
    .values({
      id,
      kind: e.kind,
      chat_id: e.chatId,
      from_name: from.name,
      from_address: from.address,
      to_name: to.name,
      to_address: to.address,
      subject: headerText(e.subject),
      text_body: e.text,
      html_body: e.html,
      message_id: `<${id}@${domainOf(from.address)}>`,
      status: 'queued',
      attempts: 0,
      next_attempt_at: now,
      lease_until: null,
      lease_owner: null,
      last_error: null,
      created_at: now,
      sent_at: null,
      dedup_key: e.dedupKey ?? null,
    })
    .execute();
  return id;
}

export function toOutboxEmail(row: EmailsTable): OutboxEmail {
  return {
    id: row.id,
    kind: row.kind,
    to: { name: row.to_name, address: row.to_address },
    subject: row.subject,
    status: row.status,
    attempts: row.attempts,
    lastError: row.last_error,
    chatId: row.chat_id,
    createdAt: row.created_at,
    nextAttemptAt: row.next_attempt_at,
    sentAt: row.sent_at,
  };
}

export async function listOutbox(db: Executor, opts: { status?: EmailStatus; limit: number }): Promise<OutboxEmail[]> {
  let q = db.selectFrom('emails').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(opts.limit);
  if (opts.status) q = q.where('status', '=', opts.status);
  return (await q.execute()).map(toOutboxEmail);
}

async function emailRow(db: Executor, id: string): Promise<EmailsTable> {
  const row = await db.selectFrom('emails').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new AppError('not_found');
  return row;
}

export async function outboxDetail(db: Executor, id: string): Promise<OutboxEmailDetail> {
  const row = await emailRow(db, id);
  return {
    email: toOutboxEmail(row),
    from: { name: row.from_name, address: row.from_address },
    messageId: row.message_id,
    text: row.text_body,
    html: row.html_body,
  };
}

/**
 * The RFC 5322 message of a row. Deterministic (Date = when it was queued, MIME boundaries derived
 * from its id), so every attempt sends the same bytes and the .eml download is exactly what is sent.
 */
export function composeMessage(row: EmailsTable): Promise<Buffer> {
  const composer = new MailComposer({
    from: { name: row.from_name, address: row.from_address },
    to: { name: row.to_name, address: row.to_address },
    subject: row.subject,
    messageId: row.message_id,
    date: new Date(row.created_at),
    text: row.text_body,
    html: row.html_body,
    headers: {
      // RFC 3834: sent by a program; vacation responders and the like should not answer it.
      'Auto-Submitted': 'auto-generated',
    },
    baseBoundary: createHash('sha256').update(row.id).digest('hex').slice(0, 16),
    boundaryPrefix: '--_Loket',
    newline: 'windows',
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  return composer.compile().build();
}

/** SMTP envelope of a row: bounces go to the From address. */
export function envelopeOf(row: Pick<EmailsTable, 'from_address' | 'to_address'>): { from: string; to: string[] } {
  return { from: row.from_address, to: [row.to_address] };
}

export async function emlOf(db: Executor, id: string): Promise<Buffer> {
  return composeMessage(await emailRow(db, id));
}

/**
 * An administrator sends a failed e-mail again, or a queued one now instead of after its backoff.
 * It gets a fresh budget of attempts and keeps its Message-ID.
 */
export async function retryEmail(ctx: Pick<Ctx, 'transact' | 'now'>, id: string): Promise<OutboxEmail> {
  const row = await ctx.transact(async (tx) => {
    const updated = await tx
      .updateTable('emails')
      .set({ status: 'queued', next_attempt_at: ctx.now(), attempts: 0, lease_owner: null, lease_until: null })
      .where('id', '=', id)
      .where('status', 'in', ['failed', 'queued'])
      .returningAll()
      .executeTakeFirst();
    if (updated) return updated;
    const current = await emailRow(tx, id);
    // Sending now or already sent: a second copy is exactly what the outbox exists to prevent.
    throw new AppError('bad_request', undefined, `email ${current.id} is ${current.status}`);
  });
  return toOutboxEmail(row);
}

