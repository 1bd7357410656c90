import {
  PasswordChangeInputSchema,
  PHOTO_MAX_BYTES,
  ProfileUpdateInputSchema,
  UserCreateInputSchema,
  UserUpdateInputSchema,
  type AdminUser,
  type AgentSelf,
  type PasswordResetResult,
  type UserCreateResult,
  type UserList,
} from '@loket/protocol';
import type { FastifyInstance } from 'fastify';
import type { Ctx } from '../domain/context.js';
import { changePassword, createUser, listUsers, resetPassword, setUserActive, updateProfile, updateUser } from '../domain/users.js';
import { requireAgent } from './auth.js';
import { parse } from './parse.js';

type IdParams = { Params: { id: string } };

/** Room for a photo given inline (PHOTO_MAX_BYTES, base64) and the rest of the form. */
const withPhoto = { bodyLimit: Math.ceil(PHOTO_MAX_BYTES / 3) * 4 + 16 * 1024 };

/** Users (administrators) and the signed-in agent's own profile and password. */
export function adminUserRoutes(app: FastifyInstance, ctx: Ctx): void {
  app.get('/api/admin/users', async (req, reply): Promise<UserList> => {
    const actor = await requireAgent(req, ctx);
    reply.header('Cache-Control', 'no-store');
    return { users: await listUsers(ctx, actor) };
  });

  app.post('/api/admin/users', withPhoto, async (req, reply): Promise<UserCreateResult> => {
    const actor = await requireAgent(req, ctx);
    const result = await createUser(ctx, actor, parse(UserCreateInputSchema, req.body));
    reply.status(201).header('Cache-Control', 'no-store');
    return result;
  });

  app.put<IdParams>('/api/admin/users/:id', withPhoto, async (req): Promise<AdminUser> => {
    const actor = await requireAgent(req, ctx);
    return updateUser(ctx, actor, req.params.id, parse(UserUpdateInputSchema, req.body));
  });

  app.post<IdParams>('/api/admin/users/:id/deactivate', async (req): Promise<AdminUser> => {
    const actor = await requireAgent(req, ctx);
    return setUserActive(ctx, actor, req.params.id, false);
  });

  app.post<IdParams>('/api/admin/users/:id/activate', async (req): Promise<AdminUser> => {
    const actor = await requireAgent(req, ctx);
    return setUserActive(ctx, actor, req.params.id, true);
  });

  app.post<IdParams>('/api/admin/users/:id/reset-password', async (req, reply): Promise<PasswordResetResult> => {
    const actor = await requireAgent(req, ctx);
    reply.header('Cache-Control', 'no-store');
    return resetPassword(ctx, actor, req.params.id);
  });

  app.put('/api/me/profile', withPhoto, async (req): Promise<AgentSelf> => {
    const actor = await requireAgent(req, ctx);
    return updateProfile(ctx, actor, parse(ProfileUpdateInputSchema, req.body));
  });

  app.post('/api/me/password', async (req, reply) => {
    const actor = await requireAgent(req, ctx);
    await changePassword(ctx, actor, parse(PasswordChangeInputSchema, req.body));
    return reply.status(204).send();
  });
}
