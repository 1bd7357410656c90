import { LoginInputSchema, type ChatEventsResult, type Session } from '@loket/protocol';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import { accessChat } from '../domain/access.js';
import type { AgentActor } from '../domain/actors.js';
import { agentSelf, login, logout, sessionFromToken } from '../domain/agents.js';
import type { Ctx } from '../domain/context.js';
import { AppError } from '../domain/errors.js';
import { loadEvents } from '../domain/views.js';
import { isSameOrigin, isSecureRequest } from './origin.js';
import { parse } from './parse.js';
import { RateLimiter } from './rate-limit.js';

export const SESSION_COOKIE = 'loket_session';

export type AuthedActor = AgentActor & { csrfToken: string };

/**
 * Browsers keep Secure cookies on https and on http://localhost; elsewhere plain http would drop
 * them. Behind a TLS proxy the browser is on https even though the request reaches us as http.
 */
function secureCookie(req: FastifyRequest): boolean {
  return isSecureRequest(req) || req.hostname === 'localhost';
}

/**
 * Resolves the signed-in agent. Non-GET requests must also come from our own origin and carry the
 * session's CSRF token in X-CSRF-Token (SameSite=Strict alone misses same-site subdomains).
 */
export async function requireAgent(req: FastifyRequest, ctx: Ctx): Promise<AuthedActor> {
  const actor = await sessionFromToken(ctx, req.cookies[SESSION_COOKIE]);
  if (!actor) throw new AppError('unauthenticated');
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    if (!isSameOrigin(req) || req.headers['x-csrf-token'] !== actor.csrfToken) throw new AppError('csrf_failed');
  }
  return actor;
}

/** Failed sign-ins one address may make in 10 minutes, whichever accounts they try. */
export const LOGIN_FAILURES_PER_IP = 30;

export function authRoutes(app: FastifyInstance, ctx: Ctx, config: Config): void {
  // Per account from one address, and failed sign-ins per address across accounts (someone trying many accounts).
  const attempts = new RateLimiter(10, 60_000);
  const failuresPerIp = new RateLimiter(LOGIN_FAILURES_PER_IP, 10 * 60_000);

  app.post('/api/auth/login', async (req, reply): Promise<Session> => {
    if (!isSameOrigin(req)) throw new AppError('csrf_failed');
    const input = parse(LoginInputSchema, req.body);
    failuresPerIp.guard(req.ip);
    // The key is the address as login compares it, so padding or case does not buy new attempts.
    attempts.take(`${req.ip}|${input.email.trim().toLowerCase()}`);
    const result = await login(ctx, input, config.sessionTtlHours).catch((err: unknown) => {
      if (err instanceof AppError && err.code === 'invalid_credentials') failuresPerIp.record(req.ip);
      throw err;
    });
    reply.setCookie(SESSION_COOKIE, result.token, {
      path: '/',
      httpOnly: true,
      sameSite: 'strict',
      secure: secureCookie(req),
      expires: new Date(result.expiresAt),
    });
    return { agent: await agentSelf(ctx.db, result.agent.id), csrfToken: result.csrfToken };
  });

  app.post('/api/auth/logout', async (req, reply: FastifyReply) => {
    const actor = await requireAgent(req, ctx);
    await logout(ctx, actor);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.status(204).send();
  });

  app.get('/api/auth/session', async (req, reply): Promise<Session> => {
    const actor = await requireAgent(req, ctx);
    reply.header('Cache-Control', 'no-store');
    return { agent: await agentSelf(ctx.db, actor.agent.id), csrfToken: actor.csrfToken };
  });

  app.get<{ Params: { id: string }; Querystring: { after?: string } }>('/api/chats/:id/events', async (req): Promise<ChatEventsResult> => {
    const actor = await requireAgent(req, ctx);
    const chat = await accessChat(ctx.db, actor, req.params.id, 'read');
    const after = Math.max(0, Number.parseInt(req.query.after ?? '0', 10) || 0);
    return { events: await loadEvents(ctx.db, chat.id, after) };
  });
}
