import {
  FAQ_LIMITS,
  FAQ_VISIBILITIES,
  LANGUAGES,
  faqPath,
  type Faq,
  type FaqInput,
  type FaqList,
  type FaqListQuery,
  type FaqVisibility,
  type Language,
} from '@loket/protocol';
import type { Executor, Tx } from '../db/database.js';
import type { FaqsTable } from '../db/schema.js';
import { topics } from '../realtime/bus.js';
import { requireAdmin } from './access.js';
import type { AgentActor } from './actors.js';
import { inTransaction, type Ctx } from './context.js';
import { AppError } from './errors.js';
import { newId } from './ids.js';
import { listFolders } from './knowledge-base-folders.js';

/**
 * The knowledge base as administrators edit it (docs/knowledge-base.md): FAQs here, folders in
 * knowledge-base-folders.ts, bulk import/export in knowledge-base-transfer.ts. Every commit that changes FAQs or folders
 * publishes `faqChanged`, which every node's search index follows.
 */

/** The `loket faq` command: it runs on the server itself, so it acts with administrator rights without a session. */
export interface SystemActor {
  kind: 'system';
}
export type KnowledgeBaseActor = AgentActor | SystemActor;

export function requireKnowledgeBaseAdmin(actor: KnowledgeBaseActor): void {
  if (actor.kind === 'agent') requireAdmin(actor);
}

/** Length as people count it: an emoji or an accented letter typed as one is one character. */
export const textLength = (text: string): number => [...text].length;

/** One thing wrong with an FAQ: `field` for the console form, `message` for import reports and the CLI. */
export interface FaqProblem {
  field: string;
  code: 'validation_failed' | 'field_required';
  message: string;
}

/** An FAQ's editable content as stored (trimmed, keywords cleaned), without its folder. */
export interface FaqContent {
  language: Language;
  question: string;
  answer: string;
  keywords: string[];
  published: boolean;
  visibility: FaqVisibility;
}

/** The raw, untrusted content of an FAQ: form input, a JSON row or a CSV row. */
export interface FaqContentInput {
  language: string;
  question: string;
  answer: string;
  keywords: readonly string[];
  published: boolean;
  visibility: string;
}

const quoteList = (values: readonly string[]): string => values.join(', ');

/** Checks and cleans an FAQ's content; either the clean content or every problem found. */
export function checkFaqContent(input: FaqContentInput): { content: FaqContent; problems: [] } | { content: null; problems: FaqProblem[] } {
  const problems: FaqProblem[] = [];
  const language = (LANGUAGES as readonly string[]).includes(input.language) ? (input.language as Language) : null;
  if (language === null) problems.push({ field: 'language', code: 'validation_failed', message: `language '${input.language.slice(0, 20)}' is not one of ${quoteList(LANGUAGES)}` });
  const question = input.question.trim();
  if (question === '') problems.push({ field: 'question', code: 'field_required', message: 'question is empty' });
  else if (textLength(question) > FAQ_LIMITS.question) problems.push({ field: 'question', code: 'validation_failed', message: `question is longer than ${FAQ_LIMITS.question} characters` });
  // The answer keeps its whitespace: indentation and trailing line breaks are Markdown.
  const answer = input.answer;
  if (textLength(answer) > FAQ_LIMITS.answer) problems.push({ field: 'answer', code: 'validation_failed', message: `answer is longer than ${FAQ_LIMITS.answer} characters` });
  const keywords: string[] = [];
  const seen = new Set<string>();
  input.keywords.forEach((raw, i) => {
    const keyword = raw.trim();
    if (keyword === '') return;
    if (textLength(keyword) > FAQ_LIMITS.keyword) {
      problems.push({ field: `keywords.${i}`, code: 'validation_failed', message: `keyword '${keyword.slice(0, 20)}…' is longer than ${FAQ_LIMITS.keyword} characters` });
      return;
    }
    // ";" separates keywords in CSV files: allowing it would make an export that does not import back the same.
    if (keyword.includes(';')) {
      problems.push({ field: `keywords.${i}`, code: 'validation_failed', message: `keyword '${keyword}' contains ';'` });
      return;
    }
    const folded = keyword.toLocaleLowerCase();
    if (seen.has(folded)) return;
    seen.add(folded);
    keywords.push(keyword);
  });
  if (keywords.length > FAQ_LIMITS.keywords) problems.push({ field: 'keywords', code: 'validation_failed', message: `more than ${FAQ_LIMITS.keywords} keywords` });
  const visibility = (FAQ_VISIBILITIES as readonly string[]).includes(input.visibility) ? (input.visibility as FaqVisibility) : null;
  if (visibility === null) problems.push({ field: 'visibility', code: 'validation_failed', message: `visibility '${input.visibility.slice(0, 20)}' is not one of ${quoteList(FAQ_VISIBILITIES)}` });
  if (problems.length > 0 || language === null || visibility === null) return { content: null, problems };
  return { content: { language, question, answer, keywords, published: input.published, visibility }, problems: [] };
}

function validFaqContent(input: FaqInput): FaqContent {
  const checked = checkFaqContent(input);
  const first = checked.problems[0];
  if (checked.content === null) throw new AppError(first?.code ?? 'validation_failed', first?.field, first?.message);
  return checked.content;
}

function parseKeywords(json: string): string[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((k): k is string => typeof k === 'string') : [];
  } catch {
    return [];
  }
}

