import { createHash } from 'node:crypto';
import { LanguageSchema } from '@loket/protocol';
import type { Db } from '../db/database.js';
import type { FaqsTable } from '../db/schema.js';
import type { Bus, BusMessage } from '../realtime/bus.js';
import { topics } from '../realtime/bus.js';
import type { Hub } from '../realtime/hub.js';
import { createFaqIndex, type FaqDocument, type FaqHit, type FaqIndex, type FaqSearchOptions } from './faq-index.js';

interface Log {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** This node's view of the knowledge base for searching: an in-memory index kept in step with the faqs table. */
export interface FaqSearch {
  search(query: string, options: FaqSearchOptions): FaqHit[];
  /** The folder and all its descendants; an unknown folder gives an empty set (so nothing matches). */
  folderTree(folderId: string): ReadonlySet<string>;
  /** Resolves once every change heard so far is in the index (tests; a caller that must read its own write). */
  settled(): Promise<void>;
  /** Fills the index from the database and follows `faqChanged` from then on. Resolves when the first fill is done. */
  start(hub: Hub, bus: Bus, log?: Log): Promise<void>;
  close(): void;
  readonly size: number;
}

type FaqRow = Pick<FaqsTable, 'id' | 'folder_id' | 'language' | 'question' | 'answer' | 'keywords' | 'published' | 'visibility'>;
const FAQ_COLUMNS = ['id', 'folder_id', 'language', 'question', 'answer', 'keywords', 'published', 'visibility'] as const;

/** What the index holds of a row, in 20 bytes: a reload compares these to find what really changed. */
function fingerprint(row: FaqRow): string {
  const h = createHash('sha1');
  for (const v of [row.folder_id ?? '', row.language, row.question, row.answer, row.keywords, String(row.published), row.visibility]) h.update(v).update('\u0000');
  return h.digest('base64');
}

function toDocument(row: FaqRow): FaqDocument | null {
  const language = LanguageSchema.safeParse(row.language);
  if (!language.success) return null;
  let keywords: string[] = [];
  try {
    const parsed: unknown = JSON.parse(row.keywords);
    if (Array.isArray(parsed)) keywords = parsed.filter((k): k is string => typeof k === 'string');
  } catch {
    // A broken keyword list only loses the keywords, not the FAQ.
  }
  return {
    id: row.id,
    folderId: row.folder_id,
    language: language.data,
    question: row.question,
    answer: row.answer,
    keywords,
    published: row.published === 1,
    visibility: row.visibility === 'everyone' ? 'everyone' : 'logged_in',
  };
}

/** How long to wait before trying again when the database could not be read (an outage): then everything reloads. */
const RETRY_MS = 2_000;
/** Changed FAQs re-read in one query. */
const BATCH = 500;
/**
 * A full reload (after an import, a folder change, a resync) that finds at most this many FAQs changed applies them to
 * the live index in one go: a few milliseconds, and no search sees a half-applied reload. More than that (an import,
 * the first fill) builds a new index in slices that let requests through, and swaps it in when complete.
 */
const IN_PLACE_MAX = 500;
/** FAQs indexed between two yields to the event loop while a new index is built (about 50 ms of work). */
const SLICE = 250;

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * One index per node. Changes are applied by a single worker, strictly one after another: two reads of the same FAQ
 * racing could otherwise leave the older version in the index. A full reload builds a new index off to the side and
 * swaps it in, so a search never sees a half-filled one.
 */
export function createFaqSearch(db: Db): FaqSearch {
  let index: FaqIndex = createFaqIndex();
  /** id → fingerprint of what `index` holds. */
  let prints = new Map<string, string>();
  /** parent id → child ids; the trees handed out are cached until the folders change. */
  let children = new Map<string | null, string[]>();
  let folderIds = new Set<string>();
  let trees = new Map<string, ReadonlySet<string>>();

  let reloadAll = false;
  const dirty = new Set<string>();
  let running: Promise<void> | null = null;
  let retry: NodeJS.Timeout | null = null;
  let closed = false;
  let log: Log | null = null;

  async function loadFolders(): Promise<void> {
    const rows = await db.selectFrom('faq_folders').select(['id', 'parent_id']).execute();
    const next = new Map<string | null, string[]>();
    for (const r of rows) {
      const list = next.get(r.parent_id) ?? [];
      list.push(r.id);
      next.set(r.parent_id, list);
    }
    children = next;
    folderIds = new Set(rows.map((r) => r.id));
    trees = new Map();
  }

  function apply(target: FaqIndex, targetPrints: Map<string, string>, row: FaqRow, print = fingerprint(row)): void {
    targetPrints.set(row.id, print);
    const doc = toDocument(row);
    if (!doc) {
      target.remove(row.id);
      return;
    }
    try {
      target.upsert(doc);
    } catch (err) {
      target.remove(row.id);
      log?.warn({ err, faqId: row.id }, 'FAQ left out of the search index');
    }
  }

  function drop(id: string): void {
    index.remove(id);
    prints.delete(id);
  }

  async function fullReload(): Promise<void> {
    const rows = await db.selectFrom('faqs').select(FAQ_COLUMNS).execute();
    const current = rows.map((row) => ({ row, print: fingerprint(row) }));
    const changed = current.filter(({ row, print }) => prints.get(row.id) !== print);
    const present = new Set(rows.map((r) => r.id));
    const gone = [...prints.keys()].filter((id) => !present.has(id));
    await loadFolders();
    if (changed.length + gone.length <= IN_PLACE_MAX) {
      for (const { row, print } of changed) apply(index, prints, row, print);
      for (const id of gone) drop(id);
      return;
    }
    const fresh = createFaqIndex();
    const freshPrints = new Map<string, string>();
    for (let i = 0; i < current.length; i++) {
      if (i > 0 && i % SLICE === 0) await yieldToEventLoop();
      const { row, print } = current[i]!;
      apply(fresh, freshPrints, row, print);
    }
    index = fresh;
    prints = freshPrints;
  }

  async function reloadSome(ids: string[]): Promise<void> {
    for (let i = 0; i < ids.length; i += BATCH) {
      const batch = ids.slice(i, i + BATCH);
      const rows = await db.selectFrom('faqs').select(FAQ_COLUMNS).where('id', 'in', batch).execute();
      const found = new Set(rows.map((r) => r.id));
      for (const row of rows) apply(index, prints, row);
      for (const id of batch) if (!found.has(id)) drop(id);
    }
    // An FAQ moving to a new folder may come with that folder: folders are few, re-reading them is cheap.
    await loadFolders();
  }

  async function work(): Promise<void> {
    while (!closed && (reloadAll || dirty.size > 0)) {
      try {
        if (reloadAll) {
          reloadAll = false;
          dirty.clear();
          await fullReload();
        } else {
          const ids = [...dirty];
          dirty.clear();
          await reloadSome(ids);
        }
      } catch (err) {
        // Storage is away: what was missed is unknown, so everything is read again once it is back.
        reloadAll = true;
        log?.error({ err }, 'FAQ search index could not be updated; retrying');
        if (!closed && retry === null) {
          retry = setTimeout(() => {
            retry = null;
            kick();
          }, RETRY_MS);
          retry.unref();
        }
        return;
      }
    }
  }

  function kick(): Promise<void> {
    if (running) return running;
    running = work().finally(() => {
      running = null;
      // Something may have arrived between the loop's last check and now.
      if (!closed && retry === null && (reloadAll || dirty.size > 0)) void kick();
    });
    return running;
  }

  function onBus(_topic: string, message: BusMessage): void {
    if (message.kind !== 'faqChanged') return;
    if (message.faqId === null) reloadAll = true;
    else dirty.add(message.faqId);
    void kick();
  }

  function descendants(root: string): ReadonlySet<string> {
    const out = new Set<string>();
    if (!folderIds.has(root)) return out;
    const stack = [root];
    while (stack.length > 0) {
      const id = stack.pop()!;
      if (out.has(id)) continue;
      out.add(id);
      for (const c of children.get(id) ?? []) stack.push(c);
    }
    return out;
  }

  return {
    search: (query, options) => index.search(query, options),
    folderTree(folderId) {
      let tree = trees.get(folderId);
      if (!tree) {
        tree = descendants(folderId);
        trees.set(folderId, tree);
      }
      return tree;
    },
    async settled() {
      while (running) await running;
    },
    async start(hub, bus, logger) {
      log = logger ?? null;
      // Follow first, then fill: a change committed during the fill is applied after it, never lost.
      hub.subscribe(topics.faq(), { onBus });
      bus.onResync(() => {
        reloadAll = true;
        void kick();
      });
      reloadAll = true;
      await kick();
      // A first fill that failed is a node that cannot read its database: better not to start than to suggest nothing.
      if (reloadAll) {
        this.close();
        throw new Error('FAQ search index: could not read the knowledge base');
      }
    },
    close() {
      closed = true;
      if (retry !== null) clearTimeout(retry);
      retry = null;
    },
    get size() {
      return index.size;
    },
  };
}
