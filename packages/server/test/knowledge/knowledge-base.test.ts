import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  AdminChannelListSchema,
  AdminChannelSchema,
  ErrorBodySchema,
  FAQ_LIMITS,
  FaqExportFileSchema,
  FaqFolderListSchema,
  FaqFolderSchema,
  FaqImportResultSchema,
  FaqListSchema,
  FaqPreviewSchema,
  FaqSchema,
  faqPath,
  type Faq,
  type FaqFolder,
  type FaqInput,
} from '@loket/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BusMessage } from '../../src/realtime/bus.js';
import { callAs, makeAgent, requestAs, fieldError, type TestAgent } from '../support/factories.js';
import { startRedis, type RedisServer } from '../support/cluster.js';
import { DIALECTS, startTestCluster, startTestLoket, type TestCluster, type TestLoket } from '../support/server.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

/** Runs `npm run faq -- …` as an operator would: a separate process on the same database. */
function runCli(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'packages/server/src/cli/faq.ts', ...args],
      { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env }, timeout: 60_000 },
      (err, stdout, stderr) => resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : -1, stdout, stderr }),
    );
  });
}

describe.each(DIALECTS)('knowledge base on %s', (dialect) => {
  let t: TestLoket;
  let admin: TestAgent;
  let agent: TestAgent;
  const faqEvents: Array<string | null> = [];
  beforeAll(async () => {
    t = await startTestLoket(dialect);
    admin = await makeAgent(t, [], { role: 'admin' });
    agent = await makeAgent(t, []);
    t.loket.ctx.bus.onMessage((topic: string, message: BusMessage) => {
      if (topic === 'faq' && message.kind === 'faqChanged') faqEvents.push(message.faqId);
    });
  });
  afterAll(async () => {
    await t.close();
  });

  const call = (method: string, url: string, who: TestAgent | null = admin, body?: unknown) => callAs(t, method, url, who, body);
  let n = 0;
  const unique = (label: string) => `${label} ${Date.now().toString(36)}${(n++).toString(36)}`;
  const folder = async (name: string, parentId: string | null = null): Promise<FaqFolder> => {
    const res = await call('POST', '/api/admin/faq-folders', admin, { name, parentId });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return FaqFolderSchema.parse(res.body);
  };
  const input = (overrides: Partial<FaqInput> = {}): FaqInput => ({
    folderId: null,
    language: 'en',
    question: unique('How do I return a bike'),
    answer: 'Pack it and **ship** it.',
    keywords: ['return'],
    published: true,
    visibility: 'everyone',
    ...overrides,
  });
  const createFaq = async (overrides: Partial<FaqInput> = {}): Promise<Faq> => {
    const res = await call('POST', '/api/admin/faqs', admin, input(overrides));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return FaqSchema.parse(res.body);
  };
  const list = async (query = ''): Promise<Faq[]> => {
    const res = await call('GET', `/api/admin/faqs${query}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return FaqListSchema.parse(res.body).faqs;
  };
  const exportText = async (format: 'json' | 'csv', folderId: string) => {
    const res = await requestAs(t, 'GET', `/api/admin/faqs/export?format=${format}&folderId=${folderId}`, admin);
    expect(res.status).toBe(200);
    return { text: await res.text(), type: res.headers.get('content-type'), disposition: res.headers.get('content-disposition') };
  };
  const importFile = (format: 'json' | 'csv', text: string) => call('POST', '/api/admin/faqs/import', admin, { format, text });
  const faqCount = async () => (await list()).length;
  const folderByName = async (name: string) => FaqListSchema.parse((await call('GET', '/api/admin/faqs')).body).folders.filter((f) => f.name === name);

  it('is for administrators only: 401 without a session, 403 for an agent, CSRF on writes; routes are documented', async () => {
    const f = await folder(unique('Access'));
    const faq = await createFaq({ folderId: f.id });
    const routes: Array<[string, string, unknown]> = [
      ['GET', '/api/admin/faq-folders', undefined],
      ['POST', '/api/admin/faq-folders', { name: 'X', parentId: null }],
      ['PUT', `/api/admin/faq-folders/${f.id}`, { name: 'X', parentId: null }],
      ['DELETE', `/api/admin/faq-folders/${f.id}`, undefined],
      ['GET', '/api/admin/faqs', undefined],
      ['POST', '/api/admin/faqs', input()],
      ['GET', `/api/admin/faqs/${faq.id}`, undefined],
      ['PUT', `/api/admin/faqs/${faq.id}`, input()],
      ['DELETE', `/api/admin/faqs/${faq.id}`, undefined],
      ['POST', '/api/admin/faqs/preview', { answer: 'x' }],
      ['POST', '/api/admin/faqs/import', { format: 'json', text: '{"version":1,"faqs":[]}' }],
      ['GET', '/api/admin/faqs/export?format=csv', undefined],
    ];
    for (const [method, url, body] of routes) {
      expect([method, url, (await call(method, url, null, body)).status]).toEqual([method, url, 401]);
      const plain = await call(method, url, agent, body);
      expect([method, url, plain.status, ErrorBodySchema.parse(plain.body).error.code]).toEqual([method, url, 403, 'forbidden']);
    }
    for (const [method, url, body] of routes.filter(([m]) => m !== 'GET')) {
      const res = await fetch(`${t.url}${url}`, { method, headers: { cookie: admin.cookie, 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}) });
      expect([method, url, res.status, ErrorBodySchema.parse(await res.json()).error.code]).toEqual([method, url, 403, 'csrf_failed']);
    }
    // Nothing above went through.
    expect(FaqSchema.parse((await call('GET', `/api/admin/faqs/${faq.id}`)).body)).toEqual(faq);
    const doc = (await (await fetch(`${t.url}/api/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(doc.paths['/api/admin/faq-folders'] ?? {}).sort()).toEqual(['get', 'post']);
    for (const p of ['/api/admin/faq-folders/{id}', '/api/admin/faqs', '/api/admin/faqs/{id}', '/api/admin/faqs/preview', '/api/admin/faqs/import', '/api/admin/faqs/export']) expect(doc.paths[p], p).toBeDefined();
  });

  it('creates, reads, updates and deletes FAQs, cleaning what it stores, and publishes faqChanged after each', async () => {
    const f = await folder(unique('Bikes'));
    faqEvents.length = 0;
    const question = unique('Can I return a bike?');
    const created = await createFaq({ folderId: f.id, question: `  ${question}  `, answer: '  Yes.\n\n  - within 30 days\n', keywords: ['  refund ', '', 'Refund', 'money back', 'REFUND'] });
    expect(created).toMatchObject({ folderId: f.id, question, answer: '  Yes.\n\n  - within 30 days\n', keywords: ['refund', 'money back'], published: true, visibility: 'everyone', deflections: 0 });
    expect(created.url).toBe(`${t.config.publicUrl}${faqPath(created.id, question)}`);
    expect(created.createdAt).toBe(created.updatedAt);
    expect(faqEvents).toEqual([created.id]);

    expect(FaqSchema.parse((await call('GET', `/api/admin/faqs/${created.id}`)).body)).toEqual(created);
    const res = await call('PUT', `/api/admin/faqs/${created.id}`, admin, input({ folderId: null, language: 'nl', question: 'Kan ik een fiets terugsturen?', answer: 'Ja.', keywords: [], published: false, visibility: 'logged_in' }));
    expect(res.status).toBe(200);
    const updated = FaqSchema.parse(res.body);
    expect(updated).toMatchObject({ id: created.id, folderId: null, language: 'nl', question: 'Kan ik een fiets terugsturen?', answer: 'Ja.', keywords: [], published: false, visibility: 'logged_in', createdAt: created.createdAt });
    expect(updated.url).toBe(`${t.config.publicUrl}/help/faq/${created.id}/kan-ik-een-fiets-terugsturen`);
    expect(faqEvents).toEqual([created.id, created.id]);

    expect((await call('DELETE', `/api/admin/faqs/${created.id}`)).status).toBe(204);
    expect(faqEvents).toEqual([created.id, created.id, created.id]);
    expect(fieldError(await call('GET', `/api/admin/faqs/${created.id}`))).toMatchObject({ status: 404, code: 'not_found' });
    expect(fieldError(await call('PUT', `/api/admin/faqs/${created.id}`, admin, input()))).toMatchObject({ status: 404, code: 'not_found' });
    expect(fieldError(await call('DELETE', `/api/admin/faqs/${created.id}`))).toMatchObject({ status: 404, code: 'not_found' });
    // A refused change commits nothing and tells no one.
    expect(faqEvents).toHaveLength(3);
  });

  it('refuses every invalid value, naming its field', async () => {
    const before = await faqCount();
    const keywords = (count: number) => Array.from({ length: count }, (_, i) => `kw${i}`);
    const cases: Array<[string, Partial<FaqInput> | Record<string, unknown>, string, string]> = [
      ['empty question', { question: '   ' }, 'field_required', 'question'],
      ['question over 300', { question: 'q'.repeat(FAQ_LIMITS.question + 1) }, 'validation_failed', 'question'],
      ['answer over 20000', { answer: 'a'.repeat(FAQ_LIMITS.answer + 1) }, 'validation_failed', 'answer'],
      ['keyword over 60', { keywords: ['a', 'b', 'c', 'k'.repeat(FAQ_LIMITS.keyword + 1)] }, 'validation_failed', 'keywords.3'],
      ['keyword with ;', { keywords: ['a', 'b;c'] }, 'validation_failed', 'keywords.1'],
      ['21 keywords', { keywords: keywords(FAQ_LIMITS.keywords + 1) }, 'validation_failed', 'keywords'],
      ['unknown folder', { folderId: 'no-such-folder' }, 'validation_failed', 'folderId'],
      ['unknown language', { language: 'xx' }, 'validation_failed', 'language'],
      ['unknown visibility', { visibility: 'friends' }, 'validation_failed', 'visibility'],
      ['published as text', { published: 'yes' }, 'validation_failed', 'published'],
    ];
    for (const [name, change, code, field] of cases) {
      const res = await call('POST', '/api/admin/faqs', admin, { ...input(), ...change });
      expect([name, fieldError(res)]).toEqual([name, { status: 422, code, field }]);
    }
    expect(await faqCount()).toBe(before);
    // The limits count characters as people do, and are inclusive; duplicates do not count towards the 20.
    const atLimits = await createFaq({ question: '🚲'.repeat(FAQ_LIMITS.question), answer: 'é'.repeat(FAQ_LIMITS.answer), keywords: [...keywords(FAQ_LIMITS.keywords), 'KW0', 'k'.repeat(FAQ_LIMITS.keyword)].slice(0, 21) });
    expect(atLimits.keywords).toHaveLength(FAQ_LIMITS.keywords);
    expect([...atLimits.question]).toHaveLength(FAQ_LIMITS.question);
  });

  it('lists with filters: folder (or none), language, published, and q ranked by the search engine with unpublished FAQs', async () => {
    const f = await folder(unique('Filters'));
    // Letters only: the search splits words at digits.
    const word = `zorblax${Array.from({ length: 8 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join('')}`;
    const a = await createFaq({ folderId: f.id, language: 'en', question: `What is a ${word} bike?`, published: true });
    const b = await createFaq({ folderId: f.id, language: 'nl', question: unique('Wat kost verzending?'), published: false, visibility: 'logged_in', keywords: [word] });
    const c = await createFaq({ folderId: null, language: 'en', question: unique('Unfiled question') });
    const ids = (faqs: Faq[]) => faqs.map((x) => x.id);
    expect(ids(await list(`?folderId=${f.id}`)).sort()).toEqual([a.id, b.id].sort());
    expect(ids(await list(`?folderId=${f.id}&language=nl`))).toEqual([b.id]);
    expect(ids(await list(`?folderId=${f.id}&published=true`))).toEqual([a.id]);
    expect(ids(await list(`?folderId=${f.id}&published=false`))).toEqual([b.id]);
    const none = ids(await list('?folderId=none'));
    expect(none).toContain(c.id);
    expect(none).not.toContain(a.id);
    const listed = FaqListSchema.parse((await call('GET', `/api/admin/faqs?folderId=${f.id}`)).body);
    expect(listed.folders.find((x) => x.id === f.id)).toEqual({ ...f, faqCount: 2 });
    // Search: unpublished and login-only FAQs are found for administrators, in every language unless one is asked for.
    expect(ids(await list(`?q=${word}`)).sort()).toEqual([a.id, b.id].sort());
    expect(ids(await list(`?q=${word}&language=nl`))).toEqual([b.id]);
    expect(ids(await list(`?q=${word}&published=true`))).toEqual([a.id]);
    expect(await list(`?q=qqqwwwzzz${word}`)).toEqual([]);
    expect(fieldError(await call('GET', '/api/admin/faqs?language=xx'))).toEqual({ status: 422, code: 'validation_failed', field: 'language' });
  });

  it('keeps the folder tree sound: names, parents, no cycles, depth at most 8', async () => {
    const root = await folder(`  ${unique('Root')}  `);
    expect(root.name).toBe(root.name.trim());
    const child = await folder('Child', root.id);
    const grandchild = await folder('Grandchild', child.id);
    faqEvents.length = 0;
    const put = (id: string, body: unknown) => call('PUT', `/api/admin/faq-folders/${id}`, admin, body);
    const post = (body: unknown) => call('POST', '/api/admin/faq-folders', admin, body);
    expect(fieldError(await post({ name: '   ', parentId: null }))).toEqual({ status: 422, code: 'field_required', field: 'name' });
    expect(fieldError(await post({ name: 'n'.repeat(FAQ_LIMITS.folderName + 1), parentId: null }))).toEqual({ status: 422, code: 'validation_failed', field: 'name' });
    expect(fieldError(await post({ name: 'A/B', parentId: null }))).toEqual({ status: 422, code: 'validation_failed', field: 'name' });
    expect(fieldError(await post({ name: 'CHILD', parentId: root.id }))).toEqual({ status: 422, code: 'validation_failed', field: 'name' });
    expect(fieldError(await post({ name: 'X', parentId: 'no-such-folder' }))).toEqual({ status: 422, code: 'validation_failed', field: 'parentId' });
    expect(fieldError(await put(root.id, { name: root.name, parentId: root.id }))).toEqual({ status: 422, code: 'validation_failed', field: 'parentId' });
    expect(fieldError(await put(root.id, { name: root.name, parentId: grandchild.id }))).toEqual({ status: 422, code: 'validation_failed', field: 'parentId' });
    expect(fieldError(await put('no-such-folder', { name: 'X', parentId: null }))).toMatchObject({ status: 404, code: 'not_found' });
    expect(faqEvents).toEqual([]);

    // Rename and move: Grandchild becomes a root folder with its own name; renaming to its own name in other case is fine.
    const moved = FaqFolderSchema.parse((await put(grandchild.id, { name: 'grandchild', parentId: null })).body);
    expect(moved).toEqual({ id: grandchild.id, parentId: null, name: 'grandchild', faqCount: 0 });
    expect(faqEvents).toEqual([null]);

    // Depth: a chain of 8 is allowed, a 9th level is not, neither by creating nor by moving a subtree in.
    const chain = [root];
    for (let depth = 2; depth <= FAQ_LIMITS.folderDepth; depth++) chain.push(await folder(`Level ${depth}`, chain[chain.length - 1]?.id ?? null));
    const deepest = chain[chain.length - 1] as FaqFolder;
    expect(fieldError(await post({ name: 'Level 9', parentId: deepest.id }))).toEqual({ status: 422, code: 'validation_failed', field: 'parentId' });
    const pair = await folder(unique('Pair'));
    await folder('Inner', pair.id);
    const seventh = chain[FAQ_LIMITS.folderDepth - 2] as FaqFolder;
    expect(fieldError(await put(pair.id, { name: pair.name, parentId: seventh.id }))).toEqual({ status: 422, code: 'validation_failed', field: 'parentId' });
    expect((await put(pair.id, { name: pair.name, parentId: chain[FAQ_LIMITS.folderDepth - 3]?.id ?? null })).status).toBe(200);

    // The channel settings' list still shows every folder.
    const summaries = FaqFolderListSchema.parse((await call('GET', '/api/admin/faq-folders')).body).folders;
    expect(summaries).toEqual(expect.arrayContaining([{ id: root.id, name: root.name, parentId: null }, { id: child.id, name: 'Child', parentId: root.id }]));
  });

  it('deleting a folder deletes its sub-folders, keeps their FAQs in no folder and points channels back at all folders', async () => {
    const top = await folder(unique('Doomed'));
    const sub = await folder('Sub', top.id);
    const keep = await folder(unique('Kept'));
    const inTop = await createFaq({ folderId: top.id });
    const inSub = await createFaq({ folderId: sub.id });
    const inKeep = await createFaq({ folderId: keep.id });
    const ch = AdminChannelSchema.parse((await call('POST', '/api/admin/channels', admin, { name: 'KB', key: `kb-${Date.now().toString(36)}${n++}`, language: 'en' })).body);
    const other = AdminChannelSchema.parse((await call('POST', '/api/admin/channels', admin, { name: 'KB2', key: `kb-${Date.now().toString(36)}${n++}`, language: 'en' })).body);
    const prechat = (folderId: string) => ({ enabled: true, message: '', name: 'required', email: 'required', phone: 'off', company: 'off', fields: [], faqSuggestions: true, faqFolderId: folderId });
    expect((await call('PUT', `/api/admin/channels/${ch.id}/prechat`, admin, prechat(sub.id))).status).toBe(200);
    expect((await call('PUT', `/api/admin/channels/${other.id}/prechat`, admin, prechat(keep.id))).status).toBe(200);
    faqEvents.length = 0;

    expect((await call('DELETE', `/api/admin/faq-folders/${top.id}`)).status).toBe(204);
    expect(faqEvents).toEqual([null]);
    const folders = FaqFolderListSchema.parse((await call('GET', '/api/admin/faq-folders')).body).folders.map((f) => f.id);
    expect(folders).not.toContain(top.id);
    expect(folders).not.toContain(sub.id);
    expect(folders).toContain(keep.id);
    for (const faq of [inTop, inSub]) expect(FaqSchema.parse((await call('GET', `/api/admin/faqs/${faq.id}`)).body).folderId).toBeNull();
    expect(FaqSchema.parse((await call('GET', `/api/admin/faqs/${inKeep.id}`)).body).folderId).toBe(keep.id);
    const channels = AdminChannelListSchema.parse((await call('GET', '/api/admin/channels')).body).channels;
    expect(channels.find((c) => c.id === ch.id)?.prechat.faqFolderId).toBeNull();
    expect(channels.find((c) => c.id === other.id)?.prechat.faqFolderId).toBe(keep.id);
    expect(fieldError(await call('DELETE', `/api/admin/faq-folders/${top.id}`))).toMatchObject({ status: 404, code: 'not_found' });
  });

  it('previews an answer as the public page renders it, with HTML and script links made inert', async () => {
    const res = await call('POST', '/api/admin/faqs/preview', admin, { answer: '**Hi** <script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)> https://shop.example' });
    expect(res.status).toBe(200);
    const { html } = FaqPreviewSchema.parse(res.body);
    expect(html).toContain('<strong>Hi</strong>');
    expect(html).toContain('&lt;script&gt;');
    expect(html).not.toMatch(/<script|<img|href="javascript/i);
    expect(html).toContain('<a href="https://shop.example" target="_blank" rel="noopener noreferrer">');
  });

  it('imports JSON: creates folders by path, all rows, and tells every node once', async () => {
    const root = unique('Imported');
    const existing = await folder(root);
    const file = {
      version: 1,
      faqs: [
        { folder: `${root}/Shipping`, language: 'en', question: 'How long does shipping take?', answer: 'Two days.', keywords: ['delivery', ' Delivery '], published: true, visibility: 'everyone' },
        { folder: ` ${root.toUpperCase()} / shipping / Abroad `, language: 'nl', question: 'Verzenden jullie naar België?', answer: 'Ja.', keywords: [], published: false, visibility: 'logged_in' },
        { folder: '', language: 'de', question: unique('Wo ist mein Paket?'), answer: 'Hier.', keywords: [], published: true, visibility: 'everyone' },
      ],
    };
    faqEvents.length = 0;
    const res = await importFile('json', JSON.stringify(file, null, 2));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    // "Shipping" and "Abroad" are new; the root existed (matched ignoring case and spaces around names).
    expect(FaqImportResultSchema.parse(res.body)).toEqual({ created: 3, foldersCreated: 2 });
    expect(faqEvents).toEqual([null]);
    const all = FaqListSchema.parse((await call('GET', '/api/admin/faqs')).body);
    const shipping = all.folders.find((f) => f.parentId === existing.id && f.name === 'Shipping');
    const abroad = all.folders.find((f) => f.parentId === shipping?.id && f.name === 'Abroad');
    expect(abroad).toBeDefined();
    expect(all.faqs.find((f) => f.question === 'How long does shipping take?' && f.folderId === shipping?.id)?.keywords).toEqual(['delivery']);
    expect(all.faqs.find((f) => f.folderId === abroad?.id)).toMatchObject({ language: 'nl', published: false, visibility: 'logged_in' });
    expect(all.faqs.find((f) => f.question === file.faqs[2]?.question)?.folderId).toBeNull();
  });

  it('imports CSV: quoted line breaks and quotes, ";" keywords, yes/no/1/0, a BOM, folders by path', async () => {
    const root = unique('Csv');
    const csv = [
      '\uFEFFfolder,language,question,answer,keywords,published,visibility',
      `${root}/Returns,en,"Can I return, exchange or ""swap""?","Yes:`,
      '',
      '- within 30 days',
      `- with the receipt",return; exchange ;;swap,yes,everyone`,
      `${root},NL,Hoe lang duurt het?,Twee dagen.,,0,logged_in`,
      `${root}/Returns,sv,Hur returnerar jag?,Så här.,retur,1,everyone`,
      '',
    ].join('\r\n');
    const res = await importFile('csv', csv);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(FaqImportResultSchema.parse(res.body)).toEqual({ created: 3, foldersCreated: 2 });
    const [top] = await folderByName(root);
    const faqs = await list();
    const returns = FaqListSchema.parse((await call('GET', '/api/admin/faqs')).body).folders.find((f) => f.parentId === top?.id && f.name === 'Returns');
    expect(faqs.find((f) => f.question === 'Can I return, exchange or "swap"?')).toMatchObject({
      folderId: returns?.id,
      answer: 'Yes:\r\n\r\n- within 30 days\r\n- with the receipt',
      keywords: ['return', 'exchange', 'swap'],
      published: true,
    });
    expect(faqs.find((f) => f.question === 'Hoe lang duurt het?' && f.folderId === top?.id)).toMatchObject({ language: 'nl', published: false, visibility: 'logged_in', keywords: [] });
    expect(faqs.find((f) => f.question === 'Hur returnerar jag?')).toMatchObject({ language: 'sv', published: true });
  });

  it('refuses a file with any bad row: nothing stored, the first problems listed with their lines', async () => {
    const root = unique('Refused');
    const before = await faqCount();
    faqEvents.length = 0;
    const csv = [
      'folder,language,question,answer,keywords,published,visibility',
      `${root},en,Fine question,"fine",,true,everyone`,
      `${root},xx,Bad language,"multi`,
      `line",,true,everyone`,
      `${root}/,en,   ,answer,${'k'.repeat(61)},maybe,friends`,
      `${root},en,Too few fields`,
    ].join('\n');
    const res = await importFile('csv', csv);
    const body = ErrorBodySchema.parse(res.body).error;
    expect({ status: res.status, code: body.code, field: body.field }).toEqual({ status: 422, code: 'validation_failed', field: 'rows' });
    expect(body.detail?.split('\n')).toEqual([
      "line 3: language 'xx' is not one of en, nl, de, fr, es, nb, sv, da",
      "line 5: published 'maybe' is not one of true, false, yes, no, 1, 0",
      `line 5: folder '${root}/': a folder name in the path is empty`,
      'line 5: question is empty',
      `line 5: keyword '${'k'.repeat(20)}…' is longer than 60 characters`,
      "line 5: visibility 'friends' is not one of everyone, logged_in",
      'line 6: 3 fields where the header has 7',
    ]);
    expect(await faqCount()).toBe(before);
    expect(await folderByName(root)).toEqual([]);
    expect(faqEvents).toEqual([]);

    // JSON: problems are reported on the line where the FAQ starts.
    const json = JSON.stringify({ version: 1, faqs: [{ folder: root, language: 'en', question: 'Ok', answer: '', keywords: [], published: true, visibility: 'everyone' }, { folder: root, language: 'en', question: 'Q', answer: 1, keywords: 'a', published: 'yes', visibility: 'everyone', extra: true }] }, null, 2);
    const jsonRes = ErrorBodySchema.parse((await importFile('json', json)).body).error;
    expect(jsonRes.detail?.split('\n')).toEqual([
      "line 13: unknown field 'extra'",
      'line 13: answer must be text, not 1',
      'line 13: keywords must be a list of texts, not "a"',
      'line 13: published must be true or false, not "yes"',
    ]);
    const broken = ErrorBodySchema.parse((await importFile('json', '{\n  "version": 1,\n  "faqs": [,]\n}')).body).error;
    expect(broken.detail).toMatch(/^line 3: not valid JSON/);
    expect(ErrorBodySchema.parse((await importFile('csv', 'folder,language,question\n')).body).error.detail?.split('\n')).toEqual([
      "line 1: column 'answer' is missing",
      "line 1: column 'keywords' is missing",
      "line 1: column 'published' is missing",
      "line 1: column 'visibility' is missing",
    ]);
    // Only the first ten problems are listed.
    const many = ['folder,language,question,answer,keywords,published,visibility', ...Array.from({ length: 15 }, () => `${root},xx,Q,A,,true,everyone`)].join('\n');
    const manyLines = ErrorBodySchema.parse((await importFile('csv', many)).body).error.detail?.split('\n') ?? [];
    expect(manyLines).toHaveLength(11);
    expect(manyLines[10]).toBe('… and 5 more');
    expect(await faqCount()).toBe(before);
  });

  it('exports JSON and CSV downloads that import back to exactly the same file', async () => {
    const rootName = unique('Trip');
    const root = await folder(rootName);
    const sub = await folder('Sub, "quoted"', root.id);
    await createFaq({ folderId: root.id, question: 'Plain', answer: 'Line one\nLine "two", with comma\n\n* list', keywords: ['a', 'b c'] });
    await createFaq({ folderId: sub.id, language: 'da', question: 'Hvordan?', answer: 'Sådan 🚲', keywords: [], published: false, visibility: 'logged_in' });
    await createFaq({ folderId: sub.id, language: 'en', question: 'Empty answer', answer: '', keywords: ['x'] });
    await createFaq({ folderId: null, question: unique('Elsewhere') });
    for (const format of ['json', 'csv'] as const) {
      const current = (await folderByName(rootName))[0] as FaqFolder;
      const first = await exportText(format, current.id);
      expect(first.type).toBe(format === 'json' ? 'application/json; charset=utf-8' : 'text/csv; charset=utf-8; header=present');
      expect(first.disposition).toMatch(new RegExp(`^attachment; filename="loket-faqs-\\d{4}-\\d{2}-\\d{2}\\.${format}"$`));
      if (format === 'json') {
        const parsed = FaqExportFileSchema.parse(JSON.parse(first.text));
        expect(parsed.faqs.map((f) => f.folder)).toEqual([rootName, `${rootName}/Sub, "quoted"`, `${rootName}/Sub, "quoted"`]);
      } else expect(first.text.startsWith('folder,language,question,answer,keywords,published,visibility\r\n')).toBe(true);
      // Take the tree away, import the file, and the new tree exports the same bytes.
      for (const faq of await list(`?folderId=${current.id}`)) await call('DELETE', `/api/admin/faqs/${faq.id}`);
      const subNow = FaqListSchema.parse((await call('GET', '/api/admin/faqs')).body).folders.find((f) => f.parentId === current.id);
      for (const faq of await list(`?folderId=${subNow?.id ?? 'x'}`)) await call('DELETE', `/api/admin/faqs/${faq.id}`);
      expect((await call('DELETE', `/api/admin/faq-folders/${current.id}`)).status).toBe(204);
      const res = await importFile(format, first.text);
      expect(FaqImportResultSchema.parse(res.body)).toEqual({ created: 3, foldersCreated: 2 });
      const again = (await folderByName(rootName))[0] as FaqFolder;
      expect(again.id).not.toBe(current.id);
      expect((await exportText(format, again.id)).text).toBe(first.text);
    }
    expect(fieldError(await call('GET', '/api/admin/faqs/export?format=xml'))).toEqual({ status: 422, code: 'validation_failed', field: 'format' });
    expect(fieldError(await call('GET', '/api/admin/faqs/export?folderId=nope'))).toEqual({ status: 422, code: 'validation_failed', field: 'folderId' });
  });

  it('takes import files far over the usual 64 KB body limit', async () => {
    const root = unique('Big');
    const rows = Array.from({ length: 300 }, (_, i) => `${root},en,Question ${i},"${'Long answer. '.repeat(100)}",,true,everyone`);
    const csv = ['folder,language,question,answer,keywords,published,visibility', ...rows].join('\n');
    expect(csv.length).toBeGreaterThan(300_000);
    const res = await importFile('csv', csv);
    expect(res.status).toBe(200);
    expect(FaqImportResultSchema.parse(res.body)).toEqual({ created: 300, foldersCreated: 1 });
    // Other admin routes keep the small limit.
    const big = await call('POST', '/api/admin/faqs/preview', admin, { answer: 'x'.repeat(70_000) });
    expect(fieldError(big)).toEqual({ status: 413, code: 'payload_too_large', field: undefined });
    expect(FaqPreviewSchema.safeParse(big.body).success).toBe(false);
  });

  it('the faq command imports and exports on the same database as a separate process, with exit codes', async () => {
    const env: Record<string, string> = t.config.databaseUrl !== null ? { DATABASE_URL: t.config.databaseUrl } : { DATA_DIR: path.dirname(t.config.sqlitePath) };
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loket-faq-cli-'));
    try {
      const root = unique('Cli');
      const csvFile = path.join(dir, 'in.csv');
      fs.writeFileSync(csvFile, `folder,language,question,answer,keywords,published,visibility\n${root}/Deep,fr,Où est ma commande ?,"Ici.\nVoilà.",commande;suivi,true,everyone\n${root},es,¿Dónde?,Aquí.,,false,everyone\n`);
      const imported = await runCli(['import', csvFile], env);
      expect(imported, imported.stderr).toMatchObject({ code: 0 });
      expect(imported.stdout).toContain('Imported 2 FAQs');
      expect(imported.stdout).toContain('2 new folders');
      const [top] = await folderByName(root);
      expect(top).toBeDefined();

      // What the command exports is what the console downloads.
      const out = path.join(dir, 'out.csv');
      const exported = await runCli(['export', out, '--folder', root], env);
      expect(exported, exported.stderr).toMatchObject({ code: 0 });
      expect(fs.readFileSync(out, 'utf8')).toBe((await exportText('csv', top?.id ?? '')).text);
      const jsonOut = path.join(dir, 'out.data');
      expect((await runCli(['export', jsonOut, '--format', 'json', '--folder', `${root}/Deep`], env)).code).toBe(0);
      expect(FaqExportFileSchema.parse(JSON.parse(fs.readFileSync(jsonOut, 'utf8'))).faqs.map((f) => f.question)).toEqual(['Où est ma commande ?']);

      // A bad file: exit 1, the line-numbered problems, nothing stored.
      const before = await faqCount();
      const bad = path.join(dir, 'bad.json');
      fs.writeFileSync(bad, JSON.stringify({ version: 1, faqs: [{ folder: root, language: 'xx', question: 'Q', answer: '', keywords: [], published: true, visibility: 'everyone' }] }, null, 2));
      const refused = await runCli(['import', bad], env);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain("line 4: language 'xx' is not one of en, nl, de, fr, es, nb, sv, da");
      expect(await faqCount()).toBe(before);

      // Wrong usage: exit 2.
      expect((await runCli(['import'], env)).code).toBe(2);
      expect((await runCli(['export', out, '--folder', 'No such folder'], env)).code).toBe(2);
      expect((await runCli(['import', path.join(dir, 'missing.csv')], env)).code).toBe(2);
      expect((await runCli(['frobnicate', out], env)).code).toBe(2);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the faq command next to running nodes', () => {
  let redis: RedisServer;
  let cluster: TestCluster;
  beforeAll(async () => {
    redis = await startRedis();
    cluster = await startTestCluster(1, { redisUrl: redis.url });
  });
  afterAll(async () => {
    await cluster.close();
    await redis.stop();
  });

  it('tells them through Redis, so their search finds imported FAQs at once', async () => {
    const node = cluster.nodes[0] as TestLoket;
    const admin = await makeAgent(node, [], { role: 'admin' });
    const word = `quuxify${Array.from({ length: 8 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join('')}`;
    const search = async () => FaqListSchema.parse((await callAs(node, 'GET', `/api/admin/faqs?q=${word}`, admin)).body).faqs.map((f) => f.question);
    expect(await search()).toEqual([]);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loket-faq-cli-'));
    try {
      const file = path.join(dir, 'in.json');
      fs.writeFileSync(file, JSON.stringify({ version: 1, faqs: [{ folder: 'Redis', language: 'en', question: `How do I ${word}?`, answer: 'Like this.', keywords: [], published: false, visibility: 'everyone' }] }));
      const run = await runCli(['import', file], { DATABASE_URL: cluster.databaseUrl, REDIS_URL: redis.url });
      expect(run, run.stderr).toMatchObject({ code: 0 });
      expect(run.stdout).toContain('Running nodes were told through Redis');
      // The node hears it asynchronously; it must not take a restart.
      const deadline = Date.now() + 5_000;
      while ((await search()).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(await search()).toEqual([`How do I ${word}?`]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
