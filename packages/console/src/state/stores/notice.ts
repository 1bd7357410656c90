import { Store } from './base.js';
import type { LanguageStore } from './language.js';
import type { SessionStore } from './session.js';

/** The one-line notice above the conversation (a refused action, no connection). */
export class NoticeStore extends Store<{ notice: string | null }> {
  constructor(
    private readonly language: LanguageStore,
    session: SessionStore,
  ) {
    super({ notice: null });
    session.signedOut.add(() => this.dismiss());
  }

  show(notice: string): void {
    this.set({ notice });
  }

  /** An action needed the socket and it is down. */
  offline(): void {
    this.set({ notice: this.language.state.t('connection.offline') });
  }

  dismiss(): void {
    if (this.state.notice !== null) this.set({ notice: null });
  }
}
