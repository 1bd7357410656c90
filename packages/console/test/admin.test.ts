import type { ReplyTemplate } from '@loket/protocol';
import { describe, expect, it } from 'vitest';
import { fieldOf, formatMailbox, insertAt, replaceEmail, samePostchat, sortTemplates, templateInput, upsertTemplate, variableToken } from '../src/state/admin.js';

function template(id: string, name: string, builtin = false): ReplyTemplate {
  return { id, name, language: 'en', subject: `S ${id}`, body: `B ${id}`, builtin, updatedAt: 1 };
}

describe('variables help', () => {
  it('inserts {{variable}} in place of the selection and puts the caret after it', () => {
    expect(insertAt('Hello !', 6, 6, variableToken('customer.name'))).toEqual({ value: 'Hello {{customer.name}}!', caret: 23 });
    expect(insertAt('Hello XXX!', 6, 9, '{{agent.name}}')).toEqual({ value: 'Hello {{agent.name}}!', caret: 20 });
  });

  it('appends when the field never had a caret, and clamps stale positions', () => {
    expect(insertAt('abc', null, null, 'X')).toEqual({ value: 'abcX', caret: 4 });
    expect(insertAt('abc', 10, 12, 'X')).toEqual({ value: 'abcX', caret: 4 });
    expect(insertAt('abc', 2, 1, 'X')).toEqual({ value: 'abXc', caret: 3 });
  });
});

describe('form helpers', () => {
  it('maps server field names to form fields', () => {
    expect(fieldOf('body')).toBe('body');
    expect(fieldOf('postchat.header')).toBe('header');
    expect(fieldOf('/postchat/message')).toBe('message');
    expect(fieldOf(undefined)).toBeNull();
    expect(fieldOf('')).toBeNull();
  });

  it('starts a new template in the given language and an existing one from its fields', () => {
    expect(templateInput(null, 'nl')).toEqual({ name: '', language: 'nl', subject: '', body: '' });
    expect(templateInput(template('t1', 'A'), 'nl')).toEqual({ name: 'A', language: 'en', subject: 'S t1', body: 'B t1' });
  });

  it('keeps template lists sorted by name after an upsert', () => {
    const list = sortTemplates([template('b', 'Beta'), template('a', 'Alpha', true)]);
    expect(list.map((x) => x.id)).toEqual(['a', 'b']);
    expect(upsertTemplate(list, template('c', 'Aardvark')).map((x) => x.id)).toEqual(['c', 'a', 'b']);
    expect(upsertTemplate(list, { ...template('b', 'Zulu') }).map((x) => x.name)).toEqual(['Alpha', 'Zulu']);
  });

  it('formats mailboxes and replaces e-mails by id', () => {
    expect(formatMailbox({ name: 'Sam', address: 'sam@example.com' })).toBe('Sam <sam@example.com>');
    expect(formatMailbox({ name: ' ', address: 'sam@example.com' })).toBe('sam@example.com');
    const email = { id: 'e1', kind: 'transcript' as const, to: { name: '', address: 'a@b.c' }, subject: 's', status: 'failed' as const, attempts: 3, lastError: 'x', chatId: null, createdAt: 1, nextAttemptAt: 1, sentAt: null };
    expect(replaceEmail([email], { ...email, status: 'queued' })[0]?.status).toBe('queued');
    expect(replaceEmail([email], { ...email, id: 'e2' })).toEqual([email]);
  });

  it('compares post-chat settings field by field', () => {
    const a = { enabled: true, header: '', message: '', rating: true, transcript: false, transcriptTemplateId: null };
    expect(samePostchat(a, { ...a })).toBe(true);
    expect(samePostchat(a, { ...a, transcriptTemplateId: 't1' })).toBe(false);
  });
});
