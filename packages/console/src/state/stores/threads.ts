import type { ChatEvent } from '@loket/protocol';
import { ApiError, type Api } from '../../net/api.js';
import { hasGap } from '../thread.js';
import { Hooks, Store } from './base.js';
import type { ComposerStore } from './composer.js';
import type { ConnectionStore } from './connection.js';
import type { DataStore } from './data.js';
import type { SessionStore } from './session.js';

export type LoadState = 'loading' | 'loaded' | 'error';

/**
 * The chat logs I follow: subscriptions (renewed after every reconnect), history loading, gap
 * repair by `sync`, and the events, acks and summaries that grow them.
 */
export class ThreadsStore extends Store<{ loads: Readonly<Record<string, LoadState>> }> {
  /** After new events or a summary: what I have read may have moved. */
  readonly progressed = new Hooks<void>();
  /** Chats whose events I asked for; re-subscribed after every reconnect. */
  private readonly opened = new Set<string>();
  private readonly historyInFlight = new Set<string>();
  private readonly syncRequested = new Map<string, number>();

  constructor(
    private readonly connection: ConnectionStore,
    private readonly data: DataStore,
    private readonly session: SessionStore,
    private readonly api: Api,
    composer: ComposerStore,
  ) {
    super({ loads: {} });
    session.signedOut.add(() => {
      this.opened.clear();
      this.syncRequested.clear();
      this.set({ loads: {} });
    });
    connection.on('ready', () => this.resume());
    connection.on('event', ({ chatId, event }) => this.addEvents(chatId, [event]));
    connection.on('chatSummary', ({ chat }) => {
      data.dispatch({ type: 'chatSummary', chat });
      // A summary ahead of what we hold for an open chat means events are on their way or were missed.
      if (this.opened.has(chat.id) && chat.lastSeq > data.thread(chat.id).contiguousSeq) this.requestSync(chat.id);
      this.progressed.run();
    });
    connection.on('ack', ({ chatId, clientMsgId, seq, at }) => {
      const entry = composer.acknowledge(clientMsgId);
      if (!entry) return;
      const agent = data.data.agent;
      // The ack proves the message is stored as `seq`: show it as sent even if its event frame lags.
      const event: ChatEvent = { seq, kind: 'message', at, author: { kind: 'agent', ...(agent ? { id: agent.id, name: agent.name } : {}) }, body: entry.body, clientMsgId };
      this.addEvents(chatId, [event]);
    });
  }

  /** Follows a chat's events and loads its log. */
  open(chatId: string): void {
    if (!this.opened.has(chatId)) {
      this.opened.add(chatId);
      // Subscribe before fetching so nothing written in between is missed; dedupe by seq absorbs overlap.
      this.connection.send({ type: 'subscribe', chatId, afterSeq: this.data.thread(chatId).contiguousSeq });
    }
    void this.loadHistory(chatId);
  }

  /** Stops following a chat that is not mine (a queue preview that was left). */
  close(chatId: string): void {
    if (this.data.data.chats[chatId]) return;
    this.opened.delete(chatId);
    this.connection.send({ type: 'unsubscribe', chatId });
  }

  private resume(): void {
    this.syncRequested.clear();
    for (const chatId of this.opened) {
      const thread = this.data.thread(chatId);
      this.connection.send({ type: 'subscribe', chatId, afterSeq: thread.contiguousSeq });
      const summary = this.data.data.chats[chatId];
      if (!summary || summary.lastSeq > thread.contiguousSeq) void this.loadHistory(chatId);
    }
  }

  private addEvents(chatId: string, events: ChatEvent[]): void {
    this.data.dispatch({ type: 'events', chatId, events });
    if (hasGap(this.data.thread(chatId))) this.requestSync(chatId);
    this.progressed.run();
  }

  /** Asks the server to replay after our contiguous prefix, at most once per resume point. */
  private requestSync(chatId: string): void {
    const afterSeq = this.data.thread(chatId).contiguousSeq;
    if (this.syncRequested.get(chatId) === afterSeq) return;
    if (this.connection.send({ type: 'sync', chatId, afterSeq })) this.syncRequested.set(chatId, afterSeq);
  }

  private async loadHistory(chatId: string): Promise<void> {
    if (this.historyInFlight.has(chatId)) return;
    this.historyInFlight.add(chatId);
    if (this.state.loads[chatId] !== 'loaded') this.setLoad(chatId, 'loading');
    try {
      // The endpoint may page; keep going while it returns something new.
      for (let page = 0; page < 50; page++) {
        const before = this.data.thread(chatId).contiguousSeq;
        const events = await this.api.chatEvents(chatId, before);
        if (events.length === 0) break;
        this.addEvents(chatId, events);
        if (this.data.thread(chatId).contiguousSeq === before) break;
      }
      this.setLoad(chatId, 'loaded');
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) {
        this.session.end(this.session.describeError(err));
        return;
      }
      this.setLoad(chatId, 'error');
    } finally {
      this.historyInFlight.delete(chatId);
    }
  }

  private setLoad(chatId: string, load: LoadState): void {
    this.set({ loads: { ...this.state.loads, [chatId]: load } });
  }
}
