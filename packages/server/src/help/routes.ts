import { faqPath, faqSlug, LANGUAGES, type Language } from '@loket/protocol';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import type { Ctx } from '../domain/context.js';
import { renderFaqMarkdown } from '../faq/markdown.js';
import type { FaqHit } from '../search/faq-index.js';
import { stripMarkdown } from '../search/markdown.js';
import { asLanguage, HELP_STRINGS, negotiateLanguage } from './i18n.js';
import { esc, helpHref, renderPage, t, type Crumb } from './page.js';
import { HELP_CSS, HELP_CSS_PATH } from './style.js';
import { loadPublicFolders, publicFaqs, type PublicFolders } from './data.js';

/**
 * The public help pages (docs/search.md, "Public pages"): plain HTML rendered here, no script at all. Only published
 * FAQs visible to everyone exist on them; anything else is a 404 indistinguishable from an id that never existed.
 * Login-only FAQs show nowhere public until customers can sign in.
 */

/** Styles from our origin only, no script, no framing, forms only to ourselves. */
const CSP = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
/** Short: an FAQ unpublished by an editor must leave shared caches soon; a minute still absorbs a rush. */
const CACHE = 'public, max-age=60';
const SEARCH_LIMIT = 20;
const SNIPPET_CHARS = 200;

function sendHtml(reply: FastifyReply, html: string, status = 200): FastifyReply {
  return reply
    .status(status)
    .header('Content-Type', 'text/html; charset=utf-8')
    .header('Content-Security-Policy', CSP)
    .header('X-Content-Type-Options', 'nosniff')
    .header('Referrer-Policy', 'strict-origin-when-cross-origin')
    .header('Cache-Control', CACHE)
    .header('Vary', 'Accept-Language')
    .send(html);
}

interface HelpQuery {
  lang?: string;
  q?: string;
}

function pageLanguage(req: FastifyRequest<{ Querystring: HelpQuery }>): { language: Language; filter: Language | null } {
  const filter = asLanguage(req.query.lang);
  return { language: filter ?? negotiateLanguage(req.headers['accept-language']), filter };
}

function notFound(req: FastifyRequest<{ Querystring: HelpQuery }>, reply: FastifyReply): FastifyReply {
  const { language, filter } = pageLanguage(req);
  const body = `<p>${t(language, 'notFoundText')}</p><p><a href="${helpHref('/help', filter)}">${t(language, 'title')}</a></p>`;
  return sendHtml(reply, renderPage({ language, filter, title: HELP_STRINGS[language].notFoundTitle, body, path: '/help' }), 404);
}

function homeCrumb(language: Language, filter: Language | null): Crumb {
  return { name: HELP_STRINGS[language].title, href: helpHref('/help', filter) };
}

/** Help › ancestors… (the folder itself included when `self` is true). */
function folderCrumbs(folders: PublicFolders, folderId: string | null, language: Language, filter: Language | null, self: boolean): Crumb[] {
  const chain: Crumb[] = [];
  let id = self ? folderId : (folders.byId.get(folderId ?? '')?.parent_id ?? null);
  for (let guard = 0; id !== null && guard < 32; guard++) {
    const f = folders.byId.get(id);
    if (!f) break;
    chain.unshift({ name: f.name, href: helpHref(`/help/folders/${encodeURIComponent(f.id)}`, filter) });
    id = f.parent_id;
  }
  return [homeCrumb(language, filter), ...chain];
}

function folderList(folders: PublicFolders, ids: string[], language: Language, filter: Language | null): string {
  const visible = ids.filter((id) => folders.hasContent(id));
  if (visible.length === 0) return '';
  const items = visible
    .map((id) => folders.byId.get(id)!)
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((f) => `<li><a href="${helpHref(`/help/folders/${encodeURIComponent(f.id)}`, filter)}">${esc(f.name)}</a></li>`)
    .join('');
  return `<section aria-labelledby="topics"><h2 id="topics">${t(language, 'topics')}</h2><ul class="list">${items}</ul></section>`;
}

function faqList(faqs: Array<{ id: string; question: string; language: string }>, language: Language): string {
  if (faqs.length === 0) return '';
  const items = faqs
    .map((f) => `<li${f.language !== language ? ` lang="${esc(f.language)}"` : ''}><a href="${esc(faqPath(f.id, f.question))}">${esc(f.question)}</a></li>`)
    .join('');
  return `<section aria-labelledby="questions"><h2 id="questions">${t(language, 'questions')}</h2><ul class="list">${items}</ul></section>`;
}

function snippet(markdown: string): string {
  const text = stripMarkdown(markdown).replace(/\s+/g, ' ').trim();
  if (text.length <= SNIPPET_CHARS) return text;
  const cut = text.slice(0, SNIPPET_CHARS);
  const space = cut.lastIndexOf(' ');
  return `${space > SNIPPET_CHARS / 2 ? cut.slice(0, space) : cut}…`;
}

