import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import { AdminChannelSchema, ErrorBodySchema, LOGO_MAX_BYTES, WidgetConfigSchema, contrastRatio, type AdminChannel } from '@loket/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callAs, makeAgent, makeChannel, SHOP_ORIGIN, type TestAgent } from '../support/factories.js';
import { DIALECTS, startTestCluster, startTestLoket, type TestLoket } from '../support/server.js';

/** A real, decodable PNG of one colour. */
function png(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer): Buffer => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const rows = Buffer.concat(Array.from({ length: height }, () => Buffer.concat([Buffer.from([0]), Buffer.alloc(width * 3, 0x40)])));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

/** The headers of a baseline JPEG (SOI, APP0, SOF0) with the given size: what the server reads. */
function jpeg(width: number, height: number): Buffer {
  const app0 = Buffer.from([0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]);
  const sof = Buffer.from([0xff, 0xc0, 0x00, 0x11, 0x08, height >> 8, height & 0xff, width >> 8, width & 0xff, 0x03, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
  return Buffer.concat([Buffer.from([0xff, 0xd8]), app0, sof, Buffer.from([0xff, 0xd9])]);
}

const SVG_OK = '<?xml version="1.0"?><!-- made by hand --><svg xmlns="http://www.w3.org/2000/svg" xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd" viewBox="0 0 10 10"><metadata>editor notes</metadata><sodipodi:namedview id="base"/><defs><linearGradient id="g"><stop offset="0" stop-color="#fff"/></linearGradient></defs><rect width="10" height="10" fill="url(#g)"/></svg>';

describe.each(DIALECTS)('widget layout and logo on %s', (dialect) => {
  let t: TestLoket;
  let admin: TestAgent;
  let widgetDist = '';
  beforeAll(async () => {
    // Just the chat window page, to check who may frame it.
    widgetDist = fs.mkdtempSync(path.join(os.tmpdir(), 'loket-widget-'));
    fs.writeFileSync(path.join(widgetDist, 'frame.html'), '<!doctype html><html lang="en"><body></body></html>');
    t = await startTestLoket(dialect, { widgetDist });
    admin = await makeAgent(t, [], { role: 'admin' });
  });
  afterAll(async () => {
    await t.close();
    fs.rmSync(widgetDist, { recursive: true, force: true });
  });

  const call = (method: string, path: string, who: TestAgent | null, body?: unknown) => callAs(t, method, path, who, body);
  const layout = (overrides: Record<string, unknown> = {}) => ({ theme: 'dark', color: '#0B6E4F', headerTextColor: 'auto', font: 'serif', showAgentPhoto: false, ...overrides });
  const widgetConfig = async (key: string, base = t.url) => {
    const res = await fetch(`${base}/api/widget/channels/${key}`, { headers: { origin: SHOP_ORIGIN } });
    expect(res.status).toBe(200);
    return WidgetConfigSchema.parse(await res.json());
  };
  const upload = async (channelId: string, type: string, body: Buffer | string, who: TestAgent | null = admin, csrf = true) => {
    const headers: Record<string, string> = { 'content-type': type };
    if (who) headers.cookie = who.cookie;
    if (who && csrf) headers['x-csrf-token'] = who.csrfToken;
    const res = await fetch(`${t.url}/api/admin/channels/${channelId}/logo`, { method: 'PUT', headers, body: typeof body === 'string' ? body : new Uint8Array(body) });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as unknown) : null };
  };
  const fieldError = (res: { status: number; body: unknown }) => {
    const e = ErrorBodySchema.parse(res.body).error;
    return { status: res.status, code: e.code, field: e.field, detail: e.detail };
  };
  const adminChannel = async (id: string): Promise<AdminChannel> => {
    const res = await call('GET', '/api/admin/channels', admin);
    const found = (res.body as { channels: unknown[] }).channels.map((c) => AdminChannelSchema.parse(c)).find((c) => c.id === id);
    if (!found) throw new Error('channel missing');
    return found;
  };

  it('saves the layout and every widget loaded afterwards uses it', async () => {
    const channel = await makeChannel(t);
    const res = await call('PUT', `/api/admin/channels/${channel.id}/layout`, admin, layout({ headerTextColor: '#FFFFEE' }));
    expect(res.status).toBe(200);
    expect(AdminChannelSchema.parse(res.body).layout).toEqual({ theme: 'dark', color: '#0b6e4f', headerTextColor: '#ffffee', font: 'serif', showAgentPhoto: false, logoUrl: null });
    expect((await adminChannel(channel.id)).layout.headerTextColor).toBe('#ffffee');
    expect(await widgetConfig(channel.key)).toMatchObject({ theme: 'dark', color: '#0b6e4f', headerTextColor: '#ffffee', font: 'serif', showAgentPhoto: false, logoUrl: null });
  });

  it('lets only its own origin (the console) frame the live preview', async () => {
    const ancestors = async (query: string) => {
      const res = await fetch(`${t.url}/widget/frame.html?${query}`);
      expect(res.status).toBe(200);
      return /frame-ancestors ([^;]*)/.exec(res.headers.get('content-security-policy') ?? '')?.[1];
    };
    expect(await ancestors('preview=1')).toBe("'self'");
    const channel = await makeChannel(t);
    expect(await ancestors(`channel=${channel.key}`)).toBe(`'self' ${SHOP_ORIGIN}`);
  });

  it('computes a readable header text colour when it is automatic', async () => {
    const channel = await makeChannel(t);
    for (const [color, expected] of [['#fff176', '#000000'], ['#1a237e', '#ffffff'], ['#777777', '#000000']] as const) {
      expect((await call('PUT', `/api/admin/channels/${channel.id}/layout`, admin, layout({ color }))).status).toBe(200);
      const config = await widgetConfig(channel.key);
      expect(config.headerTextColor).toBe(expected);
      expect(contrastRatio(config.color, config.headerTextColor)).toBeGreaterThanOrEqual(4.5);
    }
  });

  it('refuses an unreadable own text colour and bad values at their field, storing nothing', async () => {
    const channel = await makeChannel(t);
    const before = await adminChannel(channel.id);
    const unreadable = await call('PUT', `/api/admin/channels/${channel.id}/layout`, admin, layout({ color: '#ffffff', headerTextColor: '#aaaaaa' }));
    expect(fieldError(unreadable)).toEqual({ status: 422, code: 'validation_failed', field: 'headerTextColor', detail: '2.3:1, needs at least 4.5:1' });
    for (const [field, bad] of [
      ['color', { color: 'red' }],
      ['color', { color: '#12345' }],
      ['color', { color: '#123456;background:url(x)' }],
      ['headerTextColor', { headerTextColor: 'white' }],
      ['theme', { theme: 'neon' }],
      ['font', { font: 'Comic Sans' }],
    ] as const) {
      expect(fieldError(await call('PUT', `/api/admin/channels/${channel.id}/layout`, admin, layout(bad)))).toMatchObject({ status: 422, code: 'validation_failed', field });
    }
    expect(await adminChannel(channel.id)).toEqual(before);
  });

  it('is for administrators only, with CSRF on writes', async () => {
    const channel = await makeChannel(t);
    const agent = await makeAgent(t, [channel]);
    expect((await call('PUT', `/api/admin/channels/${channel.id}/layout`, null, layout())).status).toBe(401);
    expect(fieldError(await call('PUT', `/api/admin/channels/${channel.id}/layout`, agent, layout())).code).toBe('forbidden');
    expect(fieldError(await upload(channel.id, 'image/png', png(2, 2), agent)).code).toBe('forbidden');
    expect(fieldError(await call('DELETE', `/api/admin/channels/${channel.id}/logo`, agent)).code).toBe('forbidden');
    const noCsrf = await fetch(`${t.url}/api/admin/channels/${channel.id}/layout`, { method: 'PUT', headers: { cookie: admin.cookie, 'content-type': 'application/json' }, body: JSON.stringify(layout()) });
    expect(noCsrf.status).toBe(403);
    expect(ErrorBodySchema.parse(await noCsrf.json()).error.code).toBe('csrf_failed');
    expect(fieldError(await upload(channel.id, 'image/png', png(2, 2), admin, false)).code).toBe('csrf_failed');
    expect((await adminChannel(channel.id)).layout.logoUrl).toBeNull();
    expect((await call('PUT', `/api/admin/channels/unknown/layout`, admin, layout())).status).toBe(404);
    const doc = (await (await fetch(`${t.url}/api/openapi.json`)).json()) as { paths: Record<string, unknown> };
    expect(doc.paths['/api/admin/channels/{id}/layout']).toBeDefined();
    expect(doc.paths['/api/admin/channels/{id}/logo']).toBeDefined();
  });

  it('accepts PNG and JPEG logos and serves them with their type, for good, under a URL that changes with them', async () => {
    const channel = await makeChannel(t);
    const image = png(40, 20);
    const res = await upload(channel.id, 'image/png', image);
    expect(res.status).toBe(200);
    const first = AdminChannelSchema.parse(res.body).layout.logoUrl;
    expect(first).toMatch(new RegExp(`^/widget/logo/${channel.key}/[0-9a-f]{16}$`));
    expect((await widgetConfig(channel.key)).logoUrl).toBe(first);
    const served = await fetch(`${t.url}${first}`);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(served.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(served.headers.get('x-content-type-options')).toBe('nosniff');
    expect(served.headers.get('cross-origin-resource-policy')).toBe('same-origin');
    expect(Buffer.from(await served.arrayBuffer()).equals(image)).toBe(true);

    const photo = jpeg(300, 120);
    const second = AdminChannelSchema.parse((await upload(channel.id, 'image/jpeg', photo)).body).layout.logoUrl;
    expect(second).not.toBe(first);
    expect((await fetch(`${t.url}${first}`)).status).toBe(404);
    const servedJpeg = await fetch(`${t.url}${second}`);
    expect(servedJpeg.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await servedJpeg.arrayBuffer()).equals(photo)).toBe(true);

    const removed = await call('DELETE', `/api/admin/channels/${channel.id}/logo`, admin);
    expect(AdminChannelSchema.parse(removed.body).layout.logoUrl).toBeNull();
    expect((await widgetConfig(channel.key)).logoUrl).toBeNull();
    expect((await fetch(`${t.url}${second}`)).status).toBe(404);
  });

  it('refuses logos that are empty, too big, of another type, or whose bytes do not match their type', async () => {
    const channel = await makeChannel(t);
    const refused = async (type: string, body: Buffer | string, detail: RegExp) => {
      const e = fieldError(await upload(channel.id, type, body));
      expect(e, `${type} ${detail}`).toMatchObject({ status: 422, code: 'validation_failed', field: 'logo' });
      expect(e.detail).toMatch(detail);
    };
    await refused('image/png', Buffer.alloc(0), /empty/);
    await refused('image/png', Buffer.concat([png(2, 2), Buffer.alloc(LOGO_MAX_BYTES)]), /at most 100 KB/);
    await refused('image/gif', Buffer.from('GIF89a'), /not a PNG, JPEG or SVG/);
    await refused('image/png', jpeg(10, 10), /not a PNG/);
    await refused('image/jpeg', png(10, 10), /not a JPEG/);
    await refused('image/png', png(5000, 1), /5000×1 pixels/);
    await refused('image/jpeg', jpeg(1, 20000), /1×20000 pixels/);
    await refused('image/svg+xml', '<html><body>hi</body></html>', /not an SVG/);
    expect((await adminChannel(channel.id)).layout.logoUrl).toBeNull();
  });

  it('accepts a plain SVG and refuses one that could run or load something', async () => {
    const channel = await makeChannel(t);
    const ok = await upload(channel.id, 'image/svg+xml', SVG_OK);
    expect(ok.status).toBe(200);
    const url = AdminChannelSchema.parse(ok.body).layout.logoUrl;
    const served = await fetch(`${t.url}${url}`);
    expect(served.headers.get('content-type')).toBe('image/svg+xml');
    expect(served.headers.get('content-security-policy')).toBe("default-src 'none'; style-src 'unsafe-inline'");
    const text = await served.text();
    expect(text).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(text).toContain('fill="url(#g)"');

    const svg = (inner: string, attrs = '') => `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" ${attrs}>${inner}</svg>`;
    const dangerous = [
      svg('<script>alert(1)</script><rect width="1" height="1"/>'),
      svg('<rect width="1" height="1"/>', 'onload="alert(1)"'),
      svg('<image href="https://evil.example/x.png" width="1" height="1"/>'),
      svg('<a xlink:href="javascript:alert(1)"><rect width="1" height="1"/></a>'),
      svg('<a><animate attributeName="href" values="javascript:alert(1)"/><text>x</text></a>'),
      svg('<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">hi</div></foreignObject>'),
      svg('<rect width="1" height="1" style="fill:url(https://evil.example/p.svg#x)"/>'),
      svg('<style>@import url(https://evil.example/a.css);</style>'),
      '<!DOCTYPE svg [<!ENTITY a "aaaa">]>' + svg('<text>&a;</text>'),
    ];
    for (const body of dangerous) {
      const e = fieldError(await upload(channel.id, 'image/svg+xml', body));
      expect(e, body).toMatchObject({ status: 422, code: 'validation_failed', field: 'logo' });
      expect(e.detail, body).toMatch(/not accepted/);
    }
    expect((await adminChannel(channel.id)).layout.logoUrl).toBe(url);
  });
});

