import { OpeningHoursSchema, type AdminChannel, type Availability, type OpeningHours } from '@loket/protocol';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import { requireAdmin } from '../domain/access.js';
import { adminChannelAvailability, previewChannelAvailability, updateChannelOpeningHours } from '../domain/availability.js';
import type { Ctx } from '../domain/context.js';
import { requireAgent } from './auth.js';
import { AppError } from '../domain/errors.js';

/** Like parse(), but names the whole path (`week.mon.1.to`): the console shows the error at that time input. */
function parseHours(body: unknown): OpeningHours {
  const result = OpeningHoursSchema.safeParse(body);
  if (result.success) return result.data;
  const path = result.error.issues[0]?.path ?? [];
  throw new AppError('validation_failed', path.length > 0 ? path.map(String).join('.') : undefined);
}

/**
 * PUT /api/admin/channels/:id/opening-hours, GET /api/admin/channels/:id/availability and
 * POST /api/admin/channels/:id/availability-preview (docs/availability.md).
 */
export function adminHoursRoutes(app: FastifyInstance, ctx: Ctx, config: Pick<Config, 'publicUrl'>): void {
  app.put<{ Params: { id: string } }>('/api/admin/channels/:id/opening-hours', async (req): Promise<AdminChannel> => {
    const actor = await requireAgent(req, ctx);
    requireAdmin(actor);
    const input = parseHours(req.body);
    return updateChannelOpeningHours(ctx, actor, req.params.id, input, config.publicUrl);
  });

  app.get<{ Params: { id: string } }>('/api/admin/channels/:id/availability', async (req, reply): Promise<Availability> => {
    const actor = await requireAgent(req, ctx);
    requireAdmin(actor);
    reply.header('Cache-Control', 'no-store');
    return adminChannelAvailability(ctx, actor, req.params.id);
  });

  app.post<{ Params: { id: string } }>('/api/admin/channels/:id/availability-preview', async (req, reply): Promise<Availability> => {
    const actor = await requireAgent(req, ctx);
    requireAdmin(actor);
    const input = parseHours(req.body);
    reply.header('Cache-Control', 'no-store');
    return previewChannelAvailability(ctx, actor, req.params.id, input);
  });
}
