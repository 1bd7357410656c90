import {
  ChannelAgentsInputSchema,
  ChannelOriginsInputSchema,
  ChannelPostchatSettingsSchema,
  ChannelPropertiesSchema,
  NewChannelInputSchema,
  type AdminChannel,
  type AdminChannelList,
  type ChannelAgentList,
} from '@loket/protocol';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import { requireAdmin } from '../domain/access.js';
import {
  createAdminChannel,
  deleteChannel,
  getChannelAgents,
  listAdminChannels,
  replaceChannelAgents,
  updateChannelOrigins,
  updateChannelPostchat,
  updateChannelProperties,
} from '../domain/channel-admin.js';
import type { Ctx } from '../domain/context.js';
import { requireAgent } from './auth.js';
import { parse } from './parse.js';

/** /api/admin/channels: administrators' channel settings (docs/channels.md). */
export function adminChannelRoutes(app: FastifyInstance, ctx: Ctx, config: Pick<Config, 'publicUrl'>): void {
  const publicUrl = config.publicUrl;

  app.get('/api/admin/channels', async (req, reply): Promise<AdminChannelList> => {
    const actor = await requireAgent(req, ctx);
    requireAdmin(actor);
    reply.header('Cache-Control', 'no-store');
    return { channels: await listAdminChannels(ctx, actor, publicUrl) };
  });

  app.post('/api/admin/channels', async (req, reply): Promise<AdminChannel> => {
    const actor = await requireAgent(req, ctx);
    requireAdmin(actor);
    const input = parse(NewChannelInputSchema, req.body);
    const channel = await createAdminChannel(ctx, actor, input, publicUrl);
    reply.code(201);
    return channel;
  });

  app.put<{ Params: { id: string } }>('/api/admin/channels/:id/postchat', async (req): Promise<AdminChannel> => {
    const actor = await requireAgent(req, ctx);
    requireAdmin(actor);
    const input = parse(ChannelPostchatSettingsSchema, req.body);
    return updateChannelPostchat(ctx, actor, req.params.id, input, publicUrl);
  });

  app.put<{ Params: { id: string } }>('/api/admin/channels/:id/properties', async (req): Promise<AdminChannel> => {
    const actor = await requireAgent(req, ctx);
    requireAdmin(actor);
    const input = parse(ChannelPropertiesSchema, req.body);
    return updateChannelProperties(ctx, actor, req.params.id, input, publicUrl);
  });

  app.put<{ Params: { id: string } }>('/api/admin/channels/:id/origins', async (req): Promise<AdminChannel> => {
    const actor = await requireAgent(req, ctx);
    requireAdmin(actor);
    const input = parse(ChannelOriginsInputSchema, req.body);
    return updateChannelOrigins(ctx, actor, req.params.id, input.origins, publicUrl);
  });

  app.get<{ Params: { id: string } }>('/api/admin/channels/:id/agents', async (req, reply): Promise<ChannelAgentList> => {
    const actor = await requireAgent(req, ctx);
    requireAdmin(actor);
    reply.header('Cache-Control', 'no-store');
    return getChannelAgents(ctx, actor, req.params.id);
  });

  app.put<{ Params: { id: string } }>('/api/admin/channels/:id/agents', async (req): Promise<ChannelAgentList> => {
    const actor = await requireAgent(req, ctx);
    requireAdmin(actor);
    const input = parse(ChannelAgentsInputSchema, req.body);
    return replaceChannelAgents(ctx, actor, req.params.id, input);
  });

  app.delete<{ Params: { id: string } }>('/api/admin/channels/:id', async (req, reply): Promise<void> => {
    const actor = await requireAgent(req, ctx);
    requireAdmin(actor);
    await deleteChannel(ctx, actor, req.params.id);
    reply.code(204);
  });
}
