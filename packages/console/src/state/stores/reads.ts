import { highestSeq } from '../thread.js';
import type { ConnectionStore } from './connection.js';
import type { DataStore } from './data.js';
import type { RouteStore } from './navigation.js';
import type { SelectionStore } from './selection.js';
import type { SessionStore } from './session.js';
import type { ThreadsStore } from './threads.js';

/** Read receipts: tells the server how far I have read, but only while the conversation is really on screen. */
export class ReadsStore {
  /** Per chat, the seq last reported; reset on a new connection, whose server state starts afresh. */
  private readonly sent = new Map<string, number>();

  constructor(
    private readonly connection: ConnectionStore,
    private readonly data: DataStore,
    private readonly route: RouteStore,
    private readonly selection: SelectionStore,
    threads: ThreadsStore,
    session: SessionStore,
  ) {
    session.signedOut.add(() => this.sent.clear());
    connection.on('ready', () => {
      this.sent.clear();
      this.maybeSendRead();
    });
    threads.progressed.add(() => this.maybeSendRead());
    let shownRoute = route.state.route;
    route.subscribe(() => {
      const now = route.state.route;
      if (now === shownRoute) return;
      shownRoute = now;
      if (now.view === 'chats') this.maybeSendRead();
    });
    let shownSelection = selection.state.selection;
    selection.subscribe(() => {
      if (selection.state.selection === shownSelection) return;
      shownSelection = selection.state.selection;
      this.maybeSendRead();
    });
  }

  /** Back in the tab or window: what is on screen now counts as read. */
  listen(): void {
    document.addEventListener('visibilitychange', () => this.maybeSendRead());
    window.addEventListener('focus', () => this.maybeSendRead());
  }

  maybeSendRead(): void {
    const sel = this.selection.state.selection;
    // Read means seen: not while an admin view hides the conversation.
    if (sel?.kind !== 'chat' || document.visibilityState !== 'visible' || this.route.state.route.view !== 'chats') return;
    // Only the chat's own agent marks it read for the customer; a listener reads silently.
    if (this.data.data.chats[sel.chatId]?.agentId !== this.data.data.agent?.id) return;
    const seq = highestSeq(this.data.thread(sel.chatId));
    if (seq === 0 || seq <= (this.sent.get(sel.chatId) ?? 0)) return;
    if (this.connection.send({ type: 'read', chatId: sel.chatId, seq })) {
      this.sent.set(sel.chatId, seq);
      this.data.dispatch({ type: 'localRead', chatId: sel.chatId });
    }
  }
}
