import {
  BUILTIN_FIELD_KEYS,
  CHANNEL_TEXT_LIMITS,
  PrechatFieldSchema,
  type AdminChannel,
  type ChannelOfflineInput,
  type ChannelPrechatInput,
  type FaqFolderSummary,
  type PrechatField,
} from '@loket/protocol';
import { requireAdmin } from './access.js';
import type { AgentActor } from './actors.js';
import { adminChannel, channelById } from './channel-admin.js';
import type { Ctx } from './context.js';
import { AppError } from './errors.js';

/**
 * The channel's pre-chat and offline forms as administrators edit them (docs/channels.md). Only storing and
 * validating lives here: startChat applies the pre-chat form; the offline issue makes the offline form work.
 */

const FIELD_KEY = PrechatFieldSchema.shape.key;

/** Custom fields as they will be stored (labels and options trimmed); throws with the offending field's path. */
export function checkCustomFields(fields: readonly PrechatField[]): PrechatField[] {
  if (fields.length > CHANNEL_TEXT_LIMITS.customFields) throw new AppError('validation_failed', 'fields');
  const keys = new Set<string>();
  return fields.map((field, i) => {
    const at = (part: string) => `fields.${i}.${part}`;
    if (!FIELD_KEY.safeParse(field.key).success) throw new AppError('validation_failed', at('key'), 'bad key', field.key.slice(0, 40));
    // Built-in keys are reserved: the visitor's phone and company are stored under them.
    if ((BUILTIN_FIELD_KEYS as readonly string[]).includes(field.key)) throw new AppError('validation_failed', at('key'), 'reserved key', field.key);
    if (keys.has(field.key)) throw new AppError('validation_failed', at('key'), 'duplicate key', field.key);
    keys.add(field.key);
    const label = field.label.trim();
    if (label === '' || label.length > 100) throw new AppError('validation_failed', at('label'));
    if (field.type !== 'choice') {
      if (field.options !== undefined && field.options.length > 0) throw new AppError('validation_failed', at('options'), 'only choice fields have options');
      return { key: field.key, label, type: field.type, required: field.required };
    }
    const options = (field.options ?? []).map((o) => o.trim());
    if (options.length === 0 || options.length > CHANNEL_TEXT_LIMITS.choiceOptions) throw new AppError('validation_failed', at('options'), 'a choice needs options');
    const bad = options.findIndex((o, j) => o === '' || o.length > 100 || options.indexOf(o) !== j);
    if (bad !== -1) throw new AppError('validation_failed', at('options'), 'empty or repeated option', options[bad]?.slice(0, 100));
    return { key: field.key, label, type: field.type, required: field.required, options };
  });
}

/** Pre-chat form: on/off, message, built-in field modes, custom fields and FAQ suggestions. */
export async function updateChannelPrechat(ctx: Ctx, actor: AgentActor, channelId: string, input: ChannelPrechatInput, publicUrl: string): Promise<AdminChannel> {
  requireAdmin(actor);
  const message = input.message.trim();
  if (message.length > CHANNEL_TEXT_LIMITS.prechatMessage) throw new AppError('validation_failed', 'message');
  const fields = checkCustomFields(input.fields);
  return ctx.transact(async (tx) => {
    await channelById(tx, channelId);
    if (input.faqFolderId !== null) {
      const folder = await tx.selectFrom('faq_folders').select('id').where('id', '=', input.faqFolderId).executeTakeFirst();
      if (!folder) throw new AppError('validation_failed', 'faqFolderId');
    }
    await tx
      .updateTable('channels')
      .set({
        prechat_enabled: input.enabled ? 1 : 0,
        prechat_message: message,
        prechat_name: input.name,
        prechat_email: input.email,
        prechat_phone: input.phone,
        prechat_company: input.company,
        prechat_fields: JSON.stringify(fields),
        faq_suggestions: input.faqSuggestions ? 1 : 0,
        faq_folder_id: input.faqFolderId,
      })
      .where('id', '=', channelId)
      .execute();
    return adminChannel(await channelById(tx, channelId), publicUrl);
  });
}

/** Offline form: stored and validated here; what the widget does with it comes with the offline issue. */
export async function updateChannelOffline(ctx: Ctx, actor: AgentActor, channelId: string, input: ChannelOfflineInput, publicUrl: string): Promise<AdminChannel> {
  requireAdmin(actor);
  const header = input.header.trim();
  const message = input.message.trim();
  const category = input.category.trim();
  if (header.length > CHANNEL_TEXT_LIMITS.offlineHeader) throw new AppError('validation_failed', 'header');
  if (message.length > CHANNEL_TEXT_LIMITS.offlineMessage) throw new AppError('validation_failed', 'message');
  if (category.length > CHANNEL_TEXT_LIMITS.category) throw new AppError('validation_failed', 'category');
  return ctx.transact(async (tx) => {
    await channelById(tx, channelId);
    await tx
      .updateTable('channels')
      .set({
        offline_header: header,
        offline_message: message,
        offline_requests: input.requests ? 1 : 0,
        offline_category: category,
        offline_priority: input.priority,
        offline_name: input.name,
        offline_phone: input.phone,
        offline_company: input.company,
      })
      .where('id', '=', channelId)
      .execute();
    return adminChannel(await channelById(tx, channelId), publicUrl);
  });
}

/** Every FAQ folder, by name: the choices for a channel's suggestions (the knowledge base edits them). */
export async function listFaqFolders(ctx: Ctx, actor: AgentActor): Promise<FaqFolderSummary[]> {
  requireAdmin(actor);
  const rows = await ctx.db.selectFrom('faq_folders').select(['id', 'name', 'parent_id']).orderBy('name').orderBy('id').execute();
  return rows.map((r) => ({ id: r.id, name: r.name, parentId: r.parent_id }));
}
