import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DICTIONARIES, UI_LANGUAGES, interpolate, pickLanguage, translateError } from '../src/i18n/index.js';

const en = DICTIONARIES.en;
const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : /\.tsx?$/.test(name) ? [path] : [];
  });
}

describe('dictionaries', () => {
  for (const lang of UI_LANGUAGES) {
    it(`${lang} has every key, non-empty, with the same placeholders as English`, () => {
      const dict = DICTIONARIES[lang];
      expect(Object.keys(dict).sort()).toEqual(Object.keys(en).sort());
      for (const [key, text] of Object.entries(en)) {
        const translated = dict[key as keyof typeof en];
        expect(translated.trim(), `${lang}:${key}`).not.toBe('');
        expect(placeholders(translated), `${lang}:${key}`).toEqual(placeholders(text));
      }
    });
  }

  it('defines every literal key the UI asks for', () => {
    const src = join(import.meta.dirname, '..', 'src');
    const used = new Set<string>();
    for (const file of sourceFiles(src)) {
      for (const m of readFileSync(file, 'utf8').matchAll(/\bt\(\s*'([^']+)'/g)) used.add(m[1]!);
    }
    expect(used.size).toBeGreaterThan(20);
    const missing = [...used].filter((k) => !(k in en));
    expect(missing).toEqual([]);
  });
});

describe('language choice', () => {
  it('prefers the override, then the first supported browser language, then English', () => {
    expect(pickLanguage(['nl-NL', 'en'], null)).toBe('nl');
    expect(pickLanguage(['de-DE', 'en-GB'], null)).toBe('en');
    expect(pickLanguage(['fr'], null)).toBe('en');
    expect(pickLanguage(['en-US'], 'nl')).toBe('nl');
    expect(pickLanguage(['nl'], 'xx')).toBe('nl');
  });

  it('interpolates named variables', () => {
    expect(interpolate('{n} min', { n: 3 })).toBe('3 min');
  });

  it('translates server errors by code in the UI language', () => {
    expect(translateError('nl', 'chat_already_claimed', 'Another agent…')).toBe('Een andere medewerker heeft deze chat al aangenomen.');
    expect(translateError('en', 'some_future_code', 'From server')).toBe('From server');
  });
});
