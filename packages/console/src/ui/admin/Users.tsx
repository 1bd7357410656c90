import { useEffect, useRef, useState } from 'preact/hooks';
import type { AdminUser } from '@loket/protocol';
import { fieldOf } from '../../state/admin.js';
import type { Route } from '../../state/route.js';
import type { Problem } from '../../state/store.js';
import { forbiddenReason, photoProblem, photoValue, sameUserForm, sortUsers, updateInput, upsertUser, userForm, type UserForm } from '../../state/users.js';
import { useConsole } from '../hooks.js';
import { ConfirmDialog, FormField, LoadState, RouteLink, ViewHeading, useLoaded } from './common.js';
import { describedBy, focusLater, invalid, useFormAction } from './form.js';
import { PhotoField } from './PhotoField.js';

type UsersRoute = Extract<Route, { view: 'users' }>;
type Field = 'name' | 'email' | 'role' | 'photoUrl';
const FIELDS: readonly Field[] = ['name', 'email', 'role', 'photoUrl'];

/** A password the server generated (new user or reset): shown once, to the administrator who asked. */
interface Revealed {
  userId: string;
  password: string;
  created: boolean;
}

/** Users: the list of agents, and per agent the form, (de)activation and password reset. */
export function UsersView({ route }: { route: UsersRoute }) {
  const [snap, store] = useConsole();
  const { t } = snap;
  const list = useLoaded(() => store.http.users().then(sortUsers), 'users');
  const [revealed, setRevealed] = useState<Revealed | null>(null);
  const users = list.data ?? [];
  const selected = route.userId === null ? null : (users.find((u) => u.id === route.userId) ?? null);
  useEffect(() => {
    if (revealed && revealed.userId !== route.userId) setRevealed(null);
  }, [route.userId, revealed]);
  const me = snap.session?.agent.id;

  return (
    <main class="admin" aria-labelledby="admin-heading">
      <div class="admin-head">
        <ViewHeading id="admin-heading">{t('users.heading')}</ViewHeading>
        <RouteLink class="button primary small" data-testid="user-new" route={{ view: 'users', userId: null, creating: true }} aria-current={route.creating ? 'page' : undefined}>
          {t('users.new')}
        </RouteLink>
      </div>
      <div class="admin-body master-detail">
        <section class="admin-list" aria-labelledby="users-list-heading">
          <h2 id="users-list-heading" class="visually-hidden">
            {t('users.list')}
          </h2>
          <LoadState loaded={list} />
          {list.data && users.length === 0 && <p class="empty">{t('users.empty')}</p>}
          <ul class="items">
            {users.map((u) => (
              <li key={u.id}>
                <RouteLink
                  class={`item${u.active ? '' : ' inactive'}`}
                  data-testid="user-item"
                  data-user-id={u.id}
                  data-active={u.active ? 'true' : 'false'}
                  route={{ view: 'users', userId: u.id, creating: false }}
                  aria-current={route.userId === u.id ? 'page' : undefined}
                >
                  <span class="item-line">
                    <strong class="name">{u.name}</strong>
                    {u.id === me && <span class="hint"> ({t('users.you')})</span>}
                    {u.role === 'admin' && <span class="badge">{t('users.roleAdmin')}</span>}
                    {!u.active && <span class="badge badge-muted">{t('users.inactive')}</span>}
                  </span>
                  <span class="channel">{u.email}</span>
                </RouteLink>
              </li>
            ))}
          </ul>
        </section>
        <div class="admin-detail">
          {route.creating ? (
            <UserEditor
              key="new"
              user={null}
              revealed={null}
              onSaved={(saved, password) => {
                list.update((all) => upsertUser(all, saved));
                setRevealed(password === undefined ? null : { userId: saved.id, password, created: true });
                store.route.navigate({ view: 'users', userId: saved.id, creating: false }, true);
              }}
              onReset={() => undefined}
            />
          ) : selected ? (
            <UserEditor
              key={selected.id}
              user={selected}
              revealed={revealed?.userId === selected.id ? revealed : null}
              onSaved={(saved) => list.update((all) => upsertUser(all, saved))}
              onReset={(password) => setRevealed({ userId: selected.id, password, created: false })}
            />
          ) : (
            list.data && <p class="placeholder">{route.userId === null ? t('users.none') : t('users.notFound')}</p>
          )}
        </div>
      </div>
    </main>
  );
}

