import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ErrorBodySchema, OutboxEmailDetailSchema, OutboxEmailSchema, OutboxListSchema } from '@loket/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStorage, type Storage } from '../../src/db/database.js';
import type { EmailsTable } from '../../src/db/schema.js';
import type { AgentActor } from '../../src/domain/actors.js';
import { claimChat, endChat, postMessage } from '../../src/domain/chats.js';
import type { Ctx } from '../../src/domain/context.js';
import { AppError } from '../../src/domain/errors.js';
import { enqueueEmail, type NewEmail } from '../../src/email/outbox.js';
import { buildTranscriptEmail } from '../../src/email/transcript.js';
import { startEmailWorker, type EmailWorker, type EmailWorkerOptions } from '../../src/email/worker.js';
import { requestAs, callAs, makeAgent, makeChannel, newClientMsgId, startChat, type TestAgent } from '../support/factories.js';
import { DIALECTS, freshDatabase, startTestLoket, type Dialect, type TestLoket } from '../support/server.js';
import { startTestSmtpServer, type TestSmtpServer } from '../support/smtp-server.js';
import { freePort } from '../support/ports.js';

const FROM = { name: 'Shop Support', address: 'support@shop.example' };
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

type MailCtx = Pick<Ctx, 'transact' | 'now' | 'mailFrom' | 'db' | 'dialect'>;

function mail(n: number, overrides: Partial<NewEmail> = {}): NewEmail {
  return {
    kind: 'other',
    chatId: null,
    to: { name: `Customer ${n}`, address: `customer${n}@example.com` },
    subject: `Message ${n}`,
    text: `Hello number ${n}`,
    html: `<p>Hello number ${n}</p>`,
    ...overrides,
  };
}

async function enqueue(ctx: MailCtx & { mailKick?: () => void }, ...emails: NewEmail[]): Promise<string[]> {
  const ids = await ctx.transact(async (tx) => {
    const out: string[] = [];
    for (const e of emails) out.push(await enqueueEmail(tx, ctx, e));
    return out;
  });
  ctx.mailKick?.();
  return ids;
}

async function rowsOf(ctx: Pick<Ctx, 'db'>, ids: string[]): Promise<EmailsTable[]> {
  if (ids.length === 0) return [];
  const rows = await ctx.db.selectFrom('emails').selectAll().where('id', 'in', ids).execute();
  return ids.map((id) => rows.find((r) => r.id === id) as EmailsTable);
}

async function until<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

const allSent = (ctx: Pick<Ctx, 'db'>, ids: string[]) => until(`${ids.length} e-mails sent`, async () => {
  const rows = await rowsOf(ctx, ids);
  return rows.every((r) => r.status === 'sent') && rows;
});

const request = (t: TestLoket, who: TestAgent | null, method: string, p: string, body?: unknown) => requestAs(t, method, p, who, body);
const api = (t: TestLoket, who: TestAgent | null, method: string, p: string, body?: unknown) => callAs(t, method, p, who, body);

async function agentActor(t: TestLoket, agent: TestAgent): Promise<AgentActor> {
  const row = await t.loket.ctx.db.selectFrom('agents').selectAll().where('id', '=', agent.id).executeTakeFirstOrThrow();
  return { kind: 'agent', agent: row, sessionId: 'test' };
}

