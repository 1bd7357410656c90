import { CLOSE_CODES, ERROR_STATUS, errorMessage, type ErrorCode, type ErrorMessage } from '@loket/protocol';
import type { WebSocket } from 'ws';
import type { FastifyBaseLogger } from 'fastify';
import { isStorageUnavailable } from '../db/database.js';
import { AppError } from '../domain/errors.js';

interface Parser<T> {
  safeParse(v: unknown): { success: true; data: T } | { success: false };
}

const MAX_BUFFERED = 4 * 1024 * 1024;
const PING_EVERY_MS = 30_000;

/** Sockets still open on this node, so shutdown can tell each to reconnect elsewhere. */
export const openConns = new Set<Conn<unknown>>();

/**
 * One node's sockets and the requests they are handling. Per node (not per process) so that
 * several nodes in one process (tests) drain and resync independently.
 */
export class NodeConns {
  readonly conns = new Set<Conn<unknown>>();
  private readonly inFlight = new Set<Promise<void>>();
  /** False while draining: new requests are refused as retryable, those in flight finish. */
  accepting = true;

  track(request: Promise<void>): void {
    this.inFlight.add(request);
    void request.finally(() => this.inFlight.delete(request));
  }

  /** Resolves when every request in flight has finished (committed and answered), or after `timeoutMs`; returns how many still ran. */
  async drain(timeoutMs: number): Promise<number> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
    await Promise.race([Promise.allSettled([...this.inFlight]).then(() => undefined), timeout]);
    clearTimeout(timer);
    return this.inFlight.size;
  }

  /** Tells every client to reconnect (to this node after a restart, or to another) and resume from its last seq. */
  goAwayAll(): void {
    for (const conn of [...this.conns]) conn.goAway();
  }
}

// One sweep for every socket rather than a timer each: idle widgets are the common case and
// should cost as little memory as possible.
let sweeper: NodeJS.Timeout | null = null;
function ensureSweeper(): void {
  if (sweeper) return;
  sweeper = setInterval(() => {
    for (const conn of openConns) conn.heartbeat();
    if (openConns.size === 0 && sweeper) {
      clearInterval(sweeper);
      sweeper = null;
    }
  }, PING_EVERY_MS);
  sweeper.unref();
}

/**
 * One WebSocket with the parts both endpoints share: strict parsing of every frame, replies that
 * echo `rid`, errors rendered like HTTP's, output held back until the initial snapshot is out,
 * and a protocol-level heartbeat that drops dead peers.
 */
export abstract class Conn<Out> {
  private held: Out[] | null = [];
  private alive = true;
  closed = false;
  protected language = 'en';

  constructor(
    protected readonly socket: WebSocket,
    protected readonly log: FastifyBaseLogger,
    private readonly parser: Parser<{ type: string; rid?: string | undefined }>,
    private readonly node: NodeConns,
  ) {
    // @fastify/websocket's own 'error' listener closes over the upgrade's Fastify request and reply,
    // keeping them (and a child logger) alive as long as the socket: kilobytes per idle widget.
    // This connection handles its errors itself (below), so that listener can go.
    socket.removeAllListeners('error');
    openConns.add(this as Conn<unknown>);
    node.conns.add(this as Conn<unknown>);
    ensureSweeper();
    socket.on('pong', () => (this.alive = true));
    socket.on('message', (data, isBinary) => this.receive(data.toString(), isBinary));
    socket.on('close', () => {
      this.closed = true;
      openConns.delete(this as Conn<unknown>);
      node.conns.delete(this as Conn<unknown>);
      this.onClose();
    });
    socket.on('error', () => socket.terminate());
  }

  /** Called every PING_EVERY_MS: drops a peer that did not answer the previous ping. */
  heartbeat(): void {
    if (!this.alive) {
      this.socket.terminate();
      return;
    }
    this.alive = false;
    this.socket.ping();
  }

  /** Drops held output the snapshot supersedes. */
  protected dropHeld(stale: (message: Out) => boolean): void {
    if (this.held) this.held = this.held.filter((m) => !stale(m));
  }

  /** Live output waits until `release()`: the client must get its snapshot first. */
  protected release(): void {
    const held = this.held ?? [];
    this.held = null;
    for (const m of held) this.sendNow(m);
  }

  send(message: Out): void {
    if (this.held) this.held.push(message);
    else this.sendNow(message);
  }

  /** Bypasses holding: for the snapshot itself and replies to requests. */
  protected sendNow(message: Out): void {
    if (this.closed || this.socket.readyState !== this.socket.OPEN) return;
    if (this.socket.bufferedAmount > MAX_BUFFERED) {
      // A client this far behind resumes from its last seq faster than we could drain it.
      this.socket.close(CLOSE_CODES.tryAgainLater, 'too slow');
      return;
    }
    this.socket.send(JSON.stringify(message));
  }

  close(code: number, reason: string): void {
    if (!this.closed) this.socket.close(code, reason);
  }

  /** "Reconnect and resume": the server restarts, drains, or lost fan-out and wants a fresh start. */
  goAway(): void {
    this.sendNow({ type: 'bye', reason: 'restart' } as Out);
    this.close(CLOSE_CODES.goingAway, 'restart');
  }

  protected abstract handle(message: { type: string; rid?: string | undefined }): Promise<void>;
  protected abstract onClose(): void;
  protected abstract errorFrame(error: Omit<ErrorMessage, 'type'>): Out;

  /** An error frame in the connection's language; `rid` only when the request had one. */
  protected error(rid: string | undefined, code: ErrorCode, retryable: boolean, retryAfter?: number): Out {
    return this.errorFrame({ ...(rid === undefined ? {} : { rid }), code, message: errorMessage(code, this.language), retryable, ...(retryAfter ? { retryAfter } : {}) });
  }

  protected fail(rid: string | undefined, err: unknown): void {
    if (err instanceof AppError) {
      // A limit passes: the same request later may succeed.
      this.sendNow(this.error(rid, err.code, err.code === 'unavailable' || err.retryAfter !== undefined, err.retryAfter));
      return;
    }
    const storage = isStorageUnavailable(err);
    if (!storage) this.log.error({ err }, 'websocket handler failed');
    else this.log.warn({ err }, 'storage unavailable');
    const code: ErrorCode = storage ? 'unavailable' : 'internal';
    this.sendNow(this.error(rid, code, true));
  }

  private receive(text: string, isBinary: boolean): void {
    let json: unknown;
    try {
      if (isBinary || text.length > 256 * 1024) throw new Error('unsupported frame');
      json = JSON.parse(text);
    } catch {
      this.sendNow(this.error(undefined, 'bad_request', false));
      return;
    }
    const parsed = this.parser.safeParse(json);
    if (!parsed.success) {
      const rid = typeof json === 'object' && json !== null && typeof (json as { rid?: unknown }).rid === 'string' ? (json as { rid: string }).rid : undefined;
      this.sendNow(this.error(rid, 'validation_failed', false));
      return;
    }
    if (!this.node.accepting && parsed.data.type !== 'ping') {
      // Draining: the client keeps the request (e.g. an unacknowledged message) and resends it after reconnecting.
      this.sendNow(this.error(parsed.data.rid, 'unavailable', true));
      return;
    }
    this.node.track(this.handle(parsed.data).catch((err: unknown) => this.fail(parsed.data.rid, err)));
  }
}

export { ERROR_STATUS };
