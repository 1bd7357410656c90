import { checkEmailSyntax, LIMITS, type PrechatField, type WidgetConfig } from '@loket/protocol';
import { useRef, useState } from 'preact/hooks';
import { checkEmail, type ApiError } from '../api.js';
import type { ComponentChildren } from 'preact';
import type { Translate } from '../i18n.js';

export interface VisitorDetails {
  name: string;
  email: string;
  fields: Record<string, string | boolean>;
}

type Errors = Record<string, string>;

/** The form is skipped only when it would be empty: prechat off and no required custom field. */
export function needsPrechatForm(config: WidgetConfig): boolean {
  return config.prechat.enabled || config.prechat.fields.some((f) => f.required);
}

interface Props {
  config: WidgetConfig;
  t: Translate;
  initial: VisitorDetails;
  /** An error from starting the chat that concerns one of these fields (e.g. the e-mail). */
  serverError: ApiError | null;
  onDone(details: VisitorDetails): void;
}

export function PrechatForm({ config, t, initial, serverError, onDone }: Props) {
  const [values, setValues] = useState<VisitorDetails>(initial);
  const [errors, setErrors] = useState<Errors>(() =>
    serverError?.field ? { [serverError.field]: serverError.message } : {},
  );
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const withIdentity = config.prechat.enabled;

  const setField = (key: string, value: string | boolean): void => {
    setValues((v) => (key === 'name' || key === 'email' ? { ...v, [key]: String(value) } : { ...v, fields: { ...v.fields, [key]: value } }));
    if (errors[key]) setErrors(({ [key]: _gone, ...rest }) => rest);
  };

  const validate = (): Errors => {
    const found: Errors = {};
    const required = t('errRequired');
    if (withIdentity) {
      if (!values.name.trim()) found.name = required;
      if (!values.email.trim()) found.email = required;
      else {
        const syntax = checkEmailSyntax(values.email);
        if (!syntax.ok) found.email = t(syntax.code === 'email_too_long' ? 'errEmailTooLong' : 'errEmailInvalid');
      }
    }
    for (const f of config.prechat.fields) {
      const v = values.fields[f.key];
      if (f.required && (f.type === 'checkbox' ? v !== true : typeof v !== 'string' || !v.trim())) found[f.key] = required;
      else if (f.type === 'email' && typeof v === 'string' && v.trim() && !checkEmailSyntax(v).ok) found[f.key] = t('errEmailInvalid');
    }
    return found;
  };

  const focusFirstError = (found: Errors): void => {
    const first = Object.keys(found)[0];
    if (first) requestAnimationFrame(() => formRef.current?.querySelector<HTMLElement>(`[data-testid="field-${first}"]`)?.focus());
  };

  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    if (busy) return;
    setFormError(null);
    const found = validate();
    setErrors(found);
    if (Object.keys(found).length > 0) return focusFirstError(found);
    if (withIdentity) {
      setBusy(true);
      const r = await checkEmail(config.key, values.email.trim(), t);
      setBusy(false);
      if (!r.ok) {
        if (r.error.field === 'email' || r.error.code.startsWith('email_')) {
          const next = { email: r.error.message };
          setErrors(next);
          focusFirstError(next);
        } else setFormError(r.error.message);
        return;
      }
    }
    onDone(values);
  };

  return (
    <form ref={formRef} class="form" noValidate onSubmit={(e) => void submit(e)}>
      {withIdentity && (
        <>
          <Field id="name" label={t('name')} required t={t} error={errors.name}>
            {(a) => (
              <input {...a} type="text" autoComplete="name" maxLength={LIMITS.name} value={values.name} onInput={(e) => setField('name', e.currentTarget.value)} />
            )}
          </Field>
          <Field id="email" label={t('email')} required t={t} error={errors.email}>
            {(a) => (
              <input {...a} type="email" autoComplete="email" inputMode="email" maxLength={LIMITS.emailTotal} value={values.email} onInput={(e) => setField('email', e.currentTarget.value)} />
            )}
          </Field>
        </>
      )}
      {config.prechat.fields.map((f) => (
        <CustomField key={f.key} field={f} t={t} value={values.fields[f.key]} error={errors[f.key]} onChange={(v) => setField(f.key, v)} />
      ))}
      {formError && (
        <p class="err" role="alert">
          {formError}
        </p>
      )}
      <button type="submit" class="primary" data-testid="next" aria-busy={busy}>
        {t(busy ? 'checking' : 'next')}
      </button>
    </form>
  );
}

interface ControlAttrs {
  id: string;
  'data-testid': string;
  'data-autofocus'?: boolean;
  'aria-invalid': boolean;
  'aria-describedby': string | undefined;
  'aria-required': boolean;
}

interface FieldProps {
  id: string;
  label: string;
  required: boolean;
  t: Translate;
  error: string | undefined;
  children: (attrs: ControlAttrs) => ComponentChildren;
  checkbox?: boolean;
}

function Field({ id, label, required, t, error, children, checkbox }: FieldProps) {
  const attrs: ControlAttrs = {
    id: `f-${id}`,
    'data-testid': `field-${id}`,
    'aria-invalid': Boolean(error),
    'aria-describedby': error ? `f-${id}-err` : undefined,
    'aria-required': required,
  };
  const text = (
    <>
      {label}
      {required && <span class="req"> ({t('required')})</span>}
    </>
  );
  return (
    <div class={checkbox ? 'field check' : 'field'}>
      {checkbox ? (
        <>
          {children(attrs)}
          <label for={attrs.id}>{text}</label>
        </>
      ) : (
        <>
          <label for={attrs.id}>{text}</label>
          {children(attrs)}
        </>
      )}
      {error && (
        <p class="err" id={`f-${id}-err`}>
          {error}
        </p>
      )}
    </div>
  );
}

interface CustomFieldProps {
  field: PrechatField;
  t: Translate;
  value: string | boolean | undefined;
  error: string | undefined;
  onChange(value: string | boolean): void;
}

function CustomField({ field, t, value, error, onChange }: CustomFieldProps) {
  const text = typeof value === 'string' ? value : '';
  const common = { label: field.label, required: field.required, t, error, id: field.key };
  switch (field.type) {
    case 'checkbox':
      return (
        <Field {...common} checkbox>
          {(a) => <input {...a} type="checkbox" checked={value === true} onChange={(e) => onChange(e.currentTarget.checked)} />}
        </Field>
      );
    case 'choice':
      return (
        <Field {...common}>
          {(a) => (
            <select {...a} value={text} onChange={(e) => onChange(e.currentTarget.value)}>
              <option value="">{t('choose')}</option>
              {(field.options ?? []).map((o) => (
                <option key={o} value={o}>
                  {o}
                </option>
              ))}
            </select>
          )}
        </Field>
      );
    case 'textarea':
      return (
        <Field {...common}>
          {(a) => <textarea {...a} rows={3} maxLength={LIMITS.fieldValue} value={text} onInput={(e) => onChange(e.currentTarget.value)} />}
        </Field>
      );
    default:
      return (
        <Field {...common}>
          {(a) => (
            <input
              {...a}
              type={field.type}
              autoComplete={field.type === 'tel' ? 'tel' : field.type === 'email' ? 'email' : 'off'}
              maxLength={LIMITS.fieldValue}
              value={text}
              onInput={(e) => onChange(e.currentTarget.value)}
            />
          )}
        </Field>
      );
  }
}
