import {
  checkEmailSyntax,
  LIMITS,
  type AdminUser,
  type AgentSelf,
  type PasswordChangeInput,
  type PasswordResetResult,
  type ProfileUpdateInput,
  type UserCreateInput,
  type UserCreateResult,
  type UserUpdateInput,
} from '@loket/protocol';
import { isUniqueViolation, type Executor, type Tx } from '../db/database.js';
import type { AgentsTable } from '../db/schema.js';
import { topics } from '../realtime/bus.js';
import { publishAvailabilityCheck } from '../realtime/availability-push.js';
import { requireAdmin } from './access.js';
import type { AgentActor } from './actors.js';
import { agentSelf } from './agents.js';
import { inTransaction, type Ctx, type Publish } from './context.js';
import { AppError, assertLine } from './errors.js';
import { newId, randomToken } from './ids.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { requeueAgentChats } from './chats.js';

/**
 * Users: administrators create, edit, deactivate and reactivate agents and reset their passwords;
 * every agent edits their own name, photo and password. A deactivated agent's sessions end at once,
 * and with them their sockets on every node (the `sessionEnded` bus message).
 */

function toAdminUser(row: AgentsTable): AdminUser {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    role: row.role,
    photoUrl: row.photo_url,
    active: row.active === 1,
    presence: row.presence,
    createdAt: row.created_at,
  };
}

function validName(value: string): string {
  const name = value.trim();
  if (name === '') throw new AppError('field_required', 'name');
  if ([...name].length > LIMITS.name) throw new AppError('validation_failed', 'name');
  return assertLine(name, 'name');
}

function validEmail(value: string): string {
  if (value.trim() === '') throw new AppError('field_required', 'email');
  const check = checkEmailSyntax(value);
  if (!check.ok) throw new AppError(check.code, 'email');
  return `${check.local}@${check.asciiDomain}`.toLowerCase();
}

/** 18 random bytes: 24 characters of base64url, well above the minimum length. */
const generatePassword = (): string => randomToken(18);

async function userRow(db: Executor, id: string): Promise<AgentsTable> {
  const row = await db.selectFrom('agents').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new AppError('not_found');
  return row;
}

async function ensureEmailFree(db: Executor, email: string, exceptId: string | null): Promise<void> {
  let q = db.selectFrom('agents').select('id').where('email', '=', email);
  if (exceptId) q = q.where('id', '!=', exceptId);
  if (await q.executeTakeFirst()) throw new AppError('email_taken', 'email');
}

/** Refuses a change that would leave no active administrator. */
async function ensureAnotherAdmin(db: Executor, id: string): Promise<void> {
  const other = await db.selectFrom('agents').select('id').where('role', '=', 'admin').where('active', '=', 1).where('id', '!=', id).executeTakeFirst();
  if (!other) throw new AppError('forbidden', undefined, 'last active administrator', 'last_admin');
}

/** Ends sessions of the agent (all, or all but `keep`); their sockets close on every node. */
async function endSessions(tx: Tx, publish: Publish, agentId: string, keep: string | null): Promise<void> {
  let q = tx.selectFrom('sessions').select('id').where('agent_id', '=', agentId);
  if (keep) q = q.where('id', '!=', keep);
  const sessions = await q.execute();
  if (sessions.length === 0) return;
  await tx
    .deleteFrom('sessions')
    .where(
      'id',
      'in',
      sessions.map((s) => s.id),
    )
    .execute();
  for (const s of sessions) publish(topics.agent(agentId), { kind: 'sessionEnded', sessionId: s.id });
  if (!keep) {
    await tx.updateTable('agents').set({ presence: 'away' }).where('id', '=', agentId).execute();
    publish(topics.agent(agentId), { kind: 'presence', presence: 'away' });
    publishAvailabilityCheck(publish);
  }
}

export async function listUsers(ctx: Ctx, actor: AgentActor): Promise<AdminUser[]> {
  requireAdmin(actor);
  const rows = await ctx.db.selectFrom('agents').selectAll().orderBy('name').orderBy('id').execute();
  return rows.map(toAdminUser);
}

