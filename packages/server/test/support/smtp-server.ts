import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';

/**
 * A real SMTP server on loopback for the tests, with real MTA semantics: a message counts as
 * delivered only when our 250 reply to the end of DATA was written while the client was still
 * connected. It can refuse messages (4xx/5xx) and stall before that reply, on demand.
 */

export interface ReceivedMail {
  raw: Buffer;
  parsed: ParsedMail;
  messageId: string;
  envelope: { from: string; to: string[] };
  at: number;
}

export interface Stall {
  /** Resolves when the stalled message's DATA has been received (and is waiting for our reply). */
  stalled: Promise<void>;
  /** Resolves when the client hung up while stalled: the message was not delivered. */
  abandoned: Promise<void>;
  /** Answer 250 now (if the client is still there). */
  release(): void;
}

export interface TestSmtpServer {
  url: string;
  /** Accepted (250) messages, in order. */
  messages: ReceivedMail[];
  /** Every end of DATA seen, accepted or not, with its time: for retry timing. */
  attempts: Array<{ messageId: string; at: number }>;
  /** Answer the next `count` messages with this SMTP reply code. */
  failNext(code: number, count?: number): void;
  /** Stall the n-th end of DATA from now (1 = the next one) before replying. */
  stallAt(n?: number): Stall;
  /** Resolves once `count` messages have been accepted. */
  waitForMessages(count: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  close(): Promise<void>;
}

interface PendingStall {
  at: number;
  markStalled: () => void;
  markAbandoned: () => void;
  released: Promise<void>;
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

export async function startTestSmtpServer(): Promise<TestSmtpServer> {
  const messages: ReceivedMail[] = [];
  const attempts: Array<{ messageId: string; at: number }> = [];
  const failures: number[] = [];
  const stalls: PendingStall[] = [];
  const closedSessions = new Set<string>();
  const abandonHooks = new Map<string, () => void>();
  const waiters: Array<() => void> = [];
  const releasers: Array<() => void> = [];
  let dataCount = 0;

  const notify = () => {
    for (const w of waiters.splice(0)) w();
  };

  async function onData(raw: Buffer, session: SMTPServerSession, reply: (err?: Error | null, message?: string) => void): Promise<void> {
    dataCount++;
    const parsed = await simpleParser(raw);
    const messageId = parsed.messageId ?? '';
    attempts.push({ messageId, at: Date.now() });
    const stall = stalls.find((s) => s.at === dataCount);
    if (stall) {
      abandonHooks.set(session.id, stall.markAbandoned);
      stall.markStalled();
      await stall.released;
      abandonHooks.delete(session.id);
    }
    // The client gave up (or died) before our reply: like a real MTA we never accepted it.
    if (closedSessions.has(session.id)) return;
    const code = failures.shift();
    if (code !== undefined) {
      const err = new Error(code >= 500 ? 'Mailbox unavailable (test)' : 'Try again later (test)') as Error & { responseCode: number };
      err.responseCode = code;
      reply(err);
      return;
    }
    const envelope = {
      from: session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address,
      to: session.envelope.rcptTo.map((r) => r.address),
    };
    messages.push({ raw, parsed, messageId, envelope, at: Date.now() });
    reply(null, 'Ok: queued');
    notify();
  }

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    disableReverseLookup: true,
    logger: false,
    closeTimeout: 1000,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        onData(Buffer.concat(chunks), session, callback).catch((err: unknown) => callback(err instanceof Error ? err : new Error(String(err))));
      });
    },
    onClose(session) {
      closedSessions.add(session.id);
      abandonHooks.get(session.id)?.();
    },
  });
  // A client that drops the connection surfaces as an error event; that is the point of some tests.
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;

  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    attempts,
    failNext(code, count = 1) {
      for (let i = 0; i < count; i++) failures.push(code);
    },
    stallAt(n = 1) {
      const stalled = deferred();
      const abandoned = deferred();
      const released = deferred();
      releasers.push(released.resolve);
      // A client that hangs up needs no reply: stop waiting for release().
      const markAbandoned = () => {
        abandoned.resolve();
        released.resolve();
      };
      stalls.push({ at: dataCount + n, markStalled: stalled.resolve, markAbandoned, released: released.promise });
      return { stalled: stalled.promise, abandoned: abandoned.promise, release: released.resolve };
    },
    async waitForMessages(count, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (messages.length < count) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`expected ${count} messages, got ${messages.length}`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      return messages;
    },
    close() {
      // Release anything still stalled so the server can finish its connections.
      for (const release of releasers) release();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
