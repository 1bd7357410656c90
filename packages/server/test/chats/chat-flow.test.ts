import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentSocket, makeAgent, makeChannel, newClientMsgId, startChat, visitorSocket } from '../support/factories.js';
import { DIALECTS, startTestLoket, type TestLoket } from '../support/server.js';

type Frame = Record<string, unknown> & { type: string };
const isEvent = (kind: string) => (f: Frame) => f.type === 'event' && (f.event as { kind: string }).kind === kind;

describe.each(DIALECTS)('the customer path on %s', (dialect) => {
  let t: TestLoket;
  beforeAll(async () => {
    t = await startTestLoket(dialect);
  });
  afterAll(async () => {
    await t.close();
  });

  it('queues a chat, an agent claims it, both chat live, and the visitor ends it', async () => {
    const channel = await makeChannel(t);
    const agent = await makeAgent(t, [channel]);
    const agentWs = await agentSocket(t, agent);

    const { token, chatId } = await startChat(t, channel, { question: 'Do you ship to Belgium?' });
    const queued = await agentWs.next<{ item: { chatId: string; question: string } }>((f) => f.type === 'queueAdded');
    expect(queued.item).toMatchObject({ chatId, question: 'Do you ship to Belgium?' });

    const visitor = await visitorSocket(t, token);
    const state = await visitor.next<{ chat: { status: string; queue: { position: number } } }>((f) => f.type === 'chat');
    expect(state.chat.status).toBe('waiting');
    expect(state.chat.queue.position).toBe(1);
    const first = await visitor.next<{ event: { seq: number; body: string } }>(isEvent('message'));
    expect(first.event).toMatchObject({ seq: 1, body: 'Do you ship to Belgium?' });

    agentWs.send({ type: 'claim', rid: 'c1', chatId });
    const claimed = await agentWs.next<{ chat: { id: string; status: string } }>((f) => f.type === 'claimed' && f.rid === 'c1');
    expect(claimed.chat).toMatchObject({ id: chatId, status: 'active' });
    expect((await agentWs.next<{ chatId: string }>((f) => f.type === 'queueRemoved')).chatId).toBe(chatId);

    const joined = await visitor.next<{ event: { author: { name: string } } }>(isEvent('joined'));
    expect(joined.event.author.name).toBe(agent.name);
    const active = await visitor.next<{ chat: { status: string; agent: { name: string } } }>((f) => f.type === 'chat' && (f.chat as { status: string }).status === 'active');
    expect(active.chat.agent.name).toBe(agent.name);

    // Agent → visitor, acknowledged only with its committed seq.
    const agentMsg = newClientMsgId();
    agentWs.send({ type: 'send', rid: 's1', chatId, clientMsgId: agentMsg, body: 'Yes, we do!' });
    const ack = await agentWs.next<{ seq: number }>((f) => f.type === 'ack' && f.rid === 's1');
    const got = await visitor.next<{ event: { seq: number; body: string; author: { kind: string } } }>((f) => isEvent('message')(f) && (f.event as { body: string }).body === 'Yes, we do!');
    expect(got.event.seq).toBe(ack.seq);
    expect(got.event.author.kind).toBe('agent');

    // Visitor → agent, with typing both ways.
    visitor.send({ type: 'typing', typing: true });
    expect((await agentWs.next<{ from: string }>((f) => f.type === 'typing')).from).toBe('visitor');
    agentWs.send({ type: 'typing', chatId, typing: true });
    expect((await visitor.next<{ from: string; name: string }>((f) => f.type === 'typing')).name).toBe(agent.name);

    visitor.send({ type: 'send', rid: 'v1', clientMsgId: newClientMsgId(), body: 'Great, thanks' });
    const vAck = await visitor.next<{ seq: number }>((f) => f.type === 'ack' && f.rid === 'v1');
    const atAgent = await agentWs.next<{ event: { seq: number } }>((f) => isEvent('message')(f) && (f.event as { body: string }).body === 'Great, thanks');
    expect(atAgent.event.seq).toBe(vAck.seq);
    const unread = await agentWs.next<{ chat: { unread: number } }>((f) => f.type === 'chatSummary' && (f.chat as { unread: number }).unread === 1);
    expect(unread.chat.unread).toBe(1);

    // The agent reads it: unread drops and the visitor sees "read".
    agentWs.send({ type: 'read', chatId, seq: vAck.seq });
    expect((await visitor.next<{ seq: number }>((f) => f.type === 'read' && f.seq === vAck.seq)).seq).toBe(vAck.seq);
    await agentWs.next((f) => f.type === 'chatSummary' && (f.chat as { unread: number }).unread === 0);

    visitor.send({ type: 'end', rid: 'e1' });
    await visitor.next((f) => f.type === 'ok' && f.rid === 'e1');
    const ended = await agentWs.next<{ event: { endedBy: string } }>(isEvent('ended'));
    expect(ended.event.endedBy).toBe('visitor');
    await visitor.next((f) => f.type === 'chat' && (f.chat as { status: string }).status === 'ended');

    // Nothing more can be said in an ended chat.
    visitor.send({ type: 'send', rid: 'v2', clientMsgId: newClientMsgId(), body: 'hello?' });
    expect((await visitor.next<{ code: string }>((f) => f.type === 'error' && f.rid === 'v2')).code).toBe('chat_ended');
    visitor.close();
    agentWs.close();
  });

  it('the agent ends a chat from the console and the visitor sees it ended', async () => {
    const channel = await makeChannel(t);
    const agent = await makeAgent(t, [channel]);
    const agentWs = await agentSocket(t, agent);
    const { token, chatId } = await startChat(t, channel);
    const visitor = await visitorSocket(t, token);
    await visitor.next((f) => f.type === 'chat');
    agentWs.send({ type: 'claimNext', rid: 'n' });
    expect((await agentWs.next<{ chat: { id: string } }>((f) => f.type === 'claimed')).chat.id).toBe(chatId);
    agentWs.send({ type: 'end', rid: 'end', chatId });
    await agentWs.next((f) => f.type === 'ok' && f.rid === 'end');
    expect((await visitor.next<{ event: { endedBy: string } }>(isEvent('ended'))).event.endedBy).toBe('agent');
    const summary = await agentWs.next<{ chat: { status: string } }>((f) => f.type === 'chatSummary' && (f.chat as { status: string }).status === 'ended');
    expect(summary.chat.status).toBe('ended');
    visitor.close();
    agentWs.close();
  });

  it('an agent answering marks the visitor’s earlier messages read', async () => {
    const channel = await makeChannel(t);
    const agent = await makeAgent(t, [channel]);
    const agentWs = await agentSocket(t, agent);
    const { token, chatId } = await startChat(t, channel);
    agentWs.send({ type: 'claim', rid: 'c', chatId });
    await agentWs.next((f) => f.type === 'claimed');
    const v = await visitorSocket(t, token);
    await v.next((f) => f.type === 'chat');
    v.send({ type: 'send', rid: 'q', clientMsgId: newClientMsgId(), body: 'anyone?' });
    const asked = await v.next<{ seq: number }>((f) => f.type === 'ack' && f.rid === 'q');
    agentWs.send({ type: 'send', rid: 'a', chatId, clientMsgId: newClientMsgId(), body: 'yes, me' });
    const answered = await agentWs.next<{ seq: number }>((f) => f.type === 'ack' && f.rid === 'a');
    const read = await v.next<{ seq: number }>((f) => f.type === 'read');
    expect(read.seq).toBe(answered.seq);
    expect(read.seq).toBeGreaterThan(asked.seq);
    v.close();
    agentWs.close();
  });

  it('tells waiting customers their position as the queue moves', async () => {
    const channel = await makeChannel(t);
    const agent = await makeAgent(t, [channel]);
    const agentWs = await agentSocket(t, agent);
    const a = await startChat(t, channel, { question: 'first' });
    const b = await startChat(t, channel, { question: 'second' });
    const vb = await visitorSocket(t, b.token);
    const initial = await vb.next<{ chat: { queue: { position: number } } }>((f) => f.type === 'chat');
    expect(initial.chat.queue.position).toBe(2);
    agentWs.send({ type: 'claimNext', rid: 'n1' });
    expect((await agentWs.next<{ chat: { id: string } }>((f) => f.type === 'claimed')).chat.id).toBe(a.chatId);
    const moved = await vb.next<{ queue: { position: number; avgWaitSeconds: number | null } }>((f) => f.type === 'queue');
    expect(moved.queue.position).toBe(1);
    expect(moved.queue.avgWaitSeconds).not.toBeNull();
    vb.close();
    agentWs.close();
  });

  it('lists the ongoing and recently ended chats, with unread counts, in the snapshot', async () => {
    const channel = await makeChannel(t);
    const agent = await makeAgent(t, [channel]);
    const ws1 = await agentSocket(t, agent);
    const one = await startChat(t, channel);
    const two = await startChat(t, channel);
    ws1.send({ type: 'claim', rid: '1', chatId: one.chatId });
    await ws1.next((f) => f.type === 'claimed' && f.rid === '1');
    ws1.send({ type: 'claim', rid: '2', chatId: two.chatId });
    await ws1.next((f) => f.type === 'claimed' && f.rid === '2');
    ws1.send({ type: 'end', rid: '3', chatId: two.chatId });
    await ws1.next((f) => f.type === 'ok' && f.rid === '3');
    const v = await visitorSocket(t, one.token);
    await v.next((f) => f.type === 'chat');
    v.send({ type: 'send', rid: 'm', clientMsgId: newClientMsgId(), body: 'hello again' });
    await v.next((f) => f.type === 'ack');
    ws1.close();

    const ws2 = await agentSocket(t, agent);
    const ready = ws2.frames.find((f) => f.type === 'ready') as unknown as { chats: Array<{ id: string; status: string; unread: number }> };
    const byId = new Map(ready.chats.map((c) => [c.id, c]));
    // The question, plus the new message, both unread by the agent.
    expect(byId.get(one.chatId)).toMatchObject({ status: 'active', unread: 2 });
    expect(byId.get(two.chatId)).toMatchObject({ status: 'ended' });
    ws2.close();
    v.close();
  });
});
