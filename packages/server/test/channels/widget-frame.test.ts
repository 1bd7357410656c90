import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeChannel } from '../support/factories.js';
import { DIALECTS, startTestLoket, type TestLoket } from '../support/server.js';

// A widget build in miniature: frame.html and the manifest entries the server reads.
function fakeWidgetDist(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loket-widget-'));
  fs.mkdirSync(path.join(dir, '.vite'));
  fs.mkdirSync(path.join(dir, 'assets'));
  fs.writeFileSync(path.join(dir, 'frame.html'), '<!doctype html>\n<html lang="en">\n<head><script type="module" src="/widget/assets/frame-1.js"></script></head><body></body></html>');
  const manifest = {
    _shared: { file: 'assets/cardinals-9.js' },
    'src/frame/locales/en.ts?icu': { file: 'assets/en-1.js', imports: ['_shared'] },
    'src/frame/locales/nl.ts?icu': { file: 'assets/nl-2.js', imports: ['_shared'] },
  };
  fs.writeFileSync(path.join(dir, '.vite', 'manifest.json'), JSON.stringify(manifest));
  return dir;
}

describe.each(DIALECTS)('the chat window page on %s', (dialect) => {
  let t: TestLoket;
  beforeAll(async () => {
    t = await startTestLoket(dialect, { widgetDist: fakeWidgetDist() });
  });
  afterAll(async () => {
    await t.close();
  });

  it('speaks the channel’s language from the first byte and preloads only that language', async () => {
    const channel = await makeChannel(t, { language: 'nl' });
    const res = await fetch(`${t.url}/widget/frame.html?channel=${channel.key}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<html lang="nl">');
    expect(html).toContain('<link rel="modulepreload" crossorigin href="/widget/assets/nl-2.js">');
    expect(html).toContain('<link rel="modulepreload" crossorigin href="/widget/assets/cardinals-9.js">');
    expect(html).not.toContain('en-1.js');
  });

  it('leaves the page alone for an unknown channel', async () => {
    const html = await (await fetch(`${t.url}/widget/frame.html?channel=nope`)).text();
    expect(html).toContain('<html lang="en">');
    expect(html).not.toContain('modulepreload');
  });
});
