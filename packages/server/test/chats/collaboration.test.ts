import { TRANSFER_TIMEOUT_MS, TransferSchema, VisitorChatStateSchema, type ChatEvent, type Transfer } from '@loket/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepTransfers } from '../../src/domain/collaboration/transfers.js';
import type { ChannelsTable } from '../../src/db/schema.js';
import { DNS_TEST_ZONES } from '../support/dns-server.js';
import { agentSocket, callAs, makeAgent, makeChannel, newClientMsgId, startChat, visitorSocket, type TestAgent } from '../support/factories.js';
import { DIALECTS, startTestLoket, type TestLoket } from '../support/server.js';
import type { TestSocket } from '../support/ws-client.js';

type Frame = Record<string, unknown> & { type: string };
const isEvent = (kind: string) => (f: Frame) => f.type === 'event' && (f.event as { kind: string }).kind === kind;
const transferFrame = (status: string) => (f: Frame) => f.type === 'transfer' && (f.transfer as { status: string }).status === status;

let ridCounter = 0;
/** Sends a request and returns the server's answer to it (ack, ok, claimed, transfer or error). */
async function request(s: TestSocket, frame: Record<string, unknown>): Promise<Frame> {
  const rid = `r${ridCounter++}`;
  s.send({ ...frame, rid });
  return s.next((f) => f.rid === rid);
}

/** The `ready` snapshot a console socket got first. */
const readyOf = (s: TestSocket) => s.frames.find((f) => f.type === 'ready') as unknown as { agent: { id: string }; chats: Array<{ id: string; agentId: string }> };

/** Lets bus deliveries arrive before asserting that something did not. */
const settle = () => new Promise((r) => setTimeout(r, 150));

