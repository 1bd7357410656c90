import { useRef, useState } from 'preact/hooks';
import { FIELD_MODES, type AdminChannel, type ChannelPrechatInput, type FaqFolderSummary, type FieldMode, type PrechatField } from '@loket/protocol';
import { customFieldError, fieldKeyFromLabel, fieldOf, moveField, optionLines, parseOptionLines, samePrechat, uniqueFieldKey } from '../../state/admin.js';
import type { Problem } from '../../state/store.js';
import { useConsole } from '../hooks.js';
import { CheckField, FieldError, FormField, useLoaded } from './common.js';
import { describedBy, invalid, useFormAction } from './form.js';

type Settings = Omit<ChannelPrechatInput, 'fields'>;
/** A custom field being edited: the key follows the label until edited; options keep the text as typed. */
interface Row {
  uid: number;
  field: PrechatField;
  keyEdited: boolean;
  optionsText: string;
}
type Builtin = 'name' | 'email' | 'phone' | 'company';
const BUILTINS: readonly Builtin[] = ['name', 'email', 'phone', 'company'];
const TOP_FIELDS = ['enabled', 'message', ...BUILTINS, 'fields', 'faqSuggestions', 'faqFolderId'] as const;
type TopField = (typeof TOP_FIELDS)[number];
type RowPart = 'label' | 'key' | 'type' | 'required' | 'options';
const ROW_PARTS: readonly RowPart[] = ['label', 'key', 'type', 'required', 'options'];

const ADD_LABEL = { text: 'prechat.addText', choice: 'prechat.addChoice', checkbox: 'prechat.addCheckbox' } as const;

let nextUid = 1;
function toRows(fields: readonly PrechatField[]): Row[] {
  return fields.map((field) => ({ uid: nextUid++, field, keyEdited: true, optionsText: optionLines(field.options) }));
}
function split(p: ChannelPrechatInput): { settings: Settings; rows: Row[] } {
  const { fields, ...settings } = p;
  return { settings, rows: toRows(fields) };
}

/** Folders in tree order with their depth, so the select can indent sub-folders. */
function folderTree(folders: readonly FaqFolderSummary[]): Array<{ folder: FaqFolderSummary; depth: number }> {
  const out: Array<{ folder: FaqFolderSummary; depth: number }> = [];
  const known = new Set(folders.map((f) => f.id));
  const walk = (parent: string | null, depth: number) => {
    for (const f of folders) {
      const p = f.parentId !== null && known.has(f.parentId) ? f.parentId : null;
      if (p === parent && depth < 10) {
        out.push({ folder: f, depth });
        walk(f.id, depth + 1);
      }
    }
  };
  walk(null, 0);
  return out;
}

