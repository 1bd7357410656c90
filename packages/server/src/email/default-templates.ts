import { LANGUAGES, type Language } from '@loket/protocol';
import type { Ctx } from '../domain/context.js';
import { newId } from '../domain/ids.js';

/**
 * The reply templates Loket ships: the chat transcript in every widget language. They are
 * inserted once and then belong to the administrator, who may edit (not delete) them.
 * Tone follows the widget: formal address in nl/de/fr/es, "du" in the Scandinavian languages.
 */
export const TRANSCRIPT_KEY = 'transcript';

export interface DefaultTemplate {
  name: string;
  subject: string;
  body: string;
}

/** The closing lines are the same shape everywhere: the agent who helped (if any), then the channel. */
const signature = (closing: string): string => `${closing}\n{{#if agent.name}}\n{{agent.name}}\n{{/if}}\n{{channel.name}}\n`;

const greeting = (withName: string, without: string): string => `{{#if customer.name}}\n${withName}\n{{else}}\n${without}\n{{/if}}\n`;

export const DEFAULT_TRANSCRIPTS: Record<Language, DefaultTemplate> = {
  en: {
    name: 'Chat transcript',
    subject: 'Your chat with {{channel.name}}',
    body:
      greeting('Hello {{customer.name}},', 'Hello,') +
      '\nThank you for chatting with us. As requested, here is a copy of your conversation on {{chat.startedAt}}.\n\n' +
      '{{transcript}}\n\n' +
      'If you have any more questions, you are welcome to start a new chat on our website.\n\n' +
      signature('Kind regards,'),
  },
  nl: {
    name: 'Kopie van chatgesprek',
    subject: 'Uw chatgesprek met {{channel.name}}',
    body:
      greeting('Beste {{customer.name}},', 'Beste klant,') +
      '\nBedankt voor uw chatgesprek met ons. Zoals gevraagd ontvangt u hierbij een kopie van het gesprek van {{chat.startedAt}}.\n\n' +
      '{{transcript}}\n\n' +
      'Heeft u nog vragen? Start dan gerust een nieuwe chat op onze website.\n\n' +
      signature('Met vriendelijke groet,'),
  },
  de: {
    name: 'Chatprotokoll',
    subject: 'Ihr Chat mit {{channel.name}}',
    body:
      greeting('Guten Tag {{customer.name}},', 'Guten Tag,') +
      '\nvielen Dank für Ihren Chat mit uns. Wie gewünscht erhalten Sie hier eine Kopie des Gesprächs vom {{chat.startedAt}}.\n\n' +
      '{{transcript}}\n\n' +
      'Haben Sie noch Fragen? Starten Sie gern jederzeit einen neuen Chat auf unserer Website.\n\n' +
      signature('Mit freundlichen Grüßen'),
  },
  fr: {
    name: 'Transcription du chat',
    subject: 'Votre échange avec {{channel.name}}',
    body:
      greeting('Bonjour {{customer.name}},', 'Bonjour,') +
      '\nMerci d’avoir discuté avec nous. Comme vous l’avez demandé, voici une copie de notre échange du {{chat.startedAt}}.\n\n' +
      '{{transcript}}\n\n' +
      'Pour toute autre question, n’hésitez pas à ouvrir un nouveau chat sur notre site.\n\n' +
      signature('Cordialement,'),
  },
  es: {
    name: 'Transcripción del chat',
    subject: 'Su chat con {{channel.name}}',
    body:
      greeting('Hola, {{customer.name}}:', 'Hola:') +
      '\nGracias por chatear con nosotros. Tal como nos pidió, le enviamos una copia de la conversación del {{chat.startedAt}}.\n\n' +
      '{{transcript}}\n\n' +
      'Si tiene más preguntas, puede iniciar un nuevo chat en nuestro sitio web cuando quiera.\n\n' +
      signature('Un cordial saludo,'),
  },
  nb: {
    name: 'Chatlogg',
    subject: 'Chatten din med {{channel.name}}',
    body:
      greeting('Hei {{customer.name}},', 'Hei,') +
      '\nTakk for at du chattet med oss. Her er en kopi av samtalen fra {{chat.startedAt}}, slik du ba om.\n\n' +
      '{{transcript}}\n\n' +
      'Har du flere spørsmål, er du velkommen til å starte en ny chat på nettstedet vårt.\n\n' +
      signature('Vennlig hilsen'),
  },
  sv: {
    name: 'Chattlogg',
    subject: 'Din chatt med {{channel.name}}',
    body:
      greeting('Hej {{customer.name}}!', 'Hej!') +
      '\nTack för att du chattade med oss. Här är en kopia av samtalet från {{chat.startedAt}}, som du bad om.\n\n' +
      '{{transcript}}\n\n' +
      'Har du fler frågor är du välkommen att starta en ny chatt på vår webbplats.\n\n' +
      signature('Vänliga hälsningar'),
  },
  da: {
    name: 'Chatlog',
    subject: 'Din chat med {{channel.name}}',
    body:
      greeting('Hej {{customer.name}}', 'Hej') +
      '\nTak, fordi du chattede med os. Her er en kopi af samtalen fra {{chat.startedAt}}, som du bad om.\n\n' +
      '{{transcript}}\n\n' +
      'Har du flere spørgsmål, er du velkommen til at starte en ny chat på vores hjemmeside.\n\n' +
      signature('Venlig hilsen'),
  },
};

/**
 * Inserts the shipped templates that are missing. Idempotent and safe when several nodes start at
 * once: the unique index on (builtin_key, language) turns a concurrent insert into a no-op, and an
 * existing row, possibly edited by an administrator, is never touched.
 */
export async function ensureBuiltinTemplates(ctx: Pick<Ctx, 'transact' | 'now'>): Promise<void> {
  const now = ctx.now();
  const rows = LANGUAGES.map((language) => ({
    id: newId(),
    ...DEFAULT_TRANSCRIPTS[language],
    language,
    builtin_key: TRANSCRIPT_KEY,
    created_at: now,
    updated_at: now,
  }));
  await ctx.transact((tx) =>
    tx
      .insertInto('reply_templates')
      .values(rows)
      .onConflict((oc) => oc.columns(['builtin_key', 'language']).doNothing())
      .execute(),
  );
}
