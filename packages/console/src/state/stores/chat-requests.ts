import type { ChatRequestCreated, ChatRequestInput } from '@loket/protocol';
import { randomId } from '../../ids.js';
import type { Api } from '../../net/api.js';
import { Store } from './base.js';
import type { ComposerStore } from './composer.js';
import type { Problem, SessionStore } from './session.js';

export type ChatRequestDraft = Omit<ChatRequestInput, 'requestKey'>;

interface ChatRequestsState {
  /** The chat whose "Create request" dialog is open, or null. */
  openFor: string | null;
  busy: boolean;
  problem: Problem | null;
}

/**
 * Task menu › Create request: makes a request from a chat and puts the message with its ID in
 * that chat's composer for the agent to send (the agent decides when, and may edit it).
 */
export class ChatRequestsStore extends Store<ChatRequestsState> {
  /** One key per open dialog: a retry after a lost answer returns the same request. */
  private requestKey = randomId(18);

  constructor(
    private readonly http: Api,
    private readonly composer: ComposerStore,
    private readonly session: SessionStore,
  ) {
    super({ openFor: null, busy: false, problem: null });
    session.signedOut.add(() => this.set({ openFor: null, busy: false, problem: null }));
  }

  open(chatId: string): void {
    this.requestKey = randomId(18);
    this.set({ openFor: chatId, busy: false, problem: null });
  }

  close(): void {
    this.set({ openFor: null, busy: false, problem: null });
  }

  async create(draft: ChatRequestDraft): Promise<ChatRequestCreated | null> {
    const chatId = this.state.openFor;
    if (chatId === null || this.state.busy) return null;
    this.set({ busy: true, problem: null });
    try {
      const created = await this.http.createChatRequest(chatId, { ...draft, requestKey: this.requestKey });
      const draftText = this.composer.state.drafts[chatId]?.trim() ?? '';
      // Whatever the agent was typing stays; the ID message goes after it.
      this.composer.setDraft(chatId, draftText === '' ? created.customerMessage : `${draftText}\n${created.customerMessage}`);
      this.close();
      return created;
    } catch (err) {
      this.set({ busy: false, problem: this.session.problem(err) });
      return null;
    }
  }
}