function UserEditor({ user, revealed, onSaved, onReset }: { user: AdminUser | null; revealed: Revealed | null; onSaved(user: AdminUser, password?: string): void; onReset(password: string): void }) {
  const [snap, store] = useConsole();
  const { t } = snap;
  const [saved, setSaved] = useState<UserForm>(() => userForm(user));
  const [form, setForm] = useState<UserForm>(saved);
  const { busy, problem, run } = useFormAction();
  const [status, setStatus] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<'active' | 'reset' | null>(null);
  const refs = { name: useRef<HTMLInputElement>(null), email: useRef<HTMLInputElement>(null), role: useRef<HTMLSelectElement>(null) };
  const actionButton = useRef<HTMLButtonElement>(null);

  const field = fieldOf(problem?.field);
  const errorFor = (f: Field) => (field === f ? problem : null);
  const generalProblem = problem && (field === null || !FIELDS.includes(field as Field)) ? problem : null;
  const described = (f: Field) => describedBy(`user-${f}`, errorFor(f));
  const change = (patch: Partial<UserForm>) => {
    setForm((f) => ({ ...f, ...patch }));
    setStatus(null);
  };
  const problemText = (p: Problem) => {
    const reason = p.code === 'forbidden' ? forbiddenReason(p.detail) : null;
    return reason ? t(reason) : store.session.problemText(p);
  };

  const save = async (e: Event) => {
    e.preventDefault();
    if (busy || photoProblem(form.photoUrl)) return;
    await run(
      async () => {
        setStatus(null);
        if (user) {
          const result = await store.http.updateUser(user.id, updateInput(form));
          const next = userForm(result);
          setSaved(next);
          setForm((f) => (sameUserForm(f, form) ? next : f));
          setStatus(t('admin.saved'));
          onSaved(result);
        } else {
          const photoUrl = photoValue(form.photoUrl);
          const result = await store.http.createUser({ name: form.name, email: form.email, role: form.role, ...(photoUrl ? { photoUrl } : {}) });
          onSaved(result.user, result.password);
        }
      },
      (p) => {
        const f = fieldOf(p.field);
        if (f === 'name' || f === 'email' || f === 'role') refs[f].current?.focus();
      },
    );
  };

  const act = async () => {
    if (!user) return;
    const kind = confirming;
    setConfirming(null);
    await run(async () => {
      setStatus(null);
      if (kind === 'active') {
        const result = await store.http.setUserActive(user.id, !user.active);
        onSaved(result);
        setStatus(t(result.active ? 'users.activated' : 'users.deactivated', { name: result.name }));
      } else if (kind === 'reset') {
        onReset((await store.http.resetPassword(user.id)).password);
      }
    });
    focusLater(actionButton);
  };

  const dirty = !sameUserForm(form, saved);
  const name = user?.name ?? '';
  // One's own account: My profile changes the password; deactivating oneself is refused anyway.
  const isMe = user !== null && user.id === snap.session?.agent.id;

  return (
    <div class="user-editor" data-testid="user-detail" data-user-id={user?.id}>
      <form class="admin-form" onSubmit={save} noValidate aria-labelledby="user-editor-heading">
        <h2 id="user-editor-heading">{user ? t('users.editHeading') : t('users.newHeading')}</h2>
        {revealed && <RevealedPassword revealed={revealed} name={name} />}
        <FormField id="user-name" label={t('users.name')} field="name" errorTestId="user-error" problem={errorFor('name')}>
          <input id="user-name" ref={refs.name} data-testid="user-name" type="text" required autoComplete="off" value={form.name} aria-invalid={invalid(errorFor('name'))} aria-describedby={described('name')} onInput={(e) => change({ name: e.currentTarget.value })} />
        </FormField>
        <FormField id="user-email" label={t('users.email')} field="email" errorTestId="user-error" problem={errorFor('email')}>
          <input id="user-email" ref={refs.email} data-testid="user-email" type="email" required autoComplete="off" value={form.email} aria-invalid={invalid(errorFor('email'))} aria-describedby={described('email')} onInput={(e) => change({ email: e.currentTarget.value })} />
        </FormField>
        <FormField id="user-role" label={t('users.role')} field="role" errorTestId="user-error" problem={errorFor('role')}>
          <select
            id="user-role"
            ref={refs.role}
            data-testid="user-role"
            value={form.role}
            aria-invalid={invalid(errorFor('role'))}
            aria-describedby={described('role')}
            onChange={(e) => change({ role: e.currentTarget.value === 'admin' ? 'admin' : 'agent' })}
          >
            <option value="agent">{t('users.roleAgent')}</option>
            <option value="admin">{t('users.roleAdmin')}</option>
          </select>
        </FormField>
        <PhotoField id="user-photo" testId="user-photo" errorTestId="user-error" label={t('users.photo')} value={form.photoUrl} problem={errorFor('photoUrl')} onChange={(photoUrl) => change({ photoUrl })} />
        {generalProblem && (
          <p class="error" role="alert" data-testid="user-error">
            {problemText(generalProblem)}
          </p>
        )}
        <p class="ok" role="status" data-testid="user-status">
          {status}
        </p>
        <div class="form-actions">
          <button type="submit" class="primary" data-testid="user-save" disabled={busy || (user !== null && !dirty)}>
            {busy ? t('admin.saving') : t('admin.save')}
          </button>
          {user && !isMe && (
            <>
              <button type="button" class="danger-outline" ref={actionButton} data-testid={user.active ? 'user-deactivate' : 'user-activate'} disabled={busy} onClick={() => setConfirming('active')}>
                {user.active ? t('users.deactivate') : t('users.activate')}
              </button>
              <button type="button" data-testid="user-reset-password" disabled={busy} onClick={() => setConfirming('reset')}>
                {t('users.resetPassword')}
              </button>
            </>
          )}
        </div>
      </form>
      {user && (
        <ConfirmDialog
          open={confirming !== null}
          id="user-confirm"
          title={confirming === 'reset' ? t('users.resetTitle', { name }) : t(user.active ? 'users.deactivateTitle' : 'users.activateTitle', { name })}
          text={confirming === 'reset' ? t('users.resetText') : t(user.active ? 'users.deactivateText' : 'users.activateText')}
          confirm={confirming === 'reset' ? t('users.resetPassword') : t(user.active ? 'users.deactivate' : 'users.activate')}
          confirmTestId="user-confirm"
          onConfirm={() => void act()}
          onClose={() => setConfirming(null)}
        />
      )}
    </div>
  );
}

function RevealedPassword({ revealed, name }: { revealed: Revealed; name: string }) {
  const [snap] = useConsole();
  const { t } = snap;
  const input = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    input.current?.focus();
    input.current?.select();
  }, [revealed.password]);
  const copy = async () => {
    input.current?.select();
    try {
      await navigator.clipboard.writeText(revealed.password);
      setCopied(true);
    } catch {
      // No clipboard permission: the text is selected for Ctrl+C.
    }
  };
  return (
    <div class="revealed-password" role="group" aria-labelledby="user-new-password-label">
      {revealed.created && (
        <p class="ok" role="status">
          {t('users.created')}
        </p>
      )}
      <label id="user-new-password-label" for="user-new-password">
        {revealed.created ? t('users.createdPassword', { name }) : t('users.newPassword')}
      </label>
      <div class="photo-row">
        <input id="user-new-password" ref={input} data-testid="user-new-password" type="text" readOnly value={revealed.password} autoComplete="off" spellcheck={false} />
        <button type="button" class="small" data-testid="user-copy-password" onClick={() => void copy()}>
          {t('users.copy')}
        </button>
      </div>
      <p role="status" class="hint">
        {copied ? t('users.copied') : ''}
      </p>
    </div>
  );
}