export function helpRoutes(app: FastifyInstance, ctx: Ctx, _config: Pick<Config, 'publicUrl'>): void {
  app.get(HELP_CSS_PATH, async (_req, reply) =>
    reply.header('Content-Type', 'text/css; charset=utf-8').header('Cache-Control', 'public, max-age=31536000, immutable').send(HELP_CSS),
  );

  app.get<{ Querystring: HelpQuery }>('/help', async (req, reply) => {
    const { language, filter } = pageLanguage(req);
    const folders = await loadPublicFolders(ctx.db, filter);
    const roots = folders.rows.filter((f) => f.parent_id === null).map((f) => f.id);
    const loose = await publicFaqs(ctx.db, filter).where('folder_id', 'is', null).orderBy('question').limit(200).execute();
    const body = folderList(folders, roots, language, filter) + faqList(loose, language);
    const html = renderPage({ language, filter, title: HELP_STRINGS[language].title, body: body || `<p>${t(language, 'nothingHere')}</p>`, path: '/help' });
    return sendHtml(reply, html);
  });

  app.get<{ Querystring: HelpQuery }>('/help/search', async (req, reply) => {
    const { language, filter } = pageLanguage(req);
    const query = (typeof req.query.q === 'string' ? req.query.q : '').slice(0, 500).trim();
    const page = (title: string, body: string) =>
      sendHtml(reply, renderPage({ language, filter, title, body, query, path: '/help/search', crumbs: [homeCrumb(language, filter)] }));
    if (query === '') return page(HELP_STRINGS[language].searchButton, `<p>${t(language, 'emptyQuery')}</p>`);
    await ctx.faqSearch.settled();
    // Scores of different languages are not comparable: across languages, the share of the query matched ranks first.
    const hits: FaqHit[] = (filter ? [filter] : LANGUAGES)
      .flatMap((l) => ctx.faqSearch.search(query, { language: l, limit: SEARCH_LIMIT, publicOnly: true }))
      .sort((a, b) => b.coverage - a.coverage || b.score - a.score)
      .slice(0, SEARCH_LIMIT);
    const rows = hits.length === 0 ? [] : await publicFaqs(ctx.db, filter).where('id', 'in', hits.map((h) => h.id)).execute();
    const byId = new Map(rows.map((r) => [r.id, r]));
    const found = hits.flatMap((h) => byId.get(h.id) ?? []);
    const title = HELP_STRINGS[language].resultsFor.replace('{query}', () => query);
    if (found.length === 0) return page(title, `<p>${t(language, 'noResults', query)}</p>`);
    const items = found
      .map(
        (f) =>
          `<li${f.language !== language ? ` lang="${esc(f.language)}"` : ''}><a href="${esc(faqPath(f.id, f.question))}">${esc(f.question)}</a><p class="snippet">${esc(snippet(f.answer))}</p></li>`,
      )
      .join('');
    return page(title, `<ul class="list">${items}</ul>`);
  });

  app.get<{ Params: { id: string }; Querystring: HelpQuery }>('/help/folders/:id', async (req, reply) => {
    const { language, filter } = pageLanguage(req);
    const folders = await loadPublicFolders(ctx.db, filter);
    const folder = folders.byId.get(req.params.id);
    // A folder with nothing public in it would only leak an internal name.
    if (!folder || !folders.hasContent(folder.id)) return notFound(req, reply);
    const subfolders = folders.rows.filter((f) => f.parent_id === folder.id).map((f) => f.id);
    const faqs = await publicFaqs(ctx.db, filter).where('folder_id', '=', folder.id).orderBy('question').limit(500).execute();
    const body = faqList(faqs, language) + folderList(folders, subfolders, language, filter);
    const crumbs = folderCrumbs(folders, folder.id, language, filter, false);
    return sendHtml(
      reply,
      renderPage({ language, filter, title: folder.name, crumbs, body: body || `<p>${t(language, 'nothingHere')}</p>`, path: `/help/folders/${encodeURIComponent(folder.id)}` }),
    );
  });

  const faqPage = async (req: FastifyRequest<{ Params: { id: string; slug?: string }; Querystring: HelpQuery }>, reply: FastifyReply) => {
    const faq = await publicFaqs(ctx.db, null).where('id', '=', req.params.id).executeTakeFirst();
    const language = asLanguage(faq?.language);
    if (!faq || !language) return notFound(req, reply);
    if (req.params.slug !== faqSlug(faq.question)) return reply.header('Cache-Control', CACHE).redirect(faqPath(faq.id, faq.question), 301);
    const folders = await loadPublicFolders(ctx.db, language);
    const crumbs = faq.folder_id !== null && folders.byId.has(faq.folder_id) ? folderCrumbs(folders, faq.folder_id, language, language, true) : [homeCrumb(language, language)];
    const body = `<div class="answer">${renderFaqMarkdown(faq.answer)}</div>`;
    return sendHtml(reply, renderPage({ language, filter: language, title: faq.question, crumbs, body, path: '/help' }));
  };
  app.get<{ Params: { id: string; slug: string }; Querystring: HelpQuery }>('/help/faq/:id/:slug', faqPage);
  app.get<{ Params: { id: string }; Querystring: HelpQuery }>('/help/faq/:id', faqPage);
}

