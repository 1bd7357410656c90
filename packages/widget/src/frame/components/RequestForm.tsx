import { checkEmailSyntax, isPlausiblePhone, LIMITS, REQUEST_LIMITS, type RequestCreated, type WidgetConfig } from '@loket/protocol';
import { useRef, useState } from 'preact/hooks';
import { createRequest } from '../api.js';
import type { Translate } from '../i18n.js';
import { newClientMsgId } from '../ids.js';
import { Field } from './PrechatForm.js';

/** What the form starts with: from the waiting chat (its question, the pre-chat details), else empty. */
export interface RequestDraft {
  name: string;
  email: string;
  phone: string;
  company: string;
  question: string;
}

type Key = keyof RequestDraft;
type Errors = Partial<Record<Key, string>>;
const KEYS: readonly Key[] = ['name', 'email', 'phone', 'company', 'question'];

interface Props {
  config: WidgetConfig;
  t: Translate;
  initial: RequestDraft;
  /** The waiting chat this request replaces: the request carries its log. */
  chatToken?: string;
  onCreated(created: RequestCreated): void;
  /** Back to where the form was opened from (keep waiting). */
  onCancel?: () => void;
}

/** The offline form: a request with an ID instead of a chat. E-mail and question are always asked. */
export function RequestForm({ config, t, initial, chatToken, onCreated, onCancel }: Props) {
  const [values, setValues] = useState<RequestDraft>(initial);
  const [website, setWebsite] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // One key per request being written: a resend after a lost answer returns the same request.
  const requestKey = useRef(newClientMsgId());
  const formRef = useRef<HTMLFormElement>(null);
  const o = config.offline;
  const mode = (k: Key): 'off' | 'optional' | 'required' => (k === 'email' || k === 'question' ? 'required' : o[k]);

  const setField = (k: Key, v: string): void => {
    setValues((old) => ({ ...old, [k]: v }));
    if (errors[k]) setErrors(({ [k]: _gone, ...rest }) => rest);
  };

  // Mirrors the server; the server has the last word.
  const validate = (): Errors => {
    const found: Errors = {};
    for (const k of KEYS) if (mode(k) === 'required' && !values[k].trim()) found[k] = t('errRequired');
    const email = values.email.trim();
    if (!found.email) {
      const syntax = checkEmailSyntax(email);
      if (!syntax.ok) found.email = t(syntax.code === 'email_too_long' ? 'errEmailTooLong' : 'errEmailInvalid');
    }
    const phone = values.phone.trim();
    if (!found.phone && o.phone !== 'off' && phone && !isPlausiblePhone(phone)) found.phone = t('errPhoneInvalid');
    return found;
  };

  const showErrors = (found: Errors): void => {
    setErrors(found);
    const first = KEYS.find((k) => found[k]);
    if (first) requestAnimationFrame(() => formRef.current?.querySelector<HTMLElement>(`#f-${first}`)?.focus());
  };

  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    if (busy) return;
    setFormError(null);
    const found = validate();
    if (Object.keys(found).length > 0) return showErrors(found);
    setBusy(true);
    const sent = (k: Key): string => (mode(k) === 'off' ? '' : values[k].trim());
    const r = await createRequest(
      config.key,
      {
        requestKey: requestKey.current,
        name: sent('name'),
        email: sent('email'),
        phone: sent('phone'),
        company: sent('company'),
        question: sent('question'),
        website,
        ...(chatToken ? { chatToken } : {}),
        timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
        locale: navigator.language.slice(0, 35),
      },
      t,
    );
    setBusy(false);
    if (r.ok) return onCreated(r.value);
    const field = r.error.field as Key | undefined;
    if (field && KEYS.includes(field)) showErrors({ [field]: r.error.message });
    else setFormError(r.error.message);
  };

  const input = (k: Exclude<Key, 'question'>, attrs: Record<string, string | number>) =>
    mode(k) !== 'off' && (
      <Field id={k} label={t(k)} required={mode(k) === 'required'} t={t} error={errors[k]}>
        {(a) => <input {...a} {...attrs} value={values[k]} onInput={(e) => setField(k, e.currentTarget.value)} />}
      </Field>
    );

  return (
    <form ref={formRef} class="form" noValidate aria-labelledby="r-title" data-testid="request-form" onSubmit={(e) => void submit(e)}>
      <h3 id="r-title">{t('requestTitle')}</h3>
      {input('name', { type: 'text', autoComplete: 'name', maxLength: LIMITS.name })}
      {input('email', { type: 'email', autoComplete: 'email', inputMode: 'email', maxLength: LIMITS.emailTotal })}
      {input('phone', { type: 'tel', autoComplete: 'tel', inputMode: 'tel', maxLength: REQUEST_LIMITS.phone })}
      {input('company', { type: 'text', autoComplete: 'organization', maxLength: REQUEST_LIMITS.company })}
      <Field id="question" label={t('question')} required t={t} error={errors.question}>
        {(a) => (
          <textarea {...a} rows={4} maxLength={REQUEST_LIMITS.question} value={values.question} onInput={(e) => setField('question', e.currentTarget.value)} />
        )}
      </Field>
      {/* Honeypot: people never see or reach it; bots that fill every field give themselves away. */}
      <div class="hp" aria-hidden="true">
        <label for="r-website">Website</label>
        <input id="r-website" name="website" type="text" tabIndex={-1} autoComplete="off" value={website} onInput={(e) => setWebsite(e.currentTarget.value)} />
      </div>
      {formError && (
        <p class="err" role="alert" data-testid="request-error">
          {formError}
        </p>
      )}
      <button type="submit" class="primary" data-testid="request-send" aria-busy={busy}>
        {t(busy ? 'requestSending' : 'requestSend')}
      </button>
      {onCancel && (
        <button type="button" class="text-btn" onClick={onCancel}>
          {t('keepWaiting')}
        </button>
      )}
    </form>
  );
}

/** After the request: its ID, prominently, and where the confirmation goes. */
export function RequestDone({ t, created }: { t: Translate; created: RequestCreated }) {
  return (
    <section class="request-done" role="status" data-testid="request-done" aria-labelledby="r-done">
      <h3 id="r-done">{t('requestDoneTitle')}</h3>
      <p class="request-id">
        {t('requestYourId')} <strong data-testid="request-id">{created.publicId}</strong>
      </p>
      <p>{t('requestEmailed', { email: created.email })}</p>
    </section>
  );
}
