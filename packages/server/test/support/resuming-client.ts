/**
 * A WebSocket test client that survives reconnects the way the real widget and console do, for
 * tests that take nodes, Redis or the network away and check that nothing is lost or doubled.
 *
 *   const v = await ResumingClient.visitor({ url: () => `${node.wsUrl}/ws/visitor`, token });
 *   const a = await ResumingClient.agent({ url: () => `${node.wsUrl}/ws/agent`, cookie: agent.cookie });
 *
 * Connecting
 *   `url()` is called before every (re)connect, so a test may route the client to another node
 *   (a load balancer). The factories resolve once the first connection is ready (visitor: the
 *   `chat` frame; agent: the `ready` snapshot); `headers` go with every upgrade.
 *   After any close except 4401/1008 (and `close()`), it reconnects after `minDelayMs`, doubling
 *   per failed attempt up to `maxDelayMs`, with jitter. On reconnect:
 *     visitor: `auth {token, lastSeq: contiguousSeq()}`, then resends the outbox;
 *     agent:   after `ready`, `subscribe {chatId, afterSeq: contiguousSeq(chatId)}` for every
 *              followed chat, then resends the outbox.
 *
 * Sending
 *   `send(body, chatId?)` → Promise<Ack>: a message with a fresh clientMsgId (rid = clientMsgId),
 *     kept in `outbox` until acknowledged and resent with the SAME clientMsgId after every
 *     reconnect (and after a retryable error). `chatId` is required for agents.
 *   `request(frame)` → the reply (`ack`/`ok`/`claimed`/`error`) to a frame sent now with a fresh
 *     rid; rejects if not connected or the socket closes first. E.g. claim, end, presence.
 *   `raw(frame)` → boolean: fire and forget on the current socket (typing, read…).
 *   `follow(chatId)` (agent) → subscribe now and after every reconnect; chats this client claims
 *     are followed automatically, as the console opens them.
 *
 * What it saw
 *   `events(chatId?)`        events held for a chat, deduplicated by seq, in seq order
 *   `contiguousSeq(chatId?)` highest seq up to which nothing is missing (the resume point);
 *                            on a gap it sends `sync {afterSeq}` like the real clients
 *   `duplicates`             event frames for a seq already held (visitors should see none; an
 *                            agent's subscribe replay may legitimately repeat a few)
 *   `acks`                   clientMsgId → {chatId, seq, at} of every acknowledged send
 *   `outbox`                 clientMsgIds sent but not yet acknowledged
 *   `frames`                 every frame as {conn, frame}: conn counts connections from 1
 *   `connections`            connections that became ready; `closeCodes` every close code seen
 *   `invalid`                frames that did not match the protocol schema (should stay empty)
 *   `chatId` (visitor)       the chat, from the first `chat` frame; `snapshot` (agent) the last `ready`
 *
 * Waiting
 *   `next(type, match?, {timeoutMs = 5000, from = 0})` → first frame of `type` (index ≥ `from`
 *     in `frames`) matching; `mark()` is the current length of `frames`, for `from`.
 *   `until(what, condition, timeoutMs = 5000)` → resolves once `condition()` is true (checked on
 *     every frame, open and close).
 *
 * Stopping
 *   `drop()` ends the current socket abruptly (as a network loss would); it reconnects by itself.
 *   `close()` stops for good.
 */
import { randomUUID } from 'node:crypto';
import {
  AgentServerMessageSchema,
  VisitorServerMessageSchema,
  type AgentServerMessage,
  type ChatEvent,
  type VisitorServerMessage,
} from '@loket/protocol';
import WebSocket from 'ws';

export type ServerFrame = VisitorServerMessage | AgentServerMessage;
export type FrameOf<K extends ServerFrame['type']> = Extract<ServerFrame, { type: K }>;
export interface Ack {
  chatId: string;
  seq: number;
  at: number;
}

