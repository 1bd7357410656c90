import {
  LIMITS,
  safeColor,
  type AdminChannel,
  type ChannelAgentList,
  type ChannelAgentsInput,
  type ChannelPostchatSettings,
  type ChannelProperties,
  type NewChannelInput,
} from '@loket/protocol';
import type { Executor } from '../db/database.js';
import type { ChannelsTable } from '../db/schema.js';
import { requireAdmin } from './access.js';
import type { AgentActor } from './actors.js';
import {
  channelFont,
  channelLanguage,
  channelOrigins,
  channelTheme,
  createChannel,
  logoPath,
  offlineConfig,
  offlinePriority,
  postchatConfig,
  prechatConfig,
} from './channels.js';
import { inTransaction, type Ctx, type Publish } from './context.js';
import { channelOpeningHours } from './availability.js';
import { topics } from '../realtime/bus.js';
import { AppError } from './errors.js';

/** Channel settings as administrators edit them. The post-chat form is the first part; the full channel admin grows here. */

/** The one deferred script tag a website puts in its page (the same tag the demo shop uses). */
export function embedSnippet(publicUrl: string, key: string): string {
  const base = publicUrl.replace(/\/+$/, '');
  return `<script defer src="${base}/widget.js" data-channel="${key}"></script>`;
}

export function adminChannel(channel: ChannelsTable, publicUrl: string): AdminChannel {
  return {
    id: channel.id,
    key: channel.key,
    name: channel.name,
    language: channelLanguage(channel),
    postchat: { ...postchatConfig(channel), transcriptTemplateId: channel.transcript_template_id },
    badgeText: channel.badge_text,
    headerText: channel.header_text,
    welcomeMessage: channel.welcome_message,
    queueMessage: channel.queue_message,
    description: channel.description,
    warnAfterSeconds: channel.warn_after_seconds,
    managerWarnAfterSeconds: channel.manager_warn_after_seconds,
    layout: {
      theme: channelTheme(channel),
      color: safeColor(channel.color),
      headerTextColor: channel.header_text_color,
      font: channelFont(channel),
      showAgentPhoto: channel.show_agent_photo === 1,
      logoUrl: logoPath(channel),
    },
    prechat: { ...prechatConfig(channel), faqFolderId: channel.faq_folder_id },
    offline: { ...offlineConfig(channel), category: channel.offline_category, priority: offlinePriority(channel) },
    origins: channelOrigins(channel),
    embedSnippet: embedSnippet(publicUrl, channel.key),
    openingHours: channelOpeningHours(channel),
  };
}

export async function listAdminChannels(ctx: Ctx, actor: AgentActor, publicUrl: string): Promise<AdminChannel[]> {
  requireAdmin(actor);
  const rows = await ctx.db.selectFrom('channels').selectAll().orderBy('name').orderBy('id').execute();
  return rows.map((row) => adminChannel(row, publicUrl));
}

export async function channelById(db: Executor, id: string): Promise<ChannelsTable> {
  const channel = await db.selectFrom('channels').selectAll().where('id', '=', id).executeTakeFirst();
  if (!channel) throw new AppError('channel_not_found');
  return channel;
}

/** Texts are stored as typed (the widget shows them as text, never HTML); '' keeps the translated default. */
export async function updateChannelPostchat(
  ctx: Ctx,
  actor: AgentActor,
  channelId: string,
  input: ChannelPostchatSettings,
  publicUrl: string,
): Promise<AdminChannel> {
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
    return adminChannel(await channelById(tx, channelId), publicUrl);
  });
}

async function keyTaken(db: Executor, key: string): Promise<boolean> {
  return (await db.selectFrom('channels').select('id').where('key', '=', key).executeTakeFirst()) !== undefined;
}

