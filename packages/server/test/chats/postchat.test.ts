import { LIMITS } from '@loket/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DNS_TEST_ZONES } from '../support/dns-server.js';
import { agentSocket, makeAgent, makeChannel, newClientMsgId, startChat, visitorSocket, type TestAgent } from '../support/factories.js';
import { DIALECTS, startTestLoket, type TestLoket } from '../support/server.js';
import type { TestSocket } from '../support/ws-client.js';

type Frame = Record<string, unknown> & { type: string };
type ChatFrame = { chat: { status: string; agent: { name: string } | null; rating: { score: number; comment: string } | null; transcripts: number; queue: { position: number } | null } };
const isEvent = (kind: string) => (f: Frame) => f.type === 'event' && (f.event as { kind: string }).kind === kind;
const reply = (rid: string) => (f: Frame) => (f.type === 'ok' || f.type === 'error') && f.rid === rid;
const chatWith = (status: string) => (f: Frame) => f.type === 'chat' && (f.chat as { status: string }).status === status;

/** Sends a visitor request and returns the server's ok/error answer to it. */
async function request(s: TestSocket, frame: Record<string, unknown>): Promise<Frame> {
  const rid = `r${Math.random().toString(36).slice(2)}`;
  s.send({ ...frame, rid });
  return s.next(reply(rid));
}

async function seqsOf(t: TestLoket, chatId: string): Promise<number[]> {
  const rows = await t.loket.ctx.db.selectFrom('chat_events').select('seq').where('chat_id', '=', chatId).orderBy('seq').execute();
  return rows.map((r) => r.seq);
}

