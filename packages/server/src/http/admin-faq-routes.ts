import {
  FaqExportQuerySchema,
  FaqFolderInputSchema,
  FaqImportInputSchema,
  FaqInputSchema,
  FaqListQuerySchema,
  FaqPreviewInputSchema,
  type Faq,
  type FaqFolder,
  type FaqImportResult,
  type FaqList,
  type FaqPreview,
} from '@loket/protocol';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import type { Ctx } from '../domain/context.js';
import { createFaq, deleteFaq, getFaq, listFaqs, requireKnowledgeBaseAdmin, updateFaq } from '../domain/knowledge-base.js';
import { createFolder, deleteFolder, updateFolder } from '../domain/knowledge-base-folders.js';
import { exportFaqs, importFaqs } from '../domain/knowledge-base-transfer.js';
import { renderFaqMarkdown } from '../faq/markdown.js';
import { requireAgent } from './auth.js';
import { parse } from './parse.js';

/** A file of FAQ_LIMITS.importRows long answers, JSON-escaped: the only route that takes more than 64 KB. */
export const IMPORT_BODY_LIMIT = 32 * 1024 * 1024;

/**
 * /api/admin/faqs and /api/admin/faq-folders (writes): the knowledge base for administrators (docs/knowledge-base.md).
 * GET /api/admin/faq-folders stays in admin-form-routes.ts, where the channel settings read it.
 */
export function adminFaqRoutes(app: FastifyInstance, ctx: Ctx, config: Pick<Config, 'publicUrl'>): void {
  const publicUrl = config.publicUrl;

  app.post('/api/admin/faq-folders', async (req, reply): Promise<FaqFolder> => {
    const actor = await requireAgent(req, ctx);
    requireKnowledgeBaseAdmin(actor);
    const folder = await createFolder(ctx, actor, parse(FaqFolderInputSchema, req.body));
    reply.code(201);
    return folder;
  });

  app.put<{ Params: { id: string } }>('/api/admin/faq-folders/:id', async (req): Promise<FaqFolder> => {
    const actor = await requireAgent(req, ctx);
    requireKnowledgeBaseAdmin(actor);
    return updateFolder(ctx, actor, req.params.id, parse(FaqFolderInputSchema, req.body));
  });

  app.delete<{ Params: { id: string } }>('/api/admin/faq-folders/:id', async (req, reply): Promise<void> => {
    const actor = await requireAgent(req, ctx);
    requireKnowledgeBaseAdmin(actor);
    await deleteFolder(ctx, actor, req.params.id);
    reply.code(204);
  });

  app.get('/api/admin/faqs', async (req, reply): Promise<FaqList> => {
    const actor = await requireAgent(req, ctx);
    requireKnowledgeBaseAdmin(actor);
    const query = parse(FaqListQuerySchema, req.query);
    reply.header('Cache-Control', 'no-store');
    return listFaqs(ctx, actor, query, publicUrl);
  });

  app.post('/api/admin/faqs', async (req, reply): Promise<Faq> => {
    const actor = await requireAgent(req, ctx);
    requireKnowledgeBaseAdmin(actor);
    const faq = await createFaq(ctx, actor, parse(FaqInputSchema, req.body), publicUrl);
    reply.code(201);
    return faq;
  });

  app.post('/api/admin/faqs/preview', async (req): Promise<FaqPreview> => {
    const actor = await requireAgent(req, ctx);
    requireKnowledgeBaseAdmin(actor);
    const input = parse(FaqPreviewInputSchema, req.body);
    return { html: renderFaqMarkdown(input.answer) };
  });

  app.post('/api/admin/faqs/import', { bodyLimit: IMPORT_BODY_LIMIT }, async (req): Promise<FaqImportResult> => {
    const actor = await requireAgent(req, ctx);
    requireKnowledgeBaseAdmin(actor);
    return importFaqs(ctx, actor, parse(FaqImportInputSchema, req.body));
  });

  app.get('/api/admin/faqs/export', async (req, reply): Promise<string> => {
    const actor = await requireAgent(req, ctx);
    requireKnowledgeBaseAdmin(actor);
    const query = parse(FaqExportQuerySchema, req.query);
    const format = query.format ?? 'json';
    const text = await exportFaqs(ctx, actor, format, query.folderId ?? null);
    const day = new Date(ctx.now()).toISOString().slice(0, 10);
    reply
      .header('Cache-Control', 'no-store')
      .header('Content-Type', format === 'json' ? 'application/json; charset=utf-8' : 'text/csv; charset=utf-8; header=present')
      .header('Content-Disposition', `attachment; filename="loket-faqs-${day}.${format}"`);
    return text;
  });

  app.get<{ Params: { id: string } }>('/api/admin/faqs/:id', async (req, reply): Promise<Faq> => {
    const actor = await requireAgent(req, ctx);
    requireKnowledgeBaseAdmin(actor);
    reply.header('Cache-Control', 'no-store');
    return getFaq(ctx, actor, req.params.id, publicUrl);
  });

  app.put<{ Params: { id: string } }>('/api/admin/faqs/:id', async (req): Promise<Faq> => {
    const actor = await requireAgent(req, ctx);
    requireKnowledgeBaseAdmin(actor);
    return updateFaq(ctx, actor, req.params.id, parse(FaqInputSchema, req.body), publicUrl);
  });

  app.delete<{ Params: { id: string } }>('/api/admin/faqs/:id', async (req, reply): Promise<void> => {
    const actor = await requireAgent(req, ctx);
    requireKnowledgeBaseAdmin(actor);
    await deleteFaq(ctx, actor, req.params.id);
    reply.code(204);
  });
}
