import { FAQ_LIMITS, type FaqExportFile, type FaqExportRow, type FaqImportInput, type FaqImportResult } from '@loket/protocol';
import { CsvError, parse as parseCsv } from 'csv-parse/sync';
import { stringify as stringifyCsv } from 'csv-stringify/sync';
import type { FaqsTable } from '../db/schema.js';
import { topics } from '../realtime/bus.js';
import { inTransaction, type Ctx } from './context.js';
import { AppError } from './errors.js';
import { newId } from './ids.js';
import { checkFaqContent, contentColumns, requireKnowledgeBaseAdmin, type FaqContent, type KnowledgeBaseActor } from './knowledge-base.js';
import { FolderTree, folderNameProblem, lockFolderTree } from './knowledge-base-folders.js';
import { faqLines, jsonErrorOffset, lineAt } from './knowledge-base-json.js';

/**
 * Bulk import and export (docs/knowledge-base.md), shared by the console and the `loket faq` command. Files name
 * folders by path ("Orders/Returns"), so they move between installations; an import creates missing folders. An
 * import is all or nothing: one bad row and nothing is stored, and the error lists the first problems by line.
 */

export const CSV_COLUMNS = ['folder', 'language', 'question', 'answer', 'keywords', 'published', 'visibility'] as const;
type Column = (typeof CSV_COLUMNS)[number];
const JSON_FIELDS: readonly string[] = CSV_COLUMNS;

/** Problems listed in the error; the rest are counted. */
const REPORTED_PROBLEMS = 10;
/** Rows per INSERT: well below SQLite's and PostgreSQL's limits on bound parameters. */
const INSERT_BATCH = 500;

/** A row as read from a file, before checking. */
interface RawRow {
  line: number;
  folder: string;
  language: string;
  question: string;
  answer: string;
  keywords: readonly string[];
  published: boolean;
  visibility: string;
}

interface CheckedRow {
  /** Folder names from the root down; empty = no folder. */
  path: string[];
  content: FaqContent;
}

/** Collects "line 7: …" messages; thrown as one validation error naming the field `rows`. */
class Problems {
  private readonly found: Array<{ line: number; message: string }> = [];
  add(line: number | null, message: string): void {
    this.found.push({ line: line ?? 0, message: line === null ? message : `line ${line}: ${message}` });
  }
  get count(): number {
    return this.found.length;
  }
  /** In file order: a problem found while reading a row and one found while checking it sit together. */
  get list(): string[] {
    return [...this.found].sort((a, b) => a.line - b.line).map((p) => p.message);
  }
  throwIfAny(): void {
    if (this.found.length === 0) return;
    const shown = this.list.slice(0, REPORTED_PROBLEMS);
    const more = this.found.length - shown.length;
    const detail = more > 0 ? [...shown, `… and ${more} more`].join('\n') : shown.join('\n');
    throw new AppError('validation_failed', 'rows', `import refused: ${this.found.length} problems`, detail);
  }
}

function describe(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 30 ? `${text.slice(0, 30)}…` : text;
}

function readJson(text: string, problems: Problems): RawRow[] {
  let file: unknown;
  try {
    file = JSON.parse(text);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    problems.add(lineAt(text, jsonErrorOffset(text)), `not valid JSON (${message.split('\n')[0]?.slice(0, 80) ?? ''})`);
    return [];
  }
  if (typeof file !== 'object' || file === null || Array.isArray(file)) {
    problems.add(1, 'not a Loket FAQ file: expected an object with "version": 1 and "faqs"');
    return [];
  }
  const top = file as Record<string, unknown>;
  for (const key of Object.keys(top)) if (key !== 'version' && key !== 'faqs') problems.add(1, `unknown field '${key.slice(0, 40)}' (expected "version" and "faqs")`);
  if (top.version !== 1) problems.add(1, `"version" must be 1, not ${describe(top.version)}`);
  if (!Array.isArray(top.faqs)) problems.add(1, '"faqs" must be a list');
  if (problems.count > 0 || !Array.isArray(top.faqs)) return [];
  const starts = faqLines(text);
  const rows: RawRow[] = [];
  top.faqs.forEach((value: unknown, i) => {
    const line = starts[i] ?? lineAt(text, 0);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      problems.add(line, `FAQ ${i + 1} is not an object`);
      return;
    }
    const row = value as Record<string, unknown>;
    const before = problems.count;
    for (const key of Object.keys(row)) if (!JSON_FIELDS.includes(key)) problems.add(line, `unknown field '${key.slice(0, 40)}'`);
    for (const key of JSON_FIELDS) if (!(key in row)) problems.add(line, `field '${key}' is missing`);
    const field = (key: Column): string => {
      const v = row[key];
      if (typeof v === 'string') return v;
      if (key in row) problems.add(line, `${key} must be text, not ${describe(v)}`);
      return '';
    };
    const folder = field('folder');
    const language = field('language');
    const question = field('question');
    const answer = field('answer');
    const visibility = field('visibility');
    const keywords = Array.isArray(row.keywords) && row.keywords.every((k) => typeof k === 'string') ? (row.keywords as string[]) : null;
    if (keywords === null && 'keywords' in row) problems.add(line, `keywords must be a list of texts, not ${describe(row.keywords)}`);
    const published = row.published;
    if (typeof published !== 'boolean' && 'published' in row) problems.add(line, `published must be true or false, not ${describe(published)}`);
    if (problems.count > before) return;
    rows.push({ line, folder, language, question, answer, keywords: keywords ?? [], published: published === true, visibility });
  });
  return rows;
}

