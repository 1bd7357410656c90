import { WarningMessageSchema, type WarningMessage } from '@loket/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepWarnings } from '../../src/domain/warnings.js';
import { agentSocket, callAs, makeAgent, makeChannel, startChat, visitorSocket, type TestAgent } from '../support/factories.js';
import { DIALECTS, startTestCluster, startTestLoket, type TestLoket } from '../support/server.js';
import type { TestSocket } from '../support/ws-client.js';
import { startRedis } from '../support/cluster.js';

const warningsOf = (s: TestSocket, chatId: string): WarningMessage[] =>
  s.frames.filter((f) => f.type === 'warning').map((f) => WarningMessageSchema.parse(f)).filter((w) => w.chatId === chatId);

/** Lets bus deliveries (microtasks, socket writes) arrive before asserting that something did not. */
const settle = () => new Promise((r) => setTimeout(r, 150));

describe.each(DIALECTS)('warnings for unanswered chats on %s', (dialect) => {
  let t: TestLoket;
  let admin: TestAgent;
  /** The node's clock: tests move it on instead of waiting. */
  let clock = Date.now();
  beforeAll(async () => {
    t = await startTestLoket(dialect, { chatGraceSeconds: 24 * 3600 });
    t.loket.ctx.now = () => clock;
    admin = await makeAgent(t, [], { role: 'admin' });
  });
  afterAll(async () => {
    await t.close();
  });

  /** A channel with the warnings set through the console's Properties. */
  async function channelWarning(warnAfterSeconds: number | null, managerWarnAfterSeconds: number | null) {
    const channel = await makeChannel(t);
    const res = await callAs(t, 'PUT', `/api/admin/channels/${channel.id}/properties`, admin, {
      name: channel.name,
      language: channel.language,
      badgeText: channel.badge_text,
      headerText: channel.header_text,
      welcomeMessage: channel.welcome_message,
      queueMessage: channel.queue_message,
      description: channel.description,
      warnAfterSeconds,
      managerWarnAfterSeconds,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return channel;
  }

  const advance = (seconds: number) => {
    clock += seconds * 1000;
  };

  it('after N seconds exactly the present agents with Notifications of the channel are warned, once', async () => {
    const channel = await channelWarning(30, null);
    const other = await channelWarning(30, null);
    const notified = await makeAgent(t, [channel], { permissions: { notifications: true } });
    const away = await makeAgent(t, [channel], { permissions: { notifications: true } });
    const silent = await makeAgent(t, [channel], { permissions: { notifications: false } });
    const elsewhere = await makeAgent(t, [other], { permissions: { notifications: true } });
    const sockets = await Promise.all([notified, away, silent, elsewhere].map((a) => agentSocket(t, a)));
    const [notifiedWs, awayWs, silentWs, elsewhereWs] = sockets as [TestSocket, TestSocket, TestSocket, TestSocket];
    awayWs.send({ type: 'presence', presence: 'away' });
    await awayWs.next((f) => f.type === 'presence' && f.presence === 'away');

    const { chatId } = await startChat(t, channel, { name: 'Mia Jansen' });
    advance(29);
    await sweepWarnings(t.loket.ctx);
    await settle();
    expect(warningsOf(notifiedWs, chatId)).toEqual([]);

    advance(1);
    await sweepWarnings(t.loket.ctx);
    const warning = WarningMessageSchema.parse(await notifiedWs.next((f) => f.type === 'warning' && f.chatId === chatId));
    expect(warning).toEqual({ type: 'warning', level: 'agent', chatId, channelId: channel.id, channelName: channel.name, visitorName: 'Mia Jansen', waitedSeconds: 30 });

    advance(60);
    await sweepWarnings(t.loket.ctx);
    await settle();
    expect(warningsOf(notifiedWs, chatId)).toHaveLength(1);
    for (const s of [awayWs, silentWs, elsewhereWs]) expect(warningsOf(s, chatId)).toEqual([]);
    for (const s of sockets) s.close();
  });

  it('a chat claimed before N seconds is never warned', async () => {
    const channel = await channelWarning(20, 60);
    const agent = await makeAgent(t, [channel], { permissions: { notifications: true, manager: true } });
    const ws = await agentSocket(t, agent);
    const { chatId } = await startChat(t, channel);
    advance(10);
    ws.send({ type: 'claim', rid: 'c1', chatId });
    await ws.next((f) => f.type === 'claimed' && f.rid === 'c1');
    advance(120);
    await sweepWarnings(t.loket.ctx);
    await settle();
    expect(warningsOf(ws, chatId)).toEqual([]);
    ws.close();
  });

  it('after M seconds only the managers are warned, and only while an agent of the channel is present', async () => {
    const channel = await channelWarning(10, 40);
    const manager = await makeAgent(t, [channel], { permissions: { manager: true, notifications: false, canRespond: false } });
    const agent = await makeAgent(t, [channel], { permissions: { notifications: true } });
    const managerWs = await agentSocket(t, manager);
    const agentWs = await agentSocket(t, agent);
    agentWs.send({ type: 'presence', presence: 'away' });
    await agentWs.next((f) => f.type === 'presence' && f.presence === 'away');

    const { chatId } = await startChat(t, channel);
    advance(50);
    await sweepWarnings(t.loket.ctx);
    await settle();
    // Nobody can answer: neither level goes out, and neither is used up.
    expect(warningsOf(managerWs, chatId)).toEqual([]);
    expect(warningsOf(agentWs, chatId)).toEqual([]);

    agentWs.send({ type: 'presence', presence: 'present' });
    await agentWs.next((f) => f.type === 'presence' && f.presence === 'present');
    await sweepWarnings(t.loket.ctx);
    const toManager = WarningMessageSchema.parse(await managerWs.next((f) => f.type === 'warning' && f.chatId === chatId));
    expect(toManager).toMatchObject({ level: 'manager', waitedSeconds: 50 });
    const toAgent = WarningMessageSchema.parse(await agentWs.next((f) => f.type === 'warning' && f.chatId === chatId));
    expect(toAgent.level).toBe('agent');
    advance(60);
    await sweepWarnings(t.loket.ctx);
    await settle();
    expect(warningsOf(managerWs, chatId)).toHaveLength(1);
    expect(warningsOf(agentWs, chatId)).toHaveLength(1);
    managerWs.close();
    agentWs.close();
  });

  it('a chat back in the queue after "Back to chat" is warned again', async () => {
    const channel = await channelWarning(15, null);
    const agent = await makeAgent(t, [channel], { permissions: { notifications: true } });
    const ws = await agentSocket(t, agent);
    const { chatId, token } = await startChat(t, channel);
    const visitor = await visitorSocket(t, token);
    await visitor.next((f) => f.type === 'chat');
    advance(15);
    await sweepWarnings(t.loket.ctx);
    await ws.next((f) => f.type === 'warning' && f.chatId === chatId);

    ws.send({ type: 'claim', rid: 'c2', chatId });
    await ws.next((f) => f.type === 'claimed' && f.rid === 'c2');
    ws.send({ type: 'end', rid: 'e2', chatId });
    await ws.next((f) => (f.type === 'ok' || f.type === 'error') && f.rid === 'e2');
    // The agent went away, so "Back to chat" puts the chat in the queue again.
    ws.send({ type: 'presence', presence: 'away' });
    await ws.next((f) => f.type === 'presence' && f.presence === 'away');
    await visitor.next((f) => f.type === 'chat' && (f.chat as { status: string }).status === 'ended');
    visitor.send({ type: 'reopen', rid: 'r1' });
    await visitor.next((f) => f.type === 'ok' && f.rid === 'r1');
    const row = await t.loket.ctx.db.selectFrom('chats').select(['status', 'warned_at', 'manager_warned_at']).where('id', '=', chatId).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'waiting', warned_at: null, manager_warned_at: null });

    ws.send({ type: 'presence', presence: 'present' });
    await ws.next((f) => f.type === 'presence' && f.presence === 'present');
    advance(15);
    await sweepWarnings(t.loket.ctx);
    await ws.next((f) => f.type === 'warning' && f.chatId === chatId && warningsOf(ws, chatId).length === 2);
    visitor.close();
    ws.close();
  });

  it('a chat requeued because its agent was deactivated is warned again on its new wait', async () => {
    const channel = await channelWarning(20, null);
    const leaving = await makeAgent(t, [channel], { permissions: { notifications: true } });
    const staying = await makeAgent(t, [channel], { permissions: { notifications: true } });
    const leavingWs = await agentSocket(t, leaving);
    const stayingWs = await agentSocket(t, staying);
    const { chatId } = await startChat(t, channel);
    advance(20);
    await sweepWarnings(t.loket.ctx);
    await stayingWs.next((f) => f.type === 'warning' && f.chatId === chatId);
    leavingWs.send({ type: 'claim', rid: 'c3', chatId });
    await leavingWs.next((f) => f.type === 'claimed' && f.rid === 'c3');

    advance(5);
    expect((await callAs(t, 'POST', `/api/admin/users/${leaving.id}/deactivate`, admin)).status).toBe(200);
    advance(19);
    await sweepWarnings(t.loket.ctx);
    await settle();
    expect(warningsOf(stayingWs, chatId)).toHaveLength(1);
    advance(1);
    await sweepWarnings(t.loket.ctx);
    const again = await stayingWs.next((f) => f.type === 'warning' && f.chatId === chatId && warningsOf(stayingWs, chatId).length === 2);
    expect(WarningMessageSchema.parse(again).waitedSeconds).toBe(20);
    stayingWs.close();
  });
});

