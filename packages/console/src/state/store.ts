import {
  LIMITS,
  type AgentChatSummary,
  type AgentClientMessage,
  type AgentServerMessage,
  type ChatEvent,
  type ErrorCode,
  type Presence,
  type QueueItem,
  type Session,
  type WarningMessage,
} from '@loket/protocol';
import { pickLanguage, translateError, translator, type Translate, type UiLanguage } from '../i18n/index.js';
import { randomId } from '../ids.js';
import { Api, ApiError } from '../net/api.js';
import { type SocketHandlers, type SocketStatus } from '../net/socket.js';
import * as outboxOps from './outbox.js';
import { INITIAL_STATE, reduce, type Action, type ConsoleState } from './reducer.js';
import { CHATS_ROUTE, allowedRoute, formatRoute, parseRoute, sameRoute, type Route } from './route.js';
import { EMPTY_THREAD, hasGap, highestSeq, type Thread } from './thread.js';
import { beep, notifyDesktop } from './warning-alerts.js';
import { formatElapsed } from '../time.js';

export type Screen = 'loading' | 'login' | 'console';

export type Selection = { kind: 'chat'; chatId: string } | { kind: 'preview'; item: QueueItem } | null;

export interface ClaimState {
  busy: boolean;
  /** Which waiting chat the last claim was about; null for "Get next in queue". */
  chatId: string | null;
  /** Kept as code + server text so it re-translates when the UI language changes. */
  error: { code: ErrorCode; message: string } | null;
}

export type LoadState = 'loading' | 'loaded' | 'error';

/**
 * A failed request, kept as code + server text so it re-translates when the UI language changes
 * (see problemText). `code` null: the server's answer was not understood; `network`: no answer.
 */
export interface Problem {
  code: ErrorCode | null;
  message: string;
  field: string | null;
  detail: string | null;
  network: boolean;
}

export interface Snapshot {
  screen: Screen;
  lang: UiLanguage;
  t: Translate;
  session: Session | null;
  loginError: string | null;
  connection: SocketStatus;
  data: ConsoleState;
  selection: Selection;
  drafts: Readonly<Record<string, string>>;
  outbox: outboxOps.Outbox;
  claim: ClaimState;
  loads: Readonly<Record<string, LoadState>>;
  notice: string | null;
  /** Where the console is (the URL under /console/); admin views only for role 'admin'. */
  route: Route;
}

type PendingRequest =
  | { kind: 'send'; clientMsgId: string }
  | { kind: 'claim'; chatId: string }
  | { kind: 'claimNext' }
  | { kind: 'end'; chatId: string }
  | { kind: 'presence'; previous: Presence };

/** What the store needs from a socket; AgentSocket in the app. */
export interface SocketLike {
  start(): void;
  stop(): void;
  send(frame: AgentClientMessage): boolean;
  reconnectNow(): void;
}
export type SocketFactory = (handlers: SocketHandlers) => SocketLike;

const TYPING_IDLE_MS = 3_000;
const TYPING_RENEW_MS = 4_000;
const LANG_KEY = 'loket.console.lang';
const outboxKey = (agentId: string) => `loket.console.outbox.${agentId}`;

/**
 * The console's single source of truth: owns the socket, the HTTP client, the outbox and UI
 * state, and turns server frames into reducer actions. Components read snapshots and call methods.
 */
export class ConsoleStore {
  private snap: Snapshot;
  private readonly listeners = new Set<() => void>();
  private readonly api: Api;
  private readonly socket: SocketLike;
  private readonly pending = new Map<string, PendingRequest>();
  /** Chats whose events I asked for; re-subscribed after every reconnect. */
  private readonly opened = new Set<string>();
  private readonly historyInFlight = new Set<string>();
  private readonly syncRequested = new Map<string, number>();
  private readonly readSent = new Map<string, number>();
  private readonly typingSent = new Map<string, { at: number; idle: ReturnType<typeof setTimeout> }>();
  private typingSweep: ReturnType<typeof setInterval> | null = null;

