import { ErrorBodySchema, fileUploadUrl, formatFileSize } from '@loket/protocol';
import type { Api } from '../../net/api.js';
import { translateError } from '../../i18n/index.js';
import { randomId } from '../../ids.js';
import { backoffDelay } from '../../net/backoff.js';
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
      this.post(chatId, upload.id, file, 0);
    }
  }

  /** Network failures and 5xx are retried with the same clientFileId: the server stores it once whatever happens. */
  private post(chatId: string, id: string, file: File, attempt: number): void {
    const xhr = new XMLHttpRequest();
    this.requests.set(id, xhr);
    xhr.open('POST', fileUploadUrl(chatId, { clientFileId: id, name: file.name }));
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.setRequestHeader('Accept-Language', this.language.state.lang);
    if (this.http.csrfToken) xhr.setRequestHeader('X-CSRF-Token', this.http.csrfToken);
    xhr.upload.onprogress = (e) => this.update(chatId, id, { progress: e.lengthComputable ? e.loaded / e.total : null });
    const retry = () => {
      if (attempt < 3) return void setTimeout(() => this.requests.has(id) && this.post(chatId, id, file, attempt + 1), backoffDelay(attempt));
      this.requests.delete(id);
      this.update(chatId, id, { error: this.language.state.t('connection.offline') });
    };
    xhr.onload = () => {
      if (xhr.status >= 500) return retry();
      this.requests.delete(id);
      if (xhr.status === 201) return this.remove(chatId, id);
      this.update(chatId, id, { error: this.refusal(xhr) });
    };
    xhr.onerror = retry;
    xhr.send(file);
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
