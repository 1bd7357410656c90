import { ChannelPostchatSettingsSchema, type AdminChannel, type AdminChannelList } from '@loket/protocol';
import type { FastifyInstance } from 'fastify';
import { requireAdmin } from '../domain/access.js';
import { listAdminChannels, updateChannelPostchat } from '../domain/channel-admin.js';
import type { Ctx } from '../domain/context.js';
import { requireAgent } from './auth.js';
import { parse } from './parse.js';

/** /api/admin/channels: administrators' channel settings. */
export function adminChannelRoutes(app: FastifyInstance, ctx: Ctx): void {
  app.get('/api/admin/channels', async (req, reply): Promise<AdminChannelList> => {
    const actor = await requireAgent(req, ctx);
    requireAdmin(actor);
    reply.header('Cache-Control', 'no-store');
    return { channels: await listAdminChannels(ctx, actor) };
  });

  app.put<{ Params: { id: string } }>('/api/admin/channels/:id/postchat', async (req): Promise<AdminChannel> => {
    const actor = await requireAgent(req, ctx);
    requireAdmin(actor);
    const input = parse(ChannelPostchatSettingsSchema, req.body);
    return updateChannelPostchat(ctx, actor, req.params.id, input);
  });
}
