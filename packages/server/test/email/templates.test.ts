import { ErrorBodySchema, LANGUAGES, ReplyTemplateSchema, TemplateListSchema, TemplatePreviewSchema, type ReplyTemplate } from '@loket/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/domain/errors.js';
import { ensureBuiltinTemplates } from '../../src/email/default-templates.js';
import { compileTemplate, renderTemplate, type TemplateVars } from '../../src/email/templates.js';
import { callAs, makeAgent, makeChannel, type TestAgent } from '../support/factories.js';
import { DIALECTS, startTestLoket, type TestLoket } from '../support/server.js';

const vars: TemplateVars = {
  customer: { name: 'Sam', email: 'sam@example.com' },
  agent: { name: 'Alex' },
  channel: { name: 'Shop' },
  chat: { id: 'c1', startedAt: 'today', endedAt: 'later' },
  request: { id: '', question: '' },
  transcript: [{ time: '10:00', author: 'Sam', text: 'Hi <b>there</b>', kind: 'message' }],
};

function templateError(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected template_invalid');
}

describe('the template language', () => {
  it.each([
    ['{{customer.nmae}}', 'unknown variable customer.nmae'],
    ['{{{customer.name}}}', 'unescaped'],
    ['{{&customer.name}}', 'unescaped'],
    ['{{> header}}', 'partials'],
    ['{{#> layout}}x{{/layout}}', 'partials'],
    ['{{*inline}}', 'decorators'],
    ['{{lookup customer "name"}}', 'helpers'],
    ['{{customer.name "x"}}', 'helpers'],
    ['{{#each transcript}}x{{/each}}', 'only {{#if}} and {{#unless}}'],
    ['{{#with customer}}{{name}}{{/with}}', 'only {{#if}} and {{#unless}}'],
    ['{{#if customer.name customer.email}}x{{/if}}', 'exactly one variable'],
    ['{{#if (lookup customer "name")}}x{{/if}}', 'unknown variable'],
    ['{{this.customer.name}}', 'unknown variable'],
    ['{{../customer.name}}', 'unknown variable'],
    ['{{@root.customer.name}}', 'unknown variable'],
    ['{{[customer.name]}}', 'unknown variable'],
    ['{{customer.name.constructor}}', 'unknown variable'],
    ['{{constructor.constructor}}', 'unknown variable'],
    ['{{#if customer.name}}open', 'Parse error'],
  ])('refuses %s', (body, detail) => {
    const err = templateError(() => compileTemplate({ subject: 'Hi', body: `Hello\n${body}` }));
    expect(err.code).toBe('template_invalid');
    expect(err.field).toBe('body');
    expect(err.clientDetail).toContain(detail);
  });

  it('names the line of an unknown variable, and the subject when it is there', () => {
    expect(templateError(() => compileTemplate({ subject: 'x', body: 'Hello\n{{customer.nmae}}' })).clientDetail).toBe('unknown variable customer.nmae on line 2');
    const err = templateError(() => compileTemplate({ subject: 'About {{transcript}}', body: 'x' }));
    expect(err.field).toBe('subject');
  });

  it('renders text unescaped, HTML escaped, and the subject as one line', () => {
    const compiled = compileTemplate({
      language: 'nl',
      subject: 'Chat with {{channel.name}}\r\nBcc: evil@example.com',
      body: '{{#if customer.name}}\nDear {{customer.name}},\n{{else}}\nHello,\n{{/if}}\n\nTom & Jerry <3\nsecond line\n\n{{transcript}}\n\n{{#unless request.id}}\nNo request.\n{{/unless}}',
    });
    const out = renderTemplate(compiled, { ...vars, customer: { name: '<script>x</script>', email: '' } });
    expect(out.subject).toBe('Chat with Shop Bcc: evil@example.com');
    expect(out.text).toBe('Dear <script>x</script>,\n\nTom & Jerry <3\nsecond line\n\n[10:00] Sam: Hi <b>there</b>\n\nNo request.');
    expect(out.html).toContain('<html lang="nl">');
    expect(out.html).toContain('Dear &lt;script&gt;x&lt;/script&gt;,');
    expect(out.html).toContain('Tom &amp; Jerry &lt;3<br>\nsecond line');
    expect(out.html).toContain('Hi &lt;b&gt;there&lt;/b&gt;');
    expect(out.html).not.toMatch(/<script|<b>there/);
    expect(out.html).toMatch(/<\/p>\n<table[^>]*>.*<\/table>\n<p/s);
  });

  it('bounds the subject and drops control characters', () => {
    const compiled = compileTemplate({ subject: '{{customer.name}}', body: 'x' });
    const out = renderTemplate(compiled, { ...vars, customer: { name: `a\u0000b\tc${'x'.repeat(1000)}`, email: '' } });
    expect(out.subject.startsWith('a b c')).toBe(true);
    expect(out.subject.length).toBeLessThanOrEqual(300);
  });
});

