import { ChannelFileSettingsSchema, ErrorBodySchema, FileUploadResultSchema } from '@loket/protocol';
import * as z from 'zod/mini';

type Schema = z.ZodMiniType;
const json = (schema: Schema) => ({ 'application/json': { schema: z.toJSONSchema(schema, { target: 'openapi-3.0' }) } });
const error = { description: 'Error (see docs/errors.md)', content: json(ErrorBodySchema) };

/** Files in chats (file-routes.ts, docs/files.md). */
export function filePaths(): Record<string, unknown> {
  const either = [{ chatToken: [] }, { session: [], csrf: [] }];
  const path = (name: string) => ({ name, in: 'path', required: true, schema: { type: 'string' } });
  const query = (name: string, schema: Record<string, unknown>) => ({ name, in: 'query', required: true, schema });
  return {
    '/api/chats/{id}/files': {
      post: {
        summary:
          "Send a file in a chat: the chat's customer (chat token, from the chat window) or its agent (session). The body is the file's bytes; its type is decided from them. Idempotent on clientFileId: one file, one 'file' event.",
        security: either,
        parameters: [path('id'), query('clientFileId', { type: 'string', pattern: '^[A-Za-z0-9_-]{8,64}$' }), query('name', { type: 'string', maxLength: 1000 })],
        requestBody: { required: true, content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } },
        responses: {
          201: { description: 'Stored, with the seq of its chat event', content: json(FileUploadResultSchema) },
          401: error,
          403: error,
          404: error,
          409: error,
          413: { description: 'file_too_large; `limit` is the channel’s maximum in bytes', content: json(ErrorBodySchema) },
          415: error,
          422: error,
        },
      },
    },
    '/api/files/{id}': {
      get: {
        summary:
          'Download a file: only its chat’s customer (chat token) and agents who may read the chat; to anyone else it does not exist. Images inline, everything else as an attachment; nosniff and a sandboxing CSP always.',
        security: [{ chatToken: [] }, { session: [] }],
        parameters: [path('id')],
        responses: { 200: { description: 'The bytes', content: { '*/*': { schema: { type: 'string', format: 'binary' } } } }, 401: error, 404: error },
      },
    },
    '/api/admin/channels/{id}/files': {
      get: { summary: 'The types and size a channel accepts (administrators)', security: [{ session: [] }], parameters: [path('id')], responses: { 200: { description: 'Settings', content: json(ChannelFileSettingsSchema) }, 401: error, 403: error, 404: error } },
      put: {
        summary: 'Set the types and size a channel accepts; no types turns files off (administrators)',
        security: [{ session: [], csrf: [] }],
        parameters: [path('id')],
        requestBody: { required: true, content: json(ChannelFileSettingsSchema) },
        responses: { 200: { description: 'Settings', content: json(ChannelFileSettingsSchema) }, 401: error, 403: error, 404: error, 422: error },
      },
    },
  };
}