/** A new channel with the defaults of createChannel; it has no agents and no allowed origins yet. */
export async function createAdminChannel(ctx: Ctx, actor: AgentActor, input: NewChannelInput, publicUrl: string): Promise<AdminChannel> {
  requireAdmin(actor);
  if (await keyTaken(ctx.db, input.key)) throw new AppError('channel_key_taken', 'key');
  try {
    return adminChannel(await createChannel(ctx, { key: input.key, name: input.name, language: input.language, allowedOrigins: [] }), publicUrl);
  } catch (err) {
    // Two administrators racing for the same key: the unique index decides, the loser gets the field error.
    if (!(err instanceof AppError) && (await keyTaken(ctx.db, input.key))) throw new AppError('channel_key_taken', 'key');
    throw err;
  }
}

/** Texts are stored as typed; the widget shows them as text (never HTML). */
export async function updateChannelProperties(
  ctx: Ctx,
  actor: AgentActor,
  channelId: string,
  input: ChannelProperties,
  publicUrl: string,
): Promise<AdminChannel> {
  requireAdmin(actor);
  // Managers are the escalation: warning them before (or with) the agents would skip a step.
  if (input.warnAfterSeconds !== null && input.managerWarnAfterSeconds !== null && input.managerWarnAfterSeconds <= input.warnAfterSeconds) {
    throw new AppError('validation_failed', 'managerWarnAfterSeconds');
  }
  return ctx.transact(async (tx) => {
    await channelById(tx, channelId);
    await tx
      .updateTable('channels')
      .set({
        name: input.name,
        language: input.language,
        badge_text: input.badgeText,
        header_text: input.headerText,
        welcome_message: input.welcomeMessage,
        queue_message: input.queueMessage,
        description: input.description,
        warn_after_seconds: input.warnAfterSeconds,
        manager_warn_after_seconds: input.managerWarnAfterSeconds,
      })
      .where('id', '=', channelId)
      .execute();
    return adminChannel(await channelById(tx, channelId), publicUrl);
  });
}

/**
 * One allowed origin, normalised (lower-case host, default port dropped). Exactly scheme://host[:port]
 * with http or https; a single trailing "/" is tolerated, any other path, query, fragment or user is not.
 */
