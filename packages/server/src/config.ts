import { isIP } from 'node:net';
import path from 'node:path';

export interface Config {
  host: string;
  port: number;
  /** Where browsers reach Loket; used in the embed snippet and printed at start. */
  publicUrl: string;
  /** PostgreSQL when set; otherwise SQLite at `sqlitePath`. */
  databaseUrl: string | null;
  sqlitePath: string;
  /** FULL makes every acknowledged write survive power loss, not just a crash. */
  sqliteSynchronous: 'FULL' | 'NORMAL';
  redisUrl: string | null;
  /**
   * Fastify's trustProxy: false (default: direct connections), true (any), or the proxies'
   * addresses/CIDRs. Decides client IPs (rate limits) and the https-ness of requests.
   */
  trustProxy: boolean | string;
  adminEmail: string | null;
  adminPassword: string | null;
  dnsServers: string[] | null;
  dnsTimeoutMs: number;
  sessionTtlHours: number;
  /** Chat starts and e-mail checks allowed per visitor IP and channel per minute (0 = no limit). */
  chatStartsPerMinute: number;
  /** Serve the demo shop page on this port (0 = off). */
  demoPort: number;
  demo: boolean;
  /** smtp:// or smtps:// URL (user:password@host:port); null keeps e-mails in the outbox for the console. */
  smtpUrl: string | null;
  /** The From of every e-mail Loket sends. */
  mailFrom: { name: string; address: string };
  /** A visitor whose chat window has been gone this long has their chat ended (a reload within it resumes). */
  chatGraceSeconds: number;
  /**
   * How long a node may hold an e-mail it is sending before others may take it over: the time a
   * dead node's in-flight e-mail waits before it is sent again.
   */
  emailLeaseSeconds: number;
  /** Transcripts one IP may request per hour. */
  transcriptsPerHour: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Dist folders of the browser apps; overridable for tests. */
  widgetDist: string;
  consoleDist: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

const repoRoot = path.resolve(import.meta.dirname, '../../..');

/**
 * Reads and validates the whole configuration once at start-up. Every wrong value is reported
 * together, with the variable's name and what it accepts, so one restart fixes them all.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const problems: string[] = [];
  const int = (name: string, def: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return def;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${name}=${JSON.stringify(raw)}: expected a whole number from ${min} to ${max}`);
      return def;
    }
    return n;
  };
  const str = (name: string): string | null => {
    const raw = env[name];
    return raw === undefined || raw.trim() === '' ? null : raw.trim();
  };
  const oneOf = <T extends string>(name: string, allowed: readonly T[], def: T): T => {
    const raw = str(name);
    if (raw === null) return def;
    if (!(allowed as readonly string[]).includes(raw)) {
      problems.push(`${name}=${JSON.stringify(raw)}: expected one of ${allowed.join(', ')}`);
      return def;
    }
    return raw as T;
  };

  const port = int('PORT', 3000, 0, 65535);
  const host = str('HOST') ?? 'localhost';
  const publicUrl = str('PUBLIC_URL') ?? `http://localhost:${port}`;
  try {
    const u = new URL(publicUrl);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('protocol');
  } catch {
    problems.push(`PUBLIC_URL=${JSON.stringify(publicUrl)}: expected an http:// or https:// URL`);
  }
  const databaseUrl = str('DATABASE_URL');
  if (databaseUrl !== null && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push('DATABASE_URL: expected a postgres:// or postgresql:// URL (leave it unset for the embedded SQLite database)');
  }
  const redisUrl = str('REDIS_URL');
  if (redisUrl !== null && !/^rediss?:\/\//.test(redisUrl)) problems.push('REDIS_URL: expected a redis:// or rediss:// URL');
  const dataDir = path.resolve(str('DATA_DIR') ?? path.join(repoRoot, 'data'));
  const dnsRaw = str('DNS_SERVERS');
  let dnsServers: string[] | null = null;
  if (dnsRaw !== null) {
    dnsServers = dnsRaw.split(',').map((s) => s.trim()).filter(Boolean);
    for (const s of dnsServers) {
      const hostPart = s.startsWith('[') ? s.slice(1, s.indexOf(']')) : s.split(':')[0] ?? '';
      if (isIP(hostPart) === 0) problems.push(`DNS_SERVERS: ${JSON.stringify(s)} is not an IP address (optionally with :port, IPv6 as [::1]:53)`);
    }
  }
  const adminEmail = str('ADMIN_EMAIL');
  if (adminEmail !== null && !/^[^@\s]+@[^@\s]+$/.test(adminEmail)) problems.push('ADMIN_EMAIL: expected an e-mail address');
  const adminPassword = str('ADMIN_PASSWORD');
  if (adminPassword !== null && adminPassword.length < 10) problems.push('ADMIN_PASSWORD: use at least 10 characters');

  const smtpUrl = str('SMTP_URL');
  if (smtpUrl !== null) {
    try {
      const u = new URL(smtpUrl);
      if (u.protocol !== 'smtp:' && u.protocol !== 'smtps:') throw new Error('protocol');
      if (u.hostname === '') throw new Error('host');
    } catch {
      problems.push('SMTP_URL: expected smtp://[user:password@]host[:port] or smtps://… (leave it unset to keep e-mails in the outbox)');
    }
  }
  let mailFrom = { name: 'Loket', address: `loket@${safeHostname(publicUrl)}` };
  const mailFromRaw = str('MAIL_FROM');
  if (mailFromRaw !== null) {
    const m = /^(?:(.*?)\s*<([^<>\s]+@[^<>\s]+)>|([^<>\s]+@[^<>\s]+))$/.exec(mailFromRaw);
    if (!m || /[\r\n]/.test(mailFromRaw)) problems.push('MAIL_FROM: expected an address, optionally with a name: "Support <support@example.com>"');
    else mailFrom = { name: (m[1] ?? '').replace(/^"|"$/g, '').trim(), address: (m[2] ?? m[3]) as string };
  }

  let trustProxy: boolean | string = false;
  const trustRaw = str('TRUST_PROXY');
  if (trustRaw !== null) {
    if (trustRaw === 'true' || trustRaw === 'false') trustProxy = trustRaw === 'true';
    else {
      const entries = trustRaw.split(',').map((e) => e.trim()).filter(Boolean);
      const bad = entries.filter((e) => isIP(e.split('/')[0] ?? '') === 0 || (e.includes('/') && !/^\d{1,3}$/.test(e.split('/')[1] ?? '')));
      if (bad.length > 0 || entries.length === 0) problems.push(`TRUST_PROXY=${JSON.stringify(trustRaw)}: expected true, false, or proxy addresses/CIDRs like 127.0.0.1,10.0.0.0/8`);
      else trustProxy = entries.join(',');
    }
  }

  const config: Config = {
    host,
    port,
    publicUrl: publicUrl.replace(/\/+$/, ''),
    databaseUrl,
    sqlitePath: path.join(dataDir, 'loket.db'),
    sqliteSynchronous: oneOf('SQLITE_SYNCHRONOUS', ['FULL', 'NORMAL'] as const, 'FULL'),
    redisUrl,
    trustProxy,
    adminEmail,
    adminPassword,
    dnsServers,
    dnsTimeoutMs: int('DNS_TIMEOUT_MS', 3000, 100, 3000),
    sessionTtlHours: int('SESSION_TTL_HOURS', 12, 1, 24 * 90),
    chatStartsPerMinute: int('CHAT_STARTS_PER_MINUTE', 20, 0, 1_000_000),
    demoPort: int('DEMO_PORT', 3001, 0, 65535),
    demo: false,
    smtpUrl,
    mailFrom,
    chatGraceSeconds: int('CHAT_GRACE_SECONDS', 120, 5, 24 * 3600),
    emailLeaseSeconds: int('EMAIL_LEASE_SECONDS', 60, 2, 3600),
    transcriptsPerHour: int('TRANSCRIPTS_PER_HOUR', 5, 0, 1_000_000),
    logLevel: oneOf('LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, 'info'),
    widgetDist: path.join(repoRoot, 'packages/widget/dist'),
    consoleDist: path.join(repoRoot, 'packages/console/dist'),
    ...overrides,
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

function safeHostname(url: string): string {
  try {
    const host = new URL(url).hostname;
    // "localhost" is not a mail domain; RFC 2606 reserves .localhost for exactly this.
    return host === 'localhost' || host === '' || isIP(host) !== 0 ? 'loket.localhost' : host;
  } catch {
    return 'loket.localhost';
  }
}
