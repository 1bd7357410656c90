/**
 * Two Loket nodes in this process on one PostgreSQL database, sharing live messages through our
 * own redis-server (which the last test stops and starts again). Cluster mode is PostgreSQL +
 * Redis only, so there is no SQLite variant. The multi-process version (kill -9, drains) lives
 * elsewhere; this file checks the bus itself: what crosses nodes, and recovery after an outage.
 */
import { TRANSFER_TIMEOUT_MS, type ChatEvent } from '@loket/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLoket } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { loadEvents } from '../../src/domain/views.js';
import { sweepTransfers } from '../../src/domain/collaboration/transfers.js';
import type { BusMessage } from '../../src/realtime/bus.js';
import { RedisBus, type RedisBusStats } from '../../src/realtime/redis-bus.js';
import { agentSocket, callAs, makeAgent, makeChannel, newClientMsgId, startChat, visitorSocket } from '../support/factories.js';
import { freePort } from '../support/ports.js';
import { ResumingClient } from '../support/resuming-client.js';
import { startTestCluster, type TestCluster, type TestLoket } from '../support/server.js';
import { startRedis, type RedisServer } from '../support/cluster.js';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function busOf(t: TestLoket): RedisBus {
  const bus = t.loket.ctx.bus;
  if (!(bus instanceof RedisBus)) throw new Error('this node runs without Redis');
  return bus;
}
const stats = (t: TestLoket): RedisBusStats => busOf(t).stats();

type Frame = Record<string, unknown> & { type: string };
const isEvent = (body: string) => (f: Frame) => f.type === 'event' && (f.event as ChatEvent).body === body;

