import { readFile } from 'node:fs/promises';
import path from 'node:path';
import MessageFormat from '@messageformat/core';
import compileModule from '@messageformat/core/lib/compile-module.js';
import { transformWithEsbuild, type Plugin } from 'vite';

/** Import suffix that asks for a dictionary's compiled form: `import nl from './locales/nl.js?icu'`. */
export const ICU_QUERY = '?icu';

type Dictionary = Record<string, string>;

function isDictionary(value: unknown): value is Dictionary {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((v) => typeof v === 'string');
}

/**
 * Reads a dictionary module (a .ts or .json file holding only ICU strings). It is evaluated
 * rather than parsed so dictionaries stay ordinary, type-checked TypeScript; type-only imports
 * vanish in the transform, anything else would fail loudly here.
 */
async function readDictionary(file: string): Promise<Dictionary> {
  const source = await readFile(file, 'utf8');
  if (file.endsWith('.json')) {
    const data: unknown = JSON.parse(source);
    if (!isDictionary(data)) throw new Error(`${file}: not an object of strings`);
    return data;
  }
  const { code } = await transformWithEsbuild(source, file, { loader: 'ts', format: 'esm', target: 'es2022' });
  const mod = (await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`)) as Record<string, unknown>;
  const found = 'default' in mod ? [mod['default']] : Object.values(mod).filter(isDictionary);
  const dict = found[0];
  if (found.length !== 1 || !isDictionary(dict)) throw new Error(`${file}: export exactly one object of strings (default or named)`);
  return dict;
}

/** The file's base name is its locale (nl.ts → nl), which picks the plural rules. */
export function localeOf(file: string): string {
  return path.basename(file).replace(/\.[^.]+$/, '');
}

/** Compiles one dictionary into an ES module of plain functions over @messageformat/runtime. */
export function compileDictionary(locale: string, messages: Dictionary): string {
  return compileModule(new MessageFormat(locale), messages);
}

/**
 * Messages are compiled at build time so browsers ship neither an ICU parser nor any language
 * but the one they import. Shared by the widget and console builds and by Vitest.
 */
export function messageformat(): Plugin {
  return {
    name: 'loket-messageformat',
    enforce: 'pre',
    async resolveId(source, importer, options) {
      if (!source.endsWith(ICU_QUERY)) return null;
      const resolved = await this.resolve(source.slice(0, -ICU_QUERY.length), importer, { ...options, skipSelf: true });
      return resolved ? resolved.id + ICU_QUERY : null;
    },
    async load(id) {
      if (!id.endsWith(ICU_QUERY)) return null;
      const file = id.slice(0, -ICU_QUERY.length);
      this.addWatchFile(file);
      return compileDictionary(localeOf(file), await readDictionary(file));
    },
  };
}
