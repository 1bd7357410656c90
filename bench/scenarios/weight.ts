import fs from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Scenario } from '../lib/result.js';

const KB = 1024;

interface Size {
  raw: number;
  gzip: number;
  brotli: number;
}

interface ManifestChunk {
  file: string;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
}

/** Compressed separately per file (what a browser downloads), summed. */
function sizes(files: string[]): Size {
  const per = files.map((f) => fs.readFileSync(f));
  return {
    raw: per.reduce((n, b) => n + b.length, 0),
    gzip: per.reduce((n, b) => n + gzipSync(b, { level: 9 }).length, 0),
    brotli: per.reduce((n, b) => n + brotliCompressSync(b, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length, 0),
  };
}

/** A chunk's own file, its CSS and everything it imports statically (loaded with it). */
function closure(manifest: Record<string, ManifestChunk>, key: string, seen = new Set<string>()): Set<string> {
  const chunk = manifest[key];
  if (!chunk || seen.has(chunk.file)) return seen;
  seen.add(chunk.file);
  for (const css of chunk.css ?? []) seen.add(css);
  for (const imported of chunk.imports ?? []) closure(manifest, imported, seen);
  return seen;
}

/**
 * What one customer downloads: the loader on every page view; on the first open the chat window
 * (frame.html, its JS and CSS) plus ONE language chunk — the largest, to measure the worst case.
 */
export function measureWidget(dist: string) {
  if (!fs.existsSync(path.join(dist, 'widget.js'))) throw new Error(`${dist} is missing: run \`npm run build\` first`);
  const manifestFile = path.join(dist, '.vite', 'manifest.json');
  if (!fs.existsSync(manifestFile)) throw new Error(`${manifestFile} is missing: build the widget with build.manifest`);
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as Record<string, ManifestChunk>;
  const at = (files: Iterable<string>) => [...files].map((f) => path.join(dist, f));
  const entry = closure(manifest, 'frame.html');
  const languages = (manifest['frame.html']?.dynamicImports ?? [])
    .filter((key) => key.includes('/locales/'))
    .map((key) => {
      const files = [...closure(manifest, key)].filter((f) => !entry.has(f));
      return { language: path.basename(key).replace(/\..*$/, ''), files, size: sizes(at(files)) };
    })
    .sort((a, b) => b.size.gzip - a.size.gzip);
  const largest = languages[0];
  if (!largest) throw new Error('the widget build has no language chunks');
  // The emoji picker: its own chunk, fetched on the first click of the emoji button (what it adds to the entry).
  const emojiKey = Object.keys(manifest).find((key) => key.endsWith('/EmojiPicker.tsx'));
  if (!emojiKey) throw new Error('the widget build has no emoji picker chunk');
  const emojiChunk = sizes(at([...closure(manifest, emojiKey)].filter((f) => !entry.has(f))));
  const everything = fs.readdirSync(path.join(dist, 'assets')).filter((f) => /\.(js|css)$/.test(f)).map((f) => path.join(dist, 'assets', f));
  return {
    loader: sizes([path.join(dist, 'widget.js')]),
    chatWindow: sizes([path.join(dist, 'frame.html'), ...at(entry), ...at(largest.files)]),
    main: sizes([path.join(dist, 'frame.html'), ...at(entry)]),
    largestLanguage: { language: largest.language, ...largest.size },
    emojiChunk,
    languages: Object.fromEntries(languages.map((l) => [l.language, l.size.gzip])),
    allAssets: sizes(everything),
  };
}

/** What the widget costs a host page: the loader on every page view, the chat window once opened. */
export const run: Scenario = async () => {
  const m = measureWidget(path.resolve(import.meta.dirname, '../../packages/widget/dist'));
  const fmt = (s: Size) => `${(s.gzip / KB).toFixed(2)} KB gzip · ${(s.brotli / KB).toFixed(2)} KB brotli · ${(s.raw / KB).toFixed(1)} KB minified`;
  return {
    name: 'weight',
    title: 'Widget weight',
    rows: [
      { label: 'Loader (widget.js)', value: fmt(m.loader) },
      { label: `Chat window, one customer (frame.html + JS + CSS + largest language, ${m.largestLanguage.language})`, value: fmt(m.chatWindow) },
      { label: 'of which the language chunk', value: fmt(m.largestLanguage) },
      { label: 'Emoji picker, loaded on its first use (not in the first download)', value: fmt(m.emojiChunk) },
      { label: 'All languages and chunks on disk (never downloaded together)', value: fmt(m.allAssets) },
    ],
    data: m,
    goals: [
      { goal: 'Loader ≤ 3 KB gzip', met: m.loader.gzip <= 3 * KB, figure: `${(m.loader.gzip / KB).toFixed(2)} KB` },
      { goal: 'Chat window ≤ 35 KB gzip', met: m.chatWindow.gzip <= 35 * KB, figure: `${(m.chatWindow.gzip / KB).toFixed(2)} KB` },
      { goal: 'Emoji picker chunk ≤ 2 KB gzip', met: m.emojiChunk.gzip <= 2 * KB, figure: `${(m.emojiChunk.gzip / KB).toFixed(2)} KB` },
    ],
  };
};
