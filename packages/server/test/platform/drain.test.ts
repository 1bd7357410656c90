import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeChannel, newClientMsgId, startChat, visitorSocket } from '../support/factories.js';
import { DIALECTS, startTestLoket, type TestLoket } from '../support/server.js';

describe.each(DIALECTS)('a draining node on %s', (dialect) => {
  let t: TestLoket;
  beforeAll(async () => {
    t = await startTestLoket(dialect);
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers every request it took before closing, refuses later ones as retryable, and says "reconnect"', async () => {
    const channel = await makeChannel(t);
    const { token, chatId } = await startChat(t, channel);
    const visitor = await visitorSocket(t, token);
    await visitor.next((f) => f.type === 'chat');
    const sent = Array.from({ length: 60 }, (_, i) => ({ rid: `m${i}`, clientMsgId: newClientMsgId(), body: `message ${i}` }));
    for (const m of sent) visitor.send({ type: 'send', ...m });
    // Shut down while those are arriving and being written (once the first is in: a busy machine may be slow to start).
    await visitor.next((f) => f.type === 'ack' && f.rid === 'm0', 15_000);
    const restarting = t.restart();
    expect(await visitor.closed(15_000)).toBe(1001);
    await restarting;

    const answers = new Map<string, string>();
    for (const f of visitor.frames) if ((f.type === 'ack' || f.type === 'error') && typeof f.rid === 'string') answers.set(f.rid, f.type === 'ack' ? 'ack' : String(f.code));
    expect(visitor.frames.some((f) => f.type === 'bye' && f.reason === 'restart')).toBe(true);
    // Every refusal is the retryable "unavailable"; nothing that was answered is missing from storage, nothing else is there.
    expect([...answers.values()].every((a) => a === 'ack' || a === 'unavailable')).toBe(true);
    const acked = sent.filter((m) => answers.get(m.rid) === 'ack').map((m) => m.body);
    expect(acked.length).toBeGreaterThan(0);
    const stored = await t.loket.ctx.db
      .selectFrom('chat_events')
      .select('body')
      .where('chat_id', '=', chatId)
      .where('kind', '=', 'message')
      .where('author_kind', '=', 'visitor')
      .orderBy('seq')
      .execute();
    const storedBodies = stored.map((r) => r.body).filter((b) => b !== 'Where is my order?');
    // Messages without an answer (the socket closed first) may or may not be stored; the client resends them with the same id.
    for (const body of acked) expect(storedBodies).toContain(body);
    const refused = sent.filter((m) => answers.get(m.rid) === 'unavailable').map((m) => m.body);
    for (const body of refused) expect(storedBodies).not.toContain(body);

    // The client's resend of everything unacknowledged, after reconnecting, completes the conversation exactly once.
    const again = await visitorSocket(t, token);
    await again.next((f) => f.type === 'chat');
    for (const m of sent.filter((x) => answers.get(x.rid) !== 'ack')) again.send({ type: 'send', ...m });
    for (const m of sent.filter((x) => answers.get(x.rid) !== 'ack')) await again.next((f) => f.type === 'ack' && f.rid === m.rid);
    const final = await t.loket.ctx.db.selectFrom('chat_events').select(['seq', 'body']).where('chat_id', '=', chatId).where('kind', '=', 'message').orderBy('seq').execute();
    // Each exactly once (a client's concurrent sends may commit in any order on PostgreSQL's pool).
    expect(final.map((r) => r.body).sort()).toEqual(['Where is my order?', ...sent.map((m) => m.body)].sort());
    again.close();
  });
});
