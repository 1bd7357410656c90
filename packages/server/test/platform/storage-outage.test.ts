import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentSocket, makeAgent, makeChannel, newClientMsgId, postJson, startChat, chatInput, visitorSocket } from '../support/factories.js';
import { startLink, type NetworkLink } from '../support/link.js';
import { freshDatabase, startTestLoket, type TestLoket } from '../support/server.js';

/**
 * PostgreSQL going away under a running node: nothing is acknowledged without a commit, clients
 * are told "unavailable, try again", and the node recovers by itself when the database returns.
 * The database is reached through a relay we can cut, like a network partition or a restart.
 */
describe('PostgreSQL unavailable', () => {
  let t: TestLoket;
  let link: NetworkLink;
  let database: { url: string; drop(): Promise<void> };

  beforeAll(async () => {
    database = await freshDatabase();
    const direct = new URL(database.url);
    link = await startLink(Number(direct.port || 5432));
    const relayed = new URL(database.url);
    relayed.hostname = '127.0.0.1';
    relayed.port = new URL(link.url).port;
    t = await startTestLoket('postgres', { databaseUrl: relayed.toString() });
  });
  afterAll(async () => {
    await t.close();
    await link.close();
    await database.drop();
  });

  it('acknowledges nothing while it is down, answers "unavailable" (retryable), and recovers by itself', async () => {
    const channel = await makeChannel(t);
    const agent = await makeAgent(t, [channel]);
    const agentWs = await agentSocket(t, agent);
    const { token, chatId } = await startChat(t, channel);
    const visitor = await visitorSocket(t, token);
    await visitor.next((f) => f.type === 'chat');
    agentWs.send({ type: 'claim', rid: 'c', chatId });
    await agentWs.next((f) => f.type === 'claimed' && f.rid === 'c');

    link.cut();
    const during = { rid: 'down', clientMsgId: newClientMsgId(), body: 'Sent while the database is down' };
    visitor.send({ type: 'send', ...during });
    const refused = await visitor.next<{ code: string; retryable: boolean }>((f) => f.rid === 'down', 15_000);
    expect(refused).toMatchObject({ type: 'error', code: 'unavailable', retryable: true });
    expect(visitor.frames.some((f) => f.type === 'ack' && f.rid === 'down')).toBe(false);
    // HTTP says the same, and readiness reports it to the load balancer.
    const start = await postJson(t, `/api/widget/channels/${channel.key}/chats`, chatInput());
    expect(start.status).toBe(503);
    expect(start.body).toMatchObject({ error: { code: 'unavailable' } });
    expect((await fetch(`${t.url}/readyz`)).status).toBe(503);
    // The sockets stay up: the outage is the database's, not the client's.
    expect(visitor.closeCode).toBeNull();

    // A visitor (re)connecting now cannot be authenticated: told so and closed with a retryable
    // code, never left connected but unauthenticated (it would answer pings forever).
    const late = await visitorSocket(t, token);
    const authError = await late.next<{ code: string; retryable: boolean }>((f) => f.type === 'error', 15_000);
    expect(authError).toMatchObject({ code: 'unavailable', retryable: true });
    expect(await late.closed(15_000)).toBe(1013);

    link.restore();
    // The same request again (as the client's outbox does) now commits, once.
    let acked = false;
    for (let attempt = 0; attempt < 50 && !acked; attempt++) {
      const rid = `retry${attempt}`;
      visitor.send({ type: 'send', rid, clientMsgId: during.clientMsgId, body: during.body });
      const answer = await visitor.next((f) => f.rid === rid, 10_000);
      acked = answer.type === 'ack';
      if (!acked) await new Promise((r) => setTimeout(r, 200));
    }
    expect(acked).toBe(true);
    const atAgent = await agentWs.next<{ event: { body: string } }>((f) => f.type === 'event' && (f.event as { body?: string }).body === during.body);
    expect(atAgent.event.body).toBe(during.body);
    const stored = await t.loket.ctx.db.selectFrom('chat_events').select('seq').where('chat_id', '=', chatId).where('client_msg_id', '=', during.clientMsgId).execute();
    expect(stored).toHaveLength(1);
    expect((await fetch(`${t.url}/readyz`)).status).toBe(200);
    visitor.close();
    agentWs.close();
  });
});
