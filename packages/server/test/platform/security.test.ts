import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DNS_TEST_ZONES } from '../support/dns-server.js';
import { SHOP_ORIGIN, agentSocket, chatInput, makeAgent, makeChannel, newClientMsgId, postJson, startChat, visitorSocket } from '../support/factories.js';
import { DIALECTS, startTestLoket, type TestLoket } from '../support/server.js';
import { TestSocket } from '../support/ws-client.js';

interface ErrBody {
  error: { code: string; message: string; field?: string };
}

describe.each(DIALECTS)('sign-in, sessions and access on %s', (dialect) => {
  let t: TestLoket;
  beforeAll(async () => {
    t = await startTestLoket(dialect);
  });
  afterAll(async () => {
    await t.close();
  });

  it('refuses a wrong password with a translated message and sets no cookie', async () => {
    const channel = await makeChannel(t);
    const agent = await makeAgent(t, [channel]);
    const res = await fetch(`${t.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'accept-language': 'nl-NL,nl;q=0.9' },
      body: JSON.stringify({ email: agent.email, password: 'wrong' }),
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('set-cookie')).toBeNull();
    const body = (await res.json()) as ErrBody;
    expect(body.error.code).toBe('invalid_credentials');
    expect(body.error.message).toBe('Het e-mailadres of wachtwoord is onjuist.');
  });

  it('issues an HttpOnly SameSite=Strict cookie and stores only a password hash', async () => {
    const channel = await makeChannel(t);
    const agent = await makeAgent(t, [channel]);
    const res = await fetch(`${t.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: agent.email, password: agent.password }) });
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    const row = await t.loket.ctx.db.selectFrom('agents').select('password_hash').where('email', '=', agent.email).executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^scrypt\$/);
    expect(row.password_hash).not.toContain(agent.password);
  });

  it('requires the CSRF token and our own origin for state changes', async () => {
    const channel = await makeChannel(t);
    const agent = await makeAgent(t, [channel]);
    const noToken = await postJson(t, '/api/auth/logout', {}, { cookie: agent.cookie });
    expect(noToken.status).toBe(403);
    expect((noToken.body as ErrBody).error.code).toBe('csrf_failed');
    const foreign = await postJson(t, '/api/auth/logout', {}, { cookie: agent.cookie, 'x-csrf-token': agent.csrfToken, origin: 'http://evil.example' });
    expect((foreign.body as ErrBody).error.code).toBe('csrf_failed');
    const session = await fetch(`${t.url}/api/auth/session`, { headers: { cookie: agent.cookie } });
    expect(session.status).toBe(200);
  });

  it('signing out ends the session and closes that session’s sockets', async () => {
    const channel = await makeChannel(t);
    const agent = await makeAgent(t, [channel]);
    const ws = await agentSocket(t, agent);
    const out = await fetch(`${t.url}/api/auth/logout`, { method: 'POST', headers: { cookie: agent.cookie, 'x-csrf-token': agent.csrfToken } });
    expect(out.status).toBe(204);
    expect(await ws.closed()).toBe(4401);
    expect(ws.frames.some((f) => f.type === 'bye' && f.reason === 'signed_out')).toBe(true);
    const after = await fetch(`${t.url}/api/auth/session`, { headers: { cookie: agent.cookie } });
    expect(after.status).toBe(401);
    const again = await TestSocket.open(`${t.wsUrl}/ws/agent`, { cookie: agent.cookie });
    expect(await again.closed()).toBe(4401);
  });

  it('refuses agent sockets without a session or from another origin', async () => {
    const anon = await TestSocket.open(`${t.wsUrl}/ws/agent`);
    expect((await anon.next<{ code: string }>((f) => f.type === 'error')).code).toBe('unauthenticated');
    expect(await anon.closed()).toBe(4401);
    const channel = await makeChannel(t);
    const agent = await makeAgent(t, [channel]);
    const hijack = await TestSocket.open(`${t.wsUrl}/ws/agent`, { cookie: agent.cookie, origin: 'http://evil.example' });
    expect(await hijack.closed()).toBe(1008);
  });

  it('an agent of another channel can neither see nor touch its chats', async () => {
    const mine = await makeChannel(t);
    const theirs = await makeChannel(t);
    const outsider = await makeAgent(t, [theirs]);
    const ws = await agentSocket(t, outsider);
    const { chatId } = await startChat(t, mine);
    const res = await fetch(`${t.url}/api/chats/${chatId}/events?after=0`, { headers: { cookie: outsider.cookie } });
    expect(res.status).toBe(404);
    ws.send({ type: 'claim', rid: 'c', chatId });
    expect((await ws.next<{ code: string }>((f) => f.type === 'error' && f.rid === 'c')).code).toBe('chat_not_found');
    ws.send({ type: 'subscribe', chatId, afterSeq: 0 });
    await ws.next((f) => f.type === 'error');
    expect(ws.frames.some((f) => f.type === 'queueAdded')).toBe(false);
    expect(ws.frames.some((f) => f.type === 'event')).toBe(false);
    ws.close();
  });

  it('a visitor reaches only the chat of their own token', async () => {
    const channel = await makeChannel(t);
    const a = await startChat(t, channel, { question: 'secret of A' });
    const b = await startChat(t, channel, { question: 'question of B' });
    const res = await fetch(`${t.url}/api/widget/chat?after=0`, { headers: { authorization: `Bearer ${b.token}` } });
    const state = (await res.json()) as { chat: { id: string }; events: Array<{ body?: string }> };
    expect(state.chat.id).toBe(b.chatId);
    expect(state.events.map((e) => e.body)).not.toContain('secret of A');
    const bogus = await fetch(`${t.url}/api/widget/chat`, { headers: { authorization: 'Bearer nope' } });
    expect(bogus.status).toBe(404);
    const wrong = await visitorSocket(t, 'x'.repeat(43));
    expect(await wrong.closed()).toBe(4401);
    const vb = await visitorSocket(t, b.token);
    await vb.next((f) => f.type === 'chat');
    // Frames name no chat: a visitor's socket can only ever act on its own.
    vb.send({ type: 'send', rid: 'x', clientMsgId: newClientMsgId(), body: 'hi', chatId: a.chatId });
    expect((await vb.next<{ code: string }>((f) => f.type === 'error' && f.rid === 'x')).code).toBe('validation_failed');
    vb.close();
  });
});

