import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Api, ApiError } from '../src/net/api.js';

interface Call {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: unknown;
}

let calls: Call[] = [];
let reply: (call: Call) => Response;

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

const tpl = { id: 't1', name: 'Transcript', language: 'en', subject: 'Your chat', body: 'Hi {{customer.name}}', builtin: true, updatedAt: 5 };
const email = { id: 'e1', kind: 'transcript', to: { name: 'Sam', address: 'sam@example.com' }, subject: 'Your chat', status: 'failed', attempts: 2, lastError: 'boom', chatId: 'c1', createdAt: 1, nextAttemptAt: 2, sentAt: null };
const channel = {
  id: 'c1',
  key: 'shop',
  name: 'Shop',
  language: 'nl',
  postchat: { enabled: true, header: '', message: '', rating: true, transcript: true, transcriptTemplateId: null },
  badgeText: 'Chat',
  headerText: 'Shop',
  welcomeMessage: 'Hi',
  queueMessage: 'You are {position}',
  description: '',
  warnAfterSeconds: null,
  managerWarnAfterSeconds: null,
  layout: { theme: 'light', color: '#1f5f8b', headerTextColor: 'auto', font: 'system', showAgentPhoto: true, logoUrl: null },
  prechat: { enabled: true, message: '', name: 'required', email: 'required', phone: 'off', company: 'off', fields: [], faqSuggestions: false, faqFolderId: null },
  offline: { header: '', message: '', requests: true, category: '', priority: 'normal', name: 'required', phone: 'off', company: 'off' },
  openingHours: { enabled: false, timeZone: 'Europe/Amsterdam', week: { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] }, exceptions: [] },
  origins: ['https://shop.example'],
  embedSnippet: '<script defer src="https://chat.example/widget.js" data-channel="shop"></script>',
};

beforeEach(() => {
  calls = [];
  reply = () => json(404, { error: { code: 'not_found', message: 'Not found.' } });
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
    const call = { url, method: init.method ?? 'GET', headers: init.headers as Record<string, string>, body: typeof init.body === 'string' ? JSON.parse(init.body) : null };
    calls.push(call);
    return reply(call);
  });
});
afterEach(() => vi.unstubAllGlobals());

function api(): Api {
  const a = new Api(() => 'nl');
  a.csrfToken = 'csrf-1';
  return a;
}