describe.each(DIALECTS)('reply templates over HTTP on %s', (dialect) => {
  let t: TestLoket;
  let admin: TestAgent;
  beforeAll(async () => {
    t = await startTestLoket(dialect);
    admin = await makeAgent(t, [], { role: 'admin' });
  });
  afterAll(async () => {
    await t.close();
  });

  const call = (method: string, path: string, who: TestAgent | null, body?: unknown) => callAs(t, method, path, who, body);
  const list = async () => TemplateListSchema.parse((await call('GET', '/api/admin/templates', admin)).body).templates;
  const input = { name: 'Follow-up', language: 'en', subject: 'About your chat with {{channel.name}}', body: 'Hello {{customer.name}},\n\nThanks!' };

  it('ships the transcript template in all 8 languages, not deletable, and keeps edits across restarts', async () => {
    // The request confirmation is shipped too (requests.test.ts); this test is about the transcript.
    const builtins = (await list()).filter((x) => x.builtin && x.body.includes('{{transcript}}'));
    expect(builtins.map((x) => x.language).sort()).toEqual([...LANGUAGES].sort());
    const nl = builtins.find((x) => x.language === 'nl') as ReplyTemplate;
    expect(nl.subject).toContain('{{channel.name}}');
    expect(nl.body).toContain('{{transcript}}');
    for (const b of builtins) expect(() => compileTemplate({ subject: b.subject, body: b.body })).not.toThrow();

    const del = await call('DELETE', `/api/admin/templates/${nl.id}`, admin);
    expect(del.status).toBe(403);
    expect(ErrorBodySchema.parse(del.body).error.code).toBe('forbidden');

    const edited = await call('PUT', `/api/admin/templates/${nl.id}`, admin, { name: nl.name, language: 'nl', subject: 'Uw gesprek', body: 'Hallo!\n\n{{transcript}}' });
    expect(edited.status).toBe(200);
    expect(ReplyTemplateSchema.parse(edited.body)).toMatchObject({ id: nl.id, subject: 'Uw gesprek', builtin: true });
    // Another node starting (or this one restarting) must not undo the administrator's edit.
    await ensureBuiltinTemplates(t.loket.ctx);
    await t.restart();
    const after = (await list()).filter((x) => x.builtin);
    expect(after).toHaveLength(16);
    expect(after.find((x) => x.id === nl.id)?.subject).toBe('Uw gesprek');
    // A built-in template stays in its language.
    const moved = await call('PUT', `/api/admin/templates/${nl.id}`, admin, { name: nl.name, language: 'de', subject: 'x', body: 'y' });
    expect(ErrorBodySchema.parse(moved.body).error).toMatchObject({ code: 'validation_failed', field: 'language' });
  });

  it('creates, updates and deletes templates; validation errors name the field', async () => {
    const created = await call('POST', '/api/admin/templates', admin, input);
    expect(created.status).toBe(201);
    const tpl = ReplyTemplateSchema.parse(created.body);
    expect(tpl).toMatchObject({ name: 'Follow-up', builtin: false });
    expect((await list()).map((x) => x.id)).toContain(tpl.id);

    const bad = await call('PUT', `/api/admin/templates/${tpl.id}`, admin, { ...input, body: 'Hello\n{{customer.nmae}}' });
    expect(bad.status).toBe(422);
    expect(ErrorBodySchema.parse(bad.body).error).toMatchObject({ code: 'template_invalid', field: 'body', detail: 'unknown variable customer.nmae on line 2' });
    const badSubject = await call('POST', '/api/admin/templates', admin, { ...input, subject: '{{{customer.name}}}' });
    expect(ErrorBodySchema.parse(badSubject.body).error).toMatchObject({ code: 'template_invalid', field: 'subject' });
    const noName = await call('POST', '/api/admin/templates', admin, { ...input, name: '  ' });
    expect(ErrorBodySchema.parse(noName.body).error).toMatchObject({ code: 'field_required', field: 'name' });
    const longName = await call('POST', '/api/admin/templates', admin, { ...input, name: 'n'.repeat(101) });
    expect(ErrorBodySchema.parse(longName.body).error).toMatchObject({ code: 'validation_failed', field: 'name' });
    const noBody = await call('POST', '/api/admin/templates', admin, { ...input, body: '' });
    expect(ErrorBodySchema.parse(noBody.body).error).toMatchObject({ code: 'field_required', field: 'body' });
    const badLanguage = await call('POST', '/api/admin/templates', admin, { ...input, language: 'xx' });
    expect(ErrorBodySchema.parse(badLanguage.body).error).toMatchObject({ code: 'validation_failed', field: 'language' });

    const updated = await call('PUT', `/api/admin/templates/${tpl.id}`, admin, { ...input, subject: 'Thanks, {{customer.name}}' });
    expect(ReplyTemplateSchema.parse(updated.body).subject).toBe('Thanks, {{customer.name}}');

    // In use as a channel's transcript template: can't be deleted until the channel lets go.
    const channel = await makeChannel(t);
    await t.loket.ctx.transact((tx) => tx.updateTable('channels').set({ transcript_template_id: tpl.id }).where('id', '=', channel.id).execute());
    const inUse = await call('DELETE', `/api/admin/templates/${tpl.id}`, admin);
    expect(inUse.status).toBe(409);
    expect(ErrorBodySchema.parse(inUse.body).error.code).toBe('template_in_use');
    await t.loket.ctx.transact((tx) => tx.updateTable('channels').set({ transcript_template_id: null }).where('id', '=', channel.id).execute());
    expect((await call('DELETE', `/api/admin/templates/${tpl.id}`, admin)).status).toBe(204);
    expect((await call('DELETE', `/api/admin/templates/${tpl.id}`, admin)).status).toBe(404);
  });

  it('previews with sample data, escaping markup in the HTML part', async () => {
    const res = await call('POST', '/api/admin/templates/preview', admin, { language: 'de', subject: 'Chat mit {{channel.name}}', body: 'Hallo {{customer.name}},\n\n{{transcript}}' });
    expect(res.status).toBe(200);
    const preview = TemplatePreviewSchema.parse(res.body);
    expect(preview.text).toContain('Hallo Sam Sample,');
    expect(preview.text).toContain('<b>html</b>');
    expect(preview.html).toContain('&lt;b&gt;html&lt;/b&gt;');
    expect(preview.html).not.toContain('<b>html</b>');
    expect(preview.html).toContain('lang="de"');
    const bad = await call('POST', '/api/admin/templates/preview', admin, { language: 'de', subject: 'x', body: '{{#each transcript}}{{/each}}' });
    expect(ErrorBodySchema.parse(bad.body).error).toMatchObject({ code: 'template_invalid', field: 'body' });
  });

  it('is for administrators only: 401 without a session, 403 for an agent, CSRF on writes', async () => {
    const agent = await makeAgent(t, []);
    for (const [method, path] of [
      ['GET', '/api/admin/templates'],
      ['POST', '/api/admin/templates'],
      ['POST', '/api/admin/templates/preview'],
      ['PUT', '/api/admin/templates/x'],
      ['DELETE', '/api/admin/templates/x'],
    ] as const) {
      const body = method === 'POST' || method === 'PUT' ? input : undefined;
      const anonymous = await call(method, path, null, body);
      expect([path, anonymous.status]).toEqual([path, 401]);
      const plain = await call(method, path, agent, body);
      expect([path, plain.status, ErrorBodySchema.parse(plain.body).error.code]).toEqual([path, 403, 'forbidden']);
    }
    const noCsrf = await fetch(`${t.url}/api/admin/templates`, { method: 'POST', headers: { cookie: admin.cookie, 'content-type': 'application/json' }, body: JSON.stringify(input) });
    expect(noCsrf.status).toBe(403);
    expect(ErrorBodySchema.parse(await noCsrf.json()).error.code).toBe('csrf_failed');
  });
});
