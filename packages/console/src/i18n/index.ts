import { ERROR_CODES, errorMessage, type ErrorCode } from '@loket/protocol';
import { en, type MessageKey } from './en.js';
import enMessages from './en.js?icu';
import { nl } from './nl.js';
import nlMessages from './nl.js?icu';

export type { MessageKey };

export const UI_LANGUAGES = ['en', 'nl'] as const;
export type UiLanguage = (typeof UI_LANGUAGES)[number];

/** The ICU sources as written (docs/i18n.md); the UI uses their compiled form below. */
export const DICTIONARIES: Record<UiLanguage, Record<MessageKey, string>> = { en, nl };

// Compiled at build time (tools/vite-plugin-messageformat.ts); the console is small enough to
// carry both languages, so switching needs no load.
const COMPILED: Record<UiLanguage, Record<string, ((vars: Vars) => string) | undefined>> = { en: enMessages, nl: nlMessages };

export const LANGUAGE_NAMES: Record<UiLanguage, string> = { en: 'English', nl: 'Nederlands' };

export function isUiLanguage(value: string | null | undefined): value is UiLanguage {
  return value !== null && value !== undefined && (UI_LANGUAGES as readonly string[]).includes(value);
}

/** First of the browser's preferred languages that we speak; English otherwise. */
export function pickLanguage(preferred: readonly string[], override: string | null): UiLanguage {
  if (isUiLanguage(override)) return override;
  for (const tag of preferred) {
    const base = tag.slice(0, 2).toLowerCase();
    if (isUiLanguage(base)) return base;
  }
  return 'en';
}

/** ICU arguments: numbers for plurals (`{count, plural, one {# chat} other {# chats}}`), else strings. */
export type Vars = Record<string, string | number>;

export type Translate = (key: MessageKey, vars?: Vars) => string;

export function translator(lang: UiLanguage): Translate {
  const messages = COMPILED[lang];
  return (key, vars) => messages[key]?.(vars ?? {}) ?? key;
}

/**
 * Errors are translated by their stable code so the UI language wins over whatever language
 * the server guessed; the server's own message is the fallback for codes we do not know.
 */
export function translateError(lang: UiLanguage, code: string, serverMessage: string): string {
  return isErrorCode(code) ? errorMessage(code, lang) : serverMessage;
}

function isErrorCode(code: string): code is ErrorCode {
  return (ERROR_CODES as readonly string[]).includes(code);
}
