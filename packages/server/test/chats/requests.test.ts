import {
  ErrorBodySchema,
  REQUEST_LIMITS,
  REQUEST_PUBLIC_ID_PATTERN,
  RequestCreatedSchema,
  RequestDetailSchema,
  RequestListSchema,
  VisitorChatStateSchema,
  type ChannelOfflineInput,
  type RequestInput,
} from '@loket/protocol';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelsTable } from '../../src/db/schema.js';
import { REQUESTS_PER_HOUR } from '../../src/http/request-routes.js';
import { DNS_TEST_ZONES } from '../support/dns-server.js';
import { callAs, makeAgent, makeChannel, postJson, startChat, type TestAgent } from '../support/factories.js';
import { DIALECTS, startTestLoket, type TestLoket } from '../support/server.js';
import { startTestSmtpServer, type TestSmtpServer } from '../support/smtp-server.js';

const key = (): string => randomBytes(18).toString('base64url');

describe.each(DIALECTS)('requests on %s', (dialect) => {
  let t: TestLoket;
  let smtp: TestSmtpServer;
  let admin: TestAgent;
  // A controllable clock: the rate limit's hour passes without waiting.
  let offset = 0;
  let ips = 0;
  beforeAll(async () => {
    smtp = await startTestSmtpServer();
    t = await startTestLoket(dialect, { smtpUrl: smtp.url, trustProxy: true }, { now: () => Date.now() + offset });
    admin = await makeAgent(t, [], { role: 'admin' });
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  const call = (method: string, path: string, who: TestAgent | null, body?: unknown) => callAs(t, method, path, who, body);
  const errorOf = (res: { status: number; body: unknown }) => {
    const e = ErrorBodySchema.parse(res.body).error;
    return { status: res.status, code: e.code, field: e.field, message: e.message };
  };
  const offline = (overrides: Partial<ChannelOfflineInput> = {}): ChannelOfflineInput => ({
    header: 'We are away',
    message: 'Leave a request',
    requests: true,
    category: 'Sales',
    priority: 'high',
    name: 'required',
    phone: 'optional',
    company: 'off',
    ...overrides,
  });
  const makeOfflineChannel = async (overrides: Partial<ChannelOfflineInput> = {}, language: 'en' | 'nl' | 'de' = 'en') => {
    const channel = await makeChannel(t, { language });
    const res = await call('PUT', `/api/admin/channels/${channel.id}/offline`, admin, offline(overrides));
    expect(res.status).toBe(200);
    return channel;
  };
  const input = (overrides: Partial<RequestInput> = {}): RequestInput => ({
    requestKey: key(),
    name: 'Robin Customer',
    email: `robin@${DNS_TEST_ZONES.mx}`,
    phone: '',
    company: '',
    question: 'My parcel never arrived. Can you help?',
    website: '',
    ...overrides,
  });
  // Every test its own address, so the per-address limit only bites where it is tested.
  const send = (channel: ChannelsTable, body: unknown, ip = `10.0.0.${++ips % 250}`) =>
    postJson(t, `/api/widget/channels/${channel.key}/requests`, body, { 'x-forwarded-for': ip });
  const create = async (channel: ChannelsTable, overrides: Partial<RequestInput> = {}) => {
    const res = await send(channel, input(overrides));
    expect(res.status).toBe(201);
    return RequestCreatedSchema.parse(res.body);
  };
  const stored = async (channelId: string) => t.loket.ctx.db.selectFrom('requests').selectAll().where('channel_id', '=', channelId).execute();
  const emailsTo = async (address: string) =>
    t.loket.ctx.db.selectFrom('emails').selectAll().where('to_address', '=', address).orderBy('created_at').execute();

  it('creates a request with a public ID and queues the confirmation in the channel language', async () => {
    const channel = await makeOfflineChannel({}, 'nl');
    const address = `create-${key().toLowerCase()}@${DNS_TEST_ZONES.mx}`;
    const created = await create(channel, { email: address, phone: '+31 20 123 4567' });
    expect(created.publicId).toMatch(REQUEST_PUBLIC_ID_PATTERN);
    expect(created.email).toBe(address);

    const [row] = await stored(channel.id);
    expect(row).toMatchObject({ public_id: created.publicId, category: 'Sales', priority: 'high', status: 'open', name: 'Robin Customer', phone: '+31 20 123 4567', chat_id: null });

    const mails = await emailsTo(address);
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ kind: 'request_confirmation', to_name: 'Robin Customer' });
    expect(mails[0]!.subject).toBe(`Uw verzoek ${created.publicId} aan ${channel.name}`);
    expect(mails[0]!.text_body).toContain('Beste Robin Customer,');
    expect(mails[0]!.text_body).toContain(`Uw verzoeknummer is ${created.publicId}`);
    expect(mails[0]!.text_body).toContain('My parcel never arrived. Can you help?');

    // It really leaves through SMTP.
    const sent = await smtp.waitForMessages(1);
    expect(sent.some((m) => m.envelope.to.includes(address) && m.parsed.subject?.includes(created.publicId))).toBe(true);
  });

  it('refuses a filled-in honeypot with spam_detected and stores nothing', async () => {
    const channel = await makeOfflineChannel();
    const address = `bot-${key().toLowerCase()}@${DNS_TEST_ZONES.mx}`;
    const res = await send(channel, input({ website: 'http://spam.example', email: address }));
    expect(errorOf(res)).toMatchObject({ status: 422, code: 'spam_detected' });
    expect(await stored(channel.id)).toHaveLength(0);
    expect(await emailsTo(address)).toHaveLength(0);
  });

  it('refuses requests when the channel has them off', async () => {
    const channel = await makeOfflineChannel({ requests: false });
    expect(errorOf(await send(channel, input()))).toMatchObject({ status: 403, code: 'feature_disabled' });
    expect(await stored(channel.id)).toHaveLength(0);
  });

  it('only accepts requests from the chat window', async () => {
    const channel = await makeOfflineChannel();
    const res = await postJson(t, `/api/widget/channels/${channel.key}/requests`, input(), { origin: 'http://shop.example' });
    expect(errorOf(res)).toMatchObject({ status: 403, code: 'origin_not_allowed' });
  });

  it('checks the e-mail address and the question', async () => {
    const channel = await makeOfflineChannel();
    expect(errorOf(await send(channel, input({ email: '  ' })))).toMatchObject({ code: 'field_required', field: 'email' });
    expect(errorOf(await send(channel, input({ email: 'not-an-address' })))).toMatchObject({ code: 'email_invalid', field: 'email' });
    expect(errorOf(await send(channel, input({ email: `x@${DNS_TEST_ZONES.nonExistent}` })))).toMatchObject({ code: 'email_domain_not_found', field: 'email' });
    expect(errorOf(await send(channel, input({ question: ' ' })))).toMatchObject({ code: 'field_required', field: 'question' });
    expect(errorOf(await send(channel, input({ question: 'x'.repeat(REQUEST_LIMITS.question + 1) })))).toMatchObject({ code: 'message_too_long', field: 'question' });
    expect(await stored(channel.id)).toHaveLength(0);
  });

  it('asks name, phone and company as the channel says', async () => {
    const strict = await makeOfflineChannel({ name: 'required', phone: 'required', company: 'required' });
    expect(errorOf(await send(strict, input({ name: '' })))).toMatchObject({ code: 'field_required', field: 'name' });
    expect(errorOf(await send(strict, input({ phone: '+31 6 1234 5678' })))).toMatchObject({ code: 'field_required', field: 'company' });
    expect(errorOf(await send(strict, input({ company: 'Acme', phone: '' })))).toMatchObject({ code: 'field_required', field: 'phone' });
    expect(errorOf(await send(strict, input({ company: 'Acme', phone: 'call me' })))).toMatchObject({ code: 'validation_failed', field: 'phone' });
    await create(strict, { company: 'Acme', phone: '+31 6 1234 5678' });
    expect((await stored(strict.id))[0]).toMatchObject({ company: 'Acme', phone: '+31 6 1234 5678' });

    // Fields that are off are not stored even when a client sends them.
    const loose = await makeOfflineChannel({ name: 'off', phone: 'off', company: 'off' });
    await create(loose, { name: 'Ignored', phone: '+31 6 1234 5678', company: 'Ignored' });
    expect((await stored(loose.id))[0]).toMatchObject({ name: '', phone: '', company: '' });
  });

  it('is idempotent on the request key, also when two copies race', async () => {
    const channel = await makeOfflineChannel();
    const address = `twice-${key().toLowerCase()}@${DNS_TEST_ZONES.mx}`;
    const body = input({ email: address });
    const first = await create(channel, body);
    const again = await send(channel, body);
    expect(again.status).toBe(201);
    expect(RequestCreatedSchema.parse(again.body).publicId).toBe(first.publicId);

    const raceBody = input({ email: address });
    const results = await Promise.all([send(channel, raceBody), send(channel, raceBody), send(channel, raceBody)]);
    const ids = results.map((r) => RequestCreatedSchema.parse(r.body).publicId);
    expect(new Set(ids).size).toBe(1);
    expect(await stored(channel.id)).toHaveLength(2);
    expect(await emailsTo(address)).toHaveLength(2);

    // The same key with another question is another request under a reused key: refused, not answered with the first.
    const reused = await send(channel, { ...body, question: 'A different question' });
    expect(reused.status).toBe(409);
    expect(errorOf(reused)).toMatchObject({ code: 'idempotency_conflict', field: 'requestKey' });
    expect(await stored(channel.id)).toHaveLength(2);
  });

  it('links the waiting chat and ends it so it leaves the queue', async () => {
    const channel = await makeOfflineChannel();
    const chat = await startChat(t, channel);
    const created = await create(channel, { chatToken: chat.token });
    const [row] = await stored(channel.id);
    expect(row).toMatchObject({ public_id: created.publicId, chat_id: chat.chatId });
    const state = await fetch(`${t.url}/api/widget/chat`, { headers: { authorization: `Bearer ${chat.token}` } });
    const view = VisitorChatStateSchema.parse(await state.json());
    expect(view.chat.status).toBe('ended');
    expect(view.events.at(-1)).toMatchObject({ kind: 'ended' });
    const chatRow = await t.loket.ctx.db.selectFrom('chats').select(['status', 'ended_by']).where('id', '=', chat.chatId).executeTakeFirstOrThrow();
    expect(chatRow).toEqual({ status: 'ended', ended_by: 'visitor' });

    // Another channel's chat (or a made-up token) is not the visitor's waiting chat here.
    const other = await makeOfflineChannel();
    expect(errorOf(await send(other, input({ chatToken: chat.token })))).toMatchObject({ code: 'chat_not_found', field: 'chatToken' });
  });

  it('lists requests with filters, newest first, only of the agent’s channels', async () => {
    const mine = await makeOfflineChannel({ category: 'Billing', priority: 'low' });
    const theirs = await makeOfflineChannel({ category: 'Billing', priority: 'urgent' });
    const agent = await makeAgent(t, [mine]);
    const a = await create(mine, { question: 'First' });
    offset += 1000; // distinct creation times, so "newest first" is well defined
    const b = await create(mine, { question: 'Second' });
    const c = await create(theirs, { question: 'Not yours' });

    const list = async (who: TestAgent, query = '') => {
      const res = await call('GET', `/api/requests${query}`, who);
      expect(res.status).toBe(200);
      return RequestListSchema.parse(res.body).requests;
    };
    const seen = await list(agent);
    expect(seen.map((r) => r.publicId)).toEqual([b.publicId, a.publicId]);
    expect(seen[0]).toMatchObject({ channelId: mine.id, channelName: mine.name, category: 'Billing', priority: 'low', status: 'open', question: 'Second' });
    expect(await list(agent, `?channelId=${theirs.id}`)).toEqual([]);
    expect(await list(agent, '?priority=urgent')).toEqual([]);
    expect((await list(admin, `?channelId=${theirs.id}`)).map((r) => r.publicId)).toEqual([c.publicId]);
    expect((await list(admin, '?category=Billing&priority=urgent')).map((r) => r.publicId)).toContain(c.publicId);

    const theirsId = (await list(admin, `?channelId=${theirs.id}`))[0]!.id;
    expect(errorOf(await call('GET', `/api/requests/${theirsId}`, agent))).toMatchObject({ status: 404, code: 'not_found' });
    expect(errorOf(await call('PUT', `/api/requests/${theirsId}/status`, agent, { status: 'closed' }))).toMatchObject({ status: 404 });
    expect(errorOf(await call('GET', '/api/requests', null))).toMatchObject({ status: 401, code: 'unauthenticated' });
    expect(errorOf(await call('GET', '/api/requests?status=nope', agent))).toMatchObject({ status: 422, code: 'validation_failed' });

    const bId = seen[0]!.id;
    const closed = await call('PUT', `/api/requests/${bId}/status`, agent, { status: 'closed' });
    expect(closed.status).toBe(200);
    expect(RequestDetailSchema.parse(closed.body).request.status).toBe('closed');
    expect((await list(agent, '?status=closed')).map((r) => r.publicId)).toEqual([b.publicId]);
    expect((await list(agent, '?status=open')).map((r) => r.publicId)).toEqual([a.publicId]);
  });

  it('replies by e-mail through the outbox, once per reply key, and marks an open request pending', async () => {
    const channel = await makeOfflineChannel();
    const agent = await makeAgent(t, [channel], { name: 'Alex Agent' });
    const address = `reply-${key().toLowerCase()}@${DNS_TEST_ZONES.mx}`;
    const created = await create(channel, { email: address });
    const id = (await stored(channel.id))[0]!.id;

    const empty = await call('POST', `/api/requests/${id}/replies`, agent, { body: '  ', replyKey: key() });
    expect(errorOf(empty)).toMatchObject({ status: 422, code: 'field_required', field: 'body' });

    const replyKey = key();
    const body = 'Your parcel is on its way. <b>Tracking</b> follows.';
    const res = await call('POST', `/api/requests/${id}/replies`, agent, { body, replyKey });
    expect(res.status).toBe(201);
    const detail = RequestDetailSchema.parse(res.body);
    expect(detail.request.status).toBe('pending');
    expect(detail.replies).toHaveLength(1);
    expect(detail.replies[0]).toMatchObject({ agentId: agent.id, agentName: 'Alex Agent', body });

    const mails = (await emailsTo(address)).filter((m) => m.kind === 'request_reply');
    expect(mails).toHaveLength(1);
    expect(mails[0]!.id).toBe(detail.replies[0]!.emailId);
    expect(mails[0]!.subject).toContain(created.publicId);
    expect(mails[0]!.text_body).toContain(body);
    expect(mails[0]!.html_body).toContain('&lt;b&gt;Tracking&lt;/b&gt;');
    // Agents see whether it left: the outbox status comes with the reply.
    const messageId = mails[0]!.message_id;
    await expect.poll(async () => smtp.messages.some((m) => m.messageId === messageId), { timeout: 10_000 }).toBe(true);
    await expect
      .poll(async () => RequestDetailSchema.parse((await call('GET', `/api/requests/${id}`, agent)).body).replies[0]?.emailStatus, { timeout: 10_000 })
      .toBe('sent');

    // A resend (also two at once) sends nothing twice.
    const again = await Promise.all([1, 2].map(() => call('POST', `/api/requests/${id}/replies`, agent, { body, replyKey })));
    for (const r of again) expect(RequestDetailSchema.parse(r.body).replies).toHaveLength(1);
    expect((await emailsTo(address)).filter((m) => m.kind === 'request_reply')).toHaveLength(1);
    // Other text under the same reply key is refused; nothing more is sent.
    const reusedKey = await call('POST', `/api/requests/${id}/replies`, agent, { body: 'Something else', replyKey });
    expect(errorOf(reusedKey)).toMatchObject({ status: 409, code: 'idempotency_conflict', field: 'replyKey' });
    expect((await emailsTo(address)).filter((m) => m.kind === 'request_reply')).toHaveLength(1);

    // A closed request stays closed when answered again.
    await call('PUT', `/api/requests/${id}/status`, agent, { status: 'closed' });
    const later = RequestDetailSchema.parse((await call('POST', `/api/requests/${id}/replies`, agent, { body: 'One more thing.', replyKey: key() })).body);
    expect(later.request.status).toBe('closed');
    expect(later.replies.map((r) => r.body)).toEqual([body, 'One more thing.']);

    const fetched = RequestDetailSchema.parse((await call('GET', `/api/requests/${id}`, agent)).body);
    expect(fetched.replies).toHaveLength(2);
  });

  it('describes its routes in the OpenAPI document', async () => {
    const doc = (await (await fetch(`${t.url}/api/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(doc.paths['/api/widget/channels/{key}/requests'] ?? {})).toEqual(['post']);
    expect(Object.keys(doc.paths['/api/requests'] ?? {})).toEqual(['get']);
    expect(Object.keys(doc.paths['/api/requests/{id}'] ?? {})).toEqual(['get']);
    expect(Object.keys(doc.paths['/api/requests/{id}/status'] ?? {})).toEqual(['put']);
    expect(Object.keys(doc.paths['/api/requests/{id}/replies'] ?? {})).toEqual(['post']);
  });

  // Last: it moves the clock an hour on.
  it(`allows ${REQUESTS_PER_HOUR} requests per hour per address and channel`, async () => {
    const channel = await makeOfflineChannel();
    const other = await makeOfflineChannel();
    for (let i = 0; i < REQUESTS_PER_HOUR; i++) expect((await send(channel, input(), '192.0.2.7')).status).toBe(201);
    const refused = errorOf(await send(channel, input(), '192.0.2.7'));
    expect(refused).toMatchObject({ status: 429, code: 'rate_limited' });
    expect(refused.message).toMatch(/too many/i);
    // Another address, or the same one on another channel, is not affected.
    expect((await send(channel, input(), '192.0.2.8')).status).toBe(201);
    expect((await send(other, input(), '192.0.2.7')).status).toBe(201);
    expect(await stored(channel.id)).toHaveLength(REQUESTS_PER_HOUR + 1);
    offset += 60 * 60_000;
    expect((await send(channel, input(), '192.0.2.7')).status).toBe(201);
  });
});
