import type { OngoingChatsResult, Transfer, TransferTargetsResult } from '@loket/protocol';
import { translateError } from '../../i18n/index.js';
import { randomId } from '../../ids.js';
import type { Api } from '../../net/api.js';
import { beep } from '../warning-alerts.js';
import { Store } from './base.js';
import type { ConnectionStore } from './connection.js';
import type { DataStore } from './data.js';
import type { LanguageStore } from './language.js';
import type { NoticeStore } from './notice.js';
import type { SessionStore } from './session.js';
import type { ThreadsStore } from './threads.js';

export interface CollaborationState {
  /** Pending transfers I sent or received, by id. */
  transfers: Readonly<Record<string, Transfer>>;
  /** Colleagues' ongoing chats I may listen in to, and where I may listen and manage; null until loaded. */
  team: OngoingChatsResult | null;
  /** Per chat, a note being sent (the composer keeps its text until the server stored it). */
  notesSending: Readonly<Record<string, boolean>>;
  noteErrors: Readonly<Record<string, string>>;
}

const INITIAL: CollaborationState = { transfers: {}, team: null, notesSending: {}, noteErrors: {} };

/**
 * Working together (docs/collaboration.md): transfers sent and received, transfer to a channel,
 * take-over, listening in and internal notes. The actions go over the socket; the two lists
 * (transfer targets, colleagues' chats) come from REST.
 */
export class CollaborationStore extends Store<CollaborationState> {
  constructor(
    private readonly connection: ConnectionStore,
    private readonly data: DataStore,
    private readonly language: LanguageStore,
    private readonly notice: NoticeStore,
    private readonly threads: ThreadsStore,
    private readonly api: Api,
    session: SessionStore,
  ) {
    super(INITIAL);
    session.signedOut.add(() => this.set(INITIAL));
    connection.on('ready', () => void this.loadTeam());
    connection.on('transfer', ({ transfer }) => this.onTransfer(transfer));
    connection.on('chatRemoved', ({ chatId }) => data.dispatch({ type: 'chatRemoved', chatId }));
    connection.on('takenOver', ({ chatId, by }) => {
      const name = data.data.chats[chatId]?.visitorName ?? '';
      this.notice.show(this.t('collab.takenOver', { by: by.name, name }));
    });
  }

  private get t() {
    return this.language.state.t;
  }

  private get me(): string | undefined {
    return this.data.data.agent?.id;
  }

  incoming(): Transfer | undefined {
    return Object.values(this.state.transfers).find((x) => x.to.id === this.me);
  }

  outgoing(chatId: string): Transfer | undefined {
    return Object.values(this.state.transfers).find((x) => x.chatId === chatId && x.from.id === this.me);
  }

  manages(channelId: string): boolean {
    return this.state.team?.managedChannelIds.includes(channelId) ?? false;
  }

  private onTransfer(transfer: Transfer): void {
    const transfers = { ...this.state.transfers };
    const known = transfers[transfer.id];
    if (transfer.status === 'pending') transfers[transfer.id] = transfer;
    else delete transfers[transfer.id];
    this.set({ transfers });
    const mine = transfer.from.id === this.me;
    if (transfer.status === 'pending') {
      if (!known && transfer.to.id === this.me) {
        // Like a new chat: a sound, and the whole conversation to decide on.
        beep();
        this.threads.open(transfer.chatId);
        this.notifyDesktop(transfer);
      }
      return;
    }
    if (mine && transfer.status !== 'cancelled') this.notice.show(this.t(`transfer.${transfer.status}`, { name: transfer.to.name }));
    if (!mine && known && (transfer.status === 'cancelled' || transfer.status === 'expired')) {
      this.notice.show(this.t('transfer.withdrawn', { name: transfer.chat.visitorName }));
    }
    if (!mine && transfer.status !== 'accepted') this.threads.close(transfer.chatId);
  }

