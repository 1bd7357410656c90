import {
  ChannelOfflineInputSchema,
  ChannelPrechatInputSchema,
  type AdminChannel,
  type FaqFolderList,
} from '@loket/protocol';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import { requireAdmin } from '../domain/access.js';
import { listFaqFolders, updateChannelOffline, updateChannelPrechat } from '../domain/channel-forms.js';
import type { Ctx } from '../domain/context.js';
import { AppError } from '../domain/errors.js';
import { requireAgent } from './auth.js';

interface Parser<T> {
  safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey> }> } };
}

/** Like parse(), but names the whole path (`fields.2.options`): the console shows the error at that row's input. */
function parseForm<T>(schema: Parser<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const path = result.error.issues[0]?.path ?? [];
  const field = path.map((p) => (typeof p === 'symbol' ? '' : String(p))).join('.');
  throw new AppError('validation_failed', field === '' ? undefined : field);
}

/** /api/admin/channels/:id/{prechat,offline} and /api/admin/faq-folders (docs/channels.md). */
export function adminFormRoutes(app: FastifyInstance, ctx: Ctx, config: Pick<Config, 'publicUrl'>): void {
  const publicUrl = config.publicUrl;

  app.put<{ Params: { id: string } }>('/api/admin/channels/:id/prechat', async (req): Promise<AdminChannel> => {
    const actor = await requireAgent(req, ctx);
    requireAdmin(actor);
    const input = parseForm(ChannelPrechatInputSchema, req.body);
    return updateChannelPrechat(ctx, actor, req.params.id, input, publicUrl);
  });

  app.put<{ Params: { id: string } }>('/api/admin/channels/:id/offline', async (req): Promise<AdminChannel> => {
    const actor = await requireAgent(req, ctx);
    requireAdmin(actor);
    const input = parseForm(ChannelOfflineInputSchema, req.body);
    return updateChannelOffline(ctx, actor, req.params.id, input, publicUrl);
  });

  app.get('/api/admin/faq-folders', async (req, reply): Promise<FaqFolderList> => {
    const actor = await requireAgent(req, ctx);
    requireAdmin(actor);
    reply.header('Cache-Control', 'no-store');
    return { folders: await listFaqFolders(ctx, actor) };
  });
}
