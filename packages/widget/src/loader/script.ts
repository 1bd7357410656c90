export interface Embed {
  channel: string;
  /** Origin of the Loket server, taken from the script's own src. */
  origin: string;
}

/** Finds the embedding script tag. currentScript is null when run from a module or a re-injected copy. */
export function findEmbed(doc: Document): Embed | null {
  const current = doc.currentScript;
  const script =
    current instanceof HTMLScriptElement && current.dataset.channel
      ? current
      : Array.from(doc.querySelectorAll<HTMLScriptElement>('script[data-channel][src]')).find((s) =>
          /\/widget\.js(\?|#|$)/.test(s.src),
        );
  const channel = script?.dataset.channel;
  if (!script || !channel) return null;
  try {
    return { channel, origin: new URL(script.src, doc.baseURI).origin };
  } catch {
    return null;
  }
}