  constructor(createSocket: SocketFactory) {
    const stored = safeStorage()?.getItem(LANG_KEY) ?? null;
    const lang = pickLanguage(navigator.languages?.length ? navigator.languages : [navigator.language], stored);
    this.snap = {
      screen: 'loading',
      lang,
      t: translator(lang),
      session: null,
      loginError: null,
      connection: 'connecting',
      data: INITIAL_STATE,
      selection: null,
      drafts: {},
      outbox: [],
      claim: { busy: false, chatId: null, error: null },
      loads: {},
      notice: null,
      route: currentLocation(),
    };
    this.api = new Api(() => this.snap.lang);
    this.socket = createSocket({
      message: (msg) => this.onMessage(msg),
      status: (connection) => this.set({ connection }),
      unauthorized: () => this.endSession(translateError(this.snap.lang, 'unauthenticated', '')),
      neverOpened: () => void this.probeSession(),
    });
  }

  // ---- subscription ----
  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
  get snapshot(): Snapshot {
    return this.snap;
  }
  private set(patch: Partial<Snapshot>): void {
    this.snap = { ...this.snap, ...patch };
    for (const l of this.listeners) l();
  }
  private dispatch(action: Action): void {
    const data = reduce(this.snap.data, action);
    if (data !== this.snap.data) this.set({ data });
  }

  // ---- session ----
  async init(): Promise<void> {
    document.documentElement.lang = this.snap.lang;
    try {
      const session = await this.api.session();
      if (session) this.startSession(session);
      else this.set({ screen: 'login' });
    } catch {
      this.set({ screen: 'login', loginError: this.snap.t('login.networkError') });
    }
    document.addEventListener('visibilitychange', () => this.maybeSendRead());
    window.addEventListener('focus', () => this.maybeSendRead());
    window.addEventListener('online', () => this.socket.reconnectNow());
    window.addEventListener('popstate', () => this.setRoute(currentLocation()));
  }

  async login(email: string, password: string): Promise<void> {
    this.set({ loginError: null });
    try {
      this.startSession(await this.api.login({ email, password }));
    } catch (err) {
      this.set({ loginError: this.describeError(err) });
    }
  }

  async logout(): Promise<void> {
    this.socket.stop();
    try {
      await this.api.logout();
    } catch (err) {
      // Signed out locally either way; a failed request only leaves a cookie the server expires.
      console.warn('Loket: sign-out request failed', err);
    }
    this.endSession(null);
  }

  private startSession(session: Session): void {
    this.set({
      session,
      screen: 'console',
      loginError: null,
      outbox: outboxOps.restoreOutbox(safeStorage()?.getItem(outboxKey(session.agent.id)) ?? null),
    });
    // A deep link into an admin view stays for administrators; anyone else lands on the chats.
    this.setRoute(this.snap.route, session.agent.role);
    this.dispatch({ type: 'ready', agent: session.agent, queue: [], chats: [] });
    this.socket.start();
    this.typingSweep ??= setInterval(() => {
      if (Object.values(this.snap.data.threads).some((t) => t.visitorTyping)) this.dispatch({ type: 'typingExpired', now: Date.now() });
    }, 2_000);
  }

  private endSession(message: string | null): void {
    this.socket.stop();
    if (this.typingSweep) clearInterval(this.typingSweep);
    this.typingSweep = null;
    for (const { idle } of this.typingSent.values()) clearTimeout(idle);
    this.typingSent.clear();
    this.pending.clear();
    this.opened.clear();
    this.readSent.clear();
    this.syncRequested.clear();
    this.api.csrfToken = null;
    this.dispatch({ type: 'signedOut' });
    this.set({ screen: 'login', session: null, loginError: message, selection: null, drafts: {}, outbox: [], loads: {}, notice: null, claim: { busy: false, chatId: null, error: null } });
  }

  private async probeSession(): Promise<void> {
    try {
      if ((await this.api.session()) === null) this.endSession(translateError(this.snap.lang, 'unauthenticated', ''));
    } catch {
      // Network down: the socket keeps retrying and will find out.
    }
  }

  // ---- navigation ----
  /** Goes to `route` (a new history entry unless `replace`); admin views only for administrators. */
  navigate(route: Route, replace = false): void {
    const allowed = allowedRoute(route, this.snap.session?.agent.role);
    if (sameRoute(allowed, this.snap.route)) return;
    writeHistory(formatRoute(allowed), replace);
    this.set({ route: allowed });
    if (allowed.view === 'chats') this.maybeSendRead();
  }

  /** Follows the address bar (start, back/forward); a view the user may not see is replaced by the chats. */
  private setRoute(route: Route, role = this.snap.session?.agent.role): void {
    // Before sign-in the role is unknown: keep the deep link, it is checked again once the session starts.
    const allowed = role === undefined ? route : allowedRoute(route, role);
    if (!sameRoute(allowed, route)) writeHistory(formatRoute(allowed), true);
    if (!sameRoute(allowed, this.snap.route)) {
      this.set({ route: allowed });
      if (allowed.view === 'chats') this.maybeSendRead();
    }
  }

