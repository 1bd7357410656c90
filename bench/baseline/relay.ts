/**
 * The baseline Loket is measured against: a bare WebSocket relay that writes each message durably
 * to SQLite (WAL, synchronous=FULL, group commit) and has no application logic — no auth, no
 * validation schema, no chat states, no unread counts. It speaks the same `send` / `ack` / `event`
 * frames as Loket's sockets, so one load generator drives both.
 *
 *   ws://127.0.0.1:PORT/?role=visitor&chat=N     sends `send {clientMsgId, body}`, gets `ack {chatId, clientMsgId, seq, at}`
 *   ws://127.0.0.1:PORT/?role=agent&chat=N[,M…]  gets `event {chatId, event:{seq, kind:'message', at, author, body, clientMsgId}}`
 *
 * `startBaselineRelay()` runs it in a child process (this file, run as a script), so its CPU time
 * and memory are its own, as they are for the Loket node it is compared with.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const CHILD_FLAG = 'LOKET_BENCH_BASELINE_RELAY';

export interface BaselineRelay {
  url: string;
  pid?: number;
  stop(): Promise<void>;
}

export async function startBaselineRelay(opts: { env?: Record<string, string> } = {}): Promise<BaselineRelay> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loket-baseline-'));
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], {
    env: { ...process.env, ...opts.env, [CHILD_FLAG]: '1', BASELINE_DB: path.join(dir, 'relay.db') },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => reject(new Error('baseline relay did not start')), 30_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const m = /\{"port":(\d+)\}/.exec(buffered);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`baseline relay exited with ${code}`));
    });
  });
  return {
    url: `ws://127.0.0.1:${port}`,
    ...(child.pid !== undefined ? { pid: child.pid } : {}),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

interface Pending {
  chat: number;
  seq: number;
  at: number;
  body: string;
  clientMsgId: string;
  rid: string | undefined;
  from: import('ws').WebSocket;
}

/** The relay itself (child process). */
async function serve(dbPath: string): Promise<void> {
  const { default: Database } = await import('better-sqlite3');
  const { WebSocketServer } = await import('ws');
  const db = new Database(dbPath);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE messages (chat INTEGER NOT NULL, seq INTEGER NOT NULL, body TEXT NOT NULL, PRIMARY KEY (chat, seq)) WITHOUT ROWID');
  const insert = db.prepare<[number, number, string]>('INSERT INTO messages (chat, seq, body) VALUES (?, ?, ?)');
  const writeBatch = db.transaction((batch: Pending[]) => {
    for (const p of batch) insert.run(p.chat, p.seq, p.body);
  });

  const lastSeq = new Map<number, number>();
  const agentOf = new Map<number, import('ws').WebSocket>();
  let pending: Pending[] = [];

  // Group commit: everything that arrived before this macrotask goes in one transaction (one fsync).
  const flush = () => {
    const batch = pending;
    pending = [];
    writeBatch(batch);
    for (const p of batch) {
      const chatId = String(p.chat);
      const agent = agentOf.get(p.chat);
      if (agent && agent.readyState === agent.OPEN) {
        agent.send(
          JSON.stringify({ type: 'event', chatId, event: { seq: p.seq, kind: 'message', at: p.at, author: { kind: 'visitor' }, body: p.body, clientMsgId: p.clientMsgId } }),
        );
      }
      if (p.from.readyState === p.from.OPEN) {
        p.from.send(JSON.stringify({ type: 'ack', ...(p.rid ? { rid: p.rid } : {}), chatId, clientMsgId: p.clientMsgId, seq: p.seq, at: p.at }));
      }
    }
  };

  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
  wss.on('connection', (socket, req) => {
    const q = new URL(req.url ?? '/', 'http://relay').searchParams;
    const chats = (q.get('chat') ?? '')
      .split(',')
      .map(Number)
      .filter((n) => Number.isInteger(n) && n > 0);
    if (chats.length === 0) return socket.close(1008, 'chat');
    if (q.get('role') === 'agent') {
      for (const c of chats) agentOf.set(c, socket);
      socket.on('close', () => {
        for (const c of chats) if (agentOf.get(c) === socket) agentOf.delete(c);
      });
      return;
    }
    const chat = chats[0]!;
    socket.on('message', (data) => {
      let frame: { type?: unknown; clientMsgId?: unknown; body?: unknown; rid?: unknown };
      try {
        frame = JSON.parse(data.toString()) as typeof frame;
      } catch {
        return;
      }
      if (frame.type !== 'send' || typeof frame.clientMsgId !== 'string' || typeof frame.body !== 'string') return;
      const seq = (lastSeq.get(chat) ?? 0) + 1;
      lastSeq.set(chat, seq);
      pending.push({ chat, seq, at: Date.now(), body: frame.body, clientMsgId: frame.clientMsgId, rid: typeof frame.rid === 'string' ? frame.rid : undefined, from: socket });
      if (pending.length === 1) setImmediate(flush);
    });
  });
  wss.on('listening', () => {
    const addr = wss.address();
    if (typeof addr === 'object' && addr) process.stdout.write(`${JSON.stringify({ port: addr.port })}\n`);
  });
  const shutdown = () => {
    for (const c of wss.clients) c.terminate();
    wss.close(() => {
      db.close();
      process.exit(0);
    });
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

if (process.env[CHILD_FLAG] === '1' && process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await serve(process.env.BASELINE_DB ?? path.join(os.tmpdir(), `loket-baseline-${process.pid}.db`));
}
