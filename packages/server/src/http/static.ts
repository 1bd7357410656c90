import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import { channelLanguage, channelOrigins } from '../domain/channels.js';
import type { Ctx } from '../domain/context.js';
import { languageChunkFiles, localizeFramePage } from './frame-page.js';
import { ownOrigin } from './origin.js';

const NOT_BUILT = 'The browser apps are not built yet. Run `npm run build` (npm start does it for you).';

function readIfExists(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

/** Serves the loader, the chat window (framable only by the channel's origins) and the console. */
export async function staticRoutes(app: FastifyInstance, ctx: Ctx, config: Config): Promise<void> {
  await app.register(fastifyStatic, { root: path.join(config.widgetDist, 'assets'), prefix: '/widget/assets/', decorateReply: false, maxAge: '7d', immutable: true });
  await app.register(fastifyStatic, { root: config.consoleDist, prefix: '/console/', decorateReply: false, index: false, wildcard: true, serve: true });

  app.get('/widget.js', async (_req, reply) => {
    const js = readIfExists(path.join(config.widgetDist, 'widget.js'));
    if (js === null) return reply.status(503).type('text/plain').send(NOT_BUILT);
    return reply
      .type('application/javascript; charset=utf-8')
      .header('Access-Control-Allow-Origin', '*')
      .header('Cache-Control', 'public, max-age=300')
      .header('Cross-Origin-Resource-Policy', 'cross-origin')
      .send(js);
  });

  app.get<{ Querystring: { channel?: string } }>('/widget/frame.html', async (req, reply) => {
    const html = readIfExists(path.join(config.widgetDist, 'frame.html'));
    if (html === null) return reply.status(503).type('text/plain').send(NOT_BUILT);
    const key = typeof req.query.channel === 'string' ? req.query.channel : '';
    const channel = await ctx.db.selectFrom('channels').selectAll().where('key', '=', key).executeTakeFirst();
    // frame-ancestors is what really stops other sites from embedding a channel's chat window.
    const ancestors = channel ? channelOrigins(channel).filter((o) => /^https?:\/\/[^\s;,']+$/.test(o)) : [];
    const self = ownOrigin(req);
    // Behind a TLS proxy the request is http but the page is https: allow PUBLIC_URL's wss too.
    const wsSelf = [...new Set([self, req.server.publicOrigin])].map((o) => o.replace(/^http/, 'ws')).join(' ');
    reply.header(
      'Content-Security-Policy',
      [
        "default-src 'self'",
        "img-src 'self' data: https: blob:",
        "style-src 'self' 'unsafe-inline'",
        `connect-src 'self' ${wsSelf}`,
        `frame-ancestors 'self' ${ancestors.join(' ')}`.trim(),
        "base-uri 'none'",
        "form-action 'none'",
      ].join('; '),
    );
    const language = channel ? channelLanguage(channel) : null;
    const page = language ? localizeFramePage(html, language, languageChunkFiles(config.widgetDist, language)) : html;
    return reply.type('text/html; charset=utf-8').header('Cache-Control', 'no-store').header('Referrer-Policy', 'no-referrer').send(page);
  });

  const consoleIndex = (): string | null => readIfExists(path.join(config.consoleDist, 'index.html'));
  const sendConsole = async (_req: unknown, reply: import('fastify').FastifyReply) => {
    const html = consoleIndex();
    if (html === null) return reply.status(503).type('text/plain').send(NOT_BUILT);
    return reply
      .type('text/html; charset=utf-8')
      .header('Cache-Control', 'no-store')
      .header('X-Frame-Options', 'DENY')
      .header('Content-Security-Policy', "default-src 'self'; img-src 'self' data: https:; style-src 'self' 'unsafe-inline'; connect-src 'self' ws: wss:; frame-ancestors 'none'; base-uri 'none'")
      .send(html);
  };
  app.get('/', async (_req, reply) => reply.redirect('/console/'));
  app.get('/console', async (_req, reply) => reply.redirect('/console/'));
  app.get('/console/', sendConsole);
  // Client-side routes of the console fall back to its index page.
  app.setNotFoundHandler(async (req, reply) => {
    if (req.method === 'GET' && req.url.startsWith('/console/') && !path.extname(req.url.split('?')[0] ?? '')) return sendConsole(req, reply);
    const { sendError } = await import('./errors.js');
    return sendError(reply, req, 'not_found');
  });
}
