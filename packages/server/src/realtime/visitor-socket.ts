import {
  CLOSE_CODES,
  type Availability,
  VisitorClientMessageSchema,
  type ErrorMessage,
  type QueueInfo,
  type VisitorClientMessage,
  type VisitorServerMessage,
} from '@loket/protocol';
import type { FastifyBaseLogger } from 'fastify';
import type { WebSocket } from 'ws';
import type { VisitorActor } from '../domain/actors.js';
import { AppError } from '../domain/errors.js';
import { channelLanguage } from '../domain/channels.js';
import { endChat, findChatByToken, postMessage } from '../domain/chats.js';
import type { Ctx } from '../domain/context.js';
import { rateChat, reopenChat, requestTranscript } from '../domain/postchat.js';
import { forVisitor } from '../domain/collaboration/notes.js';
import { markVisitorRead } from '../domain/visitor-marks.js';
import type { RateLimiter } from '../http/rate-limit.js';
import { channelOf, visitorChatView } from '../domain/views.js';
import { topics, type BusMessage } from './bus.js';
import { ChatStream } from './chat-stream.js';
import { Conn, type NodeConns } from './conn.js';
import type { Hub, Subscriber } from './hub.js';
import type { QueueWatch, QueueWatcher } from './queue-watch.js';
import type { AvailabilityPush, AvailabilityWatcher } from './availability-push.js';
import type { VisitorPresence } from './visitor-presence.js';

const AUTH_TIMEOUT_MS = 10_000;

export interface RealtimeDeps {
  ctx: Ctx;
  hub: Hub;
  queueWatch: QueueWatch;
  /** Tells waiting visitors when their channel can no longer (or again) answer. */
  availabilityPush: AvailabilityPush;
  presence: VisitorPresence;
  /** This node's sockets and requests in flight (drain, resync). */
  conns: NodeConns;
  /** Transcripts per visitor IP per hour. */
  transcriptLimiter: RateLimiter;
}

/** The widget's socket: authorised by its chat token, scoped to exactly that chat. */
export class VisitorConn extends Conn<VisitorServerMessage> implements Subscriber, QueueWatcher, AvailabilityWatcher {
  private actor: VisitorActor | null = null;
  private channelId = '';
  private stream: ChatStream | null = null;
  private watching = false;
  private lastTyping = 0;
  /** lastSeq of the newest chat state sent. */
  private stateSeq = 0;
  private readonly authTimer: NodeJS.Timeout;
  /** The auth in progress or done; frames that arrive meanwhile wait for it. */
  private authing: Promise<void> | null = null;
  private authFailed = false;

  constructor(
    socket: WebSocket,
    log: FastifyBaseLogger,
    private readonly deps: RealtimeDeps,
    private readonly ip: string,
  ) {
    super(socket, log, VisitorClientMessageSchema, deps.conns);
    this.authTimer = setTimeout(() => this.close(CLOSE_CODES.policy, 'auth timeout'), AUTH_TIMEOUT_MS);
  }

  get chatId(): string {
    return this.actor?.chatId ?? '';
  }

  protected errorFrame(error: Omit<ErrorMessage, 'type'>): VisitorServerMessage {
    return { type: 'error', ...error };
  }

  protected async handle(m: VisitorClientMessage): Promise<void> {
    if (m.type === 'ping') return this.sendNow({ type: 'pong' });
    if (m.type === 'auth') {
      // A second auth on a socket is a no-op: the first one decides what it is.
      this.authing ??= this.authenticate(m.token, m.lastSeq);
      return this.authing;
    }
    // A client that resends its outbox right after auth (as every reconnecting one does) must not
    // lose those frames to the auth still reading the database: they wait for it, in order.
    if (!this.actor && this.authing) await this.authing.catch(() => undefined);
    const actor = this.authFailed ? null : this.actor;
    if (!actor) throw new AppError('unauthenticated');
    const { ctx } = this.deps;
    switch (m.type) {
      case 'send': {
        const r = await postMessage(ctx, actor, { chatId: actor.chatId, clientMsgId: m.clientMsgId, body: m.body });
        this.sendNow({ type: 'ack', ...(m.rid ? { rid: m.rid } : {}), chatId: r.chatId, clientMsgId: r.clientMsgId, seq: r.seq, at: r.at });
        return;
      }
      case 'typing': {
        // At most a few typing frames a second reach the bus, whatever the client sends.
        const now = Date.now();
        if (m.typing && now - this.lastTyping < 1000) return;
        this.lastTyping = m.typing ? now : 0;
        ctx.bus.publish(topics.chat(actor.chatId), { kind: 'typing', chatId: actor.chatId, from: 'visitor', typing: m.typing });
        return;
      }
      case 'end':
        await endChat(ctx, actor, { chatId: actor.chatId });
        return this.ok(m.rid);
      case 'reopen':
        await reopenChat(ctx, actor);
        return this.ok(m.rid);
      case 'rate':
        await rateChat(ctx, actor, { score: m.score, comment: m.comment });
        return this.ok(m.rid);
      case 'transcript':
        this.deps.transcriptLimiter.take(this.ip);
        await requestTranscript(ctx, actor, { requestId: m.requestId, email: m.email, timeZone: m.timeZone, locale: m.locale });
        return this.ok(m.rid);
      case 'sync':
        this.stream?.replayFrom(m.afterSeq);
        return;
      case 'read':
        await markVisitorRead(ctx, actor, m.seq);
        return;
    }
  }

