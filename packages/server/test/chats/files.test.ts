import { randomUUID } from 'node:crypto';
import { ErrorBodySchema, FileUploadResultSchema, type FileUploadResult } from '@loket/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DNS_TEST_ZONES } from '../support/dns-server.js';
import * as files from '../support/files.js';
import { agentSocket, callAs, makeAgent, makeChannel, requestAs, startChat, visitorSocket, type TestAgent } from '../support/factories.js';
import { DIALECTS, startTestCluster, startTestLoket, type TestLoket } from '../support/server.js';
import type { TestSocket } from '../support/ws-client.js';

type Frame = Record<string, unknown> & { type: string };
type Who = { token: string } | TestAgent;
const fileEvent = (name: string) => (f: Frame) => f.type === 'event' && (f.event as { kind: string; file?: { name: string } }).kind === 'file' && (f.event as { file: { name: string } }).file.name === name;
const newFileId = () => randomUUID().replace(/-/g, '');

function authHeaders(who: Who): Record<string, string> {
  return 'token' in who ? { authorization: `Bearer ${who.token}` } : { cookie: who.cookie, 'x-csrf-token': who.csrfToken };
}

async function upload(t: TestLoket, who: Who, chatId: string, data: Buffer, name: string, clientFileId = newFileId()) {
  const res = await fetch(`${t.url}/api/chats/${chatId}/files?clientFileId=${clientFileId}&name=${encodeURIComponent(name)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream', ...authHeaders(who) },
    body: new Uint8Array(data),
  });
  const body: unknown = await res.json();
  return { status: res.status, body };
}

async function uploaded(t: TestLoket, who: Who, chatId: string, data: Buffer, name: string, clientFileId?: string): Promise<FileUploadResult> {
  const res = await upload(t, who, chatId, data, name, clientFileId);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return FileUploadResultSchema.parse(res.body);
}

const refusal = (res: { status: number; body: unknown }) => {
  const e = ErrorBodySchema.parse(res.body).error;
  return { status: res.status, code: e.code };
};

function download(t: TestLoket, who: Who | null, fileId: string): Promise<Response> {
  return fetch(`${t.url}/api/files/${fileId}`, { headers: who ? authHeaders(who) : {} });
}

describe.each(DIALECTS)('files in chats on %s', (dialect) => {
  let t: TestLoket;
  beforeAll(async () => {
    t = await startTestLoket(dialect, { transcriptsPerHour: 100 });
  });
  afterAll(async () => {
    await t.close();
  });

  /** A chat of a fresh channel, claimed by its agent, with both sockets open. */
  async function servedChat(channelInput: Parameters<typeof makeChannel>[1] = {}) {
    const channel = await makeChannel(t, channelInput);
    const agent = await makeAgent(t, [channel]);
    const agentWs = await agentSocket(t, agent);
    const started = await startChat(t, channel);
    const visitor = await visitorSocket(t, started.token);
    await visitor.next((f) => f.type === 'chat');
    agentWs.send({ type: 'claim', rid: 'c', chatId: started.chatId });
    await agentWs.next((f) => f.type === 'claimed');
    return { channel, agent, agentWs, visitor, chatId: started.chatId, customer: { token: started.token } };
  }

  const closeAll = (...sockets: TestSocket[]) => sockets.forEach((s) => s.close());

  it('carries an image and a PDF each way, as chat events with seq, downloadable by both sides only', async () => {
    const { agent, agentWs, visitor, chatId, customer } = await servedChat();
    const image = files.png(4, 3);
    const fromCustomer = await uploaded(t, customer, chatId, image, 'photo.png');
    expect(fromCustomer.file).toMatchObject({ name: 'photo.png', size: image.length, type: 'png', width: 4, height: 3 });
    const seen = await agentWs.next<{ event: { seq: number; author: { kind: string }; file: unknown; clientMsgId: string } }>(fileEvent('photo.png'));
    // In the agent's list it counts as unread and shows by its name.
    await agentWs.next((f) => f.type === 'chatSummary' && (f.chat as { lastMessage: string | null; unread: number }).lastMessage === '📎 photo.png');
    expect(seen.event).toMatchObject({ seq: fromCustomer.seq, author: { kind: 'visitor' }, file: fromCustomer.file, clientMsgId: fromCustomer.clientFileId });
    await visitor.next(fileEvent('photo.png'));

    const doc = files.pdf();
    const fromAgent = await uploaded(t, agent, chatId, doc, 'Invoice März.pdf');
    expect(fromAgent.file).toMatchObject({ type: 'pdf', size: doc.length });
    expect(fromAgent.seq).toBe(fromCustomer.seq + 1);
    await visitor.next(fileEvent('Invoice März.pdf'));

    for (const who of [customer, agent]) {
      const img = await download(t, who, fromCustomer.file.id);
      expect(img.status).toBe(200);
      expect(img.headers.get('content-type')).toBe('image/png');
      expect(img.headers.get('content-disposition')).toMatch(/^inline; filename="photo.png"/);
      expect(img.headers.get('x-content-type-options')).toBe('nosniff');
      expect(img.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
      expect(Buffer.from(await img.arrayBuffer()).equals(image)).toBe(true);
      const pdf = await download(t, who, fromAgent.file.id);
      expect(pdf.headers.get('content-type')).toBe('application/pdf');
      expect(pdf.headers.get('content-disposition')).toBe(`attachment; filename="Invoice M_rz.pdf"; filename*=UTF-8''Invoice%20M%C3%A4rz.pdf`);
      expect(pdf.headers.get('x-content-type-options')).toBe('nosniff');
      expect(pdf.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
      expect(Buffer.from(await pdf.arrayBuffer()).equals(doc)).toBe(true);
    }
    // The history endpoints carry the files too.
    const history = await fetch(`${t.url}/api/widget/chat`, { headers: { authorization: `Bearer ${customer.token}` } }).then((r) => r.json() as Promise<{ events: Array<{ kind: string }> }>);
    expect(history.events.filter((e) => e.kind === 'file')).toHaveLength(2);
    closeAll(agentWs, visitor);
  });

  it('hides files from other chats, other channels and strangers (not found, never forbidden)', async () => {
    const { agentWs, visitor, chatId, customer } = await servedChat();
    const { file } = await uploaded(t, customer, chatId, files.gif(), 'dot.gif');
    const other = await servedChat();
    const stranger = await makeAgent(t, [other.channel]);
    for (const who of [other.customer, other.agent, stranger]) {
      const res = await download(t, who, file.id);
      expect(res.status).toBe(404);
      expect(ErrorBodySchema.parse(await res.json()).error.code).toBe('not_found');
    }
    expect((await download(t, null, file.id)).status).toBe(401);
    expect((await download(t, { token: 'x'.repeat(43) }, file.id)).status).toBe(404);
    expect((await download(t, customer, 'A'.repeat(22))).status).toBe(404);
    // Nor may they put files into it.
    expect(refusal(await upload(t, other.customer, chatId, files.png(), 'x.png'))).toEqual({ status: 404, code: 'chat_not_found' });
    expect(refusal(await upload(t, stranger, chatId, files.png(), 'x.png'))).toEqual({ status: 404, code: 'chat_not_found' });
    expect(file.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    closeAll(agentWs, visitor, other.agentWs, other.visitor);
  });

  it('stores a retried upload once: one file, one event, the same answer', async () => {
    const { agentWs, visitor, chatId, customer } = await servedChat();
    const id = newFileId();
    const [a, b] = await Promise.all([uploaded(t, customer, chatId, files.pdf(), 'a.pdf', id), uploaded(t, customer, chatId, files.pdf(), 'a.pdf', id)]);
    const c = await uploaded(t, customer, chatId, files.pdf(), 'a.pdf', id);
    expect(b).toEqual(a);
    expect(c).toEqual(a);
    expect(await t.loket.ctx.db.selectFrom('files').select('id').where('chat_id', '=', chatId).execute()).toHaveLength(1);
    expect(await t.loket.ctx.db.selectFrom('chat_events').select('seq').where('chat_id', '=', chatId).where('kind', '=', 'file').execute()).toHaveLength(1);
    closeAll(agentWs, visitor);
  });

  it('follows the channel settings for types and size, which only administrators change', async () => {
    const { channel, agent, agentWs, visitor, chatId, customer } = await servedChat();
    const admin = await makeAgent(t, [], { role: 'admin' });
    const path = `/api/admin/channels/${channel.id}/files`;
    expect(await callAs(t, 'GET', path, admin)).toMatchObject({ status: 200, body: { allowedTypes: expect.arrayContaining(['png', 'pdf', 'docx', 'doc']), maxBytes: 10 * 1024 * 1024 } });
    expect((await callAs(t, 'PUT', path, agent, { allowedTypes: ['pdf'], maxBytes: 2048 })).status).toBe(403);
    expect((await callAs(t, 'PUT', path, admin, { allowedTypes: ['exe'], maxBytes: 2048 })).status).toBe(422);
    expect((await callAs(t, 'PUT', path, admin, { allowedTypes: ['pdf'], maxBytes: 1e9 })).status).toBe(422);
    expect(await callAs(t, 'PUT', path, admin, { allowedTypes: ['pdf', 'png', 'pdf'], maxBytes: 2048 })).toMatchObject({ status: 200, body: { allowedTypes: ['png', 'pdf'], maxBytes: 2048 } });
    const config = await fetch(`${t.url}/api/widget/channels/${channel.key}`).then((r) => r.json() as Promise<{ files: unknown }>);
    expect(config.files).toEqual({ allowedTypes: ['png', 'pdf'], maxBytes: 2048 });

    expect(refusal(await upload(t, customer, chatId, files.docx(), 'letter.docx'))).toEqual({ status: 415, code: 'file_type_not_allowed' });
    expect(refusal(await upload(t, agent, chatId, files.gif(), 'dot.gif'))).toEqual({ status: 415, code: 'file_type_not_allowed' });
    const big = await upload(t, customer, chatId, files.pdf('x'.repeat(3000)), 'big.pdf');
    expect(big.status).toBe(413);
    expect(ErrorBodySchema.parse(big.body).error).toMatchObject({ code: 'file_too_large', limit: 2048 });
    await uploaded(t, customer, chatId, files.pdf(), 'small.pdf');

    const doc = (await (await fetch(`${t.url}/api/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(doc.paths['/api/chats/{id}/files'] ?? {})).toEqual(['post']);
    expect(Object.keys(doc.paths['/api/files/{id}'] ?? {})).toEqual(['get']);
    expect(Object.keys(doc.paths['/api/admin/channels/{id}/files'] ?? {})).toEqual(['get', 'put']);

    expect((await callAs(t, 'PUT', path, admin, { allowedTypes: [], maxBytes: 2048 })).status).toBe(200);
    expect(refusal(await upload(t, customer, chatId, files.pdf(), 'small.pdf'))).toEqual({ status: 403, code: 'feature_disabled' });
    closeAll(agentWs, visitor);
  });

  it('knows files by their bytes and refuses bad ones with a clear code, harming nothing else', async () => {
    const { agentWs, visitor, chatId, customer } = await servedChat();
    const kept = await uploaded(t, customer, chatId, files.png(), 'kept.png');
    const before = await t.loket.ctx.db.selectFrom('chats').select('last_seq').where('id', '=', chatId).executeTakeFirstOrThrow();

    // The type is the content's, whatever the name says.
    expect((await uploaded(t, customer, chatId, files.jpeg(5, 7), 'picture.pdf')).file).toMatchObject({ type: 'jpeg', width: 5, height: 7, name: 'picture.pdf' });
    expect((await uploaded(t, customer, chatId, files.docx(), 'letter')).file.type).toBe('docx');
    expect((await uploaded(t, customer, chatId, files.odt(), 'letter.odt')).file.type).toBe('odt');
    expect((await uploaded(t, customer, chatId, Buffer.from('Order 42\nthanks\n'), 'notes.txt')).file.type).toBe('text');
    expect((await uploaded(t, customer, chatId, files.ole(['WordDocument', '1Table']), 'old.doc')).file.type).toBe('doc');
    expect((await uploaded(t, customer, chatId, files.ole(['Workbook']), 'old.xls')).file.type).toBe('xls');
    const cases: Array<[string, Buffer, string, number, string]> = [
      ['an SVG with a script', files.svgWithScript(), 'logo.svg', 415, 'file_type_not_allowed'],
      ['SVG disguised as PNG', files.svgWithScript(), 'logo.png', 415, 'file_type_not_allowed'],
      ['HTML', files.html(), 'page.txt', 415, 'file_type_not_allowed'],
      ['an executable', files.exe(), 'invoice.pdf', 415, 'file_type_not_allowed'],
      ['any ZIP', files.plainZip(), 'report.docx', 415, 'file_type_not_allowed'],
      ['a macro-enabled document', files.docm(), 'report.docx', 415, 'file_type_not_allowed'],
      ['a legacy document with macros', files.ole(['WordDocument', 'Macros']), 'old.doc', 415, 'file_type_not_allowed'],
      ['another compound file', files.ole(['Contents']), 'thing.doc', 415, 'file_type_not_allowed'],
      ['wrong magic bytes', Buffer.from([0x00, 0x01, 0x02, 0x03, 0xfe, 0xff]), 'photo.jpg', 415, 'file_type_not_allowed'],
      ['a truncated image', files.png(40, 40).subarray(0, 60), 'cut.png', 422, 'file_damaged'],
      ['a truncated PDF', files.pdf().subarray(0, 100), 'cut.pdf', 422, 'file_damaged'],
      ['a 0-byte file', Buffer.alloc(0), 'empty.pdf', 422, 'file_empty'],
      ['a ../ name', files.pdf(), '../../etc/passwd', 422, 'file_name_invalid'],
      ['a Windows path', files.pdf(), 'C:\\Users\\x\\a.pdf', 422, 'file_name_invalid'],
      ['an empty name', files.pdf(), '', 422, 'file_name_invalid'],
      // Control characters break the one text policy for everything typed (protocol/text.ts) before the name is even looked at.
      ['a name of control characters', files.pdf(), '\u0000\u001b\u202e', 422, 'text_not_allowed'],
      ['a name of direction marks only', files.pdf(), '\u202e\u2066', 422, 'file_name_invalid'],
    ];
    for (const [what, data, name, status, code] of cases) {
      expect(refusal(await upload(t, customer, chatId, data, name)), what).toEqual({ status, code });
    }
    // Names lose direction overrides and overlong ones are shortened, keeping their extension.
    const sly = await uploaded(t, customer, chatId, files.pdf(), 'invoice\u202Efdp.exe .pdf');
    expect(sly.file.name).toBe('invoicefdp.exe .pdf');
    const long = await uploaded(t, customer, chatId, files.pdf(), `${'a'.repeat(300)}.pdf`);
    expect(long.file.name).toBe(`${'a'.repeat(116)}.pdf`);
    // Refusals are answered in the channel's language.
    const dutch = await servedChat({ language: 'nl' });
    expect(ErrorBodySchema.parse((await upload(t, dutch.customer, dutch.chatId, files.html(), 'x.html')).body).error.message).toBe('Dit soort bestand kan hier niet worden verstuurd.');

    // Nothing else was touched: the good file is intact and every refusal left the log alone.
    const stored = await download(t, customer, kept.file.id);
    expect(Buffer.from(await stored.arrayBuffer()).equals(files.png())).toBe(true);
    const after = await t.loket.ctx.db.selectFrom('chats').select('last_seq').where('id', '=', chatId).executeTakeFirstOrThrow();
    expect(after.last_seq).toBe(before.last_seq + 8);
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
    closeAll(agentWs, visitor, dutch.agentWs, dutch.visitor);
  });

  it('answers every cut-off or bit-flipped file with a file error or a stored file, never a failure', async () => {
    const { agentWs, visitor, chatId, customer } = await servedChat();
    const samples = [files.png(9, 9), files.gif(), files.jpeg(), files.pdf(), files.docx(), files.odt(), files.plainZip(), Buffer.from('plain words\n')];
    let n = 0;
    for (const sample of samples) {
      for (const cut of [1, 4, 8, 13, 29, 45, Math.floor(sample.length / 2), sample.length - 1]) {
        const bytes = Buffer.from(sample.subarray(0, Math.min(cut, sample.length)));
        if (n % 2 === 1) bytes.writeUInt8((bytes[bytes.length >> 1] ?? 0) ^ 0xff, bytes.length >> 1);
        const res = await upload(t, customer, chatId, bytes, `sample-${n++}.bin`);
        expect(res.status === 201 || /^file_/.test(ErrorBodySchema.parse(res.body).error.code), JSON.stringify(res.body)).toBe(true);
      }
    }
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
    closeAll(agentWs, visitor);
  });

  it('only lets the chat\'s own agent send, and nobody once it has ended', async () => {
    const { channel, agentWs, visitor, chatId, customer } = await servedChat();
    // A colleague without "Can listen in" does not see the chat at all; one who listens sees it but may not send into it.
    const colleague = await makeAgent(t, [channel]);
    expect(refusal(await upload(t, colleague, chatId, files.pdf(), 'a.pdf'))).toEqual({ status: 404, code: 'chat_not_found' });
    const listener = await makeAgent(t, [channel], { permissions: { canListen: true } });
    expect(refusal(await upload(t, listener, chatId, files.pdf(), 'a.pdf'))).toEqual({ status: 403, code: 'not_chat_agent' });
    const forged = await fetch(`${t.url}/api/chats/${chatId}/files?clientFileId=${newFileId()}&name=a.pdf`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream', authorization: `Bearer ${customer.token}`, origin: 'http://evil.example' },
      body: new Uint8Array(files.pdf()),
    });
    expect(forged.status).toBe(403);
    visitor.send({ type: 'end', rid: 'e' });
    await visitor.next((f) => f.type === 'ok');
    expect(refusal(await upload(t, customer, chatId, files.pdf(), 'late.pdf'))).toEqual({ status: 409, code: 'chat_ended' });
    closeAll(agentWs, visitor);
  });

  it('lists files in the transcript by name and size, and keeps them across a restart', async () => {
    const { agentWs, visitor, chatId, customer } = await servedChat();
    const doc = files.pdf();
    const { file } = await uploaded(t, customer, chatId, doc, 'receipt.pdf');
    visitor.send({ type: 'end', rid: 'e' });
    await visitor.next((f) => f.type === 'ok' && f.rid === 'e');
    visitor.send({ type: 'transcript', rid: 't', email: `customer@${DNS_TEST_ZONES.mx}` });
    expect((await visitor.next((f) => (f.type === 'ok' || f.type === 'error') && f.rid === 't')).type).toBe('ok');
    const email = await t.loket.ctx.db.selectFrom('emails').selectAll().where('chat_id', '=', chatId).executeTakeFirstOrThrow();
    expect(email.text_body).toMatch(/Sent a file: receipt\.pdf \(\d+ byte/);
    expect(email.text_body).not.toContain(file.id);
    closeAll(agentWs, visitor);

    await t.restart();
    const res = await download(t, customer, file.id);
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(doc)).toBe(true);
  });
});

