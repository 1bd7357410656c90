import fs from 'node:fs';
import path from 'node:path';

interface ManifestChunk {
  file: string;
  imports: string[];
}

function asChunk(value: unknown): ManifestChunk | null {
  if (typeof value !== 'object' || value === null || !('file' in value) || typeof value.file !== 'string') return null;
  const imports = 'imports' in value && Array.isArray(value.imports) ? value.imports.filter((i): i is string => typeof i === 'string') : [];
  return { file: value.file, imports };
}

/**
 * The files of one language's chunk and what it imports, from the widget build's Vite manifest
 * (the widget imports `src/frame/locales/<lang>.ts?icu`). Empty when the build has no manifest.
 */
export function languageChunkFiles(widgetDist: string, language: string): string[] {
  let manifest: Record<string, unknown>;
  try {
    manifest = JSON.parse(fs.readFileSync(path.join(widgetDist, '.vite', 'manifest.json'), 'utf8')) as Record<string, unknown>;
  } catch {
    return [];
  }
  const chunk = asChunk(manifest[`src/frame/locales/${language}.ts?icu`]);
  if (!chunk) return [];
  const imported = chunk.imports.map((key) => asChunk(manifest[key])?.file).filter((f): f is string => f !== undefined);
  return [chunk.file, ...imported];
}

/**
 * frame.html for one channel: its language on <html> and its language chunk preloaded, so the
 * chat window's first words are in the channel's language without waiting for its config.
 */
export function localizeFramePage(html: string, language: string, chunkFiles: readonly string[]): string {
  // Languages come from our own table, but this is HTML: accept nothing but a language tag.
  if (!/^[a-z]{2,3}$/.test(language)) return html;
  const preloads = chunkFiles
    .filter((f) => /^[\w./-]+$/.test(f))
    .map((f) => `<link rel="modulepreload" crossorigin href="/widget/${f}">`)
    .join('');
  return html.replace(/<html lang="[^"]*">/, `<html lang="${language}">`).replace('</head>', `${preloads}</head>`);
}