describe('bad input never crashes the server and gets a clear error', () => {
  let t: TestLoket;
  beforeAll(async () => {
    t = await startTestLoket('sqlite');
  });
  afterAll(async () => {
    await t.close();
  });

  it('malformed JSON, wrong types and unknown fields', async () => {
    const channel = await makeChannel(t);
    const raw = await fetch(`${t.url}/api/widget/channels/${channel.key}/chats`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"token":' });
    expect(raw.status).toBe(400);
    expect(((await raw.json()) as ErrBody).error.code).toBe('bad_request');
    const wrongType = await postJson(t, `/api/widget/channels/${channel.key}/chats`, { ...chatInput(), question: 42 });
    expect(wrongType.status).toBe(422);
    expect((wrongType.body as ErrBody).error).toMatchObject({ code: 'validation_failed', field: 'question' });
    const extra = await postJson(t, `/api/widget/channels/${channel.key}/chats`, { ...chatInput(), admin: true });
    expect((extra.body as ErrBody).error.code).toBe('validation_failed');
    const big = await fetch(`${t.url}/api/widget/channels/${channel.key}/chats`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...chatInput(), question: 'x'.repeat(200_000) }) });
    // Too big to read at all: 413, not a validation error about its content.
    expect(big.status).toBe(413);
    expect(((await big.json()) as ErrBody).error.code).toBe('payload_too_large');
    const unknown = await postJson(t, '/api/widget/channels/no-such-channel/chats', chatInput());
    expect((unknown.body as ErrBody).error.code).toBe('channel_not_found');
  });

  it('checks e-mail addresses: syntax, length, null MX, missing domain; DNS trouble is not the customer’s fault', async () => {
    const channel = await makeChannel(t, { language: 'nl' });
    const check = async (email: string) => postJson(t, `/api/widget/channels/${channel.key}/email-check`, { email });
    expect((await check(`jan@${DNS_TEST_ZONES.mx}`)).status).toBe(200);
    expect((await check(`jan@${DNS_TEST_ZONES.aOnly}`)).status).toBe(200);
    expect((await check(`jan@${DNS_TEST_ZONES.idnUnicode}`)).status).toBe(200);
    const nullMx = await check(`jan@${DNS_TEST_ZONES.nullMx}`);
    expect((nullMx.body as ErrBody).error).toMatchObject({ code: 'email_domain_no_mail', field: 'email' });
    const nx = await check(`jan@${DNS_TEST_ZONES.nonExistent}`);
    expect((nx.body as ErrBody).error.code).toBe('email_domain_not_found');
    // The channel speaks Dutch, so does its error.
    expect((nx.body as ErrBody).error.message).toMatch(/bestaat niet/);
    expect(((await check('not an address')).body as ErrBody).error.code).toBe('email_invalid');
    expect(((await check(`${'a'.repeat(65)}@${DNS_TEST_ZONES.mx}`)).body as ErrBody).error.code).toBe('email_too_long');
    expect(((await check(`a@${DNS_TEST_ZONES.mx}\r\nBcc: x@${DNS_TEST_ZONES.mx}`)).body as ErrBody).error.code).toBe('email_invalid');
    const started = Date.now();
    expect((await check(`jan@${DNS_TEST_ZONES.hang}`)).status).toBe(200);
    expect(Date.now() - started).toBeLessThan(3000);
    // Starting a chat re-checks on the server, whatever the widget said.
    const start = await postJson(t, `/api/widget/channels/${channel.key}/chats`, chatInput({ email: `jan@${DNS_TEST_ZONES.nullMx}` }));
    expect((start.body as ErrBody).error.code).toBe('email_domain_no_mail');
  });

  it('required fields, empty and oversized messages', async () => {
    const channel = await makeChannel(t, { fields: [{ key: 'order', label: 'Order', type: 'text', required: true }] });
    const noName = await postJson(t, `/api/widget/channels/${channel.key}/chats`, chatInput({ name: '  ' }));
    expect((noName.body as ErrBody).error).toMatchObject({ code: 'field_required', field: 'name' });
    const noOrder = await postJson(t, `/api/widget/channels/${channel.key}/chats`, chatInput());
    expect((noOrder.body as ErrBody).error).toMatchObject({ code: 'field_required', field: 'order' });
    const empty = await postJson(t, `/api/widget/channels/${channel.key}/chats`, chatInput({ fields: { order: '1' }, question: '   ' }));
    expect((empty.body as ErrBody).error.code).toBe('message_empty');
    const ok = await startChat(t, channel, { fields: { order: 'A-1' } });
    const v = await visitorSocket(t, ok.token);
    await v.next((f) => f.type === 'chat');
    v.send({ type: 'send', rid: 'long', clientMsgId: newClientMsgId(), body: 'x'.repeat(5000) });
    expect((await v.next<{ code: string }>((f) => f.rid === 'long')).code).toBe('message_too_long');
    v.close();
  });

  it('garbage on a socket gets an error frame and the connection keeps working', async () => {
    const channel = await makeChannel(t);
    const { token } = await startChat(t, channel);
    const v = await visitorSocket(t, token);
    await v.next((f) => f.type === 'chat');
    v.ws.send('this is not json');
    expect((await v.next<{ code: string }>((f) => f.type === 'error')).code).toBe('bad_request');
    v.send({ type: 'launch-missiles' });
    await v.next((f) => f.type === 'error' && f.code === 'validation_failed');
    v.send({ type: 'send', rid: 'ok', clientMsgId: newClientMsgId(), body: 'still here' });
    await v.next((f) => f.type === 'ack' && f.rid === 'ok');
    v.close();
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
  });

  it('only the allowed origins may embed a channel or read its config cross-origin', async () => {
    const channel = await makeChannel(t);
    const frame = await fetch(`${t.url}/widget/frame.html?channel=${channel.key}`);
    // npm test builds the widget before running these tests.
    expect(frame.status).toBe(200);
    expect(frame.headers.get('content-security-policy')).toContain(`frame-ancestors 'self' ${SHOP_ORIGIN}`);
    const allowed = await fetch(`${t.url}/api/widget/channels/${channel.key}`, { headers: { origin: SHOP_ORIGIN } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe(SHOP_ORIGIN);
    const denied = await fetch(`${t.url}/api/widget/channels/${channel.key}`, { headers: { origin: 'http://evil.example' } });
    expect(denied.status).toBe(403);
    expect(denied.headers.get('access-control-allow-origin')).toBeNull();
    const crossPost = await postJson(t, `/api/widget/channels/${channel.key}/chats`, chatInput(), { origin: SHOP_ORIGIN });
    expect((crossPost.body as ErrBody).error.code).toBe('origin_not_allowed');
  });

  it('serves health, readiness and the OpenAPI description', async () => {
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${t.url}/readyz`)).status).toBe(200);
    const doc = (await (await fetch(`${t.url}/api/openapi.json`)).json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toContain('/api/widget/channels/{key}/chats');
  });
});
