import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentSocket, makeAgent, makeChannel, newClientMsgId, postJson, startChat, visitorSocket, type TestAgent } from '../support/factories.js';
import { DIALECTS, startTestLoket, type TestLoket } from '../support/server.js';
import type { TestSocket } from '../support/ws-client.js';

type Frame = Record<string, unknown> & { type: string };
interface Ev {
  seq: number;
  kind: string;
  body?: string;
  clientMsgId?: string;
}
const events = (s: TestSocket): Ev[] => s.frames.filter((f: Frame) => f.type === 'event').map((f) => f.event as Ev);

async function chatEvents(t: TestLoket, agent: TestAgent, chatId: string): Promise<Ev[]> {
  const res = await fetch(`${t.url}/api/chats/${chatId}/events?after=0`, { headers: { cookie: agent.cookie } });
  expect(res.status).toBe(200);
  return ((await res.json()) as { events: Ev[] }).events;
}

function expectContiguous(list: Ev[], from = 1): void {
  expect(list.map((e) => e.seq)).toEqual(list.map((_, i) => i + from));
}

describe.each(DIALECTS)('delivery guarantees on %s', (dialect) => {
  let t: TestLoket;
  beforeAll(async () => {
    t = await startTestLoket(dialect);
  });
  afterAll(async () => {
    await t.close();
  });

  async function activeChat() {
    const channel = await makeChannel(t);
    const agent = await makeAgent(t, [channel]);
    const agentWs = await agentSocket(t, agent);
    const chat = await startChat(t, channel);
    agentWs.send({ type: 'claim', rid: 'claim', chatId: chat.chatId });
    await agentWs.next((f) => f.type === 'claimed');
    return { channel, agent, agentWs, ...chat };
  }

  it('stores a resent message once and acknowledges every copy with the same seq', async () => {
    const { agent, agentWs, token, chatId } = await activeChat();
    const v = await visitorSocket(t, token);
    await v.next((f) => f.type === 'chat');
    const id = newClientMsgId();
    for (let i = 0; i < 3; i++) v.send({ type: 'send', rid: `r${i}`, clientMsgId: id, body: 'only once please' });
    const acks = await Promise.all([0, 1, 2].map((i) => v.next<{ seq: number }>((f) => f.type === 'ack' && f.rid === `r${i}`)));
    expect(new Set(acks.map((a) => a.seq)).size).toBe(1);
    const stored = (await chatEvents(t, agent, chatId)).filter((e) => e.body === 'only once please');
    expect(stored).toHaveLength(1);
    expect(stored[0]?.clientMsgId).toBe(id);
    // And on a different socket (a reload), the same id still dedupes.
    v.close();
    const v2 = await visitorSocket(t, token);
    await v2.next((f) => f.type === 'chat');
    v2.send({ type: 'send', rid: 'again', clientMsgId: id, body: 'only once please' });
    expect((await v2.next<{ seq: number }>((f) => f.type === 'ack')).seq).toBe(acks[0]?.seq);
    expect((await chatEvents(t, agent, chatId)).filter((e) => e.body === 'only once please')).toHaveLength(1);
    v2.close();
    agentWs.close();
  });

  it('resumes after a disconnect from the last seq seen: no gap, no duplicate', async () => {
    const { agent, agentWs, token, chatId } = await activeChat();
    const v1 = await visitorSocket(t, token);
    await v1.next((f) => f.type === 'event' && (f.event as Ev).kind === 'joined');
    const seen = Math.max(...events(v1).map((e) => e.seq));
    v1.close();
    for (let i = 1; i <= 5; i++) {
      agentWs.send({ type: 'send', rid: `a${i}`, chatId, clientMsgId: newClientMsgId(), body: `while away ${i}` });
      await agentWs.next((f) => f.type === 'ack' && f.rid === `a${i}`);
    }
    const v2 = await visitorSocket(t, token, seen);
    await v2.next((f) => f.type === 'event' && (f.event as Ev).body === 'while away 5');
    const got = events(v2);
    expect(got.map((e) => e.body)).toEqual([1, 2, 3, 4, 5].map((i) => `while away ${i}`));
    expectContiguous(got, seen + 1);
    // A sync from zero replays the whole log in order.
    const before = v2.frames.length;
    v2.send({ type: 'sync', afterSeq: 0 });
    const all = await chatEvents(t, agent, chatId);
    await v2.next((f) => f.type === 'event' && (f.event as Ev).seq === all.length, 5000, before);
    const replayed = v2.frames.slice(before).filter((f) => f.type === 'event').map((f) => f.event as Ev);
    expect(replayed.map((e) => e.seq)).toEqual(all.map((e) => e.seq));
    v2.close();
    agentWs.close();
  });

  it('numbers concurrent messages from both sides without gaps or repeats', async () => {
    const { agent, agentWs, token, chatId } = await activeChat();
    const v = await visitorSocket(t, token);
    await v.next((f) => f.type === 'chat');
    const n = 25;
    for (let i = 0; i < n; i++) {
      v.send({ type: 'send', rid: `v${i}`, clientMsgId: newClientMsgId(), body: `v${i}` });
      agentWs.send({ type: 'send', rid: `a${i}`, chatId, clientMsgId: newClientMsgId(), body: `a${i}` });
    }
    await Promise.all(Array.from({ length: n }, (_, i) => v.next((f) => f.type === 'ack' && f.rid === `v${i}`, 15000)));
    await Promise.all(Array.from({ length: n }, (_, i) => agentWs.next((f) => f.type === 'ack' && f.rid === `a${i}`, 15000)));
    const all = await chatEvents(t, agent, chatId);
    expectContiguous(all);
    expect(all.filter((e) => e.kind === 'message')).toHaveLength(2 * n + 1);
    // Each side saw every event exactly once, in order.
    await v.next((f) => f.type === 'event' && (f.event as Ev).seq === all.length, 15000);
    const vSeqs = events(v).map((e) => e.seq);
    expect(vSeqs).toEqual([...vSeqs].sort((a, b) => a - b));
    expect(new Set(vSeqs).size).toBe(vSeqs.length);
    await agentWs.next((f) => f.type === 'event' && (f.event as Ev).seq === all.length, 15000);
    const aSeqs = events(agentWs).map((e) => e.seq);
    expect(aSeqs).toEqual([...aSeqs].sort((a, b) => a - b));
    expect(new Set(aSeqs).size).toBe(aSeqs.length);
    v.close();
    agentWs.close();
  });

  it('starting a chat twice with the same token makes one chat', async () => {
    const channel = await makeChannel(t);
    const first = await startChat(t, channel);
    const again = await postJson(t, `/api/widget/channels/${channel.key}/chats`, first.input);
    expect(again.status).toBe(201);
    expect((again.body as { chat: { id: string } }).chat.id).toBe(first.chatId);
    const agent = await makeAgent(t, [channel]);
    const list = await chatEvents(t, agent, first.chatId);
    expect(list.filter((e) => e.kind === 'message')).toHaveLength(1);
  });

  it('keeps everything acknowledged across a server restart, and clients resume', async () => {
    const { agent, token, chatId, agentWs } = await activeChat();
    const v = await visitorSocket(t, token);
    await v.next((f) => f.type === 'chat');
    const id = newClientMsgId();
    v.send({ type: 'send', rid: 'before', clientMsgId: id, body: 'before restart' });
    const ack = await v.next<{ seq: number }>((f) => f.type === 'ack');
    await t.restart();
    expect(await v.closed()).toBe(1001);
    expect(v.frames.some((f) => f.type === 'bye')).toBe(true);
    await agentWs.closed();
    // A client unsure whether its send landed resends it: still one copy.
    const v2 = await visitorSocket(t, token, ack.seq);
    await v2.next((f) => f.type === 'chat');
    v2.send({ type: 'send', rid: 'resend', clientMsgId: id, body: 'before restart' });
    expect((await v2.next<{ seq: number }>((f) => f.type === 'ack')).seq).toBe(ack.seq);
    const all = await chatEvents(t, agent, chatId);
    expect(all.filter((e) => e.body === 'before restart')).toHaveLength(1);
    expectContiguous(all);
    v2.close();
  });
});

