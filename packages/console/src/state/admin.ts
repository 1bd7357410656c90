import type { AdminChannel, ChannelPostchatSettings, Language, Mailbox, OutboxEmail, ReplyTemplate, TemplateInput } from '@loket/protocol';

/** Pure helpers of the admin views (templates, outbox, channels); the views keep their own state. */

/** Names of the widget languages in their own language (the select shows them to any admin). */
export const LANGUAGE_ENDONYMS: Record<Language, string> = {
  en: 'English',
  nl: 'Nederlands',
  de: 'Deutsch',
  fr: 'Français',
  es: 'Español',
  nb: 'Norsk bokmål',
  sv: 'Svenska',
  da: 'Dansk',
};

export function templateInput(template: ReplyTemplate | null, language: Language): TemplateInput {
  return template
    ? { name: template.name, language: template.language, subject: template.subject, body: template.body }
    : { name: '', language, subject: '', body: '' };
}

export function sameInput(a: TemplateInput, b: TemplateInput): boolean {
  return a.name === b.name && a.language === b.language && a.subject === b.subject && a.body === b.body;
}

/** Templates by name (built-in ones first within a name tie), for lists and selects. */
export function sortTemplates(templates: readonly ReplyTemplate[]): ReplyTemplate[] {
  return [...templates].sort((a, b) => a.name.localeCompare(b.name) || Number(b.builtin) - Number(a.builtin) || a.id.localeCompare(b.id));
}

/** Replaces or adds `template` in the list. */
export function upsertTemplate(templates: readonly ReplyTemplate[], template: ReplyTemplate): ReplyTemplate[] {
  return sortTemplates([...templates.filter((t) => t.id !== template.id), template]);
}

/** The `{{variable}}` a click in the variables help inserts. */
export function variableToken(name: string): string {
  return `{{${name}}}`;
}

/**
 * Inserts `text` in `value` in place of the selection [start, end) (or at the end when the field
 * never had a caret); returns the new value and where the caret goes (after the insertion).
 */
export function insertAt(value: string, start: number | null, end: number | null, text: string): { value: string; caret: number } {
  const from = clamp(start ?? value.length, 0, value.length);
  const to = clamp(end ?? from, from, value.length);
  return { value: value.slice(0, from) + text + value.slice(to), caret: from + text.length };
}

function clamp(n: number, min: number, max: number): number {
  return Math.min(Math.max(n, min), max);
}

/** The form field a server error is about: `postchat.header` and `header` both mean the header field. */
export function fieldOf(field: string | null | undefined): string | null {
  if (!field) return null;
  return field.split(/[.[\]/]/).filter((p) => p !== '').at(-1) ?? null;
}

export function formatMailbox(m: Mailbox): string {
  return m.name.trim() === '' ? m.address : `${m.name} <${m.address}>`;
}

/** Replaces an e-mail in the list by id (after a retry); unknown ids leave the list alone. */
export function replaceEmail(emails: readonly OutboxEmail[], email: OutboxEmail): OutboxEmail[] {
  return emails.map((e) => (e.id === email.id ? email : e));
}

export function replaceChannel(channels: readonly AdminChannel[], channel: AdminChannel): AdminChannel[] {
  return channels.map((c) => (c.id === channel.id ? channel : c));
}

export function samePostchat(a: ChannelPostchatSettings, b: ChannelPostchatSettings): boolean {
  return (
    a.enabled === b.enabled &&
    a.header === b.header &&
    a.message === b.message &&
    a.rating === b.rating &&
    a.transcript === b.transcript &&
    a.transcriptTemplateId === b.transcriptTemplateId
  );
}
