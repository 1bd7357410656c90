import {
  DEFAULT_FILE_SETTINGS,
  FieldModeSchema,
  LANGUAGES,
  headerTextColorFor,
  safeColor,
  PrechatFieldSchema,
  RequestPrioritySchema,
  ThemeSchema,
  WidgetFontSchema,
  type FieldMode,
  type OfflineConfig,
  type PrechatConfig,
  type RequestPriority,
  type Theme,
  type WidgetFont,
  type ChannelPostchatSettings,
  type Language,
  type PostchatConfig,
  type PrechatField,
  type WidgetConfig,
} from '@loket/protocol';
import * as z from 'zod/mini';
import type { Executor } from '../db/database.js';
import type { ChannelsTable } from '../db/schema.js';
import type { Ctx } from './context.js';
import { AppError } from './errors.js';
import { newId } from './ids.js';
import { channelAvailability } from './availability.js';
import { channelFileSettings } from './files/settings.js';

const OriginsSchema = z.array(z.string());

/** Field types of the first pre-chat form; rows saved then still hold them. */
const LEGACY_TEXT_TYPES = ['email', 'tel', 'textarea'];

export function channelFields(channel: Pick<ChannelsTable, 'prechat_fields'>): PrechatField[] {
  const raw: unknown = JSON.parse(channel.prechat_fields);
  if (!Array.isArray(raw)) return [];
  // One old or hand-edited field must not take the channel's whole form down with it.
  const fields: PrechatField[] = [];
  for (const item of raw as unknown[]) {
    const legacy = typeof item === 'object' && item !== null && LEGACY_TEXT_TYPES.includes(String((item as { type?: unknown }).type));
    const parsed = PrechatFieldSchema.safeParse(legacy ? { ...item, type: 'text' } : item);
    if (parsed.success) fields.push(parsed.data);
  }
  return fields;
}

/** A stored mode that is somehow not a FieldMode (edited by hand) falls back to the given one. */
export function fieldMode(value: string, fallback: FieldMode): FieldMode {
  const parsed = FieldModeSchema.safeParse(value);
  return parsed.success ? parsed.data : fallback;
}

export function prechatConfig(channel: ChannelsTable): PrechatConfig {
  return {
    enabled: channel.prechat_enabled === 1,
    message: channel.prechat_message,
    name: fieldMode(channel.prechat_name, 'required'),
    email: fieldMode(channel.prechat_email, 'required'),
    phone: fieldMode(channel.prechat_phone, 'off'),
    company: fieldMode(channel.prechat_company, 'off'),
    fields: channelFields(channel),
    faqSuggestions: channel.faq_suggestions === 1,
  };
}

export function offlineConfig(channel: ChannelsTable): OfflineConfig {
  return {
    header: channel.offline_header,
    message: channel.offline_message,
    requests: channel.offline_requests === 1,
    name: fieldMode(channel.offline_name, 'required'),
    phone: fieldMode(channel.offline_phone, 'off'),
    company: fieldMode(channel.offline_company, 'off'),
  };
}

export function channelTheme(channel: ChannelsTable): Theme {
  const parsed = ThemeSchema.safeParse(channel.theme);
  return parsed.success ? parsed.data : 'light';
}

export function channelFont(channel: ChannelsTable): WidgetFont {
  const parsed = WidgetFontSchema.safeParse(channel.font);
  return parsed.success ? parsed.data : 'system';
}

export function offlinePriority(channel: ChannelsTable): RequestPriority {
  const parsed = RequestPrioritySchema.safeParse(channel.offline_priority);
  return parsed.success ? parsed.data : 'normal';
}

/** Same origin as the chat window and the console; the hash changes with the logo, so it can be cached for good. */
export function logoPath(channel: ChannelsTable): string | null {
  return channel.logo !== null && channel.logo_hash !== null ? `/widget/logo/${encodeURIComponent(channel.key)}/${channel.logo_hash}` : null;
}

export function channelOrigins(channel: ChannelsTable): string[] {
  const parsed = OriginsSchema.safeParse(JSON.parse(channel.allowed_origins));
  return parsed.success ? parsed.data : [];
}

export function postchatConfig(channel: ChannelsTable): PostchatConfig {
  return {
    enabled: channel.postchat_enabled === 1,
    header: channel.postchat_header,
    message: channel.postchat_message,
    rating: channel.postchat_rating === 1,
    transcript: channel.postchat_transcript === 1,
  };
}

export function channelLanguage(channel: ChannelsTable): Language {
  return (LANGUAGES as readonly string[]).includes(channel.language) ? (channel.language as Language) : 'en';
}

export async function findChannelByKey(db: Executor, key: string): Promise<ChannelsTable> {
  const channel = await db.selectFrom('channels').selectAll().where('key', '=', key).executeTakeFirst();
  if (!channel) throw new AppError('channel_not_found');
  return channel;
}

