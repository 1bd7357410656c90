import {
  AdminChannelSchema,
  ErrorBodySchema,
  FaqFolderListSchema,
  WidgetConfigSchema,
  type AdminChannel,
  type ChannelOfflineInput,
  type ChannelPrechatInput,
  type StartChatInput,
} from '@loket/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentSocket, callAs, chatInput, makeAgent, postJson, SHOP_ORIGIN, fieldError, type TestAgent } from '../support/factories.js';
import { DIALECTS, startTestLoket, type TestLoket } from '../support/server.js';

describe.each(DIALECTS)('pre-chat and offline forms on %s', (dialect) => {
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
  const create = async (): Promise<AdminChannel> => {
    const key = `forms-${Date.now().toString(36)}-${keys++}`;
    const res = await call('POST', '/api/admin/channels', admin, { name: 'Forms', key, language: 'en' });
    expect(res.status).toBe(201);
    const ch = AdminChannelSchema.parse(res.body);
    expect((await call('PUT', `/api/admin/channels/${ch.id}/origins`, admin, { origins: [SHOP_ORIGIN] })).status).toBe(200);
    return ch;
  };
  const widgetConfig = async (key: string) => {
    const res = await fetch(`${t.url}/api/widget/channels/${key}`, { headers: { origin: SHOP_ORIGIN } });
    expect(res.status).toBe(200);
    return WidgetConfigSchema.parse(await res.json());
  };
  const savePrechat = (ch: AdminChannel, input: unknown) => call('PUT', `/api/admin/channels/${ch.id}/prechat`, admin, input);
  const readBack = async (ch: AdminChannel) => {
    const res = await call('GET', '/api/admin/channels', admin);
    const found = (res.body as { channels: unknown[] }).channels.map((c) => AdminChannelSchema.parse(c)).find((c) => c.id === ch.id);
    if (!found) throw new Error('channel gone');
    return found;
  };
  const start = (key: string, overrides: Partial<StartChatInput>) => postJson(t, `/api/widget/channels/${key}/chats`, chatInput(overrides));
  const addFolder = async (name: string) => {
    const id = `f${Date.now().toString(36)}${keys++}`;
    await t.loket.ctx.db.insertInto('faq_folders').values({ id, parent_id: null, name, created_at: Date.now() }).execute();
    return id;
  };

  const full: ChannelPrechatInput = {
    enabled: true,
    message: '  Tell us who you are <b>first</b>  ',
    name: 'optional',
    email: 'optional',
    phone: 'required',
    company: 'optional',
    fields: [
      { key: 'topic', label: ' Topic ', type: 'choice', required: true, options: [' Bikes ', 'Parts'] },
      { key: 'order', label: 'Order number', type: 'text', required: false },
      { key: 'terms', label: 'I accept the terms', type: 'checkbox', required: true },
    ],
    faqSuggestions: true,
    faqFolderId: null,
  };

  it('is for administrators only, with CSRF on writes; the routes are in the OpenAPI document', async () => {
    const ch = await create();
    const agent = await makeAgent(t, []);
    const offline: ChannelOfflineInput = { header: '', message: '', requests: true, category: '', priority: 'normal', name: 'required', phone: 'off', company: 'off' };
    const routes: Array<[string, string, unknown]> = [
      ['PUT', `/api/admin/channels/${ch.id}/prechat`, full],
      ['PUT', `/api/admin/channels/${ch.id}/offline`, offline],
      ['GET', '/api/admin/faq-folders', undefined],
    ];
    for (const [method, path, body] of routes) {
      expect([path, (await call(method, path, null, body)).status]).toEqual([path, 401]);
      expect([path, fieldError(await call(method, path, agent, body))]).toEqual([path, { status: 403, code: 'forbidden', field: undefined }]);
    }
    for (const path of [`/api/admin/channels/${ch.id}/prechat`, `/api/admin/channels/${ch.id}/offline`]) {
      const noCsrf = await fetch(`${t.url}${path}`, { method: 'PUT', headers: { cookie: admin.cookie, 'content-type': 'application/json' }, body: JSON.stringify(path.endsWith('prechat') ? full : offline) });
      expect([path, noCsrf.status, ErrorBodySchema.parse(await noCsrf.json()).error.code]).toEqual([path, 403, 'csrf_failed']);
    }
    // Nothing of the refused writes was stored.
    expect((await readBack(ch)).prechat.phone).toBe('off');
    expect((await call('PUT', '/api/admin/channels/nope/prechat', admin, full)).status).toBe(404);
    expect((await call('PUT', '/api/admin/channels/nope/offline', admin, offline)).status).toBe(404);
    const doc = (await (await fetch(`${t.url}/api/openapi.json`)).json()) as { paths: Record<string, unknown> };
    for (const path of ['/api/admin/channels/{id}/prechat', '/api/admin/channels/{id}/offline', '/api/admin/faq-folders']) expect(doc.paths[path], path).toBeDefined();
  });

  it('saves the pre-chat form trimmed; it reads back and the widget shows it at once', async () => {
    const ch = await create();
    const res = await savePrechat(ch, full);
    expect(res.status).toBe(200);
    const expected = {
      ...full,
      message: 'Tell us who you are <b>first</b>',
      fields: [
        { key: 'topic', label: 'Topic', type: 'choice', required: true, options: ['Bikes', 'Parts'] },
        { key: 'order', label: 'Order number', type: 'text', required: false },
        { key: 'terms', label: 'I accept the terms', type: 'checkbox', required: true },
      ],
    };
    expect(AdminChannelSchema.parse(res.body).prechat).toEqual(expected);
    expect((await readBack(ch)).prechat).toEqual(expected);
    const { faqFolderId: _notPublic, ...publicPart } = expected;
    expect((await widgetConfig(ch.key)).prechat).toEqual(publicPart);

    const off = await savePrechat(ch, { ...full, enabled: false, faqSuggestions: false, fields: [] });
    expect(AdminChannelSchema.parse(off.body).prechat).toMatchObject({ enabled: false, faqSuggestions: false, fields: [] });
    expect((await widgetConfig(ch.key)).prechat).toMatchObject({ enabled: false, fields: [] });
  });

  it('refuses every invalid pre-chat value with its field path and stores nothing', async () => {
    const ch = await create();
    expect((await savePrechat(ch, full)).status).toBe(200);
    const field = (patch: Record<string, unknown>) => ({ key: 'extra', label: 'Extra', type: 'text', required: false, ...patch });
    const withField = (patch: Record<string, unknown>) => ({ ...full, fields: [...full.fields, field(patch)] });
    const bad: Array<[string, unknown, string]> = [
      ['message too long', { ...full, message: 'x'.repeat(1001) }, 'message'],
      ['unknown mode', { ...full, phone: 'sometimes' }, 'phone'],
      ['email mode missing', { ...full, email: undefined }, 'email'],
      ['key pattern', withField({ key: 'Has Space' }), 'fields.3.key'],
      ['key starts with a digit', withField({ key: '1st' }), 'fields.3.key'],
      ['built-in key', withField({ key: 'phone' }), 'fields.3.key'],
      ['built-in key email', withField({ key: 'email' }), 'fields.3.key'],
      ['duplicate key', withField({ key: 'topic' }), 'fields.3.key'],
      ['empty label', withField({ label: '   ' }), 'fields.3.label'],
      ['label too long', withField({ label: 'x'.repeat(101) }), 'fields.3.label'],
      ['unknown type', withField({ type: 'textarea' }), 'fields.3.type'],
      ['choice without options', withField({ type: 'choice' }), 'fields.3.options'],
      ['choice with no options', withField({ type: 'choice', options: [] }), 'fields.3.options'],
      ['choice with an empty option', withField({ type: 'choice', options: ['A', ' '] }), 'fields.3.options'],
      ['choice with a repeated option', withField({ type: 'choice', options: ['A', 'B', ' A'] }), 'fields.3.options'],
      ['choice with too many options', withField({ type: 'choice', options: Array.from({ length: 51 }, (_, i) => `o${i}`) }), 'fields.3.options'],
      ['text with options', withField({ options: ['A'] }), 'fields.3.options'],
      ['checkbox with options', withField({ type: 'checkbox', options: ['A'] }), 'fields.3.options'],
      ['too many fields', { ...full, fields: Array.from({ length: 21 }, (_, i) => field({ key: `f${i}` })) }, 'fields'],
      ['unknown FAQ folder', { ...full, faqFolderId: 'nope' }, 'faqFolderId'],
      ['faqSuggestions not boolean', { ...full, faqSuggestions: 'yes' }, 'faqSuggestions'],
    ];
    for (const [what, body, path] of bad) {
      expect([what, fieldError(await savePrechat(ch, body))]).toEqual([what, { status: 422, code: 'validation_failed', field: path }]);
    }
    expect((await savePrechat(ch, { ...full, prechatExtra: 1 })).status).toBe(422);
    expect((await readBack(ch)).prechat).toMatchObject({ message: 'Tell us who you are <b>first</b>', phone: 'required', fields: [{ key: 'topic' }, { key: 'order' }, { key: 'terms' }] });
  });

  it('lists FAQ folders; an existing folder is accepted, an unknown one refused', async () => {
    const ch = await create();
    const id = await addFolder('Returns');
    const folders = FaqFolderListSchema.parse((await call('GET', '/api/admin/faq-folders', admin)).body).folders;
    expect(folders).toContainEqual({ id, name: 'Returns', parentId: null });
    const res = await savePrechat(ch, { ...full, faqFolderId: id });
    expect(AdminChannelSchema.parse(res.body).prechat.faqFolderId).toBe(id);
    expect(fieldError(await savePrechat(ch, { ...full, faqFolderId: `${id}x` }))).toEqual({ status: 422, code: 'validation_failed', field: 'faqFolderId' });
    expect((await readBack(ch)).prechat.faqFolderId).toBe(id);
  });

  it('saves and validates the offline form', async () => {
    const ch = await create();
    const input: ChannelOfflineInput = {
      header: ' We are away ',
      message: 'Leave your question; we answer tomorrow.',
      requests: false,
      category: ' Webshop ',
      priority: 'high',
      name: 'optional',
      phone: 'required',
      company: 'off',
    };
    const res = await call('PUT', `/api/admin/channels/${ch.id}/offline`, admin, input);
    expect(res.status).toBe(200);
    const expected = { ...input, header: 'We are away', category: 'Webshop' };
    expect(AdminChannelSchema.parse(res.body).offline).toEqual(expected);
    expect((await readBack(ch)).offline).toEqual(expected);
    expect((await widgetConfig(ch.key)).offline).toEqual({ header: 'We are away', message: input.message, requests: false, name: 'optional', phone: 'required', company: 'off' });
    const bad: Array<[Record<string, unknown>, string]> = [
      [{ header: 'x'.repeat(201) }, 'header'],
      [{ message: 'x'.repeat(2001) }, 'message'],
      [{ category: 'x'.repeat(101) }, 'category'],
      [{ priority: 'asap' }, 'priority'],
      [{ requests: 1 }, 'requests'],
      [{ name: 'yes' }, 'name'],
      [{ phone: null }, 'phone'],
    ];
    for (const [patch, path] of bad) {
      const r = await call('PUT', `/api/admin/channels/${ch.id}/offline`, admin, { ...input, ...patch });
      expect([patch, fieldError(r)]).toEqual([patch, { status: 422, code: 'validation_failed', field: path }]);
    }
    expect((await readBack(ch)).offline).toEqual(expected);
  });

  it('starting a chat follows each field mode', async () => {
    const ch = await create();
    const agent = await makeAgent(t, [], { role: 'admin' });
    await call('PUT', `/api/admin/channels/${ch.id}/agents`, admin, { agents: [{ agentId: agent.id, canRespond: true, notifications: true, canListen: false, manager: false }] });
    expect((await savePrechat(ch, full)).status).toBe(200);
    const ok = { name: '', email: '', phone: '+31 (0)20-123.45 67', fields: { topic: 'Bikes', terms: true } };
    const refused: Array<[string, Partial<StartChatInput>, string, string]> = [
      ['phone missing', { ...ok, phone: '  ' }, 'field_required', 'phone'],
      ['phone absent', { ...ok, phone: undefined }, 'field_required', 'phone'],
      ['phone letters', { ...ok, phone: 'call me' }, 'validation_failed', 'phone'],
      ['phone too short', { ...ok, phone: '12345' }, 'validation_failed', 'phone'],
      ['phone too long', { ...ok, phone: '1'.repeat(21) }, 'validation_failed', 'phone'],
      ['plus inside', { ...ok, phone: '0612+345678' }, 'validation_failed', 'phone'],
      ['company too long', { ...ok, company: 'x'.repeat(201) }, 'validation_failed', 'company'],
      ['choice missing', { ...ok, fields: { terms: true } }, 'field_required', 'topic'],
      ['choice not an option', { ...ok, fields: { topic: 'Cars', terms: true } }, 'validation_failed', 'topic'],
      ['required checkbox unticked', { ...ok, fields: { topic: 'Bikes', terms: false } }, 'field_required', 'terms'],
      ['bad optional e-mail', { ...ok, email: 'not-an-address' }, 'email_invalid', 'email'],
    ];
    for (const [what, input, code, path] of refused) {
      const r = await start(ch.key, input);
      expect([what, fieldError(r)]).toEqual([what, { status: r.status, code, field: path }]);
      expect([what, r.status >= 400 && r.status < 500]).toEqual([what, true]);
    }
    // Optional name, e-mail and company may stay empty.
    const started = await start(ch.key, { ...ok, company: 'Fietsen BV', fields: { ...ok.fields, order: ' A-17 ' } });
    expect(started.status).toBe(201);
    const chat = (started.body as { chat: { id: string; visitorName: string; visitorEmail: string } }).chat;
    expect(chat).toMatchObject({ visitorName: '', visitorEmail: '' });
    const ws = await agentSocket(t, agent);
    ws.send({ type: 'claim', rid: 'c1', chatId: chat.id });
    const claimed = await ws.next<{ chat: { visitorFields: unknown } }>((f) => f.type === 'claimed' && f.rid === 'c1');
    expect(claimed.chat.visitorFields).toEqual([
      { key: 'phone', label: '', value: '+31 (0)20-123.45 67' },
      { key: 'company', label: '', value: 'Fietsen BV' },
      { key: 'topic', label: 'Topic', value: 'Bikes' },
      { key: 'order', label: 'Order number', value: 'A-17' },
      { key: 'terms', label: 'I accept the terms', value: true },
    ]);

    // Off ignores a sent value; required name/e-mail are required.
    expect((await savePrechat(ch, { ...full, name: 'required', email: 'required', phone: 'off', company: 'off', fields: [] })).status).toBe(200);
    expect(fieldError(await start(ch.key, { name: ' ', phone: 'call me', company: 'x'.repeat(300) }))).toMatchObject({ code: 'field_required', field: 'name' });
    expect(fieldError(await start(ch.key, { email: '', phone: 'call me' }))).toMatchObject({ code: 'field_required', field: 'email' });
    const ignored = await start(ch.key, { phone: 'call me', company: 'x'.repeat(300), fields: { topic: 'Cars' } });
    expect(ignored.status).toBe(201);
    const ignoredId = (ignored.body as { chat: { id: string } }).chat.id;
    ws.send({ type: 'claim', rid: 'c2', chatId: ignoredId });
    expect((await ws.next<{ chat: { visitorFields: unknown; visitorName: string } }>((f) => f.type === 'claimed' && f.rid === 'c2')).chat).toMatchObject({
      visitorName: 'Customer Example',
      visitorFields: [],
    });
    ws.close();
  });

  it('with the form off the visitor starts straight away, anonymously', async () => {
    const ch = await create();
    expect((await savePrechat(ch, { ...full, enabled: false })).status).toBe(200);
    const r = await start(ch.key, { name: '', email: '', phone: undefined, fields: {} });
    expect(r.status).toBe(201);
    expect((r.body as { chat: Record<string, unknown> }).chat).toMatchObject({ visitorName: '', visitorEmail: '', status: 'waiting' });
  });

  it('old field types in stored forms still load, as text fields', async () => {
    const ch = await create();
    const old = [
      { key: 'mail2', label: 'Other e-mail', type: 'email', required: false },
      { key: 'mobile', label: 'Mobile', type: 'tel', required: true },
      { key: 'notes', label: 'Notes', type: 'textarea', required: false },
      { key: 'topic', label: 'Topic', type: 'choice', required: false, options: ['A'] },
    ];
    await t.loket.ctx.db.updateTable('channels').set({ prechat_fields: JSON.stringify(old) }).where('id', '=', ch.id).execute();
    expect((await widgetConfig(ch.key)).prechat.fields).toEqual([
      { key: 'mail2', label: 'Other e-mail', type: 'text', required: false },
      { key: 'mobile', label: 'Mobile', type: 'text', required: true },
      { key: 'notes', label: 'Notes', type: 'text', required: false },
      { key: 'topic', label: 'Topic', type: 'choice', required: false, options: ['A'] },
    ]);
    expect(fieldError(await start(ch.key, {}))).toMatchObject({ code: 'field_required', field: 'mobile' });
  });
});
