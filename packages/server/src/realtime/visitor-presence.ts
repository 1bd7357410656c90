import type { FastifyBaseLogger } from 'fastify';
import type { Ctx } from '../domain/context.js';
import { endAbandonedChats, restartGraceForAll, visitorsSeen } from '../domain/grace.js';
import { visitorWindow, windowsBack } from '../domain/visitor-marks.js';

/**
 * Which chats have a visitor's chat window open on this node, reported to the database at connect
 * and by a heartbeat, and the sweeper that ends chats whose visitor nobody has seen for the grace
 * period (see domain/grace.ts).
 */
export class VisitorPresence {
  private readonly open = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private busy = false;
  private stopped = false;
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly ctx: Ctx,
    private readonly log: FastifyBaseLogger,
  ) {}

  /** `singleNode`: no other node can hold this node's visitors, so a restart gives everyone a fresh grace period. */
  async start(singleNode: boolean): Promise<void> {
    if (singleNode) await restartGraceForAll(this.ctx);
    // A quarter of the grace period: a visitor who left is noticed between 1 and 1¼ grace periods later.
    const every = Math.max(200, Math.min(30_000, Math.floor(this.ctx.graceMs / 4)));
    this.timer = setInterval(() => void this.tick(), every);
    this.timer.unref();
  }

  connected(chatId: string): void {
    const n = this.open.get(chatId) ?? 0;
    this.open.set(chatId, n + 1);
    if (n === 0) {
      this.record(visitorsSeen(this.ctx, [chatId]));
      this.record(visitorWindow(this.ctx, chatId, true));
    }
  }

  disconnected(chatId: string): void {
    const n = (this.open.get(chatId) ?? 1) - 1;
    if (n > 0) this.open.set(chatId, n);
    else {
      this.open.delete(chatId);
      // Agents see within a moment that the customer left the page, not only when the grace period ends the chat.
      if (!this.stopped) this.record(visitorWindow(this.ctx, chatId, false));
    }
  }

  /** Heartbeat for this node's visitors, then the sweep. */
  async tick(): Promise<void> {
    if (this.busy || this.stopped) return;
    this.busy = true;
    const run = (async () => {
      const held = [...this.open.keys()];
      await visitorsSeen(this.ctx, held);
      // Another node may have marked a customer as gone whose second window is open here.
      await windowsBack(this.ctx, held);
      await endAbandonedChats(this.ctx);
    })();
    this.record(run.catch((err: unknown) => this.log.warn({ err }, 'visitor heartbeat or sweep failed; will retry')));
    await run.catch(() => undefined);
    this.busy = false;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await Promise.allSettled([...this.pending]);
  }

  private record(write: Promise<void>): void {
    const p = write.catch((err: unknown) => this.log.warn({ err }, 'recording a visitor failed'));
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
  }
}
