import { ErrorBodySchema, fileUploadUrl, formatFileSize, type ChannelFileSettings } from '@loket/protocol';
import { useEffect, useRef, useState } from 'preact/hooks';
import { backoffDelay } from '../backoff.js';
import { errorText, type Translate } from '../i18n.js';
import { newClientMsgId } from '../ids.js';
import './uploads.css';

/**
 * Files on their way (loaded on the first one: most chats never send a file). Each goes up over
 * HTTP with a progress bar and a cancel button; its chat event arrives like any message, over the
 * socket. The server decides what a file is, so only the size is checked here first.
 */
interface Item {
  id: string;
  name: string;
  /** 0–1, or null when the total is unknown. */
  progress: number | null;
  error?: string;
}

export interface Batch {
  n: number;
  files: File[];
}

interface Props {
  t: Translate;
  token: string;
  chatId: string;
  settings: ChannelFileSettings;
  batch: Batch;
}

export default function Uploads({ t, token, chatId, settings, batch }: Props) {
  const [items, setItems] = useState<Item[]>([]);
  const update = (id: string, change: Partial<Item> | null) =>
    setItems((all) => (change ? all.map((i) => (i.id === id ? { ...i, ...change } : i)) : all.filter((i) => i.id !== id)));
  const tooLarge = () => t('errFileTooLarge', { limit: formatFileSize(settings.maxBytes, document.documentElement.lang) });

  // The request of each upload on its way; gone once it is answered, cancelled or given up.
  const requests = useRef(new Map<string, XMLHttpRequest>());

  /** Network failures and 5xx are retried with the same clientFileId: the server stores it once whatever happens. */
  const post = (id: string, file: File, attempt: number): void => {
    const xhr = new XMLHttpRequest();
    requests.current.set(id, xhr);
    xhr.open('POST', fileUploadUrl(chatId, { clientFileId: id, name: file.name }));
    xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.upload.onprogress = (e) => update(id, { progress: e.lengthComputable ? e.loaded / e.total : null });
    const retry = () => {
      if (attempt < 3) return void setTimeout(() => requests.current.has(id) && post(id, file, attempt + 1), backoffDelay(attempt));
      requests.current.delete(id);
      update(id, { error: t('errNetwork') });
    };
    xhr.onload = () => {
      if (xhr.status >= 500) return retry();
      requests.current.delete(id);
      if (xhr.status === 201) return update(id, null);
      let body: unknown;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // not ours: a proxy's page
      }
      const parsed = ErrorBodySchema.safeParse(body);
      const error = !parsed.success
        ? t(xhr.status === 413 ? 'errFileTooBig' : 'errGeneric')
        : parsed.data.error.code === 'file_too_large'
          ? tooLarge()
          : errorText(t, parsed.data.error.code, parsed.data.error.message);
      update(id, { error });
    };
    xhr.onerror = retry;
    xhr.send(file);
  };

  useEffect(() => {
    const added = batch.files.map((file): Item => {
      const item: Item = { id: newClientMsgId(), name: file.name, progress: 0 };
      if (file.size > settings.maxBytes) return { ...item, error: tooLarge() };
      if (file.size === 0) return { ...item, error: t('errFileEmpty') };
      post(item.id, file, 0);
      return item;
    });
    if (added.length > 0) setItems((all) => [...all, ...added]);
    // Each batch is taken once, when it arrives.
  }, [batch.n]);

  if (items.length === 0) return null;
  return (
    <ul class="uploads" data-testid="uploads">
      {items.map((item) => (
        <li key={item.id} class={item.error ? 'upload failed' : 'upload'} data-testid="upload">
          {item.error ? (
            <p class="err" role="alert" data-testid="upload-error">
              {item.name}: {item.error}
            </p>
          ) : (
            <>
              <span class="upload-name">{t('fileSending', { name: item.name })}</span>
              <progress max={1} value={item.progress ?? undefined} aria-label={t('fileSending', { name: item.name })} />
            </>
          )}
          <button
            type="button"
            class="text-btn"
            aria-label={item.error ? t('fileDismiss') : t('fileCancel', { name: item.name })}
            data-testid={item.error ? 'upload-dismiss' : 'upload-cancel'}
            onClick={() => {
              requests.current.get(item.id)?.abort();
              requests.current.delete(item.id);
              update(item.id, null);
            }}
          >
            {item.error ? t('fileDismiss') : t('cancel')}
          </button>
        </li>
      ))}
    </ul>
  );
}
