import {
  AgentServerMessageSchema,
  CLOSE_CODES,
  DEAD_MS,
  HEARTBEAT_MS,
  type AgentClientMessage,
  type AgentServerMessage,
} from '@loket/protocol';
import { backoffDelay } from './backoff.js';

export type SocketStatus = 'connecting' | 'online' | 'offline';

export interface SocketHandlers {
  message(msg: AgentServerMessage): void;
  status(status: SocketStatus): void;
  /** The server says this session is over (close 4401 or bye signed_out): do not reconnect. */
  unauthorized(): void;
  /** The socket closed before it ever opened: the session may have expired (upgrade refused). */
  neverOpened(): void;
}

/**
 * The agent's WebSocket with reconnect (exponential backoff + jitter), heartbeat and
 * dead-connection detection. Incoming frames are validated; invalid ones are dropped.
 */
export class AgentSocket {
  private ws: WebSocket | null = null;
  private attempt = 0;
  private stopped = true;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private heartbeatTimer: ReturnType<typeof setInterval> | null = null;
  private lastReceived = 0;

  constructor(
    private readonly url: string,
    private readonly handlers: SocketHandlers,
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.attempt = 0;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.clearTimers();
    const ws = this.ws;
    this.ws = null;
    if (ws) ws.close(1000);
  }

  get isOpen(): boolean {
    return this.ws?.readyState === WebSocket.OPEN;
  }

  /** Sends when connected; returns false otherwise (callers keep what must survive in the outbox). */
  send(frame: AgentClientMessage): boolean {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return false;
    this.ws.send(JSON.stringify(frame));
    return true;
  }

  /** Skip the remaining backoff, e.g. when the browser reports it is back online. */
  reconnectNow(): void {
    if (this.stopped || this.isOpen) return;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    if (!this.ws) this.connect();
  }

  private connect(): void {
    this.handlers.status('connecting');
    let opened = false;
    let quickReconnect = false;
    const ws = new WebSocket(this.url);
    this.ws = ws;
    ws.onopen = () => {
      if (this.ws !== ws) return;
      opened = true;
      this.lastReceived = Date.now();
      this.startHeartbeat();
    };
    ws.onmessage = (ev: MessageEvent) => {
      if (this.ws !== ws) return;
      this.lastReceived = Date.now();
      const msg = parseFrame(ev.data);
      if (!msg) return;
      if (msg.type === 'ready') {
        // Only a snapshot proves the connection is usable; a socket that opens and dies
        // straight away must keep backing off.
        this.attempt = 0;
        this.handlers.status('online');
      }
      // An administrator changed this agent's role or channels: reconnect at once for a fresh snapshot.
      if (msg.type === 'bye' && msg.reason === 'access_changed') quickReconnect = true;
      if (msg.type === 'bye' && msg.reason === 'signed_out') {
        this.stop();
        this.handlers.unauthorized();
        return;
      }
      this.handlers.message(msg);
    };
    ws.onclose = (ev: CloseEvent) => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.clearTimers();
      if (this.stopped) return;
      if (ev.code === CLOSE_CODES.unauthorized) {
        this.stopped = true;
        this.handlers.unauthorized();
        return;
      }
      if (quickReconnect) {
        this.connect();
        return;
      }
      this.handlers.status('offline');
      if (!opened) this.handlers.neverOpened();
      this.scheduleReconnect();
    };
    // An error is always followed by close, which does the work.
    ws.onerror = () => {};
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    const delay = backoffDelay(this.attempt);
    this.attempt += 1;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      if (!this.stopped) this.connect();
    }, delay);
  }

  private startHeartbeat(): void {
    const tick = Math.min(HEARTBEAT_MS, 5_000);
    let sinceLastPing = 0;
    this.heartbeatTimer = setInterval(() => {
      const ws = this.ws;
      if (!ws) return;
      if (Date.now() - this.lastReceived > DEAD_MS) {
        // Half-open TCP: the browser may never notice by itself. Drop it and reconnect.
        this.ws = null;
        this.clearTimers();
        ws.onclose = null;
        ws.close(4000);
        this.handlers.status('offline');
        this.scheduleReconnect();
        return;
      }
      sinceLastPing += tick;
      if (sinceLastPing >= HEARTBEAT_MS) {
        sinceLastPing = 0;
        this.send({ type: 'ping' });
      }
    }, tick);
  }

  private clearTimers(): void {
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.heartbeatTimer = null;
    this.reconnectTimer = null;
  }
}

export function parseFrame(data: unknown): AgentServerMessage | null {
  if (typeof data !== 'string') return null;
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    return null;
  }
  const parsed = AgentServerMessageSchema.safeParse(json);
  if (!parsed.success) {
    console.warn('Loket: dropped an invalid frame', parsed.error);
    return null;
  }
  return parsed.data;
}

export function agentSocketUrl(loc: Pick<Location, 'protocol' | 'host'>): string {
  return `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}/ws/agent`;
}