/** Someone can answer: at least one active agent who can respond is present (opening hours: availability.ts). */
export async function isChannelAvailable(db: Executor, channelId: string): Promise<boolean> {
  const row = await db
    .selectFrom('channel_agents')
    .innerJoin('agents', 'agents.id', 'channel_agents.agent_id')
    .select('agents.id')
    .where('channel_agents.channel_id', '=', channelId)
    .where('channel_agents.can_respond', '=', 1)
    .where('agents.presence', '=', 'present')
    .where('agents.active', '=', 1)
    .executeTakeFirst();
  return row !== undefined;
}

export async function widgetConfig(ctx: Ctx, channel: ChannelsTable): Promise<WidgetConfig> {
  return {
    key: channel.key,
    name: channel.name,
    language: channelLanguage(channel),
    badgeText: channel.badge_text,
    headerText: channel.header_text,
    welcomeMessage: channel.welcome_message,
    queueMessage: channel.queue_message,
    color: safeColor(channel.color),
    headerTextColor: headerTextColorFor(safeColor(channel.color), channel.header_text_color),
    theme: channelTheme(channel),
    font: channelFont(channel),
    logoUrl: logoPath(channel),
    showAgentPhoto: channel.show_agent_photo === 1,
    prechat: prechatConfig(channel),
    offline: offlineConfig(channel),
    postchat: postchatConfig(channel),
    availability: await channelAvailability(ctx, channel),
    files: channelFileSettings(channel),
  };
}

export interface NewChannel {
  key: string;
  name: string;
  language?: Language;
  allowedOrigins: string[];
  badgeText?: string;
  headerText?: string;
  welcomeMessage?: string;
  queueMessage?: string;
  color?: string;
  prechatEnabled?: boolean;
  fields?: PrechatField[];
  postchat?: Partial<ChannelPostchatSettings>;
  description?: string;
  faqSuggestions?: boolean;
  faqFolderId?: string | null;
}

export async function createChannel(ctx: Ctx, input: NewChannel): Promise<ChannelsTable> {
  const row: ChannelsTable = {
    id: newId(),
    key: input.key,
    name: input.name,
    language: input.language ?? 'en',
    badge_text: input.badgeText ?? 'Chat with us',
    header_text: input.headerText ?? input.name,
    welcome_message: input.welcomeMessage ?? 'Hi! Ask us anything — we usually answer within a few minutes.',
    queue_message: input.queueMessage ?? 'You are number {position} in the queue. Average waiting time: {wait}.',
    color: input.color ?? '#1f5f8b',
    show_agent_photo: 1,
    prechat_enabled: input.prechatEnabled === false ? 0 : 1,
    prechat_fields: JSON.stringify(input.fields ?? []),
    allowed_origins: JSON.stringify(input.allowedOrigins),
    created_at: ctx.now(),
    postchat_enabled: input.postchat?.enabled === false ? 0 : 1,
    postchat_header: input.postchat?.header ?? '',
    postchat_message: input.postchat?.message ?? '',
    postchat_rating: input.postchat?.rating === false ? 0 : 1,
    postchat_transcript: input.postchat?.transcript === false ? 0 : 1,
    transcript_template_id: input.postchat?.transcriptTemplateId ?? null,
    description: input.description ?? '',
    theme: 'light',
    font: 'system',
    header_text_color: 'auto',
    logo: null,
    logo_hash: null,
    prechat_message: '',
    prechat_name: 'required',
    prechat_email: 'required',
    prechat_phone: 'off',
    prechat_company: 'off',
    faq_suggestions: input.faqSuggestions ? 1 : 0,
    faq_folder_id: input.faqFolderId ?? null,
    offline_header: '',
    offline_message: '',
    offline_requests: 1,
    offline_category: '',
    offline_priority: 'normal',
    offline_name: 'required',
    offline_phone: 'off',
    offline_company: 'off',
    warn_after_seconds: null,
    manager_warn_after_seconds: null,
    opening_hours: null,
    file_types: JSON.stringify(DEFAULT_FILE_SETTINGS.allowedTypes),
    file_max_bytes: DEFAULT_FILE_SETTINGS.maxBytes,
  };
  await ctx.db.insertInto('channels').values(row).execute();
  return row;
}

export interface ChannelPermissions {
  canRespond?: boolean;
  notifications?: boolean;
  canListen?: boolean;
  manager?: boolean;
}

export async function addChannelAgent(ctx: Ctx, channelId: string, agentId: string, p: ChannelPermissions = {}): Promise<void> {
  await ctx.db
    .insertInto('channel_agents')
    .values({
      channel_id: channelId,
      agent_id: agentId,
      can_respond: p.canRespond === false ? 0 : 1,
      notifications: p.notifications === false ? 0 : 1,
      can_listen: p.canListen ? 1 : 0,
      manager: p.manager ? 1 : 0,
    })
    .execute();
}