describe.each(DIALECTS)('the post-chat form on %s', (dialect) => {
  let t: TestLoket;
  beforeAll(async () => {
    t = await startTestLoket(dialect, { chatGraceSeconds: 1, transcriptsPerHour: 100 });
  });
  afterAll(async () => {
    await t.close();
  });

  /** A chat served by `agent` and then ended by the agent; the visitor's socket is open. */
  async function endedChat(agent: TestAgent, agentWs: TestSocket, channel: Awaited<ReturnType<typeof makeChannel>>, question = 'Where is my parcel?') {
    const started = await startChat(t, channel, { question });
    const visitor = await visitorSocket(t, started.token);
    await visitor.next((f) => f.type === 'chat');
    agentWs.send({ type: 'claim', rid: `c-${started.chatId}`, chatId: started.chatId });
    await agentWs.next((f) => f.type === 'claimed' && f.rid === `c-${started.chatId}`);
    await visitor.next(chatWith('active'));
    agentWs.send({ type: 'end', rid: `e-${started.chatId}`, chatId: started.chatId });
    await agentWs.next(reply(`e-${started.chatId}`));
    await visitor.next(chatWith('ended'));
    return { ...started, visitor };
  }

  it('"Back to chat" gives the chat back to its present agent, who is told, and it can end and reopen again', async () => {
    const channel = await makeChannel(t);
    const agent = await makeAgent(t, [channel]);
    const agentWs = await agentSocket(t, agent);
    const { chatId, visitor } = await endedChat(agent, agentWs, channel);

    for (let round = 0; round < 2; round++) {
      const mark = agentWs.frames.length;
      const vMark = visitor.frames.length;
      expect((await request(visitor, { type: 'reopen' })).type).toBe('ok');
      const state = await visitor.next<ChatFrame>(chatWith('active'), 5000, vMark);
      expect(state.chat.agent?.name).toBe(agent.name);
      await visitor.next(isEvent('reopened'), 5000, vMark);
      // The agent hears it on the chat itself, and the chat is back among their ongoing ones.
      await agentWs.next((f) => isEvent('reopened')(f) && f.chatId === chatId, 5000, mark);
      await agentWs.next((f) => f.type === 'chatSummary' && (f.chat as { id: string; status: string }).status === 'active', 5000, mark);

      // Live again both ways.
      visitor.send({ type: 'send', rid: `m${round}`, clientMsgId: newClientMsgId(), body: `one more thing ${round}` });
      await visitor.next((f) => f.type === 'ack' && f.rid === `m${round}`);
      await agentWs.next((f) => isEvent('message')(f) && (f.event as { body: string }).body === `one more thing ${round}`, 5000, mark);
      expect((await request(visitor, { type: 'end' })).type).toBe('ok');
      await visitor.next(chatWith('ended'), 5000, vMark);
    }
    // Reopening a chat that is not ended is harmless.
    const seqs = await seqsOf(t, chatId);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    visitor.close();
    agentWs.close();
  });

  it('without its agent present the chat re-enters the queue at the back, with its history', async () => {
    const channel = await makeChannel(t);
    const agent = await makeAgent(t, [channel]);
    const agentWs = await agentSocket(t, agent);
    const { chatId, visitor } = await endedChat(agent, agentWs, channel, 'First question');
    const other = await startChat(t, channel, { question: 'Someone else waiting' });
    agentWs.send({ type: 'presence', rid: 'away', presence: 'away' });
    await agentWs.next(reply('away'));

    const mark = agentWs.frames.length;
    const vMark = visitor.frames.length;
    expect((await request(visitor, { type: 'reopen' })).type).toBe('ok');
    const state = await visitor.next<ChatFrame>(chatWith('waiting'), 5000, vMark);
    expect(state.chat.agent).toBeNull();
    expect(state.chat.queue?.position).toBe(2);
    const added = await agentWs.next<{ item: { chatId: string; question: string } }>((f) => f.type === 'queueAdded' && (f.item as { chatId: string }).chatId === chatId, 5000, mark);
    expect(added.item.question).toBe('First question');

    // Served in order: the customer who was already waiting first.
    agentWs.send({ type: 'presence', rid: 'back', presence: 'present' });
    await agentWs.next(reply('back'));
    agentWs.send({ type: 'claimNext', rid: 'n1' });
    expect((await agentWs.next<{ chat: { id: string } }>((f) => f.type === 'claimed' && f.rid === 'n1')).chat.id).toBe(other.chatId);
    agentWs.send({ type: 'claimNext', rid: 'n2' });
    expect((await agentWs.next<{ chat: { id: string } }>((f) => f.type === 'claimed' && f.rid === 'n2')).chat.id).toBe(chatId);
    // The whole history is still there for whoever takes it.
    const events = await fetch(`${t.url}/api/chats/${chatId}/events`, { headers: { cookie: agent.cookie } }).then((r) => r.json() as Promise<{ events: Array<{ kind: string; body?: string }> }>);
    expect(events.events.map((e) => e.kind)).toEqual(['message', 'queued', 'joined', 'ended', 'reopened', 'queued', 'joined']);
    expect(events.events[0]?.body).toBe('First question');
    visitor.close();
    agentWs.close();
  });

  it('rates an ended chat; the rating is stored with it and survives a reload; bad ratings are refused', async () => {
    const channel = await makeChannel(t);
    const agent = await makeAgent(t, [channel]);
    const agentWs = await agentSocket(t, agent);
    const started = await startChat(t, channel);
    const visitor = await visitorSocket(t, started.token);
    await visitor.next((f) => f.type === 'chat');
    expect(await request(visitor, { type: 'rate', score: 5, comment: '' })).toMatchObject({ type: 'error', code: 'chat_not_ended' });
    expect((await request(visitor, { type: 'end' })).type).toBe('ok');

    expect(await request(visitor, { type: 'rate', score: 6, comment: '' })).toMatchObject({ type: 'error', code: 'validation_failed' });
    expect(await request(visitor, { type: 'rate', score: 4, comment: 'x'.repeat(LIMITS.ratingComment + 1) })).toMatchObject({ type: 'error', code: 'validation_failed' });
    const vMark = visitor.frames.length;
    expect((await request(visitor, { type: 'rate', score: 4, comment: '  Quick <b>help</b>  ' })).type).toBe('ok');
    const rated = await visitor.next<ChatFrame>((f) => f.type === 'chat' && (f.chat as ChatFrame['chat']).rating !== null, 5000, vMark);
    expect(rated.chat.rating).toMatchObject({ score: 4, comment: 'Quick <b>help</b>' });
    const row = await t.loket.ctx.db.selectFrom('chats').select(['rating_score', 'rating_comment']).where('id', '=', started.chatId).executeTakeFirstOrThrow();
    expect(row).toEqual({ rating_score: 4, rating_comment: 'Quick <b>help</b>' });
    // A reload sees it too.
    const again = await visitorSocket(t, started.token);
    expect((await again.next<ChatFrame>((f) => f.type === 'chat')).chat.rating?.score).toBe(4);
    again.close();
    visitor.close();
    agentWs.close();
  });

  it('emails a transcript to a checked address, at most a few per chat', async () => {
    const channel = await makeChannel(t);
    const started = await startChat(t, channel);
    const visitor = await visitorSocket(t, started.token);
    await visitor.next((f) => f.type === 'chat');
    const to = `customer@${DNS_TEST_ZONES.mx}`;
    expect(await request(visitor, { type: 'transcript', email: to })).toMatchObject({ type: 'error', code: 'chat_not_ended' });
    expect((await request(visitor, { type: 'end' })).type).toBe('ok');

    expect(await request(visitor, { type: 'transcript', email: 'not an address' })).toMatchObject({ code: 'email_invalid' });
    expect(await request(visitor, { type: 'transcript', email: `x@${DNS_TEST_ZONES.noRecords}` })).toMatchObject({ type: 'error' });
    expect(await request(visitor, { type: 'transcript', email: 'evil@example.com\r\nBcc: victim@example.com' })).toMatchObject({ code: 'email_invalid' });
    // A resend of the same request (its answer was lost) sends one e-mail, also when both race.
    const requestId = newClientMsgId();
    const twice = await Promise.all([1, 2].map(() => request(visitor, { type: 'transcript', requestId, email: to, timeZone: 'Europe/Amsterdam', locale: 'nl-NL' })));
    expect(twice.map((f) => f.type)).toEqual(['ok', 'ok']);
    expect((await request(visitor, { type: 'transcript', requestId, email: to })).type).toBe('ok');
    expect(await t.loket.ctx.db.selectFrom('emails').select('id').where('chat_id', '=', started.chatId).execute()).toHaveLength(1);
    for (let i = 1; i < LIMITS.transcriptsPerChat; i++) {
      expect((await request(visitor, { type: 'transcript', email: to, timeZone: 'Europe/Amsterdam', locale: 'nl-NL' })).type).toBe('ok');
    }
    expect(await request(visitor, { type: 'transcript', email: to })).toMatchObject({ type: 'error', code: 'transcript_limit' });
    const emails = await t.loket.ctx.db.selectFrom('emails').selectAll().where('chat_id', '=', started.chatId).execute();
    expect(emails).toHaveLength(LIMITS.transcriptsPerChat);
    expect(emails[0]).toMatchObject({ kind: 'transcript', to_address: to, status: 'queued' });
    expect(emails[0]?.text_body).toContain('Where is my order?');
    const reload = await visitorSocket(t, started.token);
    expect((await reload.next<ChatFrame>((f) => f.type === 'chat')).chat.transcripts).toBe(LIMITS.transcriptsPerChat);
    reload.close();
    visitor.close();
  });

  it('refuses back-to-chat, rating and transcript when the channel switched them off', async () => {
    const off = await makeChannel(t, { postchat: { enabled: false } });
    const noExtras = await makeChannel(t, { postchat: { rating: false, transcript: false } });
    for (const [channel, codes] of [
      [off, ['feature_disabled', 'feature_disabled', 'feature_disabled']],
      [noExtras, ['ok', 'feature_disabled', 'feature_disabled']],
    ] as const) {
      const started = await startChat(t, channel);
      const visitor = await visitorSocket(t, started.token);
      await visitor.next((f) => f.type === 'chat');
      expect((await request(visitor, { type: 'end' })).type).toBe('ok');
      const answers = [
        await request(visitor, { type: 'rate', score: 3, comment: '' }),
        await request(visitor, { type: 'transcript', email: `c@${DNS_TEST_ZONES.mx}` }),
        await request(visitor, { type: 'reopen' }),
      ];
      expect(answers.map((a) => (a.type === 'ok' ? 'ok' : a.code))).toEqual([codes[1], codes[2], codes[0]]);
      visitor.close();
    }
  });

  it('ends the chat of a visitor who left, after the grace period; a reload within it resumes', async () => {
    const channel = await makeChannel(t);
    const agent = await makeAgent(t, [channel]);
    const agentWs = await agentSocket(t, agent);
    const gone = await startChat(t, channel, { question: 'I will close the tab' });
    const stays = await startChat(t, channel, { question: 'I will reload' });
    const goneWs = await visitorSocket(t, gone.token);
    const staysWs = await visitorSocket(t, stays.token);
    await goneWs.next((f) => f.type === 'chat');
    await staysWs.next((f) => f.type === 'chat');
    goneWs.close();
    staysWs.close();
    // The reload: back well within the 1 s grace period.
    await new Promise((r) => setTimeout(r, 300));
    const reloaded = await visitorSocket(t, stays.token);
    await reloaded.next((f) => f.type === 'chat');

    const removed = await agentWs.next<{ chatId: string }>((f) => f.type === 'queueRemoved' && f.chatId === gone.chatId, 8000);
    expect(removed.chatId).toBe(gone.chatId);
    const rows = await t.loket.ctx.db.selectFrom('chats').select(['id', 'status', 'ended_by']).where('id', 'in', [gone.chatId, stays.chatId]).execute();
    expect(rows.find((r) => r.id === gone.chatId)).toMatchObject({ status: 'ended', ended_by: 'system' });
    expect(rows.find((r) => r.id === stays.chatId)).toMatchObject({ status: 'waiting' });
    // And once more after another grace period: the reloaded visitor is still there.
    await new Promise((r) => setTimeout(r, 1600));
    expect((await t.loket.ctx.db.selectFrom('chats').select('status').where('id', '=', stays.chatId).executeTakeFirstOrThrow()).status).toBe('waiting');
    // The visitor who left finds the chat ended when they come back, and may go back to it.
    const returns = await visitorSocket(t, gone.token);
    expect((await returns.next<ChatFrame>((f) => f.type === 'chat')).chat.status).toBe('ended');
    returns.close();
    reloaded.close();
    agentWs.close();
  });

  it('lets administrators, and only them, change a channel\'s post-chat form; widgets loaded afterwards follow', async () => {
    const channel = await makeChannel(t);
    const admin = await makeAgent(t, [], { role: 'admin' });
    const agent = await makeAgent(t, [channel]);
    const put = (who: TestAgent | null, body: unknown, id = channel.id) =>
      fetch(`${t.url}/api/admin/channels/${id}/postchat`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', origin: t.url, ...(who ? { cookie: who.cookie, 'x-csrf-token': who.csrfToken } : {}) },
        body: JSON.stringify(body),
      });
    const settings = { enabled: true, header: 'Thanks <b>for</b> chatting', message: 'Anything else?', rating: false, transcript: true, transcriptTemplateId: null };
    expect((await put(null, settings)).status).toBe(401);
    expect((await put(agent, settings)).status).toBe(403);
    expect((await fetch(`${t.url}/api/admin/channels`, { headers: { cookie: agent.cookie } })).status).toBe(403);
    const tooLong = await put(admin, { ...settings, header: 'x'.repeat(LIMITS.postchatHeader + 1) });
    expect(tooLong.status).toBe(422);
    expect(((await tooLong.json()) as { error: { field: string } }).error.field).toBe('header');
    const unknownTemplate = await put(admin, { ...settings, transcriptTemplateId: 'nope' });
    expect(((await unknownTemplate.json()) as { error: { field: string } }).error.field).toBe('transcriptTemplateId');
    expect((await put(admin, settings, 'no-such-channel')).status).toBe(404);

    const ok = await put(admin, settings);
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { postchat: unknown }).postchat).toEqual(settings);
    const list = (await fetch(`${t.url}/api/admin/channels`, { headers: { cookie: admin.cookie } }).then((r) => r.json())) as { channels: Array<{ id: string }> };
    expect(list.channels.some((c) => c.id === channel.id)).toBe(true);
    const config = (await fetch(`${t.url}/api/widget/channels/${channel.key}`).then((r) => r.json())) as { postchat: unknown };
    expect(config.postchat).toEqual({ enabled: true, header: 'Thanks <b>for</b> chatting', message: 'Anything else?', rating: false, transcript: true });
  });
});
