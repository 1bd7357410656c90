import { LIMITS, type VisitorChat, type VisitorServerMessage } from '@loket/protocol';
import { Connection, type SocketState } from './connection.js';
import { newClientMsgId } from './ids.js';
import { updateChat } from './storage.js';
import {
  addEvents,
  applyAck,
  emptyTimeline,
  hasGap,
  pruneOutbox,
  unsent,
  type OutboxItem,
  type Timeline,
} from './timeline.js';

export type LinkState = 'connecting' | 'ready' | 'retrying' | 'replaced' | 'stopped';

export interface SessionState {
  chat: VisitorChat | null;
  timeline: Timeline;
  outbox: OutboxItem[];
  /** Name of the agent who is typing ('' when the server gave none), or null. */
  agentTyping: string | null;
  link: LinkState;
  ended: boolean;
  /** A refused send or end, already translated by the server. */
  error: string | null;
}

export interface SessionOptions {
  channel: string;
  token: string;
  chat: VisitorChat | null;
  outbox: OutboxItem[];
  /** The token is invalid (close 4401): the chat cannot be resumed. */
  onUnauthorized(): void;
  /** A message the server refused for good; the UI may put it back in the composer. */
  onRejected(body: string): void;
}

const TYPING_IDLE_MS = 3_000;
const AGENT_TYPING_TIMEOUT_MS = 15_000;
const RETRY_SEND_MS = 3_000;

/**
 * A visitor's chat over the WebSocket: merges the log, keeps the outbox until acked, and
 * resends it after every reconnect with the same clientMsgIds (the server deduplicates).
 */
