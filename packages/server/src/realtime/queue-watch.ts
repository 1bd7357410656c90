import type { QueueInfo } from '@loket/protocol';
import type { Ctx } from '../domain/context.js';
import { waitingChatIds } from '../domain/chats.js';
import { averageWaitSeconds } from '../domain/views.js';
import { topics, type BusMessage } from './bus.js';
import type { Hub, Subscriber } from './hub.js';

export interface QueueWatcher {
  chatId: string;
  onQueue(info: QueueInfo): void;
}

/**
 * Keeps waiting visitors on this node told their true position. One query per channel change,
 * shared by all of the channel's waiting visitors here, coalesced over a short window.
 */
export class QueueWatch implements Subscriber {
  private readonly watchers = new Map<string, Set<QueueWatcher>>();
  private readonly pending = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly ctx: Ctx,
    private readonly hub: Hub,
  ) {}

  watch(channelId: string, w: QueueWatcher): void {
    let set = this.watchers.get(channelId);
    if (!set) {
      this.watchers.set(channelId, (set = new Set()));
      this.hub.subscribe(topics.channel(channelId), this);
    }
    set.add(w);
  }

  unwatch(channelId: string, w: QueueWatcher): void {
    const set = this.watchers.get(channelId);
    if (!set) return;
    set.delete(w);
    if (set.size === 0) {
      this.watchers.delete(channelId);
      this.hub.unsubscribe(topics.channel(channelId), this);
    }
  }

  onBus(_topic: string, message: BusMessage): void {
    if (message.kind === 'queueAdded') this.schedule(message.item.channelId);
    else if (message.kind === 'queueRemoved') this.schedule(message.channelId);
  }

  private schedule(channelId: string): void {
    if (this.pending.has(channelId)) return;
    const timer = setTimeout(() => {
      this.pending.delete(channelId);
      this.refresh(channelId).catch(() => {
        // Positions are refreshed again on the next queue change; a visitor's reconnect also recomputes.
      });
    }, 25);
    timer.unref();
    this.pending.set(channelId, timer);
  }

  private async refresh(channelId: string): Promise<void> {
    const set = this.watchers.get(channelId);
    if (!set || set.size === 0) return;
    const [ids, avg] = await Promise.all([waitingChatIds(this.ctx, channelId), averageWaitSeconds(this.ctx.db, channelId)]);
    const position = new Map(ids.map((id, i) => [id, i + 1]));
    for (const w of set) {
      const p = position.get(w.chatId);
      if (p !== undefined) w.onQueue({ position: p, avgWaitSeconds: avg });
    }
  }

  close(): void {
    for (const t of this.pending.values()) clearTimeout(t);
    this.pending.clear();
  }
}