  private notifyDesktop(transfer: Transfer): void {
    if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
    try {
      const body = this.t('transfer.incomingNotify', { from: transfer.from.name, name: transfer.chat.visitorName });
      const n = new Notification(this.t('transfer.incomingTitle', { name: transfer.from.name }), { body, tag: `loket-transfer-${transfer.id}` });
      n.onclick = () => {
        window.focus();
        n.close();
      };
    } catch {
      // Notifications only from a service worker here: the dialog and the sound still tell.
    }
  }

  async loadTeam(): Promise<void> {
    try {
      this.set({ team: await this.api.ongoingChats() });
    } catch {
      // The team list is a convenience; the chats themselves still work without it.
    }
  }

  transferTargets(chatId: string): Promise<TransferTargetsResult> {
    return this.api.transferTargets(chatId);
  }

  /** Sends a socket request; a refusal becomes the notice; false when offline. */
  private act(build: Parameters<ConnectionStore['request']>[0], done?: () => void): boolean {
    const sent = this.connection.request(build, {
      refused: ({ code, message }) => this.notice.show(translateError(this.language.state.lang, code, message)),
    });
    if (!sent) this.notice.offline();
    else done?.();
    return sent;
  }

  transfer(chatId: string, toAgentId: string, note: string): boolean {
    return this.act((rid) => ({ type: 'transfer', rid, chatId, toAgentId, note }));
  }

  answer(transferId: string, accept: boolean): void {
    this.decide(transferId, (rid) => ({ type: 'transferAnswer', rid, transferId, accept }));
  }

  cancel(transferId: string): void {
    this.decide(transferId, (rid) => ({ type: 'transferCancel', rid, transferId }));
  }

  /** An answer or cancel; one that came too late (decided meanwhile, e.g. while offline) drops the transfer here too. */
  private decide(transferId: string, build: Parameters<ConnectionStore['request']>[0]): void {
    const sent = this.connection.request(build, {
      refused: ({ code, message }) => {
        if (code === 'transfer_not_pending' || code === 'transfer_not_found') {
          const transfers = { ...this.state.transfers };
          delete transfers[transferId];
          this.set({ transfers });
        }
        this.notice.show(translateError(this.language.state.lang, code, message));
      },
    });
    if (!sent) this.notice.offline();
  }

  toChannel(chatId: string, channelId: string, channelName: string): boolean {
    const name = this.data.data.chats[chatId]?.visitorName ?? '';
    return this.act(
      (rid) => ({ type: 'transferToChannel', rid, chatId, channelId }),
      () => this.notice.show(this.t('transfer.queued', { name, channel: channelName })),
    );
  }

  takeOver(chatId: string): void {
    this.act((rid) => ({ type: 'takeOver', rid, chatId }));
  }

  listen(chatId: string): void {
    this.act((rid) => ({ type: 'listen', rid, chatId }), () => this.threads.open(chatId));
  }

  unlisten(chatId: string): void {
    this.act((rid) => ({ type: 'unlisten', rid, chatId }));
  }

  /** Resolves true once the server stored the note (its event follows on the chat's stream). */
  sendNote(chatId: string, body: string): Promise<boolean> {
    return new Promise((resolve) => {
      const clientMsgId = randomId(16);
      const settle = (ok: boolean, error?: string) => {
        const notesSending = { ...this.state.notesSending, [chatId]: false };
        const noteErrors = { ...this.state.noteErrors };
        if (error) noteErrors[chatId] = error;
        else delete noteErrors[chatId];
        this.set({ notesSending, noteErrors });
        resolve(ok);
      };
      const off = this.connection.on('ack', (ack) => {
        if (ack.clientMsgId !== clientMsgId) return;
        off();
        settle(true);
      });
      const sent = this.connection.request((rid) => ({ type: 'note', rid, chatId, clientMsgId, body }), {
        refused: ({ code, message }) => {
          off();
          settle(false, this.t('note.failed', { reason: translateError(this.language.state.lang, code, message) }));
        },
        lost: () => {
          off();
          settle(false, this.t('note.failed', { reason: this.t('connection.offline') }));
        },
      });
      if (!sent) {
        off();
        settle(false, this.t('note.failed', { reason: this.t('connection.offline') }));
        return;
      }
      this.set({ notesSending: { ...this.state.notesSending, [chatId]: true } });
    });
  }
}
