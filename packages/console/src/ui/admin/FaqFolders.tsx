import { useEffect, useRef, useState } from 'preact/hooks';
import type { FaqFolder, FaqFolderInput } from '@loket/protocol';
import { fieldOf } from '../../state/admin.js';
import { folderTree, moveTargets, nestTree, type TreeNode } from '../../state/faqs.js';
import { useConsole } from '../hooks.js';
import { ConfirmDialog, FieldError, FormField } from './common.js';
import { describedBy, focusLater, invalid, useConfirm, useFormAction } from './form.js';

/**
 * The folder tree of the knowledge base: "All FAQs" and the nested folders as buttons (a selected folder filters the
 * list), and the selected folder's actions. Every change asks the owner to reload: the server's list is the truth.
 */
export function FaqFolders({
  folders,
  selectedId,
  onSelect,
  onChanged,
}: {
  folders: readonly FaqFolder[];
  selectedId: string | null;
  onSelect(id: string | null): void;
  onChanged(selectId?: string | null): void;
}) {
  const [snap] = useConsole();
  const { t } = snap;
  const selected = selectedId === null ? null : (folders.find((f) => f.id === selectedId) ?? null);
  const tree = nestTree(folderTree(folders));

  const renderNodes = (nodes: TreeNode[]) => (
    <ul class="kb-tree-level">
      {nodes.map((node) => (
        <li key={node.folder.id}>
          <button
            type="button"
            class="kb-folder"
            data-testid="faq-folder"
            data-folder-id={node.folder.id}
            data-folder-name={node.folder.name}
            aria-pressed={selectedId === node.folder.id ? 'true' : 'false'}
            onClick={() => onSelect(node.folder.id)}
          >
            <span class="name">{node.folder.name}</span>
            <span class="count">
              <span class="visually-hidden">, </span>
              {t('faqs.folderCount', { count: node.folder.faqCount })}
            </span>
          </button>
          {node.children.length > 0 && renderNodes(node.children)}
        </li>
      ))}
    </ul>
  );

  return (
    <section class="kb-folders" aria-labelledby="faq-folders-heading">
      <h2 id="faq-folders-heading" tabIndex={-1}>
        {t('faqs.folders')}
      </h2>
      <nav aria-labelledby="faq-folders-heading" class="kb-tree">
        <ul class="kb-tree-level">
          <li>
            <button type="button" class="kb-folder" data-testid="faq-folder-all" aria-pressed={selectedId === null ? 'true' : 'false'} onClick={() => onSelect(null)}>
              <span class="name">{t('faqs.allFolders')}</span>
            </button>
            {tree.length > 0 && renderNodes(tree)}
          </li>
        </ul>
      </nav>
      <NewFolder parent={selected} onCreated={(folder) => onChanged(folder.id)} />
      {selected && <FolderActions key={selected.id} folder={selected} folders={folders} onChanged={onChanged} />}
    </section>
  );
}

function NewFolder({ parent, onCreated }: { parent: FaqFolder | null; onCreated(folder: FaqFolder): void }) {
  const [snap, store] = useConsole();
  const { t } = snap;
  const [name, setName] = useState('');
  const { busy, problem, setProblem, submit } = useFormAction();
  const input = useRef<HTMLInputElement>(null);

  const create = (e: Event) =>
    submit(
      e,
      async () => {
        const folder = await store.http.createFaqFolder({ name, parentId: parent?.id ?? null });
        setName('');
        onCreated(folder);
      },
      () => input.current?.focus(),
    );

  return (
    <form class="kb-folder-form" onSubmit={create} noValidate>
      <label for="faq-folder-new">{parent ? t('faqs.newSubfolder', { parent: parent.name }) : t('faqs.newFolder')}</label>
      <div class="kb-inline">
        <input
          id="faq-folder-new"
          ref={input}
          type="text"
          data-testid="faq-folder-new-name"
          value={name}
          aria-invalid={invalid(problem)}
          aria-describedby={describedBy('faq-folder-new', problem)}
          onInput={(e) => {
            setName(e.currentTarget.value);
            setProblem(null);
          }}
        />
        <button type="submit" class="small" data-testid="faq-folder-create" disabled={busy}>
          {t('faqs.createFolder')}
        </button>
      </div>
      <FieldError id="faq-folder-new-error" field="name" testId="faq-folder-error" problem={problem} />
    </form>
  );
}

