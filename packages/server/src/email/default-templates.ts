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

export const REQUEST_CONFIRMATION_KEY = 'request_confirmation';

/** The confirmation of a request left through the offline form (docs/requests.md): its ID and the question, quoted. */
export const DEFAULT_REQUEST_CONFIRMATIONS: Record<Language, DefaultTemplate> = {
  en: {
    name: 'Request confirmation',
    subject: 'Your request {{request.id}} to {{channel.name}}',
    body:
      greeting('Hello {{customer.name}},', 'Hello,') +
      '\nThank you for your message. We have received your request and will answer it by e-mail as soon as we can.\n\n' +
      'Your request ID is {{request.id}}. Please mention it if you contact us about this question.\n\n' +
      'Your question:\n{{request.question}}\n\n' +
      signature('Kind regards,'),
  },
  nl: {
    name: 'Bevestiging van verzoek',
    subject: 'Uw verzoek {{request.id}} aan {{channel.name}}',
    body:
      greeting('Beste {{customer.name}},', 'Beste klant,') +
      '\nBedankt voor uw bericht. We hebben uw verzoek ontvangen en beantwoorden het zo snel mogelijk per e-mail.\n\n' +
      'Uw verzoeknummer is {{request.id}}. Vermeld het als u over deze vraag contact met ons opneemt.\n\n' +
      'Uw vraag:\n{{request.question}}\n\n' +
      signature('Met vriendelijke groet,'),
  },
  de: {
    name: 'Anfragebestätigung',
    subject: 'Ihre Anfrage {{request.id}} an {{channel.name}}',
    body:
      greeting('Guten Tag {{customer.name}},', 'Guten Tag,') +
      '\nvielen Dank für Ihre Nachricht. Wir haben Ihre Anfrage erhalten und beantworten sie so bald wie möglich per E-Mail.\n\n' +
      'Ihre Anfragenummer lautet {{request.id}}. Bitte geben Sie sie an, wenn Sie uns zu dieser Frage kontaktieren.\n\n' +
      'Ihre Frage:\n{{request.question}}\n\n' +
      signature('Mit freundlichen Grüßen'),
  },
  fr: {
    name: 'Confirmation de demande',
    subject: 'Votre demande {{request.id}} à {{channel.name}}',
    body:
      greeting('Bonjour {{customer.name}},', 'Bonjour,') +
      '\nMerci pour votre message. Nous avons bien reçu votre demande et y répondrons par e-mail dès que possible.\n\n' +
      'Le numéro de votre demande est {{request.id}}. Merci de le rappeler si vous nous contactez à ce sujet.\n\n' +
      'Votre question :\n{{request.question}}\n\n' +
      signature('Cordialement,'),
  },
  es: {
    name: 'Confirmación de solicitud',
    subject: 'Su solicitud {{request.id}} a {{channel.name}}',
    body:
      greeting('Hola, {{customer.name}}:', 'Hola:') +
      '\nGracias por su mensaje. Hemos recibido su solicitud y le responderemos por correo electrónico lo antes posible.\n\n' +
      'El número de su solicitud es {{request.id}}. Indíquelo si nos contacta sobre esta pregunta.\n\n' +
      'Su pregunta:\n{{request.question}}\n\n' +
      signature('Un cordial saludo,'),
  },
  nb: {
    name: 'Bekreftelse på henvendelse',
    subject: 'Henvendelsen din {{request.id}} til {{channel.name}}',
    body:
      greeting('Hei {{customer.name}},', 'Hei,') +
      '\nTakk for meldingen din. Vi har mottatt henvendelsen og svarer deg på e-post så snart vi kan.\n\n' +
      'Saksnummeret ditt er {{request.id}}. Oppgi det hvis du kontakter oss om dette spørsmålet.\n\n' +
      'Spørsmålet ditt:\n{{request.question}}\n\n' +
      signature('Vennlig hilsen'),
  },
  sv: {
    name: 'Bekräftelse av ärende',
    subject: 'Ditt ärende {{request.id}} till {{channel.name}}',
    body:
      greeting('Hej {{customer.name}}!', 'Hej!') +
      '\nTack för ditt meddelande. Vi har tagit emot ditt ärende och svarar dig via e-post så snart vi kan.\n\n' +
      'Ditt ärendenummer är {{request.id}}. Ange det om du kontaktar oss om den här frågan.\n\n' +
      'Din fråga:\n{{request.question}}\n\n' +
      signature('Vänliga hälsningar'),
  },
  da: {
    name: 'Bekræftelse af henvendelse',
    subject: 'Din henvendelse {{request.id}} til {{channel.name}}',
    body:
      greeting('Hej {{customer.name}}', 'Hej') +
      '\nTak for din besked. Vi har modtaget din henvendelse og svarer dig på e-mail hurtigst muligt.\n\n' +
      'Dit sagsnummer er {{request.id}}. Oplys det, hvis du kontakter os om dette spørgsmål.\n\n' +
      'Dit spørgsmål:\n{{request.question}}\n\n' +
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
  const shipped: Array<[string, Record<Language, DefaultTemplate>]> = [
    [TRANSCRIPT_KEY, DEFAULT_TRANSCRIPTS],
    [REQUEST_CONFIRMATION_KEY, DEFAULT_REQUEST_CONFIRMATIONS],
  ];
  const rows = shipped.flatMap(([key, texts]) =>
    LANGUAGES.map((language) => ({
      id: newId(),
      ...texts[language],
      language,
      builtin_key: key,
      created_at: now,
      updated_at: now,
    })),
  );
  await ctx.transact((tx) =>
    tx
      .insertInto('reply_templates')
      .values(rows)
      .onConflict((oc) => oc.columns(['builtin_key', 'language']).doNothing())
      .execute(),
  );
}
