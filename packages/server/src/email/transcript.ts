import { FileInfoSchema, LANGUAGES, formatFileSize, type Language } from '@loket/protocol';
import type { Executor } from '../db/database.js';
import type { ChatEventsTable, ChatsTable, ReplyTemplatesTable } from '../db/schema.js';
import { DEFAULT_TRANSCRIPTS, TRANSCRIPT_KEY } from './default-templates.js';
import { compileTemplate, renderTemplate, type CompiledTemplate, type RenderedEmail, type TranscriptLine } from './templates.js';

/**
 * Builds the transcript e-mail of a chat (step 6 of the customer's path): the channel's chosen
 * template, or the built-in one in the channel's language, filled with the conversation as the
 * customer saw it, times in the customer's own zone. Runs inside the caller's transaction.
 */

interface SystemLines {
  queued: string;
  joined: string;
  endedByVisitor: string;
  endedByAgent: string;
  endedBySystem: string;
  reopened: string;
  /** Author labels when no name is known; the transcript is addressed to the customer, hence "you". */
  you: string;
  agent: string;
  /** A file in the chat: its name and size only, no link (docs/files.md: a link needs the chat's token or a session). */
  file: string;
}

const SYSTEM_LINES: Record<Language, SystemLines> = {
  en: {
    queued: 'The chat was placed in the queue.',
    joined: '{name} joined the chat.',
    endedByVisitor: 'You ended the chat.',
    endedByAgent: '{name} ended the chat.',
    endedBySystem: 'The chat was ended automatically.',
    reopened: 'You went back to the chat.',
    you: 'You',
    agent: 'Agent',
    file: 'Sent a file: {name} ({size})',
  },
  nl: {
    queued: 'De chat is in de wachtrij geplaatst.',
    joined: '{name} heeft zich bij de chat gevoegd.',
    endedByVisitor: 'U heeft de chat beëindigd.',
    endedByAgent: '{name} heeft de chat beëindigd.',
    endedBySystem: 'De chat is automatisch beëindigd.',
    reopened: 'U bent teruggegaan naar de chat.',
    you: 'U',
    agent: 'Medewerker',
    file: 'Stuurde een bestand: {name} ({size})',
  },
  de: {
    queued: 'Der Chat wurde in die Warteschlange gestellt.',
    joined: '{name} ist dem Chat beigetreten.',
    endedByVisitor: 'Sie haben den Chat beendet.',
    endedByAgent: '{name} hat den Chat beendet.',
    endedBySystem: 'Der Chat wurde automatisch beendet.',
    reopened: 'Sie sind zum Chat zurückgekehrt.',
    you: 'Sie',
    agent: 'Mitarbeiter',
    file: 'Hat eine Datei gesendet: {name} ({size})',
  },
  fr: {
    queued: 'Le chat a été placé en file d’attente.',
    joined: '{name} a rejoint le chat.',
    endedByVisitor: 'Vous avez mis fin au chat.',
    endedByAgent: '{name} a mis fin au chat.',
    endedBySystem: 'Le chat a été fermé automatiquement.',
    reopened: 'Vous avez repris le chat.',
    you: 'Vous',
    agent: 'Conseiller',
    file: 'A envoyé un fichier : {name} ({size})',
  },
  es: {
    queued: 'El chat se ha puesto en cola.',
    joined: '{name} se ha unido al chat.',
    endedByVisitor: 'Ha finalizado el chat.',
    endedByAgent: '{name} ha finalizado el chat.',
    endedBySystem: 'El chat se ha cerrado automáticamente.',
    reopened: 'Ha vuelto al chat.',
    you: 'Usted',
    agent: 'Agente',
    file: 'Envió un archivo: {name} ({size})',
  },
  nb: {
    queued: 'Chatten ble satt i kø.',
    joined: '{name} ble med i chatten.',
    endedByVisitor: 'Du avsluttet chatten.',
    endedByAgent: '{name} avsluttet chatten.',
    endedBySystem: 'Chatten ble avsluttet automatisk.',
    reopened: 'Du gikk tilbake til chatten.',
    you: 'Du',
    agent: 'Rådgiver',
    file: 'Sendte en fil: {name} ({size})',
  },
  sv: {
    queued: 'Chatten placerades i kö.',
    joined: '{name} anslöt till chatten.',
    endedByVisitor: 'Du avslutade chatten.',
    endedByAgent: '{name} avslutade chatten.',
    endedBySystem: 'Chatten avslutades automatiskt.',
    reopened: 'Du gick tillbaka till chatten.',
    you: 'Du',
    agent: 'Handläggare',
    file: 'Skickade en fil: {name} ({size})',
  },
  da: {
    queued: 'Chatten blev sat i kø.',
    joined: '{name} sluttede sig til chatten.',
    endedByVisitor: 'Du afsluttede chatten.',
    endedByAgent: '{name} afsluttede chatten.',
    endedBySystem: 'Chatten blev afsluttet automatisk.',
    reopened: 'Du gik tilbage til chatten.',
    you: 'Dig',
    agent: 'Medarbejder',
    file: 'Sendte en fil: {name} ({size})',
  },
};

const isLanguage = (value: string): value is Language => (LANGUAGES as readonly string[]).includes(value);

