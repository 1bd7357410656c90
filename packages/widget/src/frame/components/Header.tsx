import type { ComponentChildren } from 'preact';
import type { Translate } from '../i18n.js';

interface Props {
  title: ComponentChildren;
  t: Translate;
  onClose(): void;
  photoUrl?: string | null;
  children?: ComponentChildren;
}

export function Header({ title, t, onClose, photoUrl, children }: Props) {
  return (
    <header class="header">
      {photoUrl && <img class="avatar" src={photoUrl} alt="" width={32} height={32} />}
      <h1 class="title">{title}</h1>
      {children}
      <button type="button" class="icon-btn" data-testid="close-window" aria-label={t('minimise')} title={t('minimise')} onClick={onClose}>
        <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
          <path d="M5 11h14v2H5z" />
        </svg>
      </button>
    </header>
  );
}
