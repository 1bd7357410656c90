import { useEffect, useRef, useState } from 'preact/hooks';
import { LIMITS } from '@loket/protocol';
import { useConsole } from './hooks.js';
import { LanguagePicker } from './LanguagePicker.js';

export function Login() {
  const [snap, store] = useConsole();
  const { t } = snap;
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const emailRef = useRef<HTMLInputElement>(null);
  useEffect(() => emailRef.current?.focus(), []);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    await store.session.login(email.trim(), password);
    setBusy(false);
  };

  return (
    <main class="login">
      <form class="login-card" onSubmit={submit} aria-labelledby="login-heading" noValidate>
        <div class="login-top">
          <p class="brand">
            {t('app.title')} <span>{t('app.subtitle')}</span>
          </p>
          <LanguagePicker />
        </div>
        <h1 id="login-heading">{t('login.heading')}</h1>
        <label for="login-email">{t('login.email')}</label>
        <input
          id="login-email"
          ref={emailRef}
          data-testid="login-email"
          type="email"
          autocomplete="username"
          required
          maxLength={1024}
          value={email}
          onInput={(e) => setEmail(e.currentTarget.value)}
          aria-invalid={snap.loginError ? true : undefined}
          aria-describedby={snap.loginError ? 'login-error' : undefined}
        />
        <label for="login-password">{t('login.password')}</label>
        <input
          id="login-password"
          data-testid="login-password"
          type="password"
          autocomplete="current-password"
          required
          maxLength={LIMITS.password}
          value={password}
          onInput={(e) => setPassword(e.currentTarget.value)}
          aria-invalid={snap.loginError ? true : undefined}
          aria-describedby={snap.loginError ? 'login-error' : undefined}
        />
        {snap.loginError && (
          <p id="login-error" class="error" role="alert" data-testid="login-error">
            {snap.loginError}
          </p>
        )}
        <button type="submit" class="primary" data-testid="login-submit" disabled={busy}>
          {busy ? t('login.busy') : t('login.submit')}
        </button>
      </form>
    </main>
  );
}