describe('a body over the limit', () => {
  it('is refused with 413 before it is read whole', async () => {
    const t = await startTestLoket('sqlite');
    try {
      const channel = await makeChannel(t);
      const { chatId, token } = await startChat(t, channel);
      const res = await requestAs(t, 'GET', `/api/widget/channels/${channel.key}`, null);
      expect(res.status).toBe(200);
      const huge = Buffer.alloc(11 * 1024 * 1024, 0x41);
      const answer = await upload(t, { token }, chatId, huge, 'huge.txt');
      expect(answer.status).toBe(413);
      expect(ErrorBodySchema.parse(answer.body).error).toMatchObject({ code: 'file_too_large', limit: 10 * 1024 * 1024 });
      expect(await t.loket.ctx.db.selectFrom('files').select('id').execute()).toHaveLength(0);
    } finally {
      await t.close();
    }
  });
});

describe('files in a cluster', () => {
  it('are served by every node, whichever one stored them (no shared disk)', async () => {
    const cluster = await startTestCluster(2);
    try {
      const [a, b] = cluster.nodes as [TestLoket, TestLoket];
      const channel = await makeChannel(a);
      const agent = await makeAgent(a, [channel]);
      const { chatId, token } = await startChat(a, channel);
      const photo = files.png(6, 5);
      const { file } = await uploaded(a, { token }, chatId, photo, 'node-a.png');
      for (const who of [{ token }, agent]) {
        const res = await download(b, who, file.id);
        expect(res.status).toBe(200);
        expect(Buffer.from(await res.arrayBuffer()).equals(photo)).toBe(true);
      }
      // A retry that reaches the other node is still the same upload.
      const again = await upload(b, { token }, chatId, photo, 'node-a.png', (await a.loket.ctx.db.selectFrom('files').select('client_file_id').where('id', '=', file.id).executeTakeFirstOrThrow()).client_file_id);
      expect(FileUploadResultSchema.parse(again.body).file.id).toBe(file.id);
    } finally {
      await cluster.close();
    }
  });
});
