import type { ChatEvent } from '@loket/protocol';
import type { Db } from '../db/database.js';
import { loadEvents } from '../domain/views.js';

/**
 * Delivers one chat's events to one socket in seq order, each exactly once, without gaps.
 * Live events and backlog reads share one promise chain; anything out of order (a publish that
 * overtook another, a missed bus message) is filled in from the database.
 */
export class ChatStream {
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Db,
    readonly chatId: string,
    private last: number,
    private readonly emit: (event: ChatEvent) => void,
    private readonly onError: (err: unknown) => void,
  ) {}

  get lastSeq(): number {
    return this.last;
  }

  /** Where the replay queued or running now starts; null when none is. */
  private replaying: number | null = null;

  /**
   * Replays everything after `afterSeq` (a client's `sync`, or a subscription's start). A replay
   * already queued or running from that point or earlier covers it: clients that fill a gap step
   * by step send a sync per step, and each would otherwise replay the chat to its end again.
   */
  replayFrom(afterSeq: number): void {
    if (this.replaying !== null && this.replaying <= afterSeq) return;
    this.replaying = afterSeq;
    this.enqueue(async () => {
      try {
        this.last = afterSeq;
        await this.catchUp(Number.MAX_SAFE_INTEGER);
      } finally {
        if (this.replaying === afterSeq) this.replaying = null;
      }
    });
  }

  /** Delivers what the database has beyond what was sent, without sending anything again. */
  catchUpToLatest(): void {
    this.enqueue(() => this.catchUp(Number.MAX_SAFE_INTEGER));
  }

  push(event: ChatEvent): void {
    this.enqueue(async () => {
      if (event.seq <= this.last) return;
      if (event.seq > this.last + 1) await this.catchUp(event.seq - 1);
      if (event.seq === this.last + 1) this.deliver(event);
    });
  }

  /** Runs `fn` in order with the deliveries (e.g. a state frame that must follow an event). */
  after(fn: () => void): void {
    this.enqueue(async () => fn());
  }

  private async catchUp(upTo: number): Promise<void> {
    for (;;) {
      const events = await loadEvents(this.db, this.chatId, this.last, 500);
      for (const e of events) if (e.seq <= upTo && e.seq === this.last + 1) this.deliver(e);
      if (events.length < 500 || this.last >= upTo) return;
    }
  }

  private deliver(event: ChatEvent): void {
    this.last = event.seq;
    this.emit(event);
  }

  private enqueue(task: () => Promise<void>): void {
    this.chain = this.chain.then(task).catch(this.onError);
  }
}
