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
import { adminEmailRoutes } from './http/admin-email-routes.js';
import { adminChannelRoutes } from './http/admin-routes.js';
import { authRoutes } from './http/auth.js';
import { installErrorHandling } from './http/errors.js';
import { openApiDocument } from './http/openapi.js';
import { staticRoutes } from './http/static.js';
import { widgetRoutes } from './http/widget-routes.js';
import { LocalBus, type Bus } from './realtime/bus.js';
import { openConns } from './realtime/conn.js';
import { Hub } from './realtime/hub.js';
import { QueueWatch } from './realtime/queue-watch.js';
import { realtimeRoutes } from './realtime/routes.js';
import { VisitorPresence } from './realtime/visitor-presence.js';
import { RateLimiter } from './http/rate-limit.js';

export const VERSION = '0.1.0';

export interface Loket {
  app: FastifyInstance;
  ctx: Ctx;
  storage: Storage;
  /** Where this node listens, e.g. http://localhost:3000. */
  url: string;
  close(): Promise<void>;
}

export interface StartOptions {
  email?: EmailVerifier;
  bus?: Bus;
  now?: () => number;
  /** Tuning for the e-mail worker (tests use short intervals). */
  emailWorker?: Partial<Pick<EmailWorkerOptions, 'pollMs' | 'leaseMs' | 'maxAttempts' | 'retryBaseMs' | 'retryMaxMs' | 'stopTimeoutMs'>>;
}

/** Builds and starts one Loket node: storage (migrated), HTTP + WebSocket on one port. */
export async function startLoket(config: Config, options: StartOptions = {}): Promise<Loket> {
  const storage = await openStorage(config);
  const bus = options.bus ?? new LocalBus();
  const ctx: Ctx = {
    db: storage.db,
    dialect: storage.dialect,
    transact: storage.transact,
    bus,
    email: options.email ?? createEmailVerifier({ ...(config.dnsServers ? { servers: config.dnsServers } : {}), timeoutMs: config.dnsTimeoutMs }),
    now: options.now ?? Date.now,
    mailFrom: config.mailFrom,
    graceMs: config.chatGraceSeconds * 1000,
  };
  await ensureBuiltinTemplates(ctx);
  const hub = new Hub(bus);
  const queueWatch = new QueueWatch(ctx, hub);
  const transcriptLimiter = new RateLimiter(config.transcriptsPerHour, 60 * 60 * 1000, 'transcript_limit');
  let draining = false;

  const app = Fastify({
    logger: config.logLevel === 'silent' ? false : { level: config.logLevel },
    bodyLimit: 64 * 1024,
    trustProxy: false,
    logController: new LogController({ disableRequestLogging: config.logLevel !== 'debug' && config.logLevel !== 'trace' }),
  });
  installErrorHandling(app);
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
  adminChannelRoutes(app, ctx);
  adminEmailRoutes(app, ctx, config);
  const presence = new VisitorPresence(ctx, app.log);
  await presence.start(config.redisUrl === null);
  realtimeRoutes(app, { ctx, hub, queueWatch, presence, transcriptLimiter });
  await staticRoutes(app, ctx, config);

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

  return {
    app,
    ctx,
    storage,
    url,
    async close() {
      draining = true;
      // First, while storage is still open: let an in-flight send finish and record its outcome.
      await mailWorker?.stop();
      await presence.stop();
      // Tell every client to come back (to this node after a restart, or another one).
      for (const conn of [...openConns]) {
        conn.send({ type: 'bye', reason: 'restart' } as never);
        conn.close(1001, 'restart');
      }
      queueWatch.close();
      await app.close();
      await bus.close();
      await storage.close();
    },
  };
}
