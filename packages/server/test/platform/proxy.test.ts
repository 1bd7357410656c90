import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgent } from '../../src/domain/agents.js';
import { startTestLoket, type TestLoket } from '../support/server.js';

/** Loket behind a TLS-terminating reverse proxy: requests arrive as http from the proxy's address. */
describe('behind a reverse proxy', () => {
  let t: TestLoket;
  const publicOrigin = 'https://chat.example.test';
  beforeAll(async () => {
    t = await startTestLoket('sqlite', { publicUrl: publicOrigin, trustProxy: '127.0.0.1' });
    await createAgent(t.loket.ctx, { email: 'proxy-admin@example.com', name: 'Proxy Admin', password: 'a long enough password', role: 'admin' });
  });
  afterAll(async () => {
    await t.close();
  });

  const login = (headers: Record<string, string>, password = 'a long enough password') =>
    fetch(`${t.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', host: 'chat.example.test', ...headers },
      body: JSON.stringify({ email: 'proxy-admin@example.com', password }),
    });

  it('accepts its own pages at PUBLIC_URL (https) and sets a Secure session cookie', async () => {
    const res = await login({ origin: publicOrigin, 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.7' });
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toMatch(/;\s*Secure/i);
    // Also when the proxy doesn't say X-Forwarded-Proto: the browser's Origin is PUBLIC_URL's.
    const plain = await login({ origin: publicOrigin });
    expect(plain.status).toBe(200);
    expect(plain.headers.get('set-cookie')).toMatch(/;\s*Secure/i);
  });

  it('still refuses other origins, including our own host over plain http', async () => {
    expect((await login({ origin: 'https://evil.example' })).status).toBe(403);
    expect((await login({ origin: 'http://chat.example.test', 'x-forwarded-proto': 'https' })).status).toBe(403);
  });

  it('limits each client by its forwarded address, not the proxy\'s', async () => {
    // Twelve wrong passwords from twelve clients: none is limited (the limit is 10 per client per minute).
    for (let i = 0; i < 12; i++) {
      const res = await login({ origin: publicOrigin, 'x-forwarded-for': `198.51.100.${i + 1}` }, 'wrong password!');
      expect(res.status).toBe(401);
    }
    // One client trying twelve times is.
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await login({ origin: publicOrigin, 'x-forwarded-for': '192.0.2.99' }, 'wrong password!')).status);
    expect(statuses).toContain(429);
  });
});
