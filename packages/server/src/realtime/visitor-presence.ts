import type { FastifyBaseLogger } from 'fastify';
import type { Ctx } from '../domain/context.js';
import { endAbandonedChats, startGraceForAll, visitorLeft, visitorReturned } from '../domain/grace.js';

/**
 * Which chats have a visitor's chat window open on this node, and the sweeper that ends chats
 * whose visitor left (see domain/grace.ts). Writes for one chat run in order, so a reload's
 * "left" can never land after its "returned".
 */
export class VisitorPresence {
  private readonly open = new Map<string, number>();
  private readonly chains = new Map<string, Promise<void>>();
  private timer: NodeJS.Timeout | null = null;
  private sweeping = false;
  private stopped = false;

  constructor(
    private readonly ctx: Ctx,
    private readonly log: FastifyBaseLogger,
  ) {}

  /** `singleNode`: no other node can hold this node's visitors, so a restart starts everyone's grace period. */
  async start(singleNode: boolean): Promise<void> {
    if (singleNode) await startGraceForAll(this.ctx);
    const every = Math.max(200, Math.min(5_000, Math.floor(this.ctx.graceMs / 4)));
    this.timer = setInterval(() => void this.sweep(), every);
    this.timer.unref();
  }

  connected(chatId: string): void {
    const n = this.open.get(chatId) ?? 0;
    this.open.set(chatId, n + 1);
    if (n === 0) this.write(chatId, () => visitorReturned(this.ctx, chatId));
  }

  disconnected(chatId: string): void {
    const n = (this.open.get(chatId) ?? 1) - 1;
    if (n > 0) {
      this.open.set(chatId, n);
      return;
    }
    this.open.delete(chatId);
    // Shutting down is not leaving: the visitor reconnects to the next node within seconds.
    if (!this.stopped) this.write(chatId, () => visitorLeft(this.ctx, chatId));
  }

  async sweep(): Promise<void> {
    if (this.sweeping || this.stopped) return;
    this.sweeping = true;
    try {
      await endAbandonedChats(this.ctx);
    } catch (err) {
      this.log.warn({ err }, 'ending abandoned chats failed; will retry');
    } finally {
      this.sweeping = false;
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await Promise.allSettled([...this.chains.values()]);
  }

  private write(chatId: string, fn: () => Promise<void>): void {
    const next = (this.chains.get(chatId) ?? Promise.resolve())
      .then(fn)
      .catch((err: unknown) => this.log.warn({ err, chatId }, 'recording visitor presence failed'));
    this.chains.set(chatId, next);
    void next.then(() => {
      if (this.chains.get(chatId) === next) this.chains.delete(chatId);
    });
  }
}
