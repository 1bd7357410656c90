import { ComposeSnippetListSchema, QuickReplyListSchema, QuickReplySchema, type QuickReply } from '@loket/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelsTable } from '../../src/db/schema.js';
import { addChannelAgent } from '../../src/domain/channels.js';
import { createTemplate } from '../../src/domain/templates.js';
import { callAs, fieldError, makeAgent, makeChannel, startChat, type TestAgent } from '../support/factories.js';
import { DIALECTS, startTestLoket, type TestLoket } from '../support/server.js';

describe.each(DIALECTS)('quick replies on %s', (dialect) => {
  let t: TestLoket;
  let channel: ChannelsTable;
  let other: ChannelsTable;
  let sam: TestAgent;
  let kim: TestAgent;
  let manager: TestAgent;
  let admin: TestAgent;
  beforeAll(async () => {
    t = await startTestLoket(dialect);
    channel = await makeChannel(t, { name: 'Shop service', language: 'en' });
    other = await makeChannel(t);
    sam = await makeAgent(t, [channel], { name: 'Sam Agent' });
    kim = await makeAgent(t, [channel, other], { name: 'Kim Agent' });
    manager = await makeAgent(t, [channel], { name: 'Mo Manager', permissions: { manager: true, canRespond: true } });
    admin = await makeAgent(t, [], { role: 'admin' });
  });
  afterAll(() => t.close());

  const call = (method: string, path: string, who: TestAgent | null, body?: unknown) => callAs(t, method, path, who, body);
  const create = async (who: TestAgent, channelId: string | null, shortcut: string, text: string): Promise<QuickReply> => {
    const res = await call('POST', '/api/quick-replies', who, { channelId, shortcut, text });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return QuickReplySchema.parse(res.body);
  };
  const listing = async (who: TestAgent) => QuickReplyListSchema.parse((await call('GET', '/api/quick-replies', who)).body);
  const list = async (who: TestAgent) => (await listing(who)).quickReplies;

  it('lets each agent keep personal quick replies that nobody else sees or changes', async () => {
    const mine = await create(sam, null, '/Thanks', 'Thank you, {{customer.name}}!');
    expect(mine).toMatchObject({ channelId: null, shortcut: 'Thanks', editable: true });
    expect((await list(sam)).map((r) => r.id)).toContain(mine.id);
    expect((await list(kim)).map((r) => r.id)).not.toContain(mine.id);

    const body = { channelId: null, shortcut: 'mine', text: 'x' };
    expect(fieldError(await call('PUT', `/api/quick-replies/${mine.id}`, kim, body))).toMatchObject({ status: 404, code: 'not_found' });
    expect(fieldError(await call('DELETE', `/api/quick-replies/${mine.id}`, kim))).toMatchObject({ status: 404, code: 'not_found' });
    // Not even an administrator edits someone's personal replies.
    expect(fieldError(await call('DELETE', `/api/quick-replies/${mine.id}`, admin))).toMatchObject({ status: 404, code: 'not_found' });

    const changed = await call('PUT', `/api/quick-replies/${mine.id}`, sam, { channelId: null, shortcut: 'thanks', text: 'Thanks a lot!' });
    expect(changed.status).toBe(200);
    expect(QuickReplySchema.parse(changed.body)).toMatchObject({ shortcut: 'thanks', text: 'Thanks a lot!' });
    // Moving a personal reply to a channel is not an edit.
    expect(fieldError(await call('PUT', `/api/quick-replies/${mine.id}`, sam, { channelId: channel.id, shortcut: 'thanks', text: 'x' }))).toMatchObject({ status: 422, field: 'channelId' });
    expect((await call('DELETE', `/api/quick-replies/${mine.id}`, sam)).status).toBe(204);
    expect((await list(sam)).map((r) => r.id)).not.toContain(mine.id);
  });

  it('lets only managers of the channel and administrators edit its shared quick replies', async () => {
    expect(fieldError(await call('POST', '/api/quick-replies', sam, { channelId: channel.id, shortcut: 'hours', text: 'x' }))).toMatchObject({ status: 403, code: 'forbidden' });
    expect(fieldError(await call('POST', '/api/quick-replies', manager, { channelId: other.id, shortcut: 'hours', text: 'x' }))).toMatchObject({ status: 403, code: 'forbidden' });
    const shared = await create(manager, channel.id, 'hours', 'We are open 9–17 at {{channel.name}}.');
    const byAdmin = await create(admin, other.id, 'hours', 'Other hours');

    // Agents of the channel see it, read-only; agents of other channels don't.
    expect((await list(sam)).find((r) => r.id === shared.id)).toMatchObject({ editable: false });
    expect((await list(kim)).map((r) => r.id)).toEqual(expect.arrayContaining([shared.id, byAdmin.id]));
    expect((await list(sam)).map((r) => r.id)).not.toContain(byAdmin.id);
    expect((await list(manager)).find((r) => r.id === shared.id)).toMatchObject({ editable: true });
    expect((await list(admin)).find((r) => r.id === shared.id)).toMatchObject({ editable: true });
    // Which channels' shared replies each may edit, for the console's page.
    expect((await listing(sam)).channels).toEqual([{ id: channel.id, name: channel.name, editable: false }]);
    expect((await listing(manager)).channels).toEqual([{ id: channel.id, name: channel.name, editable: true }]);
    expect((await listing(admin)).channels).toEqual(expect.arrayContaining([{ id: other.id, name: other.name, editable: true }]));

    const body = { channelId: channel.id, shortcut: 'hours', text: 'Changed' };
    expect(fieldError(await call('PUT', `/api/quick-replies/${shared.id}`, sam, body))).toMatchObject({ status: 403, code: 'forbidden' });
    expect(fieldError(await call('DELETE', `/api/quick-replies/${shared.id}`, sam))).toMatchObject({ status: 403, code: 'forbidden' });
    expect(fieldError(await call('DELETE', `/api/quick-replies/${byAdmin.id}`, manager))).toMatchObject({ status: 404, code: 'not_found' });
    expect((await call('PUT', `/api/quick-replies/${shared.id}`, admin, body)).status).toBe(200);
    expect((await call('DELETE', `/api/quick-replies/${shared.id}`, manager)).status).toBe(204);
    expect((await call('DELETE', `/api/quick-replies/${byAdmin.id}`, admin)).status).toBe(204);
    expect(fieldError(await call('POST', '/api/quick-replies', admin, { channelId: 'no-such-channel', shortcut: 'x', text: 'x' }))).toMatchObject({ status: 404, code: 'channel_not_found' });
  });

  it('refuses bad input with clear errors, and a shortcut twice per owner', async () => {
    await create(kim, null, 'dup', 'One');
    expect(fieldError(await call('POST', '/api/quick-replies', kim, { channelId: null, shortcut: 'DUP', text: 'Two' }))).toEqual({ status: 409, code: 'shortcut_taken', field: 'shortcut' });
    // The same shortcut for someone else, or shared in a channel, is fine.
    await create(sam, null, 'dup', 'Sam’s');
    await create(manager, channel.id, 'dup', 'Shared');
    const second = await create(kim, null, 'dup2', 'Two');
    expect(fieldError(await call('PUT', `/api/quick-replies/${second.id}`, kim, { channelId: null, shortcut: 'Dup', text: 'Two' }))).toMatchObject({ status: 409, code: 'shortcut_taken' });

    const bad = (shortcut: string, text: string) => call('POST', '/api/quick-replies', kim, { channelId: null, shortcut, text });
    expect(fieldError(await bad('  ', 'x'))).toEqual({ status: 422, code: 'field_required', field: 'shortcut' });
    expect(fieldError(await bad('two words', 'x'))).toEqual({ status: 422, code: 'validation_failed', field: 'shortcut' });
    expect(fieldError(await bad('x'.repeat(33), 'x'))).toEqual({ status: 422, code: 'validation_failed', field: 'shortcut' });
    expect(fieldError(await bad('empty', ' \n ')).code).toBe('field_required');
    expect(fieldError(await bad('empty', ' \n '))).toEqual({ status: 422, code: 'field_required', field: 'text' });
    expect(fieldError(await bad('long', 'x'.repeat(4001)))).toEqual({ status: 422, code: 'quick_reply_too_long', field: 'text' });
    expect((await bad('long', 'x'.repeat(4000))).status).toBe(201);
    const typo = await bad('typo', 'Hi {{customer.nmae}}');
    expect(fieldError(typo)).toEqual({ status: 422, code: 'template_invalid', field: 'text' });
    expect(JSON.stringify(typo.body)).toContain('unknown variable customer.nmae');
    expect(fieldError(await call('POST', '/api/quick-replies', kim, { channelId: null, shortcut: 'x', text: 'x', extra: 1 })).code).toBe('validation_failed');
    // In the caller's language.
    const nl = await fetch(`${t.url}/api/quick-replies`, {
      method: 'POST',
      headers: { cookie: kim.cookie, 'x-csrf-token': kim.csrfToken, 'content-type': 'application/json', 'accept-language': 'nl' },
      body: JSON.stringify({ channelId: null, shortcut: 'dup', text: 'x' }),
    });
    expect(((await nl.json()) as { error: { message: string } }).error.message).toContain('afkorting');
    expect(fieldError(await call('GET', '/api/quick-replies', null)).code).toBe('unauthenticated');
  });

  it('offers in the picker my replies, the chat channel’s shared ones and its language’s templates, filled for the chat', async () => {
    const agent = await makeAgent(t, [channel], { name: 'Pat Picker' });
    const chan = await makeChannel(t, { name: 'Picker shop', language: 'nl' });
    const { loket } = t;
    await addChannelAgent(loket.ctx, chan.id, agent.id, { canRespond: true });
    const mine = await create(agent, null, 'greet', 'Hello {{customer.name}} ({{customer.email}}), {{agent.name}} of {{channel.name}} here.{{#if request.id}} never{{/if}}');
    const shared = await create(admin, chan.id, 'bye', 'Goodbye from {{channel.name}}');
    const when = await create(agent, null, 'when', 'You started at {{chat.startedAt}} (chat {{chat.id}}).');
    const elsewhere = await create(admin, channel.id, 'elsewhere', 'Not in this channel');
    const othersOwn = await create(sam, null, 'sams', 'Not mine');
    const actor = { kind: 'agent' as const, agent: await loket.ctx.db.selectFrom('agents').selectAll().where('id', '=', admin.id).executeTakeFirstOrThrow(), sessionId: '' };
    const dutch = await createTemplate(loket.ctx, actor, { name: 'Verzending', language: 'nl', subject: 'x', body: 'Beste {{customer.name}}, uw bestelling is onderweg.' });
    const english = await createTemplate(loket.ctx, actor, { name: 'Shipping', language: 'en', subject: 'x', body: 'Dear {{customer.name}}' });

    const { chatId, input } = await startChat(t, chan, { name: 'Robin Klant' });
    const res = await call('GET', `/api/chats/${chatId}/snippets`, agent);
    expect(res.status).toBe(200);
    const snippets = ComposeSnippetListSchema.parse(res.body).snippets;
    const ids = snippets.map((s) => s.id);
    expect(ids).toEqual(expect.arrayContaining([mine.id, shared.id, dutch.id]));
    expect(ids).not.toContain(elsewhere.id);
    expect(ids).not.toContain(othersOwn.id);
    expect(ids).not.toContain(english.id);
    expect(snippets.find((s) => s.id === mine.id)).toEqual({ kind: 'personal', id: mine.id, label: 'greet', text: `Hello Robin Klant (${input.email}), Pat Picker of Picker shop here.` });
    // In the customer's zone and the channel's language (Dutch here; no zone known, so UTC).
    expect(snippets.find((s) => s.id === when.id)?.text).toMatch(new RegExp(`^You started at \\d{1,2} \\p{L}+ 20\\d\\d.* \\(chat ${chatId}\\)\\.$`, 'u'));
    expect(snippets.find((s) => s.id === shared.id)).toMatchObject({ kind: 'channel', label: 'bye', text: 'Goodbye from Picker shop' });
    expect(snippets.find((s) => s.id === dutch.id)).toMatchObject({ kind: 'template', label: 'Verzending', text: 'Beste Robin Klant, uw bestelling is onderweg.' });
    // Personal first, then shared, then templates.
    expect(snippets.map((s) => s.kind).join(',')).toMatch(/^(personal,)+(channel,)+(template,?)+$/);

    // An agent of another channel cannot see the chat at all.
    const stranger = await makeAgent(t, [other]);
    expect(fieldError(await call('GET', `/api/chats/${chatId}/snippets`, stranger))).toMatchObject({ status: 404, code: 'chat_not_found' });
  });
});
