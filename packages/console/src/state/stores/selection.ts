import type { QueueItem } from '@loket/protocol';
import { CHATS_ROUTE } from '../route.js';
import { Store } from './base.js';
import type { DataStore } from './data.js';
import type { RouteStore } from './navigation.js';
import type { NoticeStore } from './notice.js';
import type { SessionStore } from './session.js';
import type { ThreadsStore } from './threads.js';

export type Selection = { kind: 'chat'; chatId: string } | { kind: 'preview'; item: QueueItem } | null;

/** Which conversation is on screen: one of my chats, or the preview of a waiting one. */
export class SelectionStore extends Store<{ selection: Selection }> {
  constructor(
    private readonly data: DataStore,
    private readonly threads: ThreadsStore,
    private readonly notice: NoticeStore,
    private readonly route: RouteStore,
    session: SessionStore,
  ) {
    super({ selection: null });
    session.signedOut.add(() => this.set({ selection: null }));
  }

  select(chatId: string): void {
    const sel = this.state.selection;
    if (sel?.kind === 'chat' && sel.chatId === chatId) return;
    this.closePreview();
    this.notice.dismiss();
    this.data.dispatch({ type: 'dismissReopened', chatId });
    this.threads.open(chatId);
    // Last, so whoever follows the selection (read receipts) sees the chat already subscribed.
    this.set({ selection: { kind: 'chat', chatId } });
  }

  preview(item: QueueItem): void {
    this.closePreview();
    this.set({ selection: { kind: 'preview', item } });
    this.threads.open(item.chatId);
  }

  /** Opens a reopened chat from its notice: the conversation if it is mine again, its preview if it went back to the queue. */
  openReopened(chatId: string): void {
    this.dismissReopened(chatId);
    this.route.navigate(CHATS_ROUTE);
    const waiting = this.data.data.queue.find((q) => q.chatId === chatId);
    const mine = this.data.data.chats[chatId];
    if (waiting && mine?.status !== 'active') this.preview(waiting);
    else this.select(chatId);
  }

  dismissReopened(chatId: string): void {
    this.data.dispatch({ type: 'dismissReopened', chatId });
  }

  private closePreview(): void {
    const sel = this.state.selection;
    if (sel?.kind === 'preview') this.threads.close(sel.item.chatId);
  }
}
