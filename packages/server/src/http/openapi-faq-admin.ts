import {
  ErrorBodySchema,
  FaqFolderInputSchema,
  FaqFolderListSchema,
  FaqFolderSchema,
  FaqImportInputSchema,
  FaqImportResultSchema,
  FaqInputSchema,
  FaqListSchema,
  FaqPreviewInputSchema,
  FaqPreviewSchema,
  FaqSchema,
  LANGUAGES,
} from '@loket/protocol';
import * as z from 'zod/mini';

type Schema = z.ZodMiniType;
const json = (schema: Schema) => ({ 'application/json': { schema: z.toJSONSchema(schema, { target: 'openapi-3.0' }) } });
const error = { description: 'Error (see docs/errors.md)', content: json(ErrorBodySchema) };

/** The knowledge base for administrators (http/admin-faq-routes.ts, docs/knowledge-base.md). */
export function adminFaqPaths(): Record<string, unknown> {
  const admin = [{ session: [] }];
  const write = [{ session: [], csrf: [] }];
  const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };
  const denied = { 401: error, 403: error };
  const query = (name: string, schema: unknown, description: string) => ({ name, in: 'query', required: false, schema, description });
  const folderParam = query('folderId', { type: 'string' }, 'Only FAQs directly in this folder ("none": in no folder)');
  return {
    '/api/admin/faq-folders': {
      // Served by admin-form-routes.ts (the channel settings read it); listed here too so this entry keeps it.
      get: { summary: 'FAQ folders a channel can take suggestions from', security: admin, responses: { 200: { description: 'Folders', content: json(FaqFolderListSchema) }, ...denied } },
      post: { summary: 'Create an FAQ folder (unique name among its siblings, no "/", nesting limited)', security: write, requestBody: { required: true, content: json(FaqFolderInputSchema) }, responses: { 201: { description: 'Created', content: json(FaqFolderSchema) }, 422: error, ...denied } },
    },
    '/api/admin/faq-folders/{id}': {
      put: { summary: 'Rename or move a folder (not under itself or its sub-folders)', security: write, parameters: [idParam], requestBody: { required: true, content: json(FaqFolderInputSchema) }, responses: { 200: { description: 'Updated', content: json(FaqFolderSchema) }, 404: error, 422: error, ...denied } },
      delete: { summary: 'Delete a folder and its sub-folders; their FAQs move to no folder, channels using them to all folders', security: write, parameters: [idParam], responses: { 204: { description: 'Deleted' }, 404: error, ...denied } },
    },
    '/api/admin/faqs': {
      get: {
        summary: 'FAQs (unpublished included) and all folders; with q ranked by the search engine',
        security: admin,
        parameters: [
          folderParam,
          query('language', { type: 'string', enum: [...LANGUAGES] }, 'Only FAQs in this language'),
          query('published', { type: 'string', enum: ['true', 'false'] }, 'Only published or only unpublished FAQs'),
          query('q', { type: 'string' }, 'Search text'),
        ],
        responses: { 200: { description: 'FAQs', content: json(FaqListSchema) }, 422: error, ...denied },
      },
      post: { summary: 'Create an FAQ', security: write, requestBody: { required: true, content: json(FaqInputSchema) }, responses: { 201: { description: 'Created', content: json(FaqSchema) }, 422: error, ...denied } },
    },
    '/api/admin/faqs/{id}': {
      get: { summary: 'One FAQ', security: admin, parameters: [idParam], responses: { 200: { description: 'FAQ', content: json(FaqSchema) }, 404: error, ...denied } },
      put: { summary: 'Update an FAQ', security: write, parameters: [idParam], requestBody: { required: true, content: json(FaqInputSchema) }, responses: { 200: { description: 'Updated', content: json(FaqSchema) }, 404: error, 422: error, ...denied } },
      delete: { summary: 'Delete an FAQ', security: write, parameters: [idParam], responses: { 204: { description: 'Deleted' }, 404: error, ...denied } },
    },
    '/api/admin/faqs/preview': {
      post: { summary: "Render an answer's Markdown exactly as the public FAQ page will", security: write, requestBody: { required: true, content: json(FaqPreviewInputSchema) }, responses: { 200: { description: 'HTML', content: json(FaqPreviewSchema) }, 422: error, ...denied } },
    },
    '/api/admin/faqs/import': {
      post: {
        summary: 'Import a JSON or CSV file (up to 32 MB): every row or none; a 422 names the field "rows" and lists problems by line in detail',
        security: write,
        requestBody: { required: true, content: json(FaqImportInputSchema) },
        responses: { 200: { description: 'Imported', content: json(FaqImportResultSchema) }, 422: error, ...denied },
      },
    },
    '/api/admin/faqs/export': {
      get: {
        summary: 'Every FAQ (or one folder tree) as a JSON or CSV download (UTF-8, CSV without BOM); imports back unchanged',
        security: admin,
        parameters: [query('format', { type: 'string', enum: ['json', 'csv'], default: 'json' }, 'File format'), query('folderId', { type: 'string' }, 'Only this folder and its sub-folders')],
        responses: {
          200: { description: 'Attachment', content: { 'application/json': { schema: { type: 'string', format: 'binary' } }, 'text/csv': { schema: { type: 'string', format: 'binary' } } } },
          422: error,
          ...denied,
        },
      },
    },
  };
}
