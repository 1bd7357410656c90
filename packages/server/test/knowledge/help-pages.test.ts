/**
 * The public help pages (/help): only published FAQs visible to everyone, in their own language, with nothing an
 * editor or a visitor types able to become markup.
 */
import { faqPath, LANGUAGES } from '@loket/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HELP_KEYS, HELP_STRINGS, negotiateLanguage } from '../../src/help/i18n.js';
import { makeFaq, makeFaqFolder } from '../support/factories.js';
import { DIALECTS, startTestLoket, type TestLoket } from '../support/server.js';

const count = (html: string, needle: RegExp) => (html.match(needle) ?? []).length;

describe('help page words', () => {
  it('exist in every language for every key', () => {
    for (const language of LANGUAGES) {
      for (const key of HELP_KEYS) expect(HELP_STRINGS[language][key].trim(), `${language}.${key}`).not.toBe('');
      expect(Object.keys(HELP_STRINGS[language]).sort()).toEqual([...HELP_KEYS].sort());
      for (const key of ['resultsFor', 'noResults'] as const) expect(HELP_STRINGS[language][key]).toContain('{query}');
    }
  });

  it("follow the visitor's Accept-Language when no language is asked for", () => {
    expect(negotiateLanguage('nl-NL,nl;q=0.9,en;q=0.8')).toBe('nl');
    expect(negotiateLanguage('pt-BR,de;q=0.5,fr;q=0.7')).toBe('fr');
    expect(negotiateLanguage('no')).toBe('nb');
    expect(negotiateLanguage('ja, de;q=0')).toBe('en');
    expect(negotiateLanguage(undefined)).toBe('en');
  });
});

