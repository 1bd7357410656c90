import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type { FastifyBaseLogger } from 'fastify';
import { Redis, type RedisOptions } from 'ioredis';
import type { Bus, BusHandler, BusMessage, ResyncHandler } from './bus.js';

/**
 * The bus of a cluster: several Loket nodes on one PostgreSQL database, fanned out through Redis
 * pub/sub (docs/realtime.md, "Several nodes").
 *
 * One Redis channel carries every topic. Per-topic Redis channels would let a node subscribe to
 * the chats its sockets follow only, but every node needs most topics anyway (any node may hold
 * a chat's visitor, its agent, an agent's other tab, a channel's waiting visitors), and per-topic
 * subscriptions would be one SUBSCRIBE/UNSUBSCRIBE round trip per socket change, each a window in
 * which a message can slip past. The hub already filters by topic in memory for nothing.
 *
 * Redis is a fan-out, never a store: the database is the source of truth. So:
 * - local subscribers get a message at once, in process, whatever Redis is doing (a customer and
 *   an agent on the same node keep chatting through a Redis outage);
 * - a publish Redis cannot take right now is dropped and counted, never queued or awaited;
 * - a node that may have missed messages (its subscription was down, or another node dropped
 *   publishes) calls its resync handlers, which make every local client catch up from the database.
 */

/** Envelope format version; a node ignores envelopes of another version (a rolling upgrade). */
const WIRE_VERSION = 1;
export const DEFAULT_BUS_CHANNEL = 'loket:bus';

export type BusLog = Pick<FastifyBaseLogger, 'info' | 'warn' | 'debug'>;

export interface RedisBusOptions {
  /** redis:// or rediss:// (REDIS_URL). */
  url: string;
  /** Tags this node's publishes so it can skip them when Redis echoes them back; unique per node. */
  nodeId?: string;
  /** The Redis pub/sub channel; every node of one cluster must use the same one. */
  channel?: string;
  log?: BusLog;
  /** How long start-up waits for Redis before failing (and each later connect attempt may take). */
  connectTimeoutMs?: number;
  /**
   * Pause between the subscription coming back and the resync. Other nodes' publishers come back
   * at about the same moment and ask for a resync of their own (they dropped messages); waiting a
   * little lets one reconnect of our clients serve all of those.
   */
  resyncSettleMs?: number;
  /** Each connection is pinged this often; one that has not answered by the next ping is dropped and reconnected (half-open TCP). */
  pingEveryMs?: number;
  /** Publishes awaiting Redis's reply beyond this many are dropped: a stalled Redis must not grow our memory. */
  maxInFlight?: number;
  /** Longest wait between reconnect attempts. */
  maxRetryDelayMs?: number;
}

export interface RedisBusStats {
  nodeId: string;
  /** Our subscription is live: we see what other nodes publish. */
  subscribed: boolean;
  /** Our publisher is connected: other nodes see what we publish. */
  publishing: boolean;
  /** Sent to Redis and acknowledged by it. */
  published: number;
  /** Not sent: Redis was down or stalled. Those messages are in the database; other nodes resync. */
  dropped: number;
  /** Received from other nodes and handed to local subscribers. */
  received: number;
  /** Unreadable, of another format version, or of an unknown kind. */
  ignored: number;
  /** Times the resync handlers ran. */
  resyncs: number;
}

/** On the wire: one message of one node, or that node's request that everyone resync. */
interface Envelope {
  v: typeof WIRE_VERSION;
  node: string;
  topic: string;
  message: BusMessage;
}
interface ResyncRequest {
  v: typeof WIRE_VERSION;
  node: string;
  /** How many publishes the sender dropped since its previous request. */
  resync: number;
}

// `satisfies` makes the compiler flag a kind added to BusMessage but not here.
const KINDS: ReadonlySet<string> = new Set(
  Object.keys({
    event: true,
    chatState: true,
    typing: true,
    read: true,
    queueAdded: true,
    queueRemoved: true,
    assigned: true,
    presence: true,
    sessionEnded: true,
    accessChanged: true,
    faqChanged: true,
    warning: true,
    availabilityCheck: true,
    transfer: true,
    listening: true,
    unlisted: true,
    takenOver: true,
    summary: true,
  } satisfies Record<BusMessage['kind'], true>),
);

