import type { WarningMessage } from '@loket/protocol';
import { formatElapsed } from '../../time.js';
import { CHATS_ROUTE } from '../route.js';
import { beep, notifyDesktop } from '../warning-alerts.js';
import type { ConnectionStore } from './connection.js';
import type { DataStore } from './data.js';
import type { LanguageStore } from './language.js';
import type { RouteStore } from './navigation.js';
import type { SelectionStore } from './selection.js';

/** Unanswered-chat warnings: kept in the data (they go when the chat stops waiting), shown, sounded and opened from here. */
export class WarningsStore {
  constructor(
    connection: ConnectionStore,
    private readonly data: DataStore,
    private readonly language: LanguageStore,
    private readonly route: RouteStore,
    private readonly selection: SelectionStore,
  ) {
    connection.on('warning', (w) => {
      data.dispatch({ type: 'warning', warning: w });
      beep();
      notifyDesktop(w, language.state.t('warning.title'), this.warningText(w), () => this.openWarning(w.chatId));
    });
  }

  /** The banner's (or desktop notification's) text for a warning, in the current UI language. */
  warningText(w: WarningMessage): string {
    const t = this.language.state.t;
    return t(`warning.${w.level}`, { name: w.visitorName || t('message.visitor'), time: formatElapsed(w.waitedSeconds * 1000, t), channel: w.channelName });
  }

  /** Opens the warned-about chat: its preview while it waits, the conversation if it became mine meanwhile. */
  openWarning(chatId: string): void {
    this.dismissWarning(chatId);
    this.route.navigate(CHATS_ROUTE);
    const waiting = this.data.data.queue.find((q) => q.chatId === chatId);
    if (waiting) this.selection.preview(waiting);
    else if (this.data.data.chats[chatId]) this.selection.select(chatId);
  }

  dismissWarning(chatId: string): void {
    this.data.dispatch({ type: 'dismissWarning', chatId });
  }
}
