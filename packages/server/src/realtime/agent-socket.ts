import {
  AgentClientMessageSchema,
  CLOSE_CODES,
  type AgentChatSummary,
  type AgentClientMessage,
  type AgentServerMessage,
  type ErrorMessage,
} from '@loket/protocol';
import type { FastifyBaseLogger } from 'fastify';
import type { WebSocket } from 'ws';
import { accessChannel, accessChat, agentChannelIds, mayListen } from '../domain/access.js';
import type { ChannelAgentsTable } from '../db/schema.js';
import type { AgentActor } from '../domain/actors.js';
import { agentSelf, setPresence } from '../domain/agents.js';
import { agentChats, agentQueue, claimChat, claimNextChat, endChat, markRead, postMessage } from '../domain/chats.js';
import { listenIn, stopListening } from '../domain/collaboration/listeners.js';
import { postNote } from '../domain/collaboration/notes.js';
import { answerTransfer, cancelTransfer, requestTransfer, takeOver, transferToChannel } from '../domain/collaboration/transfers.js';
import { topics, type BusMessage } from './bus.js';
import { ChatStream } from './chat-stream.js';
import { Conn } from './conn.js';
import type { Subscriber } from './hub.js';
import type { RealtimeDeps } from './visitor-socket.js';

/**
 * The console's socket. Follows the agent's channels' queues, the agent's own chats (for unread
 * counts and live messages) and any chat the agent opens.
 */
export class AgentConn extends Conn<AgentServerMessage> implements Subscriber {
  private readonly streams = new Map<string, ChatStream>();
  private readonly topicsHeld = new Set<string>();
  /** Chats in the agent's list that they follow without serving them (listening in). */
  private readonly listened = new Set<string>();
  /** Chats offered to this agent by a pending transfer: readable while they decide. */
  private readonly offered = new Set<string>();
  /**
   * The agent's permissions per channel, fixed like the actor for the connection's life (an
   * administrator's change reconnects it), so each live event can be checked without a query.
   */
  private memberships = new Map<string, ChannelAgentsTable>();
  private lastTyping = new Map<string, number>();

  constructor(
    socket: WebSocket,
    log: FastifyBaseLogger,
    private readonly deps: RealtimeDeps,
    private readonly actor: AgentActor,
    language: string,
  ) {
    super(socket, log, AgentClientMessageSchema, deps.conns);
    this.language = language;
    this.start().catch((err: unknown) => {
      this.fail(undefined, err);
      this.close(1011, 'start failed');
    });
  }

  private async start(): Promise<void> {
    const { ctx } = this.deps;
    this.hold(topics.agent(this.actor.agent.id));
    for (const channelId of await agentChannelIds(ctx.db, this.actor)) {
      this.hold(topics.channel(channelId));
      this.memberships.set(channelId, await accessChannel(ctx.db, this.actor, channelId));
    }
    const offers = await ctx.db.selectFrom('chat_transfers').select('chat_id').where('to_agent_id', '=', this.actor.agent.id).where('status', '=', 'pending').execute();
    for (const { chat_id } of offers) this.offered.add(chat_id);
    const [agent, queue, chats] = await Promise.all([agentSelf(ctx.db, this.actor.agent.id), agentQueue(ctx, this.actor), agentChats(ctx, this.actor)]);
    for (const chat of chats) {
      if (chat.agentId !== this.actor.agent.id) this.listened.add(chat.id);
      if (chat.status === 'active') this.follow(chat.id, chat.lastSeq);
    }
    this.sendNow({ type: 'ready', agent, queue, chats });
    this.release();
  }

  private hold(topic: string): void {
    if (this.topicsHeld.has(topic)) return;
    this.topicsHeld.add(topic);
    this.deps.hub.subscribe(topic, this);
  }

  /** Live events of a chat from `afterSeq` on; an existing stream is kept (it knows what was sent). */
  private follow(chatId: string, afterSeq: number): ChatStream {
    this.hold(topics.chat(chatId));
    let stream = this.streams.get(chatId);
    if (!stream) {
      stream = new ChatStream(this.deps.ctx.db, chatId, afterSeq, (event) => this.send({ type: 'event', chatId, event }), (err) => this.fail(undefined, err));
      this.streams.set(chatId, stream);
    }
    return stream;
  }