export class RedisBus implements Bus {
  readonly nodeId: string;
  readonly channel: string;
  private log: BusLog | null;
  private readonly pub: Redis;
  private readonly sub: Redis;
  private handlers: BusHandler[] = [];
  private resyncHandlers: ResyncHandler[] = [];
  private readonly settleMs: number;
  private readonly maxInFlight: number;
  private readonly counts = { published: 0, dropped: 0, received: 0, ignored: 0, resyncs: 0 };

  /** Both connections were ready once: from then on they reconnect forever; before, start-up fails fast. */
  private started = false;
  private closing = false;
  private subscribed = false;
  private inFlight = 0;
  /** Drops since our last resync request went out: other nodes missed those messages. */
  private owed = 0;
  private requesting = false;
  private subDownSince: number | null = null;
  private pubDownSince: number | null = null;
  private droppedAtPubDown = 0;
  private resyncTimer: NodeJS.Timeout | null = null;
  private resyncReasons = new Set<string>();
  private readonly pingTimer: NodeJS.Timeout;
  private readonly pinging = new Set<Redis>();
  private lastError: Error | null = null;

  /** Connects and subscribes; rejects (naming REDIS_URL) if Redis cannot be reached. */
  static async connect(options: RedisBusOptions): Promise<RedisBus> {
    const bus = new RedisBus(options);
    try {
      await bus.start();
    } catch (err) {
      await bus.close();
      const why = bus.lastError?.message ?? (err instanceof Error ? err.message : String(err));
      throw new Error(
        `Cannot reach Redis at REDIS_URL=${redactUrl(options.url)} (${why}). Several nodes need Redis to share live messages; ` +
          'start it, fix REDIS_URL, or unset REDIS_URL to run a single node.',
        { cause: err },
      );
    }
    return bus;
  }

  private constructor(options: RedisBusOptions) {
    this.nodeId = options.nodeId ?? `${os.hostname().slice(0, 50)}:${process.pid}:${randomBytes(4).toString('hex')}`;
    this.channel = options.channel ?? DEFAULT_BUS_CHANNEL;
    this.log = options.log ?? null;
    this.settleMs = options.resyncSettleMs ?? 500;
    this.maxInFlight = options.maxInFlight ?? 10_000;
    const maxDelay = options.maxRetryDelayMs ?? 2_000;
    const redisOptions: RedisOptions = {
      lazyConnect: true,
      connectTimeout: options.connectTimeoutMs ?? 5_000,
      // A command while disconnected fails at once rather than waiting in an unbounded queue…
      enableOfflineQueue: false,
      // …and so do commands in flight when a connection is lost (no queueing until it is back).
      maxRetriesPerRequest: 0,
      autoResendUnfulfilledCommands: false,
      // We subscribe again ourselves, so we know the moment the subscription is back.
      autoResubscribe: false,
      // Fail fast at start-up; once running, keep trying: the node serves its own clients meanwhile.
      retryStrategy: (attempt) => (this.started && !this.closing ? Math.min(100 * attempt, maxDelay) : null),
      connectionName: `loket-${this.nodeId.replace(/[^\w.:-]/g, '_')}`,
      // A connection dropped for not answering pings is half-open: don't wait long for a polite close.
      disconnectTimeout: 1_000,
    };
    this.pub = new Redis(options.url, redisOptions);
    this.sub = new Redis(options.url, redisOptions);

    for (const conn of [this.pub, this.sub]) {
      // Without a listener ioredis prints every failed reconnect to stderr; the outage is logged once below.
      conn.on('error', (err: Error) => {
        this.lastError = err;
        this.log?.debug({ err, node: this.nodeId }, 'redis bus: connection error');
      });
      conn.on('ready', () => this.pinging.delete(conn));
    }
    this.sub.on('message', (_channel: string, text: string) => this.receive(text));
    this.sub.on('close', () => this.subscriptionLost());
    this.sub.on('ready', () => this.resubscribe());
    this.pub.on('close', () => this.publisherLost());
    this.pub.on('ready', () => this.publisherBack());

    const pingEvery = options.pingEveryMs ?? 5_000;
    this.pingTimer = setInterval(() => this.ping(), pingEvery);
    this.pingTimer.unref();
  }

