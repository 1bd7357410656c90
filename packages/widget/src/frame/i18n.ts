import { LANGUAGES, type ErrorCode, type Language } from '@loket/protocol';
import type { MessageKey } from './locales/en.js';

export type { MessageKey };

/** ICU arguments: plural and number arguments take numbers, the rest strings. */
export type Vars = Record<string, string | number>;
export type Translate = (key: MessageKey, vars?: Vars) => string;

type Compiled = Record<string, ((vars: Vars) => string) | undefined>;

// One chunk per language, compiled at build time (tools/vite-plugin-messageformat.ts): a visitor
// downloads only the language of the channel. Listed literally so the bundler can see every chunk.
const LOCALES: Record<Language, () => Promise<{ default: Compiled }>> = {
  en: () => import('./locales/en.js?icu'),
  nl: () => import('./locales/nl.js?icu'),
  de: () => import('./locales/de.js?icu'),
  fr: () => import('./locales/fr.js?icu'),
  es: () => import('./locales/es.js?icu'),
  nb: () => import('./locales/nb.js?icu'),
  sv: () => import('./locales/sv.js?icu'),
  da: () => import('./locales/da.js?icu'),
};

export function isLanguage(value: string): value is Language {
  return (LANGUAGES as readonly string[]).includes(value);
}

const loaded = new Map<Language, Promise<Translate>>();

/** The translator for a channel language (English for one we do not know); each language loads once. */
export function loadTranslator(language: string): Promise<Translate> {
  const lang: Language = isLanguage(language) ? language : 'en';
  let t = loaded.get(lang);
  if (!t) {
    t = LOCALES[lang]().then(({ default: messages }) => (key: MessageKey, vars?: Vars) => messages[key]?.(vars ?? {}) ?? key);
    // A failed chunk load (network) may be retried by the next call.
    t.catch(() => loaded.delete(lang));
    loaded.set(lang, t);
  }
  return t;
}

/** Language to use before the channel config is known: the browser's, if we speak it. */
export function browserLanguage(): Language {
  const tag = (navigator.language || 'en').slice(0, 2).toLowerCase();
  if (tag === 'no' || tag === 'nn') return 'nb';
  return isLanguage(tag) ? tag : 'en';
}

/**
 * The server writes the channel's language into frame.html's <html lang> (and preloads its chunk),
 * so the first text the visitor sees is already in the channel's language, before the config arrives.
 */
export function pageLanguage(): Language {
  const lang = document.documentElement.lang;
  return isLanguage(lang) ? lang : browserLanguage();
}

/** Codes only agents and administrators get: the chat window never shows them. */
export const AGENT_ONLY_CODES = [
  'unauthenticated',
  'csrf_failed',
  'chat_already_claimed',
  'queue_empty',
  'not_chat_agent',
  'invalid_credentials',
  'template_invalid',
  'template_in_use',
  'email_taken',
  'channel_key_taken',
  'channel_in_use',
  'transfer_not_found',
  'transfer_not_pending',
  'transfer_pending',
  'transfer_target_invalid',
  'shortcut_taken',
  'quick_reply_too_long',
] as const satisfies readonly ErrorCode[];
type AgentOnlyCode = (typeof AGENT_ONLY_CODES)[number];

/**
 * The widget's own text for every error a visitor can get (the server translates only some
 * languages). A new code in the protocol fails the type check here until it has a text.
 */
export const ERROR_KEYS: Record<Exclude<ErrorCode, AgentOnlyCode> | 'network', MessageKey> = {
  network: 'errNetwork',
  bad_request: 'errGeneric',
  validation_failed: 'errGeneric',
  forbidden: 'errGeneric',
  not_found: 'errGeneric',
  chat_not_active: 'errGeneric',
  unavailable: 'errGeneric',
  internal: 'errGeneric',
  channel_not_found: 'errUnavailable',
  origin_not_allowed: 'errUnavailable',
  chat_not_found: 'errUnavailable',
  chat_ended: 'ended',
  chat_not_ended: 'errNotEnded',
  email_invalid: 'errEmailInvalid',
  email_too_long: 'errEmailTooLong',
  email_domain_not_found: 'errDomainNotFound',
  email_domain_no_mail: 'errDomainNoMail',
  message_too_long: 'errMessageTooLong',
  message_empty: 'errRequired',
  field_required: 'errRequired',
  feature_disabled: 'errFeatureOff',
  transcript_limit: 'errTranscriptLimit',
  rate_limited: 'errRateLimited',
  spam_detected: 'errSpam',
  payload_too_large: 'errMessageTooLong',
  headers_too_large: 'errGeneric',
  idempotency_conflict: 'errGeneric',
  text_not_allowed: 'errText',
  file_type_not_allowed: 'errFileType',
  file_too_large: 'errFileTooBig',
  file_empty: 'errFileEmpty',
  file_damaged: 'errFileDamaged',
  file_name_invalid: 'errFileName',
};

/** An error in the visitor's language: ours when we have one, else the server's message. */
export function errorText(t: Translate, code: string, serverMessage: string): string {
  const key = (ERROR_KEYS as Record<string, MessageKey | undefined>)[code];
  return key ? t(key) : serverMessage;
}