export class ChatSession {
  private state: SessionState;
  private readonly listeners = new Set<(s: SessionState) => void>();
  private readonly conn: Connection;
  private syncedFrom = -1;
  private endRid: string | null = null;
  private typingSent = false;
  private typingTimer: ReturnType<typeof setTimeout> | undefined;
  private agentTypingTimer: ReturnType<typeof setTimeout> | undefined;
  private retrySendTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly opts: SessionOptions) {
    this.state = {
      chat: opts.chat,
      timeline: emptyTimeline,
      outbox: opts.outbox,
      agentTyping: null,
      link: 'connecting',
      ended: opts.chat?.status === 'ended',
      error: null,
    };
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    this.conn = new Connection(`${scheme}://${location.host}/ws/visitor`, {
      auth: () => ({ type: 'auth', token: opts.token, lastSeq: this.state.timeline.contiguousSeq }),
      message: (m) => this.onMessage(m),
      state: (s) => this.onSocketState(s),
      unauthorized: () => opts.onUnauthorized(),
    });
  }

  get snapshot(): SessionState {
    return this.state;
  }

  subscribe(fn: (s: SessionState) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  start(): void {
    this.conn.start();
  }

  stop(): void {
    clearTimeout(this.typingTimer);
    clearTimeout(this.agentTypingTimer);
    clearTimeout(this.retrySendTimer);
    this.conn.stop();
  }

  /** After 'replaced' (the chat was opened elsewhere): take it back. */
  resume(): void {
    this.conn.start();
  }

  /** Queues a message; it is sent now if connected, else after the next successful auth. */
  send(body: string): void {
    const item: OutboxItem = { clientMsgId: newClientMsgId(), body, at: Date.now() };
    this.setOutbox([...this.state.outbox, item]);
    this.stopTyping();
    this.update({ error: null });
    if (this.state.link === 'ready') this.transmit(item);
  }

  /** Called on every keystroke in the composer; sends typing true once and false after a pause. */
  noteTyping(): void {
    if (!this.typingSent && this.state.link === 'ready') {
      this.typingSent = this.conn.send({ type: 'typing', typing: true });
    }
    clearTimeout(this.typingTimer);
    this.typingTimer = setTimeout(() => this.stopTyping(), TYPING_IDLE_MS);
  }

  stopTyping(): void {
    clearTimeout(this.typingTimer);
    if (this.typingSent) {
      this.conn.send({ type: 'typing', typing: false });
      this.typingSent = false;
    }
  }

  /** Asks the server to end the chat; the resulting 'ended' event updates the state. */
  end(): boolean {
    this.endRid = `end-${newClientMsgId()}`;
    const sent = this.conn.send({ type: 'end', rid: this.endRid });
    if (!sent) this.endRid = null;
    return sent;
  }

  private transmit(item: OutboxItem): void {
    this.conn.send({ type: 'send', rid: item.clientMsgId, clientMsgId: item.clientMsgId, body: item.body });
  }

  private onSocketState(s: SocketState): void {
    this.syncedFrom = -1;
    this.typingSent = false;
    // 'open' is not 'ready': the chat frame after auth is what proves the token was accepted.
    const link: LinkState = s === 'open' ? 'connecting' : s;
    if (this.state.link === 'replaced' && s === 'stopped') return;
    this.update({ link });
  }

  private onMessage(m: VisitorServerMessage): void {
    switch (m.type) {
      case 'chat': {
        this.conn.healthy();
        const ended = this.state.ended || m.chat.status === 'ended';
        this.update({ chat: m.chat, link: 'ready', ended });
        for (const item of unsent(this.state.outbox)) this.transmit(item);
        break;
      }
      case 'queue':
        if (this.state.chat) this.update({ chat: { ...this.state.chat, queue: m.queue } });
        break;
      case 'read':
        if (this.state.chat && m.seq > this.state.chat.agentReadSeq) {
          this.update({ chat: { ...this.state.chat, agentReadSeq: m.seq } });
        }
        break;
      case 'event':
        this.onEvents([m.event]);
        break;
      case 'typing':
        if (m.from !== 'agent') break;
        clearTimeout(this.agentTypingTimer);
        // A lost "typing false" must not leave the indicator up forever.
        if (m.typing) this.agentTypingTimer = setTimeout(() => this.update({ agentTyping: null }), AGENT_TYPING_TIMEOUT_MS);
        this.update({ agentTyping: m.typing ? (m.name ?? '') : null });
        break;
      case 'ack':
        this.setOutbox(applyAck(this.state.outbox, m.clientMsgId, m.seq));
        break;
      case 'ok':
        if (m.rid === this.endRid) this.endRid = null;
        break;
      case 'error':
        this.onError(m.rid, m.code, m.message, m.retryable);
        break;
      case 'bye':
        if (m.reason === 'restart') this.conn.restart();
        else {
          this.conn.stop();
          this.update({ link: m.reason === 'replaced' ? 'replaced' : 'stopped' });
        }
        break;
      case 'pong':
        break;
    }
  }

  private onEvents(events: Parameters<typeof addEvents>[1]): void {
    const timeline = addEvents(this.state.timeline, events);
    if (timeline === this.state.timeline) return;
    const ended = this.state.ended || timeline.events.some((e) => e.kind === 'ended');
    const agentSpoke = events.some((e) => e.kind === 'message' && e.author.kind === 'agent');
    const chat = this.state.chat && ended && this.state.chat.status !== 'ended' ? { ...this.state.chat, status: 'ended' as const } : this.state.chat;
    this.update({ timeline, ended, chat, agentTyping: agentSpoke || ended ? null : this.state.agentTyping });
    this.setOutbox(pruneOutbox(this.state.outbox, timeline));
    if (hasGap(timeline) && this.syncedFrom !== timeline.contiguousSeq) {
      this.syncedFrom = timeline.contiguousSeq;
      this.conn.send({ type: 'sync', afterSeq: timeline.contiguousSeq });
    }
  }

  private onError(rid: string | undefined, code: string, message: string, retryable: boolean): void {
    if (code === 'chat_ended' && !this.state.ended) this.update({ ended: true });
    const item = rid === undefined ? undefined : this.state.outbox.find((m) => m.clientMsgId === rid);
    if (item) {
      if (retryable && code !== 'chat_ended') {
        clearTimeout(this.retrySendTimer);
        this.retrySendTimer = setTimeout(() => {
          if (this.state.link === 'ready') for (const m of unsent(this.state.outbox)) this.transmit(m);
        }, RETRY_SEND_MS);
        return;
      }
      this.setOutbox(this.state.outbox.filter((m) => m !== item));
      this.opts.onRejected(item.body);
      this.update({ error: message });
      return;
    }
    if (rid !== undefined && rid === this.endRid) {
      this.endRid = null;
      if (code !== 'chat_ended') this.update({ error: message });
      return;
    }
    console.warn('Loket:', code, message);
  }

  private setOutbox(outbox: OutboxItem[]): void {
    if (outbox === this.state.outbox) return;
    this.update({ outbox });
    updateChat(this.opts.channel, { outbox });
  }

  private update(patch: Partial<SessionState>): void {
    this.state = { ...this.state, ...patch };
    for (const fn of this.listeners) fn(this.state);
  }
}

/** The composer refuses these before sending; the server enforces the same limit. */
export const MAX_MESSAGE_LENGTH = LIMITS.messageBody;
