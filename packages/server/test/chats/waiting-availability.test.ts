/**
 * A waiting visitor is told when their channel can no longer answer (the last present agent left, or it closed) and
 * when it can again; on a reconnect during a closure they are told at once.
 */
import type { Availability, OpeningHours } from '@loket/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelsTable } from '../../src/db/schema.js';
import { agentSocket, callAs, makeAgent, makeChannel, startChat, visitorSocket } from '../support/factories.js';
import { startRedis, type RedisServer } from '../support/cluster.js';
import { DIALECTS, startTestCluster, startTestLoket, type TestCluster, type TestLoket } from '../support/server.js';
import type { TestSocket } from '../support/ws-client.js';

type Frame = Record<string, unknown> & { type: string };
const availability = (available: boolean) => (f: Frame) => f.type === 'availability' && (f.availability as Availability).available === available;

async function setPresence(agentWs: TestSocket, presence: 'present' | 'away'): Promise<void> {
  const rid = `p-${Math.random().toString(36).slice(2)}`;
  agentWs.send({ type: 'presence', rid, presence });
  await agentWs.next((f) => (f.type === 'ok' || f.type === 'error') && f.rid === rid);
}

/** Hours are set in storage directly: the admin route is another part of this issue and not what this file tests. */
async function setHours(t: TestLoket, channel: ChannelsTable, hours: OpeningHours): Promise<void> {
  await t.loket.ctx.db.updateTable('channels').set({ opening_hours: JSON.stringify(hours) }).where('id', '=', channel.id).execute();
}

// Monday 23 November 2026, 16:59:58 UTC: two seconds before the test channel closes.
const BEFORE_CLOSING = Date.UTC(2026, 10, 23, 16, 59, 58);

describe.each(DIALECTS)('a waiting visitor on %s', (dialect) => {
  let t: TestLoket;
  // The server's clock: real time, shifted by `offset` so a closing time can be reached in a test.
  let offset = 0;
  beforeAll(async () => {
    t = await startTestLoket(dialect, {}, { now: () => Date.now() + offset });
  });
  afterAll(async () => {
    await t.close();
  });

  it('is told when the last present agent goes Away, and again when they come back', async () => {
    const channel = await makeChannel(t);
    const agent = await makeAgent(t, [channel]);
    const agentWs = await agentSocket(t, agent);
    const { token, chatId } = await startChat(t, channel);
    const visitor = await visitorSocket(t, token);
    await visitor.next((f) => f.type === 'chat');

    await setPresence(agentWs, 'away');
    const gone = await visitor.next<{ chatId: string; availability: Availability }>(availability(false));
    expect(gone.chatId).toBe(chatId);
    expect(gone.availability.reason).toBe('no_agents');

    // A reconnect while nobody can answer is told at once.
    const again = await visitorSocket(t, token);
    expect((await again.next<{ availability: Availability }>(availability(false))).availability.reason).toBe('no_agents');

    await setPresence(agentWs, 'present');
    const back = await visitor.next<{ availability: Availability }>(availability(true));
    expect(back.availability.reason).toBeNull();
    await again.next(availability(true));
    visitor.close();
    again.close();
    agentWs.close();
  });

  it('is told when the last agent signs out, and when the last one is deactivated', async () => {
    const channel = await makeChannel(t);
    const admin = await makeAgent(t, [], { role: 'admin' });
    const leaving = await makeAgent(t, [channel]);
    const { token } = await startChat(t, channel);
    const visitor = await visitorSocket(t, token);
    await visitor.next((f) => f.type === 'chat');
    expect((await callAs(t, 'POST', '/api/auth/logout', leaving)).status).toBeLessThan(300);
    expect((await visitor.next<{ availability: Availability }>(availability(false))).availability.reason).toBe('no_agents');

    const deactivated = await makeAgent(t, [channel]);
    const seen = visitor.frames.length;
    await visitor.next(availability(true), 5000, seen);
    const before = visitor.frames.length;
    expect((await callAs(t, 'POST', `/api/admin/users/${deactivated.id}/deactivate`, admin)).status).toBe(200);
    await visitor.next(availability(false), 5000, before);
    visitor.close();
  });

  it('is not told while another agent who can respond is still present', async () => {
    const channel = await makeChannel(t);
    const leaving = await makeAgent(t, [channel]);
    await makeAgent(t, [channel]);
    const leavingWs = await agentSocket(t, leaving);
    const { token } = await startChat(t, channel);
    const visitor = await visitorSocket(t, token);
    await visitor.next((f) => f.type === 'chat');
    await setPresence(leavingWs, 'away');
    await expect(visitor.next(availability(false), 300)).rejects.toThrow(/timed out/);
    visitor.close();
    leavingWs.close();
  });

  it('is told when the channel’s closing time passes', async () => {
    offset = BEFORE_CLOSING - Date.now();
    const channel = await makeChannel(t);
    const day = [{ from: '09:00', to: '17:00' }];
    await setHours(t, channel, {
      enabled: true,
      timeZone: 'UTC',
      week: { mon: day, tue: day, wed: day, thu: day, fri: day, sat: [], sun: [] },
      exceptions: [],
    });
    await makeAgent(t, [channel]);
    const { token } = await startChat(t, channel);
    const visitor = await visitorSocket(t, token);
    await visitor.next((f) => f.type === 'chat');
    const closed = await visitor.next<{ availability: Availability }>(availability(false), 6000);
    expect(closed.availability.reason).toBe('closed');
    expect(closed.availability.nextOpenAt).toBe(Date.UTC(2026, 10, 24, 9, 0));
    expect(t.loket.ctx.now()).toBeGreaterThanOrEqual(Date.UTC(2026, 10, 23, 17, 0));
    visitor.close();
    offset = 0;
  });
});

describe('a waiting visitor on another node', () => {
  let redis: RedisServer;
  let cluster: TestCluster;
  beforeAll(async () => {
    redis = await startRedis();
    cluster = await startTestCluster(2, { redisUrl: redis.url, chatStartsPerMinute: 0 });
  });
  afterAll(async () => {
    await cluster?.close();
    await redis?.stop();
  });

  it('is told when the last agent, connected to the other node, goes Away', async () => {
    const [A, B] = cluster.nodes as [TestLoket, TestLoket];
    const channel = await makeChannel(A);
    const agent = await makeAgent(A, [channel]);
    const agentWs = await agentSocket(A, agent);
    const { token } = await startChat(B, channel);
    const visitor = await visitorSocket(B, token);
    await visitor.next((f) => f.type === 'chat');
    await setPresence(agentWs, 'away');
    expect((await visitor.next<{ availability: Availability }>(availability(false))).availability.reason).toBe('no_agents');
    visitor.close();
    agentWs.close();
  });
});
