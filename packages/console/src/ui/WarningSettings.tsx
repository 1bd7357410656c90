import { useState } from 'preact/hooks';
import { desktopPermission, requestDesktopNotifications, setSoundEnabled, soundEnabled, type DesktopPermission } from '../state/warning-alerts.js';
import { useConsole } from './hooks.js';

/** This device's settings for warnings: sound on/off, and asking for desktop notifications (from this click only). */
export function WarningSettings() {
  const [snap] = useConsole();
  const { t } = snap;
  const [sound, setSound] = useState(soundEnabled());
  const [permission, setPermission] = useState<DesktopPermission>(desktopPermission());
  return (
    <section class="admin-form" aria-labelledby="warning-settings-heading" data-testid="warning-settings">
      <h2 id="warning-settings-heading">{t('warning.settings')}</h2>
      <label class="check">
        <input
          type="checkbox"
          data-testid="warning-sound"
          checked={sound}
          onChange={(e) => {
            const on = (e.currentTarget as HTMLInputElement).checked;
            setSoundEnabled(on);
            setSound(on);
          }}
        />
        {t('warning.sound')}
      </label>
      {permission === 'default' && (
        <p>
          <button type="button" data-testid="warning-desktop" onClick={() => void requestDesktopNotifications().then(setPermission)}>
            {t('warning.desktopOn')}
          </button>
        </p>
      )}
      {permission !== 'default' && (
        <p role="status" data-testid="warning-desktop-state">
          {t(permission === 'granted' ? 'warning.desktopGranted' : permission === 'denied' ? 'warning.desktopDenied' : 'warning.desktopUnsupported')}
        </p>
      )}
    </section>
  );
}
