import { LANGUAGES } from '@loket/protocol';
import { describe, expect, it } from 'vitest';
import { DICTIONARIES, translator } from '../src/frame/i18n.js';

const reference = DICTIONARIES.en;
const placeholders = (s: string): string[] => (s.match(/\{\w+\}/g) ?? []).sort();

describe('widget dictionaries', () => {
  it('has a dictionary for every channel language', () => {
    expect(Object.keys(DICTIONARIES).sort()).toEqual([...LANGUAGES].sort());
  });

  for (const lang of LANGUAGES) {
    it(`${lang}: every key present, non-empty, no extra keys, same placeholders`, () => {
      const dict: Record<string, unknown> = DICTIONARIES[lang];
      expect(Object.keys(dict).sort()).toEqual(Object.keys(reference).sort());
      for (const [key, en] of Object.entries(reference)) {
        const text = dict[key];
        expect(typeof text === 'string' && text.trim().length > 0, `${lang}.${key}`).toBe(true);
        expect(placeholders(String(text)), `${lang}.${key}`).toEqual(placeholders(en));
      }
    });
  }

  it('fills variables and falls back to English for unknown languages', () => {
    expect(translator('nl')('typing', { name: 'Anna' })).toBe('Anna is aan het typen…');
    expect(translator('xx')('next')).toBe('Next');
  });
});
