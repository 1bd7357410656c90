import {
  LANGUAGES,
  QUICK_REPLY_LIMITS,
  QUICK_REPLY_SHORTCUT_PATTERN,
  type ComposeSnippet,
  type QuickReply,
  type QuickReplyChannel,
  type QuickReplyInput,
  type QuickReplyList,
} from '@loket/protocol';
import { isUniqueViolation, type Executor } from '../../db/database.js';
import type { ChatsTable, QuickRepliesTable } from '../../db/schema.js';
import { compileTemplate, renderTemplate, type CompiledTemplate, type TemplateVars } from '../../email/templates.js';
import { safeLocale, safeTimeZone } from '../../email/transcript.js';
import { accessChannel, accessChat, agentChannelIds } from '../access.js';
import type { AgentActor } from '../actors.js';
import type { Ctx } from '../context.js';
import { AppError } from '../errors.js';
import { newId } from '../ids.js';

/**
 * Quick replies (docs/quick-replies.md): an agent's own, and a channel's shared ones that its managers and the
 * administrators edit. Their text uses the reply-template language, filled for the chat it goes into.
 */

interface Valid {
  shortcut: string;
  shortcutKey: string;
  text: string;
}

function validate(input: QuickReplyInput): Valid {
  // The `/` is how the composer calls it up, not part of the name.
  const shortcut = input.shortcut.trim().replace(/^\//, '');
  if (shortcut === '') throw new AppError('field_required', 'shortcut');
  if ([...shortcut].length > QUICK_REPLY_LIMITS.shortcut || !QUICK_REPLY_SHORTCUT_PATTERN.test(shortcut)) {
    throw new AppError('validation_failed', 'shortcut');
  }
  const text = input.text.replace(/\r\n?/g, '\n').trim();
  if (text === '') throw new AppError('field_required', 'text');
  if ([...text].length > QUICK_REPLY_LIMITS.text) throw new AppError('quick_reply_too_long', 'text');
  compileText(text);
  return { shortcut, shortcutKey: shortcut.toLocaleLowerCase('und'), text };
}

/** The text as a template body; its errors name the quick reply's field. */
function compileText(text: string): CompiledTemplate {
  try {
    return compileTemplate({ subject: '-', body: text });
  } catch (err) {
    if (err instanceof AppError && err.code === 'template_invalid') throw new AppError('template_invalid', 'text', err.message, err.clientDetail);
    throw err;
  }
}

const ownerKey = (agentId: string | null, channelId: string | null): string => (agentId !== null ? `agent:${agentId}` : `channel:${channelId ?? ''}`);

/** Whether the actor may change this one: their own, or a shared one of a channel they manage (administrators: all). */
async function mayEdit(db: Executor, actor: AgentActor, row: Pick<QuickRepliesTable, 'agent_id' | 'channel_id'>): Promise<boolean> {
  if (row.agent_id !== null) return row.agent_id === actor.agent.id;
  if (row.channel_id === null) return false;
  try {
    return (await accessChannel(db, actor, row.channel_id)).manager === 1;
  } catch {
    return false;
  }
}

function toQuickReply(row: QuickRepliesTable, editable: boolean): QuickReply {
  return { id: row.id, channelId: row.channel_id, shortcut: row.shortcut, text: row.text, editable, updatedAt: row.updated_at };
}

/** A shared one of a channel the actor may see, or their own; anything else is not found, so ids can't be probed. */
async function visibleRow(db: Executor, actor: AgentActor, id: string): Promise<QuickRepliesTable> {
  const row = await db.selectFrom('quick_replies').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new AppError('not_found');
  if (row.agent_id !== null && row.agent_id !== actor.agent.id) throw new AppError('not_found');
  if (row.channel_id !== null) {
    try {
      await accessChannel(db, actor, row.channel_id);
    } catch {
      throw new AppError('not_found');
    }
  }
  return row;
}

async function requireManager(db: Executor, actor: AgentActor, channelId: string): Promise<void> {
  const channel = await db.selectFrom('channels').select('id').where('id', '=', channelId).executeTakeFirst();
  if (!channel) throw new AppError('channel_not_found', 'channelId');
  const membership = await accessChannel(db, actor, channelId);
  if (membership.manager !== 1) throw new AppError('forbidden');
}

async function write<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('shortcut_taken', 'shortcut');
    throw err;
  }
}

export async function listQuickReplies(ctx: Ctx, actor: AgentActor): Promise<QuickReplyList> {
  const channelIds = await agentChannelIds(ctx.db, actor);
  const rows = await ctx.db
    .selectFrom('quick_replies')
    .selectAll()
    .where((eb) => (channelIds.length > 0 ? eb.or([eb('agent_id', '=', actor.agent.id), eb('channel_id', 'in', channelIds)]) : eb('agent_id', '=', actor.agent.id)))
    .orderBy('shortcut_key')
    .orderBy('id')
    .execute();
  const channelRows = channelIds.length > 0 ? await ctx.db.selectFrom('channels').select(['id', 'name']).where('id', 'in', channelIds).orderBy('name').orderBy('id').execute() : [];
  const channels: QuickReplyChannel[] = [];
  for (const c of channelRows) channels.push({ id: c.id, name: c.name, editable: (await accessChannel(ctx.db, actor, c.id)).manager === 1 });
  const editable = new Set(channels.filter((c) => c.editable).map((c) => c.id));
  const quickReplies = rows.map((row) => toQuickReply(row, row.agent_id === actor.agent.id || (row.channel_id !== null && editable.has(row.channel_id))));
  return { quickReplies, channels };
}

