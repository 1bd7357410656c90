/**
 * Links in chat messages, for both clients: http, https and mailto become links; nothing else in a message is
 * markup. Pure and linear in the text's length (one regular expression without nested quantifiers).
 */

export type TextPart = { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string };

/**
 * A candidate starts at a scheme that is not glued to a word or another URL (`xhttp://`, `javascript:http://`)
 * and runs to whitespace or a character that never belongs to a typed URL.
 */
// eslint-disable-next-line no-control-regex -- control characters end a URL
const CANDIDATE = /(?<![\p{L}\p{N}:/._+-])(?:https?:\/\/(?!\/)|mailto:)[^\s<>"`\u0000-\u001f\u007f]+/giu;
const TRAILING = /[.,;:!?'*~]$/;
const PAIRS: Record<string, string> = { ')': '(', ']': '[', '}': '{' };

/** Sentence punctuation after a URL is not part of it; a closing bracket only when the URL did not open one. */
function trimEnd(url: string): string {
  const balance: Record<string, number> = { ')': 0, ']': 0, '}': 0 };
  for (const ch of url) {
    if (ch in balance) balance[ch] = (balance[ch] ?? 0) + 1;
    else for (const [close, open] of Object.entries(PAIRS)) if (ch === open) balance[close] = (balance[close] ?? 0) - 1;
  }
  let end = url.length;
  for (;;) {
    const last = url.charAt(end - 1);
    if (TRAILING.test(last)) end--;
    else if (PAIRS[last] !== undefined && (balance[last] ?? 0) > 0) {
      balance[last] = (balance[last] ?? 0) - 1;
      end--;
    } else return url.slice(0, end);
  }
}

/** The link's target, normalised by the URL parser (IDN hosts become punycode), or null when it is no usable link. */
function hrefOf(text: string): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  if (url.protocol === 'mailto:') return /^[^@\s]+@[^@\s]+$/.test(decodeURIComponentSafe(url.pathname)) ? url.href : null;
  if ((url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '') return url.href;
  return null;
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** The message split into text and links, in order; joining every part's `text` gives the message back. */
export function linkify(message: string): TextPart[] {
  const parts: TextPart[] = [];
  let at = 0;
  for (const match of message.matchAll(CANDIDATE)) {
    const text = trimEnd(match[0]);
    const href = hrefOf(text);
    if (href === null) continue;
    const start = match.index;
    if (start > at) parts.push({ kind: 'text', text: message.slice(at, start) });
    parts.push({ kind: 'link', text, href });
    at = start + text.length;
  }
  if (at < message.length) parts.push({ kind: 'text', text: message.slice(at) });
  return parts;
}

/** http(s) links open in a new tab; mailto opens the mail program. */
export function isWebLink(href: string): boolean {
  return /^https?:/i.test(href);
}

/**
 * The FAQ a link points to, when it is one of Loket's public FAQ pages (/help/faq/<id>[/<slug>]) on `origin` (the
 * origin of Loket itself, where the chat window and the console run); null for any other link.
 */
export function faqLinkId(href: string, origin: string): string | null {
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return null;
  }
  if (url.origin !== origin) return null;
  const m = /^\/help\/faq\/([A-Za-z0-9_-]{1,64})(?:\/[^/]*)?$/.exec(url.pathname);
  return m ? (m[1] ?? null) : null;
}
