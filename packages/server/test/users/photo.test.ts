import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgent } from '../../src/domain/agents.js';
import { addChannelAgent } from '../../src/domain/channels.js';
import { agentSocket, makeChannel, startChat, visitorSocket } from '../support/factories.js';
import { startTestLoket, type TestLoket } from '../support/server.js';

// 1×1 transparent PNG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

describe('agent photos', () => {
  let t: TestLoket;
  beforeAll(async () => {
    t = await startTestLoket('sqlite');
  });
  afterAll(async () => {
    await t.close();
  });

  it('reach visitors as a cacheable URL of their own, not inline in every chat state', async () => {
    const channel = await makeChannel(t);
    const password = 'a long enough password';
    const photoUrl = `data:image/png;base64,${PNG.toString('base64')}`;
    const agent = await createAgent(t.loket.ctx, { email: 'photo-agent@mx.test', name: 'Pia Photo', password, photoUrl });
    await addChannelAgent(t.loket.ctx, channel.id, agent.id);
    const login = await fetch(`${t.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'photo-agent@mx.test', password }) });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const agentWs = await agentSocket(t, { id: agent.id, email: 'photo-agent@mx.test', password, cookie, csrfToken: '', name: 'Pia Photo' });
    const { token, chatId } = await startChat(t, channel);
    const visitor = await visitorSocket(t, token);
    agentWs.send({ type: 'claim', rid: 'c', chatId });
    const state = await visitor.next<{ chat: { agent: { photoUrl: string } | null } }>((f) => f.type === 'chat' && (f.chat as { agent: unknown }).agent !== null);
    const url = state.chat.agent?.photoUrl ?? '';
    expect(url).toMatch(new RegExp(`^/api/agents/${agent.id}/photo\\?v=[\\w-]{12}$`));
    const res = await fetch(`${t.url}${url}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('cache-control')).toContain('immutable');
    expect(Buffer.from(await res.arrayBuffer()).equals(PNG)).toBe(true);
    expect((await fetch(`${t.url}/api/agents/nobody/photo`)).status).toBe(404);
    visitor.close();
    agentWs.close();
  });
});
