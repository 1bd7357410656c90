import {
  EmailStatusSchema,
  TemplateInputSchema,
  TemplatePreviewInputSchema,
  type OutboxEmail,
  type OutboxEmailDetail,
  type OutboxList,
  type ReplyTemplate,
  type TemplateList,
  type TemplatePreview,
} from '@loket/protocol';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import { requireAdmin } from '../domain/access.js';
import type { Ctx } from '../domain/context.js';
import { AppError } from '../domain/errors.js';
import { createTemplate, deleteTemplate, listTemplates, previewTemplate, updateTemplate } from '../domain/templates.js';
import { emlOf, listOutbox, outboxDetail, retryEmail } from '../email/outbox.js';
import { requireAgent, type AuthedActor } from './auth.js';
import { parse } from './parse.js';

type IdParams = { Params: { id: string } };

async function requireAdminAgent(req: FastifyRequest, ctx: Ctx): Promise<AuthedActor> {
  const actor = await requireAgent(req, ctx);
  requireAdmin(actor);
  return actor;
}

/** Administrators' reply templates and the e-mail outbox (docs/email.md). */
export function adminEmailRoutes(app: FastifyInstance, ctx: Ctx, config: Pick<Config, 'smtpUrl'>): void {
  app.get('/api/admin/templates', async (req, reply): Promise<TemplateList> => {
    const actor = await requireAdminAgent(req, ctx);
    reply.header('Cache-Control', 'no-store');
    return { templates: await listTemplates(ctx, actor) };
  });

  app.post('/api/admin/templates', async (req, reply): Promise<ReplyTemplate> => {
    const actor = await requireAdminAgent(req, ctx);
    const template = await createTemplate(ctx, actor, parse(TemplateInputSchema, req.body));
    reply.status(201);
    return template;
  });

  // Registered before /:id so "preview" is never taken for an id.
  app.post('/api/admin/templates/preview', async (req): Promise<TemplatePreview> => {
    const actor = await requireAdminAgent(req, ctx);
    return previewTemplate(ctx, actor, parse(TemplatePreviewInputSchema, req.body));
  });

  app.put<IdParams>('/api/admin/templates/:id', async (req): Promise<ReplyTemplate> => {
    const actor = await requireAdminAgent(req, ctx);
    return updateTemplate(ctx, actor, req.params.id, parse(TemplateInputSchema, req.body));
  });

  app.delete<IdParams>('/api/admin/templates/:id', async (req, reply) => {
    const actor = await requireAdminAgent(req, ctx);
    await deleteTemplate(ctx, actor, req.params.id);
    return reply.status(204).send();
  });

  app.get<{ Querystring: { status?: string; limit?: string } }>('/api/admin/outbox', async (req, reply): Promise<OutboxList> => {
    await requireAdminAgent(req, ctx);
    const raw = req.query.status;
    const parsed = raw === undefined || raw === '' ? undefined : EmailStatusSchema.safeParse(raw);
    if (parsed && !parsed.success) throw new AppError('validation_failed', 'status');
    const status = parsed?.data;
    const limit = Math.min(500, Math.max(1, Number.parseInt(req.query.limit ?? '100', 10) || 100));
    reply.header('Cache-Control', 'no-store');
    return { emails: await listOutbox(ctx.db, { ...(status ? { status } : {}), limit }), smtpConfigured: config.smtpUrl !== null };
  });

  app.get<IdParams>('/api/admin/outbox/:id', async (req, reply): Promise<OutboxEmailDetail> => {
    await requireAdminAgent(req, ctx);
    reply.header('Cache-Control', 'no-store');
    return outboxDetail(ctx.db, req.params.id);
  });

  app.get<IdParams>('/api/admin/outbox/:id/eml', async (req, reply) => {
    await requireAdminAgent(req, ctx);
    const eml = await emlOf(ctx.db, req.params.id);
    // The id is ours (a UUID), but never let a path parameter shape a header.
    const name = req.params.id.replace(/[^A-Za-z0-9-]/g, '').slice(0, 64) || 'message';
    return reply
      .header('Content-Type', 'message/rfc822')
      .header('Content-Disposition', `attachment; filename="loket-${name}.eml"`)
      .header('Cache-Control', 'no-store')
      .header('X-Content-Type-Options', 'nosniff')
      .send(eml);
  });

  app.post<IdParams>('/api/admin/outbox/:id/retry', async (req): Promise<OutboxEmail> => {
    await requireAdminAgent(req, ctx);
    const email = await retryEmail(ctx, req.params.id);
    ctx.mailKick?.();
    return email;
  });
}