  /** Logs through the node's logger once it exists (the bus is built before the HTTP server). */
  setLog(log: BusLog): void {
    this.log = log;
  }

  private async start(): Promise<void> {
    await Promise.all([this.pub.connect(), this.sub.connect()]);
    await this.sub.subscribe(this.channel);
    this.subscribed = true;
    this.started = true;
  }

  publish(topic: string, message: BusMessage): void {
    // Like the local bus: after the current call stack, so publishers never re-enter socket code mid-action.
    queueMicrotask(() => this.deliver(topic, message));
    if (this.closing) return;
    if (this.pub.status !== 'ready' || this.inFlight >= this.maxInFlight) {
      this.drop(this.pub.status !== 'ready' ? 'redis unavailable' : 'redis too slow');
      return;
    }
    const envelope: Envelope = { v: WIRE_VERSION, node: this.nodeId, topic, message };
    this.inFlight++;
    this.pub.publish(this.channel, JSON.stringify(envelope)).then(
      () => {
        this.inFlight--;
        this.counts.published++;
        if (this.owed > 0) this.requestResync();
      },
      () => {
        // The connection died with this publish in flight; it may or may not have gone out.
        // Counting it as dropped costs at most a needless resync elsewhere.
        this.inFlight--;
        this.drop('connection lost');
      },
    );
  }

  onMessage(handler: BusHandler): void {
    this.handlers.push(handler);
  }

  onResync(handler: ResyncHandler): void {
    this.resyncHandlers.push(handler);
  }