describe('warnings with two nodes sharing PostgreSQL', () => {
  it('each warning is raised exactly once however many nodes sweep', async () => {
    const redis = await startRedis();
    const cluster = await startTestCluster(2, { redisUrl: redis.url, chatGraceSeconds: 24 * 3600, chatStartsPerMinute: 0 });
    try {
      const [a, b] = cluster.nodes as [TestLoket, TestLoket];
      let clock = Date.now();
      a.loket.ctx.now = () => clock;
      b.loket.ctx.now = () => clock;
      const channel = await makeChannel(a);
      await a.loket.ctx.db.updateTable('channels').set({ warn_after_seconds: 10 }).where('id', '=', channel.id).execute();
      const agent = await makeAgent(a, [channel], { permissions: { notifications: true } });
      const ws = await agentSocket(b, agent);
      const chats = await Promise.all(Array.from({ length: 8 }, () => startChat(a, channel)));
      clock += 10_000;
      // Both nodes' own timers sweep too; whoever wins, each chat is warned once.
      await Promise.all([sweepWarnings(a.loket.ctx), sweepWarnings(b.loket.ctx), sweepWarnings(a.loket.ctx), sweepWarnings(b.loket.ctx)]);
      for (const { chatId } of chats) await ws.next((f) => f.type === 'warning' && f.chatId === chatId);
      await new Promise((r) => setTimeout(r, 1500));
      const warned = ws.frames.filter((f) => f.type === 'warning').map((f) => String(f.chatId));
      expect(warned.sort()).toEqual(chats.map((c) => c.chatId).sort());
      ws.close();
    } finally {
      await cluster.close();
      await redis.stop();
    }
  });
});
