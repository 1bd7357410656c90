import { DEFAULT_FILE_SETTINGS, FILE_TYPES, FileTypeSchema, type ChannelFileSettings, type FileType } from '@loket/protocol';
import type { ChannelsTable } from '../../db/schema.js';
import { requireAdmin } from '../access.js';
import type { AgentActor } from '../actors.js';
import type { Ctx } from '../context.js';
import { AppError } from '../errors.js';

/** What a channel's chats accept; a stored list that no longer parses falls back to the defaults. */
export function channelFileSettings(channel: Pick<ChannelsTable, 'file_types' | 'file_max_bytes'>): ChannelFileSettings {
  let types: FileType[] = DEFAULT_FILE_SETTINGS.allowedTypes;
  try {
    const parsed: unknown = JSON.parse(channel.file_types);
    if (Array.isArray(parsed)) types = parsed.filter((t): t is FileType => FileTypeSchema.safeParse(t).success);
  } catch {
    // keep the defaults
  }
  return { allowedTypes: types, maxBytes: channel.file_max_bytes };
}

/** Administrators set the channel's allowed types and size limit (channel settings › Files). */
export async function updateChannelFileSettings(ctx: Ctx, actor: AgentActor, channelId: string, input: ChannelFileSettings): Promise<ChannelFileSettings> {
  requireAdmin(actor);
  // Stored in the canonical order, once each, so equal settings compare equal.
  const types = FILE_TYPES.filter((t) => input.allowedTypes.includes(t));
  const done = await ctx.db
    .updateTable('channels')
    .set({ file_types: JSON.stringify(types), file_max_bytes: input.maxBytes })
    .where('id', '=', channelId)
    .executeTakeFirst();
  if (Number(done.numUpdatedRows) !== 1) throw new AppError('channel_not_found');
  return { allowedTypes: types, maxBytes: input.maxBytes };
}

export async function adminChannelFileSettings(ctx: Ctx, actor: AgentActor, channelId: string): Promise<ChannelFileSettings> {
  requireAdmin(actor);
  const channel = await ctx.db.selectFrom('channels').select(['file_types', 'file_max_bytes']).where('id', '=', channelId).executeTakeFirst();
  if (!channel) throw new AppError('channel_not_found');
  return channelFileSettings(channel);
}