  stats(): RedisBusStats {
    return { nodeId: this.nodeId, subscribed: this.subscribed, publishing: this.pub.status === 'ready', ...this.counts };
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    clearInterval(this.pingTimer);
    if (this.resyncTimer) clearTimeout(this.resyncTimer);
    this.resyncTimer = null;
    this.handlers = [];
    this.resyncHandlers = [];
    // QUIT lets publishes in flight go out first; a Redis that doesn't answer gets one second.
    const quit = async (conn: Redis): Promise<void> => {
      if (conn.status === 'ready') {
        await Promise.race([conn.quit().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 1_000).unref())]);
      }
      conn.disconnect();
    };
    await Promise.all([quit(this.pub), quit(this.sub)]);
  }

  // ---- receiving ----

  private receive(text: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      this.counts.ignored++;
      return;
    }
    const env = parsed as Partial<Envelope & ResyncRequest> | null;
    if (typeof env !== 'object' || env === null || env.v !== WIRE_VERSION || typeof env.node !== 'string') {
      this.counts.ignored++;
      return;
    }
    // Our own publishes come back from Redis; local subscribers had them at publish time.
    if (env.node === this.nodeId) return;
    if (typeof env.resync === 'number') {
      this.scheduleResync(`node ${env.node} dropped ${env.resync} message(s)`);
      return;
    }
    // Redis is part of the trusted deployment; this check only keeps an envelope from another
    // version of Loket (rolling upgrade) out of socket code written for ours.
    if (typeof env.topic !== 'string' || typeof env.message !== 'object' || env.message === null || !KINDS.has(env.message.kind)) {
      this.counts.ignored++;
      return;
    }
    this.counts.received++;
    this.deliver(env.topic, env.message);
  }

  private deliver(topic: string, message: BusMessage): void {
    for (const h of this.handlers) {
      try {
        h(topic, message);
      } catch (err) {
        this.log?.warn({ err, topic }, 'redis bus: a subscriber failed');
      }
    }
  }

  // ---- the subscription: lost, back, resync ----

  private subscriptionLost(): void {
    if (!this.started || this.closing || !this.subscribed) return;
    this.subscribed = false;
    this.subDownSince = Date.now();
    // A resync now would reconnect our clients into the same blind spot; the one after recovery covers it.
    if (this.resyncTimer) clearTimeout(this.resyncTimer);
    this.resyncTimer = null;
    this.log?.warn(
      { node: this.nodeId, err: this.lastError?.message, stats: this.stats() },
      'redis bus: subscription lost; messages from other nodes are paused (this node still serves its own clients, every write is still stored)',
    );
  }

  private resubscribe(): void {
    if (!this.started || this.closing) return;
    this.sub.subscribe(this.channel).then(
      () => {
        if (this.closing) return;
        this.subscribed = true;
        const downMs = this.subDownSince === null ? 0 : Date.now() - this.subDownSince;
        this.subDownSince = null;
        this.log?.info({ node: this.nodeId, downMs, stats: this.stats() }, 'redis bus: subscription back; resyncing local clients from the database');
        this.scheduleResync('redis subscription was down');
      },
      () => {
        // The connection dropped again before the reply; its next 'ready' tries again.
      },
    );
  }

  private scheduleResync(reason: string): void {
    if (this.closing) return;
    this.resyncReasons.add(reason);
    if (this.resyncTimer) return;
    this.resyncTimer = setTimeout(() => {
      this.resyncTimer = null;
      // Still blind: the resync after the subscription is back will serve these reasons too.
      if (!this.subscribed) return;
      const reasons = [...this.resyncReasons].join('; ');
      this.resyncReasons.clear();
      this.counts.resyncs++;
      for (const h of this.resyncHandlers) {
        try {
          h(reasons);
        } catch (err) {
          this.log?.warn({ err }, 'redis bus: a resync handler failed');
        }
      }
    }, this.settleMs);
    this.resyncTimer.unref();
  }

  // ---- the publisher: drops and resync requests ----

  private drop(why: string): void {
    this.counts.dropped++;
    if (this.owed++ === 0 && this.pubDownSince === null) {
      // A publisher outage is logged by publisherLost; this is Redis up but not keeping pace.
      this.log?.warn({ node: this.nodeId, why, inFlight: this.inFlight }, 'redis bus: dropping publishes; other nodes will resync from the database');
    }
  }

  private publisherLost(): void {
    if (!this.started || this.closing || this.pubDownSince !== null) return;
    this.pubDownSince = Date.now();
    this.droppedAtPubDown = this.counts.dropped;
    this.log?.warn({ node: this.nodeId, err: this.lastError?.message, stats: this.stats() }, 'redis bus: publisher lost; messages for other nodes are dropped (they are stored) until it is back');
  }

  private publisherBack(): void {
    if (!this.started || this.closing || this.pubDownSince === null) return;
    const downMs = Date.now() - this.pubDownSince;
    this.pubDownSince = null;
    this.log?.info({ node: this.nodeId, downMs, dropped: this.counts.dropped - this.droppedAtPubDown }, 'redis bus: publisher back');
    if (this.owed > 0) this.requestResync();
  }

  /** Other nodes' clients missed what we dropped: ask every node to resync (they coalesce these). */
  private requestResync(): void {
    if (this.requesting || this.closing || this.pub.status !== 'ready') return;
    const owed = this.owed;
    this.owed = 0;
    this.requesting = true;
    const request: ResyncRequest = { v: WIRE_VERSION, node: this.nodeId, resync: owed };
    this.pub.publish(this.channel, JSON.stringify(request)).then(
      () => {
        this.requesting = false;
        if (this.owed > 0) this.requestResync();
      },
      () => {
        // Lost again; the next 'ready' (or successful publish) asks again, for these drops too.
        this.requesting = false;
        this.owed += owed;
      },
    );
  }

  // ---- liveness ----

  /** A connection that has not answered the previous ping is half-open: drop it so it reconnects (and resyncs). */
  private ping(): void {
    for (const conn of [this.pub, this.sub]) {
      if (conn.status !== 'ready') continue;
      if (this.pinging.has(conn)) {
        this.pinging.delete(conn);
        this.log?.warn({ node: this.nodeId, connection: conn === this.sub ? 'subscriber' : 'publisher' }, 'redis bus: Redis stopped answering; reconnecting');
        conn.disconnect(true);
        continue;
      }
      this.pinging.add(conn);
      conn.ping().then(
        () => this.pinging.delete(conn),
        () => this.pinging.delete(conn),
      );
    }
  }
}

/** REDIS_URL without its password, for messages and logs. */
function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password !== '') u.password = '***';
    return u.toString();
  } catch {
    return '(unparsable URL)';
  }
}
