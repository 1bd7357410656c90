import { ErrorBodySchema } from '@loket/protocol';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOGIN_FAILURES_PER_IP } from '../../src/http/auth.js';
import { agentSocket, callAs, chatInput, makeAgent, makeChannel, newClientMsgId, postJson, startChat, visitorSocket } from '../support/factories.js';
import { DIALECTS, startTestLoket, type TestLoket } from '../support/server.js';
import { TestSocket } from '../support/ws-client.js';

/** What a client written by a stranger runs into: odd timing, odd input, limits (issue 14). */
describe.each(DIALECTS)('the protocol at its edges on %s', (dialect) => {
  let t: TestLoket;
  let ips = 0;
  // Each test signs in from an address of its own (TRUST_PROXY), so limits don't leak between tests.
  const newIp = () => `203.0.113.${++ips}`;
  beforeAll(async () => {
    t = await startTestLoket(dialect, { trustProxy: true, transcriptsPerHour: 1 });
  });
  afterAll(async () => {
    await t.close();
  });

  const errorOf = (body: unknown) => ErrorBodySchema.parse(body).error;
  const login = (email: string, password: string, ip: string) =>
    fetch(`${t.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': ip }, body: JSON.stringify({ email, password }) });

  it('handles a message sent right after auth, before the chat frame arrived, exactly once', async () => {
    const channel = await makeChannel(t);
    const { token, chatId } = await startChat(t, channel);
    const ws = await TestSocket.open(`${t.wsUrl}/ws/visitor`);
    const clientMsgId = newClientMsgId();
    // One write: the send is on the wire before the server has even read the chat for the auth.
    ws.ws.send(JSON.stringify({ type: 'auth', token, lastSeq: 0 }));
    ws.ws.send(JSON.stringify({ type: 'send', rid: 's1', clientMsgId, body: 'Sent with the auth' }));
    const answer = await ws.next((f) => f.rid === 's1');
    expect(answer.type).toBe('ack');
    expect(ws.frames.some((f) => f.type === 'error')).toBe(false);
    // The chat frame came first, as the protocol promises.
    expect(ws.frames.findIndex((f) => f.type === 'chat')).toBeLessThan(ws.frames.findIndex((f) => f.rid === 's1'));
    const stored = await t.loket.ctx.db.selectFrom('chat_events').select('seq').where('chat_id', '=', chatId).where('client_msg_id', '=', clientMsgId).execute();
    expect(stored).toHaveLength(1);
    ws.close();
  });

  it('dedupes a resent message per author and refuses a reused id with other content or from someone else', async () => {
    const channel = await makeChannel(t);
    const agent = await makeAgent(t, [channel]);
    const { token, chatId } = await startChat(t, channel);
    const visitor = await visitorSocket(t, token);
    await visitor.next((f) => f.type === 'chat');
    const agentWs = await agentSocket(t, agent);
    agentWs.send({ type: 'claim', rid: 'c', chatId });
    await agentWs.next((f) => f.type === 'claimed');

    const id = newClientMsgId();
    visitor.send({ type: 'send', rid: 'a', clientMsgId: id, body: 'First text' });
    const first = await visitor.next<{ seq: number }>((f) => f.rid === 'a');
    // The same message again (a resend): the same ack, nothing stored twice.
    visitor.send({ type: 'send', rid: 'b', clientMsgId: id, body: 'First text' });
    expect((await visitor.next<{ type: string; seq: number }>((f) => f.rid === 'b')).seq).toBe(first.seq);
    // Other text under the same id: refused, not confirmed as the first.
    visitor.send({ type: 'send', rid: 'c', clientMsgId: id, body: 'Second text' });
    expect(await visitor.next((f) => f.rid === 'c')).toMatchObject({ type: 'error', code: 'idempotency_conflict', retryable: false });
    // The agent reusing the visitor's id: refused, and the agent's text is not lost silently.
    agentWs.send({ type: 'send', rid: 'd', chatId, clientMsgId: id, body: 'First text' });
    expect(await agentWs.next((f) => f.rid === 'd')).toMatchObject({ type: 'error', code: 'idempotency_conflict' });
    const stored = await t.loket.ctx.db.selectFrom('chat_events').select(['body', 'author_kind']).where('chat_id', '=', chatId).where('client_msg_id', '=', id).execute();
    expect(stored).toEqual([{ body: 'First text', author_kind: 'visitor' }]);
    visitor.close();
    agentWs.close();
  });

  it('applies one text policy: no control characters or lone surrogates anywhere, no line breaks or direction overrides in names', async () => {
    const channel = await makeChannel(t);
    const start = (over: Record<string, unknown>) => postJson(t, `/api/widget/channels/${channel.key}/chats`, { ...chatInput(), ...over });
    for (const name of ['Eve\u202Egnp.exe', 'Eve\r\nBcc: x', 'Eve\tSmith', 'Eve\u0000']) {
      const res = await start({ name });
      expect(res.status, JSON.stringify(name)).toBe(422);
      expect(errorOf(res.body), JSON.stringify(name)).toMatchObject({ code: 'text_not_allowed', field: 'name' });
    }
    // A lone surrogate is refused, never stored as replacement characters.
    const raw = await fetch(`${t.url}/api/widget/channels/${channel.key}/chats`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...chatInput(), question: 'QUESTION' }).replace('QUESTION', 'broken \\ud800 text'),
    });
    expect(raw.status).toBe(422);
    expect(errorOf(await raw.json())).toMatchObject({ code: 'text_not_allowed', field: 'question' });

    const { token, chatId } = await startChat(t, channel, { name: 'Ana María Ñúñez 李' });
    const ws = await visitorSocket(t, token);
    await ws.next((f) => f.type === 'chat');
    ws.send({ type: 'send', rid: 'nul', clientMsgId: newClientMsgId(), body: 'a\u0000b' });
    expect(await ws.next((f) => f.rid === 'nul')).toMatchObject({ type: 'error', code: 'text_not_allowed', field: 'body', retryable: false });
    ws.ws.send(`{"type":"send","rid":"sur","clientMsgId":"${newClientMsgId()}","body":"x \\udc00 y"}`);
    expect(await ws.next((f) => f.rid === 'sur')).toMatchObject({ type: 'error', code: 'text_not_allowed', field: 'body' });
    // Line breaks, tabs and right-to-left text in a message are fine.
    ws.send({ type: 'send', rid: 'ok', clientMsgId: newClientMsgId(), body: 'Line one\n\tindented — שלום' });
    expect((await ws.next((f) => f.rid === 'ok')).type).toBe('ack');
    // A wrong type names its field on the socket as on HTTP.
    ws.send({ type: 'send', rid: 'type', clientMsgId: newClientMsgId(), body: 42 });
    expect(await ws.next((f) => f.rid === 'type')).toMatchObject({ code: 'validation_failed', field: 'body' });
    const bodies = await t.loket.ctx.db.selectFrom('chat_events').select('body').where('chat_id', '=', chatId).where('kind', '=', 'message').orderBy('seq').execute();
    expect(bodies.map((b) => b.body)).toEqual(['Where is my order?', 'Line one\n\tindented — שלום']);
    ws.close();
  });

  it('answers a frame before auth with unauthenticated, not internal, and still accepts the auth', async () => {
    const channel = await makeChannel(t);
    const { token } = await startChat(t, channel);
    const ws = await TestSocket.open(`${t.wsUrl}/ws/visitor`);
    ws.send({ type: 'send', rid: 'early', clientMsgId: newClientMsgId(), body: 'Too early' });
    const refused = await ws.next<{ code: string; retryable: boolean }>((f) => f.rid === 'early');
    expect(refused).toMatchObject({ type: 'error', code: 'unauthenticated', retryable: false });
    ws.send({ type: 'auth', token, lastSeq: 0 });
    await ws.next((f) => f.type === 'chat');
    ws.close();
  });

  it('limits sign-ins per account however the address is padded, with Retry-After', async () => {
    const agent = await makeAgent(t, []);
    const ip = newIp();
    const variants = [agent.email, ` ${agent.email}`, `${agent.email.toUpperCase()}  `, `\t${agent.email}`];
    let limited: Response | null = null;
    for (let i = 0; i < 12 && !limited; i++) {
      const res = await login(variants[i % variants.length]!, 'wrong-password', ip);
      if (res.status === 429) limited = res;
      else expect(res.status).toBe(401);
    }
    expect(limited, 'no 429 within 12 padded attempts').not.toBeNull();
    const retryAfter = Number(limited!.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    const body = errorOf(await limited!.json());
    expect(body).toMatchObject({ code: 'rate_limited', retryAfter });
    // Even the right password waits: the limit is on attempts, not on failures only.
    expect((await login(agent.email, agent.password, ip)).status).toBe(429);
  });

  it('limits failed sign-ins from one address across accounts, but not successful ones', async () => {
    const ip = newIp();
    for (let i = 0; i < LOGIN_FAILURES_PER_IP; i++) {
      const res = await login(`nobody-${i}@example.com`, 'guess', ip);
      expect(res.status).toBe(401);
    }
    const blocked = await login('nobody-else@example.com', 'guess', ip);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another address is not affected.
    expect((await login('nobody@example.com', 'guess', newIp())).status).toBe(401);
  });

  it('answers paths that climb out of the static folders with 404, never 500', async () => {
    for (const path of ['/widget/assets/../../package.json', '/widget/assets/%2e%2e/%2e%2e/package.json', '/console/%2e%2e/%2e%2e/package.json', '/console/..%2f..%2fpackage.json']) {
      const res = await rawGet(t.url, path);
      expect(res.status, path).toBe(404);
      expect(errorOf(JSON.parse(res.body)).code, path).toBe('not_found');
      expect(res.body).not.toContain('"name"');
    }
  });

  it('refuses wildcard and malformed hosts in a channel’s allowed origins', async () => {
    const admin = await makeAgent(t, [], { role: 'admin' });
    const channel = await makeChannel(t);
    for (const origin of ['https://*', 'https://*.example.com', 'https://exa_mple.com', 'https://-bad.example', 'http://a..b']) {
      const res = await callAs(t, 'PUT', `/api/admin/channels/${channel.id}/origins`, admin, { origins: [origin] });
      expect(res.status, origin).toBe(422);
      expect(errorOf(res.body), origin).toMatchObject({ code: 'validation_failed', field: 'origins' });
    }
    const ok = await callAs(t, 'PUT', `/api/admin/channels/${channel.id}/origins`, admin, { origins: ['https://Shop.Example:443/', 'http://[::1]:8080', 'https://bücher.example'] });
    expect(ok.status).toBe(200);
    expect((ok.body as { origins: string[] }).origins).toEqual(['https://shop.example', 'http://[::1]:8080', 'https://xn--bcher-kva.example']);
  });

  it('answers an oversized body with 413 and a header flood with 431, both in Loket’s error shape', async () => {
    const big = JSON.stringify({ email: 'x'.repeat(200_000), password: 'y' });
    const res = await fetch(`${t.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: big });
    expect(res.status).toBe(413);
    expect(errorOf(await res.json()).code).toBe('payload_too_large');

    const headers = Array.from({ length: 1500 }, (_, i) => `X-Filler-${i}: ${'v'.repeat(20)}`).join('\r\n');
    const flood = await rawRequest(t.url, `GET /healthz HTTP/1.1\r\nHost: localhost\r\n${headers}\r\n\r\n`);
    expect(flood.status).toBe(431);
    expect(errorOf(JSON.parse(flood.body)).code).toBe('headers_too_large');
    // The server is unharmed.
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
  });

  it('gives a limit’s error on the socket a retryAfter and marks it retryable', async () => {
    const channel = await makeChannel(t);
    const { token } = await startChat(t, channel);
    const ws = await visitorSocket(t, token);
    await ws.next((f) => f.type === 'chat');
    // TRANSCRIPTS_PER_HOUR is 1 here: the second request from this address is over the limit, whatever else is wrong with it.
    ws.send({ type: 'transcript', rid: 't1', email: 'robin@example.com' });
    await ws.next((f) => f.rid === 't1');
    ws.send({ type: 'transcript', rid: 't2', email: 'robin@example.com' });
    const limited = await ws.next<{ code: string; retryable: boolean; retryAfter: number }>((f) => f.rid === 't2');
    expect(limited).toMatchObject({ type: 'error', code: 'transcript_limit', retryable: true });
    expect(limited.retryAfter).toBeGreaterThan(60);
    expect(limited.retryAfter).toBeLessThanOrEqual(3600);
    // Frames that break the rules cost an error, never the connection.
    ws.send({ type: 'nonsense' });
    expect((await ws.next<{ code: string }>((f) => f.type === 'error' && f.rid === undefined)).code).toBe('validation_failed');
    ws.close();
  });
});

async function rawGet(base: string, path: string): Promise<{ status: number; body: string }> {
  return rawRequest(base, `GET ${path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`);
}

/** An HTTP request written byte for byte (fetch would normalise `..` away or refuse the headers). */
function rawRequest(base: string, request: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname === 'localhost' ? '127.0.0.1' : hostname.replace(/^\[|\]$/g, ''));
    let data = '';
    socket.on('data', (chunk) => (data += chunk.toString()));
    socket.on('error', reject);
    socket.on('close', () => {
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(data)?.[1] ?? 0);
      const body = data.slice(data.indexOf('\r\n\r\n') + 4);
      // Chunked bodies (Fastify's own replies) carry their size line first.
      const json = body.slice(body.indexOf('{'), body.lastIndexOf('}') + 1);
      resolve({ status, body: json });
    });
    socket.write(request);
    // Keep-alive replies would hold the socket: end our side once the request is out.
    setTimeout(() => socket.end(), 300);
  });
}
