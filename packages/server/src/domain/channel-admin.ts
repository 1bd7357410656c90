import { LIMITS, type AdminChannel, type ChannelPostchatSettings } from '@loket/protocol';
import type { Executor } from '../db/database.js';
import type { ChannelsTable } from '../db/schema.js';
import { requireAdmin } from './access.js';
import type { AgentActor } from './actors.js';
import { channelLanguage, postchatConfig } from './channels.js';
import type { Ctx } from './context.js';
import { AppError } from './errors.js';

/** Channel settings as administrators edit them. The post-chat form is the first part; the full channel admin grows here. */

export function adminChannel(channel: ChannelsTable): AdminChannel {
  return {
    id: channel.id,
    key: channel.key,
    name: channel.name,
    language: channelLanguage(channel),
    postchat: { ...postchatConfig(channel), transcriptTemplateId: channel.transcript_template_id },
  };
}

export async function listAdminChannels(ctx: Ctx, actor: AgentActor): Promise<AdminChannel[]> {
  requireAdmin(actor);
  const rows = await ctx.db.selectFrom('channels').selectAll().orderBy('name').orderBy('id').execute();
  return rows.map(adminChannel);
}

async function channelById(db: Executor, id: string): Promise<ChannelsTable> {
  const channel = await db.selectFrom('channels').selectAll().where('id', '=', id).executeTakeFirst();
  if (!channel) throw new AppError('channel_not_found');
  return channel;
}

/** Texts are stored as typed (the widget shows them as text, never HTML); '' keeps the translated default. */
export async function updateChannelPostchat(ctx: Ctx, actor: AgentActor, channelId: string, input: ChannelPostchatSettings): Promise<AdminChannel> {
  requireAdmin(actor);
  const header = input.header.trim();
  const message = input.message.trim();
  if (header.length > LIMITS.postchatHeader) throw new AppError('validation_failed', 'header');
  if (message.length > LIMITS.postchatMessage) throw new AppError('validation_failed', 'message');
  return ctx.transact(async (tx) => {
    await channelById(tx, channelId);
    if (input.transcriptTemplateId !== null) {
      const template = await tx.selectFrom('reply_templates').select('id').where('id', '=', input.transcriptTemplateId).executeTakeFirst();
      if (!template) throw new AppError('validation_failed', 'transcriptTemplateId');
    }
    await tx
      .updateTable('channels')
      .set({
        postchat_enabled: input.enabled ? 1 : 0,
        postchat_header: header,
        postchat_message: message,
        postchat_rating: input.rating ? 1 : 0,
        postchat_transcript: input.transcript ? 1 : 0,
        transcript_template_id: input.transcriptTemplateId,
      })
      .where('id', '=', channelId)
      .execute();
    return adminChannel(await channelById(tx, channelId));
  });
}
