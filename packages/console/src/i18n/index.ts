import { ERROR_CODES, errorMessage, type ErrorCode } from '@loket/protocol';
import { en, type MessageKey } from './en.js';
import { nl } from './nl.js';

export type { MessageKey };

export const UI_LANGUAGES = ['en', 'nl'] as const;
export type UiLanguage = (typeof UI_LANGUAGES)[number];

export const DICTIONARIES: Record<UiLanguage, Record<MessageKey, string>> = { en, nl };

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

export type Vars = Record<string, string | number>;

export function interpolate(template: string, vars: Vars | undefined): string {
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

export type Translate = (key: MessageKey, vars?: Vars) => string;

export function translator(lang: UiLanguage): Translate {
  const dict = DICTIONARIES[lang];
  return (key, vars) => interpolate(dict[key], vars);
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