/** Row → wire shape; `url` is the FAQ's public page. */
export function toFaq(row: FaqsTable, publicUrl: string): Faq {
  return {
    id: row.id,
    folderId: row.folder_id,
    language: row.language as Language,
    question: row.question,
    answer: row.answer,
    keywords: parseKeywords(row.keywords),
    published: row.published === 1,
    visibility: row.visibility,
    url: `${publicUrl.replace(/\/+$/, '')}${faqPath(row.id, row.question)}`,
    deflections: row.deflections,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function contentColumns(content: FaqContent): Pick<FaqsTable, 'language' | 'question' | 'answer' | 'keywords' | 'published' | 'visibility'> {
  return {
    language: content.language,
    question: content.question,
    answer: content.answer,
    keywords: JSON.stringify(content.keywords),
    published: content.published ? 1 : 0,
    visibility: content.visibility,
  };
}

async function faqRow(db: Executor, id: string): Promise<FaqsTable> {
  const row = await db.selectFrom('faqs').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new AppError('not_found');
  return row;
}

/**
 * The FAQ's folder must exist until the commit. On PostgreSQL a share lock holds off a concurrent folder deletion
 * (which would otherwise fail this insert on the foreign key); SQLite has a single writer anyway.
 */
async function requireFolder(ctx: Ctx, tx: Tx, folderId: string | null): Promise<void> {
  if (folderId === null) return;
  let select = tx.selectFrom('faq_folders').select('id').where('id', '=', folderId);
  if (ctx.dialect === 'postgres') select = select.forShare();
  if ((await select.executeTakeFirst()) === undefined) throw new AppError('validation_failed', 'folderId', 'no such folder');
}

export async function getFaq(ctx: Ctx, actor: KnowledgeBaseActor, id: string, publicUrl: string): Promise<Faq> {
  requireKnowledgeBaseAdmin(actor);
  return toFaq(await faqRow(ctx.db, id), publicUrl);
}

export async function createFaq(ctx: Ctx, actor: KnowledgeBaseActor, input: FaqInput, publicUrl: string): Promise<Faq> {
  requireKnowledgeBaseAdmin(actor);
  const content = validFaqContent(input);
  const row = await inTransaction(ctx, async (tx, publish) => {
    await requireFolder(ctx, tx, input.folderId);
    const now = ctx.now();
    const created: FaqsTable = { id: newId(), folder_id: input.folderId, ...contentColumns(content), deflections: 0, created_at: now, updated_at: now };
    await tx.insertInto('faqs').values(created).execute();
    publish(topics.faq(), { kind: 'faqChanged', faqId: created.id });
    return created;
  });
  return toFaq(row, publicUrl);
}

export async function updateFaq(ctx: Ctx, actor: KnowledgeBaseActor, id: string, input: FaqInput, publicUrl: string): Promise<Faq> {
  requireKnowledgeBaseAdmin(actor);
  const content = validFaqContent(input);
  const row = await inTransaction(ctx, async (tx, publish) => {
    await faqRow(tx, id);
    await requireFolder(ctx, tx, input.folderId);
    await tx
      .updateTable('faqs')
      .set({ folder_id: input.folderId, ...contentColumns(content), updated_at: ctx.now() })
      .where('id', '=', id)
      .execute();
    publish(topics.faq(), { kind: 'faqChanged', faqId: id });
    return faqRow(tx, id);
  });
  return toFaq(row, publicUrl);
}

/** Its deflection records go with it. */
export async function deleteFaq(ctx: Ctx, actor: KnowledgeBaseActor, id: string): Promise<void> {
  requireKnowledgeBaseAdmin(actor);
  await inTransaction(ctx, async (tx, publish) => {
    await faqRow(tx, id);
    await tx.deleteFrom('faq_deflections').where('faq_id', '=', id).execute();
    await tx.deleteFrom('faqs').where('id', '=', id).execute();
    publish(topics.faq(), { kind: 'faqChanged', faqId: id });
  });
}

/** Hits for the administrators' search box: unpublished and login-only FAQs included. */
const SEARCH_LIMIT = 200;

/**
 * FAQs by question, or with `q` ranked by this node's search index (best first). Without a language filter, every
 * language is searched with its own analysis; each language's hits keep their order.
 */
export async function listFaqs(ctx: Ctx, actor: KnowledgeBaseActor, query: FaqListQuery, publicUrl: string): Promise<FaqList> {
  requireKnowledgeBaseAdmin(actor);
  const q = query.q?.trim() ?? '';
  let ranked: string[] | null = null;
  if (q !== '') {
    // The index may not have heard of an edit this administrator just made on this node yet.
    await ctx.faqSearch.settled();
    const languages = query.language !== undefined ? [query.language] : LANGUAGES;
    const hits = languages.flatMap((language) => ctx.faqSearch.search(q, { language, publicOnly: false, limit: SEARCH_LIMIT }));
    ranked = hits.sort((a, b) => b.score - a.score).map((h) => h.id);
    if (ranked.length === 0) return { faqs: [], folders: await listFolders(ctx, actor) };
  }
  let select = ctx.db.selectFrom('faqs').selectAll();
  if (query.folderId === 'none') select = select.where('folder_id', 'is', null);
  else if (query.folderId !== undefined) select = select.where('folder_id', '=', query.folderId);
  if (query.language !== undefined) select = select.where('language', '=', query.language);
  if (query.published !== undefined) select = select.where('published', '=', query.published === 'true' ? 1 : 0);
  if (ranked !== null) select = select.where('id', 'in', ranked);
  const rows = await select.orderBy('question').orderBy('id').execute();
  if (ranked !== null) {
    const order = new Map(ranked.map((id, i) => [id, i]));
    rows.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
  }
  return { faqs: rows.map((r) => toFaq(r, publicUrl)), folders: await listFolders(ctx, actor) };
}
