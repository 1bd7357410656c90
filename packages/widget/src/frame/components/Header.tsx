import type { ComponentChildren } from 'preact';
import type { Translate } from '../i18n.js';

interface Props {
  title: ComponentChildren;
  t: Translate;
  onClose(): void;
  photoUrl?: string | null;
  /** The channel's logo; its alt text is the channel's name. Not shown next to an agent's photo. */
  logo?: { url: string; alt: string } | null;
  children?: ComponentChildren;
}

export function Header({ title, t, onClose, photoUrl, logo, children }: Props) {
  return (
    <header class="header">
      {photoUrl ? (
        <img class="avatar" src={photoUrl} alt="" width={32} height={32} data-testid="agent-photo" />
      ) : (
        logo && <img class="logo" src={logo.url} alt={logo.alt} data-testid="header-logo" />
      )}
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

/** The header's logo for a config (null when the channel has none). */
export function headerLogo(config: { logoUrl: string | null; name: string }): { url: string; alt: string } | null {
  return config.logoUrl ? { url: config.logoUrl, alt: config.name } : null;
}
