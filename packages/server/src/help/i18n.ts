import { LANGUAGES, type Language } from '@loket/protocol';

/**
 * The public help pages' own words, in every widget language. Plain strings: `{query}` is the only placeholder, and
 * the page escapes what goes into it. A test checks every language has every key.
 */
export const HELP_KEYS = [
  'title',
  'skip',
  'searchLabel',
  'searchButton',
  'topics',
  'questions',
  'resultsFor',
  'noResults',
  'emptyQuery',
  'breadcrumb',
  'notFoundTitle',
  'notFoundText',
  'languages',
  'allLanguages',
  'nothingHere',
] as const;
export type HelpKey = (typeof HELP_KEYS)[number];
export type HelpStrings = Record<HelpKey, string>;

export const HELP_STRINGS: Record<Language, HelpStrings> = {
  en: {
    title: 'Help center',
    skip: 'Skip to content',
    searchLabel: 'Search the help center',
    searchButton: 'Search',
    topics: 'Topics',
    questions: 'Questions',
    resultsFor: 'Results for “{query}”',
    noResults: 'Nothing found for “{query}”. Try other words.',
    emptyQuery: 'Type your question to search.',
    breadcrumb: 'Breadcrumb',
    notFoundTitle: 'Page not found',
    notFoundText: 'This page does not exist or is no longer available.',
    languages: 'Languages',
    allLanguages: 'All languages',
    nothingHere: 'There are no questions here yet.',
  },
  nl: {
    title: 'Helpcentrum',
    skip: 'Naar de inhoud',
    searchLabel: 'Zoeken in het helpcentrum',
    searchButton: 'Zoeken',
    topics: 'Onderwerpen',
    questions: 'Vragen',
    resultsFor: 'Resultaten voor “{query}”',
    noResults: 'Niets gevonden voor “{query}”. Probeer andere woorden.',
    emptyQuery: 'Typ je vraag om te zoeken.',
    breadcrumb: 'Kruimelpad',
    notFoundTitle: 'Pagina niet gevonden',
    notFoundText: 'Deze pagina bestaat niet of is niet meer beschikbaar.',
    languages: 'Talen',
    allLanguages: 'Alle talen',
    nothingHere: 'Hier staan nog geen vragen.',
  },
  de: {
    title: 'Hilfe-Center',
    skip: 'Zum Inhalt springen',
    searchLabel: 'Im Hilfe-Center suchen',
    searchButton: 'Suchen',
    topics: 'Themen',
    questions: 'Fragen',
    resultsFor: 'Ergebnisse für „{query}“',
    noResults: 'Nichts gefunden für „{query}“. Versuchen Sie es mit anderen Wörtern.',
    emptyQuery: 'Geben Sie Ihre Frage ein, um zu suchen.',
    breadcrumb: 'Brotkrümelnavigation',
    notFoundTitle: 'Seite nicht gefunden',
    notFoundText: 'Diese Seite existiert nicht oder ist nicht mehr verfügbar.',
    languages: 'Sprachen',
    allLanguages: 'Alle Sprachen',
    nothingHere: 'Hier gibt es noch keine Fragen.',
  },
  fr: {
    title: "Centre d'aide",
    skip: 'Aller au contenu',
    searchLabel: "Rechercher dans le centre d'aide",
    searchButton: 'Rechercher',
    topics: 'Thèmes',
    questions: 'Questions',
    resultsFor: 'Résultats pour « {query} »',
    noResults: 'Aucun résultat pour « {query} ». Essayez d’autres mots.',
    emptyQuery: 'Saisissez votre question pour lancer la recherche.',
    breadcrumb: "Fil d'Ariane",
    notFoundTitle: 'Page introuvable',
    notFoundText: "Cette page n'existe pas ou n'est plus disponible.",
    languages: 'Langues',
    allLanguages: 'Toutes les langues',
    nothingHere: "Il n'y a pas encore de questions ici.",
  },
  es: {
    title: 'Centro de ayuda',
    skip: 'Saltar al contenido',
    searchLabel: 'Buscar en el centro de ayuda',
    searchButton: 'Buscar',
    topics: 'Temas',
    questions: 'Preguntas',
    resultsFor: 'Resultados para «{query}»',
    noResults: 'No se ha encontrado nada para «{query}». Prueba con otras palabras.',
    emptyQuery: 'Escribe tu pregunta para buscar.',
    breadcrumb: 'Ruta de navegación',
    notFoundTitle: 'Página no encontrada',
    notFoundText: 'Esta página no existe o ya no está disponible.',
    languages: 'Idiomas',
    allLanguages: 'Todos los idiomas',
    nothingHere: 'Todavía no hay preguntas aquí.',
  },
  nb: {
    title: 'Hjelpesenter',
    skip: 'Gå til innholdet',
    searchLabel: 'Søk i hjelpesenteret',
    searchButton: 'Søk',
    topics: 'Emner',
    questions: 'Spørsmål',
    resultsFor: 'Resultater for «{query}»',
    noResults: 'Fant ingenting for «{query}». Prøv andre ord.',
    emptyQuery: 'Skriv spørsmålet ditt for å søke.',
    breadcrumb: 'Brødsmulesti',
    notFoundTitle: 'Fant ikke siden',
    notFoundText: 'Denne siden finnes ikke eller er ikke lenger tilgjengelig.',
    languages: 'Språk',
    allLanguages: 'Alle språk',
    nothingHere: 'Det er ingen spørsmål her ennå.',
  },
  sv: {
    title: 'Hjälpcenter',
    skip: 'Hoppa till innehållet',
    searchLabel: 'Sök i hjälpcentret',
    searchButton: 'Sök',
    topics: 'Ämnen',
    questions: 'Frågor',
    resultsFor: 'Resultat för ”{query}”',
    noResults: 'Inget hittades för ”{query}”. Försök med andra ord.',
    emptyQuery: 'Skriv din fråga för att söka.',
    breadcrumb: 'Brödsmulor',
    notFoundTitle: 'Sidan hittades inte',
    notFoundText: 'Den här sidan finns inte eller är inte längre tillgänglig.',
    languages: 'Språk',
    allLanguages: 'Alla språk',
    nothingHere: 'Det finns inga frågor här ännu.',
  },
  da: {
    title: 'Hjælpecenter',
    skip: 'Gå til indholdet',
    searchLabel: 'Søg i hjælpecentret',
    searchButton: 'Søg',
    topics: 'Emner',
    questions: 'Spørgsmål',
    resultsFor: 'Resultater for “{query}”',
    noResults: 'Intet fundet for “{query}”. Prøv med andre ord.',
    emptyQuery: 'Skriv dit spørgsmål for at søge.',
    breadcrumb: 'Brødkrummesti',
    notFoundTitle: 'Siden blev ikke fundet',
    notFoundText: 'Denne side findes ikke eller er ikke længere tilgængelig.',
    languages: 'Sprog',
    allLanguages: 'Alle sprog',
    nothingHere: 'Der er ingen spørgsmål her endnu.',
  },
};

/** Each language by its own name: someone looking for their language recognises it whatever the page's language. */
export const LANGUAGE_NAMES: Record<Language, string> = {
  en: 'English',
  nl: 'Nederlands',
  de: 'Deutsch',
  fr: 'Français',
  es: 'Español',
  nb: 'Norsk bokmål',
  sv: 'Svenska',
  da: 'Dansk',
};

export function asLanguage(value: unknown): Language | null {
  return LANGUAGES.find((l) => l === value) ?? null;
}

/** The visitor's first Accept-Language that we have ("nb-NO" → nb; Norwegian "no" → nb), else English. */
export function negotiateLanguage(header: string | undefined): Language {
  const ranked = (header ?? '')
    .split(',')
    .map((part, i) => {
      const [tag = '', ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { base: tag.split('-')[0] ?? '', q: q === undefined ? 1 : Number(q), i };
    })
    .filter((x) => x.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const { base } of ranked) {
    const l = asLanguage(base === 'no' || base === 'nn' ? 'nb' : base);
    if (l) return l;
  }
  return 'en';
}
