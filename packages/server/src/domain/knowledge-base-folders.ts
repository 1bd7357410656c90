import { FAQ_LIMITS, type FaqFolder, type FaqFolderInput } from '@loket/protocol';
import { sql } from 'kysely';
import type { Executor, Tx } from '../db/database.js';
import type { FaqFoldersTable } from '../db/schema.js';
import { topics } from '../realtime/bus.js';
import { inTransaction, type Ctx } from './context.js';
import { AppError } from './errors.js';
import { newId } from './ids.js';
import { requireKnowledgeBaseAdmin, textLength, type KnowledgeBaseActor } from './knowledge-base.js';

/**
 * FAQ folders: a tree at most FAQ_LIMITS.folderDepth deep. Names are unique among siblings (ignoring case) and hold no
 * "/", so a path like "Orders/Returns" names exactly one folder in import and export files.
 */

export type FolderRow = Pick<FaqFoldersTable, 'id' | 'parent_id' | 'name'>;

/**
 * Tree changes read the whole tree and then write: on PostgreSQL two of them at once could each pass the cycle check
 * and together make a loop, so they take turns. SQLite has a single writer already.
 */
export async function lockFolderTree(ctx: Ctx, tx: Tx): Promise<void> {
  if (ctx.dialect === 'postgres') await sql`select pg_advisory_xact_lock(hashtext('loket.faq_folders'))`.execute(tx);
}

/** The whole tree, for the checks below; folders are few (hundreds at most). */
export class FolderTree {
  readonly byId: Map<string, FolderRow>;
  readonly children = new Map<string | null, FolderRow[]>();

  constructor(rows: readonly FolderRow[]) {
    this.byId = new Map(rows.map((r) => [r.id, r]));
    for (const r of rows) {
      const siblings = this.children.get(r.parent_id) ?? [];
      siblings.push(r);
      this.children.set(r.parent_id, siblings);
    }
  }

  static async load(db: Executor): Promise<FolderTree> {
    return new FolderTree(await db.selectFrom('faq_folders').select(['id', 'parent_id', 'name']).execute());
  }

  /** 1 for a root folder. */
  depth(id: string): number {
    let depth = 0;
    for (let at = this.byId.get(id); at !== undefined && depth <= this.byId.size; at = at.parent_id === null ? undefined : this.byId.get(at.parent_id)) depth++;
    return depth;
  }

  /** The folder and all its descendants. */
  subtree(id: string): string[] {
    const out: string[] = [];
    const stack = [id];
    while (stack.length > 0) {
      const at = stack.pop();
      if (at === undefined || out.includes(at)) continue;
      out.push(at);
      for (const child of this.children.get(at) ?? []) stack.push(child.id);
    }
    return out;
  }

  /** Levels below the folder, itself included: 1 for a folder without sub-folders. */
  height(id: string): number {
    const below = (this.children.get(id) ?? []).map((c) => this.height(c.id));
    return 1 + Math.max(0, ...below);
  }

  /** "Parent/Child" from the root down. */
  path(id: string): string {
    const names: string[] = [];
    for (let at = this.byId.get(id); at !== undefined && names.length <= this.byId.size; at = at.parent_id === null ? undefined : this.byId.get(at.parent_id)) names.unshift(at.name);
    return names.join('/');
  }

  /** The child of `parentId` named `name` (case ignored), if any. */
  child(parentId: string | null, name: string): FolderRow | undefined {
    const folded = name.toLocaleLowerCase();
    return (this.children.get(parentId) ?? []).find((c) => c.name.toLocaleLowerCase() === folded);
  }

  add(row: FolderRow): void {
    this.byId.set(row.id, row);
    const siblings = this.children.get(row.parent_id) ?? [];
    siblings.push(row);
    this.children.set(row.parent_id, siblings);
  }
}

/** A folder name's problem, or null: trimmed 1..FAQ_LIMITS.folderName characters, no "/". */
export function folderNameProblem(name: string): string | null {
  if (name === '') return 'folder name is empty';
  if (textLength(name) > FAQ_LIMITS.folderName) return `folder name is longer than ${FAQ_LIMITS.folderName} characters`;
  if (name.includes('/')) return "folder name contains '/'";
  return null;
}

function validName(raw: string): string {
  const name = raw.trim();
  const problem = folderNameProblem(name);
  if (problem !== null) throw new AppError(name === '' ? 'field_required' : 'validation_failed', 'name', problem);
  return name;
}

