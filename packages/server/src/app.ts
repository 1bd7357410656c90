import { randomBytes } from 'node:crypto';
import os from 'node:os';
import fastifyCookie from '@fastify/cookie';
import fastifyWebsocket from '@fastify/websocket';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Config } from './config.js';
import { openStorage, type Storage } from './db/database.js';
import type { Ctx, EmailVerifier } from './domain/context.js';
import { ensureBuiltinTemplates } from './email/default-templates.js';
import { createEmailVerifier } from './email/verify.js';
import { startEmailWorker, type EmailWorker, type EmailWorkerOptions } from './email/worker.js';
import { startWarningSweeper } from './domain/warnings.js';
import { startTransferSweeper } from './domain/collaboration/transfers.js';
import { collaborationRoutes } from './http/collaboration-routes.js';
import { adminEmailRoutes } from './http/admin-email-routes.js';
import { adminUserRoutes } from './http/admin-user-routes.js';
import { adminChannelRoutes } from './http/admin-routes.js';
import { adminLayoutRoutes } from './http/admin-layout-routes.js';
import { adminHoursRoutes } from './http/admin-hours-routes.js';
import { adminFormRoutes } from './http/admin-form-routes.js';
import { adminFaqRoutes } from './http/admin-faq-routes.js';
import { photoRoutes } from './http/photo-routes.js';
import { authRoutes } from './http/auth.js';
import { clientErrorResponse, installErrorHandling } from './http/errors.js';
import { installPublicOrigin } from './http/origin.js';
import { openApiDocument } from './http/openapi.js';
import { staticRoutes } from './http/static.js';
import { widgetRoutes } from './http/widget-routes.js';
import { LocalBus, type Bus } from './realtime/bus.js';
import { RedisBus } from './realtime/redis-bus.js';
import { NodeConns } from './realtime/conn.js';
import { Hub } from './realtime/hub.js';
import { QueueWatch } from './realtime/queue-watch.js';
import { AvailabilityPush, availabilityOfChannel } from './realtime/availability-push.js';
import { realtimeRoutes } from './realtime/routes.js';
import { VisitorPresence } from './realtime/visitor-presence.js';
import { RateLimiter } from './http/rate-limit.js';
import { createFaqSearch } from './search/service.js';
import { faqWidgetRoutes } from './http/faq-widget-routes.js';
import { faqAgentRoutes } from './http/faq-agent-routes.js';
import { requestRoutes } from './http/request-routes.js';
import { fileRoutes } from './http/file-routes.js';
import { helpRoutes } from './help/routes.js';
import { quickReplyRoutes } from './http/quick-reply-routes.js';

export const VERSION = '0.1.0';

export interface Loket {
  app: FastifyInstance;
  ctx: Ctx;
  storage: Storage;
  /** Where this node listens, e.g. http://localhost:3000. */
  url: string;
  /** Open client sockets on this node. */
  socketCount(): number;
  close(): Promise<void>;
}

export interface StartOptions {
  email?: EmailVerifier;
  bus?: Bus;
  now?: () => number;
  /** Tuning for the e-mail worker (tests use short intervals). */
  /** How often this node looks for chats that waited too long (domain/warnings.ts); default 1000 ms. */
  warningSweepMs?: number;
  /** How often this node withdraws unanswered transfers (domain/collaboration/transfers.ts); default 1000 ms. */
  transferSweepMs?: number;
  emailWorker?: Partial<Pick<EmailWorkerOptions, 'pollMs' | 'leaseMs' | 'maxAttempts' | 'retryBaseMs' | 'retryMaxMs' | 'stopTimeoutMs'>>;
}

