import { AdminUserSchema, AgentSelfSchema, checkPhotoUrl, ErrorBodySchema, PasswordResetResultSchema, SessionSchema, UserCreateResultSchema, UserListSchema } from '@loket/protocol';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DNS_TEST_ZONES } from '../support/dns-server.js';
import { callAs, agentSocket, makeAgent, makeChannel, startChat, visitorSocket, type TestAgent } from '../support/factories.js';
import { DIALECTS, startTestLoket, type TestLoket } from '../support/server.js';

const png = (extra = 16) => `data:image/png;base64,${Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(extra, 7)]).toString('base64')}`;
const jpeg = `data:image/jpeg;base64,${Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4]).toString('base64')}`;

describe('photo URLs', () => {
  it('accepts https URLs and real PNG/JPEG data URLs up to 200 KB, nothing else', () => {
    expect(checkPhotoUrl('https://cdn.example.com/a.png').ok).toBe(true);
    expect(checkPhotoUrl(png()).ok).toBe(true);
    expect(checkPhotoUrl(jpeg).ok).toBe(true);
    expect(checkPhotoUrl(png(200 * 1024 - 8)).ok).toBe(true);
    expect(checkPhotoUrl(png(200 * 1024))).toEqual({ ok: false, reason: 'size' });
    expect(checkPhotoUrl('http://cdn.example.com/a.png')).toEqual({ ok: false, reason: 'url' });
    expect(checkPhotoUrl('javascript:alert(1)')).toEqual({ ok: false, reason: 'url' });
    expect(checkPhotoUrl('https://x.example/"onerror="a')).toEqual({ ok: false, reason: 'url' });
    expect(checkPhotoUrl(`data:image/svg+xml;base64,${Buffer.from('<svg/>').toString('base64')}`)).toEqual({ ok: false, reason: 'type' });
    // Declared PNG, but the bytes are a GIF.
    expect(checkPhotoUrl(`data:image/png;base64,${Buffer.from('GIF89a....').toString('base64')}`)).toEqual({ ok: false, reason: 'type' });
    expect(checkPhotoUrl('data:image/png,abc')).toEqual({ ok: false, reason: 'type' });
  });
});

