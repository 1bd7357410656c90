import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dictionaryProblems } from '../../../tools/icu-check.js';
import { DICTIONARIES, UI_LANGUAGES, pickLanguage, translateError, translator } from '../src/i18n/index.js';

const en = DICTIONARIES.en;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : /\.tsx?$/.test(name) ? [path] : [];
  });
}

describe('dictionaries', () => {
  for (const lang of UI_LANGUAGES) {
    it(`${lang}: exactly the English keys, each compiling, with the same arguments`, () => {
      expect(dictionaryProblems(lang, DICTIONARIES[lang], en)).toEqual([]);
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

  it('fills arguments and counts with each language’s plural rules', () => {
    const [enT, nlT] = [translator('en'), translator('nl')];
    expect(enT('time.minutes', { n: 3 })).toBe('3 min');
    expect([0, 1, 2].map((count) => enT('queue.count', { count }))).toEqual(['0 chats waiting', '1 chat waiting', '2 chats waiting']);
    expect([1, 5].map((count) => nlT('chats.unread', { count }))).toEqual(['1 ongelezen bericht', '5 ongelezen berichten']);
    expect(nlT('composer.tooLong', { over: 1 })).toBe('Het bericht is 1 teken te lang.');
  });

  it('shows quoted braces literally (ICU apostrophe quoting)', () => {
    for (const lang of UI_LANGUAGES) {
      const text = translator(lang)('props.queueVariables');
      expect(text).toContain('{position}');
      expect(text).not.toContain('undefined');
    }
    expect(translator('en')('props.queueVariables')).toContain("SuperOffice's {cque}");
  });

  it('translates server errors by code in the UI language', () => {
    expect(translateError('nl', 'chat_already_claimed', 'Another agent…')).toBe('Een andere medewerker heeft deze chat al aangenomen.');
    expect(translateError('en', 'some_future_code', 'From server')).toBe('From server');
  });
});