export interface ResumingClientOptions {
  /** The full WebSocket URL, asked before every (re)connect. */
  url: () => string;
  headers?: Record<string, string>;
  minDelayMs?: number;
  maxDelayMs?: number;
  /** How long the factory waits for the first ready connection. */
  readyTimeoutMs?: number;
}

type Role = { kind: 'visitor'; token: string; lastSeq: number } | { kind: 'agent' };

interface Pending {
  clientMsgId: string;
  chatId: string | undefined;
  body: string;
  resolve(ack: Ack): void;
  reject(err: Error): void;
}

interface ChatLog {
  events: Map<number, ChatEvent>;
  contiguous: number;
  /** The resume point we last asked `sync` from, so one gap costs one request. */
  syncedFrom: number;
}

export class ResumingClient {
  readonly frames: Array<{ conn: number; frame: ServerFrame }> = [];
  readonly invalid: unknown[] = [];
  readonly acks = new Map<string, Ack>();
  readonly closeCodes: number[] = [];
  duplicates = 0;
  connections = 0;
  chatId: string | null = null;
  snapshot: FrameOf<'ready'> | null = null;

  private readonly logs = new Map<string, ChatLog>();
  private readonly pending = new Map<string, Pending>();
  private readonly followed = new Set<string>();
  private readonly waiters = new Set<() => void>();
  private ws: WebSocket | null = null;
  /** Connection number of `ws` (1, 2, …), counting attempts that never became ready too. */
  private conn = 0;
  private ready = false;
  private stopped = false;
  private attempt = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private rids = 0;
  private readonly minDelay: number;
  private readonly maxDelay: number;

  private constructor(
    private readonly role: Role,
    private readonly options: ResumingClientOptions,
  ) {
    this.minDelay = options.minDelayMs ?? 50;
    this.maxDelay = options.maxDelayMs ?? 1_000;
  }

  static async visitor(options: ResumingClientOptions & { token: string; lastSeq?: number }): Promise<ResumingClient> {
    return new ResumingClient({ kind: 'visitor', token: options.token, lastSeq: options.lastSeq ?? 0 }, options).begin();
  }

  static async agent(options: ResumingClientOptions & { cookie: string }): Promise<ResumingClient> {
    return new ResumingClient({ kind: 'agent' }, { ...options, headers: { ...options.headers, cookie: options.cookie } }).begin();
  }

  private async begin(): Promise<this> {
    this.connect();
    try {
      await this.until('the first connection to be ready', () => this.ready, this.options.readyTimeoutMs ?? 5_000);
    } catch (err) {
      this.close();
      throw err;
    }
    return this;
  }

  get isReady(): boolean {
    return this.ready;
  }

  get outbox(): string[] {
    return [...this.pending.keys()];
  }

  // ---- sending ----

  send(body: string, chatId?: string): Promise<Ack> {
    if (this.role.kind === 'agent' && chatId === undefined) throw new Error('an agent sends to a chatId');
    const clientMsgId = randomUUID().replace(/-/g, '');
    return new Promise<Ack>((resolve, reject) => {
      const p: Pending = { clientMsgId, chatId, body, resolve, reject };
      this.pending.set(clientMsgId, p);
      if (this.ready) this.transmit(p);
    });
  }

  raw(frame: Record<string, unknown>): boolean {
    if (!this.ready || this.ws?.readyState !== WebSocket.OPEN) return false;
    this.ws.send(JSON.stringify(frame));
    return true;
  }

  async request(frame: Record<string, unknown> & { type: string }, timeoutMs = 5_000): Promise<FrameOf<'ack' | 'ok' | 'claimed' | 'error'>> {
    const rid = `q${++this.rids}`;
    const conn = this.conn;
    const from = this.mark();
    if (!this.raw({ ...frame, rid })) throw new Error(`not connected; cannot send ${frame.type}`);
    const isReply = (f: ServerFrame): f is FrameOf<'ack' | 'ok' | 'claimed' | 'error'> =>
      (f.type === 'ack' || f.type === 'ok' || f.type === 'claimed' || f.type === 'error') && f.rid === rid;
    let reply: FrameOf<'ack' | 'ok' | 'claimed' | 'error'> | undefined;
    await this.until(
      `the reply to ${frame.type}`,
      () => {
        reply = this.frames.slice(from).map((e) => e.frame).find(isReply);
        if (!reply && this.conn !== conn) throw new Error(`the socket closed before the reply to ${frame.type}`);
        return reply !== undefined;
      },
      timeoutMs,
    );
    return reply as FrameOf<'ack' | 'ok' | 'claimed' | 'error'>;
  }

