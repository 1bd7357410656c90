import type { Session } from '@loket/protocol';
import type { Translate, UiLanguage } from '../i18n/index.js';
import { Api } from '../net/api.js';
import type { SocketStatus } from '../net/socket.js';
import type { Outbox } from './outbox.js';
import type { ConsoleState } from './reducer.js';
import type { Route } from './route.js';
import { ChatRequestsStore } from './stores/chat-requests.js';
import { ClaimStore, type ClaimState } from './stores/claim.js';
import { CollaborationStore } from './stores/collaboration.js';
import { ComposerStore } from './stores/composer.js';
import { ConnectionStore, type SocketFactory } from './stores/connection.js';
import { DataStore } from './stores/data.js';
import { LanguageStore } from './stores/language.js';
import { RouteStore } from './stores/navigation.js';
import { NoticeStore } from './stores/notice.js';
import { ReadsStore } from './stores/reads.js';
import { SelectionStore, type Selection } from './stores/selection.js';
import { SessionStore, type Screen } from './stores/session.js';
import { ThreadsStore, type LoadState } from './stores/threads.js';
import { TypingStore } from './stores/typing.js';
import { UploadsStore } from './stores/uploads.js';
import { WarningsStore } from './stores/warnings.js';
import { QuickRepliesStore } from './stores/quick-replies.js';

export type { ClaimState } from './stores/claim.js';
export type { Reply, SocketFactory, SocketLike } from './stores/connection.js';
export type { Selection } from './stores/selection.js';
export type { Problem, Screen } from './stores/session.js';
export type { LoadState } from './stores/threads.js';

/** The state of the stores the console's screens read through useConsole, as one object. */
export interface Snapshot {
  screen: Screen;
  lang: UiLanguage;
  t: Translate;
  session: Session | null;
  loginError: string | null;
  connection: SocketStatus;
  data: ConsoleState;
  selection: Selection;
  drafts: Readonly<Record<string, string>>;
  outbox: Outbox;
  claim: ClaimState;
  loads: Readonly<Record<string, LoadState>>;
  notice: string | null;
  /** Where the console is (the URL under /console/); admin views only for role 'admin'. */
  route: Route;
}

/**
 * The console's root: builds the stores per concern (state/stores/) in dependency order and
 * composes their state into one snapshot. It holds no logic of its own; a feature's store is one
 * more field here (docs/ARCHITECTURE.md, "The console's stores").
 */
export class ConsoleStore {
  readonly language = new LanguageStore();
  /** The HTTP client, for the admin views (they keep their own view state). */
  readonly http = new Api(() => this.language.state.lang);
  readonly connection: ConnectionStore;
  readonly route: RouteStore;
  readonly session: SessionStore;
  readonly data: DataStore;
  readonly notice: NoticeStore;
  readonly typing: TypingStore;
  readonly composer: ComposerStore;
  readonly threads: ThreadsStore;
  readonly selection: SelectionStore;
  readonly reads: ReadsStore;
  readonly claims: ClaimStore;
  readonly warnings: WarningsStore;
  readonly collaboration: CollaborationStore;
  readonly quickReplies: QuickRepliesStore;
  readonly chatRequests: ChatRequestsStore;
  readonly uploads: UploadsStore;

  private snap: Snapshot | null = null;
  private readonly listeners = new Set<() => void>();

  constructor(createSocket: SocketFactory) {
    this.connection = new ConnectionStore(createSocket, {
      unauthorized: () => this.session.expired(),
      neverOpened: () => void this.session.probe(),
    });
    this.route = new RouteStore(() => this.session.role);
    // Frame handlers run in construction order, so this order is also the order of the work on `ready`.
    this.session = new SessionStore(this.http, this.language, this.connection, this.route);
    this.data = new DataStore(this.connection, this.session);
    this.notice = new NoticeStore(this.language, this.session);
    this.typing = new TypingStore(this.connection, this.data, this.session);
    this.composer = new ComposerStore(this.connection, this.data, this.session, this.language, this.typing);
    this.threads = new ThreadsStore(this.connection, this.data, this.session, this.http, this.composer);
    this.selection = new SelectionStore(this.data, this.threads, this.notice, this.route, this.session);
    this.reads = new ReadsStore(this.connection, this.data, this.route, this.selection, this.threads, this.session);
    this.claims = new ClaimStore(this.connection, this.data, this.language, this.notice, this.selection, this.session);
    this.warnings = new WarningsStore(this.connection, this.data, this.language, this.route, this.selection);
    this.collaboration = new CollaborationStore(this.connection, this.data, this.language, this.notice, this.threads, this.http, this.session);
    this.quickReplies = new QuickRepliesStore(this.http, this.session);
    this.chatRequests = new ChatRequestsStore(this.http, this.composer, this.session);
    this.uploads = new UploadsStore(this.http, this.language, this.session);
    const parts = [this.language, this.connection, this.route, this.session, this.data, this.notice, this.composer, this.threads, this.selection, this.claims];
    for (const part of parts) {
      part.subscribe(() => {
        this.snap = null;
        for (const l of this.listeners) l();
      });
    }
  }

  async init(): Promise<void> {
    document.documentElement.lang = this.language.state.lang;
    await this.session.restore();
    this.reads.listen();
    window.addEventListener('online', () => this.connection.reconnectNow());
    this.route.listen();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  get snapshot(): Snapshot {
    this.snap ??= {
      ...this.session.state,
      ...this.language.state,
      connection: this.connection.state.status,
      ...this.data.state,
      ...this.selection.state,
      ...this.composer.state,
      ...this.claims.state,
      ...this.threads.state,
      ...this.notice.state,
      ...this.route.state,
    };
    return this.snap;
  }
}
