import { ChatRequestCreatedSchema, ErrorBodySchema, REQUEST_PUBLIC_ID_PATTERN, RequestDetailSchema, RequestListSchema } from '@loket/protocol';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DNS_TEST_ZONES } from '../support/dns-server.js';
import { agentSocket, callAs, makeAgent, makeChannel, newClientMsgId, startChat, visitorSocket, type TestAgent } from '../support/factories.js';
import { DIALECTS, startTestLoket, type TestLoket } from '../support/server.js';
import { TestSocket } from '../support/ws-client.js';

type Frame = Record<string, unknown> & { type: string };
type Summary = { id: string; visitorReadSeq: number; visitorLeftAt: number | null };
const summaryOf = (chatId: string, test: (s: Summary) => boolean) => (f: Frame) => f.type === 'chatSummary' && (f.chat as Summary).id === chatId && test(f.chat as Summary);
const key = (): string => randomBytes(18).toString('base64url');

/** The agent sees the customer read their messages and leave or come back; requests made from a chat. */
describe.each(DIALECTS)('what the agent learns of the customer, and requests from a chat, on %s', (dialect) => {
  let t: TestLoket;
  beforeAll(async () => {
    t = await startTestLoket(dialect);
  });
  afterAll(async () => {
    await t.close();
  });

  /** A chat claimed by a fresh agent, with the visitor's socket connected. */
  async function activeChat(language: 'en' | 'nl' = 'en', email = `robin@${DNS_TEST_ZONES.mx}`) {
    const channel = await makeChannel(t, { language });
    const agent = await makeAgent(t, [channel]);
    const agentWs = await agentSocket(t, agent);
    const { token, chatId } = await startChat(t, channel, { email });
    const visitor = await visitorSocket(t, token);
    await visitor.next((f) => f.type === 'chat');
    agentWs.send({ type: 'claim', rid: 'c', chatId });
    await agentWs.next((f) => f.type === 'claimed');
    return { channel, agent, agentWs, visitor, token, chatId };
  }

  async function agentSays(agentWs: TestSocket, chatId: string, body: string): Promise<number> {
    const rid = newClientMsgId();
    agentWs.send({ type: 'send', rid, chatId, clientMsgId: newClientMsgId(), body });
    return (await agentWs.next<{ seq: number }>((f) => f.type === 'ack' && f.rid === rid)).seq;
  }

  it('shows the agent how far the customer has read, never backwards and never past the end', async () => {
    const { agent, agentWs, visitor, chatId } = await activeChat();
    const seq = await agentSays(agentWs, chatId, 'How can I help?');
    visitor.send({ type: 'read', seq });
    const seen = await agentWs.next<{ chat: Summary }>(summaryOf(chatId, (s) => s.visitorReadSeq === seq));
    expect(seen.chat.visitorReadSeq).toBe(seq);

    // An older mark (a second window that is behind) does not move it back; a mark past the end is cut to it.
    visitor.send({ type: 'read', seq: 1 });
    visitor.send({ type: 'read', seq: seq + 50 });
    visitor.send({ type: 'ping' });
    await visitor.next((f) => f.type === 'pong');
    const row = await t.loket.ctx.db.selectFrom('chats').select(['visitor_read_seq', 'last_seq']).where('id', '=', chatId).executeTakeFirstOrThrow();
    expect(row.visitor_read_seq).toBe(row.last_seq);
    expect(row.last_seq).toBe(seq);

    // The snapshot of a console that connects later has it too.
    const again = await agentSocket(t, agent);
    const ready = await again.next<{ chats: Summary[] }>((f) => f.type === 'ready');
    expect(ready.chats.find((c) => c.id === chatId)?.visitorReadSeq).toBe(seq);
    again.close();
    visitor.close();
    agentWs.close();
  });

  it('tells the agent within moments when the customer left the page and when they are back', async () => {
    const { agentWs, visitor, token, chatId } = await activeChat();
    visitor.close();
    const left = await agentWs.next<{ chat: Summary }>(summaryOf(chatId, (s) => s.visitorLeftAt !== null));
    expect(left.chat.visitorLeftAt).toBeGreaterThan(0);

    const back = await visitorSocket(t, token);
    await back.next((f) => f.type === 'chat');
    await agentWs.next(summaryOf(chatId, (s) => s.visitorLeftAt === null));
    back.close();
    agentWs.close();
  });

  it('rejects a read mark from a socket that has not authenticated, without touching any chat', async () => {
    const { chatId, agentWs, visitor } = await activeChat();
    const stranger = await TestSocket.open(`${t.wsUrl}/ws/visitor`);
    stranger.send({ type: 'read', seq: 5 });
    await stranger.next((f) => f.type === 'error');
    stranger.close();
    const row = await t.loket.ctx.db.selectFrom('chats').select('visitor_read_seq').where('id', '=', chatId).executeTakeFirstOrThrow();
    expect(row.visitor_read_seq).toBe(0);
    visitor.close();
    agentWs.close();
  });

  const create = (who: TestAgent, chatId: string, body: Record<string, unknown>) => callAs(t, 'POST', `/api/chats/${chatId}/requests`, who, body);

  it('makes a request from a chat: conversation attached, listed, a message with the ID in the chat’s language, idempotent', async () => {
    const { agent, agentWs, visitor, chatId } = await activeChat('nl');
    await agentSays(agentWs, chatId, 'Ik kijk het voor u na.');
    const requestKey = key();
    const res = await create(agent, chatId, { requestKey, title: 'Retour zonder label', category: 'Retouren', priority: 'high' });
    expect(res.status).toBe(201);
    const created = ChatRequestCreatedSchema.parse(res.body);
    expect(created.request.publicId).toMatch(REQUEST_PUBLIC_ID_PATTERN);
    expect(created.request).toMatchObject({ title: 'Retour zonder label', category: 'Retouren', priority: 'high', status: 'open', chatId });
    expect(created.customerMessage).toContain(created.request.publicId);
    expect(created.customerMessage).toMatch(/verzoek/);

    // A resend (the answer got lost) returns the same request.
    const again = ChatRequestCreatedSchema.parse((await create(agent, chatId, { requestKey, title: 'Retour zonder label', category: 'Retouren', priority: 'high' })).body);
    expect(again.request.id).toBe(created.request.id);

    const detail = RequestDetailSchema.parse((await callAs(t, 'GET', `/api/requests/${created.request.id}`, agent)).body);
    expect(detail.conversation.map((e) => e.body)).toEqual(['Where is my order?', 'Ik kijk het voor u na.']);
    expect(detail.conversation.every((e) => e.kind === 'message')).toBe(true);
    const list = RequestListSchema.parse((await callAs(t, 'GET', '/api/requests', agent)).body);
    expect(list.requests.filter((r) => r.id === created.request.id)).toHaveLength(1);

    // The customer gets the usual confirmation e-mail, once.
    const mails = await t.loket.ctx.db.selectFrom('emails').selectAll().where('kind', '=', 'request_confirmation').where('chat_id', '=', chatId).execute();
    expect(mails).toHaveLength(1);
    visitor.close();
    agentWs.close();
  });

  it('refuses a request from someone else’s chat and bad input with clear errors', async () => {
    const { channel, agent, agentWs, visitor, chatId } = await activeChat();
    const colleague = await makeAgent(t, [channel]);
    const manager = await makeAgent(t, [channel], { permissions: { manager: true } });
    const outsider = await makeAgent(t, []);
    const input = { requestKey: key(), title: 'T', category: '', priority: 'normal' };
    const codeOf = (r: { body: unknown }) => ErrorBodySchema.parse(r.body).error;
    // A colleague who may not listen in does not see the chat; a manager sees it but it is not theirs to act in.
    expect(codeOf(await create(colleague, chatId, input)).code).toBe('chat_not_found');
    expect(codeOf(await create(manager, chatId, input)).code).toBe('not_chat_agent');
    const hidden = await create(outsider, chatId, input);
    expect(hidden.status).toBe(404);
    expect(codeOf(hidden).code).toBe('chat_not_found');
    expect((await create(outsider, chatId, { ...input, priority: 'asap' })).status).toBe(422);
    const untitled = codeOf(await create(agent, chatId, { ...input, title: '   ' }));
    expect(untitled).toMatchObject({ code: 'field_required', field: 'title' });
    expect(codeOf(await create(agent, chatId, { ...input, title: 'x'.repeat(201) }))).toMatchObject({ code: 'validation_failed', field: 'title' });
    expect(await t.loket.ctx.db.selectFrom('requests').select('id').where('chat_id', '=', chatId).execute()).toHaveLength(0);
    visitor.close();
    agentWs.close();
  });
});