  follow(chatId: string): void {
    this.followed.add(chatId);
    this.raw({ type: 'subscribe', chatId, afterSeq: this.contiguousSeq(chatId) });
  }

  private transmit(p: Pending): void {
    const frame = this.role.kind === 'visitor' ? { type: 'send', rid: p.clientMsgId, clientMsgId: p.clientMsgId, body: p.body } : { type: 'send', rid: p.clientMsgId, chatId: p.chatId, clientMsgId: p.clientMsgId, body: p.body };
    this.raw(frame);
  }

  // ---- what it saw ----

  events(chatId?: string): ChatEvent[] {
    const log = this.logs.get(this.resolveChat(chatId));
    return log ? [...log.events.values()].sort((a, b) => a.seq - b.seq) : [];
  }

  contiguousSeq(chatId?: string): number {
    const id = chatId ?? this.chatId;
    if (id === null) return this.role.kind === 'visitor' ? this.role.lastSeq : 0;
    return this.logs.get(id)?.contiguous ?? (this.role.kind === 'visitor' ? this.role.lastSeq : 0);
  }

  mark(): number {
    return this.frames.length;
  }

  async next<K extends ServerFrame['type']>(type: K, match: (f: FrameOf<K>) => boolean = () => true, opts: { timeoutMs?: number; from?: number } = {}): Promise<FrameOf<K>> {
    let found: FrameOf<K> | undefined;
    await this.until(
      `a ${type} frame`,
      () => {
        for (let i = opts.from ?? 0; i < this.frames.length; i++) {
          const f = (this.frames[i] as { frame: ServerFrame }).frame;
          if (f.type === type && match(f as FrameOf<K>)) {
            found = f as FrameOf<K>;
            return true;
          }
        }
        return false;
      },
      opts.timeoutMs ?? 5_000,
    );
    return found as FrameOf<K>;
  }

