import type { Faq, FaqFolder, FaqInput, Language } from '@loket/protocol';

/** Pure helpers of the knowledge base view and the FAQ link picker; the views keep their own state. */

/** A folder with its depth in the tree (a root folder is depth 1), in display order. */
export interface TreeRow {
  folder: FaqFolder;
  depth: number;
}

/**
 * The folders depth-first, siblings by name. A folder whose parent is unknown (e.g. deleted meanwhile) shows as a
 * root rather than disappearing; a parent cycle (never stored, but the list is data from the wire) is cut.
 */
export function folderTree(folders: readonly FaqFolder[]): TreeRow[] {
  const ids = new Set(folders.map((f) => f.id));
  const children = new Map<string | null, FaqFolder[]>();
  for (const f of folders) {
    const parent = f.parentId !== null && ids.has(f.parentId) && f.parentId !== f.id ? f.parentId : null;
    const list = children.get(parent) ?? [];
    list.push(f);
    children.set(parent, list);
  }
  for (const list of children.values()) list.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  const rows: TreeRow[] = [];
  const seen = new Set<string>();
  const walk = (parent: string | null, depth: number) => {
    for (const folder of children.get(parent) ?? []) {
      if (seen.has(folder.id)) continue;
      seen.add(folder.id);
      rows.push({ folder, depth });
      walk(folder.id, depth + 1);
    }
  };
  walk(null, 1);
  // Folders only reachable through a cycle: still listed, as roots.
  for (const folder of folders) {
    if (!seen.has(folder.id)) {
      seen.add(folder.id);
      rows.push({ folder, depth: 1 });
      walk(folder.id, 2);
    }
  }
  return rows;
}

export interface TreeNode {
  folder: FaqFolder;
  depth: number;
  children: TreeNode[];
}

/** folderTree's rows as nested nodes (for a nested list). */
export function nestTree(rows: readonly TreeRow[]): TreeNode[] {
  const roots: TreeNode[] = [];
  // The open path: stack[i] is the latest node at depth i + 1.
  const stack: TreeNode[] = [];
  for (const row of rows) {
    const node: TreeNode = { folder: row.folder, depth: row.depth, children: [] };
    stack.length = Math.min(stack.length, row.depth - 1);
    const parent = stack.at(-1);
    if (parent && row.depth > 1) parent.children.push(node);
    else roots.push(node);
    stack.push(node);
  }
  return roots;
}

/** The folder and everything below it. */
export function subtreeIds(folders: readonly FaqFolder[], id: string): Set<string> {
  const result = new Set<string>([id]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const f of folders) {
      if (f.parentId !== null && result.has(f.parentId) && !result.has(f.id)) {
        result.add(f.id);
        grew = true;
      }
    }
  }
  return result;
}

/** Where a folder may move: anywhere but under itself. */
export function moveTargets(folders: readonly FaqFolder[], id: string): TreeRow[] {
  const excluded = subtreeIds(folders, id);
  return folderTree(folders).filter((row) => !excluded.has(row.folder.id));
}

/** "Parent / Child" for a folder id; null for no folder or an unknown id. */
export function folderPath(folders: readonly FaqFolder[], id: string | null): string | null {
  if (id === null) return null;
  const byId = new Map(folders.map((f) => [f.id, f]));
  const names: string[] = [];
  const seen = new Set<string>();
  let current = byId.get(id);
  while (current && !seen.has(current.id)) {
    seen.add(current.id);
    names.unshift(current.name);
    current = current.parentId === null ? undefined : byId.get(current.parentId);
  }
  return names.length === 0 ? null : names.join(' / ');
}

/** The keywords input: comma-separated; blanks and repeats (ignoring case) are dropped. */
export function parseKeywords(text: string): string[] {
  const seen = new Set<string>();
  const result: string[] = [];
  for (const part of text.split(',')) {
    const keyword = part.trim();
    const key = keyword.toLowerCase();
    if (keyword === '' || seen.has(key)) continue;
    seen.add(key);
    result.push(keyword);
  }
  return result;
}

export function keywordsText(keywords: readonly string[]): string {
  return keywords.join(', ');
}

/**
 * The editor's form: the FAQ's values, or those of a new one (in `language`, in the selected folder). Keywords stay
 * text while editing so a half-typed "a, " is not rewritten under the caret.
 */
export type FaqForm = Omit<FaqInput, 'keywords'> & { keywords: string };