function FolderActions({ folder, folders, onChanged }: { folder: FaqFolder; folders: readonly FaqFolder[]; onChanged(selectId?: string | null): void }) {
  const [snap, store] = useConsole();
  const { t } = snap;
  const [form, setForm] = useState<FaqFolderInput>({ name: folder.name, parentId: folder.parentId });
  const { busy, problem, run, submit } = useFormAction();
  const [justSaved, setJustSaved] = useState(false);
  const nameRef = useRef<HTMLInputElement>(null);
  const parentRef = useRef<HTMLSelectElement>(null);
  const deleteButton = useRef<HTMLButtonElement>(null);
  const { confirming, setConfirming, onClose: closeConfirm } = useConfirm(deleteButton);
  useEffect(() => setForm({ name: folder.name, parentId: folder.parentId }), [folder.name, folder.parentId]);

  const field = fieldOf(problem?.field);
  const nameProblem = problem && field !== 'parentId' ? problem : null;
  const parentProblem = problem && field === 'parentId' ? problem : null;

  const save = (e: Event) =>
    submit(
      e,
      async () => {
        setJustSaved(false);
        await store.http.updateFaqFolder(folder.id, form);
        setJustSaved(true);
        onChanged(folder.id);
      },
      (p) => (fieldOf(p.field) === 'parentId' ? parentRef : nameRef).current?.focus(),
    );

  const remove = async () => {
    setConfirming(false);
    await run(
      async () => {
        await store.http.deleteFaqFolder(folder.id);
        onChanged(null);
        document.getElementById('faq-folders-heading')?.focus();
      },
      () => focusLater(deleteButton),
    );
  };

  return (
    <form class="kb-folder-form" onSubmit={save} noValidate aria-labelledby="faq-folder-edit-heading">
      <h3 id="faq-folder-edit-heading">{t('faqs.folderHeading', { name: folder.name })}</h3>
      <FormField id="faq-folder-name" label={t('faqs.folderName')} field="name" errorTestId="faq-folder-error" problem={nameProblem}>
        <input
          id="faq-folder-name"
          ref={nameRef}
          type="text"
          data-testid="faq-folder-name"
          value={form.name}
          aria-invalid={invalid(nameProblem)}
          aria-describedby={describedBy('faq-folder-name', nameProblem)}
          onInput={(e) => {
            const name = e.currentTarget.value;
            setForm((f) => ({ ...f, name }));
            setJustSaved(false);
          }}
        />
      </FormField>
      <FormField id="faq-folder-parent" label={t('faqs.folderParent')} field="parentId" errorTestId="faq-folder-error" problem={parentProblem}>
        <select
          id="faq-folder-parent"
          ref={parentRef}
          data-testid="faq-folder-parent"
          value={form.parentId ?? ''}
          aria-invalid={invalid(parentProblem)}
          aria-describedby={describedBy('faq-folder-parent', parentProblem)}
          onChange={(e) => {
            const value = e.currentTarget.value;
            setForm((f) => ({ ...f, parentId: value === '' ? null : value }));
            setJustSaved(false);
          }}
        >
          <option value="">{t('faqs.topLevel')}</option>
          {moveTargets(folders, folder.id).map((row) => (
            <option key={row.folder.id} value={row.folder.id}>
              {indent(row.depth)}
              {row.folder.name}
            </option>
          ))}
        </select>
      </FormField>
      <div class="form-actions">
        <button type="submit" class="small" data-testid="faq-folder-save" disabled={busy}>
          {busy ? t('admin.saving') : t('faqs.folderSave')}
        </button>
        <button type="button" class="danger-outline small" ref={deleteButton} data-testid="faq-folder-delete" disabled={busy} onClick={() => setConfirming(true)}>
          {t('faqs.folderDelete')}
        </button>
        <span class="ok" role="status">
          {justSaved ? t('admin.saved') : ''}
        </span>
      </div>
      <ConfirmDialog
        open={confirming}
        id="faq-folder-delete-dialog"
        title={t('faqs.folderDeleteTitle')}
        text={t('faqs.folderDeleteText', { name: folder.name })}
        confirm={t('faqs.folderDeleteConfirm')}
        confirmTestId="faq-folder-delete-confirm"
        onConfirm={() => void remove()}
        onClose={closeConfirm}
      />
    </form>
  );
}

/** Options cannot nest: depth shows as leading non-breaking spaces. */
export function indent(depth: number): string {
  return '\u00a0\u00a0\u00a0'.repeat(Math.max(0, depth - 1));
}