  async until(what: string, condition: () => boolean, timeoutMs = 5_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      const left = deadline - Date.now();
      if (left <= 0) {
        const last = this.frames.slice(-5).map((e) => e.frame);
        throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; connections ${this.connections}, closes ${JSON.stringify(this.closeCodes)}, last frames ${JSON.stringify(last)}`);
      }
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          clearTimeout(timer);
          this.waiters.delete(wake);
          resolve();
        };
        // Also re-check now and then: a condition may depend on something other than our frames.
        const timer = setTimeout(wake, Math.min(left, 100));
        this.waiters.add(wake);
      });
    }
  }

  // ---- stopping ----

  drop(): void {
    this.ws?.terminate();
  }

  close(): void {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const ws = this.ws;
    this.ws = null;
    this.ready = false;
    if (ws && (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING)) ws.terminate();
    for (const p of this.pending.values()) p.reject(new Error(`client closed with ${p.clientMsgId} unacknowledged`));
    this.pending.clear();
    this.wake();
  }

  // ---- the connection ----

  private connect(): void {
    if (this.stopped) return;
    const conn = ++this.conn;
    const ws = new WebSocket(this.options.url(), { headers: this.options.headers ?? {} });
    this.ws = ws;
    this.ready = false;
    ws.on('open', () => {
      if (this.ws !== ws) return;
      if (this.role.kind === 'visitor') ws.send(JSON.stringify({ type: 'auth', token: this.role.token, lastSeq: this.contiguousSeq() }));
      this.wake();
    });
    ws.on('message', (data: WebSocket.RawData) => {
      if (this.ws !== ws) return;
      this.receive(conn, data.toString());
      this.wake();
    });
    // An error is always followed by close, which decides what next.
    ws.on('error', () => {});
    ws.on('close', (code: number) => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.ready = false;
      this.closeCodes.push(code);
      if (code === 4401 || code === 1008) this.stopped = true;
      else this.scheduleReconnect();
      this.wake();
    });
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    const ceiling = Math.min(this.maxDelay, this.minDelay * 2 ** this.attempt++);
    const delay = ceiling / 2 + (Math.random() * ceiling) / 2;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.connect();
    }, delay);
  }

  private receive(conn: number, text: string): void {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      this.invalid.push(text);
      return;
    }
    const parsed = this.role.kind === 'visitor' ? VisitorServerMessageSchema.safeParse(json) : AgentServerMessageSchema.safeParse(json);
    if (!parsed.success) {
      this.invalid.push(json);
      return;
    }
    const frame: ServerFrame = parsed.data;
    this.frames.push({ conn, frame });
    switch (frame.type) {
      case 'chat':
        this.chatId = frame.chat.id;
        if (!this.ready) this.becameReady();
        return;
      case 'ready':
        this.snapshot = frame;
        this.becameReady();
        return;
      case 'event':
        return this.addEvent(frame.chatId, frame.event);
      case 'ack': {
        const p = this.pending.get(frame.clientMsgId);
        const ack = { chatId: frame.chatId, seq: frame.seq, at: frame.at };
        this.acks.set(frame.clientMsgId, ack);
        if (p) {
          this.pending.delete(frame.clientMsgId);
          p.resolve(ack);
        }
        return;
      }
      case 'error': {
        const p = frame.rid === undefined ? undefined : this.pending.get(frame.rid);
        if (!p) return;
        if (frame.retryable) {
          // Like the real clients: the same clientMsgId again a little later (dedupe makes it safe).
          setTimeout(() => {
            if (this.pending.has(p.clientMsgId) && this.ready) this.transmit(p);
          }, 200);
        } else {
          this.pending.delete(p.clientMsgId);
          p.reject(new Error(`send refused: ${frame.code} ${frame.message}`));
        }
        return;
      }
      case 'claimed':
        this.follow(frame.chat.id);
        return;
      default:
        return;
    }
  }

  private becameReady(): void {
    this.ready = true;
    this.attempt = 0;
    this.connections++;
    if (this.role.kind === 'agent') for (const chatId of this.followed) this.raw({ type: 'subscribe', chatId, afterSeq: this.contiguousSeq(chatId) });
    for (const p of this.pending.values()) this.transmit(p);
  }

  private addEvent(chatId: string, event: ChatEvent): void {
    let log = this.logs.get(chatId);
    if (!log) this.logs.set(chatId, (log = { events: new Map(), contiguous: this.role.kind === 'visitor' ? this.role.lastSeq : 0, syncedFrom: -1 }));
    if (log.events.has(event.seq) || event.seq <= log.contiguous) {
      this.duplicates++;
      return;
    }
    log.events.set(event.seq, event);
    while (log.events.has(log.contiguous + 1)) log.contiguous++;
    // Something beyond the contiguous prefix: a gap. Ask once per resume point, as the real clients do.
    const gap = [...log.events.keys()].some((s) => s > log.contiguous + 1);
    if (gap && log.syncedFrom !== log.contiguous) {
      log.syncedFrom = log.contiguous;
      this.raw(this.role.kind === 'visitor' ? { type: 'sync', afterSeq: log.contiguous } : { type: 'sync', chatId, afterSeq: log.contiguous });
    }
  }

  private resolveChat(chatId: string | undefined): string {
    const id = chatId ?? this.chatId;
    if (id === null) throw new Error('which chat? (a visitor knows its chat after the first chat frame; agents must say)');
    return id;
  }

  private wake(): void {
    for (const w of [...this.waiters]) w();
  }
}

