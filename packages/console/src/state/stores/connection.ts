import type { AgentClientMessage, AgentServerMessage, ErrorCode } from '@loket/protocol';
import { randomId } from '../../ids.js';
import type { SocketHandlers, SocketStatus } from '../../net/socket.js';
import { Store } from './base.js';

/** What the console needs from a socket; AgentSocket in the app. */
export interface SocketLike {
  start(): void;
  stop(): void;
  send(frame: AgentClientMessage): boolean;
  reconnectNow(): void;
}
export type SocketFactory = (handlers: SocketHandlers) => SocketLike;

export type FrameType = AgentServerMessage['type'];
export type Frame<T extends FrameType> = Extract<AgentServerMessage, { type: T }>;

export interface Refusal {
  code: ErrorCode;
  message: string;
  retryable: boolean;
}

/** What to do with the server's answer to one request; every part is optional. */
export interface Reply {
  /** The server refused it (an `error` frame with this request's rid). */
  refused?(error: Refusal): void;
  /** The connection was replaced before an answer came: this request will never be answered. */
  lost?(): void;
}

/** What the session gives the connection: it decides what an expired session means. */
export interface ConnectionEvents {
  unauthorized(): void;
  neverOpened(): void;
}

/**
 * The agent socket: its status, a registry of frame handlers per frame type (any store can listen
 * to the frames it cares about) and requests correlated with their answer by `rid`.
 */
export class ConnectionStore extends Store<{ status: SocketStatus }> {
  private readonly socket: SocketLike;
  private readonly handlers = new Map<FrameType, Array<(msg: AgentServerMessage) => void>>();
  private readonly pending = new Map<string, Reply>();

  constructor(createSocket: SocketFactory, events: ConnectionEvents) {
    super({ status: 'connecting' });
    this.socket = createSocket({
      message: (msg) => this.receive(msg),
      status: (status) => this.set({ status }),
      unauthorized: () => events.unauthorized(),
      neverOpened: () => events.neverOpened(),
    });
  }

  /** Calls `handler` for every frame of `type`, after the handlers registered before it. */
  on<T extends FrameType>(type: T, handler: (msg: Frame<T>) => void): () => void {
    const list = this.handlers.get(type) ?? [];
    // The registry is keyed by type, so only frames of type T reach this handler.
    const entry = handler as (msg: AgentServerMessage) => void;
    list.push(entry);
    this.handlers.set(type, list);
    return () => {
      const at = list.indexOf(entry);
      if (at >= 0) list.splice(at, 1);
    };
  }

  /** False when not connected: the frame was not sent. */
  send(frame: AgentClientMessage): boolean {
    return this.socket.send(frame);
  }

  /**
   * Sends the frame `build` makes with a fresh rid and routes the server's answer to `reply`.
   * False when not connected (nothing is pending then).
   */
  request(build: (rid: string) => AgentClientMessage, reply: Reply = {}): boolean {
    const rid = randomId(9);
    if (!this.socket.send(build(rid))) return false;
    this.pending.set(rid, reply);
    return true;
  }

  start(): void {
    this.socket.start();
  }

  stop(): void {
    this.socket.stop();
    this.pending.clear();
  }

  reconnectNow(): void {
    this.socket.reconnectNow();
  }

  private receive(msg: AgentServerMessage): void {
    if (msg.type === 'ready') {
      // Requests from the previous connection will never be answered.
      const stale = [...this.pending.values()];
      this.pending.clear();
      for (const reply of stale) reply.lost?.();
    } else if (msg.type === 'error') {
      this.refuse(msg);
    } else if ('rid' in msg && msg.rid) {
      this.pending.delete(msg.rid);
    }
    for (const handler of [...(this.handlers.get(msg.type) ?? [])]) handler(msg);
  }

  private refuse(msg: Frame<'error'>): void {
    const reply = msg.rid ? this.pending.get(msg.rid) : undefined;
    if (msg.rid) this.pending.delete(msg.rid);
    if (!reply) {
      console.warn('Loket: server error', msg.code, msg.message);
      return;
    }
    reply.refused?.({ code: msg.code, message: msg.message, retryable: msg.retryable });
  }
}