describe('widget layout across nodes', () => {
  it('reaches widgets loaded from another node without a restart', async () => {
    const cluster = await startTestCluster(2);
    try {
      const [a, b] = cluster.nodes as [TestLoket, TestLoket];
      const channel = await makeChannel(a);
      const admin = await makeAgent(a, [], { role: 'admin' });
      const saved = await callAs(a, 'PUT', `/api/admin/channels/${channel.id}/layout`, admin, { theme: 'system', color: '#222222', headerTextColor: '#ffcc00', font: 'mono', showAgentPhoto: true });
      expect(saved.status).toBe(200);
      const image = png(8, 8);
      const up = await fetch(`${a.url}/api/admin/channels/${channel.id}/logo`, { method: 'PUT', headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrfToken, 'content-type': 'image/png' }, body: new Uint8Array(image) });
      expect(up.status).toBe(200);
      const res = await fetch(`${b.url}/api/widget/channels/${channel.key}`, { headers: { origin: SHOP_ORIGIN } });
      const config = WidgetConfigSchema.parse(await res.json());
      expect(config).toMatchObject({ theme: 'system', color: '#222222', headerTextColor: '#ffcc00', font: 'mono', showAgentPhoto: true });
      const logo = await fetch(`${b.url}${config.logoUrl}`);
      expect(Buffer.from(await logo.arrayBuffer()).equals(image)).toBe(true);
    } finally {
      await cluster.close();
    }
  });
});
