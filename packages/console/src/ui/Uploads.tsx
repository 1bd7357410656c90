import { useConsole, useStore } from './hooks.js';

/** The agent's files on their way into a chat, and the ones refused (translated, until dismissed). */
export function Uploads({ chatId }: { chatId: string }) {
  const [{ t }] = useConsole();
  const [state, uploads] = useStore((root) => root.uploads);
  const list = state.byChat[chatId] ?? [];
  if (list.length === 0) return null;
  return (
    <ul class="uploads" data-testid="uploads">
      {list.map((u) => (
        <li key={u.id} class="upload" data-testid="upload">
          {u.error ? (
            <p class="error" role="alert" data-testid="upload-error">
              {t('files.refused', { name: u.name, reason: u.error })}
            </p>
          ) : (
            <>
              <span class="upload-name">{t('files.sending', { name: u.name })}</span>
              <progress max={1} value={u.progress ?? undefined} aria-label={t('files.sending', { name: u.name })} />
            </>
          )}
          <button
            type="button"
            class="small"
            data-testid={u.error ? 'upload-dismiss' : 'upload-cancel'}
            aria-label={u.error ? undefined : t('files.cancelLabel', { name: u.name })}
            onClick={() => uploads.cancel(chatId, u.id)}
          >
            {u.error ? t('files.dismiss') : t('files.cancel')}
          </button>
        </li>
      ))}
    </ul>
  );
}
