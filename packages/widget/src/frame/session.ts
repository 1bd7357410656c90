import { LIMITS, type Availability, type VisitorChat, type VisitorClientMessage, type VisitorServerMessage } from '@loket/protocol';
import { Connection, type SocketState } from './connection.js';
import { newClientMsgId } from './ids.js';
import { NO_ANSWER, Requests, type Failure, type Outcome } from './requests.js';
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
  /** The chat has ended (and was not reopened since). */
  ended: boolean;
  /** Why a send or end was refused or went unanswered (translated by the UI). */
  error: Failure | null;
  /** Pushed while the chat waits: null until the server says the channel cannot (or again can) answer. */
  availability: Availability | null;
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
  private readonly requests = new Requests();
  private typingSent = false;
  private typingTimer: ReturnType<typeof setTimeout> | undefined;
  private agentTypingTimer: ReturnType<typeof setTimeout> | undefined;
  private retrySendTimer: ReturnType<typeof setTimeout> | undefined;
  /** How far the customer has seen the chat, and how far this socket told the server. */
  private readWanted = 0;
  private readSent = 0;

  constructor(private readonly opts: SessionOptions) {
    this.state = {
      chat: opts.chat,
      timeline: emptyTimeline,
      outbox: opts.outbox,
      agentTyping: null,
      link: 'connecting',
      ended: opts.chat?.status === 'ended',
      error: null,
      availability: null,
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

  /** The customer sees the chat up to `seq` (window open and visible): the agent gets a "seen" mark. */
  markRead(seq: number): void {
    this.readWanted = Math.max(this.readWanted, seq);
    if (this.state.link === 'ready' && this.readWanted > this.readSent && this.conn.send({ type: 'read', seq: this.readWanted })) this.readSent = this.readWanted;
  }

  /** Asks the server to end the chat; the resulting 'ended' event updates the state. False when offline. */
  end(): boolean {
    if (this.state.link !== 'ready') return false;
    void this.request((rid) => ({ type: 'end', rid })).then((f) => {
      if (f && f.code !== 'chat_ended') this.update({ error: f });
    });
    return true;
  }

  /** Post-chat "Back to chat". The server's new chat state and 'reopened' event follow. */
  async reopen(): Promise<Outcome> {
    const f = await this.request((rid) => ({ type: 'reopen', rid }));
    if (!f) this.update({ ended: false, error: null });
    return f;
  }

  async rate(score: number, comment: string): Promise<Outcome> {
    const f = await this.request((rid) => ({ type: 'rate', rid, score, comment }));
    const chat = this.state.chat;
    if (!f && chat) this.update({ chat: { ...chat, rating: { score, comment: comment.trim(), at: Date.now() } } });
    return f;
  }

  /**
   * E-mails the conversation; the chat state with the new transcript count follows. Asking again
   * for the same address reuses the request's id, so a retry after a lost answer sends one e-mail.
   */
  transcript(email: string): Promise<Outcome> {
    let requestId = this.transcriptIds.get(email);
    if (requestId === undefined) this.transcriptIds.set(email, (requestId = newClientMsgId()));
    return this.request((rid) => ({
      type: 'transcript',
      rid,
      requestId,
      email,
      timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone.slice(0, 64),
      locale: navigator.language.slice(0, 35),
    }));
  }

  /**
   * Sends a request answered by `ok` or `error`. Offline, or when the socket drops before the
   * answer, it fails with NO_ANSWER (retryable) rather than being silently dropped.
   */
  private readonly transcriptIds = new Map<string, string>();

  private request(build: (rid: string) => VisitorClientMessage): Promise<Outcome> {
    if (this.state.link !== 'ready') return Promise.resolve(NO_ANSWER);
    const { rid, outcome } = this.requests.add();
    if (!this.conn.send(build(rid))) this.requests.settle(rid, NO_ANSWER);
    return outcome;
  }

  private transmit(item: OutboxItem): void {
    this.conn.send({ type: 'send', rid: item.clientMsgId, clientMsgId: item.clientMsgId, body: item.body });
  }

  private onSocketState(s: SocketState): void {
    this.syncedFrom = -1;
    this.typingSent = false;
    this.readSent = 0;
    // Answers to requests on the old socket will never arrive.
    if (s !== 'open') this.requests.failAll();
    // 'open' is not 'ready': the chat frame after auth is what proves the token was accepted.
    const link: LinkState = s === 'open' ? 'connecting' : s;
    if (this.state.link === 'replaced' && s === 'stopped') return;
    // A new socket is told again (right after auth) when nobody can answer; an old notice may be stale.
    this.update(s === 'open' ? { link, availability: null } : { link });
  }

  private onMessage(m: VisitorServerMessage): void {
    switch (m.type) {
      case 'chat': {
        this.conn.healthy();
        // The chat state is the truth (the post-chat form can reopen an ended chat).
        this.update({ chat: m.chat, link: 'ready', ended: m.chat.status === 'ended' });
        for (const item of unsent(this.state.outbox)) this.transmit(item);
        this.markRead(0);
        break;
      }
      case 'availability':
        this.update({ availability: m.availability });
        break;
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
        this.requests.settle(m.rid, null);
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
    const ended = endedAfter(timeline, this.state.chat?.lastSeq ?? 0) ?? this.state.ended;
    const agentSpoke = events.some((e) => e.kind === 'message' && e.author.kind === 'agent');
    const chat = this.state.chat && ended && this.state.chat.status !== 'ended' ? { ...this.state.chat, status: 'ended' as const } : this.state.chat;
    this.update({ timeline, ended, chat, agentTyping: agentSpoke || ended ? null : this.state.agentTyping });
    this.setOutbox(pruneOutbox(this.state.outbox, timeline));
    if (hasGap(timeline) && this.syncedFrom !== timeline.contiguousSeq) {
      this.syncedFrom = timeline.contiguousSeq;
      this.conn.send({ type: 'sync', afterSeq: timeline.contiguousSeq });
    }
  }

  private onError(rid: string | undefined, code: Failure['code'], message: string, retryable: boolean): void {
    if (code === 'chat_ended' && !this.state.ended) this.update({ ended: true });
    const failure: Failure = { code, message, retryable };
    if (this.requests.settle(rid, failure)) return;
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
      this.update({ error: failure });
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

/**
 * Whether the chat is ended according to the 'ended'/'reopened' events after `afterSeq` (the
 * seq the last chat state already reflects): the later one wins. Null when there is none.
 */
export function endedAfter(t: Timeline, afterSeq: number): boolean | null {
  for (let i = t.events.length - 1; i >= 0 && t.events[i]!.seq > afterSeq; i--) {
    const kind = t.events[i]!.kind;
    if (kind === 'ended' || kind === 'reopened') return kind === 'ended';
  }
  return null;
}

/** What the chat window's components ask of a session; the live preview gives them one that does nothing. */
export type SessionActions = Pick<ChatSession, 'resume' | 'send' | 'noteTyping' | 'stopTyping' | 'end' | 'reopen' | 'rate' | 'transcript'>;