describe.each(DIALECTS)('public help pages on %s', (dialect) => {
  let t: TestLoket;
  beforeAll(async () => {
    t = await startTestLoket(dialect);
  });
  afterAll(async () => {
    await t?.close();
  });

  const get = async (path: string, headers: Record<string, string> = {}) => {
    const res = await fetch(`${t.url}${path}`, { headers, redirect: 'manual' });
    return { res, html: await res.text() };
  };

  it('shows a published FAQ in its language, with a strict CSP, short caching and one h1', async () => {
    const faq = await makeFaq(t, { language: 'de', question: 'Wie lange dauert der Versand?', answer: 'Meist **zwei** Werktage. Siehe [Versand](https://example.com/versand).' });
    const { res, html } = await get(faqPath(faq.id, faq.question), { 'accept-language': 'en' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(html).toContain('<html lang="de">');
    expect(html).toContain('<h1>Wie lange dauert der Versand?</h1>');
    expect(html).toContain('<strong>zwei</strong>');
    expect(html).toContain(HELP_STRINGS.de.skip);
    expect(count(html, /<h1[\s>]/g)).toBe(1);
    expect(html).toMatch(/<a class="skip" href="#main">/);
    expect(html).toMatch(/<main id="main"/);
    expect(html).not.toMatch(/<script|\sstyle=|<style/i);

    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('script-src');
    expect(res.headers.get('cache-control')).toMatch(/^public, max-age=\d{1,3}$/);

    const css = html.match(/<link rel="stylesheet" href="([^"]+)">/)?.[1];
    expect(css).toBeDefined();
    const sheet = await fetch(`${t.url}${css}`);
    expect(sheet.status).toBe(200);
    expect(sheet.headers.get('content-type')).toMatch(/^text\/css/);
    expect(await sheet.text()).toContain(':focus-visible');
  });

  it('shows unpublished and login-only FAQs exactly like one that does not exist', async () => {
    const draft = await makeFaq(t, { question: 'Secret launch date', published: false });
    const members = await makeFaq(t, { question: 'Members-only discount code', visibility: 'logged_in' });
    const missing = await get('/help/faq/00000000-0000-0000-0000-000000000000/nothing');
    expect(missing.res.status).toBe(404);
    for (const faq of [draft, members]) {
      const page = await get(faqPath(faq.id, faq.question));
      expect(page.res.status).toBe(404);
      expect(page.html).toBe(missing.html);
      expect(page.html).not.toContain(faq.question);
    }
    // Nor are they found by the public search.
    const search = await get('/help/search?q=secret+launch+members+discount');
    expect(search.html).not.toContain('Secret launch date');
    expect(search.html).not.toContain('Members-only discount code');
  });

  it('renders what editors and visitors type as text, never as markup', async () => {
    const faq = await makeFaq(t, {
      question: 'Is <script>alert(1)</script> & "this" <b>safe</b>?',
      answer: 'Look: <img src=x onerror="alert(2)"> and [click](javascript:alert(3)) <iframe src="https://evil.example"></iframe>',
    });
    const { res, html } = await get(faqPath(faq.id, faq.question));
    expect(res.status).toBe(200);
    expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62; &#38; &#34;this&#34; &#60;b&#62;safe&#60;/b&#62;?');
    expect(html).not.toMatch(/<script|<img|<iframe|<b>safe|onerror="|href="javascript:/i);
    // The refused link stays visible as the text the editor typed.
    expect(html).toContain('[click](javascript:alert(3))');

    const search = await get(`/help/search?q=${encodeURIComponent('"><script>alert(4)</script>')}`);
    expect(search.res.status).toBe(200);
    expect(search.html).not.toMatch(/<script/i);
    expect(search.html).toContain('&#34;&#62;&#60;script&#62;alert(4)&#60;/script&#62;');

    // Replacement patterns in a query are text too.
    const patterns = await get(`/help/search?q=${encodeURIComponent("zz $' $& $`")}&lang=en`);
    expect(patterns.html).toContain("Nothing found for “zz $&#39; $&#38; $`”.");
  });

  it('sends a wrong or missing slug to the right address', async () => {
    const faq = await makeFaq(t, { question: 'Can I pay in instalments?' });
    for (const path of [`/help/faq/${faq.id}/old-question`, `/help/faq/${faq.id}`]) {
      const { res } = await get(path);
      expect(res.status).toBe(301);
      expect(res.headers.get('location')).toBe(faqPath(faq.id, faq.question));
    }
  });

  it('lists folders that hold something public, with breadcrumbs, and filters on language', async () => {
    const top = await makeFaqFolder(t, `Furniture ${dialect}`);
    const sub = await makeFaqFolder(t, 'Beds & <Sofas>', top.id);
    const hidden = await makeFaqFolder(t, `Internal drafts ${dialect}`);
    const faq = await makeFaq(t, { folderId: sub.id, language: 'nl', question: 'Hoe monteer ik de slaapbank?', answer: 'Volg de handleiding.' });
    await makeFaq(t, { folderId: hidden.id, question: 'Unreleased sofa', published: false });

    const home = await get('/help');
    expect(home.res.status).toBe(200);
    expect(home.html).toContain(`href="/help/folders/${top.id}"`);
    expect(home.html).not.toContain(`Internal drafts ${dialect}`);
    expect((await get(`/help/folders/${hidden.id}`)).res.status).toBe(404);

    // In English only, the furniture folder has nothing to show.
    expect((await get('/help?lang=en')).html).not.toContain(`/help/folders/${top.id}`);
    const dutchHome = await get('/help?lang=nl');
    expect(dutchHome.html).toContain('<html lang="nl">');
    expect(dutchHome.html).toContain(HELP_STRINGS.nl.title);
    expect(dutchHome.html).toContain(`href="/help/folders/${top.id}?lang=nl"`);

    const folder = await get(`/help/folders/${sub.id}`);
    expect(folder.res.status).toBe(200);
    expect(folder.html).toContain('<h1>Beds &#38; &#60;Sofas&#62;</h1>');
    expect(folder.html).toMatch(/<nav aria-label="[^"]+"><ol><li><a href="\/help">[^<]+<\/a><\/li><li><a href="\/help\/folders\/[^"]+">Furniture/);
    expect(folder.html).toContain(`href="${faqPath(faq.id, faq.question)}"`);
    expect(folder.html).toContain('<li lang="nl">');
  });

  it('searches published FAQs, and says so when nothing is found', async () => {
    const faq = await makeFaq(t, { question: 'Do you deliver on Saturdays?', answer: 'Yes, in the **big cities** for a small fee.' });
    const found = await get('/help/search?q=saturday+delivery&lang=en');
    expect(found.res.status).toBe(200);
    expect(found.html).toContain(`href="${faqPath(faq.id, faq.question)}"`);
    // A plain-text snippet of the answer: no Markdown, no markup.
    expect(found.html).toContain('Yes, in the big cities for a small fee.');
    expect(found.html).toContain('value="saturday delivery"');

    const none = await get('/help/search?q=zeppelin&lang=fr');
    expect(none.res.status).toBe(200);
    expect(none.html).toContain('<html lang="fr">');
    expect(none.html).toContain(HELP_STRINGS.fr.noResults.replace('{query}', 'zeppelin').replace(/'/g, '&#39;'));
  });
});
