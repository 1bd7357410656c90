import {
  BUILTIN_FIELD_KEYS,
  type AdminChannel,
  type AvailableAgent,
  type ChannelAgent,
  type ChannelAgentInput,
  type ChannelOfflineInput,
  type ChannelPostchatSettings,
  type ChannelPrechatInput,
  type ChannelProperties,
  type Language,
  type Mailbox,
  type OutboxEmail,
  type PrechatField,
  type ReplyTemplate,
  type TemplateInput,
} from '@loket/protocol';

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

/** Adds a new channel to the list (sorted by name like the view) or replaces it. */
export function upsertChannel(channels: readonly AdminChannel[], channel: AdminChannel): AdminChannel[] {
  return [...channels.filter((c) => c.id !== channel.id), channel].sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}

export function removeChannel(channels: readonly AdminChannel[], id: string): AdminChannel[] {
  return channels.filter((c) => c.id !== id);
}

/** A suggested key for a channel name: lower-case ASCII letters, digits and single dashes. */
export function keyFromName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64)
    .replace(/-+$/, '');
}

export function channelProperties(c: AdminChannel): ChannelProperties {
  return {
    name: c.name,
    language: c.language,
    badgeText: c.badgeText,
    headerText: c.headerText,
    welcomeMessage: c.welcomeMessage,
    queueMessage: c.queueMessage,
    description: c.description,
    warnAfterSeconds: c.warnAfterSeconds,
    managerWarnAfterSeconds: c.managerWarnAfterSeconds,
  };
}

export function sameProperties(a: ChannelProperties, b: ChannelProperties): boolean {
  return (Object.keys(a) as Array<keyof ChannelProperties>).every((k) => a[k] === b[k]);
}

/** The origins textarea: one origin per line; blank lines are ignored. */
export function parseOriginLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

export function originLines(origins: readonly string[]): string {
  return origins.join('\n');
}

export type Permission = 'canRespond' | 'notifications' | 'canListen' | 'manager';
export const PERMISSIONS: readonly Permission[] = ['canRespond', 'notifications', 'canListen', 'manager'];

/** The agents table's rows as the PUT expects them. */
export function agentInputs(agents: readonly ChannelAgent[]): ChannelAgentInput[] {
  return agents.map((a) => ({ agentId: a.agentId, canRespond: a.canRespond, notifications: a.notifications, canListen: a.canListen, manager: a.manager }));
}

/** Adds an agent with the default permissions (can respond, notifications); already present: no change. */
export function addAgentRow(rows: readonly ChannelAgent[], agent: AvailableAgent): ChannelAgent[] {
  if (rows.some((r) => r.agentId === agent.id)) return [...rows];
  return [...rows, { agentId: agent.id, name: agent.name, email: agent.email, canRespond: true, notifications: true, canListen: false, manager: false }];
}

export function removeAgentRow(rows: readonly ChannelAgent[], agentId: string): ChannelAgent[] {
  return rows.filter((r) => r.agentId !== agentId);
}

export function setPermission(rows: readonly ChannelAgent[], agentId: string, permission: Permission, value: boolean): ChannelAgent[] {
  return rows.map((r) => (r.agentId === agentId ? { ...r, [permission]: value } : r));
}

/** The agents that can still be added (active, not yet serving the channel). */
export function addableAgents(available: readonly AvailableAgent[], rows: readonly ChannelAgent[]): AvailableAgent[] {
  return available.filter((a) => !rows.some((r) => r.agentId === a.id));
}

export function sameAgentRows(a: readonly ChannelAgent[], b: readonly ChannelAgent[]): boolean {
  return JSON.stringify(agentInputs(a)) === JSON.stringify(agentInputs(b));
}

// ---- warnings, pre-chat and offline forms ----

/** A seconds input: empty = off (null); anything not a whole number is kept as NaN so the server names the field. */
export function secondsFromInput(text: string): number | null {
  const t = text.trim();
  if (t === '') return null;
  return /^\d+$/.test(t) ? Number(t) : Number.NaN;
}

export function secondsToInput(value: number | null): string {
  return value === null || Number.isNaN(value) ? '' : String(value);
}

/** Same values whatever the key order (the server's answer lists keys in its own order). */
function sameJson(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries
      .sort(([x], [y]) => (x < y ? -1 : 1))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

export function samePrechat(a: ChannelPrechatInput, b: ChannelPrechatInput): boolean {
  return sameJson(a, b);
}

export function sameOffline(a: ChannelOfflineInput, b: ChannelOfflineInput): boolean {
  return sameJson(a, b);
}

/** A suggested custom-field key for a label: lower-case ASCII letters, digits and underscores, starting with a letter. */
export function fieldKeyFromLabel(label: string): string {
  const key = label
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^[^a-z]+|_+$/g, '')
    .slice(0, 40)
    .replace(/_+$/, '');
  return key === '' ? 'field' : key;
}

/** A key not yet used by `fields` nor reserved for a built-in field: `base`, `base_2`, `base_3`… */
export function uniqueFieldKey(base: string, fields: readonly PrechatField[], except = -1): string {
  const taken = (k: string) => (BUILTIN_FIELD_KEYS as readonly string[]).includes(k) || fields.some((f, i) => i !== except && f.key === k);
  if (!taken(base)) return base;
  for (let n = 2; ; n++) {
    const key = `${base.slice(0, 36)}_${n}`;
    if (!taken(key)) return key;
  }
}

/** Moves the field at `index` one place up (-1) or down (+1); at an end nothing changes. */
export function moveField<T>(fields: readonly T[], index: number, by: -1 | 1): T[] {
  const to = index + by;
  if (to < 0 || to >= fields.length) return [...fields];
  const next = [...fields];
  [next[index], next[to]] = [next[to] as T, next[index] as T];
  return next;
}

/** The choice-options textarea: one option per line; blank lines are ignored. */
export function optionLines(options: readonly string[] | undefined): string {
  return (options ?? []).join('\n');
}

export function parseOptionLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

/** `fields.2.label` → { index: 2, part: 'label' }: which custom-field row (and which of its inputs) an error is about. */
export function customFieldError(field: string | null | undefined): { index: number; part: string } | null {
  const m = /^fields\.(\d+)(?:\.(\w+))?/.exec(field ?? '');
  if (!m) return null;
  return { index: Number(m[1]), part: m[2] ?? 'label' };
}