  protected errorFrame(error: Omit<ErrorMessage, 'type'>): AgentServerMessage {
    return { type: 'error', ...error };
  }

  private ok(rid: string | undefined): void {
    this.sendNow(rid === undefined ? { type: 'ok' } : { type: 'ok', rid });
  }

  protected async handle(m: AgentClientMessage): Promise<void> {
    const { ctx } = this.deps;
    const actor = this.actor;
    switch (m.type) {
      case 'ping':
        return this.sendNow({ type: 'pong' });
      case 'send': {
        const r = await postMessage(ctx, actor, { chatId: m.chatId, clientMsgId: m.clientMsgId, body: m.body });
        this.sendNow({ type: 'ack', ...(m.rid ? { rid: m.rid } : {}), chatId: r.chatId, clientMsgId: r.clientMsgId, seq: r.seq, at: r.at });
        return;
      }
      case 'typing': {
        const now = Date.now();
        if (m.typing && now - (this.lastTyping.get(m.chatId) ?? 0) < 1000) return;
        await accessChat(ctx.db, actor, m.chatId, 'write');
        this.lastTyping.set(m.chatId, m.typing ? now : 0);
        ctx.bus.publish(topics.chat(m.chatId), { kind: 'typing', chatId: m.chatId, from: 'agent', typing: m.typing, name: actor.agent.name });
        return;
      }
      case 'read':
        await markRead(ctx, actor, { chatId: m.chatId, seq: m.seq });
        return;
      case 'subscribe': {
        await accessChat(ctx.db, actor, m.chatId, 'read');
        this.follow(m.chatId, m.afterSeq).replayFrom(m.afterSeq);
        return;
      }
      case 'unsubscribe':
        return this.drop(m.chatId);
      case 'claim':
        return this.claimed(m.rid, await claimChat(ctx, actor, { chatId: m.chatId }));
      case 'claimNext':
        return this.claimed(m.rid, await claimNextChat(ctx, actor));
      case 'end':
        await endChat(ctx, actor, { chatId: m.chatId });
        return this.ok(m.rid);
      case 'presence':
        await setPresence(ctx, actor, m.presence);
        return this.ok(m.rid);
      case 'sync':
        await accessChat(ctx.db, actor, m.chatId, 'read');
        this.follow(m.chatId, m.afterSeq).replayFrom(m.afterSeq);
        return;
      case 'note': {
        const r = await postNote(ctx, actor, { chatId: m.chatId, clientMsgId: m.clientMsgId, body: m.body });
        this.sendNow({ type: 'ack', ...(m.rid ? { rid: m.rid } : {}), chatId: r.chatId, clientMsgId: r.clientMsgId, seq: r.seq, at: r.at });
        return;
      }
      case 'transfer': {
        const transfer = await requestTransfer(ctx, actor, { chatId: m.chatId, toAgentId: m.toAgentId, note: m.note });
        return this.sendNow(m.rid === undefined ? { type: 'transfer', transfer } : { type: 'transfer', rid: m.rid, transfer });
      }
      case 'transferAnswer': {
        const chat = await answerTransfer(ctx, actor, { transferId: m.transferId, accept: m.accept });
        return chat ? this.claimed(m.rid, chat) : this.ok(m.rid);
      }
      case 'transferCancel':
        await cancelTransfer(ctx, actor, { transferId: m.transferId });
        return this.ok(m.rid);
      case 'transferToChannel':
        await transferToChannel(ctx, actor, { chatId: m.chatId, channelId: m.channelId });
        return this.ok(m.rid);
      case 'takeOver':
        return this.claimed(m.rid, await takeOver(ctx, actor, { chatId: m.chatId }));
      case 'listen':
        await listenIn(ctx, actor, m.chatId);
        return this.ok(m.rid);
      case 'unlisten':
        await stopListening(ctx, actor, m.chatId);
        return this.ok(m.rid);
    }
  }

  private drop(chatId: string): void {
    if (!this.streams.delete(chatId)) return;
    this.topicsHeld.delete(topics.chat(chatId));
    this.deps.hub.unsubscribe(topics.chat(chatId), this);
  }

