import { randomBytes, randomUUID } from 'node:crypto';
import { ErrorBodySchema, type FaqInput, type StartChatInput } from '@loket/protocol';
import { createFaq } from '../../src/domain/knowledge-base.js';
import { createFolder } from '../../src/domain/knowledge-base-folders.js';
import { addChannelAgent, createChannel, type ChannelPermissions, type NewChannel } from '../../src/domain/channels.js';
import { createAgent } from '../../src/domain/agents.js';
import type { ChannelsTable } from '../../src/db/schema.js';
import { DNS_TEST_ZONES } from './dns-server.js';
import type { TestLoket } from './server.js';
import { TestSocket } from './ws-client.js';

let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}`;

export const SHOP_ORIGIN = 'http://shop.example';

export async function makeChannel(t: TestLoket, input: Partial<NewChannel> = {}): Promise<ChannelsTable> {
  return createChannel(t.loket.ctx, { key: `ch-${unique()}`, name: `Channel ${unique()}`, allowedOrigins: [SHOP_ORIGIN], ...input });
}

export interface TestAgent {
  id: string;
  email: string;
  password: string;
  cookie: string;
  csrfToken: string;
  name: string;
}

/** An agent serving `channels`, signed in through the real login endpoint. */
export async function makeAgent(
  t: TestLoket,
  channels: ChannelsTable[],
  opts: { role?: 'admin' | 'agent'; permissions?: ChannelPermissions; name?: string } = {},
): Promise<TestAgent> {
  const email = `agent-${unique()}@${DNS_TEST_ZONES.mx}`;
  const password = `pw-${randomUUID()}`;
  const name = opts.name ?? `Agent ${unique()}`;
  const agent = await createAgent(t.loket.ctx, { email, name, password, role: opts.role ?? 'agent' });
  for (const c of channels) await addChannelAgent(t.loket.ctx, c.id, agent.id, opts.permissions ?? {});
  const res = await fetch(`${t.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const body = (await res.json()) as { csrfToken: string };
  return { id: agent.id, email, password, cookie, csrfToken: body.csrfToken, name };
}

export const newToken = (): string => randomBytes(32).toString('base64url');
export const newClientMsgId = (): string => randomUUID().replace(/-/g, '');

export function chatInput(overrides: Partial<StartChatInput> = {}): StartChatInput {
  return {
    token: newToken(),
    name: 'Customer Example',
    email: `customer@${DNS_TEST_ZONES.mx}`,
    fields: {},
    question: 'Where is my order?',
    clientMsgId: newClientMsgId(),
    ...overrides,
  };
}

export async function postJson(t: TestLoket, path: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${t.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : null };
}

/** Starts a chat through the widget API; returns its token and id. */
export async function startChat(t: TestLoket, channel: ChannelsTable, overrides: Partial<StartChatInput> = {}) {
  const input = chatInput(overrides);
  const res = await postJson(t, `/api/widget/channels/${channel.key}/chats`, input);
  if (res.status !== 201) throw new Error(`start chat failed: ${res.status} ${JSON.stringify(res.body)}`);
  const chat = (res.body as { chat: { id: string } }).chat;
  return { token: input.token, chatId: chat.id, input, body: res.body as { chat: Record<string, unknown> } };
}

export async function visitorSocket(t: TestLoket, token: string, lastSeq = 0): Promise<TestSocket> {
  const s = await TestSocket.open(`${t.wsUrl}/ws/visitor`);
  s.send({ type: 'auth', token, lastSeq });
  return s;
}

export async function agentSocket(t: TestLoket, agent: TestAgent): Promise<TestSocket> {
  const s = await TestSocket.open(`${t.wsUrl}/ws/agent`, { cookie: agent.cookie });
  await s.next((f) => f.type === 'ready');
  return s;
}

/** A console API request as `who` (session cookie, plus the CSRF token on writes), or anonymously with null. */
export function requestAs(t: TestLoket, method: string, path: string, who: TestAgent | null, body?: unknown): Promise<Response> {
  const headers: Record<string, string> = {};
  if (who) headers.cookie = who.cookie;
  if (who && method !== 'GET') headers['x-csrf-token'] = who.csrfToken;
  if (body !== undefined) headers['content-type'] = 'application/json';
  return fetch(`${t.url}${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
}

/** requestAs, with the JSON body parsed. */
export async function callAs(t: TestLoket, method: string, path: string, who: TestAgent | null, body?: unknown): Promise<{ status: number; body: unknown }> {
  const res = await requestAs(t, method, path, who, body);
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : null };
}

/** An FAQ through the knowledge base's own action (as the `loket faq` command acts); published to everyone unless told. */
export async function makeFaq(t: TestLoket, input: Partial<FaqInput> = {}) {
  return createFaq(
    t.loket.ctx,
    { kind: 'system' },
    { folderId: null, language: 'en', question: `Question ${unique()}`, answer: 'An answer.', keywords: [], published: true, visibility: 'everyone', ...input },
    t.config.publicUrl,
  );
}

export async function makeFaqFolder(t: TestLoket, name: string, parentId: string | null = null) {
  return createFolder(t.loket.ctx, { kind: 'system' }, { name, parentId });
}

/** An HTTP error answer as the admin tests compare it: its status, stable code and the field it is about. */
export function fieldError(res: { status: number; body: unknown }) {
  const e = ErrorBodySchema.parse(res.body).error;
  return { status: res.status, code: e.code, field: e.field };
}
