import { ErrorBodySchema, fileUploadUrl, formatFileSize } from '@loket/protocol';
import type { Api } from '../../net/api.js';
import { translateError } from '../../i18n/index.js';
import { randomId } from '../../ids.js';
import { Store } from './base.js';
import type { LanguageStore } from './language.js';
import type { SessionStore } from './session.js';

/** One file on its way into a chat, or refused. */
export interface Upload {
  id: string;
  name: string;
  /** 0–1; null while the total is unknown. */
  progress: number | null;
  error: string | null;
}

interface UploadsState {
  byChat: Readonly<Record<string, readonly Upload[]>>;
}

/**
 * Files the agent sends (docs/files.md): each goes up over HTTP with progress and can be cancelled;
 * the chat event then arrives over the socket like a message. The server decides what a file is and
 * whether the channel takes it; refusals stay listed, translated, until dismissed.
 */
export class UploadsStore extends Store<UploadsState> {
  private readonly requests = new Map<string, XMLHttpRequest>();

  constructor(
    private readonly http: Api,
    private readonly language: LanguageStore,
    session: SessionStore,
  ) {
    super({ byChat: {} });
    session.signedOut.add(() => {
      for (const xhr of this.requests.values()) xhr.abort();
      this.requests.clear();
      this.set({ byChat: {} });
    });
  }

  send(chatId: string, files: readonly File[]): void {
    for (const file of files) {
      const upload: Upload = { id: randomId(18), name: file.name, progress: 0, error: null };
      this.put(chatId, upload);
      if (file.size === 0) {
        this.update(chatId, upload.id, { error: this.language.state.t('files.empty') });
        continue;
      }
      const xhr = new XMLHttpRequest();
      this.requests.set(upload.id, xhr);
      xhr.open('POST', fileUploadUrl(chatId, { clientFileId: upload.id, name: file.name }));
      xhr.setRequestHeader('Content-Type', 'application/octet-stream');
      xhr.setRequestHeader('Accept-Language', this.language.state.lang);
      if (this.http.csrfToken) xhr.setRequestHeader('X-CSRF-Token', this.http.csrfToken);
      xhr.upload.onprogress = (e) => this.update(chatId, upload.id, { progress: e.lengthComputable ? e.loaded / e.total : null });
      xhr.onload = () => {
        this.requests.delete(upload.id);
        if (xhr.status === 201) return this.remove(chatId, upload.id);
        this.update(chatId, upload.id, { error: this.refusal(xhr) });
      };
      xhr.onerror = () => {
        this.requests.delete(upload.id);
        this.update(chatId, upload.id, { error: this.language.state.t('connection.offline') });
      };
      xhr.send(file);
    }
  }

  /** Stops an upload on its way, or forgets a refused one. */
  cancel(chatId: string, id: string): void {
    this.requests.get(id)?.abort();
    this.requests.delete(id);
    this.remove(chatId, id);
  }

  private refusal(xhr: XMLHttpRequest): string {
    const { t, lang } = this.language.state;
    let body: unknown;
    try {
      body = JSON.parse(xhr.responseText);
    } catch {
      // not ours (a proxy's page)
    }
    const parsed = ErrorBodySchema.safeParse(body);
    if (!parsed.success) return t(xhr.status === 413 ? 'files.tooLargeNoLimit' : 'error.generic');
    const { code, message, limit } = parsed.data.error;
    if (code === 'file_too_large' && limit !== undefined) return t('files.tooLarge', { limit: formatFileSize(limit, lang) });
    return translateError(lang, code, message);
  }

  private put(chatId: string, upload: Upload): void {
    this.set({ byChat: { ...this.state.byChat, [chatId]: [...(this.state.byChat[chatId] ?? []), upload] } });
  }

  private update(chatId: string, id: string, patch: Partial<Upload>): void {
    const list = this.state.byChat[chatId] ?? [];
    this.set({ byChat: { ...this.state.byChat, [chatId]: list.map((u) => (u.id === id ? { ...u, ...patch } : u)) } });
  }

  private remove(chatId: string, id: string): void {
    const list = this.state.byChat[chatId] ?? [];
    this.set({ byChat: { ...this.state.byChat, [chatId]: list.filter((u) => u.id !== id) } });
  }
}