describe('several nodes through Redis', () => {
  let redis: RedisServer;
  let cluster: TestCluster;
  let A: TestLoket;
  let B: TestLoket;

  beforeAll(async () => {
    redis = await startRedis();
    cluster = await startTestCluster(2, { redisUrl: redis.url, chatStartsPerMinute: 0 });
    [A, B] = cluster.nodes as [TestLoket, TestLoket];
  });
  afterAll(async () => {
    await cluster?.close();
    await redis?.stop();
  });

  it('each node has its own Redis bus', () => {
    expect(stats(A).nodeId).not.toBe(stats(B).nodeId);
    expect(stats(A).subscribed && stats(B).subscribed).toBe(true);
  });

  it('a node refuses to start when Redis is unreachable, naming REDIS_URL', async () => {
    const nobody = await freePort();
    const config = loadConfig({}, { ...A.config, port: 0, redisUrl: `redis://:secret@127.0.0.1:${nobody}` });
    const started = Date.now();
    const failure = await startLoket(config).then(
      () => null,
      (err: unknown) => err,
    );
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toMatch(/REDIS_URL=redis:\/\/:\*\*\*@127\.0\.0\.1/);
    expect((failure as Error).message).not.toContain('secret');
    expect(Date.now() - started).toBeLessThan(6_000);
  });

  it('a customer on A and an agent on B: queue, claim, messages, typing and read receipts cross', async () => {
    const channel = await makeChannel(A);
    const agent = await makeAgent(B, [channel]);
    const ag = await agentSocket(B, agent);
    const chat = await startChat(A, channel);
    await ag.next((f) => f.type === 'queueAdded' && (f.item as { chatId: string }).chatId === chat.chatId);

    const v = await visitorSocket(A, chat.token);
    await v.next((f) => f.type === 'chat');
    ag.send({ type: 'claim', rid: 'c', chatId: chat.chatId });
    await ag.next((f) => f.type === 'claimed' && f.rid === 'c');
    // The claim on B reaches the visitor on A: the "joined" event and the chat's new state.
    await v.next((f) => f.type === 'event' && (f.event as ChatEvent).kind === 'joined');
    await v.next((f) => f.type === 'chat' && (f.chat as { status: string }).status === 'active');

    v.send({ type: 'send', rid: 'v1', clientMsgId: newClientMsgId(), body: 'hello from A' });
    const vAck = await v.next<{ seq: number }>((f) => f.type === 'ack' && f.rid === 'v1');
    await ag.next(isEvent('hello from A'));
    ag.send({ type: 'send', rid: 'g1', chatId: chat.chatId, clientMsgId: newClientMsgId(), body: 'hello from B' });
    await ag.next((f) => f.type === 'ack' && f.rid === 'g1');
    await v.next(isEvent('hello from B'));

    v.send({ type: 'typing', typing: true });
    await ag.next((f) => f.type === 'typing' && f.from === 'visitor' && f.typing === true && f.chatId === chat.chatId);
    ag.send({ type: 'typing', chatId: chat.chatId, typing: true });
    await v.next((f) => f.type === 'typing' && f.from === 'agent' && f.typing === true && f.name === agent.name);

    // The agent on B read the visitor's message: the visitor on A sees it as read.
    ag.send({ type: 'read', chatId: chat.chatId, seq: vAck.seq });
    await v.next((f) => f.type === 'read' && (f.seq as number) >= vAck.seq);
    v.close();
    ag.close();
  });

  it("an agent's presence and sign-out reach their tab on the other node", async () => {
    const channel = await makeChannel(A);
    const agent = await makeAgent(A, [channel]);
    const onA = await agentSocket(A, agent);
    const onB = await agentSocket(B, agent);
    onA.send({ type: 'presence', rid: 'p', presence: 'away' });
    await onA.next((f) => f.type === 'ok' && f.rid === 'p');
    await onB.next((f) => f.type === 'presence' && f.presence === 'away');

    const res = await fetch(`${A.url}/api/auth/logout`, { method: 'POST', headers: { cookie: agent.cookie, 'x-csrf-token': agent.csrfToken } });
    expect(res.status).toBeLessThan(300);
    await onB.next((f) => f.type === 'bye' && f.reason === 'signed_out');
    expect(await onB.closed()).toBe(4401);
    onA.close();
  });

  it("an administrator on A removing an agent from a channel reaches the agent's console on B", async () => {
    const [one, two] = [await makeChannel(A), await makeChannel(A)];
    const agent = await makeAgent(A, [one, two]);
    const admin = await makeAgent(A, [], { role: 'admin' });
    const onB = await agentSocket(B, agent);
    await onB.next((f) => f.type === 'ready');
    const res = await callAs(A, 'PUT', `/api/admin/channels/${one.id}/agents`, admin, { agents: [] });
    expect(res.status).toBe(200);
    await onB.next((f) => f.type === 'bye' && f.reason === 'access_changed');
    expect(await onB.closed()).toBe(1001);
    const again = await agentSocket(B, agent);
    const ready = await again.next<{ agent: { channels: Array<{ id: string }> } }>((f) => f.type === 'ready');
    expect(ready.agent.channels.map((c) => c.id)).toEqual([two.id]);
    again.close();
  });

  it('agents on A and B claiming the same chat at once: exactly one wins, both queues drop it', async () => {
    const channel = await makeChannel(A);
    const [a, b] = [await makeAgent(A, [channel]), await makeAgent(B, [channel])];
    const [wa, wb] = [await agentSocket(A, a), await agentSocket(B, b)];
    for (let round = 0; round < 6; round++) {
      const { chatId } = await startChat(round % 2 === 0 ? A : B, channel);
      // Both have it queued before they race, as agents looking at the same list would.
      await wa.next((f) => f.type === 'queueAdded' && (f.item as { chatId: string }).chatId === chatId);
      await wb.next((f) => f.type === 'queueAdded' && (f.item as { chatId: string }).chatId === chatId);
      wa.send({ type: 'claim', rid: `x${round}`, chatId });
      wb.send({ type: 'claim', rid: `x${round}`, chatId });
      const replies = await Promise.all([wa, wb].map((s) => s.next((f) => (f.type === 'claimed' || f.type === 'error') && f.rid === `x${round}`)));
      expect(replies.filter((r) => r.type === 'claimed')).toHaveLength(1);
      expect(replies.find((r) => r.type === 'error')?.code).toBe('chat_already_claimed');
      for (const s of [wa, wb]) await s.next((f) => f.type === 'queueRemoved' && f.chatId === chatId);
    }
    wa.close();
    wb.close();
  });

  it('a transfer from an agent on A to an agent on B: offered, cancelled, offered again, accepted; the customer on A sees B join', async () => {
    const channel = await makeChannel(A);
    const ann = await makeAgent(A, [channel], { name: 'Ann', permissions: { canListen: true } });
    const sam = await makeAgent(B, [channel], { name: 'Sam' });
    const [wa, wb] = [await agentSocket(A, ann), await agentSocket(B, sam)];
    const chat = await startChat(A, channel);
    const v = await visitorSocket(A, chat.token);
    await v.next((f) => f.type === 'chat');
    wa.send({ type: 'claim', rid: 'c', chatId: chat.chatId });
    await wa.next((f) => f.type === 'claimed' && f.rid === 'c');
    const status = (id: string, value: string) => (f: Frame) => f.type === 'transfer' && (f.transfer as { id: string; status: string }).id === id && (f.transfer as { status: string }).status === value;

    wa.send({ type: 'transfer', rid: 't1', chatId: chat.chatId, toAgentId: sam.id, note: 'Refund question' });
    const first = (await wa.next((f) => f.type === 'transfer' && f.rid === 't1')).transfer as { id: string };
    expect((await wb.next(status(first.id, 'pending'))).transfer).toMatchObject({ note: 'Refund question', from: { name: 'Ann' } });
    wa.send({ type: 'transferCancel', rid: 'x1', transferId: first.id });
    await wa.next((f) => f.type === 'ok' && f.rid === 'x1');
    await wb.next(status(first.id, 'cancelled'));

    wa.send({ type: 'transfer', rid: 't2', chatId: chat.chatId, toAgentId: sam.id, note: '' });
    const second = (await wa.next((f) => f.type === 'transfer' && f.rid === 't2')).transfer as { id: string };
    await wb.next(status(second.id, 'pending'));
    wb.send({ type: 'transferAnswer', rid: 'y', transferId: second.id, accept: true });
    expect(await wb.next((f) => f.rid === 'y')).toMatchObject({ type: 'claimed', chat: { id: chat.chatId, agentId: sam.id } });
    await wa.next(status(second.id, 'accepted'));
    await v.next((f) => f.type === 'event' && (f.event as ChatEvent).kind === 'joined' && (f.event as ChatEvent).author.name === 'Sam');
    await v.next((f) => f.type === 'chat' && (f.chat as { agent: { name: string } | null }).agent?.name === 'Sam');
    // Ann may listen, so she stays, silently: Sam's message on B reaches her and the customer on A.
    wb.send({ type: 'send', rid: 's', chatId: chat.chatId, clientMsgId: newClientMsgId(), body: 'Sam on B here' });
    await wb.next((f) => f.type === 'ack' && f.rid === 's');
    await v.next(isEvent('Sam on B here'));
    await wa.next(isEvent('Sam on B here'));

    // Unanswered: both nodes sweep at once after the deadline; one withdraws it, both agents hear.
    wb.send({ type: 'transfer', rid: 't3', chatId: chat.chatId, toAgentId: ann.id, note: '' });
    const third = (await wb.next((f) => f.type === 'transfer' && f.rid === 't3')).transfer as { id: string };
    await wa.next(status(third.id, 'pending'));
    const later = () => Date.now() + TRANSFER_TIMEOUT_MS;
    const clocks = [A.loket.ctx.now, B.loket.ctx.now];
    A.loket.ctx.now = later;
    B.loket.ctx.now = later;
    try {
      // (Each node's own timer may sweep in this window too: at most one of all of them wins.)
      const swept = await Promise.all([sweepTransfers(A.loket.ctx), sweepTransfers(B.loket.ctx)]);
      expect(swept[0] + swept[1]).toBeLessThanOrEqual(1);
    } finally {
      [A.loket.ctx.now, B.loket.ctx.now] = clocks as [() => number, () => number];
    }
    await wa.next(status(third.id, 'expired'));
    await wb.next(status(third.id, 'expired'));
    await sleep(200);
    for (const s of [wa, wb]) expect(s.frames.filter(status(third.id, 'expired'))).toHaveLength(1);
    for (const s of [wa, wb, v]) s.close();
  });

  it("a waiting visitor on A moves up when an agent on B claims the chat ahead", async () => {
    const channel = await makeChannel(A);
    const agent = await makeAgent(B, [channel]);
    const first = await startChat(A, channel);
    const second = await startChat(A, channel);
    const v = await visitorSocket(A, second.token);
    const initial = await v.next((f) => f.type === 'chat');
    expect((initial.chat as { queue: { position: number } }).queue.position).toBe(2);
    const ag = await agentSocket(B, agent);
    ag.send({ type: 'claim', rid: 'c', chatId: first.chatId });
    await ag.next((f) => f.type === 'claimed');
    await v.next((f) => f.type === 'queue' && (f.queue as { position: number }).position === 1);
    v.close();
    ag.close();
  });

  it('Redis down for a second: writes are acknowledged, same-node chats go on, then every side catches up once, in order', async () => {
    const channel = await makeChannel(A);
    const far = await makeAgent(B, [channel]);
    const near = await makeAgent(A, [channel]);
    // Across nodes: two visitors on A, their agent on B. During the outage only the visitor writes in
    // chat X and only the agent in chat Y: a stream that sees its own node's next event fills gaps
    // from the database by itself, so one-way traffic is what only the resync can repair.
    const x = await startChat(A, channel);
    const y = await startChat(A, channel);
    const g = await ResumingClient.agent({ url: () => `${B.wsUrl}/ws/agent`, cookie: far.cookie });
    for (const c of [x, y]) expect((await g.request({ type: 'claim', chatId: c.chatId })).type).toBe('claimed');
    const v = await ResumingClient.visitor({ url: () => `${A.wsUrl}/ws/visitor`, token: x.token });
    const u = await ResumingClient.visitor({ url: () => `${A.wsUrl}/ws/visitor`, token: y.token });
    // On one node: a visitor and their agent both on A.
    const local = await startChat(A, channel);
    const h = await ResumingClient.agent({ url: () => `${A.wsUrl}/ws/agent`, cookie: near.cookie });
    expect((await h.request({ type: 'claim', chatId: local.chatId })).type).toBe('claimed');
    const w = await ResumingClient.visitor({ url: () => `${A.wsUrl}/ws/visitor`, token: local.token });
    const clients = [v, u, g, h, w];

    const has = (c: ResumingClient, chatId: string, body: string) => c.events(chatId).some((e) => e.body === body);
    await v.send('before');
    await g.until('"before" on B', () => has(g, x.chatId, 'before'));
    const before = { A: stats(A), B: stats(B) };

    await redis.stop();
    const down = Date.now();
    await g.until('both nodes to notice', () => !stats(A).subscribed && !stats(B).subscribed && !stats(A).publishing && !stats(B).publishing);

    // Stored and acknowledged while Redis is away.
    const fromVisitor = ['visitor 1', 'visitor 2', 'visitor 3'];
    const fromAgent = ['agent 1', 'agent 2', 'agent 3'];
    for (const body of fromVisitor) await v.send(body);
    for (const body of fromAgent) await g.send(body, y.chatId);
    // Each writer sees its own message at once (its node delivers locally)…
    await v.until('own messages on A', () => fromVisitor.every((b) => has(v, x.chatId, b)));
    await g.until('own messages on B', () => fromAgent.every((b) => has(g, y.chatId, b)));
    // …but nothing crossed: it waits in the database.
    expect(fromVisitor.filter((b) => has(g, x.chatId, b))).toEqual([]);
    expect(fromAgent.filter((b) => has(u, y.chatId, b))).toEqual([]);
    // Local-first: a chat whose both ends are on A goes on live, without any reconnect.
    await w.send('local visitor');
    await h.until('"local visitor" live on A', () => has(h, local.chatId, 'local visitor'));
    await h.send('local agent', local.chatId);
    await w.until('"local agent" live on A', () => has(w, local.chatId, 'local agent'));
    expect(clients.map((c) => c.connections)).toEqual([1, 1, 1, 1, 1]);

    await sleep(Math.max(0, 1_000 - (Date.now() - down)));
    await redis.start();

    // Every client is told to resume (1001) and catches up from the database.
    await g.until("the visitor's messages on B", () => fromVisitor.every((b) => has(g, x.chatId, b)), 15_000);
    await u.until("the agent's messages on A", () => fromAgent.every((b) => has(u, y.chatId, b)), 15_000);
    await g.until('every client back on a new connection', () => clients.every((c) => c.closeCodes.includes(1001) && c.connections >= 2 && c.isReady));

    // Exactly what the database holds, once each and in order, on both sides of both chats.
    for (const [chatId, sides] of [[x.chatId, [v, g]], [y.chatId, [u, g]]] as const) {
      const stored = await loadEvents(A.loket.ctx.db, chatId, 0, 1000);
      expect(stored.map((e) => e.seq)).toEqual(stored.map((_, i) => i + 1));
      for (const c of sides) {
        expect(c.events(chatId).map((e) => [e.seq, e.body])).toEqual(stored.map((e) => [e.seq, e.body]));
        const arrival = firstArrivals(c, chatId);
        expect(arrival).toEqual([...arrival].sort((p, q) => p - q));
      }
    }
    expect(v.duplicates + u.duplicates + w.duplicates).toBe(0);
    for (const c of clients) {
      expect(c.invalid).toEqual([]);
      expect(c.outbox).toEqual([]);
    }

    // The outage is counted, and both nodes resynced.
    for (const [node, was] of [[A, before.A] as const, [B, before.B] as const]) {
      const now = stats(node);
      expect(now.subscribed && now.publishing).toBe(true);
      expect(now.dropped - was.dropped).toBeGreaterThanOrEqual(3);
      expect(now.resyncs - was.resyncs).toBeGreaterThanOrEqual(1);
    }

    // And live again across nodes, on the sockets the resync left (a late resync request may still close them once more).
    await sleep(700);
    await g.until('all clients settled', () => clients.every((c) => c.isReady));
    const connections = [v.connections, g.connections];
    await v.send('after');
    await g.until('"after" live on B', () => has(g, x.chatId, 'after'));
    await g.send('after too', x.chatId);
    await v.until('"after too" live on A', () => has(v, x.chatId, 'after too'));
    expect([v.connections, g.connections]).toEqual(connections);
    for (const c of clients) c.close();
  }, 40_000);
});