describe.each(DIALECTS)('working together on a chat on %s', (dialect) => {
  let t: TestLoket;
  let clock = Date.now();
  beforeAll(async () => {
    // The sweep is run by hand below, against a clock the tests move.
    t = await startTestLoket(dialect, { chatGraceSeconds: 24 * 3600, transcriptsPerHour: 100 }, { transferSweepMs: 3_600_000 });
    t.loket.ctx.now = () => clock;
  });
  afterAll(async () => {
    await t.close();
  });

  /** A chat in `channel` claimed by `owner`, with the visitor's socket open. */
  async function ongoing(channel: ChannelsTable, owner: TestSocket) {
    const started = await startChat(t, channel, { question: 'Where is my order?' });
    const visitor = await visitorSocket(t, started.token);
    await visitor.next((f) => f.type === 'chat');
    expect((await request(owner, { type: 'claim', chatId: started.chatId })).type).toBe('claimed');
    await visitor.next((f) => f.type === 'chat' && (f.chat as { status: string }).status === 'active');
    return { ...started, visitor };
  }

  async function team(perms: { listen?: boolean } = {}) {
    const channel = await makeChannel(t);
    const ann = await makeAgent(t, [channel], { name: 'Ann', permissions: { canListen: perms.listen ?? false } });
    const sam = await makeAgent(t, [channel], { name: 'Sam' });
    const annWs = await agentSocket(t, ann);
    const samWs = await agentSocket(t, sam);
    return { channel, ann, sam, annWs, samWs };
  }

  it('enforces who may read, write and note, over HTTP and WebSocket alike', async () => {
    const channel = await makeChannel(t);
    const owner = await makeAgent(t, [channel]);
    const plain = await makeAgent(t, [channel]);
    const listener = await makeAgent(t, [channel], { permissions: { canListen: true, canRespond: false } });
    const manager = await makeAgent(t, [channel], { permissions: { manager: true } });
    const outsider = await makeAgent(t, [await makeChannel(t)], { permissions: { canListen: true, manager: true } });
    const admin = await makeAgent(t, [], { role: 'admin' });
    const ownerWs = await agentSocket(t, owner);
    const { chatId } = await ongoing(channel, ownerWs);

    const events = (who: TestAgent) => callAs(t, 'GET', `/api/chats/${chatId}/events`, who);
    expect((await events(owner)).status).toBe(200);
    expect((await events(listener)).status).toBe(200);
    expect((await events(manager)).status).toBe(200);
    expect((await events(admin)).status).toBe(200);
    // No "listen": another agent's chat is as unknown as one that doesn't exist.
    expect(await events(plain)).toMatchObject({ status: 404, body: { error: { code: 'chat_not_found' } } });
    expect(await events(outsider)).toMatchObject({ status: 404, body: { error: { code: 'chat_not_found' } } });

    const plainWs = await agentSocket(t, plain);
    plainWs.send({ type: 'subscribe', chatId, afterSeq: 0 });
    expect(await plainWs.next((f) => f.type === 'error')).toMatchObject({ code: 'chat_not_found' });
    expect(await request(plainWs, { type: 'note', chatId, clientMsgId: newClientMsgId(), body: 'hi' })).toMatchObject({ code: 'chat_not_found' });
    await settle();
    expect(plainWs.frames.filter((f) => f.type === 'event')).toEqual([]);

    const listenerWs = await agentSocket(t, listener);
    listenerWs.send({ type: 'subscribe', chatId, afterSeq: 0 });
    await listenerWs.next(isEvent('joined'));
    // A listener can never send to the customer, nor type or mark read for them.
    expect(await request(listenerWs, { type: 'send', chatId, clientMsgId: newClientMsgId(), body: 'Hello from a listener' })).toMatchObject({ type: 'error', code: 'not_chat_agent' });
    const mark = listenerWs.frames.length;
    listenerWs.send({ type: 'read', chatId, seq: 1 });
    expect(await listenerWs.next((f) => f.type === 'error', 5000, mark)).toMatchObject({ code: 'not_chat_agent' });
    expect(await request(listenerWs, { type: 'end', chatId })).toMatchObject({ type: 'error', code: 'not_chat_agent' });
    expect(await request(listenerWs, { type: 'note', chatId, clientMsgId: newClientMsgId(), body: 'Noted' })).toMatchObject({ type: 'ack' });

    const managerWs = await agentSocket(t, manager);
    managerWs.send({ type: 'subscribe', chatId, afterSeq: 0 });
    await managerWs.next(isEvent('joined'));
    expect(await request(managerWs, { type: 'send', chatId, clientMsgId: newClientMsgId(), body: 'x' })).toMatchObject({ code: 'not_chat_agent' });

    // A waiting chat stays readable to the agents who may claim it (the queue preview)…
    const waiting = await startChat(t, channel);
    expect((await callAs(t, 'GET', `/api/chats/${waiting.chatId}/events`, plain)).status).toBe(200);
    plainWs.send({ type: 'subscribe', chatId: waiting.chatId, afterSeq: 0 });
    await plainWs.next((f) => isEvent('queued')(f) && f.chatId === waiting.chatId);
    // …until someone else takes it: then its stream stops for an agent who may not listen.
    expect((await request(ownerWs, { type: 'claim', chatId: waiting.chatId })).type).toBe('claimed');
    expect((await request(ownerWs, { type: 'send', chatId: waiting.chatId, clientMsgId: newClientMsgId(), body: 'Only for the customer' })).type).toBe('ack');
    expect((await request(managerWs, { type: 'note', chatId: waiting.chatId, clientMsgId: newClientMsgId(), body: 'later' })).type).toBe('ack');
    await settle();
    expect(JSON.stringify(plainWs.frames)).not.toContain('Only for the customer');
    expect((await callAs(t, 'GET', `/api/chats/${waiting.chatId}/events`, plain)).status).toBe(404);
    for (const s of [ownerWs, plainWs, listenerWs, managerWs]) s.close();
  });

  it('keeps notes from the customer: socket, history endpoint, transcript e-mail and a request made from the chat', async () => {
    const { channel, ann, annWs } = await team();
    const { chatId, token, visitor } = await ongoing(channel, annWs);
    const ack = await request(annWs, { type: 'note', chatId, clientMsgId: newClientMsgId(), body: 'SECRET: customer is a VIP' });
    expect(ack.type).toBe('ack');
    const msg = await request(annWs, { type: 'send', chatId, clientMsgId: newClientMsgId(), body: 'Your parcel left today.' });
    const noteAtAgent = await annWs.next<{ event: ChatEvent }>(isEvent('note'));
    expect(noteAtAgent.event).toMatchObject({ seq: ack.seq, body: 'SECRET: customer is a VIP', author: { kind: 'agent', name: 'Ann' } });

    // The visitor's socket gets a bare placeholder in the note's place, so its seqs stay gapless.
    const answer = await visitor.next<{ event: ChatEvent }>((f) => isEvent('message')(f) && (f.event as ChatEvent).seq === msg.seq);
    expect(answer.event.body).toBe('Your parcel left today.');
    const atVisitor = visitor.frames.filter((f) => f.type === 'event').map((f) => f.event as ChatEvent);
    expect(atVisitor.map((e) => e.seq)).toEqual(atVisitor.map((_, i) => i + 1));
    expect(atVisitor.find((e) => e.seq === ack.seq)).toEqual({ seq: ack.seq, kind: 'hidden', at: expect.any(Number), author: { kind: 'system' } });
    expect(JSON.stringify(visitor.frames)).not.toContain('SECRET');

    // A reconnecting visitor resumes past it the same way.
    const again = await visitorSocket(t, token, Number(ack.seq) - 1);
    await again.next((f) => isEvent('message')(f) && (f.event as ChatEvent).seq === msg.seq);
    expect(JSON.stringify(again.frames)).not.toContain('SECRET');
    again.close();

    const history = await fetch(`${t.url}/api/widget/chat`, { headers: { authorization: `Bearer ${token}` } });
    const state = VisitorChatStateSchema.parse(await history.json());
    expect(state.events.find((e) => e.seq === ack.seq)?.kind).toBe('hidden');
    expect(JSON.stringify(state)).not.toContain('SECRET');

    const made = await callAs(t, 'POST', `/api/chats/${chatId}/requests`, ann, { requestKey: newClientMsgId(), title: 'Parcel', category: '', priority: 'normal' });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const requestId = (made.body as { request: { id: string } }).request.id;
    const detail = await callAs(t, 'GET', `/api/requests/${requestId}`, ann);
    expect(JSON.stringify(detail.body)).toContain('Your parcel left today.');
    expect(JSON.stringify(detail.body)).not.toContain('SECRET');

    visitor.send({ type: 'end', rid: 'end' });
    await visitor.next((f) => f.rid === 'end');
    expect((await request(visitor, { type: 'transcript', email: `customer@${DNS_TEST_ZONES.mx}` })).type).toBe('ok');
    const emails = await t.loket.ctx.db.selectFrom('emails').selectAll().where('chat_id', '=', chatId).where('kind', '=', 'transcript').execute();
    expect(emails).toHaveLength(1);
    expect(emails[0]?.text_body).toContain('Your parcel left today.');
    expect(emails[0]?.text_body).not.toContain('SECRET');
    expect(emails[0]?.html_body).not.toContain('SECRET');
    const everyMail = await t.loket.ctx.db.selectFrom('emails').select(['subject', 'text_body', 'html_body']).execute();
    expect(JSON.stringify(everyMail)).not.toContain('SECRET');
    visitor.close();
  });

  it('a transfer accepted: the receiver owns the chat, the customer sees them join, the sender stays to listen if allowed', async () => {
    const { channel, sam, ann, annWs, samWs } = await team({ listen: true });
    const { chatId, visitor } = await ongoing(channel, annWs);

    const targets = await callAs(t, 'GET', `/api/chats/${chatId}/transfer-targets`, await makeAgent(t, [channel], { permissions: { manager: true } }));
    expect(targets.status).toBe(200);
    const sent = await request(annWs, { type: 'transfer', chatId, toAgentId: sam.id, note: 'Wants a refund' });
    const transfer = TransferSchema.parse(sent.transfer);
    expect(transfer).toMatchObject({ chatId, status: 'pending', note: 'Wants a refund', from: { name: 'Ann' }, to: { name: 'Sam' } });
    expect(transfer.expiresAt - transfer.createdAt).toBe(TRANSFER_TIMEOUT_MS);
    const incoming = TransferSchema.parse((await samWs.next<{ transfer: Transfer }>(transferFrame('pending'))).transfer);
    expect(incoming.id).toBe(transfer.id);
    // The receiver may read the whole conversation while deciding.
    samWs.send({ type: 'subscribe', chatId, afterSeq: 0 });
    await samWs.next((f) => isEvent('message')(f) && (f.event as ChatEvent).seq === 1);
    expect(await request(annWs, { type: 'transfer', chatId, toAgentId: sam.id, note: '' })).toMatchObject({ code: 'transfer_pending' });

    const accepted = await request(samWs, { type: 'transferAnswer', transferId: transfer.id, accept: true });
    expect(accepted).toMatchObject({ type: 'claimed', chat: { id: chatId, agentId: sam.id, status: 'active' } });
    const joined = await visitor.next<{ event: ChatEvent }>((f) => isEvent('joined')(f) && (f.event as ChatEvent).author.name === 'Sam');
    expect(joined.event.author.kind).toBe('agent');
    await visitor.next((f) => f.type === 'chat' && (f.chat as { agent: { name: string } | null }).agent?.name === 'Sam');
    await annWs.next(transferFrame('accepted'));
    // Ann may listen: the chat stays in her list, read-only.
    await annWs.next((f) => f.type === 'chatSummary' && (f.chat as { id: string; agentId: string }).agentId === sam.id);
    expect(await request(annWs, { type: 'send', chatId, clientMsgId: newClientMsgId(), body: 'still me?' })).toMatchObject({ code: 'not_chat_agent' });
    expect((await request(samWs, { type: 'send', chatId, clientMsgId: newClientMsgId(), body: 'Hi, Sam here' })).type).toBe('ack');
    await annWs.next((f) => isEvent('message')(f) && (f.event as ChatEvent).body === 'Hi, Sam here');
    const again = await agentSocket(t, ann);
    const ready = readyOf(again);
    expect(ready.chats.find((c) => c.id === chatId)?.agentId).toBe(sam.id);
    for (const s of [annWs, samWs, visitor, again]) s.close();
  });

  it('a transfer accepted by someone while the sender may not listen: the chat leaves the sender\'s list', async () => {
    const { channel, sam, annWs, samWs, ann } = await team({ listen: false });
    const { chatId, visitor } = await ongoing(channel, annWs);
    const transfer = TransferSchema.parse((await request(annWs, { type: 'transfer', chatId, toAgentId: sam.id, note: '' })).transfer);
    await samWs.next(transferFrame('pending'));
    expect((await request(samWs, { type: 'transferAnswer', transferId: transfer.id, accept: true })).type).toBe('claimed');
    await annWs.next((f) => f.type === 'chatRemoved' && f.chatId === chatId);
    expect((await callAs(t, 'GET', `/api/chats/${chatId}/events`, ann)).status).toBe(404);
    const fresh = await agentSocket(t, ann);
    const ready = readyOf(fresh);
    expect(ready.chats.map((c) => c.id)).not.toContain(chatId);
    for (const s of [annWs, samWs, visitor, fresh]) s.close();
  });

  it('a transfer rejected, cancelled or left unanswered changes nothing', async () => {
    const { channel, sam, annWs, samWs, ann } = await team();
    const { chatId, visitor } = await ongoing(channel, annWs);
    const send = async () => TransferSchema.parse((await request(annWs, { type: 'transfer', chatId, toAgentId: sam.id, note: 'please' })).transfer);
    const owner = async () => (await t.loket.ctx.db.selectFrom('chats').select('agent_id').where('id', '=', chatId).executeTakeFirstOrThrow()).agent_id;

    const rejected = await send();
    expect((await request(samWs, { type: 'transferAnswer', transferId: rejected.id, accept: false })).type).toBe('ok');
    await annWs.next((f) => transferFrame('rejected')(f) && (f.transfer as Transfer).id === rejected.id);
    expect(await owner()).toBe(ann.id);
    expect(await request(samWs, { type: 'transferAnswer', transferId: rejected.id, accept: true })).toMatchObject({ code: 'transfer_not_pending' });

    const cancelled = await send();
    expect(await request(samWs, { type: 'transferCancel', transferId: cancelled.id })).toMatchObject({ code: 'transfer_not_found' });
    expect((await request(annWs, { type: 'transferCancel', transferId: cancelled.id })).type).toBe('ok');
    await samWs.next((f) => transferFrame('cancelled')(f) && (f.transfer as Transfer).id === cancelled.id);
    expect(await request(samWs, { type: 'transferAnswer', transferId: cancelled.id, accept: true })).toMatchObject({ code: 'transfer_not_pending' });
    expect(await owner()).toBe(ann.id);

    const unanswered = await send();
    clock += TRANSFER_TIMEOUT_MS - 1;
    expect(await sweepTransfers(t.loket.ctx)).toBe(0);
    clock += 1;
    // Every node sweeps; only one marks it.
    const swept = await Promise.all([sweepTransfers(t.loket.ctx), sweepTransfers(t.loket.ctx)]);
    expect(swept.reduce((a, b) => a + b, 0)).toBe(1);
    await samWs.next((f) => transferFrame('expired')(f) && (f.transfer as Transfer).id === unanswered.id);
    await annWs.next((f) => transferFrame('expired')(f) && (f.transfer as Transfer).id === unanswered.id);
    expect(await request(samWs, { type: 'transferAnswer', transferId: unanswered.id, accept: true })).toMatchObject({ code: 'transfer_not_pending' });
    expect(await owner()).toBe(ann.id);
    await settle();
    expect(visitor.frames.filter(isEvent('joined'))).toHaveLength(1);
    for (const s of [annWs, samWs, visitor]) s.close();
  });

  it('accept and cancel at the same moment have exactly one outcome', async () => {
    for (let round = 0; round < 5; round++) {
      const { channel, sam, ann, annWs, samWs } = await team();
      const { chatId, visitor } = await ongoing(channel, annWs);
      const transfer = TransferSchema.parse((await request(annWs, { type: 'transfer', chatId, toAgentId: sam.id, note: '' })).transfer);
      const [accept, cancel] = await Promise.all([
        request(samWs, { type: 'transferAnswer', transferId: transfer.id, accept: true }),
        request(annWs, { type: 'transferCancel', transferId: transfer.id }),
      ]);
      const row = await t.loket.ctx.db.selectFrom('chat_transfers').selectAll().where('id', '=', transfer.id).executeTakeFirstOrThrow();
      const chat = await t.loket.ctx.db.selectFrom('chats').selectAll().where('id', '=', chatId).executeTakeFirstOrThrow();
      if (accept.type === 'claimed') {
        expect(cancel).toMatchObject({ type: 'error', code: 'transfer_not_pending' });
        expect(row.status).toBe('accepted');
        expect(chat.agent_id).toBe(sam.id);
      } else {
        expect(accept).toMatchObject({ type: 'error', code: 'transfer_not_pending' });
        expect(cancel.type).toBe('ok');
        expect(row.status).toBe('cancelled');
        expect(chat.agent_id).toBe(ann.id);
      }
      for (const s of [annWs, samWs, visitor]) s.close();
    }
  });

  it('transfer to a channel: back in that queue at the front, keeping the time waited', async () => {
    const { channel, annWs } = await team();
    const other = await makeChannel(t);
    await t.loket.ctx.db.insertInto('channel_agents').values({ channel_id: other.id, agent_id: readyOf(annWs).agent.id, can_respond: 1, notifications: 0, can_listen: 0, manager: 0 }).execute();
    const queuedAt = clock;
    const { chatId, visitor } = await ongoing(channel, annWs);
    clock += 90_000; // chatted for a while
    const earlier = await startChat(t, other, { question: 'Already waiting' });
    clock += 30_000;
    const chat0 = await t.loket.ctx.db.selectFrom('chats').selectAll().where('id', '=', chatId).executeTakeFirstOrThrow();
    const waitedBefore = (chat0.claimed_at ?? 0) - chat0.queued_at;
    expect(chat0.queued_at).toBe(queuedAt);

    expect((await request(annWs, { type: 'transferToChannel', chatId, channelId: other.id })).type).toBe('ok');
    await annWs.next((f) => f.type === 'chatRemoved' && f.chatId === chatId);
    const state = await visitor.next<{ chat: { status: string; queue: { position: number } } }>((f) => f.type === 'chat' && (f.chat as { status: string }).status === 'waiting');
    expect(state.chat.queue.position).toBe(1);
    const moved = await t.loket.ctx.db.selectFrom('chats').selectAll().where('id', '=', chatId).executeTakeFirstOrThrow();
    expect(moved).toMatchObject({ channel_id: other.id, status: 'waiting', agent_id: null });
    expect(clock - moved.queued_at).toBeGreaterThanOrEqual(waitedBefore);
    const queue = await t.loket.ctx.db.selectFrom('chats').select('id').where('channel_id', '=', other.id).where('status', '=', 'waiting').orderBy('queued_at').orderBy('id').execute();
    expect(queue.map((r) => r.id)).toEqual([chatId, earlier.chatId]);
    // "Get next in queue" in that channel takes it first.
    expect(await request(annWs, { type: 'claimNext' })).toMatchObject({ type: 'claimed', chat: { id: chatId } });
    expect(await request(annWs, { type: 'transferToChannel', chatId, channelId: (await makeChannel(t)).id })).toMatchObject({ code: 'transfer_target_invalid' });
    for (const s of [annWs, visitor]) s.close();
  });

  it('a manager takes over an ongoing chat; its agent is told; non-managers may not', async () => {
    const { channel, annWs, samWs } = await team();
    const boss = await makeAgent(t, [channel], { name: 'Boss', permissions: { manager: true } });
    const bossWs = await agentSocket(t, boss);
    const { chatId, visitor } = await ongoing(channel, annWs);
    expect(await request(samWs, { type: 'takeOver', chatId })).toMatchObject({ code: 'chat_not_found' });
    expect(await request(bossWs, { type: 'takeOver', chatId })).toMatchObject({ type: 'claimed', chat: { id: chatId, agentId: boss.id } });
    expect(await annWs.next((f) => f.type === 'takenOver' && f.chatId === chatId)).toMatchObject({ by: { name: 'Boss' } });
    await annWs.next((f) => f.type === 'chatRemoved' && f.chatId === chatId);
    await visitor.next((f) => isEvent('joined')(f) && (f.event as ChatEvent).author.name === 'Boss');
    expect((await request(bossWs, { type: 'send', chatId, clientMsgId: newClientMsgId(), body: 'Boss here' })).type).toBe('ack');
    // Managers also transfer any chat of their channel.
    const sam = readyOf(samWs).agent;
    const other = await ongoing(channel, annWs);
    const transfer = TransferSchema.parse((await request(bossWs, { type: 'transfer', chatId: other.chatId, toAgentId: sam.id, note: '' })).transfer);
    expect((await request(samWs, { type: 'transferAnswer', transferId: transfer.id, accept: true })).type).toBe('claimed');
    for (const s of [annWs, samWs, bossWs, visitor, other.visitor]) s.close();
  });

  it('listening in: the chat joins the listener\'s list silently, read-only', async () => {
    const { channel, annWs } = await team();
    const ears = await makeAgent(t, [channel], { permissions: { canListen: true } });
    const earsWs = await agentSocket(t, ears);
    const { chatId, visitor } = await ongoing(channel, annWs);
    const ongoingList = await callAs(t, 'GET', '/api/chats/ongoing', ears);
    expect((ongoingList.body as { chats: Array<{ chat: { id: string }; agent: { name: string } }> }).chats.find((c) => c.chat.id === chatId)?.agent.name).toBe('Ann');
    const vMark = visitor.frames.length;
    expect((await request(earsWs, { type: 'listen', chatId })).type).toBe('ok');
    await earsWs.next((f) => f.type === 'chatSummary' && (f.chat as { id: string }).id === chatId);
    const fresh = await agentSocket(t, ears);
    expect(readyOf(fresh).chats.map((c) => c.id)).toContain(chatId);
    await request(annWs, { type: 'send', chatId, clientMsgId: newClientMsgId(), body: 'Anything else?' });
    await earsWs.next((f) => isEvent('message')(f) && (f.event as ChatEvent).body === 'Anything else?');
    await settle();
    // The customer was told nothing: only Ann's message reached them.
    expect(visitor.frames.slice(vMark).filter((f) => f.type === 'event').map((f) => (f.event as ChatEvent).kind)).toEqual(['message']);
    expect((await request(earsWs, { type: 'unlisten', chatId })).type).toBe('ok');
    await earsWs.next((f) => f.type === 'chatRemoved' && f.chatId === chatId);
    const plain = await agentSocket(t, await makeAgent(t, [channel]));
    expect(await request(plain, { type: 'listen', chatId })).toMatchObject({ code: 'chat_not_found' });
    for (const s of [annWs, earsWs, fresh, plain, visitor]) s.close();
  });
  it('REST equivalents: transfer, reject, cancel, accept, take over and transfer to a channel; all in the OpenAPI', async () => {
    const { channel, ann, sam, annWs } = await team();
    const { chatId, visitor } = await ongoing(channel, annWs);
    const targets = await callAs(t, 'GET', `/api/chats/${chatId}/transfer-targets`, ann);
    const list = targets.body as { agents: Array<{ agent: { id: string }; activeChats: number }>; channels: Array<{ id: string }> };
    expect(list.agents.map((a) => a.agent.id)).toEqual([sam.id]);
    expect(list.agents[0]?.activeChats).toBe(0);
    expect(list.channels[0]?.id).toBe(channel.id);
    expect((await callAs(t, 'GET', `/api/chats/${chatId}/transfer-targets`, sam)).status).toBe(404);

    const offer = (note = '') => callAs(t, 'POST', `/api/chats/${chatId}/transfers`, ann, { toAgentId: sam.id, note });
    expect(await offer('x'.repeat(501))).toMatchObject({ status: 422, body: { error: { code: 'validation_failed', field: 'note' } } });
    expect(await callAs(t, 'POST', `/api/chats/${chatId}/transfers`, ann, { toAgentId: ann.id, note: '' })).toMatchObject({ status: 422, body: { error: { code: 'transfer_target_invalid' } } });
    const idOf = (res: { body: unknown }) => TransferSchema.parse((res.body as { transfer: unknown }).transfer).id;

    const rejected = await offer();
    expect(rejected.status).toBe(201);
    expect(await offer()).toMatchObject({ status: 409, body: { error: { code: 'transfer_pending' } } });
    expect((await callAs(t, 'POST', `/api/transfers/${idOf(rejected)}/reject`, sam)).status).toBe(204);
    const cancelled = await offer();
    expect((await callAs(t, 'POST', `/api/transfers/${idOf(cancelled)}/cancel`, sam)).status).toBe(404);
    expect((await callAs(t, 'POST', `/api/transfers/${idOf(cancelled)}/cancel`, ann)).status).toBe(204);
    expect(await callAs(t, 'POST', `/api/transfers/${idOf(cancelled)}/accept`, sam)).toMatchObject({ status: 409, body: { error: { code: 'transfer_not_pending' } } });
    const accepted = await offer();
    expect(await callAs(t, 'POST', `/api/transfers/${idOf(accepted)}/accept`, sam)).toMatchObject({ status: 200, body: { chat: { id: chatId, agentId: sam.id } } });

    const boss = await makeAgent(t, [channel], { permissions: { manager: true } });
    expect(await callAs(t, 'POST', `/api/chats/${chatId}/take-over`, ann)).toMatchObject({ status: 404 });
    expect(await callAs(t, 'POST', `/api/chats/${chatId}/take-over`, boss)).toMatchObject({ status: 200, body: { chat: { agentId: boss.id } } });
    const admin = await makeAgent(t, [], { role: 'admin' });
    expect(await callAs(t, 'POST', `/api/chats/${chatId}/transfer-to-channel`, admin, { channelId: 'no-such-channel' })).toMatchObject({ status: 422, body: { error: { code: 'transfer_target_invalid', field: 'channelId' } } });
    expect(await callAs(t, 'POST', `/api/chats/${chatId}/transfers`, admin, { toAgentId: 'nobody', note: '' })).toMatchObject({ status: 422, body: { error: { code: 'transfer_target_invalid' } } });
    expect(await callAs(t, 'POST', '/api/transfers/nothing/accept', admin)).toMatchObject({ status: 404, body: { error: { code: 'transfer_not_found' } } });
    expect((await callAs(t, 'POST', `/api/chats/${chatId}/transfer-to-channel`, boss, { channelId: channel.id })).status).toBe(204);
    expect((await t.loket.ctx.db.selectFrom('chats').select('status').where('id', '=', chatId).executeTakeFirstOrThrow()).status).toBe('waiting');

    const doc = (await (await fetch(`${t.url}/api/openapi.json`)).json()) as { paths: Record<string, unknown> };
    for (const path of ['/api/chats/ongoing', '/api/chats/{id}/transfer-targets', '/api/chats/{id}/transfers', '/api/transfers/{id}/accept', '/api/transfers/{id}/reject', '/api/transfers/{id}/cancel', '/api/chats/{id}/transfer-to-channel', '/api/chats/{id}/take-over']) {
      expect(doc.paths[path], path).toBeDefined();
    }
    for (const s2 of [annWs, visitor]) s2.close();
  });
});
