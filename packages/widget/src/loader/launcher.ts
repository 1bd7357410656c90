import { isFrameMessage, type LoaderToFrame } from '../shared/bridge.js';
import { headerTextColorFor, safeColor } from '../shared/color.js';
import type { LauncherConfig } from './config.js';
import type { Embed } from './script.js';
import { recall, remember } from './persist.js';
import { CHAT_ICON, CLOSE_ICON, LAUNCHER_CSS } from './styles.js';

/**
 * The chat icon and, once first opened, the chat window iframe. Both live in one shadow root.
 * The root is open (not closed) on purpose: closing it would not protect anything (the chat is in
 * a cross-origin iframe, and host scripts run in this realm anyway) but it would hide the launcher
 * from browser tests and assistive tooling.
 */
export class Launcher {
  private readonly root: ShadowRoot;
  private readonly button: HTMLButtonElement;
  private readonly icon: HTMLSpanElement;
  private readonly count: HTMLSpanElement;
  private frame: HTMLIFrameElement | null = null;
  /** Until the frame's document loaded, contentWindow is about:blank (our own origin): nothing to tell. */
  private frameLoaded = false;
  private open = false;
  private active = false;
  private unread = 0;

  constructor(
    private readonly embed: Embed,
    private readonly config: LauncherConfig,
  ) {
    const host = document.createElement('div');
    host.id = 'loket-launcher-host';
    this.root = host.attachShadow({ mode: 'open' });
    const color = safeColor(config.color);
    host.style.setProperty('--c', color);
    host.style.setProperty('--t', headerTextColorFor(color, config.headerTextColor));

    const style = document.createElement('style');
    style.textContent = LAUNCHER_CSS;
    this.button = document.createElement('button');
    this.button.type = 'button';
    this.button.dataset.testid = 'loket-launcher';
    this.button.setAttribute('aria-expanded', 'false');
    this.button.setAttribute('aria-controls', 'loket-frame');
    this.icon = document.createElement('span');
    this.icon.style.display = 'contents';
    const label = document.createElement('span');
    label.textContent = config.badgeText;
    this.count = document.createElement('span');
    this.count.className = 'n';
    this.count.hidden = true;
    this.count.setAttribute('aria-hidden', 'true');
    this.button.append(this.icon, label, this.count);
    this.button.addEventListener('click', () => this.toggle());
    this.root.append(style, this.button);
    document.body.append(host);

    window.addEventListener('message', (e) => this.onMessage(e));
    // Read before the first render, which writes the (still closed) state back.
    const memory = recall(embed.channel);
    this.active = memory !== null;
    if (memory === 'open') this.show(false);
    else if (memory === 'active') this.ensureFrame();
    this.render();
  }

  private toggle(): void {
    if (this.open) this.hide(false);
    else this.show(true);
  }

  private ensureFrame(): HTMLIFrameElement {
    if (this.frame) return this.frame;
    const frame = document.createElement('iframe');
    frame.id = 'loket-frame';
    frame.dataset.testid = 'loket-frame';
    frame.title = this.config.headerText || this.config.badgeText;
    frame.src = `${this.embed.origin}/widget/frame.html?channel=${encodeURIComponent(this.embed.channel)}`;
    frame.setAttribute('allow', 'clipboard-write');
    frame.hidden = true;
    // The frame may have missed an 'opened' sent before its script ran.
    frame.addEventListener('load', () => {
      this.frameLoaded = true;
      this.post(this.open ? { loket: 1, type: 'opened' } : { loket: 1, type: 'closed' });
    });
    this.root.append(frame);
    this.frame = frame;
    return frame;
  }

  private show(moveFocus: boolean): void {
    const frame = this.ensureFrame();
    this.open = true;
    frame.hidden = false;
    if (moveFocus) frame.focus();
    this.post({ loket: 1, type: 'opened' });
    this.render();
  }

  private hide(fromFrame: boolean): void {
    if (!this.frame) return;
    this.open = false;
    this.frame.hidden = true;
    this.post({ loket: 1, type: 'closed' });
    // Focus was inside the now hidden frame: give it back to the launcher, not to <body>.
    if (fromFrame) this.button.focus();
    this.render();
  }

  private post(message: LoaderToFrame): void {
    if (this.frameLoaded) this.frame?.contentWindow?.postMessage(message, this.embed.origin);
  }

  private onMessage(e: MessageEvent): void {
    if (!this.frame || e.origin !== this.embed.origin || e.source !== this.frame.contentWindow) return;
    const data: unknown = e.data;
    if (!isFrameMessage(data)) return;
    if (data.type === 'close') this.hide(true);
    else if (data.type === 'unread') this.unread = data.count;
    else this.active = data.active;
    this.render();
  }

  private render(): void {
    const showCount = !this.open && this.unread > 0;
    this.button.setAttribute('aria-expanded', String(this.open));
    this.button.setAttribute('aria-label', showCount ? `${this.config.badgeText} (${this.unread})` : this.config.badgeText);
    this.icon.innerHTML = this.open ? CLOSE_ICON : CHAT_ICON;
    this.count.hidden = !showCount;
    this.count.textContent = String(this.unread);
    remember(this.embed.channel, this.open, this.active);
  }
}