/** Builds and starts one Loket node: storage (migrated), HTTP + WebSocket on one port. */
export async function startLoket(config: Config, options: StartOptions = {}): Promise<Loket> {
  // Several nodes share live messages through Redis (REDIS_URL). Checked first, so a node that
  // cannot reach it fails before touching the database.
  const bus = options.bus ?? (config.redisUrl !== null ? await RedisBus.connect({ url: config.redisUrl }) : new LocalBus());
  const storage = await openStorage(config);
  const ctx: Ctx = {
    db: storage.db,
    dialect: storage.dialect,
    transact: storage.transact,
    bus,
    email: options.email ?? createEmailVerifier({ ...(config.dnsServers ? { servers: config.dnsServers } : {}), timeoutMs: config.dnsTimeoutMs }),
    now: options.now ?? Date.now,
    mailFrom: config.mailFrom,
    graceMs: config.chatGraceSeconds * 1000,
    faqSearch: createFaqSearch(storage.db),
  };
  await ensureBuiltinTemplates(ctx);
  const hub = new Hub(bus);
  const queueWatch = new QueueWatch(ctx, hub);
  const availabilityPush = new AvailabilityPush(ctx, hub, availabilityOfChannel);
  const transcriptLimiter = new RateLimiter(config.transcriptsPerHour, 60 * 60 * 1000, 'transcript_limit');
  let draining = false;

  const app = Fastify({
    logger: config.logLevel === 'silent' ? false : { level: config.logLevel },
    bodyLimit: 64 * 1024,
    // TRUST_PROXY: which proxies' X-Forwarded-For/-Proto to believe (client IPs for rate limits, https).
    trustProxy: config.trustProxy,
    logController: new LogController({ disableRequestLogging: config.logLevel !== 'debug' && config.logLevel !== 'trace' }),
    clientErrorHandler: (err: NodeJS.ErrnoException, socket) => {
      if (err.code === 'ECONNRESET' || !socket.writable) socket.destroy();
      else socket.end(clientErrorResponse(err));
    },
  });
  installErrorHandling(app);
  installPublicOrigin(app, config.publicUrl);
  await app.register(fastifyCookie);
  await app.register(fastifyWebsocket, { options: { maxPayload: 256 * 1024 } });

  app.get('/healthz', async () => ({ ok: true }));
  app.get('/readyz', async (_req, reply) => {
    if (draining) return reply.status(503).send({ ok: false, reason: 'draining' });
    try {
      await sql`select 1`.execute(storage.db);
      return { ok: true };
    } catch {
      return reply.status(503).send({ ok: false, reason: 'storage' });
    }
  });
  const openapi = openApiDocument(VERSION);
  app.get('/api/openapi.json', async () => openapi);

  widgetRoutes(app, ctx, config);
  authRoutes(app, ctx, config);
  photoRoutes(app, ctx);
  adminChannelRoutes(app, ctx, config);
  adminLayoutRoutes(app, ctx, config);
  adminHoursRoutes(app, ctx, config);
  adminFormRoutes(app, ctx, config);
  adminFaqRoutes(app, ctx, config);
  adminEmailRoutes(app, ctx, config);
  adminUserRoutes(app, ctx);
  faqWidgetRoutes(app, ctx, config);
  faqAgentRoutes(app, ctx, config);
  requestRoutes(app, ctx);
  collaborationRoutes(app, ctx);
  fileRoutes(app, ctx);
  helpRoutes(app, ctx, config);
  quickReplyRoutes(app, ctx);
  const presence = new VisitorPresence(ctx, app.log);
  await presence.start(config.redisUrl === null);
  const conns = new NodeConns();
  realtimeRoutes(app, { ctx, hub, queueWatch, availabilityPush, presence, transcriptLimiter, conns });
  await staticRoutes(app, ctx, config);
  // When this node may have missed other nodes' messages (Redis was away), its clients reconnect and
  // resume from the database, exactly as after a restart: the path clients already take every day.
  if (bus instanceof RedisBus) bus.setLog(app.log);
  bus.onResync((reason) => {
    const clients = conns.conns.size;
    conns.goAwayAll();
    app.log.warn({ reason, clients }, 'bus resync: told every client to reconnect and resume from the database');
  });

  // Filled before this node takes requests: a node that just started must not suggest nothing.
  await ctx.faqSearch.start(hub, bus, app.log);

  await app.listen({ host: config.host, port: config.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  const url = `http://localhost:${port}`;

  // Without SMTP_URL e-mails stay in the outbox, for the console and .eml downloads.
  let mailWorker: EmailWorker | null = null;
  if (config.smtpUrl !== null) {
    mailWorker = startEmailWorker(ctx, {
      leaseMs: config.emailLeaseSeconds * 1000,
      ...options.emailWorker,
      smtpUrl: config.smtpUrl,
      nodeId: `${os.hostname().slice(0, 50)}:${process.pid}:${randomBytes(4).toString('hex')}`,
      log: app.log,
    });
    ctx.mailKick = mailWorker.kick;
  }

  const warnings = startWarningSweeper(ctx, options.warningSweepMs ?? 1000, (err) => app.log.warn({ err }, 'warning sweep failed; will retry'));
  const transfers = startTransferSweeper(ctx, options.transferSweepMs ?? 1000, (err) => app.log.warn({ err }, 'transfer sweep failed; will retry'));

  return {
    app,
    ctx,
    storage,
    url,
    socketCount: () => conns.conns.size,
    async close() {
      draining = true;
      // Stop taking requests, and let those in flight commit and be acknowledged before anything closes.
      conns.accepting = false;
      const unfinished = await conns.drain(10_000);
      if (unfinished > 0) app.log.warn({ unfinished }, 'closing with requests still in flight');
      // First, while storage is still open: let an in-flight send finish and record its outcome.
      await mailWorker?.stop();
      await warnings.stop();
      await transfers.stop();
      await presence.stop();
      // Tell every client to come back (to this node after a restart, or another one).
      conns.goAwayAll();
      queueWatch.close();
      availabilityPush.close();
      ctx.faqSearch.close();
      await app.close();
      await bus.close();
      await storage.close();
    },
  };
}
