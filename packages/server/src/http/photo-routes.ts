import type { FastifyInstance } from 'fastify';
import type { Ctx } from '../domain/context.js';
import { AppError } from '../domain/errors.js';

const DATA_URL = /^data:(image\/png|image\/jpeg);base64,([A-Za-z0-9+/]+={0,2})$/;

/** GET /api/agents/:id/photo — an uploaded agent photo (see publicPhotoUrl). Public: visitors see agents' photos. */
export function photoRoutes(app: FastifyInstance, ctx: Ctx): void {
  app.get<{ Params: { id: string } }>('/api/agents/:id/photo', async (req, reply) => {
    const row = await ctx.db.selectFrom('agents').select('photo_url').where('id', '=', req.params.id).executeTakeFirst();
    const match = row?.photo_url ? DATA_URL.exec(row.photo_url) : null;
    if (!match) throw new AppError('not_found');
    // The URL carries the photo's version, so it may be cached for good.
    return reply
      .header('Content-Type', match[1] as string)
      .header('Cache-Control', 'public, max-age=31536000, immutable')
      .header('X-Content-Type-Options', 'nosniff')
      .send(Buffer.from(match[2] as string, 'base64'));
  });
}