  private claimed(rid: string | undefined, chat: AgentChatSummary): void {
    this.follow(chat.id, chat.lastSeq);
    this.sendNow(rid === undefined ? { type: 'claimed', chat } : { type: 'claimed', rid, chat });
  }

  onBus(topic: string, message: BusMessage): void {
    switch (message.kind) {
      case 'queueAdded':
        return this.send({ type: 'queueAdded', item: message.item });
      case 'queueRemoved':
        return this.send({ type: 'queueRemoved', chatId: message.chatId, channelId: message.channelId });
      case 'assigned':
        this.listened.delete(message.summary.id);
        this.follow(message.summary.id, message.summary.lastSeq);
        return this.send({ type: 'chatSummary', chat: message.summary });
      case 'listening':
        this.listened.add(message.summary.id);
        this.follow(message.summary.id, message.summary.lastSeq);
        return this.send({ type: 'chatSummary', chat: message.summary });
      case 'unlisted':
        this.listened.delete(message.chatId);
        this.drop(message.chatId);
        return this.send({ type: 'chatRemoved', chatId: message.chatId });
      case 'transfer': {
        if (topic !== topics.agent(this.actor.agent.id)) return;
        const { transfer } = message;
        if (transfer.to.id === this.actor.agent.id) {
          if (transfer.status === 'pending') this.offered.add(transfer.chatId);
          else this.offered.delete(transfer.chatId);
        }
        return this.send({ type: 'transfer', transfer });
      }
      case 'takenOver':
        return this.send({ type: 'takenOver', chatId: message.chatId, by: message.by });
      case 'presence':
        return this.send({ type: 'presence', presence: message.presence });
      case 'sessionEnded':
        if (message.sessionId === this.actor.sessionId) {
          this.sendNow({ type: 'bye', reason: 'signed_out' });
          this.close(CLOSE_CODES.unauthorized, 'signed out');
        }
        return;
      case 'accessChanged':
        // The connection's actor (role, channels) is fixed when it authenticates; a fresh connection
        // rebuilds it and gets a snapshot with only what the agent may now see.
        this.sendNow({ type: 'bye', reason: 'access_changed' });
        this.close(CLOSE_CODES.goingAway, 'access changed');
        return;
      case 'event': {
        const stream = this.streams.get(message.chatId);
        if (stream && !this.mayFollow(message.summary)) {
          this.drop(message.chatId);
          return;
        }
        if (stream) {
          stream.push(message.event);
          stream.after(() => this.sendSummary(message.summary));
        } else this.sendSummary(message.summary);
        return;
      }
      case 'chatState':
      case 'summary':
      case 'read': {
        const stream = this.streams.get(message.chatId);
        if (stream && !this.mayFollow(message.summary)) return this.drop(message.chatId);
        if (stream) stream.after(() => this.sendSummary(message.summary));
        else this.sendSummary(message.summary);
        return;
      }
      case 'warning':
        // Addressed to this agent's topic only: the sweeper already chose who may be warned.
        if (topic === topics.agent(this.actor.agent.id)) this.send(message.warning);
        return;
      case 'typing':
        if (message.from === 'visitor' && topic === topics.chat(message.chatId)) this.send({ type: 'typing', chatId: message.chatId, from: 'visitor', typing: message.typing });
        return;
    }
  }

  /**
   * Whether this agent may still follow the chat live, by accessChat's read rule: a chat opened
   * from the queue stops streaming once someone else takes it, unless the agent may listen in.
   */
  private mayFollow(summary: AgentChatSummary): boolean {
    if (summary.agentId === this.actor.agent.id || this.listened.has(summary.id) || this.offered.has(summary.id)) return true;
    const membership = this.memberships.get(summary.channelId);
    if (!membership) return false;
    return mayListen(membership) || (summary.status === 'waiting' && membership.can_respond === 1);
  }

  /** Only chats the agent serves belong in their list; an opened queue chat gets its events only. */
  private sendSummary(summary: AgentChatSummary): void {
    if (summary.agentId === this.actor.agent.id || this.listened.has(summary.id)) this.send({ type: 'chatSummary', chat: summary });
  }

  protected onClose(): void {
    for (const topic of this.topicsHeld) this.deps.hub.unsubscribe(topic, this);
    this.topicsHeld.clear();
    this.streams.clear();
    this.listened.clear();
    this.offered.clear();
  }
}
