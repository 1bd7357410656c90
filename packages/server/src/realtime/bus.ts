import type { AgentChatSummary, AgentPublic, ChatEvent, Presence, QueueItem, Transfer, VisitorChat, WarningMessage } from '@loket/protocol';

/**
 * What one node tells every node (itself included) after a commit. Topics:
 *   chat:<id>     events, typing, read cursor and state changes of one chat
 *   channel:<id>  the channel's queue changed
 *   agent:<id>    things for one agent's sockets (assignments, presence, sign-out)
 *   faq           the knowledge base changed (every node's search index follows)
 *   availability  some channel's availability may have changed (realtime/availability-push.ts)
 */
export type BusMessage =
  | { kind: 'event'; chatId: string; event: ChatEvent; summary: AgentChatSummary }
  | { kind: 'chatState'; chatId: string; visitorChat: VisitorChat; summary: AgentChatSummary }
  | { kind: 'typing'; chatId: string; from: 'visitor' | 'agent'; typing: boolean; name?: string }
  | { kind: 'read'; chatId: string; seq: number; summary: AgentChatSummary }
  /** Only the agents' view of the chat changed (the customer read it, left the page or came back). */
  | { kind: 'summary'; chatId: string; summary: AgentChatSummary }
  | { kind: 'queueAdded'; item: QueueItem }
  | { kind: 'queueRemoved'; chatId: string; channelId: string }
  | { kind: 'assigned'; summary: AgentChatSummary }
  | { kind: 'presence'; presence: Presence }
  | { kind: 'sessionEnded'; sessionId: string }
  /** The agent's role, channels or permissions changed: their sockets reconnect to get a fresh view. */
  | { kind: 'accessChanged' }
  /** An FAQ (or, with null, the whole knowledge base after an import) changed: every node updates its search index. */
  | { kind: 'faqChanged'; faqId: string | null }
  /** A chat waited unanswered too long (domain/warnings.ts); sent to one agent's topic. */
  | { kind: 'warning'; warning: WarningMessage }
  /** An agent's presence or activity changed: nodes recheck the availability of channels with waiting visitors. */
  | { kind: 'availabilityCheck' }
  /** Working together (domain/collaboration): to the sender's and the receiver's agent topics. */
  | { kind: 'transfer'; transfer: Transfer }
  /** This agent now follows a chat they don't serve (listening in, or staying after a transfer). */
  | { kind: 'listening'; summary: AgentChatSummary }
  /** The chat left this agent's list. */
  | { kind: 'unlisted'; chatId: string }
  /** A manager took over a chat this agent served. */
  | { kind: 'takenOver'; chatId: string; by: AgentPublic };

export const topics = {
  chat: (id: string) => `chat:${id}`,
  channel: (id: string) => `channel:${id}`,
  agent: (id: string) => `agent:${id}`,
  faq: () => 'faq',
  availability: () => 'availability',
};

export type BusHandler = (topic: string, message: BusMessage) => void;

/** Told why this node's clients must catch up from the database (see `Bus.onResync`). */
export type ResyncHandler = (reason: string) => void;

/** Fan-out between nodes. The local bus serves one node; the Redis bus (redis-bus.ts, cluster mode) plugs in here. */
export interface Bus {
  /** Delivers to this node's subscribers and, in cluster mode, to every other node. Never blocks, never throws. */
  publish(topic: string, message: BusMessage): void;
  onMessage(handler: BusHandler): void;
  /**
   * Called when this node may have missed messages from other nodes (e.g. its Redis subscription
   * was down for a while): every local client must then catch up from the database. A bus that
   * cannot miss anything (the local one) never calls it.
   */
  onResync(handler: ResyncHandler): void;
  close(): Promise<void>;
}

export class LocalBus implements Bus {
  private handlers: BusHandler[] = [];
  publish(topic: string, message: BusMessage): void {
    // Deliver after the current call stack so publishers never re-enter socket code mid-action.
    queueMicrotask(() => {
      for (const h of this.handlers) h(topic, message);
    });
  }
  onMessage(handler: BusHandler): void {
    this.handlers.push(handler);
  }
  onResync(_handler: ResyncHandler): void {
    // One process is the whole cluster: every message reaches every subscriber, none can be missed.
  }
  async close(): Promise<void> {
    this.handlers = [];
  }
}