export function faqForm(faq: Faq | null, defaults: { language: Language; folderId: string | null }): FaqForm {
  if (!faq) return { folderId: defaults.folderId, language: defaults.language, question: '', answer: '', keywords: '', published: false, visibility: 'everyone' };
  return {
    folderId: faq.folderId,
    language: faq.language,
    question: faq.question,
    answer: faq.answer,
    keywords: keywordsText(faq.keywords),
    published: faq.published,
    visibility: faq.visibility,
  };
}

export function faqInputOf(form: FaqForm): FaqInput {
  return { ...form, keywords: parseKeywords(form.keywords) };
}

/** Same values as saved (keyword spacing and repeats do not count as a change). */
export function sameFaqForm(a: FaqForm, b: FaqForm): boolean {
  return JSON.stringify(faqInputOf(a)) === JSON.stringify(faqInputOf(b));
}

export type PublishedFilter = 'all' | 'published' | 'draft';

export interface FaqFilters {
  /** null = every folder. */
  folderId: string | null;
  language: Language | null;
  published: PublishedFilter;
  q: string;
}

export const NO_FILTERS: FaqFilters = { folderId: null, language: null, published: 'all', q: '' };

/** The query string of GET /api/admin/faqs. */
export function faqListQuery(filters: FaqFilters): string {
  const params = new URLSearchParams();
  if (filters.folderId !== null) params.set('folderId', filters.folderId);
  if (filters.language !== null) params.set('language', filters.language);
  if (filters.published !== 'all') params.set('published', filters.published === 'published' ? 'true' : 'false');
  if (filters.q.trim() !== '') params.set('q', filters.q.trim());
  const query = params.toString();
  return query === '' ? '' : `?${query}`;
}

/** The editor's field a server error is about: `keywords.3` is the keywords input. */
export function faqFieldOf(field: string | null | undefined): keyof FaqForm | null {
  const first = (field ?? '').split(/[.[\]/]/)[0];
  const fields: ReadonlyArray<keyof FaqForm> = ['folderId', 'language', 'question', 'answer', 'keywords', 'published', 'visibility'];
  return fields.find((f) => f === first) ?? null;
}

/** An import's refusal lists its problems one per line ("line 3: language 'xx' is not one of …"). */
export function importProblemLines(detail: string | null): string[] {
  return (detail ?? '')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

/** Keeps what a list answered for the published filter (a local edit may have changed an FAQ since). */
export function filterPublished(faqs: readonly Faq[], filter: PublishedFilter): Faq[] {
  if (filter === 'all') return [...faqs];
  return faqs.filter((f) => f.published === (filter === 'published'));
}

/** FAQs by question (a search keeps the server's ranking instead). */
export function sortFaqs(faqs: readonly Faq[]): Faq[] {
  return [...faqs].sort((a, b) => a.question.localeCompare(b.question) || a.id.localeCompare(b.id));
}

/** Import format from the chosen file: by extension, else by its type; null = not a file we import. */
export function importFormat(name: string, type = ''): 'json' | 'csv' | null {
  const lower = name.toLowerCase();
  if (lower.endsWith('.json')) return 'json';
  if (lower.endsWith('.csv')) return 'csv';
  if (type === 'application/json') return 'json';
  if (type === 'text/csv') return 'csv';
  return null;
}

/** The text an agent's FAQ link inserts into a message. */
export function faqLinkText(hit: { question: string; url: string }): string {
  return `${hit.question}: ${hit.url}`;
}

/** `text` padded with a space where it would otherwise touch a word of `value` at [start, end). */
export function spacedInsert(value: string, start: number | null, end: number | null, text: string): string {
  const from = Math.min(Math.max(start ?? value.length, 0), value.length);
  const to = Math.min(Math.max(end ?? from, from), value.length);
  const before = from > 0 && !/\s/.test(value.charAt(from - 1)) ? ' ' : '';
  const after = to < value.length && !/\s/.test(value.charAt(to)) ? ' ' : '';
  return before + text + after;
}

/** The next option of a listbox on ArrowUp/ArrowDown/Home/End, wrapping around; -1 when there are none. */
export function moveActive(active: number, count: number, key: string): number {
  if (count === 0) return -1;
  switch (key) {
    case 'ArrowDown':
      return active < 0 || active >= count - 1 ? 0 : active + 1;
    case 'ArrowUp':
      return active <= 0 ? count - 1 : active - 1;
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return Math.min(active, count - 1);
  }
}
