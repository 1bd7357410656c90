import * as z from 'zod/mini';
import { FileInfoSchema } from './files.js';

/**
 * Sending a file: POST /api/chats/:id/files with the raw bytes (docs/files.md). Apart from
 * files.ts so that a client bundles these only with its upload code.
 */

/** The client's id for an upload: a retry with the same id stores one file and one chat event. */
export const ClientFileIdSchema = z.string().check(z.regex(/^[A-Za-z0-9_-]{8,64}$/));

/** Query of POST /api/chats/:id/files (the body is the file's bytes, application/octet-stream). */
export const FileUploadQuerySchema = z.strictObject({
  clientFileId: ClientFileIdSchema,
  name: z.string().check(z.maxLength(1000)),
});
export type FileUploadQuery = z.infer<typeof FileUploadQuerySchema>;

export const FileUploadResultSchema = z.strictObject({
  chatId: z.string(),
  clientFileId: z.string(),
  seq: z.number().check(z.int(), z.minimum(1)),
  at: z.number(),
  file: FileInfoSchema,
});
export type FileUploadResult = z.infer<typeof FileUploadResultSchema>;

export const fileUploadUrl = (chatId: string, q: FileUploadQuery): string =>
  `/api/chats/${encodeURIComponent(chatId)}/files?clientFileId=${encodeURIComponent(q.clientFileId)}&name=${encodeURIComponent(q.name)}`;
