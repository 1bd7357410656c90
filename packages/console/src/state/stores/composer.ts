import { LIMITS } from '@loket/protocol';
import { translateError } from '../../i18n/index.js';
import { randomId } from '../../ids.js';
import * as outboxOps from '../outbox.js';
import { Store, safeStorage } from './base.js';
import type { ConnectionStore } from './connection.js';
import type { DataStore } from './data.js';
import type { LanguageStore } from './language.js';
import type { SessionStore } from './session.js';
import type { TypingStore } from './typing.js';

const outboxKey = (agentId: string) => `loket.console.outbox.${agentId}`;

export interface ComposerState {
  drafts: Readonly<Record<string, string>>;
  outbox: outboxOps.Outbox;
}

/**
 * What I write: drafts per chat and the outbox of sent messages the server has not acknowledged
 * yet (kept in localStorage per agent, resent with the same clientMsgId after every `ready`).
 */
export class ComposerStore extends Store<ComposerState> {
  constructor(
    private readonly connection: ConnectionStore,
    private readonly data: DataStore,
    private readonly session: SessionStore,
    private readonly language: LanguageStore,
    private readonly typing: TypingStore,
  ) {
    super({ drafts: {}, outbox: [] });
    session.signedIn.add(({ agent }) => this.set({ outbox: outboxOps.restoreOutbox(safeStorage()?.getItem(outboxKey(agent.id)) ?? null) }));
    session.signedOut.add(() => this.set({ drafts: {}, outbox: [] }));
    connection.on('ready', () => {
      for (const entry of outboxOps.toResend(this.state.outbox)) this.transmit(entry);
    });
  }

  setDraft(chatId: string, text: string): void {
    this.set({ drafts: { ...this.state.drafts, [chatId]: text } });
    if (text.trim() === '') this.typing.stop(chatId);
    else this.typing.start(chatId);
  }

  /** Queues the draft for sending; returns false when there is nothing (valid) to send. */
  sendDraft(chatId: string): boolean {
    const body = (this.state.drafts[chatId] ?? '').trim();
    if (body === '' || body.length > LIMITS.messageBody) return false;
    if (this.data.data.chats[chatId]?.status !== 'active') return false;
    const entry = { chatId, clientMsgId: randomId(), body, createdAt: Date.now() };
    this.setOutbox(outboxOps.enqueue(this.state.outbox, entry));
    this.set({ drafts: { ...this.state.drafts, [chatId]: '' } });
    this.typing.stop(chatId);
    this.transmit(entry);
    return true;
  }

  retrySend(clientMsgId: string): void {
    this.setOutbox(outboxOps.retry(this.state.outbox, clientMsgId));
    const entry = this.state.outbox.find((e) => e.clientMsgId === clientMsgId);
    if (entry) this.transmit(entry);
  }

  discardSend(clientMsgId: string): void {
    this.setOutbox(outboxOps.discard(this.state.outbox, clientMsgId));
  }

  /** The server stored the message: it leaves the outbox; returns it so it can become the chat event. */
  acknowledge(clientMsgId: string): outboxOps.OutboxEntry | undefined {
    const { outbox, entry } = outboxOps.acknowledge(this.state.outbox, clientMsgId);
    if (entry) this.setOutbox(outbox);
    return entry;
  }

  private transmit(entry: { chatId: string; clientMsgId: string; body: string }): void {
    const { clientMsgId } = entry;
    // Not connected: the entry stays in the outbox and goes out after the next `ready`.
    this.connection.request((rid) => ({ type: 'send', rid, chatId: entry.chatId, clientMsgId, body: entry.body }), {
      refused: ({ code, message, retryable }) => {
        if (retryable) {
          setTimeout(() => {
            const pending = this.state.outbox.find((e) => e.clientMsgId === clientMsgId && e.status === 'pending');
            if (pending) this.transmit(pending);
          }, 2_000);
        } else {
          const text = translateError(this.language.state.lang, code, message);
          this.setOutbox(outboxOps.markFailed(this.state.outbox, clientMsgId, { code, message: text }));
        }
      },
    });
  }

  private setOutbox(outbox: outboxOps.Outbox): void {
    this.set({ outbox });
    const agent = this.session.state.session?.agent;
    if (agent) safeStorage()?.setItem(outboxKey(agent.id), JSON.stringify(outbox));
  }
}