  /** After "My profile" saved: the top bar and new messages use the new name and photo. */
  profileSaved(agent: Session['agent']): void {
    const session = this.snap.session;
    if (!session) return;
    this.set({ session: { ...session, agent }, data: { ...this.snap.data, agent: { ...agent, presence: this.snap.data.presence } } });
  }

  /** The HTTP client, for the admin views (they keep their own view state). */
  get http(): Api {
    return this.api;
  }

  /**
   * Turns a failed request into something to show. A lapsed session (401) ends it here, so every
   * view gets the same behaviour as the socket's.
   */
  problem(err: unknown): Problem {
    if (err instanceof ApiError) {
      if (err.status === 401) this.endSession(translateError(this.snap.lang, 'unauthenticated', err.message));
      return { code: err.code, message: err.message, field: err.field, detail: err.detail, network: false };
    }
    return { code: null, message: err instanceof Error ? err.message : String(err), field: null, detail: null, network: true };
  }

  /**
   * The text of a problem in the current UI language. An error about one form field keeps the
   * server's own message: it names the field's rule (and was asked for in the UI language).
   */
  problemText(problem: Problem): string {
    if (problem.network) return this.snap.t('login.networkError');
    if (problem.field !== null && problem.message.trim() !== '') return problem.message;
    return problem.code ? translateError(this.snap.lang, problem.code, problem.message) : this.snap.t('error.generic');
  }

  // ---- "Back to chat" ----
  /** Opens a reopened chat from its notice: the conversation if it is mine again, its preview if it went back to the queue. */
  openReopened(chatId: string): void {
    this.dismissReopened(chatId);
    this.navigate(CHATS_ROUTE);
    const waiting = this.snap.data.queue.find((q) => q.chatId === chatId);
    const mine = this.snap.data.chats[chatId];
    if (waiting && mine?.status !== 'active') this.preview(waiting);
    else this.select(chatId);
  }

  dismissReopened(chatId: string): void {
    this.dispatch({ type: 'dismissReopened', chatId });
  }

  // ---- unanswered-chat warnings ----
  /** The banner's (or desktop notification's) text for a warning, in the current UI language. */
  warningText(w: WarningMessage): string {
    const t = this.snap.t;
    return t(`warning.${w.level}`, { name: w.visitorName || t('message.visitor'), time: formatElapsed(w.waitedSeconds * 1000, t), channel: w.channelName });
  }

  /** Opens the warned-about chat: its preview while it waits, the conversation if it became mine meanwhile. */
  openWarning(chatId: string): void {
    this.dismissWarning(chatId);
    this.navigate(CHATS_ROUTE);
    const waiting = this.snap.data.queue.find((q) => q.chatId === chatId);
    if (waiting) this.preview(waiting);
    else if (this.snap.data.chats[chatId]) this.select(chatId);
  }

  dismissWarning(chatId: string): void {
    this.dispatch({ type: 'dismissWarning', chatId });
  }

  private onWarning(w: WarningMessage): void {
    this.dispatch({ type: 'warning', warning: w });
    beep();
    notifyDesktop(w, this.snap.t('warning.title'), this.warningText(w), () => this.openWarning(w.chatId));
  }

  // ---- language ----
  setLanguage(lang: UiLanguage): void {
    safeStorage()?.setItem(LANG_KEY, lang);
    document.documentElement.lang = lang;
    this.set({ lang, t: translator(lang) });
  }

