import type { ErrorCode } from './errors.js';
import type { Language } from './model.js';

type Catalog = Record<ErrorCode, string>;

const en: Catalog = {
  bad_request: 'The request could not be understood.',
  validation_failed: 'Some of the details are not valid.',
  unauthenticated: 'Please sign in.',
  forbidden: 'You are not allowed to do that.',
  csrf_failed: 'Your session has expired. Please reload the page.',
  not_found: 'Not found.',
  channel_not_found: 'This chat is not available.',
  origin_not_allowed: 'This chat may not be embedded on this website.',
  chat_not_found: 'This chat no longer exists.',
  chat_ended: 'This chat has ended.',
  chat_not_active: 'This chat is not in progress.',
  chat_already_claimed: 'Another agent has already taken this chat.',
  queue_empty: 'Nobody is waiting.',
  not_chat_agent: 'This chat is served by another agent.',
  invalid_credentials: 'The e-mail address or password is incorrect.',
  email_invalid: 'Please enter a valid e-mail address, like name@example.com.',
  email_too_long: 'This e-mail address is too long.',
  email_domain_not_found: 'The domain of this e-mail address does not exist. Please check it for typos.',
  email_domain_no_mail: 'This e-mail address cannot receive e-mail. Please use another one.',
  message_too_long: 'Your message is too long.',
  message_empty: 'Please type a message.',
  field_required: 'Please fill in this field.',
  chat_not_ended: 'This can only be done once the chat has ended.',
  feature_disabled: 'This option is not available for this chat.',
  transcript_limit: 'No more transcripts can be sent for this chat right now.',
  template_invalid: 'This template cannot be used: please check its variables and syntax.',
  template_in_use: 'This template is still used by a channel. Choose another template there first.',
  email_taken: 'Another user already has this e-mail address.',
  channel_key_taken: 'Another channel already has this key. Choose a different one.',
  channel_in_use: 'This channel still has chats. A channel can only be deleted while it has none; its chat history is kept.',
  rate_limited: 'Too many attempts. Please wait a moment and try again.',
  spam_detected: 'Your message could not be accepted. Please try again or contact us another way.',
  unavailable: 'The service is briefly unavailable. Please try again in a moment.',
  internal: 'Something went wrong on our side. Please try again.',
  transfer_not_found: 'This transfer no longer exists.',
  transfer_not_pending: 'This transfer has already been answered, cancelled or withdrawn.',
  transfer_pending: 'This chat is already being transferred. Cancel that transfer first.',
  transfer_target_invalid: 'This chat cannot be transferred there: choose a present agent or a channel who can answer it.',
};

const nl: Catalog = {
  bad_request: 'Het verzoek kon niet worden begrepen.',
  validation_failed: 'Sommige gegevens zijn niet geldig.',
  unauthenticated: 'Meld u aan.',
  forbidden: 'U hebt hiervoor geen toestemming.',
  csrf_failed: 'Uw sessie is verlopen. Laad de pagina opnieuw.',
  not_found: 'Niet gevonden.',
  channel_not_found: 'Deze chat is niet beschikbaar.',
  origin_not_allowed: 'Deze chat mag niet op deze website worden geplaatst.',
  chat_not_found: 'Deze chat bestaat niet meer.',
  chat_ended: 'Deze chat is beëindigd.',
  chat_not_active: 'Deze chat is niet gaande.',
  chat_already_claimed: 'Een andere medewerker heeft deze chat al aangenomen.',
  queue_empty: 'Er wacht niemand.',
  not_chat_agent: 'Deze chat wordt door een andere medewerker behandeld.',
  invalid_credentials: 'Het e-mailadres of wachtwoord is onjuist.',
  email_invalid: 'Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl.',
  email_too_long: 'Dit e-mailadres is te lang.',
  email_domain_not_found: 'Het domein van dit e-mailadres bestaat niet. Controleer het op typefouten.',
  email_domain_no_mail: 'Dit e-mailadres kan geen e-mail ontvangen. Gebruik een ander adres.',
  message_too_long: 'Uw bericht is te lang.',
  message_empty: 'Typ een bericht.',
  field_required: 'Vul dit veld in.',
  chat_not_ended: 'Dit kan pas als de chat is beëindigd.',
  feature_disabled: 'Deze mogelijkheid is voor deze chat niet beschikbaar.',
  transcript_limit: 'Voor deze chat kunnen nu geen verslagen meer worden verstuurd.',
  template_invalid: 'Dit sjabloon kan niet worden gebruikt: controleer de variabelen en de opbouw.',
  template_in_use: 'Dit sjabloon wordt nog door een kanaal gebruikt. Kies daar eerst een ander sjabloon.',
  email_taken: 'Een andere gebruiker heeft dit e-mailadres al.',
  channel_key_taken: 'Een ander kanaal heeft deze sleutel al. Kies een andere.',
  channel_in_use: 'Dit kanaal heeft nog chats. Een kanaal kan alleen worden verwijderd als het er geen heeft; de chatgeschiedenis blijft bewaard.',
  rate_limited: 'Te veel pogingen. Wacht even en probeer het opnieuw.',
  spam_detected: 'Uw bericht kon niet worden aangenomen. Probeer het opnieuw of neem op een andere manier contact met ons op.',
  unavailable: 'De dienst is even niet beschikbaar. Probeer het zo opnieuw.',
  internal: 'Er ging bij ons iets mis. Probeer het opnieuw.',
  transfer_not_found: 'Deze overdracht bestaat niet meer.',
  transfer_not_pending: 'Deze overdracht is al beantwoord, geannuleerd of ingetrokken.',
  transfer_pending: 'Deze chat wordt al overgedragen. Annuleer die overdracht eerst.',
  transfer_target_invalid: 'Deze chat kan daar niet heen: kies een aanwezige medewerker of een kanaal dat hem kan beantwoorden.',
};

const catalogs: Partial<Record<Language, Catalog>> = { en, nl };

/** The error message for `code` in `language`, falling back to English. */
export function errorMessage(code: ErrorCode, language: string | undefined): string {
  const lang = (language ?? 'en').slice(0, 2).toLowerCase() as Language;
  return (catalogs[lang] ?? en)[code];
}

export const ERROR_MESSAGE_LANGUAGES = Object.keys(catalogs) as Language[];