describe('admin API', () => {
  it('lists templates, validated against the protocol schema', async () => {
    reply = () => json(200, { templates: [tpl] });
    expect(await api().templates()).toEqual([tpl]);
    expect(calls[0]).toMatchObject({ url: '/api/admin/templates', method: 'GET' });
    expect(calls[0]?.headers['Accept-Language']).toBe('nl');
    expect(calls[0]?.headers['X-CSRF-Token']).toBeUndefined();
  });

  it('refuses a response that does not match the schema', async () => {
    reply = () => json(200, { templates: [{ ...tpl, builtin: 'yes' }] });
    const err = await api().templates().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBeNull();
  });

  it('sends the CSRF token and the input on writes', async () => {
    reply = (call) => json(call.method === 'POST' ? 201 : 200, { ...tpl, id: 't2', builtin: false });
    const input = { name: 'Mine', language: 'en' as const, subject: 'S', body: 'B' };
    await api().createTemplate(input);
    await api().updateTemplate('t 2', input);
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual(['POST /api/admin/templates', 'PUT /api/admin/templates/t%202']);
    expect(calls.every((c) => c.headers['X-CSRF-Token'] === 'csrf-1')).toBe(true);
    expect(calls[0]?.body).toEqual(input);
  });

  it('deletes with 204 and reports template_in_use', async () => {
    reply = () => new Response(null, { status: 204 });
    await expect(api().deleteTemplate('t2')).resolves.toBeUndefined();
    reply = () => json(409, { error: { code: 'template_in_use', message: 'In use.' } });
    await expect(api().deleteTemplate('t2')).rejects.toMatchObject({ status: 409, code: 'template_in_use' });
  });

  it('keeps the field and detail of a template_invalid preview', async () => {
    reply = () => json(422, { error: { code: 'template_invalid', message: 'The template is not valid.', field: 'body', detail: 'line 2: unclosed {{#if}}' } });
    const err = await api()
      .previewTemplate({ language: 'en', subject: 's', body: '{{#if x}}' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 422, code: 'template_invalid', field: 'body', detail: 'line 2: unclosed {{#if}}' });
    reply = () => json(200, { subject: 'Your chat', html: '<p>Hi</p>', text: 'Hi' });
    expect(await api().previewTemplate({ language: 'en', subject: 's', body: 'b' })).toEqual({ subject: 'Your chat', html: '<p>Hi</p>', text: 'Hi' });
    expect(calls.at(-1)).toMatchObject({ url: '/api/admin/templates/preview', method: 'POST' });
  });

  it('reads the outbox with its filter, one e-mail, retries, and builds the .eml link', async () => {
    reply = (call) => {
      if (call.url.startsWith('/api/admin/outbox?') || call.url === '/api/admin/outbox') return json(200, { emails: [email], smtpConfigured: false });
      if (call.url.endsWith('/retry')) return json(200, { ...email, status: 'queued' });
      return json(200, { email, from: { name: 'Loket', address: 'noreply@example.com' }, messageId: '<m1@example.com>', text: 'Hi', html: '<p>Hi</p>' });
    };
    const a = api();
    expect((await a.outbox('failed')).smtpConfigured).toBe(false);
    await a.outbox(null);
    expect((await a.outboxEmail('e1')).messageId).toBe('<m1@example.com>');
    expect((await a.retryEmail('e1')).status).toBe('queued');
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      'GET /api/admin/outbox?status=failed',
      'GET /api/admin/outbox',
      'GET /api/admin/outbox/e1',
      'POST /api/admin/outbox/e1/retry',
    ]);
    expect(a.outboxEmlUrl('e/1')).toBe('/api/admin/outbox/e%2F1/eml');
  });

  it('lists channels and saves post-chat settings, with field errors', async () => {
    reply = (call) => (call.method === 'GET' ? json(200, { channels: [channel] }) : json(200, { ...channel, postchat: call.body }));
    const a = api();
    expect(await a.channels()).toEqual([channel]);
    const settings = { ...channel.postchat, header: 'Thanks!' };
    expect((await a.savePostchat('c1', settings)).postchat.header).toBe('Thanks!');
    expect(calls.at(-1)).toMatchObject({ url: '/api/admin/channels/c1/postchat', method: 'PUT', body: settings });
    reply = () => json(422, { error: { code: 'validation_failed', message: 'Too long.', field: 'header' } });
    await expect(a.savePostchat('c1', settings)).rejects.toMatchObject({ code: 'validation_failed', field: 'header', detail: null });
  });

  it('creates, edits and deletes channels; a taken key comes back as a field error', async () => {
    reply = (call) => (call.method === 'DELETE' ? new Response(null, { status: 204 }) : json(call.method === 'POST' ? 201 : 200, channel));
    const a = api();
    expect((await a.createChannel({ name: 'Shop', key: 'shop', language: 'nl' })).id).toBe('c1');
    expect(calls.at(-1)).toMatchObject({ url: '/api/admin/channels', method: 'POST', body: { name: 'Shop', key: 'shop', language: 'nl' } });
    await a.saveOrigins('c1', ['https://shop.example']);
    expect(calls.at(-1)).toMatchObject({ url: '/api/admin/channels/c1/origins', method: 'PUT', body: { origins: ['https://shop.example'] } });
    await a.deleteChannel('c1');
    expect(calls.at(-1)).toMatchObject({ url: '/api/admin/channels/c1', method: 'DELETE' });
    reply = () => json(409, { error: { code: 'channel_key_taken', message: 'Taken.', field: 'key' } });
    await expect(a.createChannel({ name: 'Shop', key: 'shop', language: 'nl' })).rejects.toMatchObject({ status: 409, code: 'channel_key_taken', field: 'key' });
  });

  it('passes 403 forbidden through for non-admins', async () => {
    reply = () => json(403, { error: { code: 'forbidden', message: 'Not allowed.' } });
    await expect(api().channels()).rejects.toMatchObject({ status: 403, code: 'forbidden' });
  });
});