/** The pre-chat form (SPEC "Chat channels"): on/off, message, built-in field modes, own fields, FAQ suggestions. */
export function PrechatSection({ channel, onSaved, onDraft }: { channel: AdminChannel; onSaved(c: AdminChannel): void; onDraft?: (patch: Partial<AdminChannel>) => void }) {
  const [snap, store] = useConsole();
  const { t } = snap;
  const folders = useLoaded(() => store.http.faqFolders(), 'faq-folders');
  const [saved, setSaved] = useState<ChannelPrechatInput>(channel.prechat);
  const [settings, setSettings] = useState<Settings>(() => split(channel.prechat).settings);
  const [rows, setRows] = useState<Row[]>(() => split(channel.prechat).rows);
  const { busy, problem, setProblem, submit } = useFormAction();
  const [justSaved, setJustSaved] = useState(false);
  const topRefs = useRef<Partial<Record<TopField, HTMLElement | null>>>({});
  const rowRefs = useRef<Record<string, HTMLElement | null>>({});

  const topRef = (f: TopField) => (el: HTMLElement | null) => {
    topRefs.current[f] = el;
  };
  const input: ChannelPrechatInput = { ...settings, fields: rows.map((r) => r.field) };
  const latest = useRef(input);
  latest.current = input;
  const rowProblem = customFieldError(problem?.field);
  const topField = (): TopField | null => {
    if (rowProblem) return null;
    const f = problem?.field === 'fields' ? 'fields' : fieldOf(problem?.field);
    return TOP_FIELDS.find((x) => x === f) ?? null;
  };
  const errorFor = (f: TopField): Problem | null => (topField() === f ? problem : null);
  const rowErrorFor = (index: number, part: RowPart): Problem | null =>
    rowProblem && rowProblem.index === index && (rowProblem.part === part || (part === 'label' && !ROW_PARTS.includes(rowProblem.part as RowPart))) ? problem : null;
  const general = problem && topField() === null && (rowProblem === null || rowProblem.index >= rows.length) ? problem : null;

  const publish = (s: Settings, r: Row[]) => onDraft?.({ prechat: { ...s, fields: r.map((x) => x.field) } });
  const change = (patch: Partial<Settings>) => {
    const next = { ...settings, ...patch };
    setSettings(next);
    setJustSaved(false);
    const f = topField();
    if (f && f in patch) setProblem(null);
    publish(next, rows);
  };
  const editRows = (next: Row[], clearsProblem: boolean) => {
    setRows(next);
    setJustSaved(false);
    if (clearsProblem && (rowProblem || topField() === 'fields')) setProblem(null);
    publish(settings, next);
  };
  const editRow = (index: number, patch: (row: Row) => Row, part: RowPart) => {
    const next = rows.map((r, i) => (i === index ? patch(r) : r));
    setRows(next);
    setJustSaved(false);
    if (rowProblem && rowProblem.index === index && rowProblem.part === part) setProblem(null);
    publish(settings, next);
  };
  const addField = (type: PrechatField['type']) => {
    const key = uniqueFieldKey('field', input.fields);
    const field: PrechatField = type === 'choice' ? { key, label: '', type, required: false, options: [] } : { key, label: '', type, required: false };
    editRows([...rows, { uid: nextUid++, field, keyEdited: false, optionsText: '' }], false);
    // The new row's label is what to fill in next.
    setTimeout(() => rowRefs.current[`${rows.length}.label`]?.focus(), 0);
  };

  const save = (e: Event) =>
    submit(
      e,
      async () => {
        setJustSaved(false);
        const result = await store.http.savePrechat(channel.id, input);
        setSaved(result.prechat);
        // Take the server's (trimmed) version unless the admin kept typing while it saved.
        if (samePrechat(latest.current, input)) {
          const fresh = split(result.prechat);
          setSettings(fresh.settings);
          setRows(fresh.rows);
        }
        setJustSaved(true);
        onSaved(result);
      },
      (p) => {
        const row = customFieldError(p.field);
        if (row) {
          const part = ROW_PARTS.includes(row.part as RowPart) ? row.part : 'label';
          (rowRefs.current[`${row.index}.${part}`] ?? rowRefs.current[`${row.index}.label`])?.focus();
        } else {
          const f = p.field === 'fields' ? 'fields' : TOP_FIELDS.find((x) => x === fieldOf(p.field));
          if (f) topRefs.current[f]?.focus();
        }
      },
    );

  const dirty = !samePrechat(input, saved);
  const tree = folderTree(folders.data ?? []);
  const chosen = settings.faqFolderId;
  const unknownFolder = chosen !== null && !tree.some((x) => x.folder.id === chosen);
  const modeLabel = (m: FieldMode) => t(`prechat.mode.${m}`);

  return (
    <section class="settings-section" aria-labelledby="prechat-heading" data-testid="prechat-section">
      <h3 id="prechat-heading">{t('prechat.heading')}</h3>
      <p class="hint">{t('prechat.intro')}</p>
      <form class="admin-form" onSubmit={save} noValidate aria-labelledby="prechat-heading">
        <CheckField id="prechat-enabled" label={t('prechat.enabled')} field="enabled" errorTestId="prechat-error" problem={errorFor('enabled')}>
          <input
            id="prechat-enabled"
            ref={topRef('enabled')}
            type="checkbox"
            data-testid="prechat-enabled"
            checked={settings.enabled}
            aria-invalid={invalid(errorFor('enabled'))}
            aria-describedby={describedBy('prechat-enabled', errorFor('enabled'))}
            onChange={(e) => change({ enabled: e.currentTarget.checked })}
          />
        </CheckField>
        <FormField id="prechat-message" label={t('prechat.message')} hint={t('prechat.messageHint')} field="message" errorTestId="prechat-error" problem={errorFor('message')}>
          <textarea
            id="prechat-message"
            ref={topRef('message')}
            data-testid="prechat-message"
            rows={3}
            value={settings.message}
            aria-invalid={invalid(errorFor('message'))}
            aria-describedby={describedBy('prechat-message', errorFor('message'), 'prechat-message-hint')}
            onInput={(e) => change({ message: e.currentTarget.value })}
          />
        </FormField>
        <fieldset class="form-group">
          <legend>{t('prechat.builtins')}</legend>
          {BUILTINS.map((b) => (
            <div class="field" key={b}>
              <label for={`prechat-${b}`}>{t(`prechat.${b}`)}</label>
              <select
                id={`prechat-${b}`}
                ref={topRef(b)}
                data-testid={`prechat-${b}`}
                value={settings[b]}
                aria-invalid={invalid(errorFor(b))}
                aria-describedby={describedBy(`prechat-${b}`, errorFor(b), b === 'email' ? 'prechat-email-hint' : undefined)}
                onChange={(e) => change({ [b]: e.currentTarget.value as FieldMode })}
              >
                {FIELD_MODES.map((m) => (
                  <option key={m} value={m}>
                    {modeLabel(m)}
                  </option>
                ))}
              </select>
              {b === 'email' && (
                <p id="prechat-email-hint" class="hint">
                  {t('prechat.emailHint')}
                </p>
              )}
              <FieldError id={`prechat-${b}-error`} field={b} testId="prechat-error" problem={errorFor(b)} />
            </div>
          ))}
        </fieldset>
        <fieldset
          class="form-group"
          ref={topRef('fields')}
          tabIndex={-1}
          aria-describedby={describedBy('prechat-fields', errorFor('fields'))}
          data-testid="prechat-fields"
        >
          <legend>{t('prechat.custom')}</legend>
          {rows.length === 0 && <p class="hint">{t('prechat.customNone')}</p>}
          {rows.map((row, i) => (
            <CustomFieldRow
              key={row.uid}
              row={row}
              index={i}
              count={rows.length}
              errorFor={(part) => rowErrorFor(i, part)}
              refFor={(part) => (el) => {
                rowRefs.current[`${i}.${part}`] = el;
              }}
              onChange={(patch, part) => editRow(i, patch, part)}
              onLabel={(label) =>
                editRow(i, (r) => ({ ...r, field: { ...r.field, label, key: r.keyEdited ? r.field.key : uniqueFieldKey(fieldKeyFromLabel(label), input.fields, i) } }), 'label')
              }
              onMove={(by) => editRows(moveField(rows, i, by), true)}
              onRemove={() => editRows(rows.filter((_, j) => j !== i), true)}
            />
          ))}
          <FieldError id="prechat-fields-error" field="fields" testId="prechat-error" problem={errorFor('fields')} />
          <div class="form-actions">
            {(['text', 'choice', 'checkbox'] as const).map((type) => (
              <button key={type} type="button" class="small" data-testid={`prechat-add-${type}`} onClick={() => addField(type)}>
                {t(ADD_LABEL[type])}
              </button>
            ))}
          </div>
        </fieldset>
        <fieldset class="form-group">
          <legend>{t('prechat.faq')}</legend>
          <CheckField id="prechat-faq" label={t('prechat.faqEnabled')} field="faqSuggestions" errorTestId="prechat-error" problem={errorFor('faqSuggestions')}>
            <input
              id="prechat-faq"
              ref={topRef('faqSuggestions')}
              type="checkbox"
              data-testid="prechat-faq"
              checked={settings.faqSuggestions}
              aria-invalid={invalid(errorFor('faqSuggestions'))}
              aria-describedby={describedBy('prechat-faq', errorFor('faqSuggestions'))}
              onChange={(e) => change({ faqSuggestions: e.currentTarget.checked })}
            />
          </CheckField>
          <FormField id="prechat-faq-folder" label={t('prechat.faqFolder')} field="faqFolderId" errorTestId="prechat-error" problem={errorFor('faqFolderId')}>
            <select
              id="prechat-faq-folder"
              ref={topRef('faqFolderId')}
              data-testid="prechat-faq-folder"
              value={chosen ?? ''}
              aria-invalid={invalid(errorFor('faqFolderId'))}
              aria-describedby={describedBy('prechat-faq-folder', errorFor('faqFolderId'), folders.data?.length === 0 || folders.problem ? 'prechat-faq-folder-hint' : undefined)}
              onChange={(e) => change({ faqFolderId: e.currentTarget.value === '' ? null : e.currentTarget.value })}
            >
              <option value="">{t('prechat.faqAll')}</option>
              {tree.map(({ folder, depth }) => (
                <option key={folder.id} value={folder.id}>
                  {`${'\u2003'.repeat(depth)}${folder.name}`}
                </option>
              ))}
              {/* Keep a choice the list does not (yet) know rather than silently switching to all folders. */}
              {unknownFolder && <option value={chosen}>{t('prechat.unknownFolder', { id: chosen })}</option>}
            </select>
            {(folders.data?.length === 0 || folders.problem) && (
              <p id="prechat-faq-folder-hint" class="hint" data-testid="prechat-faq-none">
                {folders.problem ? t('prechat.faqError') : t('prechat.faqNone')}
              </p>
            )}
          </FormField>
        </fieldset>
        {general && (
          <p class="error" role="alert" data-testid="prechat-error">
            {store.session.problemText(general)}
          </p>
        )}
        <div class="form-actions">
          <button type="submit" class="primary" data-testid="prechat-save" disabled={busy}>
            {busy ? t('admin.saving') : t('admin.save')}
          </button>
          <span class="ok" role="status" data-testid="prechat-saved">
            {justSaved && !dirty ? t('admin.saved') : ''}
          </span>
        </div>
      </form>
    </section>
  );
}

