import fs from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Scenario } from '../lib/result.js';

const dist = path.resolve(import.meta.dirname, '../../packages/widget/dist');
const KB = 1024;

function sizes(files: string[]) {
  const buf = Buffer.concat(files.map((f) => fs.readFileSync(f)));
  // Compressed separately per file is what a browser downloads; summed here per bundle.
  const per = files.map((f) => fs.readFileSync(f));
  return {
    raw: buf.length,
    gzip: per.reduce((n, b) => n + gzipSync(b, { level: 9 }).length, 0),
    brotli: per.reduce((n, b) => n + brotliCompressSync(b, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length, 0),
  };
}

/** What the widget costs a host page: the loader on every page view, the chat window once opened. */
export const run: Scenario = async () => {
  if (!fs.existsSync(path.join(dist, 'widget.js'))) throw new Error('packages/widget/dist is missing: run `npm run build` first');
  const loader = sizes([path.join(dist, 'widget.js')]);
  const assets = fs.readdirSync(path.join(dist, 'assets')).filter((f) => /\.(js|css)$/.test(f)).map((f) => path.join(dist, 'assets', f));
  const frame = sizes([path.join(dist, 'frame.html'), ...assets]);
  const fmt = (s: { raw: number; gzip: number; brotli: number }) => `${(s.gzip / KB).toFixed(2)} KB gzip · ${(s.brotli / KB).toFixed(2)} KB brotli · ${(s.raw / KB).toFixed(1)} KB minified`;
  return {
    name: 'weight',
    title: 'Widget weight',
    rows: [
      { label: 'Loader (widget.js)', value: fmt(loader) },
      { label: 'Chat window (frame.html + JS + CSS)', value: fmt(frame) },
    ],
    data: { loader, chatWindow: frame },
    goals: [
      { goal: 'Loader ≤ 3 KB gzip', met: loader.gzip <= 3 * KB, figure: `${(loader.gzip / KB).toFixed(2)} KB` },
      { goal: 'Chat window ≤ 35 KB gzip', met: frame.gzip <= 35 * KB, figure: `${(frame.gzip / KB).toFixed(2)} KB` },
    ],
  };
};