  // ---- incoming frames ----
  private onMessage(msg: AgentServerMessage): void {
    switch (msg.type) {
      case 'ready':
        this.onReady(msg.agent, msg.queue, msg.chats);
        return;
      case 'queueAdded':
        this.dispatch({ type: 'queueAdded', item: msg.item });
        return;
      case 'queueRemoved':
        this.dispatch({ type: 'queueRemoved', chatId: msg.chatId });
        return;
      case 'chatSummary':
        this.onSummary(msg.chat);
        return;
      case 'claimed':
        this.onClaimed(msg.rid, msg.chat);
        return;
      case 'presence':
        this.dispatch({ type: 'presence', presence: msg.presence });
        return;
      case 'chatAgent':
        // The summary that follows carries the new agent; nothing of this chat's list state changes here.
        return;
      case 'event':
        this.addEvents(msg.chatId, [msg.event]);
        return;
      case 'typing':
        if (msg.from === 'visitor') this.dispatch({ type: 'typing', chatId: msg.chatId, typing: msg.typing, at: Date.now() });
        return;
      case 'ack':
        this.onAck(msg.chatId, msg.clientMsgId, msg.seq, msg.at, msg.rid);
        return;
      case 'ok':
        if (msg.rid) this.pending.delete(msg.rid);
        return;
      case 'error':
        this.onError(msg.rid, msg.code, msg.message, msg.retryable);
        return;
      case 'warning':
        this.onWarning(msg);
        return;
      case 'pong':
        return;
      case 'bye':
        // 'restart' and 'replaced': the close follows and the socket reconnects with backoff.
        return;
    }
  }

  private onReady(agent: Session['agent'], queue: QueueItem[], chats: AgentChatSummary[]): void {
    // Each snapshot carries the agent as they are now: an administrator may have changed their role or name.
    const session = this.snap.session;
    if (session) {
      this.set({ session: { ...session, agent } });
      this.setRoute(this.snap.route, agent.role);
    }
    this.dispatch({ type: 'ready', agent, queue, chats });
    // Requests from the previous connection will never be answered.
    const stale = [...this.pending.values()];
    this.pending.clear();
    if (stale.some((r) => r.kind === 'claim' || r.kind === 'claimNext')) this.set({ claim: { ...this.snap.claim, busy: false } });
    this.readSent.clear();
    this.syncRequested.clear();
    for (const entry of outboxOps.toResend(this.snap.outbox)) this.transmit(entry);
    for (const chatId of this.opened) {
      const thread = this.thread(chatId);
      this.socket.send({ type: 'subscribe', chatId, afterSeq: thread.contiguousSeq });
      const summary = this.snap.data.chats[chatId];
      if (!summary || summary.lastSeq > thread.contiguousSeq) void this.loadHistory(chatId);
    }
    this.maybeSendRead();
  }

  private onSummary(chat: AgentChatSummary): void {
    this.dispatch({ type: 'chatSummary', chat });
    // A summary ahead of what we hold for an open chat means events are on their way or were missed.
    if (this.opened.has(chat.id) && chat.lastSeq > this.thread(chat.id).contiguousSeq) this.requestSync(chat.id);
    this.maybeSendRead();
  }

  private onClaimed(rid: string | undefined, chat: AgentChatSummary): void {
    if (rid) this.pending.delete(rid);
    this.dispatch({ type: 'chatSummary', chat });
    this.dispatch({ type: 'queueRemoved', chatId: chat.id });
    this.set({ claim: { busy: false, chatId: null, error: null } });
    this.select(chat.id);
  }

  private onAck(chatId: string, clientMsgId: string, seq: number, at: number, rid: string | undefined): void {
    if (rid) this.pending.delete(rid);
    const { outbox, entry } = outboxOps.acknowledge(this.snap.outbox, clientMsgId);
    if (!entry) return;
    this.setOutbox(outbox);
    const agent = this.snap.data.agent;
    // The ack proves the message is stored as `seq`: show it as sent even if its event frame lags.
    const event: ChatEvent = { seq, kind: 'message', at, author: { kind: 'agent', ...(agent ? { id: agent.id, name: agent.name } : {}) }, body: entry.body, clientMsgId };
    this.addEvents(chatId, [event]);
  }

  private onError(rid: string | undefined, code: ErrorCode, message: string, retryable: boolean): void {
    const text = translateError(this.snap.lang, code, message);
    const request = rid ? this.pending.get(rid) : undefined;
    if (rid) this.pending.delete(rid);
    if (!request) {
      console.warn('Loket: server error', code, message);
      return;
    }
    switch (request.kind) {
      case 'send': {
        if (retryable) {
          const id = request.clientMsgId;
          setTimeout(() => {
            const entry = this.snap.outbox.find((e) => e.clientMsgId === id && e.status === 'pending');
            if (entry) this.transmit(entry);
          }, 2_000);
        } else this.setOutbox(outboxOps.markFailed(this.snap.outbox, request.clientMsgId, { code, message: text }));
        return;
      }
      case 'claim':
      case 'claimNext':
        this.set({ claim: { busy: false, chatId: request.kind === 'claim' ? request.chatId : null, error: { code, message } } });
        return;
      case 'presence':
        this.dispatch({ type: 'presence', presence: request.previous });
        this.set({ notice: text });
        return;
      case 'end':
        this.set({ notice: text });
        return;
    }
  }