async function folderCounts(db: Executor): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('faqs')
    .select(['folder_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('folder_id', 'is not', null)
    .groupBy('folder_id')
    .execute();
  return new Map(rows.map((r) => [r.folder_id ?? '', Number(r.n)]));
}

function toFolder(row: FolderRow, counts: Map<string, number>): FaqFolder {
  return { id: row.id, parentId: row.parent_id, name: row.name, faqCount: counts.get(row.id) ?? 0 };
}

export async function listFolders(ctx: Ctx, actor: KnowledgeBaseActor): Promise<FaqFolder[]> {
  requireKnowledgeBaseAdmin(actor);
  const [rows, counts] = await Promise.all([ctx.db.selectFrom('faq_folders').select(['id', 'parent_id', 'name']).orderBy('name').orderBy('id').execute(), folderCounts(ctx.db)]);
  return rows.map((r) => toFolder(r, counts));
}

/** Checks a folder's place in the tree: the parent exists, no sibling has the name, the depth limit holds. */
function checkPlace(tree: FolderTree, name: string, parentId: string | null, movingId: string | null): void {
  if (parentId !== null) {
    if (!tree.byId.has(parentId)) throw new AppError('validation_failed', 'parentId', 'no such folder');
    if (movingId !== null && tree.subtree(movingId).includes(parentId)) throw new AppError('validation_failed', 'parentId', 'a folder cannot move under itself or its sub-folders');
  }
  const sibling = tree.child(parentId, name);
  if (sibling !== undefined && sibling.id !== movingId) throw new AppError('validation_failed', 'name', 'a folder with this name is already there');
  const depth = (parentId === null ? 0 : tree.depth(parentId)) + (movingId === null ? 1 : tree.height(movingId));
  if (depth > FAQ_LIMITS.folderDepth) throw new AppError('validation_failed', 'parentId', `folders nest at most ${FAQ_LIMITS.folderDepth} deep`);
}

export async function createFolder(ctx: Ctx, actor: KnowledgeBaseActor, input: FaqFolderInput): Promise<FaqFolder> {
  requireKnowledgeBaseAdmin(actor);
  const name = validName(input.name);
  return inTransaction(ctx, async (tx, publish) => {
    await lockFolderTree(ctx, tx);
    checkPlace(await FolderTree.load(tx), name, input.parentId, null);
    const row = { id: newId(), parent_id: input.parentId, name };
    await tx.insertInto('faq_folders').values({ ...row, created_at: ctx.now() }).execute();
    publish(topics.faq(), { kind: 'faqChanged', faqId: null });
    return toFolder(row, new Map());
  });
}

/** Renames and/or moves a folder (with everything in it). */
export async function updateFolder(ctx: Ctx, actor: KnowledgeBaseActor, id: string, input: FaqFolderInput): Promise<FaqFolder> {
  requireKnowledgeBaseAdmin(actor);
  const name = validName(input.name);
  return inTransaction(ctx, async (tx, publish) => {
    await lockFolderTree(ctx, tx);
    const tree = await FolderTree.load(tx);
    if (!tree.byId.has(id)) throw new AppError('not_found');
    checkPlace(tree, name, input.parentId, id);
    await tx.updateTable('faq_folders').set({ name, parent_id: input.parentId }).where('id', '=', id).execute();
    publish(topics.faq(), { kind: 'faqChanged', faqId: null });
    return toFolder({ id, parent_id: input.parentId, name }, await folderCounts(tx));
  });
}

/**
 * Deletes a folder and its sub-folders. Their FAQs are kept, in no folder: deleting an FAQ is a separate, deliberate
 * act. Channels that took suggestions from a deleted folder fall back to all folders.
 */
export async function deleteFolder(ctx: Ctx, actor: KnowledgeBaseActor, id: string): Promise<void> {
  requireKnowledgeBaseAdmin(actor);
  await inTransaction(ctx, async (tx, publish) => {
    await lockFolderTree(ctx, tx);
    const tree = await FolderTree.load(tx);
    if (!tree.byId.has(id)) throw new AppError('not_found');
    const ids = tree.subtree(id);
    const now = ctx.now();
    await tx.updateTable('faqs').set({ folder_id: null, updated_at: now }).where('folder_id', 'in', ids).execute();
    await tx.updateTable('channels').set({ faq_folder_id: null }).where('faq_folder_id', 'in', ids).execute();
    // Deepest first, so no row ever points at a parent that is already gone.
    const ordered = [...ids].sort((a, b) => tree.depth(b) - tree.depth(a));
    for (const folderId of ordered) await tx.deleteFrom('faq_folders').where('id', '=', folderId).execute();
    publish(topics.faq(), { kind: 'faqChanged', faqId: null });
  });
}
