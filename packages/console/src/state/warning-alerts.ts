import type { WarningMessage } from '@loket/protocol';

/**
 * What makes an unanswered-chat warning noticeable beyond the banner: a short beep (unless the agent
 * turned sound off on this device) and a desktop notification once the agent allowed them. The
 * permission is only ever asked for from a click (browsers ignore or punish prompts on load).
 */

const SOUND_KEY = 'loket.console.warningSound';

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

export function soundEnabled(): boolean {
  return storage()?.getItem(SOUND_KEY) !== 'off';
}

export function setSoundEnabled(on: boolean): void {
  storage()?.setItem(SOUND_KEY, on ? 'on' : 'off');
}

export type DesktopPermission = NotificationPermission | 'unsupported';

export function desktopPermission(): DesktopPermission {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

/** From a user gesture only. */
export async function requestDesktopNotifications(): Promise<DesktopPermission> {
  if (typeof Notification === 'undefined') return 'unsupported';
  return Notification.requestPermission();
}

let audio: AudioContext | null = null;

/** Two short tones from an oscillator: no sound file to download. */
export function beep(): void {
  if (!soundEnabled() || typeof AudioContext === 'undefined') return;
  try {
    audio ??= new AudioContext();
    const ctx = audio;
    if (ctx.state === 'suspended') void ctx.resume();
    const gain = ctx.createGain();
    gain.connect(ctx.destination);
    const start = ctx.currentTime;
    gain.gain.setValueAtTime(0.0001, start);
    for (const [i, freq] of [880, 660].entries()) {
      const at = start + i * 0.18;
      const osc = ctx.createOscillator();
      osc.type = 'sine';
      osc.frequency.value = freq;
      gain.gain.exponentialRampToValueAtTime(0.2, at + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.15);
      osc.connect(gain);
      osc.start(at);
      osc.stop(at + 0.16);
    }
  } catch {
    // No audio output (or blocked): the banner and notification still tell.
  }
}

/** A desktop notification when allowed; clicking it brings the console forward and runs `open`. */
export function notifyDesktop(warning: WarningMessage, title: string, body: string, open: () => void): void {
  if (desktopPermission() !== 'granted') return;
  try {
    const n = new Notification(title, { body, tag: `loket-warning-${warning.level}-${warning.chatId}` });
    n.onclick = () => {
      window.focus();
      open();
      n.close();
    };
  } catch {
    // Some browsers only allow notifications from a service worker; the banner is still there.
  }
}
