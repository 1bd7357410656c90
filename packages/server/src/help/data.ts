import type { Language } from '@loket/protocol';
import type { Db } from '../db/database.js';
import type { FaqFoldersTable } from '../db/schema.js';

type FolderRow = Pick<FaqFoldersTable, 'id' | 'parent_id' | 'name'>;

/** What the public may see: published, visible to everyone, and in one language when the visitor filtered on it. */
export function publicFaqs(db: Db, language: Language | null) {
  let q = db
    .selectFrom('faqs')
    .select(['id', 'folder_id', 'language', 'question', 'answer'])
    .where('published', '=', 1)
    .where('visibility', '=', 'everyone');
  if (language) q = q.where('language', '=', language);
  return q;
}

export interface PublicFolders {
  rows: FolderRow[];
  byId: Map<string, FolderRow>;
  /** The folder or one of its descendants holds a public FAQ (in the filtered language). */
  hasContent(id: string): boolean;
}

export async function loadPublicFolders(db: Db, language: Language | null): Promise<PublicFolders> {
  const rows = await db.selectFrom('faq_folders').select(['id', 'parent_id', 'name']).execute();
  let counts = db
    .selectFrom('faqs')
    .select(['folder_id', (eb) => eb.fn.countAll<string | number>().as('n')])
    .where('published', '=', 1)
    .where('visibility', '=', 'everyone')
    .where('folder_id', 'is not', null)
    .groupBy('folder_id');
  if (language) counts = counts.where('language', '=', language);
  const direct = new Set((await counts.execute()).filter((r) => Number(r.n) > 0).map((r) => r.folder_id));
  const byId = new Map(rows.map((r) => [r.id, r]));
  const children = new Map<string, string[]>();
  for (const r of rows) if (r.parent_id !== null) children.set(r.parent_id, [...(children.get(r.parent_id) ?? []), r.id]);
  const memo = new Map<string, boolean>();
  const hasContent = (id: string): boolean => {
    const known = memo.get(id);
    if (known !== undefined) return known;
    memo.set(id, false); // a cycle (never written, but cheap to survive) counts as empty
    const result = direct.has(id) || (children.get(id) ?? []).some(hasContent);
    memo.set(id, result);
    return result;
  };
  return { rows, byId, hasContent };
}
