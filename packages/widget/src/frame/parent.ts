import { isLoaderMessage, type FrameToLoader, type LoaderToFrame } from '../shared/bridge.js';

/** True when shown inside the loader's iframe (false when frame.html is opened on its own). */
export const embedded = window.parent !== window;

/**
 * The host page's origin, so that our messages reach only it. ancestorOrigins is Chromium/WebKit;
 * the referrer is the fallback (the server's frame-ancestors CSP already limits who can embed us).
 */
function parentOrigin(): string | null {
  const ancestor = location.ancestorOrigins?.[0];
  if (ancestor) return ancestor;
  try {
    return document.referrer ? new URL(document.referrer).origin : null;
  } catch {
    return null;
  }
}

const hostOrigin = embedded ? parentOrigin() : null;

export function postToParent(message: FrameToLoader): void {
  if (!embedded) return;
  window.parent.postMessage(message, hostOrigin ?? '*');
}

type Listener = (m: LoaderToFrame) => void;
const listeners = new Set<Listener>();
let shown = !embedded;

// Installed at import time, not in a component effect: the loader sends 'opened' on the iframe's
// load event, which can come before Preact runs its first effects.
window.addEventListener('message', (e: MessageEvent) => {
  if (e.source !== window.parent || (hostOrigin !== null && e.origin !== hostOrigin)) return;
  const data: unknown = e.data;
  if (!isLoaderMessage(data)) return;
  shown = data.type === 'opened';
  for (const fn of listeners) fn(data);
});

/** Whether the loader currently shows this window. */
export function isShown(): boolean {
  return shown;
}

export function onParentMessage(handler: Listener): () => void {
  listeners.add(handler);
  return () => listeners.delete(handler);
}
