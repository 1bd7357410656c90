import { fetchLauncherConfig } from './config.js';
import { Launcher } from './launcher.js';
import { findEmbed } from './script.js';

declare global {
  interface Window {
    __loketLoaded?: boolean;
  }
}

function start(): void {
  // A page that includes the snippet twice must still get one launcher.
  if (window.__loketLoaded) return;
  const embed = findEmbed(document);
  if (!embed) {
    console.warn('Loket: script tag with data-channel not found');
    return;
  }
  window.__loketLoaded = true;
  fetchLauncherConfig(embed.origin, embed.channel).then(
    (config) => {
      const mount = (): void => void new Launcher(embed, config);
      if (document.body) mount();
      else document.addEventListener('DOMContentLoaded', mount, { once: true });
    },
    (err: unknown) => {
      // Not embeddable here (origin not allowed, unknown channel) or Loket unreachable: stay invisible.
      console.warn(`Loket: chat unavailable (${err instanceof Error ? err.message : String(err)})`);
    },
  );
}

start();