describe('the Redis bus on its own', () => {
  let redis: RedisServer;
  const buses: RedisBus[] = [];
  const bus = async () => {
    const b = await RedisBus.connect({ url: redis.url, pingEveryMs: 200, resyncSettleMs: 50 });
    buses.push(b);
    return b;
  };
  const waitFor = async (what: string, condition: () => boolean, timeoutMs = 10_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await sleep(20);
    }
  };
  const away: BusMessage = { kind: 'presence', presence: 'away' };

  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await Promise.all(buses.map((b) => b.close()));
    await redis?.stop();
  });

  it('delivers locally at once and to other nodes once; a node skips its own echo', async () => {
    const [a, b] = [await bus(), await bus()];
    const atA: string[] = [];
    const atB: string[] = [];
    a.onMessage((topic) => atA.push(topic));
    b.onMessage((topic) => atB.push(topic));
    a.publish('t:1', away);
    await waitFor('t:1 on B', () => atB.includes('t:1'));
    // Redis keeps one order on its channel: once A sees B's reply, A's own echo of t:1 has come and gone.
    b.publish('t:2', away);
    await waitFor('t:2 on A', () => atA.includes('t:2'));
    expect(atA).toEqual(['t:1', 't:2']);
    expect(atB).toEqual(['t:1', 't:2']);
  });

  it('publishing while Redis is down neither blocks nor queues: local delivery goes on, the rest is dropped and counted', async () => {
    const [a, b] = [await bus(), await bus()];
    let local = 0;
    a.onMessage(() => local++);
    const resyncs: string[] = [];
    b.onResync((reason) => resyncs.push(reason));
    await redis.stop();
    await waitFor('A to notice', () => !a.stats().publishing);
    const dropped = a.stats().dropped;
    const started = performance.now();
    for (let i = 0; i < 20_000; i++) a.publish(`t:${i}`, away);
    expect(performance.now() - started).toBeLessThan(1_000);
    await sleep(0);
    expect(local).toBe(20_000);
    expect(a.stats().dropped - dropped).toBe(20_000);
    await redis.start();
    await waitFor('B to resync', () => resyncs.length > 0 && b.stats().subscribed);
  });

  it('notices a Redis that stopped answering, and resyncs once it answers again', async () => {
    const [a, b] = [await bus(), await bus()];
    const atB: string[] = [];
    b.onMessage((topic) => atB.push(topic));
    const resyncs: string[] = [];
    b.onResync((reason) => resyncs.push(reason));
    redis.pause();
    try {
      // Nothing closes the connections: only the unanswered pings tell.
      await waitFor('B to give up on the silent connection', () => !b.stats().subscribed, 5_000);
      expect(resyncs).toEqual([]);
    } finally {
      redis.resume();
    }
    await waitFor('B to resync', () => resyncs.length > 0 && b.stats().subscribed);
    await waitFor('A to publish again', () => a.stats().publishing);
    a.publish('t:after', away);
    await waitFor('t:after on B', () => atB.includes('t:after'));
  });
});

/** Seqs of a chat's events in the order they first arrived (over every connection). */
function firstArrivals(c: ResumingClient, chatId: string): number[] {
  const seen = new Set<number>();
  const out: number[] = [];
  for (const { frame } of c.frames) {
    if (frame.type !== 'event' || frame.chatId !== chatId || seen.has(frame.event.seq)) continue;
    seen.add(frame.event.seq);
    out.push(frame.event.seq);
  }
  return out;
}
