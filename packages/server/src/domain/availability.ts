import { OpeningHoursSchema, type AdminChannel, type Availability, type OpeningHours } from '@loket/protocol';
import type { ChannelsTable } from '../db/schema.js';
import { publishAvailabilityCheck } from '../realtime/availability-push.js';
import { requireAdmin } from './access.js';
import type { AgentActor } from './actors.js';
import { adminChannel, channelById } from './channel-admin.js';
import { isChannelAvailable } from './channels.js';
import { inTransaction, type Ctx } from './context.js';
import { DEFAULT_OPENING_HOURS, isOpenAt, nextOpenAt, spansBetween, validateOpeningHours } from './opening-hours.js';

const WEEK = 7 * 24 * 60 * 60 * 1000;

/** The stored hours; a missing or unreadable value (edited by hand) means none, so the channel stays reachable. */
export function channelOpeningHours(channel: Pick<ChannelsTable, 'opening_hours'>): OpeningHours {
  if (channel.opening_hours === null) return DEFAULT_OPENING_HOURS;
  try {
    const parsed = OpeningHoursSchema.safeParse(JSON.parse(channel.opening_hours));
    return parsed.success ? parsed.data : DEFAULT_OPENING_HOURS;
  } catch {
    return DEFAULT_OPENING_HOURS;
  }
}

/** Opening hours and present agents together; when both fail, 'closed' is the reason (it tells the customer when). */
export function availabilityAt(hours: OpeningHours, now: number, agentPresent: boolean): Availability {
  if (!hours.enabled) {
    return { available: agentPresent, reason: agentPresent ? null : 'no_agents', hasHours: false, nextOpenAt: null, upcoming: [] };
  }
  const open = isOpenAt(hours, now);
  return {
    available: open && agentPresent,
    reason: !open ? 'closed' : agentPresent ? null : 'no_agents',
    hasHours: true,
    nextOpenAt: open ? null : nextOpenAt(hours, now),
    upcoming: spansBetween(hours, now, now + WEEK),
  };
}

export async function channelAvailability(ctx: Ctx, channel: ChannelsTable): Promise<Availability> {
  return availabilityAt(channelOpeningHours(channel), ctx.now(), await isChannelAvailable(ctx.db, channel.id));
}

/** PUT /api/admin/channels/:id/opening-hours. Stored as typed (once valid); waiting visitors are rechecked. */
export async function updateChannelOpeningHours(
  ctx: Ctx,
  actor: AgentActor,
  channelId: string,
  input: OpeningHours,
  publicUrl: string,
): Promise<AdminChannel> {
  requireAdmin(actor);
  validateOpeningHours(input);
  return inTransaction(ctx, async (tx, publish) => {
    await channelById(tx, channelId);
    await tx.updateTable('channels').set({ opening_hours: JSON.stringify(input) }).where('id', '=', channelId).execute();
    publishAvailabilityCheck(publish);
    return adminChannel(await channelById(tx, channelId), publicUrl);
  });
}

/** What the widget would be told now: the console's "Open now / Opens Monday 08:00". */
export async function adminChannelAvailability(ctx: Ctx, actor: AgentActor, channelId: string): Promise<Availability> {
  requireAdmin(actor);
  return channelAvailability(ctx, await channelById(ctx.db, channelId));
}

/** The availability unsaved hours would give, with the channel's agents as they are: the console's live preview. */
export async function previewChannelAvailability(ctx: Ctx, actor: AgentActor, channelId: string, hours: OpeningHours): Promise<Availability> {
  requireAdmin(actor);
  validateOpeningHours(hours);
  const channel = await channelById(ctx.db, channelId);
  return availabilityAt(hours, ctx.now(), await isChannelAvailable(ctx.db, channel.id));
}
