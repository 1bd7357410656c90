import {
  CLOSE_CODES,
  DEAD_MS,
  HEARTBEAT_MS,
  VisitorServerMessageSchema,
  type VisitorClientMessage,
  type VisitorServerMessage,
} from '@loket/protocol';
import { backoffDelay } from './backoff.js';

export type SocketState = 'connecting' | 'open' | 'retrying' | 'stopped';

export interface ConnectionHandlers {
  /** First frame on every new socket (token and where to resume). */
  auth(): VisitorClientMessage;
  message(msg: VisitorServerMessage): void;
  state(state: SocketState): void;
  /** Close code 4401: the token is not (or no longer) valid. */
  unauthorized(): void;
}

/**
 * One visitor WebSocket that keeps itself alive: heartbeat, dead-socket detection, reconnect
 * with backoff and jitter, and an immediate retry when the browser comes back online.
 */
export class Connection {
  private ws: WebSocket | null = null;
  private attempt = 0;
  private stopped = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private deadTimer: ReturnType<typeof setTimeout> | undefined;
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  private readonly onOnline = (): void => {
    if (this.ws === null && !this.stopped) this.connect();
  };

  constructor(
    private readonly url: string,
    private readonly handlers: ConnectionHandlers,
  ) {}

  start(): void {
    this.stopped = false;
    window.addEventListener('online', this.onOnline);
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    window.removeEventListener('online', this.onOnline);
    clearTimeout(this.retryTimer);
    this.drop();
    this.handlers.state('stopped');
  }

  /** The server accepted our auth: the next failure starts the backoff from the bottom again. */
  healthy(): void {
    this.attempt = 0;
  }

  send(msg: VisitorClientMessage): boolean {
    if (this.ws?.readyState !== WebSocket.OPEN) return false;
    this.ws.send(JSON.stringify(msg));
    return true;
  }

  /** Drops the current socket (if any) and reconnects after the backoff delay. */
  restart(): void {
    this.drop();
    this.scheduleRetry();
  }

  private connect(): void {
    clearTimeout(this.retryTimer);
    this.drop();
    this.handlers.state('connecting');
    let ws: WebSocket;
    try {
      ws = new WebSocket(this.url);
    } catch {
      this.scheduleRetry();
      return;
    }
    this.ws = ws;
    this.armDeadTimer();
    ws.onopen = () => {
      if (this.ws !== ws) return;
      this.handlers.state('open');
      ws.send(JSON.stringify(this.handlers.auth()));
      this.pingTimer = setInterval(() => this.send({ type: 'ping' }), HEARTBEAT_MS);
    };
    ws.onmessage = (e: MessageEvent) => {
      if (this.ws !== ws) return;
      this.armDeadTimer();
      let data: unknown;
      try {
        data = JSON.parse(String(e.data));
      } catch {
        console.warn('Loket: ignored a non-JSON frame');
        return;
      }
      const parsed = VisitorServerMessageSchema.safeParse(data);
      if (!parsed.success) {
        console.warn('Loket: ignored an invalid frame', data);
        return;
      }
      this.handlers.message(parsed.data);
    };
    ws.onclose = (e: CloseEvent) => {
      if (this.ws !== ws) return;
      this.drop();
      if (e.code === CLOSE_CODES.unauthorized) {
        this.stopped = true;
        this.handlers.state('stopped');
        this.handlers.unauthorized();
        return;
      }
      this.scheduleRetry();
    };
  }

  private armDeadTimer(): void {
    clearTimeout(this.deadTimer);
    // Silence for DEAD_MS (pings are answered by pongs) means a half-open socket: start over.
    this.deadTimer = setTimeout(() => this.restart(), DEAD_MS);
  }

  private drop(): void {
    clearTimeout(this.deadTimer);
    clearInterval(this.pingTimer);
    const ws = this.ws;
    this.ws = null;
    if (ws) {
      ws.onopen = ws.onmessage = ws.onclose = null;
      if (ws.readyState === WebSocket.CONNECTING || ws.readyState === WebSocket.OPEN) ws.close();
    }
  }

  private scheduleRetry(): void {
    if (this.stopped) return;
    clearTimeout(this.retryTimer);
    this.handlers.state('retrying');
    this.retryTimer = setTimeout(() => this.connect(), backoffDelay(this.attempt++));
  }
}