const PUBLISHED = new Map([['true', true], ['false', false], ['yes', true], ['no', false], ['1', true], ['0', false]]);

function countLineBreaks(value: string): number {
  return value.match(/\r\n|\r|\n/g)?.length ?? 0;
}

function readCsv(text: string, problems: Problems): RawRow[] {
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    // With `info: true` each record comes with where it ended; csv-parse's typings do not model that option.
    records = parseCsv(text, { bom: true, info: true, skip_empty_lines: true, relax_column_count: true }) as unknown as typeof records;
  } catch (err) {
    if (err instanceof CsvError) problems.add(typeof err.lines === 'number' ? err.lines : null, `not valid CSV (${err.message})`);
    else throw err;
    return [];
  }
  // The line a record starts on: where it ends, minus the line breaks inside its quoted fields.
  const startLine = (r: { record: string[]; info: { lines: number } }) => r.info.lines - r.record.reduce((n, f) => n + countLineBreaks(f), 0);
  const [header, ...body] = records;
  if (header === undefined) {
    problems.add(1, `the file is empty; the first line must name the columns: ${CSV_COLUMNS.join(',')}`);
    return [];
  }
  const names = header.record.map((h) => h.trim().toLowerCase());
  const index = new Map<string, number>();
  names.forEach((name, i) => {
    if (!(CSV_COLUMNS as readonly string[]).includes(name)) problems.add(startLine(header), `unknown column '${name.slice(0, 40)}' (expected ${CSV_COLUMNS.join(',')})`);
    else if (index.has(name)) problems.add(startLine(header), `column '${name}' appears twice`);
    else index.set(name, i);
  });
  for (const column of CSV_COLUMNS) if (!index.has(column)) problems.add(startLine(header), `column '${column}' is missing`);
  if (problems.count > 0) return [];
  const rows: RawRow[] = [];
  for (const r of body) {
    const line = startLine(r);
    if (r.record.length !== names.length) {
      problems.add(line, `${r.record.length} fields where the header has ${names.length}`);
      continue;
    }
    const cell = (column: Column): string => r.record[index.get(column) ?? -1] ?? '';
    const publishedText = cell('published').trim().toLowerCase();
    const published = PUBLISHED.get(publishedText);
    // Reported, and the row still checked: one pass shows everything wrong with it.
    if (published === undefined) problems.add(line, `published '${publishedText.slice(0, 20)}' is not one of ${[...PUBLISHED.keys()].join(', ')}`);
    rows.push({
      line,
      folder: cell('folder'),
      language: cell('language').trim().toLowerCase(),
      question: cell('question'),
      answer: cell('answer'),
      keywords: cell('keywords').split(';'),
      published: published ?? false,
      visibility: cell('visibility').trim(),
    });
  }
  return rows;
}

/** Folder names from a "Parent/Child" path ("" = no folder), or a problem. */
function folderPath(raw: string): string[] | string {
  const trimmed = raw.trim();
  if (trimmed === '') return [];
  const names = trimmed.split('/').map((n) => n.trim());
  for (const name of names) {
    const problem = folderNameProblem(name);
    if (problem !== null) return `folder '${trimmed.slice(0, 60)}': ${problem === 'folder name is empty' ? 'a folder name in the path is empty' : problem}`;
  }
  if (names.length > FAQ_LIMITS.folderDepth) return `folder '${trimmed.slice(0, 60)}' is nested deeper than ${FAQ_LIMITS.folderDepth}`;
  return names;
}

