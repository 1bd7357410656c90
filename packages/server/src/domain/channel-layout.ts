import { contrastRatio, MIN_TEXT_CONTRAST, type AdminChannel, type ChannelLayoutInput } from '@loket/protocol';
import { requireAdmin } from './access.js';
import type { AgentActor } from './actors.js';
import { adminChannel } from './channel-admin.js';
import type { Ctx } from './context.js';
import { AppError } from './errors.js';
import type { Logo } from './logo.js';
import type { Executor } from '../db/database.js';
import type { ChannelsTable } from '../db/schema.js';

/** The widget layout of a channel (docs/channels.md, "Widget layout"). Every widget loaded afterwards uses it. */

async function channelById(db: Executor, id: string): Promise<ChannelsTable> {
  const channel = await db.selectFrom('channels').selectAll().where('id', '=', id).executeTakeFirst();
  if (!channel) throw new AppError('channel_not_found');
  return channel;
}

/** "2.1:1": rounded down, so a ratio shown as 4.5:1 really passes. */
export function formatRatio(ratio: number): string {
  return `${(Math.floor(ratio * 10) / 10).toFixed(1)}:1`;
}

export async function updateChannelLayout(
  ctx: Ctx,
  actor: AgentActor,
  channelId: string,
  input: ChannelLayoutInput,
  publicUrl: string,
): Promise<AdminChannel> {
  requireAdmin(actor);
  const color = input.color.toLowerCase();
  const headerTextColor = input.headerTextColor.toLowerCase();
  // Refused rather than silently replaced: the administrator chose it and should know it is unreadable.
  if (headerTextColor !== 'auto') {
    const ratio = contrastRatio(color, headerTextColor);
    if (ratio < MIN_TEXT_CONTRAST) {
      throw new AppError('validation_failed', 'headerTextColor', undefined, `${formatRatio(ratio)}, needs at least ${MIN_TEXT_CONTRAST}:1`);
    }
  }
  return ctx.transact(async (tx) => {
    await channelById(tx, channelId);
    await tx
      .updateTable('channels')
      .set({
        theme: input.theme,
        color,
        font: input.font,
        header_text_color: headerTextColor,
        show_agent_photo: input.showAgentPhoto ? 1 : 0,
      })
      .where('id', '=', channelId)
      .execute();
    return adminChannel(await channelById(tx, channelId), publicUrl);
  });
}

/** Replaces the logo (null removes it). The hash in its URL changes with it, so widgets never see a stale one. */
export async function setChannelLogo(ctx: Ctx, actor: AgentActor, channelId: string, logo: Logo | null, publicUrl: string): Promise<AdminChannel> {
  requireAdmin(actor);
  return ctx.transact(async (tx) => {
    await channelById(tx, channelId);
    await tx
      .updateTable('channels')
      .set({ logo: logo?.dataUrl ?? null, logo_hash: logo?.hash ?? null })
      .where('id', '=', channelId)
      .execute();
    return adminChannel(await channelById(tx, channelId), publicUrl);
  });
}

/** The stored logo of a channel if `hash` is its current one. */
export async function channelLogo(ctx: Ctx, key: string, hash: string): Promise<{ type: string; bytes: Buffer } | null> {
  const row = await ctx.db.selectFrom('channels').select(['logo', 'logo_hash']).where('key', '=', key).executeTakeFirst();
  if (!row || row.logo === null || row.logo_hash !== hash) return null;
  const match = /^data:(image\/png|image\/jpeg|image\/svg\+xml);base64,([A-Za-z0-9+/]*={0,2})$/.exec(row.logo);
  if (!match) return null;
  return { type: match[1] as string, bytes: Buffer.from(match[2] as string, 'base64') };
}
