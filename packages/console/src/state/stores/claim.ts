import type { ErrorCode, Presence } from '@loket/protocol';
import { translateError } from '../../i18n/index.js';
import { Store } from './base.js';
import type { ConnectionStore } from './connection.js';
import type { DataStore } from './data.js';
import type { LanguageStore } from './language.js';
import type { NoticeStore } from './notice.js';
import type { SelectionStore } from './selection.js';
import type { SessionStore } from './session.js';

export interface ClaimState {
  busy: boolean;
  /** Which waiting chat the last claim was about; null for "Get next in queue". */
  chatId: string | null;
  /** Kept as code + server text so it re-translates when the UI language changes. */
  error: { code: ErrorCode; message: string } | null;
}

const IDLE: ClaimState = { busy: false, chatId: null, error: null };

/** Taking chats from the queue and letting them go: claim, "Get next", end, and my presence. */
export class ClaimStore extends Store<{ claim: ClaimState }> {
  constructor(
    private readonly connection: ConnectionStore,
    private readonly data: DataStore,
    private readonly language: LanguageStore,
    private readonly notice: NoticeStore,
    selection: SelectionStore,
    session: SessionStore,
  ) {
    super({ claim: IDLE });
    session.signedOut.add(() => this.set({ claim: IDLE }));
    // A newly previewed chat starts without the last claim's outcome.
    let previewed = selection.state.selection;
    selection.subscribe(() => {
      const sel = selection.state.selection;
      if (sel === previewed) return;
      previewed = sel;
      if (sel?.kind === 'preview') this.set({ claim: IDLE });
    });
    connection.on('claimed', ({ chat }) => {
      data.dispatch({ type: 'chatSummary', chat });
      data.dispatch({ type: 'queueRemoved', chatId: chat.id });
      this.set({ claim: IDLE });
      selection.select(chat.id);
    });
  }

  claim(chatId: string): void {
    this.ask(chatId, (rid) => ({ type: 'claim', rid, chatId }));
  }

  claimNext(): void {
    this.ask(null, (rid) => ({ type: 'claimNext', rid }));
  }

  end(chatId: string): void {
    const sent = this.connection.request((rid) => ({ type: 'end', rid, chatId }), {
      refused: ({ code, message }) => this.notice.show(translateError(this.language.state.lang, code, message)),
    });
    if (!sent) this.notice.offline();
  }

  togglePresence(): void {
    const previous: Presence = this.data.data.presence;
    const presence: Presence = previous === 'present' ? 'away' : 'present';
    const sent = this.connection.request((rid) => ({ type: 'presence', rid, presence }), {
      refused: ({ code, message }) => {
        this.data.dispatch({ type: 'presence', presence: previous });
        this.notice.show(translateError(this.language.state.lang, code, message));
      },
    });
    if (!sent) return this.notice.offline();
    this.data.dispatch({ type: 'presence', presence });
  }

  private ask(chatId: string | null, build: Parameters<ConnectionStore['request']>[0]): void {
    const sent = this.connection.request(build, {
      refused: ({ code, message }) => this.set({ claim: { busy: false, chatId, error: { code, message } } }),
      lost: () => this.set({ claim: { ...this.state.claim, busy: false } }),
    });
    if (!sent) return this.notice.offline();
    this.set({ claim: { busy: true, chatId, error: null } });
  }
}
