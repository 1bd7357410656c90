import * as z from 'zod/mini';
import { LIMITS } from './limits.js';
import { PresenceSchema, TimeSchema } from './model.js';

/**
 * Users: administrators manage agents under /api/admin/users; every agent edits their own profile
 * and password under /api/me. Same session cookie and X-CSRF-Token rules as the rest of /api/admin.
 */

/** A photo may be at most this many bytes (decoded) when given inline as a data URL. */
export const PHOTO_MAX_BYTES = 200 * 1024;
/** Longest https photo URL accepted. */
export const PHOTO_URL_MAX = 2048;
export const PASSWORD_MIN = 10;

const DATA_URL = /^data:image\/(png|jpeg);base64,([A-Za-z0-9+/]*={0,2})$/;

export type PhotoCheck = { ok: true } | { ok: false; reason: 'type' | 'size' | 'url' };

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
  return prefix.every((b, i) => bytes[i] === b);
}

/**
 * An agent's photo: an https URL, or a PNG/JPEG data URL of at most PHOTO_MAX_BYTES whose bytes
 * really are PNG/JPEG (no SVG, no scripts). Pure; shared by the console (early warning) and the server.
 */
export function checkPhotoUrl(value: string): PhotoCheck {
  if (value.startsWith('data:')) {
    const m = DATA_URL.exec(value);
    if (!m) return { ok: false, reason: 'type' };
    const b64 = m[2]!;
    if (b64.length % 4 !== 0) return { ok: false, reason: 'type' };
    const size = (b64.length / 4) * 3 - (b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0);
    if (size > PHOTO_MAX_BYTES) return { ok: false, reason: 'size' };
    const head = atob(b64.slice(0, 16));
    const bytes = Uint8Array.from(head, (c) => c.charCodeAt(0));
    const png = startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const jpeg = startsWith(bytes, [0xff, 0xd8, 0xff]);
    if (m[1] === 'png' ? !png : !jpeg) return { ok: false, reason: 'type' };
    return { ok: true };
  }
  if (value.length > PHOTO_URL_MAX) return { ok: false, reason: 'url' };
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { ok: false, reason: 'url' };
  }
  // eslint-disable-next-line no-control-regex -- control characters and quotes have no place in a URL put into markup.
  if (url.protocol !== 'https:' || url.username || url.password || /[\s"'<>\u0000-\u001f]/.test(value)) return { ok: false, reason: 'url' };
  return { ok: true };
}

export const RoleSchema = z.enum(['admin', 'agent']);
export type Role = z.infer<typeof RoleSchema>;

/** null = no photo (the console shows initials). */
export const PhotoUrlSchema = z.nullable(z.string().check(z.maxLength(Math.ceil(PHOTO_MAX_BYTES / 3) * 4 + 64), z.refine((v) => checkPhotoUrl(v).ok)));

export const PasswordSchema = z.string().check(z.minLength(PASSWORD_MIN), z.maxLength(LIMITS.password));

const NameSchema = z.string().check(z.maxLength(LIMITS.name * 4));
const EmailSchema = z.string().check(z.maxLength(1024));

export const AdminUserSchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  role: RoleSchema,
  photoUrl: z.nullable(z.string()),
  active: z.boolean(),
  presence: PresenceSchema,
  createdAt: TimeSchema,
});
export type AdminUser = z.infer<typeof AdminUserSchema>;

export const UserListSchema = z.strictObject({ users: z.array(AdminUserSchema) });
export type UserList = z.infer<typeof UserListSchema>;

/** POST /api/admin/users — without a password the server generates one and returns it once. */
export const UserCreateInputSchema = z.strictObject({
  name: NameSchema,
  email: EmailSchema,
  role: RoleSchema,
  password: z.optional(PasswordSchema),
  photoUrl: z.optional(PhotoUrlSchema),
});
export type UserCreateInput = z.infer<typeof UserCreateInputSchema>;

/** Response of POST /api/admin/users: `password` only when the server generated it. */
export const UserCreateResultSchema = z.strictObject({ user: AdminUserSchema, password: z.optional(z.string()) });
export type UserCreateResult = z.infer<typeof UserCreateResultSchema>;

/** PUT /api/admin/users/:id */
export const UserUpdateInputSchema = z.strictObject({
  name: NameSchema,
  email: EmailSchema,
  role: RoleSchema,
  photoUrl: PhotoUrlSchema,
});
export type UserUpdateInput = z.infer<typeof UserUpdateInputSchema>;

/** POST /api/admin/users/:id/reset-password — the new password, shown once. */
export const PasswordResetResultSchema = z.strictObject({ password: z.string() });
export type PasswordResetResult = z.infer<typeof PasswordResetResultSchema>;

/** PUT /api/me/profile */
export const ProfileUpdateInputSchema = z.strictObject({ name: NameSchema, photoUrl: PhotoUrlSchema });
export type ProfileUpdateInput = z.infer<typeof ProfileUpdateInputSchema>;

/** POST /api/me/password — the agent's other sessions end; this one stays. */
export const PasswordChangeInputSchema = z.strictObject({
  currentPassword: z.string().check(z.maxLength(LIMITS.password)),
  newPassword: PasswordSchema,
});
export type PasswordChangeInput = z.infer<typeof PasswordChangeInputSchema>;
