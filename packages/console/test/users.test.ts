import type { AdminUser } from '@loket/protocol';
import { describe, expect, it } from 'vitest';
import { forbiddenReason, passwordProblem, photoFileProblem, photoProblem, sameUserForm, sortUsers, updateInput, upsertUser, userForm } from '../src/state/users.js';

const user = (over: Partial<AdminUser>): AdminUser => ({ id: 'u', name: 'N', email: 'n@example.com', role: 'agent', photoUrl: null, active: true, presence: 'away', createdAt: 1, ...over });
const png = `data:image/png;base64,${btoa(String.fromCharCode(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3))}`;

describe('the user form', () => {
  it('starts empty as an agent, or from the user; an empty photo means none', () => {
    expect(userForm(null)).toEqual({ name: '', email: '', role: 'agent', photoUrl: '' });
    const u = user({ name: 'Kim', role: 'admin', photoUrl: 'https://x.example/k.png' });
    expect(userForm(u)).toEqual({ name: 'Kim', email: 'n@example.com', role: 'admin', photoUrl: 'https://x.example/k.png' });
    expect(sameUserForm(userForm(u), userForm(u))).toBe(true);
    expect(sameUserForm(userForm(u), { ...userForm(u), role: 'agent' })).toBe(false);
    expect(updateInput({ name: 'A', email: 'a@b.nl', role: 'agent', photoUrl: '  ' })).toEqual({ name: 'A', email: 'a@b.nl', role: 'agent', photoUrl: null });
  });

  it('sorts active users first, then by name; upsert replaces by id', () => {
    const list = sortUsers([user({ id: '1', name: 'Bo' }), user({ id: '2', name: 'Al', active: false }), user({ id: '3', name: 'Ax' })]);
    expect(list.map((u) => u.id)).toEqual(['3', '1', '2']);
    expect(upsertUser(list, user({ id: '2', name: 'Al', active: true })).map((u) => u.id)).toEqual(['2', '3', '1']);
    expect(upsertUser(list, user({ id: '4', name: 'Zed' }))).toHaveLength(4);
  });
});

describe('checks before sending', () => {
  it('photos: https or a real PNG/JPEG within 200 KB', () => {
    expect(photoProblem('')).toBeNull();
    expect(photoProblem('https://cdn.example.com/me.jpg')).toBeNull();
    expect(photoProblem(png)).toBeNull();
    expect(photoProblem('http://cdn.example.com/me.jpg')).toBe('users.photoInvalid');
    expect(photoProblem('data:image/svg+xml;base64,PHN2Zy8+')).toBe('users.photoType');
    expect(photoFileProblem({ type: 'image/svg+xml', size: 10 })).toBe('users.photoType');
    expect(photoFileProblem({ type: 'image/png', size: 300 * 1024 })).toBe('users.photoTooLarge');
    expect(photoFileProblem({ type: 'image/jpeg', size: 1000 })).toBeNull();
  });

  it('passwords need 10 characters', () => {
    expect(passwordProblem('short')).toBe('profile.passwordShort');
    expect(passwordProblem('long enough')).toBeNull();
  });

  it('explains why a deactivation was refused', () => {
    expect(forbiddenReason('self')).toBe('users.cannotSelf');
    expect(forbiddenReason('last_admin')).toBe('users.lastAdmin');
    expect(forbiddenReason(null)).toBeNull();
  });
});
