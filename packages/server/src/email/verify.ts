import { Resolver } from 'node:dns/promises';
import { checkEmailSyntax, type ErrorCode } from '@loket/protocol';

export type EmailRejectionCode = Extract<ErrorCode, 'email_invalid' | 'email_too_long' | 'email_domain_not_found' | 'email_domain_no_mail'>;

export type EmailVerdict =
  | {
      ok: true;
      /** Trimmed, with the domain in lower-case ASCII (punycode); the local part is kept as typed (RFC 5321: case-sensitive). */
      address: string;
      /** False when DNS could not give an answer in time and the address was accepted on syntax alone. */
      domainChecked: boolean;
    }
  | { ok: false; code: EmailRejectionCode };

export type EmailVerifierOptions = {
  /** DNS servers ('1.2.3.4', '127.0.0.1:5353', '[::1]:5353'); the system's when omitted. */
  servers?: string[];
  /** Upper bound for one verify() call, DNS included. */
  timeoutMs: number;
  cache?: { ttlMs?: number; maxEntries?: number };
};

export type EmailVerifier = { verify(address: string): Promise<EmailVerdict> };

/** What DNS says about a domain; 'unknown' (failure, timeout) is never cached. */
type DomainVerdict = 'accepts_mail' | 'not_found' | 'no_mail';
type Lookup = DomainVerdict | 'unknown';

const DEFAULT_TTL_MS = 10 * 60_000;
const DEFAULT_MAX_ENTRIES = 1000;

/**
 * Server-side e-mail check: syntax and lengths (shared with the widget), then whether the
 * domain can receive mail (RFC 5321 §5.1: MX, else the implicit MX of an A/AAAA record;
 * RFC 7505 null MX means "no mail"). Only definite DNS answers reject an address: a DNS
 * outage must never stop a customer from starting a chat.
 */
export function createEmailVerifier(opts: EmailVerifierOptions): EmailVerifier {
  const timeoutMs = opts.timeoutMs;
  if (!(timeoutMs > 0)) throw new RangeError('timeoutMs must be positive');
  const servers = opts.servers && opts.servers.length > 0 ? [...opts.servers] : undefined;
  // Fail at start-up on a malformed server list rather than on a customer's first chat.
  if (servers) new Resolver().setServers(servers);
  const cache = new VerdictCache(opts.cache?.ttlMs ?? DEFAULT_TTL_MS, opts.cache?.maxEntries ?? DEFAULT_MAX_ENTRIES);
  // Concurrent checks of one domain (a burst of chats from the same company) share one lookup.
  const inFlight = new Map<string, Promise<Lookup>>();

  // Two tries within the budget ride out one lost UDP packet; c-ares doubles the
  // per-try timeout on retry, so t + 2t ≈ the whole budget.
  const perTryMs = Math.max(50, Math.floor(timeoutMs / 3));

  function lookup(domain: string): Promise<Lookup> {
    const pending = inFlight.get(domain);
    if (pending) return pending;
    // A resolver per lookup, because cancel() aborts every query on a resolver and must
    // not cut short other customers' lookups that are still within their budget.
    const resolver = new Resolver({ timeout: perTryMs, tries: 2 });
    if (servers) resolver.setServers(servers);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<Lookup>((resolve) => {
      timer = setTimeout(() => resolve('unknown'), timeoutMs);
    });
    const promise = Promise.race([queryDomain(resolver, domain), deadline]).finally(() => {
      clearTimeout(timer);
      resolver.cancel();
      inFlight.delete(domain);
    });
    inFlight.set(domain, promise);
    return promise;
  }

  return {
    async verify(input: string): Promise<EmailVerdict> {
      const syntax = checkEmailSyntax(input);
      if (!syntax.ok) return { ok: false, code: syntax.code };
      const domain = syntax.asciiDomain.toLowerCase();
      const address = `${syntax.local}@${domain}`;
      let verdict: Lookup | undefined = cache.get(domain);
      if (verdict === undefined) {
        verdict = await lookup(domain);
        if (verdict !== 'unknown') cache.set(domain, verdict);
      }
      switch (verdict) {
        case 'accepts_mail':
          return { ok: true, address, domainChecked: true };
        case 'unknown':
          return { ok: true, address, domainChecked: false };
        case 'not_found':
          return { ok: false, code: 'email_domain_not_found' };
        case 'no_mail':
          return { ok: false, code: 'email_domain_no_mail' };
      }
    },
  };
}

type Answer<T> = { records: T[] } | { error: 'nodata' | 'nxdomain' | 'unknown' };

async function ask<T>(query: () => Promise<T[]>): Promise<Answer<T>> {
  try {
    const records = await query();
    // c-ares reports an empty answer as ENODATA, but treat an empty list the same way should it ever appear.
    return records.length > 0 ? { records } : { error: 'nodata' };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENODATA') return { error: 'nodata' };
    if (code === 'ENOTFOUND') return { error: 'nxdomain' };
    // ETIMEOUT, ESERVFAIL, ECONNREFUSED, EREFUSED, ECANCELLED, EBADRESP, …: DNS, not the address, is at fault.
    return { error: 'unknown' };
  }
}

async function queryDomain(resolver: Resolver, domain: string): Promise<Lookup> {
  const mx = await ask(() => resolver.resolveMx(domain));
  if ('records' in mx) {
    // RFC 7505: a null MX has the root as exchange (Node gives ''). Mail is possible if any
    // MX names a real host; a root-only set, however prioritised, can deliver nothing.
    return mx.records.some((r) => r.exchange !== '' && r.exchange !== '.') ? 'accepts_mail' : 'no_mail';
  }
  if (mx.error === 'nxdomain') return 'not_found';
  if (mx.error === 'unknown') return 'unknown';

  // No MX: RFC 5321 §5.1 implicit MX — the domain's own address records. Both families are
  // asked at once to stay within the time budget; any address at all means mail can be delivered.
  const [a, aaaa] = await Promise.all([ask(() => resolver.resolve4(domain)), ask(() => resolver.resolve6(domain))]);
  if ('records' in a || 'records' in aaaa) return 'accepts_mail';
  if (a.error === 'unknown' || aaaa.error === 'unknown') return 'unknown';
  // MX said the name exists; an NXDOMAIN now means it vanished in between, which is still "not found".
  if (a.error === 'nxdomain' && aaaa.error === 'nxdomain') return 'not_found';
  return 'no_mail';
}

/** LRU with a fixed TTL, on Map's insertion order: a hit is re-inserted to become the newest. */
class VerdictCache {
  private readonly entries = new Map<string, { verdict: DomainVerdict; expires: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
  ) {}

  get(domain: string): DomainVerdict | undefined {
    const entry = this.entries.get(domain);
    if (entry === undefined) return undefined;
    this.entries.delete(domain);
    if (entry.expires <= Date.now()) return undefined;
    this.entries.set(domain, entry);
    return entry.verdict;
  }

  set(domain: string, verdict: DomainVerdict): void {
    if (this.maxEntries <= 0 || this.ttlMs <= 0) return;
    this.entries.delete(domain);
    this.entries.set(domain, { verdict, expires: Date.now() + this.ttlMs });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
  }
}