export async function createQuickReply(ctx: Ctx, actor: AgentActor, input: QuickReplyInput): Promise<QuickReply> {
  const valid = validate(input);
  if (input.channelId !== null) await requireManager(ctx.db, actor, input.channelId);
  const now = ctx.now();
  const agentId = input.channelId === null ? actor.agent.id : null;
  const row: QuickRepliesTable = {
    id: newId(),
    agent_id: agentId,
    channel_id: input.channelId,
    owner_key: ownerKey(agentId, input.channelId),
    shortcut: valid.shortcut,
    shortcut_key: valid.shortcutKey,
    text: valid.text,
    created_at: now,
    updated_at: now,
  };
  await write(() => ctx.transact((tx) => tx.insertInto('quick_replies').values(row).execute()));
  return toQuickReply(row, true);
}

/** Changes shortcut and text; which owner a quick reply has is fixed (`channelId` must stay as it is). */
export async function updateQuickReply(ctx: Ctx, actor: AgentActor, id: string, input: QuickReplyInput): Promise<QuickReply> {
  const valid = validate(input);
  const row = await write(() =>
    ctx.transact(async (tx) => {
      const current = await visibleRow(tx, actor, id);
      if (!(await mayEdit(tx, actor, current))) throw new AppError('forbidden');
      if (current.channel_id !== input.channelId) throw new AppError('validation_failed', 'channelId');
      return tx
        .updateTable('quick_replies')
        .set({ shortcut: valid.shortcut, shortcut_key: valid.shortcutKey, text: valid.text, updated_at: ctx.now() })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
    }),
  );
  return toQuickReply(row, true);
}

export async function deleteQuickReply(ctx: Ctx, actor: AgentActor, id: string): Promise<void> {
  await ctx.transact(async (tx) => {
    const current = await visibleRow(tx, actor, id);
    if (!(await mayEdit(tx, actor, current))) throw new AppError('forbidden');
    await tx.deleteFrom('quick_replies').where('id', '=', id).execute();
  });
}

/** The values of the variables in one chat, for the agent inserting the text; times in the customer's zone. */
function chatVars(actor: AgentActor, chat: ChatsTable, channel: { name: string; language: string }): TemplateVars {
  const language = LANGUAGES.find((l) => l === channel.language) ?? 'en';
  const format = new Intl.DateTimeFormat(safeLocale(chat.visitor_locale, language), { dateStyle: 'long', timeStyle: 'short', timeZone: safeTimeZone(chat.visitor_time_zone) });
  return {
    customer: { name: chat.visitor_name, email: chat.visitor_email },
    agent: { name: actor.agent.name },
    channel: { name: channel.name },
    chat: { id: chat.id, startedAt: format.format(chat.created_at), endedAt: '' },
    request: { id: '', question: '' },
    transcript: [],
  };
}

const fill = (compiled: CompiledTemplate, vars: TemplateVars): string => renderTemplate(compiled, vars).text;

/**
 * The composer's `/` picker for one chat: the agent's personal quick replies, the chat channel's shared ones, then the
 * reply templates in the channel's language, each filled for this chat. A text that no longer compiles is left out.
 */
export async function composeSnippets(ctx: Ctx, actor: AgentActor, chatId: string): Promise<ComposeSnippet[]> {
  const chat = await accessChat(ctx.db, actor, chatId, 'read');
  const channel = await ctx.db.selectFrom('channels').select(['name', 'language']).where('id', '=', chat.channel_id).executeTakeFirstOrThrow();
  const vars = chatVars(actor, chat, channel);
  const replies = await ctx.db
    .selectFrom('quick_replies')
    .selectAll()
    .where((eb) => eb.or([eb('agent_id', '=', actor.agent.id), eb('channel_id', '=', chat.channel_id)]))
    .orderBy('shortcut_key')
    .orderBy('id')
    .execute();
  const templates = await ctx.db.selectFrom('reply_templates').selectAll().where('language', '=', channel.language).orderBy('name').orderBy('id').execute();
  const snippets: ComposeSnippet[] = [];
  const add = (kind: ComposeSnippet['kind'], id: string, label: string, source: string) => {
    try {
      snippets.push({ kind, id, label, text: fill(compileTemplate({ subject: '-', body: source }), vars) });
    } catch {
      // Saved texts were validated; one an older Loket's rules let in must not break the picker.
    }
  };
  for (const r of replies.filter((r) => r.agent_id !== null)) add('personal', r.id, r.shortcut, r.text);
  for (const r of replies.filter((r) => r.channel_id !== null)) add('channel', r.id, r.shortcut, r.text);
  for (const t of templates) add('template', t.id, t.name, t.body);
  return snippets;
}
