import { ChannelLayoutInputSchema, LOGO_MAX_BYTES, type AdminChannel } from '@loket/protocol';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import { requireAdmin } from '../domain/access.js';
import { channelLogo, setChannelLogo, updateChannelLayout } from '../domain/channel-layout.js';
import type { Ctx } from '../domain/context.js';
import { AppError } from '../domain/errors.js';
import { checkLogo } from '../domain/logo.js';
import { requireAgent } from './auth.js';
import { parse } from './parse.js';

/**
 * PUT /api/admin/channels/:id/layout, PUT/DELETE /api/admin/channels/:id/logo (docs/channels.md "Widget layout"),
 * and GET /widget/logo/:key/:hash, the logo as the chat window loads it.
 */
export function adminLayoutRoutes(app: FastifyInstance, ctx: Ctx, config: Pick<Config, 'publicUrl'>): void {
  const publicUrl = config.publicUrl;

  // Any image/* type reaches checkLogo, so an unsupported one is a field error rather than a bare 415.
  // The limit leaves room above LOGO_MAX_BYTES so a slightly too big file also gets a field error with its size.
  app.addContentTypeParser(/^image\//, { parseAs: 'buffer', bodyLimit: LOGO_MAX_BYTES * 4 }, (_req, body, done) => done(null, body));

  app.put<{ Params: { id: string } }>('/api/admin/channels/:id/layout', async (req): Promise<AdminChannel> => {
    const actor = await requireAgent(req, ctx);
    requireAdmin(actor);
    const input = parse(ChannelLayoutInputSchema, req.body);
    return updateChannelLayout(ctx, actor, req.params.id, input, publicUrl);
  });

  app.put<{ Params: { id: string } }>('/api/admin/channels/:id/logo', async (req): Promise<AdminChannel> => {
    const actor = await requireAgent(req, ctx);
    requireAdmin(actor);
    if (!Buffer.isBuffer(req.body)) throw new AppError('validation_failed', 'logo', undefined, 'not a PNG, JPEG or SVG image');
    const logo = checkLogo(req.headers['content-type'] ?? '', req.body);
    return setChannelLogo(ctx, actor, req.params.id, logo, publicUrl);
  });

  app.delete<{ Params: { id: string } }>('/api/admin/channels/:id/logo', async (req): Promise<AdminChannel> => {
    const actor = await requireAgent(req, ctx);
    requireAdmin(actor);
    return setChannelLogo(ctx, actor, req.params.id, null, publicUrl);
  });

  app.get<{ Params: { key: string; hash: string } }>('/widget/logo/:key/:hash', async (req, reply) => {
    const logo = await channelLogo(ctx, req.params.key, req.params.hash);
    if (!logo) throw new AppError('not_found');
    reply
      .header('Content-Type', logo.type)
      // The hash in the URL changes with the logo, so it may be cached for good.
      .header('Cache-Control', 'public, max-age=31536000, immutable')
      .header('X-Content-Type-Options', 'nosniff')
      // Only the chat window and the console (both served from here) show it.
      .header('Cross-Origin-Resource-Policy', 'same-origin');
    // Opened on its own, a sanitised SVG still gets no chance to run or load anything.
    if (logo.type === 'image/svg+xml') reply.header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'");
    return reply.send(logo.bytes);
  });
}
