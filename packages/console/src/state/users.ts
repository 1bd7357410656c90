import { checkPhotoUrl, PASSWORD_MIN, PHOTO_MAX_BYTES, type AdminUser, type Role, type UserUpdateInput } from '@loket/protocol';
import type { MessageKey } from '../i18n/index.js';

/** Pure helpers of the Users view and My profile. */

export interface UserForm {
  name: string;
  email: string;
  role: Role;
  /** '' = no photo. */
  photoUrl: string;
}

export function userForm(user: AdminUser | null): UserForm {
  return user ? { name: user.name, email: user.email, role: user.role, photoUrl: user.photoUrl ?? '' } : { name: '', email: '', role: 'agent', photoUrl: '' };
}

export function sameUserForm(a: UserForm, b: UserForm): boolean {
  return a.name === b.name && a.email === b.email && a.role === b.role && a.photoUrl === b.photoUrl;
}

export function photoValue(photoUrl: string): string | null {
  const trimmed = photoUrl.trim();
  return trimmed === '' ? null : trimmed;
}

export function updateInput(form: UserForm): UserUpdateInput {
  return { name: form.name, email: form.email, role: form.role, photoUrl: photoValue(form.photoUrl) };
}

/** Users by name (active ones first), for the list. */
export function sortUsers(users: readonly AdminUser[]): AdminUser[] {
  return [...users].sort((a, b) => Number(b.active) - Number(a.active) || a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}

export function upsertUser(users: readonly AdminUser[], user: AdminUser): AdminUser[] {
  return sortUsers([...users.filter((u) => u.id !== user.id), user]);
}

/** What is wrong with a photo before it is sent (the server checks the same); null when fine or empty. */
export function photoProblem(photoUrl: string): MessageKey | null {
  const value = photoValue(photoUrl);
  if (value === null) return null;
  const check = checkPhotoUrl(value);
  if (check.ok) return null;
  return check.reason === 'size' ? 'users.photoTooLarge' : check.reason === 'type' ? 'users.photoType' : 'users.photoInvalid';
}

/** A chosen photo file, before it is read: only PNG/JPEG and at most PHOTO_MAX_BYTES. */
export function photoFileProblem(file: { type: string; size: number }): MessageKey | null {
  if (file.type !== 'image/png' && file.type !== 'image/jpeg') return 'users.photoType';
  if (file.size > PHOTO_MAX_BYTES) return 'users.photoTooLarge';
  return null;
}

export function passwordProblem(password: string): MessageKey | null {
  return [...password].length < PASSWORD_MIN ? 'profile.passwordShort' : null;
}

/** Why the server refused to deactivate or demote (ErrorBody.detail of `forbidden`). */
export function forbiddenReason(detail: string | null): MessageKey | null {
  if (detail === 'self') return 'users.cannotSelf';
  if (detail === 'last_admin') return 'users.lastAdmin';
  return null;
}

