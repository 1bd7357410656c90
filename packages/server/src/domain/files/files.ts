import { type FileInfo, type FileUploadResult } from '@loket/protocol';
import { isUniqueViolation, type Executor } from '../../db/database.js';
import type { FilesTable } from '../../db/schema.js';
import { accessChat } from '../access.js';
import type { Actor } from '../actors.js';
import { appendEvent, authorOf, publishEvent } from '../chats.js';
import { inTransaction, type Ctx } from '../context.js';
import { AppError } from '../errors.js';
import { randomToken } from '../ids.js';
import { cleanFileName } from './names.js';
import { channelFileSettings } from './settings.js';
import { sniff } from './sniff.js';

/** Too large for the channel; carries the limit so clients can say what it is. */
export class FileTooLargeError extends AppError {
  constructor(readonly limit: number) {
    super('file_too_large');
  }
}

/**
 * The most the chat's channel takes in one file, checked before the body is read so an upload
 * the actor may not make, or one too large, costs nothing.
 */
export async function uploadLimit(ctx: Ctx, actor: Actor, chatId: string): Promise<number> {
  const chat = await accessChat(ctx.db, actor, chatId, actor.kind === 'visitor' ? 'read' : 'write');
  const channel = await ctx.db.selectFrom('channels').select(['file_types', 'file_max_bytes']).where('id', '=', chat.channel_id).executeTakeFirstOrThrow();
  const settings = channelFileSettings(channel);
  if (settings.allowedTypes.length === 0) throw new AppError('feature_disabled');
  return settings.maxBytes;
}

export function fileInfo(row: Pick<FilesTable, 'id' | 'name' | 'size' | 'type' | 'width' | 'height'>): FileInfo {
  return { id: row.id, name: row.name, size: row.size, type: row.type, ...(row.width !== null && row.height !== null ? { width: row.width, height: row.height } : {}) };
}

async function findUpload(db: Executor, chatId: string, clientFileId: string): Promise<FileUploadResult | undefined> {
  const row = await db
    .selectFrom('files')
    .innerJoin('chat_events', (j) => j.onRef('chat_events.chat_id', '=', 'files.chat_id').onRef('chat_events.client_msg_id', '=', 'files.client_file_id'))
    .select(['files.id', 'files.name', 'files.size', 'files.type', 'files.width', 'files.height', 'chat_events.seq', 'chat_events.created_at'])
    .where('files.chat_id', '=', chatId)
    .where('files.client_file_id', '=', clientFileId)
    .executeTakeFirst();
  return row ? { chatId, clientFileId, seq: row.seq, at: row.created_at, file: fileInfo(row) } : undefined;
}

/**
 * Stores a file and its 'file' event in one transaction. The type comes from the bytes alone;
 * a retry with the same clientFileId returns the first upload and stores nothing.
 */
export async function sendFile(ctx: Ctx, actor: Actor, input: { chatId: string; clientFileId: string; name: string; data: Buffer }): Promise<FileUploadResult> {
  const name = cleanFileName(input.name);
  if (input.data.length === 0) throw new AppError('file_empty');
  try {
    return await inTransaction(ctx, async (tx, publish) => {
      const chat = await accessChat(tx, actor, input.chatId, actor.kind === 'visitor' ? 'read' : 'write');
      const duplicate = await findUpload(tx, chat.id, input.clientFileId);
      if (duplicate) return duplicate;
      const channel = await tx.selectFrom('channels').select(['file_types', 'file_max_bytes']).where('id', '=', chat.channel_id).executeTakeFirstOrThrow();
      const settings = channelFileSettings(channel);
      if (input.data.length > settings.maxBytes) throw new FileTooLargeError(settings.maxBytes);
      const sniffed = sniff(input.data);
      if (!sniffed.ok) throw new AppError(sniffed.reason === 'damaged' ? 'file_damaged' : 'file_type_not_allowed');
      if (!settings.allowedTypes.includes(sniffed.type)) throw new AppError('file_type_not_allowed');
      const row: FilesTable = {
        id: randomToken(16),
        chat_id: chat.id,
        client_file_id: input.clientFileId,
        name,
        type: sniffed.type,
        size: input.data.length,
        width: sniffed.width ?? null,
        height: sniffed.height ?? null,
        data: input.data,
        created_at: ctx.now(),
      };
      const { event, chat: updated } = await appendEvent(
        tx,
        ctx,
        chat.id,
        { ...authorOf(actor, chat), kind: 'file', body: null, client_msg_id: input.clientFileId, ended_by: null, file: JSON.stringify(fileInfo(row)) },
        (current) => {
          if (current.status === 'ended') throw new AppError('chat_ended');
          if (actor.kind === 'agent' && (current.status !== 'active' || current.agent_id !== actor.agent.id)) throw new AppError('not_chat_agent');
        },
      );
      await tx.insertInto('files').values(row).execute();
      // The chat lists show a file like a message: by its name.
      const preview = { last_message: `📎 ${name}`.slice(0, 200), last_message_at: event.at };
      await tx.updateTable('chats').set(preview).where('id', '=', chat.id).execute();
      await publishEvent(tx, { ...updated, ...preview }, event, publish);
      return { chatId: chat.id, clientFileId: input.clientFileId, seq: event.seq, at: event.at, file: fileInfo(row) };
    });
  } catch (err) {
    // Two copies of one upload raced; the unique indexes let exactly one in.
    if (isUniqueViolation(err)) {
      const raced = await findUpload(ctx.db, input.chatId, input.clientFileId);
      if (raced) return raced;
    }
    throw err;
  }
}

/** A file for download, if the actor may read its chat; otherwise it does not exist for them. */
export async function readChatFile(ctx: Ctx, actor: Actor, fileId: string): Promise<FilesTable> {
  const file = await ctx.db.selectFrom('files').selectAll().where('id', '=', fileId).executeTakeFirst();
  if (!file) throw new AppError('not_found');
  try {
    await accessChat(ctx.db, actor, file.chat_id, 'read');
  } catch (err) {
    if (err instanceof AppError) throw new AppError('not_found');
    throw err;
  }
  return file;
}
