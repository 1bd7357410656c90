import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentSocket, callAs, makeAgent, makeChannel, startChat, type TestAgent } from '../support/factories.js';
import type { TestSocket } from '../support/ws-client.js';
import { DIALECTS, startTestLoket, type TestLoket } from '../support/server.js';

type Ready = { type: 'ready'; agent: { role: string; name: string; channels: Array<{ id: string }> }; queue: Array<{ chatId: string }> };

const ready = (s: TestSocket) => s.next<Ready>((f) => f.type === 'ready');

/** What an administrator changes reaches the agent's console that is open right now, not only the next one. */
describe.each(DIALECTS)('access changes reach open consoles on %s', (dialect) => {
  let t: TestLoket;
  let admin: TestAgent;
  beforeAll(async () => {
    t = await startTestLoket(dialect);
    admin = await makeAgent(t, [], { role: 'admin' });
  });
  afterAll(async () => {
    await t.close();
  });

  const permissions = { canRespond: true, notifications: true, canListen: false, manager: false };

  it('an agent removed from a channel is told to reconnect and then no longer sees its queue or new chats', async () => {
    const [a, b] = [await makeChannel(t), await makeChannel(t)];
    const ann = await makeAgent(t, [a, b]);
    const bob = await makeAgent(t, [a]);
    const chatA = await startChat(t, a);
    const chatB = await startChat(t, b);
    const annSocket = await agentSocket(t, ann);
    const bobSocket = await agentSocket(t, bob);
    expect((await ready(annSocket)).queue.map((q) => q.chatId).sort()).toEqual([chatA.chatId, chatB.chatId].sort());
    await ready(bobSocket);

    // Ann leaves channel A; Bob stays with the same permissions.
    const res = await callAs(t, 'PUT', `/api/admin/channels/${a.id}/agents`, admin, { agents: [{ agentId: bob.id, ...permissions }] });
    expect(res.status).toBe(200);
    expect(await annSocket.next((f) => f.type === 'bye')).toEqual({ type: 'bye', reason: 'access_changed' });
    expect(await annSocket.closed()).toBe(1001);

    const again = await agentSocket(t, ann);
    const snapshot = await ready(again);
    expect(snapshot.queue.map((q) => q.chatId)).toEqual([chatB.chatId]);
    expect(snapshot.agent.channels.map((c) => c.id)).toEqual([b.id]);
    const from = again.frames.length;
    await startChat(t, a);
    const chatB2 = await startChat(t, b);
    const added = await again.next<{ item: { chatId: string } }>((f) => f.type === 'queueAdded', 5000, from);
    expect(added.item.chatId).toBe(chatB2.chatId);
    expect(again.frames.slice(from).filter((f) => f.type === 'queueAdded')).toHaveLength(1);

    // Bob's console was left alone: his access did not change.
    expect(bobSocket.frames.some((f) => f.type === 'bye')).toBe(false);
    expect(bobSocket.closeCode).toBeNull();
    for (const s of [again, bobSocket]) s.close();
  });

  it('an agent added to a channel sees its waiting chats without reloading', async () => {
    const [a, b] = [await makeChannel(t), await makeChannel(t)];
    const cem = await makeAgent(t, [a]);
    const chatB = await startChat(t, b);
    const socket = await agentSocket(t, cem);
    expect((await ready(socket)).queue).toEqual([]);
    const res = await callAs(t, 'PUT', `/api/admin/channels/${b.id}/agents`, admin, { agents: [{ agentId: cem.id, ...permissions }] });
    expect(res.status).toBe(200);
    expect(await socket.closed()).toBe(1001);
    const again = await agentSocket(t, cem);
    expect((await ready(again)).queue.map((q) => q.chatId)).toEqual([chatB.chatId]);
    again.close();
  });

  it('a role change reaches the open console: the new snapshot carries the role', async () => {
    const channel = await makeChannel(t);
    const dee = await makeAgent(t, [channel], { name: 'Dee' });
    const socket = await agentSocket(t, dee);
    expect((await ready(socket)).agent.role).toBe('agent');
    const res = await callAs(t, 'PUT', `/api/admin/users/${dee.id}`, admin, { name: 'Dee', email: dee.email, role: 'admin', photoUrl: null });
    expect(res.status).toBe(200);
    expect(await socket.closed()).toBe(1001);
    const again = await agentSocket(t, dee);
    expect((await ready(again)).agent.role).toBe('admin');
    // The admin API now answers for this session, which was signed in before the change.
    expect((await callAs(t, 'GET', '/api/admin/channels', dee)).status).toBe(200);

    // Saving the user unchanged disturbs nobody.
    const from = again.frames.length;
    expect((await callAs(t, 'PUT', `/api/admin/users/${dee.id}`, admin, { name: 'Dee', email: dee.email, role: 'admin', photoUrl: null })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(again.frames.slice(from).some((f) => f.type === 'bye')).toBe(false);
    again.close();
  });

  it('deleting a channel tells its agents', async () => {
    const channel = await makeChannel(t);
    const eve = await makeAgent(t, [channel]);
    const socket = await agentSocket(t, eve);
    await ready(socket);
    expect((await callAs(t, 'DELETE', `/api/admin/channels/${channel.id}`, admin)).status).toBe(204);
    expect(await socket.closed()).toBe(1001);
  });
});
