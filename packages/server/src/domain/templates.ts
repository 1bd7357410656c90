import { LIMITS, type Language, type ReplyTemplate, type TemplateInput, type TemplatePreview, type TemplatePreviewInput } from '@loket/protocol';
import type { Executor } from '../db/database.js';
import type { ReplyTemplatesTable } from '../db/schema.js';
import { compileTemplate, renderTemplate, type TemplateVars } from '../email/templates.js';
import { requireAdmin } from './access.js';
import type { AgentActor } from './actors.js';
import type { Ctx } from './context.js';
import { AppError } from './errors.js';
import { newId } from './ids.js';

/** Reply templates, managed by administrators (docs/email.md). */

function toTemplate(row: ReplyTemplatesTable): ReplyTemplate {
  return {
    id: row.id,
    name: row.name,
    language: row.language as Language,
    subject: row.subject,
    body: row.body,
    builtin: row.builtin_key !== null,
    updatedAt: row.updated_at,
  };
}

function requireText(value: string, field: string, max: number): string {
  const text = value.trim();
  if (text === '') throw new AppError('field_required', field);
  if ([...text].length > max) throw new AppError('validation_failed', field);
  return text;
}

/** Checks everything, including that the template compiles, before anything is saved. */
function validate(input: TemplateInput): TemplateInput {
  const name = requireText(input.name, 'name', LIMITS.templateName);
  const subject = requireText(input.subject, 'subject', LIMITS.templateSubject);
  const body = requireText(input.body, 'body', LIMITS.templateBody);
  compileTemplate({ subject, body, language: input.language });
  return { name, language: input.language, subject, body };
}

async function templateRow(db: Executor, id: string): Promise<ReplyTemplatesTable> {
  const row = await db.selectFrom('reply_templates').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new AppError('not_found');
  return row;
}

export async function listTemplates(ctx: Ctx, actor: AgentActor): Promise<ReplyTemplate[]> {
  requireAdmin(actor);
  const rows = await ctx.db.selectFrom('reply_templates').selectAll().orderBy('name').orderBy('language').orderBy('id').execute();
  return rows.map(toTemplate);
}

export async function createTemplate(ctx: Ctx, actor: AgentActor, input: TemplateInput): Promise<ReplyTemplate> {
  requireAdmin(actor);
  const valid = validate(input);
  const now = ctx.now();
  const row: ReplyTemplatesTable = { id: newId(), ...valid, builtin_key: null, created_at: now, updated_at: now };
  await ctx.transact((tx) => tx.insertInto('reply_templates').values(row).execute());
  return toTemplate(row);
}

/** Built-in templates are editable too (that is how an administrator words the transcript). */
export async function updateTemplate(ctx: Ctx, actor: AgentActor, id: string, input: TemplateInput): Promise<ReplyTemplate> {
  requireAdmin(actor);
  const valid = validate(input);
  const row = await ctx.transact(async (tx) => {
    const current = await templateRow(tx, id);
    // A built-in template stands for its language; moving it would leave that language without one.
    if (current.builtin_key !== null && current.language !== valid.language) throw new AppError('validation_failed', 'language');
    return tx.updateTable('reply_templates').set({ ...valid, updated_at: ctx.now() }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
  });
  return toTemplate(row);
}

export async function deleteTemplate(ctx: Ctx, actor: AgentActor, id: string): Promise<void> {
  requireAdmin(actor);
  await ctx.transact(async (tx) => {
    const current = await templateRow(tx, id);
    if (current.builtin_key !== null) throw new AppError('forbidden');
    const user = await tx.selectFrom('channels').select('id').where('transcript_template_id', '=', id).limit(1).executeTakeFirst();
    if (user) throw new AppError('template_in_use');
    await tx.deleteFrom('reply_templates').where('id', '=', id).execute();
  });
}

/** What the preview shows: believable data, including markup in a message to show it is escaped. */
export function sampleVars(): TemplateVars {
  const at = (h: number, m: number) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
  return {
    customer: { name: 'Sam Sample', email: 'sam@example.com' },
    agent: { name: 'Alex Agent' },
    channel: { name: 'Customer service' },
    chat: { id: 'a1b2c3d4-0000-4000-8000-000000000000', startedAt: '12 March 2025, 14:02 CET', endedAt: '12 March 2025, 14:09 CET' },
    request: { id: 'LK-4821-7QX', question: 'Where is my order #1042?' },
    transcript: [
      { time: at(14, 2), author: 'Sam Sample', text: 'Hi! Where is my order #1042?', kind: 'message' },
      { time: at(14, 3), author: '', text: 'Alex Agent joined the chat.', kind: 'system' },
      { time: at(14, 4), author: 'Alex Agent', text: 'It ships today; tracking follows by e-mail.', kind: 'message' },
      { time: at(14, 5), author: 'Sam Sample', text: 'Great, thanks! <b>html</b> stays text.', kind: 'message' },
    ],
  };
}

export function previewTemplate(_ctx: Ctx, actor: AgentActor, input: TemplatePreviewInput): TemplatePreview {
  requireAdmin(actor);
  const subject = requireText(input.subject, 'subject', LIMITS.templateSubject);
  const body = requireText(input.body, 'body', LIMITS.templateBody);
  return renderTemplate(compileTemplate({ subject, body, language: input.language }), sampleVars());
}