describe.each(DIALECTS)('e-mail through a Loket node with SMTP on %s', (dialect) => {
  let smtp: TestSmtpServer;
  let t: TestLoket;
  let admin: TestAgent;
  beforeAll(async () => {
    smtp = await startTestSmtpServer();
    t = await startTestLoket(dialect, { smtpUrl: smtp.url, mailFrom: FROM });
    admin = await makeAgent(t, [], { role: 'admin' });
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  it('sends a transcript with recipient, subject, text and HTML parts, escaping what people typed', async () => {
    const channel = await makeChannel(t, { language: 'nl', name: 'Webshop & Co' });
    const agent = await makeAgent(t, [channel], { name: 'Anna <Agent>' });
    const { chatId } = await startChat(t, channel, { name: 'Sam Sample', question: '<script>alert(1)</script> waar is mijn pakket?', timeZone: 'Europe/Amsterdam', locale: 'nl-NL' });
    const actor = await agentActor(t, agent);
    await claimChat(t.loket.ctx, actor, { chatId });
    await postMessage(t.loket.ctx, actor, { chatId, clientMsgId: newClientMsgId(), body: 'Het is onderweg.\nMorgen in huis.' });
    await endChat(t.loket.ctx, { kind: 'visitor', chatId }, { chatId });

    const before = smtp.messages.length;
    const chat = await t.loket.ctx.db.selectFrom('chats').selectAll().where('id', '=', chatId).executeTakeFirstOrThrow();
    const [id] = await t.loket.ctx.transact(async (tx) => {
      const content = await buildTranscriptEmail(tx, chat, { timeZone: 'Europe/Amsterdam', locale: 'nl-NL' });
      return [await enqueueEmail(tx, t.loket.ctx, { kind: 'transcript', chatId, to: { name: chat.visitor_name, address: 'sam@example.com' }, ...content })];
    });
    t.loket.ctx.mailKick?.();
    const [row] = await allSent(t.loket.ctx, [id as string]);
    const got = (await smtp.waitForMessages(before + 1)).find((m) => m.messageId === row?.message_id);
    expect(got).toBeDefined();
    const parsed = got!.parsed;
    expect(got!.envelope).toEqual({ from: FROM.address, to: ['sam@example.com'] });
    expect(parsed.to && !Array.isArray(parsed.to) ? parsed.to.value : []).toEqual([{ name: 'Sam Sample', address: 'sam@example.com' }]);
    expect(parsed.from?.value).toEqual([FROM]);
    expect(parsed.subject).toBe('Uw chatgesprek met Webshop & Co');
    expect(parsed.headers.get('auto-submitted')).toBe('auto-generated');
    expect(parsed.text).toContain('Beste Sam Sample,');
    expect(parsed.text).toContain('<script>alert(1)</script> waar is mijn pakket?');
    expect(parsed.text).toContain('Anna <Agent> heeft zich bij de chat gevoegd.');
    expect(parsed.text).toContain('U heeft de chat beëindigd.');
    expect(parsed.text).toMatch(/\d{1,2} \w+ \d{4} om \d{1,2}:\d{2} (CET|CEST)/);
    const html = parsed.html as string;
    expect(html).toContain('<html lang="nl">');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; waar is mijn pakket?');
    expect(html).toContain('Anna &lt;Agent&gt;');
    expect(html).toContain('Het is onderweg.<br>Morgen in huis.');
    expect(html).not.toMatch(/<script|<Agent>/);
    expect(row).toMatchObject({ status: 'sent', attempts: 1, last_error: null, lease_owner: null });
  });

  it('names the zone when the customer’s one is unknown', async () => {
    const channel = await makeChannel(t);
    const { chatId } = await startChat(t, channel, { name: 'Kim', timeZone: 'Mars/Olympus_Mons' });
    const chat = await t.loket.ctx.db.selectFrom('chats').selectAll().where('id', '=', chatId).executeTakeFirstOrThrow();
    const content = await buildTranscriptEmail(t.loket.ctx.db, chat, {});
    expect(content.subject).toBe(`Your chat with ${channel.name}`);
    expect(content.text).toMatch(/conversation on \w+ \d{1,2}, \d{4} at \d{1,2}:\d{2}\s(AM|PM) UTC/);
    expect(content.text).toContain('The chat was placed in the queue.');
  });

  it('keeps CR/LF in names and subjects from becoming headers', async () => {
    await expect(enqueue(t.loket.ctx, mail(1, { to: { name: 'Eve\r\nBcc: evil@example.com', address: 'eve@example.com' } }))).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(enqueue(t.loket.ctx, mail(1, { to: { name: 'Eve', address: 'eve@example.com\r\nBcc: evil@example.com' } }))).rejects.toBeInstanceOf(AppError);
    await expect(enqueue(t.loket.ctx, mail(1, { to: { name: 'Eve', address: 'Eve <eve@example.com>' } }))).rejects.toMatchObject({ code: 'email_invalid' });

    const before = smtp.messages.length;
    const [id] = await enqueue(t.loket.ctx, mail(2, { to: { name: 'Zoë "Quote" O\'Brien, Jr.', address: 'zoe@example.com' }, subject: 'Hello\r\nBcc: evil@example.com\r\n\r\nInjected body' }));
    const [row] = await allSent(t.loket.ctx, [id as string]);
    const got = (await smtp.waitForMessages(before + 1)).find((m) => m.messageId === row?.message_id)!;
    expect(got.envelope.to).toEqual(['zoe@example.com']);
    expect(got.parsed.headers.has('bcc')).toBe(false);
    expect(got.parsed.subject).toBe('Hello Bcc: evil@example.com Injected body');
    expect(got.parsed.to && !Array.isArray(got.parsed.to) ? got.parsed.to.value : []).toEqual([{ name: 'Zoë "Quote" O\'Brien, Jr.', address: 'zoe@example.com' }]);
    expect(got.parsed.text?.trim()).toBe('Hello number 2');
  });

  it('lists the outbox for administrators, shows one e-mail and downloads it as the exact .eml that was sent', async () => {
    const before = smtp.messages.length;
    const [id] = await enqueue(t.loket.ctx, mail(3));
    const [row] = await allSent(t.loket.ctx, [id as string]);
    const sent = (await smtp.waitForMessages(before + 1)).find((m) => m.messageId === row?.message_id)!;

    const list = OutboxListSchema.parse((await api(t, admin, 'GET', '/api/admin/outbox?status=sent')).body);
    expect(list.smtpConfigured).toBe(true);
    expect(list.emails.every((e) => e.status === 'sent')).toBe(true);
    expect(list.emails.find((e) => e.id === id)).toMatchObject({ to: { name: 'Customer 3', address: 'customer3@example.com' }, subject: 'Message 3', attempts: 1 });
    expect(OutboxListSchema.parse((await api(t, admin, 'GET', '/api/admin/outbox?status=failed')).body).emails.find((e) => e.id === id)).toBeUndefined();
    const badStatus = await api(t, admin, 'GET', '/api/admin/outbox?status=lost');
    expect(ErrorBodySchema.parse(badStatus.body).error).toMatchObject({ code: 'validation_failed', field: 'status' });

    const detail = OutboxEmailDetailSchema.parse((await api(t, admin, 'GET', `/api/admin/outbox/${id}`)).body);
    expect(detail).toMatchObject({ from: FROM, messageId: row!.message_id, text: 'Hello number 3', html: '<p>Hello number 3</p>' });
    expect(detail.messageId).toMatch(/^<[0-9a-f-]+@shop\.example>$/);

    const eml = await request(t, admin, 'GET', `/api/admin/outbox/${id}/eml`);
    expect(eml.status).toBe(200);
    expect(eml.headers.get('content-type')).toBe('message/rfc822');
    expect(eml.headers.get('content-disposition')).toBe(`attachment; filename="loket-${id}.eml"`);
    const bytes = Buffer.from(await eml.arrayBuffer());
    expect(bytes.toString('utf8')).toBe(sent.raw.toString('utf8'));

    expect((await api(t, admin, 'GET', '/api/admin/outbox/nope')).status).toBe(404);
    const sentRetry = await api(t, admin, 'POST', `/api/admin/outbox/${id}/retry`, {});
    expect(ErrorBodySchema.parse(sentRetry.body).error.code).toBe('bad_request');
  });

  it('keeps the outbox from agents (403) and from anonymous callers (401)', async () => {
    const agent = await makeAgent(t, []);
    for (const [method, p] of [
      ['GET', '/api/admin/outbox'],
      ['GET', '/api/admin/outbox/x'],
      ['GET', '/api/admin/outbox/x/eml'],
      ['POST', '/api/admin/outbox/x/retry'],
    ] as const) {
      const body = method === 'POST' ? {} : undefined;
      expect([p, (await api(t, null, method, p, body)).status]).toEqual([p, 401]);
      const res = await api(t, agent, method, p, body);
      expect([p, res.status, ErrorBodySchema.parse(res.body).error.code]).toEqual([p, 403, 'forbidden']);
    }
  });
});

describe.each(DIALECTS)('the e-mail worker on %s', (dialect) => {
  let smtp: TestSmtpServer;
  let t: TestLoket;
  let admin: TestAgent;
  const workers: EmailWorker[] = [];
  const worker = (ctx: Pick<Ctx, 'transact' | 'now' | 'dialect'>, opts: Partial<EmailWorkerOptions> = {}) => {
    const w = startEmailWorker(ctx, { smtpUrl: smtp.url, nodeId: `test-${workers.length}`, pollMs: 20, retryBaseMs: 150, leaseMs: 5_000, ...opts });
    workers.push(w);
    return w;
  };
  const stopAll = async () => {
    await Promise.all(workers.splice(0).map((w) => w.stop()));
  };
  beforeAll(async () => {
    smtp = await startTestSmtpServer();
    // No SMTP_URL: this node keeps e-mails in the outbox; each test runs its own workers.
    t = await startTestLoket(dialect, { mailFrom: FROM });
    admin = await makeAgent(t, [], { role: 'admin' });
  });
  afterAll(async () => {
    await stopAll();
    await t.close();
    await smtp.close();
  });

  it('keeps e-mails in the outbox without SMTP', async () => {
    const [id] = await enqueue(t.loket.ctx, mail(10));
    const list = OutboxListSchema.parse((await api(t, admin, 'GET', '/api/admin/outbox?status=queued')).body);
    expect(list.smtpConfigured).toBe(false);
    expect(OutboxEmailSchema.parse(list.emails.find((e) => e.id === id))).toMatchObject({ status: 'queued', attempts: 0, sentAt: null });
    worker(t.loket.ctx);
    await allSent(t.loket.ctx, [id as string]);
    await stopAll();
  });

  it('retries a 4xx with exponential backoff, then sends', async () => {
    smtp.failNext(451, 2);
    const before = smtp.messages.length;
    const [id] = await enqueue(t.loket.ctx, mail(11));
    worker(t.loket.ctx);
    const retrying = await until('first failure', async () => (await rowsOf(t.loket.ctx, [id as string])).find((r) => r.attempts === 1 && r.status === 'queued'));
    expect(retrying.last_error).toContain('451');
    const [row] = await allSent(t.loket.ctx, [id as string]);
    expect(row).toMatchObject({ attempts: 3, last_error: null });
    const tries = smtp.attempts.filter((a) => a.messageId === row!.message_id).map((a) => a.at);
    expect(tries).toHaveLength(3);
    // 150 ms then 300 ms, each ±20 % (and a poll of 20 ms).
    expect(tries[1]! - tries[0]!).toBeGreaterThanOrEqual(110);
    expect(tries[2]! - tries[1]!).toBeGreaterThanOrEqual(230);
    expect(smtp.messages.filter((m) => m.messageId === row!.message_id)).toHaveLength(1);
    expect(smtp.messages.length).toBe(before + 1);
    await stopAll();
  });

  it('fails for good on a 5xx or after maxAttempts; an administrator retries from the API', async () => {
    smtp.failNext(550);
    const [id] = await enqueue(t.loket.ctx, mail(12));
    const w = worker(t.loket.ctx, { maxAttempts: 2, retryBaseMs: 30 });
    t.loket.ctx.mailKick = w.kick;
    const failed = await until('a failed e-mail', async () => (await rowsOf(t.loket.ctx, [id as string])).find((r) => r.status === 'failed'));
    expect(failed).toMatchObject({ attempts: 1, lease_owner: null });
    expect(failed.last_error).toContain('550');
    const listed = OutboxListSchema.parse((await api(t, admin, 'GET', '/api/admin/outbox?status=failed')).body).emails.find((e) => e.id === id);
    expect(listed).toMatchObject({ status: 'failed', attempts: 1 });
    expect(listed?.lastError).toContain('550');

    const retried = await api(t, admin, 'POST', `/api/admin/outbox/${id}/retry`, {});
    expect(retried.status).toBe(200);
    expect(OutboxEmailSchema.parse(retried.body)).toMatchObject({ id, status: 'queued', attempts: 0 });
    const [sent] = await allSent(t.loket.ctx, [id as string]);
    expect(sent?.attempts).toBe(1);

    // Transient failures, but more of them than attempts allowed.
    smtp.failNext(421, 2);
    const [other] = await enqueue(t.loket.ctx, mail(13));
    const gaveUp = await until('giving up', async () => (await rowsOf(t.loket.ctx, [other as string])).find((r) => r.status === 'failed'));
    expect(gaveUp.attempts).toBe(2);
    expect(gaveUp.last_error).toContain('gave up after 2 attempts');
    delete t.loket.ctx.mailKick;
    await stopAll();
  });

  it('sends each e-mail exactly once with two workers on one database', async () => {
    // On PostgreSQL the second worker has its own connection pool, as a second node would.
    let second: Storage | null = null;
    let otherCtx: Pick<Ctx, 'transact' | 'now' | 'dialect'> = t.loket.ctx;
    if (dialect === 'postgres') {
      second = await openStorage({ databaseUrl: t.config.databaseUrl, sqlitePath: t.config.sqlitePath, sqliteSynchronous: 'FULL' });
      otherCtx = { transact: second.transact, dialect: second.dialect, now: Date.now };
    }
    const before = smtp.messages.length;
    const ids = await enqueue(t.loket.ctx, ...Array.from({ length: 30 }, (_, i) => mail(100 + i)));
    worker(t.loket.ctx, { nodeId: 'node-a' });
    worker(otherCtx, { nodeId: 'node-b' });
    const rows = await allSent(t.loket.ctx, ids);
    await smtp.waitForMessages(before + 30);
    await stopAll();
    await second?.close();
    const got = smtp.messages.slice(before).map((m) => m.messageId);
    expect(got).toHaveLength(30);
    expect(new Set(got)).toEqual(new Set(rows.map((r) => r.message_id)));
    expect(rows.every((r) => r.attempts === 1)).toBe(true);
  });

  it('reclaims an e-mail whose node lost its database mid-send, after the lease, with the same Message-ID', async () => {
    const before = smtp.messages.length;
    const stall = smtp.stallAt(1);
    const [id] = await enqueue(t.loket.ctx, mail(14));
    // Node A claims, then loses its database: it can neither renew its lease nor record anything.
    let dead = false;
    const nodeA: Pick<Ctx, 'transact' | 'now' | 'dialect'> = {
      dialect: t.loket.ctx.dialect,
      now: t.loket.ctx.now,
      transact: (fn) => (dead ? Promise.reject(Object.assign(new Error('connection lost'), { code: 'ECONNRESET' })) : t.loket.ctx.transact(fn)),
    };
    worker(nodeA, { nodeId: 'node-a', leaseMs: 600 });
    await stall.stalled;
    dead = true;
    const [claimed] = await rowsOf(t.loket.ctx, [id as string]);
    expect(claimed).toMatchObject({ status: 'sending', lease_owner: 'node-a', attempts: 1 });
    // A's own SMTP timeout (half its lease) hangs up before the server ever said 250.
    await stall.abandoned;
    worker(t.loket.ctx, { nodeId: 'node-b', leaseMs: 600 });
    const [row] = await allSent(t.loket.ctx, [id as string]);
    expect(row).toMatchObject({ attempts: 2, lease_owner: null, message_id: claimed!.message_id });
    await smtp.waitForMessages(before + 1);
    expect(smtp.messages.slice(before).map((m) => m.messageId)).toEqual([claimed!.message_id]);
    expect(smtp.attempts.filter((a) => a.messageId === claimed!.message_id)).toHaveLength(2);
    await stopAll();
  });

  it('stop() lets the in-flight send finish and claims nothing more', async () => {
    const before = smtp.messages.length;
    const stall = smtp.stallAt(1);
    const ids = await enqueue(t.loket.ctx, mail(15), mail(16));
    const w = startEmailWorker(t.loket.ctx, { smtpUrl: smtp.url, nodeId: 'stopper', pollMs: 20 });
    await stall.stalled;
    let stopped = false;
    const stopping = w.stop().then(() => (stopped = true));
    await sleep(150);
    expect(stopped).toBe(false);
    stall.release();
    await stopping;
    // Which of the two went first is not defined (same enqueue time); one was sent, one waits.
    const rows = await rowsOf(t.loket.ctx, ids);
    expect(rows.map((r) => r.status).sort()).toEqual(['queued', 'sent']);
    expect(smtp.messages.length).toBe(before + 1);
    worker(t.loket.ctx);
    await allSent(t.loket.ctx, ids);
    await stopAll();
  });

  it('cuts an in-flight send that outlasts stop()’s patience and re-queues it', async () => {
    const stall = smtp.stallAt(1);
    const [id] = await enqueue(t.loket.ctx, mail(17));
    const w = startEmailWorker(t.loket.ctx, { smtpUrl: smtp.url, nodeId: 'impatient', pollMs: 20, stopTimeoutMs: 100, retryBaseMs: 10 });
    await stall.stalled;
    await w.stop();
    await stall.abandoned;
    const [row] = await rowsOf(t.loket.ctx, [id as string]);
    expect(row).toMatchObject({ status: 'queued', attempts: 1, lease_owner: null });
    worker(t.loket.ctx, { retryBaseMs: 10 });
    await allSent(t.loket.ctx, [id as string]);
    await stopAll();
  });
});

// ---- a real server process, killed ----

const root = path.resolve(import.meta.dirname, '../../../..');

interface Node {
  child: ChildProcess;
  exited: Promise<number | null>;
}

/** `node --import tsx packages/server/src/main.ts`, as an operator runs it, on the given storage. */
async function startNode(env: Record<string, string>): Promise<Node> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'packages/server/src/main.ts')], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', MAIL_FROM: `${FROM.name} <${FROM.address}>`, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let stdout = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await until(
    'the node to be ready',
    async () => {
      if (child.exitCode !== null) throw new Error(`node exited early: ${stderr}`);
      // The banner comes after the signal handlers are installed: only then is SIGTERM graceful.
      return stdout.includes('Loket is running') && fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.ok, () => false);
    },
    30_000,
  );
  return { child, exited };
}