  // ---- events & history ----
  private thread(chatId: string): Thread {
    return this.snap.data.threads[chatId] ?? EMPTY_THREAD;
  }

  private addEvents(chatId: string, events: ChatEvent[]): void {
    this.dispatch({ type: 'events', chatId, events });
    if (hasGap(this.thread(chatId))) this.requestSync(chatId);
    this.maybeSendRead();
  }

  /** Asks the server to replay after our contiguous prefix, at most once per resume point. */
  private requestSync(chatId: string): void {
    const afterSeq = this.thread(chatId).contiguousSeq;
    if (this.syncRequested.get(chatId) === afterSeq) return;
    if (this.socket.send({ type: 'sync', chatId, afterSeq })) this.syncRequested.set(chatId, afterSeq);
  }

  private async loadHistory(chatId: string): Promise<void> {
    if (this.historyInFlight.has(chatId)) return;
    this.historyInFlight.add(chatId);
    if (this.snap.loads[chatId] !== 'loaded') this.set({ loads: { ...this.snap.loads, [chatId]: 'loading' } });
    try {
      // The endpoint may page; keep going while it returns something new.
      for (let page = 0; page < 50; page++) {
        const before = this.thread(chatId).contiguousSeq;
        const events = await this.api.chatEvents(chatId, before);
        if (events.length === 0) break;
        this.addEvents(chatId, events);
        if (this.thread(chatId).contiguousSeq === before) break;
      }
      this.set({ loads: { ...this.snap.loads, [chatId]: 'loaded' } });
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) {
        this.endSession(this.describeError(err));
        return;
      }
      this.set({ loads: { ...this.snap.loads, [chatId]: 'error' } });
    } finally {
      this.historyInFlight.delete(chatId);
    }
  }

  private openChat(chatId: string): void {
    if (!this.opened.has(chatId)) {
      this.opened.add(chatId);
      // Subscribe before fetching so nothing written in between is missed; dedupe by seq absorbs overlap.
      this.socket.send({ type: 'subscribe', chatId, afterSeq: this.thread(chatId).contiguousSeq });
    }
    void this.loadHistory(chatId);
  }

  private closePreview(): void {
    const sel = this.snap.selection;
    if (sel?.kind === 'preview' && !this.snap.data.chats[sel.item.chatId]) {
      this.opened.delete(sel.item.chatId);
      this.socket.send({ type: 'unsubscribe', chatId: sel.item.chatId });
    }
  }

  // ---- UI actions ----
  select(chatId: string): void {
    const sel = this.snap.selection;
    if (sel?.kind === 'chat' && sel.chatId === chatId) return;
    this.closePreview();
    this.set({ selection: { kind: 'chat', chatId }, notice: null });
    this.dispatch({ type: 'dismissReopened', chatId });
    this.openChat(chatId);
    this.maybeSendRead();
  }

  preview(item: QueueItem): void {
    this.closePreview();
    this.set({ selection: { kind: 'preview', item }, claim: { busy: false, chatId: null, error: null } });
    this.openChat(item.chatId);
  }

  claim(chatId: string): void {
    const rid = randomId(9);
    if (!this.socket.send({ type: 'claim', rid, chatId })) return this.offline();
    this.pending.set(rid, { kind: 'claim', chatId });
    this.set({ claim: { busy: true, chatId, error: null } });
  }

  claimNext(): void {
    const rid = randomId(9);
    if (!this.socket.send({ type: 'claimNext', rid })) return this.offline();
    this.pending.set(rid, { kind: 'claimNext' });
    this.set({ claim: { busy: true, chatId: null, error: null } });
  }

  end(chatId: string): void {
    const rid = randomId(9);
    if (!this.socket.send({ type: 'end', rid, chatId })) return this.offline();
    this.pending.set(rid, { kind: 'end', chatId });
  }

  togglePresence(): void {
    const previous = this.snap.data.presence;
    const presence: Presence = previous === 'present' ? 'away' : 'present';
    const rid = randomId(9);
    if (!this.socket.send({ type: 'presence', rid, presence })) return this.offline();
    this.pending.set(rid, { kind: 'presence', previous });
    this.dispatch({ type: 'presence', presence });
  }

  dismissNotice(): void {
    this.set({ notice: null });
  }

  private offline(): void {
    this.set({ notice: this.snap.t('connection.offline') });
  }

  setDraft(chatId: string, text: string): void {
    this.set({ drafts: { ...this.snap.drafts, [chatId]: text } });
    if (text.trim() === '') this.stopTyping(chatId);
    else this.startTyping(chatId);
  }

  /** Queues the draft for sending; returns false when there is nothing (valid) to send. */
  sendDraft(chatId: string): boolean {
    const body = (this.snap.drafts[chatId] ?? '').trim();
    if (body === '' || body.length > LIMITS.messageBody) return false;
    if (this.snap.data.chats[chatId]?.status !== 'active') return false;
    const entry = { chatId, clientMsgId: randomId(), body, createdAt: Date.now() };
    this.setOutbox(outboxOps.enqueue(this.snap.outbox, entry));
    this.set({ drafts: { ...this.snap.drafts, [chatId]: '' } });
    this.stopTyping(chatId);
    this.transmit(entry);
    return true;
  }

  retrySend(clientMsgId: string): void {
    this.setOutbox(outboxOps.retry(this.snap.outbox, clientMsgId));
    const entry = this.snap.outbox.find((e) => e.clientMsgId === clientMsgId);
    if (entry) this.transmit(entry);
  }

  discardSend(clientMsgId: string): void {
    this.setOutbox(outboxOps.discard(this.snap.outbox, clientMsgId));
  }

  private transmit(entry: { chatId: string; clientMsgId: string; body: string }): void {
    const rid = randomId(9);
    // Not connected: the entry stays in the outbox and goes out after the next `ready`.
    if (this.socket.send({ type: 'send', rid, chatId: entry.chatId, clientMsgId: entry.clientMsgId, body: entry.body })) {
      this.pending.set(rid, { kind: 'send', clientMsgId: entry.clientMsgId });
    }
  }

  private setOutbox(outbox: outboxOps.Outbox): void {
    this.set({ outbox });
    const agent = this.snap.session?.agent;
    if (agent) safeStorage()?.setItem(outboxKey(agent.id), JSON.stringify(outbox));
  }

  // ---- typing & read ----
  private startTyping(chatId: string): void {
    if (this.snap.data.chats[chatId]?.status !== 'active') return;
    const now = Date.now();
    const current = this.typingSent.get(chatId);
    if (current) clearTimeout(current.idle);
    const renew = !current || now - current.at > TYPING_RENEW_MS;
    if (renew) this.socket.send({ type: 'typing', chatId, typing: true });
    this.typingSent.set(chatId, { at: renew ? now : (current?.at ?? now), idle: setTimeout(() => this.stopTyping(chatId), TYPING_IDLE_MS) });
  }

  private stopTyping(chatId: string): void {
    const current = this.typingSent.get(chatId);
    if (!current) return;
    clearTimeout(current.idle);
    this.typingSent.delete(chatId);
    this.socket.send({ type: 'typing', chatId, typing: false });
  }

  /** Tells the server how far the agent has read, but only while the conversation is really on screen. */
  maybeSendRead(): void {
    const sel = this.snap.selection;
    // Read means seen: not while an admin view hides the conversation.
    if (sel?.kind !== 'chat' || document.visibilityState !== 'visible' || this.snap.route.view !== 'chats') return;
    const summary = this.snap.data.chats[sel.chatId];
    if (!summary) return;
    const seq = highestSeq(this.thread(sel.chatId));
    if (seq === 0 || seq <= (this.readSent.get(sel.chatId) ?? 0)) return;
    if (this.socket.send({ type: 'read', chatId: sel.chatId, seq })) {
      this.readSent.set(sel.chatId, seq);
      this.dispatch({ type: 'localRead', chatId: sel.chatId });
    }
  }

  private describeError(err: unknown): string {
    if (err instanceof ApiError) return err.code ? translateError(this.snap.lang, err.code, err.message) : this.snap.t('error.generic');
    return this.snap.t('login.networkError');
  }
}

/** The route in the address bar; the chats when there is no address bar (tests). */
function currentLocation(): Route {
  const loc = typeof window === 'undefined' ? undefined : (window.location as Location | undefined);
  return loc ? parseRoute(loc.pathname, loc.search) : CHATS_ROUTE;
}

function writeHistory(url: string, replace: boolean): void {
  const history = typeof window === 'undefined' ? undefined : (window.history as History | undefined);
  if (!history) return;
  if (replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
}

function safeStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}