  private ok(rid: string | undefined): void {
    this.sendNow(rid === undefined ? { type: 'ok' } : { type: 'ok', rid });
  }

  private async authenticate(token: string, lastSeq: number): Promise<void> {
    clearTimeout(this.authTimer);
    try {
      await this.authorise(token, lastSeq);
    } catch (err) {
      // Unauthenticated after a failure, the socket would answer pings forever and never be
      // retried: close it so the client reconnects and authenticates again.
      this.authFailed = true;
      this.fail(undefined, err);
      this.close(CLOSE_CODES.tryAgainLater, 'auth failed, retry');
    }
  }

  private async authorise(token: string, lastSeq: number): Promise<void> {
    const { ctx, hub } = this.deps;
    const chat = await findChatByToken(ctx.db, token);
    if (!chat) {
      this.sendNow(this.error(undefined, 'chat_not_found', false));
      this.close(CLOSE_CODES.unauthorized, 'unknown chat');
      return;
    }
    const channel = await channelOf(ctx.db, chat.channel_id);
    this.language = channelLanguage(channel);
    this.actor = { kind: 'visitor', chatId: chat.id };
    this.channelId = chat.channel_id;
    this.deps.presence.connected(chat.id);
    // Subscribe before reading so nothing committed in between is missed; the stream dedupes.
    hub.subscribe(topics.chat(chat.id), this);
    this.stream = new ChatStream(ctx.db, chat.id, lastSeq, (event) => this.send({ type: 'event', chatId: chat.id, event: forVisitor(event) }), (err) => this.fail(undefined, err));
    const view = await visitorChatView(ctx.db, chat, channel.key);
    // States that arrived while the snapshot was read and are older than it are superseded.
    this.dropHeld((m) => m.type === 'chat' && m.chat.lastSeq < view.lastSeq);
    this.stateSeq = Math.max(this.stateSeq, view.lastSeq);
    this.sendNow({ type: 'chat', chat: view });
    this.release();
    // Not replayFrom: live events that arrived while the snapshot was read are already out.
    this.stream.catchUpToLatest();
    this.updateQueueWatch(view.status);
  }

  onQueue(queue: QueueInfo): void {
    this.send({ type: 'queue', chatId: this.chatId, queue });
  }

  onAvailability(availability: Availability): void {
    this.send({ type: 'availability', chatId: this.chatId, availability });
  }

  onBus(_topic: string, message: BusMessage): void {
    const stream = this.stream;
    if (!stream) return;
    switch (message.kind) {
      case 'event':
        stream.push(message.event);
        return;
      case 'chatState':
        if (message.summary.channelId !== this.channelId) {
          // Transferred to another channel's queue: its queue position and availability now count.
          this.updateQueueWatch('moved');
          this.channelId = message.summary.channelId;
        }
        stream.after(() => {
          // With several nodes, two states can arrive out of commit order; the older one must not win.
          if (message.visitorChat.lastSeq < this.stateSeq) return;
          this.stateSeq = message.visitorChat.lastSeq;
          this.send({ type: 'chat', chat: message.visitorChat });
        });
        this.updateQueueWatch(message.visitorChat.status);
        return;
      case 'typing':
        if (message.from === 'agent') this.send({ type: 'typing', chatId: message.chatId, from: 'agent', typing: message.typing, ...(message.name ? { name: message.name } : {}) });
        return;
      case 'read':
        this.send({ type: 'read', chatId: message.chatId, seq: message.seq });
        return;
      default:
        return;
    }
  }

  private updateQueueWatch(status: string): void {
    const waiting = status === 'waiting';
    if (waiting && !this.watching) {
      this.deps.queueWatch.watch(this.channelId, this);
      this.deps.availabilityPush.watch(this.channelId, this);
    }
    if (!waiting && this.watching) {
      this.deps.queueWatch.unwatch(this.channelId, this);
      this.deps.availabilityPush.unwatch(this.channelId, this);
    }
    this.watching = waiting;
  }

  protected onClose(): void {
    clearTimeout(this.authTimer);
    if (!this.actor) return;
    this.deps.presence.disconnected(this.actor.chatId);
    this.deps.hub.unsubscribe(topics.chat(this.actor.chatId), this);
    if (this.watching) {
      this.deps.queueWatch.unwatch(this.channelId, this);
      this.deps.availabilityPush.unwatch(this.channelId, this);
    }
  }
}