describe.each(DIALECTS)('claims on %s', (dialect) => {
  let t: TestLoket;
  beforeAll(async () => {
    t = await startTestLoket(dialect);
  });
  afterAll(async () => {
    await t.close();
  });

  it('two agents claiming one chat at once: exactly one gets it, the other is told', async () => {
    const channel = await makeChannel(t);
    const [a, b] = [await makeAgent(t, [channel]), await makeAgent(t, [channel])];
    const [wa, wb] = [await agentSocket(t, a), await agentSocket(t, b)];
    for (let round = 0; round < 5; round++) {
      const { chatId } = await startChat(t, channel);
      wa.send({ type: 'claim', rid: `x${round}`, chatId });
      wb.send({ type: 'claim', rid: `x${round}`, chatId });
      const ra = await wa.next((f) => (f.type === 'claimed' || f.type === 'error') && f.rid === `x${round}`);
      const rb = await wb.next((f) => (f.type === 'claimed' || f.type === 'error') && f.rid === `x${round}`);
      const results = [ra, rb];
      expect(results.filter((r) => r.type === 'claimed')).toHaveLength(1);
      const loser = results.find((r) => r.type === 'error') as unknown as { code: string; message: string };
      expect(loser.code).toBe('chat_already_claimed');
      expect(loser.message).toMatch(/already/);
    }
    wa.close();
    wb.close();
  });

  it('"Get next in queue" from many agents at once hands out each chat exactly once, oldest first', async () => {
    const channel = await makeChannel(t);
    const agents = await Promise.all(Array.from({ length: 5 }, () => makeAgent(t, [channel])));
    const sockets = await Promise.all(agents.map((a) => agentSocket(t, a)));
    const chats: string[] = [];
    for (let i = 0; i < 12; i++) chats.push((await startChat(t, channel)).chatId);
    const claimed: string[] = [];
    await Promise.all(
      sockets.map(async (s, i) => {
        for (let k = 0; ; k++) {
          s.send({ type: 'claimNext', rid: `n${i}-${k}` });
          const r = await s.next<{ chat?: { id: string }; code?: string }>((f) => f.rid === `n${i}-${k}`, 10000);
          if (r.type === 'error') {
            expect(r.code).toBe('queue_empty');
            return;
          }
          claimed.push(r.chat!.id);
        }
      }),
    );
    expect([...claimed].sort()).toEqual([...chats].sort());
    sockets.forEach((s) => s.close());
  });
});
