import type { AgentSelf, LoginInput, Presence } from '@loket/protocol';
import type { Executor } from '../db/database.js';
import type { AgentsTable } from '../db/schema.js';
import { topics } from '../realtime/bus.js';
import { publishAvailabilityCheck } from '../realtime/availability-push.js';
import type { AgentActor } from './actors.js';
import { inTransaction, type Ctx } from './context.js';
import { AppError } from './errors.js';
import { newId, randomToken, sha256 } from './ids.js';
import { hashPassword, verifyPassword } from './passwords.js';

export interface NewAgent {
  email: string;
  name: string;
  password: string;
  role?: 'admin' | 'agent';
  photoUrl?: string | null;
}

export async function createAgent(ctx: Ctx, input: NewAgent): Promise<AgentsTable> {
  const row: AgentsTable = {
    id: newId(),
    email: input.email.trim().toLowerCase(),
    name: input.name,
    password_hash: await hashPassword(input.password),
    role: input.role ?? 'agent',
    photo_url: input.photoUrl ?? null,
    presence: 'away',
    active: 1,
    created_at: ctx.now(),
  };
  await ctx.db.insertInto('agents').values(row).execute();
  return row;
}

// Verifying against a real hash even for unknown e-mails keeps response times from revealing accounts.
let dummyHash: Promise<string> | null = null;

export interface LoginResult {
  token: string;
  csrfToken: string;
  agent: AgentsTable;
  expiresAt: number;
}

/** Signs an agent in: a new session; the agent becomes Present. */
export async function login(ctx: Ctx, input: LoginInput, ttlHours: number): Promise<LoginResult> {
  const agent = await ctx.db.selectFrom('agents').selectAll().where('email', '=', input.email.trim().toLowerCase()).executeTakeFirst();
  if (!agent || agent.active !== 1) {
    dummyHash ??= hashPassword('not-a-real-password');
    await verifyPassword(input.password, await dummyHash);
    throw new AppError('invalid_credentials');
  }
  if (!(await verifyPassword(input.password, agent.password_hash))) throw new AppError('invalid_credentials');
  const token = randomToken();
  const csrfToken = randomToken(24);
  const now = ctx.now();
  const expiresAt = now + ttlHours * 3600_000;
  await inTransaction(ctx, async (tx, publish) => {
    await tx.insertInto('sessions').values({ id: sha256(token), agent_id: agent.id, csrf_token: csrfToken, created_at: now, expires_at: expiresAt }).execute();
    await tx.updateTable('agents').set({ presence: 'present' }).where('id', '=', agent.id).execute();
    publish(topics.agent(agent.id), { kind: 'presence', presence: 'present' });
    publishAvailabilityCheck(publish);
  });
  return { token, csrfToken, agent: { ...agent, presence: 'present' }, expiresAt };
}

export async function sessionFromToken(ctx: Ctx, token: string | undefined): Promise<(AgentActor & { csrfToken: string }) | null> {
  if (!token || token.length > 100) return null;
  const row = await ctx.db
    .selectFrom('sessions')
    .innerJoin('agents', 'agents.id', 'sessions.agent_id')
    .selectAll('agents')
    .select(['sessions.id as session_id', 'sessions.csrf_token', 'sessions.expires_at'])
    .where('sessions.id', '=', sha256(token))
    .executeTakeFirst();
  if (!row || row.expires_at <= ctx.now() || row.active !== 1) return null;
  const { session_id, csrf_token, expires_at: _expires, ...agent } = row;
  return { kind: 'agent', agent, sessionId: session_id, csrfToken: csrf_token };
}

/** Ends the session; its sockets are closed on every node. Last session out → Away. */
export async function logout(ctx: Ctx, actor: AgentActor): Promise<void> {
  await inTransaction(ctx, async (tx, publish) => {
    await tx.deleteFrom('sessions').where('id', '=', actor.sessionId).execute();
    publish(topics.agent(actor.agent.id), { kind: 'sessionEnded', sessionId: actor.sessionId });
    const other = await tx.selectFrom('sessions').select('id').where('agent_id', '=', actor.agent.id).where('expires_at', '>', ctx.now()).executeTakeFirst();
    if (!other) {
      await tx.updateTable('agents').set({ presence: 'away' }).where('id', '=', actor.agent.id).execute();
      publish(topics.agent(actor.agent.id), { kind: 'presence', presence: 'away' });
      publishAvailabilityCheck(publish);
    }
  });
}

export async function setPresence(ctx: Ctx, actor: AgentActor, presence: Presence): Promise<void> {
  await inTransaction(ctx, async (tx, publish) => {
    await tx.updateTable('agents').set({ presence }).where('id', '=', actor.agent.id).execute();
    publish(topics.agent(actor.agent.id), { kind: 'presence', presence });
    publishAvailabilityCheck(publish);
  });
}

export async function agentSelf(db: Executor, agentId: string): Promise<AgentSelf> {
  const agent = await db.selectFrom('agents').selectAll().where('id', '=', agentId).executeTakeFirstOrThrow();
  const channels =
    agent.role === 'admin'
      ? await db.selectFrom('channels').select(['id', 'key', 'name', 'language']).orderBy('name').execute()
      : await db
          .selectFrom('channels')
          .innerJoin('channel_agents', 'channel_agents.channel_id', 'channels.id')
          .select(['channels.id', 'channels.key', 'channels.name', 'channels.language'])
          .where('channel_agents.agent_id', '=', agentId)
          .orderBy('channels.name')
          .execute();
  return {
    id: agent.id,
    name: agent.name,
    email: agent.email,
    role: agent.role,
    photoUrl: agent.photo_url,
    presence: agent.presence,
    channels: channels.map((c) => ({ ...c, language: c.language as AgentSelf['channels'][number]['language'] })),
  };
}
