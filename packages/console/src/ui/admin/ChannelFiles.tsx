import { useState } from 'preact/hooks';
import { FILE_TYPES, type AdminChannel, type ChannelFileSettings, type FileType } from '@loket/protocol';
import { useConsole } from '../hooks.js';
import { FieldError, FormField, LoadState, useLoaded } from './common.js';
import { describedBy, invalid, useFieldFormAction } from './form.js';

const FIELDS = ['allowedTypes', 'maxBytes'] as const;
const MB = 1024 * 1024;

/** Megabytes as typed, to bytes; NaN (refused by the server with a field error) when it isn't a number. */
const bytesOf = (mb: string): number => Math.round(Number(mb.replace(',', '.')) * MB);
const mbOf = (bytes: number): string => String(Math.round((bytes / MB) * 100) / 100);

/** What customers and agents may send in the channel's chats (docs/files.md). */
export function FilesSection({ channel }: { channel: AdminChannel }) {
  const [snap, store] = useConsole();
  const { t } = snap;
  const loaded = useLoaded(() => store.http.fileSettings(channel.id), channel.id);
  const [types, setTypes] = useState<FileType[] | null>(null);
  const [mb, setMb] = useState<string | null>(null);
  const [justSaved, setJustSaved] = useState(false);
  const { busy, errorFor, general, submit, setProblem } = useFieldFormAction(FIELDS);
  const current: ChannelFileSettings | null = loaded.data;
  const chosen = types ?? current?.allowedTypes ?? [];
  const size = mb ?? (current ? mbOf(current.maxBytes) : '');

  const toggle = (type: FileType, on: boolean) => {
    setTypes(FILE_TYPES.filter((x) => (x === type ? on : chosen.includes(x))));
    setJustSaved(false);
    setProblem(null);
  };

  const save = (e: Event) =>
    submit(e, async () => {
      const result = await store.http.saveFileSettings(channel.id, { allowedTypes: chosen, maxBytes: bytesOf(size) });
      loaded.update(() => result);
      setTypes(null);
      setMb(null);
      setJustSaved(true);
    });

  return (
    <section class="settings-section" aria-labelledby="files-heading" data-testid="files-section">
      <h3 id="files-heading">{t('files.heading')}</h3>
      <p class="hint">{t('files.intro')}</p>
      <LoadState loaded={loaded} testId="files-load-error" />
      {current && (
        <form class="admin-form" onSubmit={save} noValidate aria-labelledby="files-heading">
          <fieldset class="checks" aria-describedby={describedBy('files-allowedTypes', errorFor('allowedTypes'), chosen.length === 0 ? 'files-none' : undefined)}>
            <legend>{t('files.types')}</legend>
            {FILE_TYPES.map((type) => (
              <label key={type} class="check">
                <input type="checkbox" data-testid={`files-type-${type}`} checked={chosen.includes(type)} onChange={(e) => toggle(type, e.currentTarget.checked)} />{' '}
                {t(`files.type.${type}`)}
              </label>
            ))}
            {chosen.length === 0 && (
              <p id="files-none" class="hint">
                {t('files.none')}
              </p>
            )}
            <FieldError id="files-allowedTypes-error" problem={errorFor('allowedTypes')} testId="files-error" field="allowedTypes" />
          </fieldset>
          <FormField id="files-max" label={t('files.maxSize')} hint={t('files.maxHint')} errorId="files-maxBytes-error" field="maxBytes" errorTestId="files-error" problem={errorFor('maxBytes')}>
            <input
              id="files-max"
              type="text"
              inputMode="decimal"
              data-testid="files-max"
              value={size}
              aria-invalid={invalid(errorFor('maxBytes'))}
              aria-describedby={describedBy('files-maxBytes', errorFor('maxBytes'), 'files-max-hint')}
              onInput={(e) => {
                setMb(e.currentTarget.value);
                setJustSaved(false);
              }}
            />
          </FormField>
          {general && (
            <p class="error" role="alert" data-testid="files-error">
              {store.session.problemText(general)}
            </p>
          )}
          <div class="form-actions">
            <button type="submit" class="primary" data-testid="files-save" disabled={busy}>
              {busy ? t('admin.saving') : t('admin.save')}
            </button>
            <span class="ok" role="status" data-testid="files-saved">
              {justSaved && types === null && mb === null ? t('admin.saved') : ''}
            </span>
          </div>
        </form>
      )}
    </section>
  );
}
