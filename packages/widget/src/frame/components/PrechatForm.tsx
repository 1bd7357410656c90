import { checkEmailSyntax, isPlausiblePhone, LIMITS, type PrechatField, type WidgetConfig } from '@loket/protocol';
import { useRef, useState } from 'preact/hooks';
import { checkEmail, type ApiError } from '../api.js';
import type { ComponentChildren } from 'preact';
import type { Translate } from '../i18n.js';
import { BUILTINS, type Builtin, type VisitorDetails } from '../prechat.js';

type Errors = Record<string, string>;

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
  const p = config.prechat;

  const setField = (key: string, value: string | boolean): void => {
    setValues((v) => ((BUILTINS as readonly string[]).includes(key) ? { ...v, [key]: String(value) } : { ...v, fields: { ...v.fields, [key]: value } }));
    if (errors[key]) setErrors(({ [key]: _gone, ...rest }) => rest);
  };

  // Mirrors the server (domain/chats.ts startChat); the server has the last word.
  const validate = (): Errors => {
    const found: Errors = {};
    const required = t('errRequired');
    for (const b of BUILTINS) if (p[b] === 'required' && !values[b].trim()) found[b] = required;
    const email = values.email.trim();
    if (!found.email && p.email !== 'off' && email) {
      const syntax = checkEmailSyntax(email);
      if (!syntax.ok) found.email = t(syntax.code === 'email_too_long' ? 'errEmailTooLong' : 'errEmailInvalid');
    }
    const phone = values.phone.trim();
    if (!found.phone && p.phone !== 'off' && phone && !isPlausiblePhone(phone)) found.phone = t('errPhoneInvalid');
    for (const f of p.fields) {
      const v = values.fields[f.key];
      if (f.required && (f.type === 'checkbox' ? v !== true : typeof v !== 'string' || !v.trim())) found[f.key] = required;
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
    // Only what the form asks is sent: a field switched off stays empty.
    const sent: VisitorDetails = {
      name: p.name === 'off' ? '' : values.name,
      email: p.email === 'off' ? '' : values.email,
      phone: p.phone === 'off' ? '' : values.phone,
      company: p.company === 'off' ? '' : values.company,
      fields: values.fields,
    };
    if (sent.email.trim()) {
      setBusy(true);
      const r = await checkEmail(config.key, sent.email.trim(), t);
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
    onDone(sent);
  };

  const builtin = (b: Builtin, attrs: Record<string, string | number>) =>
    p[b] !== 'off' && (
      <Field id={b} label={t(b)} required={p[b] === 'required'} t={t} error={errors[b]}>
        {(a) => <input {...a} {...attrs} value={values[b]} onInput={(e) => setField(b, e.currentTarget.value)} />}
      </Field>
    );

  return (
    <form ref={formRef} class="form" noValidate onSubmit={(e) => void submit(e)}>
      {p.message.trim() && (
        <p class="welcome" data-testid="prechat-message">
          {p.message}
        </p>
      )}
      {builtin('name', { type: 'text', autoComplete: 'name', maxLength: LIMITS.name })}
      {builtin('email', { type: 'email', autoComplete: 'email', inputMode: 'email', maxLength: LIMITS.emailTotal })}
      {builtin('phone', { type: 'tel', autoComplete: 'tel', inputMode: 'tel', maxLength: 40 })}
      {builtin('company', { type: 'text', autoComplete: 'organization', maxLength: LIMITS.name * 2 })}
      {p.fields.map((f) => (
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

export function Field({ id, label, required, t, error, children, checkbox }: FieldProps) {
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
    default:
      return (
        <Field {...common}>
          {(a) => (
            <input
              {...a}
              type="text"
              maxLength={LIMITS.fieldValue}
              value={text}
              onInput={(e) => onChange(e.currentTarget.value)}
            />
          )}
        </Field>
      );
  }
}