describe.each(DIALECTS)('users on %s', (dialect) => {
  let t: TestLoket;
  let admin: TestAgent;
  beforeAll(async () => {
    t = await startTestLoket(dialect);
    admin = await makeAgent(t, [], { role: 'admin' });
  });
  afterAll(async () => {
    await t.close();
  });

  const call = (method: string, path: string, who: TestAgent | null, body?: unknown) => callAs(t, method, path, who, body);
  const errorOf = (res: { body: unknown }) => ErrorBodySchema.parse(res.body).error;
  const email = () => `user-${randomUUID().slice(0, 8)}@${DNS_TEST_ZONES.mx}`;
  const login = async (address: string, password: string): Promise<TestAgent | number> => {
    const res = await fetch(`${t.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: address, password }) });
    if (res.status !== 200) return res.status;
    const session = SessionSchema.parse(await res.json());
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    return { id: session.agent.id, email: address, password, cookie, csrfToken: session.csrfToken, name: session.agent.name };
  };
  const signedIn = async (address: string, password: string): Promise<TestAgent> => {
    const who = await login(address, password);
    if (typeof who === 'number') throw new Error(`login failed: ${who}`);
    return who;
  };
  const create = async (input: Record<string, unknown>) => {
    const res = await call('POST', '/api/admin/users', admin, input);
    expect(res.status).toBe(201);
    return UserCreateResultSchema.parse(res.body);
  };

  it('is for administrators only', async () => {
    const agent = await makeAgent(t, []);
    expect((await call('GET', '/api/admin/users', null)).status).toBe(401);
    const asAgent = await call('GET', '/api/admin/users', agent);
    expect(asAgent.status).toBe(403);
    expect(errorOf(asAgent).code).toBe('forbidden');
    expect((await call('POST', '/api/admin/users', agent, { name: 'X', email: email(), role: 'admin' })).status).toBe(403);
    expect((await call('POST', `/api/admin/users/${agent.id}/deactivate`, agent)).status).toBe(403);
    expect((await call('POST', `/api/admin/users/${admin.id}/reset-password`, agent)).status).toBe(403);
    // Without the CSRF token a write is refused even for an administrator.
    const noCsrf = await fetch(`${t.url}/api/admin/users`, { method: 'POST', headers: { cookie: admin.cookie, 'content-type': 'application/json' }, body: '{}' });
    expect(noCsrf.status).toBe(403);
  });

  it('creates, lists and updates users; a generated password is returned once and works', async () => {
    const address = email();
    const made = await create({ name: '  Robin Example ', email: address.toUpperCase(), role: 'agent', photoUrl: png() });
    expect(made.user).toMatchObject({ name: 'Robin Example', email: address, role: 'agent', active: true, presence: 'away', photoUrl: png() });
    expect(made.password).toMatch(/^.{10,}$/);
    const robin = await signedIn(address, made.password!);
    expect(robin.id).toBe(made.user.id);

    const own = await create({ name: 'Kim', email: email(), role: 'admin', password: 'correct horse battery' });
    expect(own.password).toBeUndefined();
    await signedIn(own.user.email, 'correct horse battery');

    const list = UserListSchema.parse((await call('GET', '/api/admin/users', admin)).body).users;
    expect(list.map((u) => u.id)).toEqual(expect.arrayContaining([admin.id, made.user.id, own.user.id]));
    expect(JSON.stringify(list)).not.toContain('password');

    const newAddress = email();
    const updated = await call('PUT', `/api/admin/users/${made.user.id}`, admin, { name: 'Robin E.', email: newAddress, role: 'admin', photoUrl: 'https://cdn.example.com/robin.jpg' });
    expect(updated.status).toBe(200);
    expect(AdminUserSchema.parse(updated.body)).toMatchObject({ name: 'Robin E.', email: newAddress, role: 'admin', photoUrl: 'https://cdn.example.com/robin.jpg' });
    // The change shows in the agent's own session straight away.
    const session = SessionSchema.parse((await call('GET', '/api/auth/session', robin)).body);
    expect(session.agent).toMatchObject({ name: 'Robin E.', role: 'admin' });
    expect((await call('PUT', '/api/admin/users/nope', admin, { name: 'X', email: email(), role: 'agent', photoUrl: null })).status).toBe(404);
  });

  it('refuses a duplicate e-mail address with a clear field error', async () => {
    const first = await create({ name: 'One', email: email(), role: 'agent' });
    const dup = await call('POST', '/api/admin/users', admin, { name: 'Two', email: ` ${first.user.email.toUpperCase()} `, role: 'agent' });
    expect(dup.status).toBe(409);
    expect(errorOf(dup)).toMatchObject({ code: 'email_taken', field: 'email' });
    const second = await create({ name: 'Two', email: email(), role: 'agent' });
    const clash = await call('PUT', `/api/admin/users/${second.user.id}`, admin, { name: 'Two', email: first.user.email, role: 'agent', photoUrl: null });
    expect(errorOf(clash)).toMatchObject({ code: 'email_taken', field: 'email' });
  });

  it('deactivating ends the agent’s sessions and sockets at once; reactivating lets them sign in again', async () => {
    const made = await create({ name: 'Sam', email: email(), role: 'agent', password: 'first-password-1' });
    const sam = await signedIn(made.user.email, 'first-password-1');
    const other = await signedIn(made.user.email, 'first-password-1');
    const socket = await agentSocket(t, sam);

    const off = await call('POST', `/api/admin/users/${made.user.id}/deactivate`, admin);
    expect(off.status).toBe(200);
    expect(AdminUserSchema.parse(off.body)).toMatchObject({ active: false, presence: 'away' });
    await socket.next((f) => f.type === 'bye');
    expect(await socket.closed()).toBe(4401);
    expect((await call('GET', '/api/auth/session', sam)).status).toBe(401);
    expect((await call('GET', '/api/auth/session', other)).status).toBe(401);
    expect(await login(made.user.email, 'first-password-1')).toBe(401);

    const on = await call('POST', `/api/admin/users/${made.user.id}/activate`, admin);
    expect(AdminUserSchema.parse(on.body).active).toBe(true);
    await signedIn(made.user.email, 'first-password-1');
  });

  it('deactivating an agent puts their ongoing chats back in the queue, with their history', async () => {
    const channel = await makeChannel(t);
    const leaving = await makeAgent(t, [channel]);
    const colleague = await makeAgent(t, [channel]);
    const leavingWs = await agentSocket(t, leaving);
    const colleagueWs = await agentSocket(t, colleague);
    const { token, chatId } = await startChat(t, channel, { question: 'Still there?' });
    const visitor = await visitorSocket(t, token);
    leavingWs.send({ type: 'claim', rid: 'c', chatId });
    await leavingWs.next((f) => f.type === 'claimed' && f.rid === 'c');
    await visitor.next((f) => f.type === 'chat' && (f.chat as { status: string }).status === 'active');
    const mark = colleagueWs.frames.length;
    const vMark = visitor.frames.length;

    expect((await call('POST', `/api/admin/users/${leaving.id}/deactivate`, admin)).status).toBe(200);
    await colleagueWs.next((f) => f.type === 'queueAdded' && (f.item as { chatId: string }).chatId === chatId, 5000, mark);
    const back = await visitor.next<{ chat: { status: string; agent: unknown; queue: { position: number } } }>((f) => f.type === 'chat' && (f.chat as { status: string }).status === 'waiting', 5000, vMark);
    expect(back.chat.agent).toBeNull();
    expect(back.chat.queue.position).toBe(1);
    colleagueWs.send({ type: 'claim', rid: 'c2', chatId });
    await colleagueWs.next((f) => f.type === 'claimed' && f.rid === 'c2');
    const events = (await t.loket.ctx.db.selectFrom('chat_events').select(['kind', 'body']).where('chat_id', '=', chatId).orderBy('seq').execute()).map((e) => e.kind);
    expect(events).toEqual(['message', 'queued', 'joined', 'queued', 'joined']);
    visitor.close();
    colleagueWs.close();
  });

  it('resetting a password: the old one fails, the new one works, old sessions are gone', async () => {
    const made = await create({ name: 'Lee', email: email(), role: 'agent', password: 'old-password-1' });
    const lee = await signedIn(made.user.email, 'old-password-1');
    const socket = await agentSocket(t, lee);
    const res = await call('POST', `/api/admin/users/${made.user.id}/reset-password`, admin);
    expect(res.status).toBe(200);
    const { password } = PasswordResetResultSchema.parse(res.body);
    expect(password.length).toBeGreaterThanOrEqual(10);
    expect(await socket.closed()).toBe(4401);
    expect((await call('GET', '/api/auth/session', lee)).status).toBe(401);
    expect(await login(made.user.email, 'old-password-1')).toBe(401);
    await signedIn(made.user.email, password);
  });

  it('lets every agent edit their own name and photo', async () => {
    const agent = await makeAgent(t, []);
    const res = await call('PUT', '/api/me/profile', agent, { name: ' New Name ', photoUrl: jpeg });
    expect(res.status).toBe(200);
    expect(AgentSelfSchema.parse(res.body)).toMatchObject({ id: agent.id, name: 'New Name', photoUrl: jpeg });
    const cleared = await call('PUT', '/api/me/profile', agent, { name: 'New Name', photoUrl: null });
    expect(AgentSelfSchema.parse(cleared.body).photoUrl).toBeNull();
    // The role and e-mail are not the agent's to change.
    const sneaky = await call('PUT', '/api/me/profile', agent, { name: 'X', photoUrl: null, role: 'admin' });
    expect(sneaky.status).toBe(422);
  });

  it('changing one’s password needs the current one and ends the other sessions only', async () => {
    const made = await create({ name: 'Ada', email: email(), role: 'agent', password: 'ada-password-1' });
    const here = await signedIn(made.user.email, 'ada-password-1');
    const there = await signedIn(made.user.email, 'ada-password-1');
    const thereSocket = await agentSocket(t, there);
    const hereSocket = await agentSocket(t, here);

    const wrong = await call('POST', '/api/me/password', here, { currentPassword: 'nope-nope-nope', newPassword: 'ada-password-2' });
    expect(wrong.status).toBe(422);
    expect(errorOf(wrong).field).toBe('currentPassword');

    const ok = await call('POST', '/api/me/password', here, { currentPassword: 'ada-password-1', newPassword: 'ada-password-2' });
    expect(ok.status).toBe(204);
    expect(await thereSocket.closed()).toBe(4401);
    expect((await call('GET', '/api/auth/session', there)).status).toBe(401);
    expect((await call('GET', '/api/auth/session', here)).status).toBe(200);
    expect(hereSocket.closeCode).toBeNull();
    expect(await login(made.user.email, 'ada-password-1')).toBe(401);
    await signedIn(made.user.email, 'ada-password-2');
    hereSocket.close();
  });

  it('an administrator cannot deactivate themself or leave no active administrator', async () => {
    const self = await call('POST', `/api/admin/users/${admin.id}/deactivate`, admin);
    expect(self.status).toBe(403);
    expect(errorOf(self)).toMatchObject({ code: 'forbidden', detail: 'self' });

    // A separate Loket where `solo` is the only administrator.
    const other = await startTestLoket(dialect);
    try {
      const solo = await makeAgent(other, [], { role: 'admin' });
      const res = await fetch(`${other.url}/api/admin/users/${solo.id}`, {
        method: 'PUT',
        headers: { cookie: solo.cookie, 'x-csrf-token': solo.csrfToken, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Solo', email: solo.email, role: 'agent', photoUrl: null }),
      });
      expect(res.status).toBe(403);
      expect(ErrorBodySchema.parse(await res.json()).error).toMatchObject({ code: 'forbidden', detail: 'last_admin' });
    } finally {
      await other.close();
    }

    // With a second administrator, one may deactivate the other.
    const second = await create({ name: 'Second admin', email: email(), role: 'admin' });
    const res = await call('POST', `/api/admin/users/${second.user.id}/deactivate`, admin);
    expect(res.status).toBe(200);
  });

  it.each([
    ['a photo of the wrong type', { name: 'X', email: 'x@example.com', role: 'agent', photoUrl: `data:image/svg+xml;base64,${Buffer.from('<svg/>').toString('base64')}` }, 'photoUrl'],
    ['a photo that is too large', { name: 'X', email: 'x@example.com', role: 'agent', photoUrl: png(210 * 1024) }, 'photoUrl'],
    ['a plain-http photo', { name: 'X', email: 'x@example.com', role: 'agent', photoUrl: 'http://example.com/a.png' }, 'photoUrl'],
    ['a short password', { name: 'X', email: 'x@example.com', role: 'agent', password: 'short' }, 'password'],
    ['a bad e-mail address', { name: 'X', email: 'not an address', role: 'agent' }, 'email'],
    ['an empty name', { name: '   ', email: 'x@example.com', role: 'agent' }, 'name'],
    ['an unknown role', { name: 'X', email: 'x@example.com', role: 'owner' }, 'role'],
  ])('refuses %s with 422 naming the field', async (_what, input, field) => {
    const res = await call('POST', '/api/admin/users', admin, input);
    expect(res.status).toBe(422);
    expect(errorOf(res).field).toBe(field);
  });

  it('refuses a short new password and a bad profile photo', async () => {
    const agent = await makeAgent(t, []);
    const short = await call('POST', '/api/me/password', agent, { currentPassword: agent.password, newPassword: 'short' });
    expect(short.status).toBe(422);
    expect(errorOf(short).field).toBe('newPassword');
    const photo = await call('PUT', '/api/me/profile', agent, { name: 'X', photoUrl: 'data:image/gif;base64,R0lGODlh' });
    expect(errorOf(photo).field).toBe('photoUrl');
  });
});