/** Reads and checks a whole file; throws validation_failed (field `rows`) listing the problems by line. */
export function readFaqFile(input: FaqImportInput): CheckedRow[] {
  const problems = new Problems();
  const raw = input.format === 'json' ? readJson(input.text, problems) : readCsv(input.text, problems);
  if (raw.length > FAQ_LIMITS.importRows) problems.add(null, `${raw.length} FAQs; one import takes at most ${FAQ_LIMITS.importRows}`);
  const rows: CheckedRow[] = [];
  for (const row of raw) {
    const path = folderPath(row.folder);
    if (typeof path === 'string') problems.add(row.line, path);
    const checked = checkFaqContent(row);
    for (const p of checked.problems) problems.add(row.line, p.message);
    if (typeof path !== 'string' && checked.content !== null) rows.push({ path, content: checked.content });
  }
  problems.throwIfAny();
  return rows;
}

/** Imports a JSON or CSV file: every row or none. */
export async function importFaqs(ctx: Ctx, actor: KnowledgeBaseActor, input: FaqImportInput): Promise<FaqImportResult> {
  requireKnowledgeBaseAdmin(actor);
  const rows = readFaqFile(input);
  return inTransaction(ctx, async (tx, publish) => {
    await lockFolderTree(ctx, tx);
    const tree = await FolderTree.load(tx);
    let foldersCreated = 0;
    const now = ctx.now();
    const folderFor = async (path: readonly string[]): Promise<string | null> => {
      let parent: string | null = null;
      for (const name of path) {
        let folder = tree.child(parent, name);
        if (folder === undefined) {
          folder = { id: newId(), parent_id: parent, name };
          await tx.insertInto('faq_folders').values({ ...folder, created_at: now }).execute();
          tree.add(folder);
          foldersCreated++;
        }
        parent = folder.id;
      }
      return parent;
    };
    const values: FaqsTable[] = [];
    for (const row of rows) {
      // The same time for all, a millisecond apart in file order: lists sorted by creation keep the file's order.
      const at = now + values.length;
      values.push({ id: newId(), folder_id: await folderFor(row.path), ...contentColumns(row.content), deflections: 0, created_at: at, updated_at: at });
    }
    for (let i = 0; i < values.length; i += INSERT_BATCH) await tx.insertInto('faqs').values(values.slice(i, i + INSERT_BATCH)).execute();
    if (values.length > 0 || foldersCreated > 0) publish(topics.faq(), { kind: 'faqChanged', faqId: null });
    return { created: values.length, foldersCreated };
  });
}

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Every FAQ (or those in one folder and its sub-folders) as export rows, in a stable order. */
export async function exportRows(ctx: Ctx, actor: KnowledgeBaseActor, folderId: string | null): Promise<FaqExportRow[]> {
  requireKnowledgeBaseAdmin(actor);
  const tree = await FolderTree.load(ctx.db);
  let select = ctx.db.selectFrom('faqs').selectAll();
  if (folderId !== null) {
    if (!tree.byId.has(folderId)) throw new AppError('validation_failed', 'folderId', 'no such folder');
    select = select.where('folder_id', 'in', tree.subtree(folderId));
  }
  const rows = await select.execute();
  const out = rows.map(
    (r): FaqExportRow => ({
      folder: r.folder_id === null ? '' : tree.path(r.folder_id),
      language: r.language as FaqExportRow['language'],
      question: r.question,
      answer: r.answer,
      keywords: JSON.parse(r.keywords) as string[],
      published: r.published === 1,
      visibility: r.visibility,
    }),
  );
  // Sorted by content, so exporting what an import of this file stored gives this file again.
  return out.sort((a, b) => byText(a.folder, b.folder) || byText(a.language, b.language) || byText(a.question, b.question) || byText(a.answer, b.answer));
}

export function toJsonFile(rows: FaqExportRow[]): string {
  const file: FaqExportFile = { version: 1, faqs: rows };
  return `${JSON.stringify(file, null, 2)}\n`;
}

/** RFC 4180: CRLF between records, fields quoted when they hold a comma, quote or line break; UTF-8 without BOM. */
export function toCsvFile(rows: FaqExportRow[]): string {
  return stringifyCsv(
    rows.map((r) => [r.folder, r.language, r.question, r.answer, r.keywords.join(';'), r.published ? 'true' : 'false', r.visibility]),
    { header: true, columns: [...CSV_COLUMNS], record_delimiter: 'windows' },
  );
}

export async function exportFaqs(ctx: Ctx, actor: KnowledgeBaseActor, format: 'json' | 'csv', folderId: string | null): Promise<string> {
  const rows = await exportRows(ctx, actor, folderId);
  return format === 'json' ? toJsonFile(rows) : toCsvFile(rows);
}
