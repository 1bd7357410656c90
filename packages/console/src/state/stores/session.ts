import type { ErrorCode, Session } from '@loket/protocol';
import { translateError } from '../../i18n/index.js';
import { Api, ApiError } from '../../net/api.js';
import { Hooks, Store } from './base.js';
import type { ConnectionStore } from './connection.js';
import type { LanguageStore } from './language.js';
import type { RouteStore } from './navigation.js';

export type Screen = 'loading' | 'login' | 'console';

/**
 * A failed request, kept as code + server text so it re-translates when the UI language changes
 * (see problemText). `code` null: the server's answer was not understood; `network`: no answer.
 */
export interface Problem {
  code: ErrorCode | null;
  message: string;
  field: string | null;
  detail: string | null;
  network: boolean;
}

export interface SessionState {
  screen: Screen;
  session: Session | null;
  loginError: string | null;
}

/**
 * Who is signed in. Other stores join the session's life through the hooks: `signedIn` (before the
 * socket starts), `signedOut` (after it stopped) and `agentChanged` (my profile was saved).
 */
export class SessionStore extends Store<SessionState> {
  readonly signedIn = new Hooks<Session>();
  readonly signedOut = new Hooks<void>();
  readonly agentChanged = new Hooks<Session['agent']>();

  constructor(
    private readonly api: Api,
    private readonly language: LanguageStore,
    private readonly connection: ConnectionStore,
    private readonly route: RouteStore,
  ) {
    super({ screen: 'loading', session: null, loginError: null });
    // Each snapshot carries the agent as they are now: an administrator may have changed their role or name.
    connection.on('ready', ({ agent }) => {
      const session = this.state.session;
      if (!session) return;
      this.set({ session: { ...session, agent } });
      this.route.follow(this.route.state.route, agent.role);
    });
  }

  get role(): Session['agent']['role'] | undefined {
    return this.state.session?.agent.role;
  }

  async restore(): Promise<void> {
    try {
      const session = await this.api.session();
      if (session) this.start(session);
      else this.set({ screen: 'login' });
    } catch {
      this.set({ screen: 'login', loginError: this.language.state.t('login.networkError') });
    }
  }

  async login(email: string, password: string): Promise<void> {
    this.set({ loginError: null });
    try {
      this.start(await this.api.login({ email, password }));
    } catch (err) {
      this.set({ loginError: this.describeError(err) });
    }
  }

  async logout(): Promise<void> {
    this.connection.stop();
    try {
      await this.api.logout();
    } catch (err) {
      // Signed out locally either way; a failed request only leaves a cookie the server expires.
      console.warn('Loket: sign-out request failed', err);
    }
    this.end(null);
  }

  /** The server says the session is over; shown on the sign-in screen. */
  expired(serverMessage = ''): void {
    this.end(translateError(this.language.state.lang, 'unauthenticated', serverMessage));
  }

  /** The socket never opened: ends the session only if the server no longer knows it. */
  async probe(): Promise<void> {
    try {
      if ((await this.api.session()) === null) this.expired();
    } catch {
      // Network down: the socket keeps retrying and will find out.
    }
  }

  /** After "My profile" saved: the top bar and new messages use the new name and photo. */
  profileSaved(agent: Session['agent']): void {
    const session = this.state.session;
    if (!session) return;
    this.set({ session: { ...session, agent } });
    this.agentChanged.run(agent);
  }

  /**
   * Turns a failed request into something to show. A lapsed session (401) ends it here, so every
   * view gets the same behaviour as the socket's.
   */
  problem(err: unknown): Problem {
    if (err instanceof ApiError) {
      if (err.status === 401) this.expired(err.message);
      return { code: err.code, message: err.message, field: err.field, detail: err.detail, network: false };
    }
    return { code: null, message: err instanceof Error ? err.message : String(err), field: null, detail: null, network: true };
  }

  /**
   * The text of a problem in the current UI language. An error about one form field keeps the
   * server's own message: it names the field's rule (and was asked for in the UI language).
   */
  problemText(problem: Problem): string {
    const { lang, t } = this.language.state;
    if (problem.network) return t('login.networkError');
    if (problem.field !== null && problem.message.trim() !== '') return problem.message;
    return problem.code ? translateError(lang, problem.code, problem.message) : t('error.generic');
  }

  describeError(err: unknown): string {
    const { lang, t } = this.language.state;
    if (err instanceof ApiError) return err.code ? translateError(lang, err.code, err.message) : t('error.generic');
    return t('login.networkError');
  }

  private start(session: Session): void {
    this.set({ session, screen: 'console', loginError: null });
    // A deep link into an admin view stays for administrators; anyone else lands on the chats.
    this.route.follow(this.route.state.route, session.agent.role);
    this.signedIn.run(session);
    this.connection.start();
  }

  /** Ends the session here, showing `message` on the sign-in screen. */
  end(message: string | null): void {
    this.connection.stop();
    this.api.csrfToken = null;
    this.signedOut.run();
    this.set({ screen: 'login', session: null, loginError: message });
  }
}