/** An IANA zone Intl knows, else UTC; the zone's name is always printed with the start and end times. */
export function safeTimeZone(zone: string | null | undefined): string {
  if (!zone) return 'UTC';
  try {
    return new Intl.DateTimeFormat('en', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return 'UTC';
  }
}

/**
 * The customer's locale when it speaks the template's language (nl-BE for a Dutch template), so
 * dates read naturally inside the text; otherwise the template's language itself.
 */
export function safeLocale(locale: string | null | undefined, language: Language): string {
  if (!locale) return language;
  try {
    const [supported] = Intl.DateTimeFormat.supportedLocalesOf([locale]);
    if (!supported) return language;
    const base = new Intl.Locale(supported).language;
    const same = base === language || (language === 'nb' && (base === 'no' || base === 'nn'));
    return same ? supported : language;
  } catch {
    return language;
  }
}

interface Clock {
  long(ms: number): string;
  line(ms: number): string;
}

function clock(timeZone: string, locale: string, startedAt: number): Clock {
  const long = new Intl.DateTimeFormat(locale, { timeZone, year: 'numeric', month: 'long', day: 'numeric', hour: 'numeric', minute: '2-digit', timeZoneName: 'short' });
  const time = new Intl.DateTimeFormat(locale, { timeZone, hour: 'numeric', minute: '2-digit' });
  const dated = new Intl.DateTimeFormat(locale, { timeZone, day: 'numeric', month: 'short', hour: 'numeric', minute: '2-digit' });
  const day = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  const firstDay = day.format(startedAt);
  return {
    long: (ms) => long.format(ms),
    // A chat that runs past midnight (in the customer's zone) shows the date on the later lines.
    line: (ms) => (day.format(ms) === firstDay ? time.format(ms) : dated.format(ms)),
  };
}

function describeEvent(e: ChatEventsTable, words: SystemLines, customerName: string, locale: string): TranscriptLine | null {
  const name = e.author_name ?? '';
  const author = e.author_kind === 'visitor' ? name || customerName || words.you : name || words.agent;
  switch (e.kind) {
    case 'message':
      return { time: '', author, text: e.body ?? '', kind: 'message' };
    case 'file': {
      const file = FileInfoSchema.safeParse(JSON.parse(e.file ?? 'null'));
      if (!file.success) return null;
      return { time: '', author, text: words.file.replace('{name}', file.data.name).replace('{size}', formatFileSize(file.data.size, locale)), kind: 'message' };
    }
    case 'queued':
      return { time: '', author: '', text: words.queued, kind: 'system' };
    case 'joined':
      return { time: '', author: '', text: words.joined.replace('{name}', name || words.agent), kind: 'system' };
    case 'ended': {
      const by = e.ended_by ?? e.author_kind;
      const text = by === 'visitor' ? words.endedByVisitor : by === 'agent' ? words.endedByAgent.replace('{name}', name || words.agent) : words.endedBySystem;
      return { time: '', author: '', text, kind: 'system' };
    }
    case 'reopened':
      return { time: '', author: '', text: words.reopened, kind: 'system' };
    case 'note':
      // Internal notes are for agents only: never in anything the customer receives.
      return null;
    default:
      return null;
  }
}

async function templateFor(tx: Executor, channel: { language: string; transcript_template_id: string | null }): Promise<CompiledTemplate> {
  let row: ReplyTemplatesTable | undefined;
  if (channel.transcript_template_id !== null) {
    row = await tx.selectFrom('reply_templates').selectAll().where('id', '=', channel.transcript_template_id).executeTakeFirst();
  }
  const language: Language = isLanguage(channel.language) ? channel.language : 'en';
  for (const lang of [language, 'en'] as const) {
    if (row) break;
    row = await tx.selectFrom('reply_templates').selectAll().where('builtin_key', '=', TRANSCRIPT_KEY).where('language', '=', lang).executeTakeFirst();
  }
  if (row) {
    try {
      return compileTemplate({ subject: row.subject, body: row.body, language: isLanguage(row.language) ? row.language : language });
    } catch {
      // Saved templates were validated; one that no longer compiles (an older Loket's rules)
      // must not cost the customer their transcript, so the shipped text stands in.
    }
  }
  return compileTemplate({ ...DEFAULT_TRANSCRIPTS[language], language });
}

export async function buildTranscriptEmail(tx: Executor, chat: ChatsTable, opts: { timeZone?: string; locale?: string }): Promise<RenderedEmail> {
  const channel = await tx.selectFrom('channels').select(['name', 'language', 'transcript_template_id']).where('id', '=', chat.channel_id).executeTakeFirstOrThrow();
  const template = await templateFor(tx, channel);
  const agent = chat.agent_id === null ? undefined : await tx.selectFrom('agents').select('name').where('id', '=', chat.agent_id).executeTakeFirst();
  const events = await tx.selectFrom('chat_events').selectAll().where('chat_id', '=', chat.id).orderBy('seq').execute();

  const words = SYSTEM_LINES[template.language];
  const timeZone = safeTimeZone(opts.timeZone ?? chat.visitor_time_zone);
  const locale = safeLocale(opts.locale ?? chat.visitor_locale, template.language);
  const times = clock(timeZone, locale, chat.created_at);
  const transcript: TranscriptLine[] = [];
  for (const e of events) {
    const line = describeEvent(e, words, chat.visitor_name, locale);
    if (line) transcript.push({ ...line, time: times.line(e.created_at) });
  }
  return renderTemplate(template, {
    customer: { name: chat.visitor_name, email: chat.visitor_email },
    agent: { name: agent?.name ?? '' },
    channel: { name: channel.name },
    chat: { id: chat.id, startedAt: times.long(chat.created_at), endedAt: chat.ended_at === null ? '' : times.long(chat.ended_at) },
    request: { id: '', question: '' },
    transcript,
  });
}