export async function createUser(ctx: Ctx, actor: AgentActor, input: UserCreateInput): Promise<UserCreateResult> {
  requireAdmin(actor);
  const name = validName(input.name);
  const email = validEmail(input.email);
  const password = input.password ?? generatePassword();
  const row: AgentsTable = {
    id: newId(),
    email,
    name,
    password_hash: await hashPassword(password),
    role: input.role,
    photo_url: input.photoUrl ?? null,
    presence: 'away',
    active: 1,
    created_at: ctx.now(),
  };
  try {
    await ctx.transact(async (tx) => {
      await ensureEmailFree(tx, email, null);
      await tx.insertInto('agents').values(row).execute();
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('email_taken', 'email');
    throw err;
  }
  return { user: toAdminUser(row), ...(input.password === undefined ? { password } : {}) };
}

export async function updateUser(ctx: Ctx, actor: AgentActor, id: string, input: UserUpdateInput): Promise<AdminUser> {
  requireAdmin(actor);
  const name = validName(input.name);
  const email = validEmail(input.email);
  try {
    const row = await inTransaction(ctx, async (tx, publish) => {
      const current = await userRow(tx, id);
      await ensureEmailFree(tx, email, id);
      if (current.role === 'admin' && input.role !== 'admin' && current.active === 1) await ensureAnotherAdmin(tx, id);
      // Their open console shows or hides the admin area and its own name at once.
      if (current.role !== input.role || current.name !== name || current.email !== email) publish(topics.agent(id), { kind: 'accessChanged' });
      return tx.updateTable('agents').set({ name, email, role: input.role, photo_url: input.photoUrl }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
    });
    return toAdminUser(row);
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('email_taken', 'email');
    throw err;
  }
}

/**
 * Deactivating ends every session of the agent at once (their sockets close) and makes them Away;
 * they can no longer sign in. An administrator cannot deactivate themself or the last active one.
 */
export async function setUserActive(ctx: Ctx, actor: AgentActor, id: string, active: boolean): Promise<AdminUser> {
  requireAdmin(actor);
  if (!active && id === actor.agent.id) throw new AppError('forbidden', undefined, 'cannot deactivate oneself', 'self');
  const row = await inTransaction(ctx, async (tx, publish) => {
    const current = await userRow(tx, id);
    if (!active && current.role === 'admin' && current.active === 1) await ensureAnotherAdmin(tx, id);
    await tx.updateTable('agents').set({ active: active ? 1 : 0 }).where('id', '=', id).execute();
    if (!active) {
      await endSessions(tx, publish, id, null);
      await requeueAgentChats(tx, ctx, id, publish);
    }
    return userRow(tx, id);
  });
  return toAdminUser(row);
}

/** A new random password, returned once; every session of the agent ends. */
export async function resetPassword(ctx: Ctx, actor: AgentActor, id: string): Promise<PasswordResetResult> {
  requireAdmin(actor);
  const password = generatePassword();
  const hash = await hashPassword(password);
  await inTransaction(ctx, async (tx, publish) => {
    await userRow(tx, id);
    await tx.updateTable('agents').set({ password_hash: hash }).where('id', '=', id).execute();
    await endSessions(tx, publish, id, null);
  });
  return { password };
}

/** The agent's own name and photo. */
export async function updateProfile(ctx: Ctx, actor: AgentActor, input: ProfileUpdateInput): Promise<AgentSelf> {
  const name = validName(input.name);
  await ctx.transact((tx) => tx.updateTable('agents').set({ name, photo_url: input.photoUrl }).where('id', '=', actor.agent.id).execute());
  return agentSelf(ctx.db, actor.agent.id);
}

/** The agent's own password; needs the current one. Their other sessions end, this one stays. */
export async function changePassword(ctx: Ctx, actor: AgentActor, input: PasswordChangeInput): Promise<void> {
  const current = await userRow(ctx.db, actor.agent.id);
  if (!(await verifyPassword(input.currentPassword, current.password_hash))) throw new AppError('validation_failed', 'currentPassword');
  const hash = await hashPassword(input.newPassword);
  await inTransaction(ctx, async (tx, publish) => {
    await tx.updateTable('agents').set({ password_hash: hash }).where('id', '=', actor.agent.id).execute();
    await endSessions(tx, publish, actor.agent.id, actor.sessionId);
  });
}
