import { LIMITS } from './limits.js';

export type EmailSyntaxResult =
  | { ok: true; local: string; domain: string; asciiDomain: string }
  | { ok: false; code: 'email_invalid' | 'email_too_long' };

// Dot-atom local part (RFC 5322 §3.2.3) plus UTF-8 (RFC 6531). Quoted local parts are
// legal but almost never typed by real customers and are a classic injection vector, so refused.
const LOCAL_ATOM = /^[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+$/u;
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/**
 * Syntax and length check for an e-mail address, shared by the widget (instant feedback)
 * and the server (which then also checks the domain in DNS). Pure: no I/O.
 * Internationalised domains are converted to their ASCII (punycode) form via URL.
 */
export function checkEmailSyntax(input: string): EmailSyntaxResult {
  const address = input.trim();
  // eslint-disable-next-line no-control-regex -- control characters are exactly what must be refused (header injection).
  if (/[\s<>()[\]\\,;:"]/.test(address) || /[\u0000-\u001f\u007f]/.test(address)) return { ok: false, code: 'email_invalid' };
  const at = address.lastIndexOf('@');
  if (at <= 0 || at === address.length - 1) return { ok: false, code: 'email_invalid' };
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  if (local.startsWith('.') || local.endsWith('.') || local.includes('..')) return { ok: false, code: 'email_invalid' };
  if (!local.split('.').every((atom) => LOCAL_ATOM.test(atom))) return { ok: false, code: 'email_invalid' };
  const asciiDomain = toAsciiDomain(domain);
  if (asciiDomain === null) return { ok: false, code: 'email_invalid' };
  const labels = asciiDomain.split('.');
  if (labels.length < 2 || !labels.every((l) => LABEL.test(l)) || /^[0-9]+$/.test(labels[labels.length - 1]!)) {
    return { ok: false, code: 'email_invalid' };
  }
  const localOctets = utf8Length(local);
  if (localOctets > LIMITS.emailLocal || asciiDomain.length > LIMITS.emailDomain || localOctets + 1 + asciiDomain.length > LIMITS.emailTotal) {
    return { ok: false, code: 'email_too_long' };
  }
  return { ok: true, local, domain, asciiDomain };
}

function toAsciiDomain(domain: string): string | null {
  if (domain.length === 0 || domain.length > 1024 || domain.endsWith('.')) return null;
  if (/[/?#@%:]/.test(domain)) return null;
  try {
    const host = new URL(`http://${domain}/`).hostname;
    return host.length > 0 ? host : null;
  } catch {
    return null;
  }
}

function utf8Length(s: string): number {
  return new TextEncoder().encode(s).length;
}
