import type { Language } from '@loket/protocol';
import { HELP_STRINGS, LANGUAGE_NAMES, type HelpKey } from './i18n.js';
import { HELP_CSS_PATH } from './style.js';

/** Everything that goes into the page passes through here (or is Markdown rendered by renderFaqMarkdown). */
export function esc(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function t(language: Language, key: HelpKey, query = ''): string {
  // A function, not a string: `$&` or `$'` in what a visitor typed must stay text, not replacement patterns.
  return esc(HELP_STRINGS[language][key]).replace('{query}', () => esc(query));
}

/** A link within the help pages that keeps the language filter. */
export function helpHref(path: string, filter: Language | null, params: Record<string, string> = {}): string {
  const search = new URLSearchParams(params);
  if (filter) search.set('lang', filter);
  const qs = search.toString();
  return esc(qs === '' ? path : `${path}?${qs}`);
}

export interface Crumb {
  name: string;
  href: string;
}

export interface PageInput {
  /** The language of the page's words and of <html lang>. */
  language: Language;
  /** The ?lang= filter carried through links and the search form (null: every language). */
  filter: Language | null;
  title: string;
  /** Ancestors of this page, not the page itself; omitted on the start page. */
  crumbs?: Crumb[];
  query?: string;
  /** Trusted HTML of <main> after the h1. */
  body: string;
  /** Path of this page without query, for the language links. */
  path: string;
}

export function renderPage(p: PageInput): string {
  const { language: l, filter } = p;
  const crumbs = p.crumbs?.length
    ? `<nav aria-label="${t(l, 'breadcrumb')}"><ol>${p.crumbs.map((c) => `<li><a href="${c.href}">${esc(c.name)}</a></li>`).join('')}<li aria-current="page">${esc(p.title)}</li></ol></nav>`
    : '';
  const languages = (Object.keys(LANGUAGE_NAMES) as Language[])
    .map((code) => {
      const current = filter === code ? ' aria-current="true"' : '';
      return `<li><a href="${helpHref(p.path, code, p.query ? { q: p.query } : {})}" lang="${code}" hreflang="${code}"${current}>${esc(LANGUAGE_NAMES[code])}</a></li>`;
    })
    .join('');
  const all = `<li><a href="${helpHref(p.path, null, p.query ? { q: p.query } : {})}"${filter === null ? ' aria-current="true"' : ''}>${t(l, 'allLanguages')}</a></li>`;
  return `<!doctype html>
<html lang="${l}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(p.title)} – ${t(l, 'title')}</title>
<link rel="stylesheet" href="${HELP_CSS_PATH}">
</head>
<body>
<a class="skip" href="#main">${t(l, 'skip')}</a>
<header>
<a class="home" href="${helpHref('/help', filter)}">${t(l, 'title')}</a>
<form role="search" action="/help/search" method="get">
<label for="q">${t(l, 'searchLabel')}</label>
<input id="q" name="q" type="search" maxlength="500" value="${esc(p.query ?? '')}">
${filter ? `<input type="hidden" name="lang" value="${filter}">` : ''}<button type="submit">${t(l, 'searchButton')}</button>
</form>
</header>
<main id="main" tabindex="-1">
${crumbs}<h1>${esc(p.title)}</h1>
${p.body}
</main>
<footer>
<nav aria-label="${t(l, 'languages')}"><ul>${all}${languages}</ul></nav>
</footer>
</body>
</html>
`;
}
