import type { ConnectionStore } from './connection.js';
import type { DataStore } from './data.js';
import type { SessionStore } from './session.js';

const TYPING_IDLE_MS = 3_000;
const TYPING_RENEW_MS = 4_000;

/** Typing both ways: the visitor's indicator (with a sweep for lost typing:false) and mine, renewed while I type. */
export class TypingStore {
  private readonly sent = new Map<string, { at: number; idle: ReturnType<typeof setTimeout> }>();
  private sweep: ReturnType<typeof setInterval> | null = null;

  constructor(
    private readonly connection: ConnectionStore,
    private readonly data: DataStore,
    session: SessionStore,
  ) {
    connection.on('typing', (msg) => {
      if (msg.from === 'visitor') data.dispatch({ type: 'typing', chatId: msg.chatId, typing: msg.typing, at: Date.now() });
    });
    session.signedIn.add(() => {
      this.sweep ??= setInterval(() => {
        if (Object.values(data.data.threads).some((t) => t.visitorTyping)) data.dispatch({ type: 'typingExpired', now: Date.now() });
      }, 2_000);
    });
    session.signedOut.add(() => {
      if (this.sweep) clearInterval(this.sweep);
      this.sweep = null;
      for (const { idle } of this.sent.values()) clearTimeout(idle);
      this.sent.clear();
    });
  }

  start(chatId: string): void {
    if (this.data.data.chats[chatId]?.status !== 'active') return;
    const now = Date.now();
    const current = this.sent.get(chatId);
    if (current) clearTimeout(current.idle);
    const renew = !current || now - current.at > TYPING_RENEW_MS;
    if (renew) this.connection.send({ type: 'typing', chatId, typing: true });
    this.sent.set(chatId, { at: renew ? now : (current?.at ?? now), idle: setTimeout(() => this.stop(chatId), TYPING_IDLE_MS) });
  }

  stop(chatId: string): void {
    const current = this.sent.get(chatId);
    if (!current) return;
    clearTimeout(current.idle);
    this.sent.delete(chatId);
    this.connection.send({ type: 'typing', chatId, typing: false });
  }
}
