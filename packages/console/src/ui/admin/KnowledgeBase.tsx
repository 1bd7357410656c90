import { useEffect, useState } from 'preact/hooks';
import { LANGUAGES, type Faq, type FaqFolder, type FaqImportResult } from '@loket/protocol';
import { LANGUAGE_ENDONYMS } from '../../state/admin.js';
import { NO_FILTERS, faqListQuery, filterPublished, importFormat, importProblemLines, sortFaqs, type FaqFilters, type PublishedFilter } from '../../state/faqs.js';
import type { Route } from '../../state/route.js';
import type { Problem } from '../../state/store.js';
import { useConsole } from '../hooks.js';
import { LoadState, RouteLink, ViewHeading, useLoaded } from './common.js';
import { FaqEditor } from './FaqEditor.js';
import { FaqFolders } from './FaqFolders.js';

type FaqsRoute = Extract<Route, { view: 'faqs' }>;

/** Typing in the search box waits this long before the list is asked for again. */
const SEARCH_DEBOUNCE_MS = 250;

const PUBLISHED_FILTERS: readonly PublishedFilter[] = ['all', 'published', 'draft'];

/** The knowledge base (administrators): folder tree, the FAQs of the selected folder, one FAQ's editor, import/export. */
export function KnowledgeBaseView({ route }: { route: FaqsRoute }) {
  const [snap, store] = useConsole();
  const { t } = snap;
  const [filters, setFilters] = useState<FaqFilters>(NO_FILTERS);
  const [qInput, setQInput] = useState('');
  const [round, setRound] = useState(0);
  const [flash, setFlash] = useState<string | null>(null);
  const [createdId, setCreatedId] = useState<string | null>(null);
  const query = faqListQuery(filters);
  const list = useLoaded(() => store.http.faqs(query), `${query}#${round}`);
  const reload = () => setRound((r) => r + 1);
  const importing = useFaqImport(reload);

  useEffect(() => {
    const timer = setTimeout(() => setFilters((f) => (f.q === qInput ? f : { ...f, q: qInput })), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [qInput]);
  useEffect(() => {
    if (route.faqId !== null || route.creating) setFlash(null);
  }, [route.faqId, route.creating]);

  const folders: FaqFolder[] = list.data?.folders ?? [];
  // A search keeps the engine's ranking; otherwise alphabetical.
  const ranked = list.data ? (filters.q.trim() === '' ? sortFaqs(list.data.faqs) : list.data.faqs) : [];
  const faqs = filterPublished(ranked, filters.published);
  const selectedFolder = filters.folderId;

  const upsert = (faq: Faq) => {
    list.update((data) => ({ ...data, faqs: [...data.faqs.filter((f) => f.id !== faq.id), faq] }));
    // Folder counts changed: the server's list is the truth.
    reload();
  };

  return (
    <main class="admin" aria-labelledby="admin-heading">
      <div class="admin-head">
        <ViewHeading id="admin-heading">{t('faqs.heading')}</ViewHeading>
        <div class="admin-tools">
          <FaqImportButton busy={importing.state.busy} onFile={(file) => void importing.run(file)} />
          <span class="kb-export">
            {t('faqs.export')}{' '}
            <a class="button small" data-testid="faq-export-json" href={store.http.faqExportUrl('json')} download>
              JSON
            </a>{' '}
            <a class="button small" data-testid="faq-export-csv" href={store.http.faqExportUrl('csv')} download>
              CSV
            </a>
          </span>
          <RouteLink class="button primary small" data-testid="faq-new" route={{ view: 'faqs', faqId: null, creating: true }} aria-current={route.creating ? 'page' : undefined}>
            {t('faqs.new')}
          </RouteLink>
        </div>
      </div>
      <FaqImportOutcome state={importing.state} />
      <div class="admin-body kb-layout">
        <FaqFolders
          folders={folders}
          selectedId={selectedFolder}
          onSelect={(folderId) => setFilters((f) => ({ ...f, folderId }))}
          onChanged={(selectId) => {
            if (selectId !== undefined) setFilters((f) => ({ ...f, folderId: selectId }));
            reload();
          }}
        />
        <section class="admin-list kb-list" aria-labelledby="faqs-list-heading">
          <h2 id="faqs-list-heading" class="kb-list-heading">
            {t('faqs.list')}
          </h2>
          <div class="kb-filters">
            <div class="field">
              <label for="faq-search">{t('faqs.search')}</label>
              <input id="faq-search" type="search" data-testid="faq-search" value={qInput} onInput={(e) => setQInput(e.currentTarget.value)} />
            </div>
            <div class="field">
              <label for="faq-filter-language">{t('faqs.filterLanguage')}</label>
              <select
                id="faq-filter-language"
                data-testid="faq-filter-language"
                value={filters.language ?? ''}
                onChange={(e) => {
                  const value = e.currentTarget.value;
                  setFilters((f) => ({ ...f, language: LANGUAGES.find((l) => l === value) ?? null }));
                }}
              >
                <option value="">{t('faqs.allLanguages')}</option>
                {LANGUAGES.map((l) => (
                  <option key={l} value={l} lang={l}>
                    {LANGUAGE_ENDONYMS[l]}
                  </option>
                ))}
              </select>
            </div>
            <div class="field">
              <label for="faq-filter-published">{t('faqs.filterPublished')}</label>
              <select
                id="faq-filter-published"
                data-testid="faq-filter-published"
                value={filters.published}
                onChange={(e) => {
                  const value = e.currentTarget.value;
                  setFilters((f) => ({ ...f, published: PUBLISHED_FILTERS.find((p) => p === value) ?? 'all' }));
                }}
              >
                {PUBLISHED_FILTERS.map((p) => (
                  <option key={p} value={p}>
                    {t(`faqs.filter.${p}`)}
                  </option>
                ))}
              </select>
            </div>
          </div>
          <LoadState loaded={list} />
          <p class="hint" role="status" data-testid="faq-count">
            {list.data ? t('faqs.count', { count: faqs.length }) : ''}
          </p>
          <ul class="items">
            {faqs.map((faq) => (
              <li key={faq.id}>
                <RouteLink
                  class="item"
                  data-testid="faq-item"
                  data-faq-id={faq.id}
                  route={{ view: 'faqs', faqId: faq.id, creating: false }}
                  aria-current={route.faqId === faq.id ? 'page' : undefined}
                >
                  <span class="item-line">
                    <strong class="name" lang={faq.language}>
                      {faq.question}
                    </strong>
                    {!faq.published && <span class="badge">{t('faqs.draft')}</span>}
                  </span>
                  <span class="channel">
                    <span lang={faq.language}>{LANGUAGE_ENDONYMS[faq.language]}</span>
                    {faq.visibility === 'logged_in' && <> · {t('faqs.visibility.logged_in')}</>}
                  </span>
                </RouteLink>
              </li>
            ))}
          </ul>
        </section>
        <section class="admin-detail" aria-labelledby="faq-editor-heading">
          <p class="ok" role="status" data-testid="faq-flash">
            {flash && !route.creating && route.faqId === null ? flash : ''}
          </p>
          {route.creating ? (
            list.data && (
              <FaqEditor
                key="new"
                faq={null}
                folders={folders}
                defaultFolderId={selectedFolder}
                onSaved={(saved) => {
                  upsert(saved);
                  setCreatedId(saved.id);
                  store.route.navigate({ view: 'faqs', faqId: saved.id, creating: false }, true);
                }}
                onDeleted={() => undefined}
              />
            )
          ) : route.faqId !== null ? (
            <FaqDetail
              key={route.faqId}
              id={route.faqId}
              folders={folders}
              justCreated={createdId === route.faqId}
              onSaved={upsert}
              onDeleted={(id) => {
                list.update((data) => ({ ...data, faqs: data.faqs.filter((f) => f.id !== id) }));
                reload();
                setFlash(t('faqs.deleted'));
                store.route.navigate({ view: 'faqs', faqId: null, creating: false }, true);
                document.getElementById('admin-heading')?.focus();
              }}
            />
          ) : (
            <>
              <h2 id="faq-editor-heading" class="visually-hidden">
                {t('faqs.editHeading')}
              </h2>
              {list.data && <p class="placeholder">{t('faqs.none')}</p>}
            </>
          )}
        </section>
      </div>
    </main>
  );
}

/** One FAQ by id (a deep link may name one the current filters hide). */
function FaqDetail(props: { id: string; folders: readonly FaqFolder[]; justCreated: boolean; onSaved(faq: Faq): void; onDeleted(id: string): void }) {
  const [snap, store] = useConsole();
  const faq = useLoaded(() => store.http.faq(props.id), props.id);
  if (!faq.data) {
    return (
      <>
        <h2 id="faq-editor-heading" class="visually-hidden">
          {snap.t('faqs.editHeading')}
        </h2>
        {faq.problem?.code === 'not_found' ? <p class="placeholder">{snap.t('faqs.notFound')}</p> : <LoadState loaded={faq} />}
      </>
    );
  }
  return <FaqEditor faq={faq.data} folders={props.folders} defaultFolderId={faq.data.folderId} justCreated={props.justCreated} onSaved={props.onSaved} onDeleted={props.onDeleted} />;
}

interface ImportState {
  busy: boolean;
  result: FaqImportResult | null;
  problem: Problem | null;
}

/** Import: a .json or .csv file's text goes to the server, which stores all rows or none. */
function useFaqImport(onImported: () => void) {
  const [snap, store] = useConsole();
  const [state, setState] = useState<ImportState>({ busy: false, result: null, problem: null });
  const run = async (file: File) => {
    setState({ busy: true, result: null, problem: null });
    const format = importFormat(file.name, file.type);
    if (format === null) {
      setState({ busy: false, result: null, problem: { code: 'validation_failed', message: snap.t('faqs.importType'), field: 'file', detail: null, network: false } });
      return;
    }
    try {
      const result = await store.http.importFaqs({ format, text: await file.text() });
      setState({ busy: false, result, problem: null });
      onImported();
    } catch (err) {
      setState({ busy: false, result: null, problem: store.session.problem(err) });
    }
  };
  return { state, run };
}

function FaqImportButton({ busy, onFile }: { busy: boolean; onFile(file: File): void }) {
  const [snap] = useConsole();
  const { t } = snap;
  return (
    <label class="button small kb-import">
      {busy ? t('faqs.importing') : t('faqs.import')}
      <input
        class="visually-hidden"
        type="file"
        accept=".json,.csv,application/json,text/csv"
        data-testid="faq-import"
        disabled={busy}
        aria-describedby="faq-import-result"
        onChange={(e) => {
          const input = e.currentTarget;
          const file = input.files?.[0];
          // The same file again (after fixing it) must fire a change.
          input.value = '';
          if (file) onFile(file);
        }}
      />
    </label>
  );
}

function FaqImportOutcome({ state }: { state: ImportState }) {
  const [snap, store] = useConsole();
  const { t } = snap;
  const { result, problem } = state;
  const lines = importProblemLines(problem?.detail ?? null);
  return (
    <div id="faq-import-result" class="kb-import-result" role="status">
      {result && (
        <p class="ok" data-testid="faq-import-ok">
          {t('faqs.imported', { created: result.created, folders: result.foldersCreated })}
        </p>
      )}
      {problem && (
        <div class="error" data-testid="faq-import-error">
          <p>{problem.field === 'file' ? problem.message : problem.field === 'rows' ? t('faqs.importFailed') : store.session.problemText(problem)}</p>
          {lines.length > 0 && (
            <ul class="kb-import-problems">
              {lines.map((line, i) => (
                <li key={i} data-testid="faq-import-problem">
                  {line}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