const PROCESS_DIALECTS: Dialect[] = ['sqlite', 'postgres'];

describe.each(PROCESS_DIALECTS)('a Loket process on %s', (dialect) => {
  let dir: string;
  let database: { url: string; drop(): Promise<void> } | null = null;
  let storage: Storage;
  let ctx: MailCtx;
  let env: Record<string, string>;
  let smtp: TestSmtpServer;
  const nodes: Node[] = [];

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loket-mail-'));
    database = dialect === 'postgres' ? await freshDatabase() : null;
    storage = await openStorage({ databaseUrl: database?.url ?? null, sqlitePath: path.join(dir, 'loket.db'), sqliteSynchronous: 'FULL' });
    ctx = { db: storage.db, dialect: storage.dialect, transact: storage.transact, now: Date.now, mailFrom: FROM };
    smtp = await startTestSmtpServer();
    env = { DATA_DIR: dir, SMTP_URL: smtp.url, DATABASE_URL: database?.url ?? '', EMAIL_LEASE_SECONDS: '3' };
  });
  afterAll(async () => {
    for (const n of nodes) if (n.child.exitCode === null && n.child.signalCode === null) n.child.kill('SIGKILL');
    await Promise.all(nodes.map((n) => n.exited));
    await storage.close();
    await smtp.close();
    await database?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('delivers every e-mail exactly once across a kill -9 in the middle of a send', async () => {
    const stall = smtp.stallAt(7);
    const ids = await enqueue(ctx, ...Array.from({ length: 20 }, (_, i) => mail(200 + i)));
    const first = await startNode(env);
    nodes.push(first);
    await stall.stalled;
    first.child.kill('SIGKILL');
    await first.exited;
    await stall.abandoned;

    const rows = await rowsOf(ctx, ids);
    expect(rows.filter((r) => r.status === 'sent')).toHaveLength(6);
    const inDoubt = rows.filter((r) => r.status === 'sending');
    expect(inDoubt).toHaveLength(1);
    expect(smtp.messages).toHaveLength(6);
    // The dead node's lease (EMAIL_LEASE_SECONDS=3) runs out by itself; then the next node takes over.

    const second = await startNode(env);
    nodes.push(second);
    const sent = await allSent(ctx, ids);
    await smtp.waitForMessages(20);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);

    const delivered = smtp.messages.map((m) => m.messageId);
    expect(delivered).toHaveLength(20);
    expect(new Set(delivered)).toEqual(new Set(sent.map((r) => r.message_id)));
    expect(sent.find((r) => r.id === inDoubt[0]!.id)?.attempts).toBe(2);
    expect(smtp.attempts.filter((a) => a.messageId === inDoubt[0]!.message_id)).toHaveLength(2);
  });

  // One dialect is enough here: the graceful path does not depend on the database.
  if (dialect !== 'sqlite') return;
  it('finishes the send in flight on SIGTERM, and nothing is sent again after a restart', async () => {
    const before = smtp.messages.length;
    const stall = smtp.stallAt(3);
    const ids = await enqueue(ctx, ...Array.from({ length: 5 }, (_, i) => mail(300 + i)));
    const first = await startNode(env);
    nodes.push(first);
    await stall.stalled;
    first.child.kill('SIGTERM');
    await sleep(300);
    expect(first.child.exitCode).toBeNull();
    stall.release();
    expect(await first.exited).toBe(0);
    expect(smtp.messages.length - before).toBe(3);
    expect((await rowsOf(ctx, ids)).map((r) => r.status).sort()).toEqual(['queued', 'queued', 'sent', 'sent', 'sent']);

    const second = await startNode(env);
    nodes.push(second);
    const sent = await allSent(ctx, ids);
    await smtp.waitForMessages(before + 5);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    const delivered = smtp.messages.slice(before).map((m) => m.messageId);
    expect(delivered).toHaveLength(5);
    expect(new Set(delivered)).toEqual(new Set(sent.map((r) => r.message_id)));
    expect(sent.every((r) => r.attempts === 1)).toBe(true);
  });
});
