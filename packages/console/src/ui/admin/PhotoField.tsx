import { useState } from 'preact/hooks';
import { photoFileProblem, photoProblem, photoValue } from '../../state/users.js';
import type { Problem } from '../../state/store.js';
import { useConsole } from '../hooks.js';
import { FieldError } from './common.js';

/**
 * A photo: an https URL typed in, or a PNG/JPEG file read as a data URL (size checked before
 * reading). The preview is a plain <img> of a value the protocol already restricts.
 */
export function PhotoField(props: { id: string; testId: string; label: string; value: string; problem: Problem | null; errorTestId: string; onChange(value: string): void }) {
  const [snap] = useConsole();
  const { t } = snap;
  const [localProblem, setLocalProblem] = useState<string | null>(null);
  const shown = localProblem ?? (photoProblem(props.value) ? t(photoProblem(props.value)!) : null);
  const isData = props.value.startsWith('data:');
  const preview = photoValue(props.value) !== null && photoProblem(props.value) === null ? props.value : null;
  const errorId = `${props.id}-error`;
  const localId = `${props.id}-local-error`;
  const describedBy = [`${props.id}-hint`, props.problem ? errorId : undefined, shown ? localId : undefined].filter(Boolean).join(' ');

  const pick = (file: File | undefined) => {
    if (!file) return;
    const problem = photoFileProblem(file);
    if (problem) {
      setLocalProblem(t(problem));
      return;
    }
    const reader = new FileReader();
    reader.onload = () => {
      setLocalProblem(null);
      if (typeof reader.result === 'string') props.onChange(reader.result);
    };
    reader.onerror = () => setLocalProblem(t('users.photoInvalid'));
    reader.readAsDataURL(file);
  };

  return (
    <div class="field photo-field">
      <label for={props.id}>{props.label}</label>
      <div class="photo-row">
        {preview ? <img class="avatar" src={preview} alt="" width={48} height={48} /> : null}
        <input
          id={props.id}
          data-testid={props.testId}
          type="url"
          inputMode="url"
          value={isData ? '' : props.value}
          placeholder={isData ? t('users.photoFile') : 'https://'}
          aria-invalid={props.problem || shown ? true : undefined}
          aria-describedby={describedBy}
          onInput={(e) => {
            setLocalProblem(null);
            props.onChange(e.currentTarget.value);
          }}
        />
      </div>
      <p id={`${props.id}-hint`} class="hint">
        {t('users.photoHint')}
      </p>
      <div class="photo-actions">
        <label class="button small">
          {t('users.photoFile')}
          <input class="visually-hidden" type="file" accept="image/png,image/jpeg" data-testid={`${props.testId}-file`} onChange={(e) => pick(e.currentTarget.files?.[0])} />
        </label>
        {props.value !== '' && (
          <button type="button" class="small" onClick={() => props.onChange('')}>
            {t('users.photoClear')}
          </button>
        )}
      </div>
      {shown && (
        <p id={localId} class="error field-error" data-testid={props.errorTestId} data-field="photoUrl">
          {shown}
        </p>
      )}
      <FieldError id={errorId} field="photoUrl" testId={props.errorTestId} problem={props.problem} />
    </div>
  );
}
