import type { Language } from '@loket/protocol';
import { stemmer as da } from '@orama/stemmers/danish';
import { stemmer as nl } from '@orama/stemmers/dutch';
import { stemmer as en } from '@orama/stemmers/english';
import { stemmer as fr } from '@orama/stemmers/french';
import { stemmer as de } from '@orama/stemmers/german';
import { stemmer as nb } from '@orama/stemmers/norwegian';
import { stemmer as es } from '@orama/stemmers/spanish';
import { stemmer as sv } from '@orama/stemmers/swedish';
import { stopwords as daStop } from '@orama/stopwords/danish';
import { stopwords as nlStop } from '@orama/stopwords/dutch';
import { stopwords as enStop } from '@orama/stopwords/english';
import { stopwords as frStop } from '@orama/stopwords/french';
import { stopwords as deStop } from '@orama/stopwords/german';
import { stopwords as nbStop } from '@orama/stopwords/norwegian';
import { stopwords as esStop } from '@orama/stopwords/spanish';
import { stopwords as svStop } from '@orama/stopwords/swedish';

/**
 * What the analyser needs to know about one language. Stemmers are the Snowball algorithms (via @orama/stemmers) and
 * stop words the Snowball lists (via @orama/stopwords): maintained upstream, never written by hand here.
 */
export interface LanguageData {
  stem: (word: string) => string;
  stopwords: readonly string[];
  /** Chat filler the Snowball lists lack (greetings, "pls", "mn"): words that never tell what a question is about. */
  filler: readonly string[];
  /**
   * Spelling substitutions people use when their keyboard lacks a letter (German "ue" for "ü", Danish "aa" for "å"),
   * applied to lower-cased text before diacritics are folded, on documents and queries alike.
   */
  transliterate?: (text: string) => string;
  /**
   * Generic colloquial equivalents, each group folded onto its first word. Deliberately small and not about any
   * particular business or FAQ: everyday synonyms a customer uses for a word the shop writes (see docs/search.md).
   */
  synonyms: readonly (readonly string[])[];
}

export const LANGUAGE_DATA: Record<Language, LanguageData> = {
  en: {
    stem: en,
    stopwords: enStop,
    filler: ['hi', 'hello', 'hey', 'pls', 'plz', 'please', 'thanks', 'thx', 'thank', 'u', 'ur', 'im', 'ive', 'dont', 'cant', 'wont', 'didnt', 'doesnt', 'isnt', 'hv', 'wanna', 'gonna', 'ok', 'okay'],
    synonyms: [
      ['email', 'mail'],
      ['parcel', 'package'],
      ['broken', 'defective', 'faulty'],
      ['phone', 'mobile', 'cellphone', 'telephone'],
      ['store', 'shop'],
      ['buy', 'purchase'],
      ['invoice', 'bill'],
      ['password', 'passcode'],
      ['address', 'addr'],
      ['money', 'cash'],
    ],
  },
  nl: {
    stem: nl,
    stopwords: nlStop,
    filler: ['hoi', 'hallo', 'hey', 'hee', 'goedemorgen', 'goedemiddag', 'goedenavond', 'mn', 'm', 'n', 'ff', 'effe', 'even', 'pls', 'aub', 'graag', 'bedankt', 'dank', 'alvast', 'groet', 'groetjes', 'gr', 'ok', 'oke', 'wel', 'eigenlijk', 'gewoon', 'jullie', 'jij', 'jou', 'jouw'],
    synonyms: [
      ['email', 'mail', 'mailtje'],
      ['pakket', 'pakketje', 'pakje', 'doos'],
      ['kapot', 'stuk', 'defect'],
      ['telefoon', 'mobiel', 'gsm'],
      ['winkel', 'filiaal'],
      ['kopen', 'aanschaffen'],
      ['geld', 'centen', 'poen'],
      ['wachtwoord', 'password'],
      ['bestelling', 'order'],
    ],
  },
  de: {
    stem: de,
    stopwords: deStop,
    filler: ['hallo', 'hi', 'bitte', 'danke', 'gruss', 'mfg', 'ok'],
    // The German2 Snowball convention: "ae", "oe", "ue" stand for "ä", "ö", "ü" (except in "que").
    transliterate: (t) => t.replace(/ae/g, 'a').replace(/oe/g, 'o').replace(/(^|[^q])ue/g, '$1u'),
    synonyms: [
      ['email', 'mail'],
      ['paket', 'packchen'],
      ['kaputt', 'defekt'],
      ['handy', 'mobiltelefon', 'smartphone'],
      ['geschaft', 'laden', 'filiale'],
    ],
  },
  fr: {
    stem: fr,
    stopwords: frStop,
    filler: ['bonjour', 'salut', 'merci', 'svp', 'stp', 'ok'],
    synonyms: [
      ['email', 'mail', 'courriel'],
      ['colis', 'paquet'],
      ['casse', 'defectueux', 'abime'],
      ['telephone', 'portable', 'mobile'],
      ['magasin', 'boutique'],
    ],
  },
  es: {
    stem: es,
    stopwords: esStop,
    filler: ['hola', 'gracias', 'porfa', 'ok'],
    synonyms: [
      ['email', 'correo', 'mail'],
      ['paquete', 'bulto'],
      ['roto', 'defectuoso', 'estropeado'],
      ['telefono', 'movil', 'celular'],
      ['tienda', 'local'],
    ],
  },
  nb: {
    stem: nb,
    stopwords: nbStop,
    filler: ['hei', 'hallo', 'takk', 'ok'],
    transliterate: (t) => t.replace(/aa/g, 'a'),
    synonyms: [
      ['epost', 'mail'],
      ['pakke', 'forsendelse'],
      ['odelagt', 'defekt'],
      ['telefon', 'mobil'],
      ['butikk', 'forretning'],
    ],
  },
  sv: {
    stem: sv,
    stopwords: svStop,
    filler: ['hej', 'hallo', 'tack', 'ok'],
    synonyms: [
      ['epost', 'mejl', 'mail'],
      ['paket', 'forsandelse'],
      ['trasig', 'sonder', 'defekt'],
      ['telefon', 'mobil'],
      ['butik', 'affar'],
    ],
  },
  da: {
    stem: da,
    stopwords: daStop,
    filler: ['hej', 'hallo', 'tak', 'ok'],
    transliterate: (t) => t.replace(/aa/g, 'a'),
    synonyms: [
      ['email', 'mail'],
      ['pakke', 'forsendelse'],
      ['odelagt', 'defekt'],
      ['telefon', 'mobil'],
      ['butik', 'forretning'],
    ],
  },
};
