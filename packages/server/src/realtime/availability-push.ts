import type { Availability } from '@loket/protocol';
import type { Ctx, Publish } from '../domain/context.js';
import { channelAvailability } from '../domain/availability.js';
import { channelOf } from '../domain/views.js';
import { topics, type BusMessage } from './bus.js';
import type { Hub, Subscriber } from './hub.js';

export interface AvailabilityWatcher {
  chatId: string;
  onAvailability(availability: Availability): void;
}

/**
 * Checks at least this often while visitors wait: a missed boundary (clock jump, sleep) heals itself, and so does a
 * change no presence action announces (an administrator editing the hours or who can respond).
 */
const MAX_TIMER_MS = 60_000;
const COALESCE_MS = 25;

/**
 * Called from the domain actions that change who is present (sign-in, sign-out, Away, deactivation): every node then
 * rechecks the channels its waiting visitors wait in. The message carries no channel ids on purpose: a node asks the
 * database only for channels it has watchers for, so one presence change costs one query per such channel.
 */
export function publishAvailabilityCheck(publish: Publish): void {
  publish(topics.availability(), { kind: 'availabilityCheck' });
}

/** The channel's availability now (opening hours and present agents). */
export type AvailabilityOf = (ctx: Ctx, channelId: string) => Promise<Availability>;

export const availabilityOfChannel: AvailabilityOf = async (ctx, channelId) => channelAvailability(ctx, await channelOf(ctx.db, channelId));

/**
 * Tells this node's waiting visitors when their channel can no longer (or again) answer them. Presence changes arrive
 * over the bus (any node may make them); opening and closing times are caught by a per-node timer per watched channel,
 * set to the next boundary on `ctx.now()`'s clock. A timer per node rather than a cluster-wide sweeper: nothing is
 * written, every node only informs its own sockets, so there is nothing to coordinate or to run twice.
 */
export class AvailabilityPush implements Subscriber {
  private readonly watchers = new Map<string, { set: Set<AvailabilityWatcher>; last: Availability | null; timer: NodeJS.Timeout | null }>();
  private readonly pending = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly ctx: Ctx,
    hub: Hub,
    private readonly availabilityOf: AvailabilityOf,
  ) {
    hub.subscribe(topics.availability(), this);
  }

  /** Starts watching; the watcher is told at once when its channel cannot answer now (a reconnect during closure). */
  watch(channelId: string, w: AvailabilityWatcher): void {
    let entry = this.watchers.get(channelId);
    if (!entry) this.watchers.set(channelId, (entry = { set: new Set(), last: null, timer: null }));
    entry.set.add(w);
    if (entry.last && !entry.last.available) w.onAvailability(entry.last);
    if (!entry.last) this.schedule(channelId);
  }

  unwatch(channelId: string, w: AvailabilityWatcher): void {
    const entry = this.watchers.get(channelId);
    if (!entry) return;
    entry.set.delete(w);
    if (entry.set.size > 0) return;
    if (entry.timer) clearTimeout(entry.timer);
    this.watchers.delete(channelId);
  }

  onBus(_topic: string, message: BusMessage): void {
    if (message.kind !== 'availabilityCheck') return;
    for (const channelId of this.watchers.keys()) this.schedule(channelId);
  }

  private schedule(channelId: string): void {
    if (this.pending.has(channelId)) return;
    const timer = setTimeout(() => {
      this.pending.delete(channelId);
      this.refresh(channelId).catch(() => {
        // Rechecked by the channel's timer and on the next presence change; a reconnect also rechecks.
      });
    }, COALESCE_MS);
    timer.unref();
    this.pending.set(channelId, timer);
  }

  private async refresh(channelId: string): Promise<void> {
    const before = this.watchers.get(channelId);
    if (!before) return;
    const availability = await this.availabilityOf(this.ctx, channelId);
    const entry = this.watchers.get(channelId);
    if (!entry) return;
    const previous = entry.last;
    entry.last = availability;
    // The first check after a (re)connect tells only of a closure; an open channel is what the visitor assumes.
    const changed = previous ? previous.available !== availability.available || previous.reason !== availability.reason : !availability.available;
    if (changed) for (const w of entry.set) w.onAvailability(availability);
    this.arm(channelId, entry, availability);
  }

  private arm(channelId: string, entry: { timer: NodeJS.Timeout | null }, a: Availability): void {
    if (entry.timer) clearTimeout(entry.timer);
    entry.timer = null;
    const now = this.ctx.now();
    const boundary = !a.hasHours ? undefined : a.available ? a.upcoming.find((s) => s.start <= now && s.end > now)?.end : (a.nextOpenAt ?? undefined);
    const delay = boundary === undefined ? MAX_TIMER_MS : Math.min(MAX_TIMER_MS, Math.max(0, boundary - now));
    entry.timer = setTimeout(() => {
      entry.timer = null;
      this.schedule(channelId);
    }, delay);
    entry.timer.unref();
  }

  close(): void {
    for (const t of this.pending.values()) clearTimeout(t);
    this.pending.clear();
    for (const e of this.watchers.values()) if (e.timer) clearTimeout(e.timer);
    this.watchers.clear();
  }
}