function CustomFieldRow(props: {
  row: Row;
  index: number;
  count: number;
  errorFor(part: RowPart): Problem | null;
  refFor(part: RowPart): (el: HTMLElement | null) => void;
  onChange(patch: (r: Row) => Row, part: RowPart): void;
  onLabel(label: string): void;
  onMove(by: -1 | 1): void;
  onRemove(): void;
}) {
  const [snap] = useConsole();
  const { t } = snap;
  const { row, index } = props;
  const id = `prechat-f${row.uid}`;
  const number = index + 1;
  const aria = (part: RowPart, hint?: string) => ({
    'aria-invalid': invalid(props.errorFor(part)),
    'aria-describedby': describedBy(`${id}-${part}`, props.errorFor(part), hint),
  });
  const error = (part: RowPart) => <FieldError id={`${id}-${part}-error`} field={`fields.${index}.${part}`} testId="prechat-field-error" problem={props.errorFor(part)} />;
  return (
    <fieldset class="form-group custom-field" data-testid="prechat-field" data-key={row.field.key}>
      <legend>{t('prechat.fieldLegend', { type: t(`prechat.type.${row.field.type}`), number })}</legend>
      <div class="field">
        <label for={`${id}-label`}>{t('prechat.label')}</label>
        <input
          id={`${id}-label`}
          ref={props.refFor('label')}
          type="text"
          data-testid="prechat-field-label"
          value={row.field.label}
          {...aria('label')}
          onInput={(e) => props.onLabel(e.currentTarget.value)}
        />
        {error('label')}
      </div>
      <div class="field">
        <label for={`${id}-key`}>{t('prechat.key')}</label>
        <input
          id={`${id}-key`}
          ref={props.refFor('key')}
          type="text"
          class="code"
          autocomplete="off"
          spellcheck={false}
          data-testid="prechat-field-key"
          value={row.field.key}
          {...aria('key', `${id}-key-hint`)}
          onInput={(e) => {
            const key = e.currentTarget.value;
            props.onChange((r) => ({ ...r, keyEdited: true, field: { ...r.field, key } }), 'key');
          }}
        />
        <p id={`${id}-key-hint`} class="hint">
          {t('prechat.keyHint')}
        </p>
        {error('key')}
      </div>
      <div class="check">
        <input
          id={`${id}-required`}
          ref={props.refFor('required')}
          type="checkbox"
          data-testid="prechat-field-required"
          checked={row.field.required}
          {...aria('required')}
          onChange={(e) => {
            const required = e.currentTarget.checked;
            props.onChange((r) => ({ ...r, field: { ...r.field, required } }), 'required');
          }}
        />
        <label for={`${id}-required`}>{t('prechat.required')}</label>
        {error('required')}
      </div>
      {row.field.type === 'choice' && (
        <div class="field">
          <label for={`${id}-options`}>{t('prechat.options')}</label>
          <textarea
            id={`${id}-options`}
            ref={props.refFor('options')}
            data-testid="prechat-field-options"
            rows={3}
            value={row.optionsText}
            {...aria('options')}
            onInput={(e) => {
              const text = e.currentTarget.value;
              props.onChange((r) => ({ ...r, optionsText: text, field: { ...r.field, options: parseOptionLines(text) } }), 'options');
            }}
          />
          {error('options')}
        </div>
      )}
      {error('type')}
      <div class="form-actions">
        <button type="button" class="small" data-testid="prechat-field-up" disabled={index === 0} aria-label={t('prechat.moveUpLabel', { number })} onClick={() => props.onMove(-1)}>
          {t('prechat.moveUp')}
        </button>
        <button
          type="button"
          class="small"
          data-testid="prechat-field-down"
          disabled={index === props.count - 1}
          aria-label={t('prechat.moveDownLabel', { number })}
          onClick={() => props.onMove(1)}
        >
          {t('prechat.moveDown')}
        </button>
        <button type="button" class="small" data-testid="prechat-field-remove" aria-label={t('prechat.removeLabel', { number })} onClick={() => props.onRemove()}>
          {t('prechat.remove')}
        </button>
      </div>
    </fieldset>
  );
}
