import { ERROR_CODES, LANGUAGES, type Language } from '@loket/protocol';
import { describe, expect, it } from 'vitest';
import { dictionaryProblems } from '../../../tools/icu-check.js';
import { AGENT_ONLY_CODES, ERROR_KEYS, errorText, loadTranslator } from '../src/frame/i18n.js';
import { formatClock } from '../src/frame/time.js';
import da from '../src/frame/locales/da.js';
import de from '../src/frame/locales/de.js';
import en from '../src/frame/locales/en.js';
import es from '../src/frame/locales/es.js';
import fr from '../src/frame/locales/fr.js';
import nb from '../src/frame/locales/nb.js';
import nl from '../src/frame/locales/nl.js';
import sv from '../src/frame/locales/sv.js';

// The ICU sources as written, to hold every language against English.
const SOURCES: Record<Language, Record<string, string>> = { en, nl, de, fr, es, nb, sv, da };

describe('widget locales', () => {
  it('has a locale for every channel language', () => {
    expect(Object.keys(SOURCES).sort()).toEqual([...LANGUAGES].sort());
  });

  for (const lang of LANGUAGES) {
    it(`${lang}: exactly the English keys, each compiling, with the same arguments`, () => {
      expect(dictionaryProblems(lang, SOURCES[lang], en)).toEqual([]);
    });
  }

  it('finds a missing key, an extra key, a broken message and a renamed argument', () => {
    const { next: _next, ...rest } = en;
    const broken = { ...rest, extra: 'x', typing: '{naam} typt…', star: '{n, plural, one {# ster}' };
    expect(dictionaryProblems('nl', broken, en)).toEqual([
      "nl: missing key 'next'",
      "nl: 'typing' uses arguments {naam}, English uses {name}",
      expect.stringMatching(/^nl: 'star' does not compile/),
      "nl: extra key 'extra' (not in English)",
    ]);
  });
});

describe('translator', () => {
  it('fills arguments and falls back to English for unknown languages', async () => {
    expect((await loadTranslator('nl'))('typing', { name: 'Anna' })).toBe('Anna is aan het typen…');
    expect((await loadTranslator('xx'))('next')).toBe('Next');
  });

  it('uses each language’s plural rules', async () => {
    const [enT, frT, nlT, deT] = await Promise.all(['en', 'fr', 'nl', 'de'].map(loadTranslator));
    // French counts 0 as singular, English and Dutch do not.
    expect([0, 1, 2].map((n) => enT!('star', { n }))).toEqual(['0 stars out of 5', '1 star out of 5', '2 stars out of 5']);
    expect([0, 1, 2].map((n) => frT!('star', { n }))).toEqual(['0 étoile sur 5', '1 étoile sur 5', '2 étoiles sur 5']);
    expect([0, 1, 2].map((n) => nlT!('star', { n }))).toEqual(['0 sterren van de 5', '1 ster van de 5', '2 sterren van de 5']);
    expect(deT!('rateThanks', { n: 4 })).toBe('Vielen Dank für Ihre Bewertung: 4 Sterne von 5.');
  });
});

describe('error texts', () => {
  const agentOnly = new Set<string>(AGENT_ONLY_CODES);

  for (const lang of LANGUAGES) {
    it(`${lang}: every error a visitor can get has its own translated text`, async () => {
      const t = await loadTranslator(lang);
      for (const code of [...ERROR_CODES.filter((c) => !agentOnly.has(c)), 'network']) {
        const key = (ERROR_KEYS as Record<string, string | undefined>)[code];
        expect(key, code).toBeDefined();
        const text = errorText(t, code, 'SERVER TEXT');
        expect(text, `${lang} ${code}`).not.toBe('SERVER TEXT');
        expect(text.trim(), `${lang} ${code}`).not.toBe('');
      }
    });
  }
});

describe('times', () => {
  const at = Date.UTC(2026, 0, 5, 13, 7);

  it('follows the visitor’s locale and time zone, not the server’s', () => {
    expect(formatClock(at, 'nl-NL', 'Europe/Amsterdam')).toBe('14:07');
    expect(formatClock(at, 'de-DE', 'Asia/Tokyo')).toBe('22:07');
    expect(formatClock(at, 'en-US', 'America/New_York')).toMatch(/^8:07\sAM$/u);
  });
});
