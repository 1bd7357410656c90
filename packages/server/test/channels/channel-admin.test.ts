import { AdminChannelListSchema, AdminChannelSchema, ChannelAgentListSchema, ErrorBodySchema, WidgetConfigSchema, type AdminChannel } from '@loket/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callAs, agentSocket, makeAgent, makeChannel, SHOP_ORIGIN, startChat, fieldError, type TestAgent } from '../support/factories.js';
import { DIALECTS, startTestLoket, type TestLoket } from '../support/server.js';

type Ready = { type: 'ready'; queue: Array<{ chatId: string }> };

describe.each(DIALECTS)('channel administration on %s', (dialect) => {
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
  let keys = 0;
  const newKey = () => `admin-ch-${Date.now().toString(36)}-${keys++}`;
  const create = async (name = 'Tech support NL', language = 'nl') => {
    const res = await call('POST', '/api/admin/channels', admin, { name, key: newKey(), language });
    expect(res.status).toBe(201);
    return AdminChannelSchema.parse(res.body);
  };
  const properties = (ch: AdminChannel) => ({
    name: ch.name,
    language: ch.language,
    badgeText: ch.badgeText,
    headerText: ch.headerText,
    welcomeMessage: ch.welcomeMessage,
    queueMessage: ch.queueMessage,
    description: ch.description,
    warnAfterSeconds: ch.warnAfterSeconds,
    managerWarnAfterSeconds: ch.managerWarnAfterSeconds,
  });
  const widgetConfig = async (key: string) => {
    const res = await fetch(`${t.url}/api/widget/channels/${key}`, { headers: { origin: SHOP_ORIGIN } });
    expect(res.status).toBe(200);
    return WidgetConfigSchema.parse(await res.json());
  };

  it('is for administrators only: 401 without a session, 403 for an agent, CSRF on writes', async () => {
    const channel = await makeChannel(t);
    const agent = await makeAgent(t, [channel]);
    const writes: Array<[string, string, unknown]> = [
      ['POST', '/api/admin/channels', { name: 'X', key: newKey(), language: 'en' }],
      ['PUT', `/api/admin/channels/${channel.id}/properties`, {}],
      ['PUT', `/api/admin/channels/${channel.id}/origins`, { origins: [] }],
      ['GET', `/api/admin/channels/${channel.id}/agents`, undefined],
      ['PUT', `/api/admin/channels/${channel.id}/agents`, { agents: [] }],
      ['DELETE', `/api/admin/channels/${channel.id}`, undefined],
    ];
    for (const [method, path, body] of writes) {
      expect([method, path, (await call(method, path, null, body)).status]).toEqual([method, path, 401]);
      const plain = await call(method, path, agent, body);
      expect([method, path, plain.status, ErrorBodySchema.parse(plain.body).error.code]).toEqual([method, path, 403, 'forbidden']);
    }
    const noCsrf = await fetch(`${t.url}/api/admin/channels/${channel.id}`, { method: 'DELETE', headers: { cookie: admin.cookie } });
    expect(noCsrf.status).toBe(403);
    expect(ErrorBodySchema.parse(await noCsrf.json()).error.code).toBe('csrf_failed');
    expect((await call('GET', `/api/admin/channels/${channel.id}/agents`, admin)).status).toBe(200);
    const doc = (await (await fetch(`${t.url}/api/openapi.json`)).json()) as { paths: Record<string, unknown> };
    for (const path of ['/api/admin/channels', '/api/admin/channels/{id}', '/api/admin/channels/{id}/properties', '/api/admin/channels/{id}/origins', '/api/admin/channels/{id}/agents']) {
      expect(doc.paths[path], path).toBeDefined();
    }
  });

  it('creates a channel with defaults and its embed snippet; a taken key is a field error', async () => {
    const key = newKey();
    const res = await call('POST', '/api/admin/channels', admin, { name: '  Sales  ', key: `  ${key.toUpperCase()} `, language: 'de' });
    expect(res.status).toBe(201);
    const ch = AdminChannelSchema.parse(res.body);
    expect(ch).toMatchObject({ name: 'Sales', key, language: 'de', origins: [], description: '', warnAfterSeconds: null, managerWarnAfterSeconds: null });
    expect(ch.prechat).toMatchObject({ enabled: true, name: 'required', email: 'required', phone: 'off', company: 'off', fields: [] });
    const base = t.config.publicUrl.replace(/\/+$/, '');
    expect(ch.embedSnippet).toBe(`<script defer src="${base}/widget.js" data-channel="${key}"></script>`);
    const listed = AdminChannelListSchema.parse((await call('GET', '/api/admin/channels', admin)).body).channels;
    expect(listed.find((c) => c.id === ch.id)).toEqual(ch);

    expect(fieldError(await call('POST', '/api/admin/channels', admin, { name: 'Other', key, language: 'en' }))).toEqual({ status: 409, code: 'channel_key_taken', field: 'key' });
    const bad: Array<[Record<string, unknown>, string]> = [
      [{ name: '', key: newKey(), language: 'en' }, 'name'],
      [{ name: '   ', key: newKey(), language: 'en' }, 'name'],
      [{ name: 'A', key: 'has space', language: 'en' }, 'key'],
      [{ name: 'A', key: 'x', language: 'en' }, 'key'],
      [{ name: 'A', key: '-dash', language: 'en' }, 'key'],
      [{ name: 'A', key: 'a/b', language: 'en' }, 'key'],
      [{ name: 'A', key: 'a'.repeat(65), language: 'en' }, 'key'],
      [{ name: 'A', key: newKey(), language: 'xx' }, 'language'],
    ];
    for (const [body, field] of bad) {
      expect([body, fieldError(await call('POST', '/api/admin/channels', admin, body))]).toEqual([body, { status: 422, code: 'validation_failed', field }]);
    }
    expect((await call('POST', '/api/admin/channels', admin, { name: 'A', key: newKey(), language: 'en', extra: 1 })).status).toBe(422);
  });

  it('saves properties as typed; the next widget load shows them; every invalid value is a field error', async () => {
    const ch = await create('Webshop', 'en');
    await call('PUT', `/api/admin/channels/${ch.id}/origins`, admin, { origins: [SHOP_ORIGIN] });
    const html = '<img src=x onerror="alert(1)"> <b>Hi</b> & welcome';
    const input = {
      ...properties(ch),
      name: 'Webshop NL',
      language: 'nl',
      badgeText: 'Vraag het ons',
      headerText: html,
      welcomeMessage: 'Hallo!\nWat kunnen we doen?',
      queueMessage: 'U bent nummer {position} ({cque}); wachttijd {wait} / {cavw}.',
      description: 'Internal: routed to the NL team',
      warnAfterSeconds: 60,
      managerWarnAfterSeconds: 300,
    };
    const res = await call('PUT', `/api/admin/channels/${ch.id}/properties`, admin, input);
    expect(res.status).toBe(200);
    expect(AdminChannelSchema.parse(res.body)).toMatchObject(input);
    const config = await widgetConfig(ch.key);
    expect(config).toMatchObject({
      name: 'Webshop NL',
      language: 'nl',
      badgeText: 'Vraag het ons',
      headerText: html, // verbatim: the widget renders text, never HTML
      welcomeMessage: input.welcomeMessage,
      queueMessage: input.queueMessage,
    });
    expect(JSON.stringify(config)).not.toContain('Internal: routed');

    const bad: Array<[Record<string, unknown>, string]> = [
      [{ name: '' }, 'name'],
      [{ name: 'x'.repeat(201) }, 'name'],
      [{ language: 'pt' }, 'language'],
      [{ badgeText: ' ' }, 'badgeText'],
      [{ headerText: '' }, 'headerText'],
      [{ welcomeMessage: 'x'.repeat(2001) }, 'welcomeMessage'],
      [{ queueMessage: 'You are {positon} in line' }, 'queueMessage'],
      [{ queueMessage: 'Wait {wait} {}' }, 'queueMessage'],
      [{ queueMessage: 'x'.repeat(1001) }, 'queueMessage'],
      [{ description: 5 }, 'description'],
      [{ warnAfterSeconds: 9 }, 'warnAfterSeconds'],
      [{ warnAfterSeconds: 30.5 }, 'warnAfterSeconds'],
      [{ warnAfterSeconds: '60' }, 'warnAfterSeconds'],
      [{ managerWarnAfterSeconds: 86_401 }, 'managerWarnAfterSeconds'],
      // The manager warning escalates: it must come after the agents' warning.
      [{ warnAfterSeconds: 300, managerWarnAfterSeconds: 300 }, 'managerWarnAfterSeconds'],
      [{ warnAfterSeconds: 300, managerWarnAfterSeconds: 120 }, 'managerWarnAfterSeconds'],
    ];
    for (const [change, field] of bad) {
      const r = await call('PUT', `/api/admin/channels/${ch.id}/properties`, admin, { ...input, ...change });
      expect([change, fieldError(r)]).toEqual([change, { status: 422, code: 'validation_failed', field }]);
    }
    const { description: _omitted, ...missing } = input;
    expect(fieldError(await call('PUT', `/api/admin/channels/${ch.id}/properties`, admin, missing))).toMatchObject({ status: 422, field: 'description' });
    expect((await call('PUT', `/api/admin/channels/${ch.id}/properties`, admin, { ...input, color: 'red' })).status).toBe(422);
    // The pre-chat switch moved to PUT …/prechat.
    expect((await call('PUT', `/api/admin/channels/${ch.id}/properties`, admin, { ...input, prechatEnabled: false })).status).toBe(422);
    // Either warning alone is fine; null switches it off.
    for (const [warn, manager] of [[null, 60], [45, null], [null, null]] as const) {
      const r = await call('PUT', `/api/admin/channels/${ch.id}/properties`, admin, { ...input, warnAfterSeconds: warn, managerWarnAfterSeconds: manager });
      expect(AdminChannelSchema.parse(r.body)).toMatchObject({ warnAfterSeconds: warn, managerWarnAfterSeconds: manager });
    }
    await call('PUT', `/api/admin/channels/${ch.id}/properties`, admin, input);
    expect((await call('PUT', '/api/admin/channels/nope/properties', admin, input)).status).toBe(404);
    // Nothing of the refused attempts was stored.
    expect((await widgetConfig(ch.key)).badgeText).toBe('Vraag het ons');
  });

  it('normalises allowed origins, removes duplicates and refuses anything but scheme://host[:port]', async () => {
    const ch = await create();
    const res = await call('PUT', `/api/admin/channels/${ch.id}/origins`, admin, {
      origins: ['https://Shop.Example.COM', 'https://shop.example.com:443', 'http://localhost:8080', ' https://shop.example.com/ ', 'http://[::1]:3000', 'https://xn--bcher-kva.example'],
    });
    expect(res.status).toBe(200);
    expect(AdminChannelSchema.parse(res.body).origins).toEqual(['https://shop.example.com', 'http://localhost:8080', 'http://[::1]:3000', 'https://xn--bcher-kva.example']);
    const widget = await fetch(`${t.url}/api/widget/channels/${ch.key}`, { headers: { origin: 'https://shop.example.com' } });
    expect(widget.status).toBe(200);
    const elsewhere = await fetch(`${t.url}/api/widget/channels/${ch.key}`, { headers: { origin: SHOP_ORIGIN } });
    expect(elsewhere.status).toBe(403);

    for (const origin of ['shop.example.com', 'ftp://shop.example.com', 'https://shop.example.com/path', 'https://shop.example.com?x=1', 'https://shop.example.com#a', 'https://user:pw@shop.example.com', 'https://', '', 'javascript:alert(1)', 'https://shop example.com', 'https://shop.example.com:99999']) {
      const r = await call('PUT', `/api/admin/channels/${ch.id}/origins`, admin, { origins: ['https://ok.example', origin] });
      const body = ErrorBodySchema.parse(r.body).error;
      expect([origin, r.status, body.code, body.field, body.detail ?? '']).toEqual([origin, 422, 'validation_failed', 'origins', origin]);
    }
    expect(fieldError(await call('PUT', `/api/admin/channels/${ch.id}/origins`, admin, { origins: 'https://a.example' }))).toMatchObject({ status: 422, field: 'origins' });
    const after = AdminChannelListSchema.parse((await call('GET', '/api/admin/channels', admin)).body).channels.find((c) => c.id === ch.id);
    expect(after?.origins).toHaveLength(4);
    expect((await call('PUT', `/api/admin/channels/${ch.id}/origins`, admin, { origins: [] })).status).toBe(200);
  });

  it('replaces the agents with their permissions; a removed agent no longer sees the queue on a new connection', async () => {
    const ch = await create('Queue', 'en');
    await call('PUT', `/api/admin/channels/${ch.id}/origins`, admin, { origins: [SHOP_ORIGIN] });
    const [ann, bob] = [await makeAgent(t, [], { name: 'Ann' }), await makeAgent(t, [], { name: 'Bob' })];
    const set = async (agents: unknown[]) => call('PUT', `/api/admin/channels/${ch.id}/agents`, admin, { agents });
    const perms = { canRespond: true, notifications: false, canListen: true, manager: false };
    const res = await set([
      { agentId: ann.id, ...perms },
      { agentId: bob.id, canRespond: true, notifications: true, canListen: false, manager: true },
    ]);
    expect(res.status).toBe(200);
    const list = ChannelAgentListSchema.parse(res.body);
    expect(list.agents.find((a) => a.agentId === ann.id)).toEqual({ agentId: ann.id, name: 'Ann', email: ann.email, ...perms });
    expect(list.agents.find((a) => a.agentId === bob.id)?.manager).toBe(true);
    expect(list.available.map((a) => a.id)).toEqual(expect.arrayContaining([ann.id, bob.id, admin.id]));
    const stored = await t.loket.ctx.db.selectFrom('channel_agents').selectAll().where('channel_id', '=', ch.id).where('agent_id', '=', ann.id).executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ can_respond: 1, notifications: 0, can_listen: 1, manager: 0 });
    expect(ChannelAgentListSchema.parse((await call('GET', `/api/admin/channels/${ch.id}/agents`, admin)).body)).toEqual(list);

    const channelRow = await t.loket.ctx.db.selectFrom('channels').selectAll().where('id', '=', ch.id).executeTakeFirstOrThrow();
    const { chatId } = await startChat(t, channelRow);
    const before = await agentSocket(t, bob);
    expect((before.frames.find((f) => f.type === 'ready') as unknown as Ready).queue.map((c) => c.chatId)).toContain(chatId);
    before.close();

    expect((await set([{ agentId: ann.id, ...perms }])).status).toBe(200);
    const after = await agentSocket(t, bob);
    expect((after.frames.find((f) => f.type === 'ready') as unknown as Ready).queue.map((c) => c.chatId)).not.toContain(chatId);
    after.close();
    const stays = await agentSocket(t, ann);
    expect((stays.frames.find((f) => f.type === 'ready') as unknown as Ready).queue.map((c) => c.chatId)).toContain(chatId);
    stays.close();

    expect(fieldError(await set([{ agentId: 'no-such-agent', ...perms }]))).toEqual({ status: 422, code: 'validation_failed', field: 'agents' });
    expect(fieldError(await set([{ agentId: ann.id, ...perms }, { agentId: ann.id, ...perms }]))).toEqual({ status: 422, code: 'validation_failed', field: 'agents' });
    expect(fieldError(await set([{ agentId: ann.id, canRespond: true }]))).toMatchObject({ status: 422, field: 'agents' });
    expect(ChannelAgentListSchema.parse((await call('GET', `/api/admin/channels/${ch.id}/agents`, admin)).body).agents.map((a) => a.agentId)).toEqual([ann.id]);
    expect((await set([])).status).toBe(200);
    expect((await call('GET', '/api/admin/channels/nope/agents', admin)).status).toBe(404);
  });

  it('deletes a channel only while it has no chats (history is never deleted with it)', async () => {
    const empty = await create();
    const agent = await makeAgent(t, []);
    await call('PUT', `/api/admin/channels/${empty.id}/agents`, admin, { agents: [{ agentId: agent.id, canRespond: true, notifications: true, canListen: false, manager: false }] });
    expect((await call('DELETE', `/api/admin/channels/${empty.id}`, admin)).status).toBe(204);
    expect(AdminChannelListSchema.parse((await call('GET', '/api/admin/channels', admin)).body).channels.some((c) => c.id === empty.id)).toBe(false);
    expect((await fetch(`${t.url}/api/widget/channels/${empty.key}`)).status).toBe(404);
    expect((await call('DELETE', `/api/admin/channels/${empty.id}`, admin)).status).toBe(404);

    const busy = await makeChannel(t);
    const { chatId } = await startChat(t, busy);
    expect(fieldError(await call('DELETE', `/api/admin/channels/${busy.id}`, admin))).toMatchObject({ status: 409, code: 'channel_in_use' });
    await t.loket.ctx.db.updateTable('chats').set({ status: 'ended', ended_at: Date.now(), ended_by: 'agent' }).where('id', '=', chatId).execute();
    expect(fieldError(await call('DELETE', `/api/admin/channels/${busy.id}`, admin))).toMatchObject({ status: 409, code: 'channel_in_use' });
    expect(await t.loket.ctx.db.selectFrom('channels').select('id').where('id', '=', busy.id).executeTakeFirst()).toBeDefined();
  });
});
