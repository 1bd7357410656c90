import type { Readable } from 'node:stream';
import { ChannelFileSettingsSchema, FILE_MIME, FileUploadQuerySchema, isImageFile, type ChannelFileSettings, type FileUploadResult } from '@loket/protocol';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Actor } from '../domain/actors.js';
import type { Ctx } from '../domain/context.js';
import { AppError } from '../domain/errors.js';
import { FileTooLargeError, readChatFile, sendFile, uploadLimit } from '../domain/files/files.js';
import { contentDisposition } from '../domain/files/names.js';
import { adminChannelFileSettings, updateChannelFileSettings } from '../domain/files/settings.js';
import { channelLanguage } from '../domain/channels.js';
import { channelOf } from '../domain/views.js';
import { requireAgent } from './auth.js';
import { isSameOrigin } from './origin.js';
import { parse } from './parse.js';
import { chatFromBearer } from './widget-routes.js';

/**
 * Visitors authenticate with their chat token (`Authorization: Bearer`), agents with their session.
 * A visitor's request must come from the chat window itself.
 */
async function fileActor(req: FastifyRequest, ctx: Ctx): Promise<Actor> {
  if (req.headers.authorization === undefined) return requireAgent(req, ctx);
  const chat = await chatFromBearer(req, ctx);
  req.lang = channelLanguage(await channelOf(ctx.db, chat.channel_id));
  if (req.method !== 'GET' && !isSameOrigin(req)) throw new AppError('origin_not_allowed');
  return { kind: 'visitor', chatId: chat.id };
}

/** Reads the body up to `limit` bytes; one byte more and it stops reading, without buffering the rest. */
function readCapped(stream: Readable, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        stream.off('data', onData);
        stream.pause();
        reject(new FileTooLargeError(limit));
        return;
      }
      chunks.push(chunk);
    };
    stream.on('data', onData);
    stream.once('end', () => resolve(Buffer.concat(chunks, size)));
    stream.once('error', reject);
  });
}

/**
 * POST /api/chats/:id/files (upload, raw bytes), GET /api/files/:id (download) and the channel's
 * file settings for administrators (docs/files.md). Uploads are HTTP, never the WebSocket.
 */
export function fileRoutes(app: FastifyInstance, ctx: Ctx): void {
  void app.register(async (scope) => {
    // The body reaches the handler as a stream: the channel's limit is known only after access is checked.
    scope.addContentTypeParser('application/octet-stream', (_req, payload, done) => done(null, payload));

    scope.post<{ Params: { id: string } }>('/api/chats/:id/files', async (req, reply): Promise<FileUploadResult> => {
      const actor = await fileActor(req, ctx);
      const query = parse(FileUploadQuerySchema, req.query);
      const limit = await uploadLimit(ctx, actor, req.params.id);
      const body = req.body as Readable | undefined;
      try {
        if (Number(req.headers['content-length'] ?? 0) > limit) throw new FileTooLargeError(limit);
        const data = body ? await readCapped(body, limit) : Buffer.alloc(0);
        const result = await sendFile(ctx, actor, { chatId: req.params.id, clientFileId: query.clientFileId, name: query.name, data });
        reply.status(201);
        return result;
      } catch (err) {
        // The rest of an oversized body is never read: this connection is done.
        if (err instanceof FileTooLargeError) reply.header('Connection', 'close');
        throw err;
      }
    });
  });

  app.get<{ Params: { id: string } }>('/api/files/:id', async (req, reply) => {
    const actor = await fileActor(req, ctx);
    const file = await readChatFile(ctx, actor, req.params.id);
    const image = isImageFile(file.type);
    return reply
      .header('Content-Type', FILE_MIME[file.type])
      .header('Content-Length', file.size)
      .header('Content-Disposition', contentDisposition(image ? 'inline' : 'attachment', file.name))
      .header('X-Content-Type-Options', 'nosniff')
      .header('Content-Security-Policy', "default-src 'none'; sandbox")
      .header('Cross-Origin-Resource-Policy', 'same-origin')
      .header('Cache-Control', 'private, no-store')
      .send(file.data);
  });

  app.get<{ Params: { id: string } }>('/api/admin/channels/:id/files', async (req, reply): Promise<ChannelFileSettings> => {
    const actor = await requireAgent(req, ctx);
    reply.header('Cache-Control', 'no-store');
    return adminChannelFileSettings(ctx, actor, req.params.id);
  });

  app.put<{ Params: { id: string } }>('/api/admin/channels/:id/files', async (req): Promise<ChannelFileSettings> => {
    const actor = await requireAgent(req, ctx);
    return updateChannelFileSettings(ctx, actor, req.params.id, parse(ChannelFileSettingsSchema, req.body));
  });
}
