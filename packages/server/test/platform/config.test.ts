import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('configuration', () => {
  it('has working defaults: SQLite under ./data, port 3000', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.databaseUrl).toBeNull();
    expect(c.sqlitePath).toMatch(/data\/loket\.db$/);
    expect(c.dnsTimeoutMs).toBe(3000);
  });

  it('reports every wrong value at once, naming the variable and what it accepts', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', DNS_SERVERS: '127.0.0.1:53,dns.example', DNS_TIMEOUT_MS: '10000', LOG_LEVEL: 'loud', ADMIN_PASSWORD: 'short' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toContain('PORT="eighty": expected a whole number from 0 to 65535');
    expect(problems).toContain('DATABASE_URL');
    expect(problems).toContain('"dns.example" is not an IP address');
    expect(problems).toContain('DNS_TIMEOUT_MS');
    expect(problems).toContain('LOG_LEVEL="loud": expected one of');
    expect(problems).toContain('ADMIN_PASSWORD');
    expect((error as ConfigError).problems).toHaveLength(6);
  });

  it('accepts PostgreSQL and IPv6 resolvers with ports', () => {
    const c = loadConfig({ DATABASE_URL: 'postgres://u@127.0.0.1/db', DNS_SERVERS: '127.0.0.1:5353, [::1]:53' });
    expect(c.databaseUrl).toBe('postgres://u@127.0.0.1/db');
    expect(c.dnsServers).toEqual(['127.0.0.1:5353', '[::1]:53']);
  });

  it('reads the e-mail settings: SMTP_URL, MAIL_FROM with or without a name, grace period, transcript limit', () => {
    const c = loadConfig({ SMTP_URL: 'smtp://user:pw@127.0.0.1:2525', MAIL_FROM: '"Shop Support" <support@shop.example>', CHAT_GRACE_SECONDS: '60', TRANSCRIPTS_PER_HOUR: '2' });
    expect(c.smtpUrl).toBe('smtp://user:pw@127.0.0.1:2525');
    expect(c.mailFrom).toEqual({ name: 'Shop Support', address: 'support@shop.example' });
    expect(c.chatGraceSeconds).toBe(60);
    expect(c.transcriptsPerHour).toBe(2);
    expect(loadConfig({ MAIL_FROM: 'help@shop.example' }).mailFrom).toEqual({ name: '', address: 'help@shop.example' });
    expect(loadConfig({}).mailFrom.address).toBe('loket@loket.localhost');
    expect(loadConfig({}).smtpUrl).toBeNull();
  });

  it('refuses a wrong SMTP_URL, MAIL_FROM or grace period, saying what is expected', () => {
    let error: unknown;
    try {
      loadConfig({ SMTP_URL: 'http://mail.example', MAIL_FROM: 'Support <not-an-address>', CHAT_GRACE_SECONDS: '1' });
    } catch (err) {
      error = err;
    }
    const problems = (error as ConfigError).problems;
    expect(problems).toHaveLength(3);
    expect(problems.join('\n')).toContain('SMTP_URL: expected smtp://');
    expect(problems.join('\n')).toContain('MAIL_FROM');
    expect(problems.join('\n')).toContain('CHAT_GRACE_SECONDS="1": expected a whole number from 5');
  });

  it('reads TRUST_PROXY as true/false or proxy addresses, and refuses anything else', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: '127.0.0.1, 10.0.0.0/8,::1' }).trustProxy).toBe('127.0.0.1,10.0.0.0/8,::1');
    expect(() => loadConfig({ TRUST_PROXY: 'nginx.local' })).toThrow(/TRUST_PROXY="nginx.local": expected true, false, or proxy addresses/);
  });
});
