import { useRef, useState } from 'preact/hooks';
import { fieldOf } from '../state/admin.js';
import { passwordProblem, photoProblem, photoValue } from '../state/users.js';
import { FormField, ViewHeading } from './admin/common.js';
import { describedBy, invalid, useFormAction } from './admin/form.js';
import { PhotoField } from './admin/PhotoField.js';
import { useConsole } from './hooks.js';
import { WarningSettings } from './WarningSettings.js';
import { QuickRepliesSettings } from './QuickReplies.js';

/** My profile: every agent's own name, photo and password. */
export function ProfileView() {
  const [snap] = useConsole();
  const { t } = snap;
  return (
    <main class="admin" aria-labelledby="admin-heading">
      <div class="admin-head">
        <ViewHeading id="admin-heading">{t('profile.heading')}</ViewHeading>
      </div>
      <div class="admin-body profile">
        <ProfileForm />
        <PasswordForm />
        <WarningSettings />
        <QuickRepliesSettings />
      </div>
    </main>
  );
}

function ProfileForm() {
  const [snap, store] = useConsole();
  const { t } = snap;
  const agent = snap.session?.agent;
  const [name, setName] = useState(agent?.name ?? '');
  const [photoUrl, setPhotoUrl] = useState(agent?.photoUrl ?? '');
  const { busy, problem, run } = useFormAction();
  const [status, setStatus] = useState<string | null>(null);
  const nameRef = useRef<HTMLInputElement>(null);
  const field = fieldOf(problem?.field);

  const save = async (e: Event) => {
    e.preventDefault();
    if (busy || photoProblem(photoUrl)) return;
    await run(
      async () => {
        setStatus(null);
        const result = await store.http.updateProfile({ name, photoUrl: photoValue(photoUrl) });
        store.session.profileSaved(result);
        setName(result.name);
        setStatus(t('profile.saved'));
      },
      (p) => {
        if (fieldOf(p.field) === 'name') nameRef.current?.focus();
      },
    );
  };

  return (
    <form class="admin-form" onSubmit={save} noValidate aria-labelledby="profile-details-heading">
      <h2 id="profile-details-heading">{t('profile.details')}</h2>
      <FormField id="profile-name" label={t('profile.name')} field="name" errorTestId="profile-error" problem={field === 'name' ? problem : null}>
        <input
          id="profile-name"
          ref={nameRef}
          data-testid="profile-name"
          type="text"
          required
          autoComplete="name"
          value={name}
          aria-invalid={invalid(field === 'name')}
          aria-describedby={describedBy('profile-name', field === 'name')}
          onInput={(e) => {
            setName(e.currentTarget.value);
            setStatus(null);
          }}
        />
      </FormField>
      <PhotoField
        id="profile-photo"
        testId="profile-photo"
        errorTestId="profile-error"
        label={t('profile.photo')}
        value={photoUrl}
        problem={field === 'photoUrl' ? problem : null}
        onChange={(value) => {
          setPhotoUrl(value);
          setStatus(null);
        }}
      />
      {problem && field !== 'name' && field !== 'photoUrl' && (
        <p class="error" role="alert" data-testid="profile-error">
          {store.session.problemText(problem)}
        </p>
      )}
      <p class="ok" role="status" data-testid="profile-status">
        {status}
      </p>
      <div class="form-actions">
        <button type="submit" class="primary" data-testid="profile-save" disabled={busy}>
          {busy ? t('admin.saving') : t('admin.save')}
        </button>
      </div>
    </form>
  );
}

function PasswordForm() {
  const [snap, store] = useConsole();
  const { t } = snap;
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<{ field: 'currentPassword' | 'newPassword' | null; text: string } | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const currentRef = useRef<HTMLInputElement>(null);
  const nextRef = useRef<HTMLInputElement>(null);

  const fail = (f: 'currentPassword' | 'newPassword' | null, text: string) => {
    setProblem({ field: f, text });
    if (f === 'currentPassword') currentRef.current?.focus();
    if (f === 'newPassword') nextRef.current?.focus();
  };

  const save = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setStatus(null);
    setProblem(null);
    const short = passwordProblem(next);
    if (short) return fail('newPassword', t(short));
    setBusy(true);
    try {
      await store.http.changePassword({ currentPassword: current, newPassword: next });
      setCurrent('');
      setNext('');
      setStatus(t('profile.passwordChanged'));
    } catch (err) {
      const p = store.session.problem(err);
      const f = fieldOf(p.field);
      if (f === 'currentPassword') fail(f, t('profile.currentWrong'));
      else if (f === 'newPassword') fail(f, t('profile.passwordShort'));
      else fail(null, store.session.problemText(p));
    } finally {
      setBusy(false);
    }
  };

  const errorFor = (f: 'currentPassword' | 'newPassword') => (problem?.field === f ? problem.text : null);
  return (
    <form class="admin-form" onSubmit={save} noValidate aria-labelledby="profile-password-heading">
      <h2 id="profile-password-heading">{t('profile.passwordHeading')}</h2>
      {/* Lets password managers tie the new password to this account. */}
      <input type="text" class="visually-hidden" autoComplete="username" value={snap.session?.agent.email ?? ''} readOnly tabIndex={-1} aria-hidden="true" />
      <div class="field">
        <label for="password-current">{t('profile.currentPassword')}</label>
        <input
          id="password-current"
          ref={currentRef}
          data-testid="password-current"
          type="password"
          autoComplete="current-password"
          value={current}
          aria-invalid={invalid(errorFor('currentPassword'))}
          aria-describedby={describedBy('password-current', errorFor('currentPassword'))}
          onInput={(e) => setCurrent(e.currentTarget.value)}
        />
        {errorFor('currentPassword') && (
          <p id="password-current-error" class="error field-error" data-testid="password-error" data-field="currentPassword">
            {errorFor('currentPassword')}
          </p>
        )}
      </div>
      <div class="field">
        <label for="password-new">{t('profile.newPassword')}</label>
        <input
          id="password-new"
          ref={nextRef}
          data-testid="password-new"
          type="password"
          autoComplete="new-password"
          minLength={10}
          value={next}
          aria-invalid={invalid(errorFor('newPassword'))}
          aria-describedby={describedBy('password-new', errorFor('newPassword'), 'password-new-hint')}
          onInput={(e) => setNext(e.currentTarget.value)}
        />
        <p id="password-new-hint" class="hint">
          {t('profile.passwordHint')}
        </p>
        {errorFor('newPassword') && (
          <p id="password-new-error" class="error field-error" data-testid="password-error" data-field="newPassword">
            {errorFor('newPassword')}
          </p>
        )}
      </div>
      {problem && problem.field === null && (
        <p class="error" role="alert" data-testid="password-error">
          {problem.text}
        </p>
      )}
      <p class="ok" role="status" data-testid="password-status">
        {status}
      </p>
      <div class="form-actions">
        <button type="submit" class="primary" data-testid="password-save" disabled={busy}>
          {busy ? t('admin.saving') : t('profile.passwordSave')}
        </button>
      </div>
    </form>
  );
}