export function normaliseOrigin(input: string): string | null {
  const text = input.trim();
  if (!/^https?:\/\/[^/?#\s@\\]+\/?$/i.test(text)) return null;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (url.username !== '' || url.password !== '' || url.pathname !== '/' || url.search !== '' || url.hash !== '') return null;
  if (!isHostName(url.hostname)) return null;
  return url.origin;
}

/**
 * A real host: DNS labels (IDNs arrive as punycode from URL), an IPv4 address or a bracketed IPv6 one.
 * No wildcards: "https://*" would let any site embed the chat window.
 */
function isHostName(host: string): boolean {
  if (/^\[[0-9a-f:.]+\]$/.test(host)) return true;
  if (host.length > 253) return false;
  return host.split('.').every((label) => /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(label));
}

export async function updateChannelOrigins(ctx: Ctx, actor: AgentActor, channelId: string, origins: string[], publicUrl: string): Promise<AdminChannel> {
  requireAdmin(actor);
  const normalised: string[] = [];
  for (const origin of origins) {
    const n = normaliseOrigin(origin);
    if (n === null) throw new AppError('validation_failed', 'origins', `bad origin ${origin}`, origin.slice(0, 300));
    if (!normalised.includes(n)) normalised.push(n);
  }
  return ctx.transact(async (tx) => {
    await channelById(tx, channelId);
    await tx.updateTable('channels').set({ allowed_origins: JSON.stringify(normalised) }).where('id', '=', channelId).execute();
    return adminChannel(await channelById(tx, channelId), publicUrl);
  });
}

async function channelAgentList(db: Executor, channelId: string): Promise<ChannelAgentList> {
  const rows = await db
    .selectFrom('channel_agents')
    .innerJoin('agents', 'agents.id', 'channel_agents.agent_id')
    .select([
      'agents.id as id',
      'agents.name as name',
      'agents.email as email',
      'channel_agents.can_respond as can_respond',
      'channel_agents.notifications as notifications',
      'channel_agents.can_listen as can_listen',
      'channel_agents.manager as manager',
    ])
    .where('channel_agents.channel_id', '=', channelId)
    .orderBy('agents.name')
    .orderBy('agents.id')
    .execute();
  const available = await db.selectFrom('agents').select(['id', 'name', 'email']).where('active', '=', 1).orderBy('name').orderBy('id').execute();
  return {
    agents: rows.map((r) => ({
      agentId: r.id,
      name: r.name,
      email: r.email,
      canRespond: r.can_respond === 1,
      notifications: r.notifications === 1,
      canListen: r.can_listen === 1,
      manager: r.manager === 1,
    })),
    available,
  };
}

/** The agents serving the channel, and every active agent (the ones that can be added). */
export async function getChannelAgents(ctx: Ctx, actor: AgentActor, channelId: string): Promise<ChannelAgentList> {
  requireAdmin(actor);
  await channelById(ctx.db, channelId);
  return channelAgentList(ctx.db, channelId);
}

/** Replaces the channel's agents. Removed agents no longer see its queue (from their next connection on). */
export async function replaceChannelAgents(ctx: Ctx, actor: AgentActor, channelId: string, input: ChannelAgentsInput): Promise<ChannelAgentList> {
  requireAdmin(actor);
  const ids = input.agents.map((a) => a.agentId);
  const duplicate = ids.find((id, i) => ids.indexOf(id) !== i);
  if (duplicate !== undefined) throw new AppError('validation_failed', 'agents', 'duplicate agent', duplicate);
  return inTransaction(ctx, async (tx, publish) => {
    await channelById(tx, channelId);
    const before = await tx.selectFrom('channel_agents').selectAll().where('channel_id', '=', channelId).execute();
    const same = (a: ChannelAgentsInput['agents'][number]): boolean => {
      const b = before.find((r) => r.agent_id === a.agentId);
      return b !== undefined && b.can_respond === +a.canRespond && b.notifications === +a.notifications && b.can_listen === +a.canListen && b.manager === +a.manager;
    };
    tellAccessChanged(publish, [
      ...before.filter((r) => !ids.includes(r.agent_id)).map((r) => r.agent_id),
      ...input.agents.filter((a) => !same(a)).map((a) => a.agentId),
    ]);
    if (ids.length > 0) {
      const known = await tx.selectFrom('agents').select('id').where('id', 'in', ids).where('active', '=', 1).execute();
      const unknown = ids.find((id) => !known.some((k) => k.id === id));
      if (unknown !== undefined) throw new AppError('validation_failed', 'agents', 'unknown agent', unknown);
    }
    await tx.deleteFrom('channel_agents').where('channel_id', '=', channelId).execute();
    if (input.agents.length > 0) {
      await tx
        .insertInto('channel_agents')
        .values(
          input.agents.map((a) => ({
            channel_id: channelId,
            agent_id: a.agentId,
            can_respond: a.canRespond ? 1 : 0,
            notifications: a.notifications ? 1 : 0,
            can_listen: a.canListen ? 1 : 0,
            manager: a.manager ? 1 : 0,
          })),
        )
        .execute();
    }
    return channelAgentList(tx, channelId);
  });
}

/**
 * Deletes a channel that has never had a chat. Chat history is never deleted with its channel, so a
 * channel with any chat (open or ended) is refused with channel_in_use.
 */
export async function deleteChannel(ctx: Ctx, actor: AgentActor, channelId: string): Promise<void> {
  requireAdmin(actor);
  await inTransaction(ctx, async (tx, publish) => {
    await channelById(tx, channelId);
    const agents = await tx.selectFrom('channel_agents').select('agent_id').where('channel_id', '=', channelId).execute();
    tellAccessChanged(publish, agents.map((r) => r.agent_id));
    const chat = await tx.selectFrom('chats').select('id').where('channel_id', '=', channelId).limit(1).executeTakeFirst();
    if (chat) throw new AppError('channel_in_use');
    await tx.deleteFrom('channel_agents').where('channel_id', '=', channelId).execute();
    await tx.deleteFrom('channels').where('id', '=', channelId).execute();
  });
}

/** Every open console of these agents reconnects, so its queue and chats follow the new channels and permissions. */
export function tellAccessChanged(publish: Publish, agentIds: Iterable<string>): void {
  for (const id of new Set(agentIds)) publish(topics.agent(id), { kind: 'accessChanged' });
}
