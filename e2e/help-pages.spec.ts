import { newAdmin } from './support/admin.js';
import { audit, describeFindings, type Finding } from './support/axe.js';
import { faqInput, KnowledgeBaseApi } from './support/faq.js';
import { expect, test } from './support/fixtures.js';

/**
 * The public help pages (issue 6): a visitor searches, browses a folder and reads an FAQ, with the keyboard, without
 * any script, and every state passes the WCAG 2.2 AA audit.
 */
test.describe('public help pages', () => {
  test('a visitor searches, opens a folder and reads an FAQ in its own language', async ({ stack, actors }) => {
    const api = await KnowledgeBaseApi.signIn(stack, await newAdmin(stack));
    const tag = Date.now().toString(36);
    const folder = await api.createFolder(`Deliveries ${tag}`);
    const faq = await api.createFaq(
      faqInput(folder.id, `Do you deliver on Sundays ${tag}?`, 'Yes, in **most cities**. See [our delivery map](https://example.com/map).\n\n- Amsterdam\n- Utrecht'),
    );
    const draft = await api.createFaq(faqInput(folder.id, `Do you deliver at night ${tag}?`, 'Not yet.', { published: false }));
    const dutch = await api.createFaq(faqInput(folder.id, `Bezorgen jullie op zondag ${tag}?`, 'Ja, in de meeste steden.', { language: 'nl' }));

    // bypassCSP only so axe can be injected; the pages themselves run no script.
    const page = await actors.page({ bypassCSP: true });
    const findings: Finding[] = [];
    const scripts: string[] = [];
    page.on('request', (r) => {
      if (r.resourceType() === 'script') scripts.push(r.url());
    });

    await page.goto(`${stack.loketUrl}/help`);
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Help center');
    findings.push(...(await audit(page, 'help: start page')));

    // The skip link is the first stop and lands on the content.
    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: 'Skip to content' });
    await expect(skip).toBeFocused();
    await expect(skip).toBeVisible();

    // Search with the keyboard.
    await page.getByRole('searchbox', { name: 'Search the help center' }).fill(`sunday delivery ${tag}`);
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(/\/help\/search\?q=/);
    const hit = page.getByRole('main').getByRole('link', { name: faq.question });
    await expect(hit).toBeVisible();
    findings.push(...(await audit(page, 'help: search results')));

    await page.getByRole('searchbox').fill('zeppelin hangar');
    await page.getByRole('button', { name: 'Search' }).click();
    await expect(page.getByRole('main')).toContainText('Nothing found for “zeppelin hangar”');
    findings.push(...(await audit(page, 'help: no results')));

    // The folder page, with its breadcrumb.
    await page.goto(`${stack.loketUrl}/help`);
    await page.getByRole('link', { name: folder.name }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(folder.name);
    await expect(page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'Help center' })).toBeVisible();
    findings.push(...(await audit(page, 'help: folder')));

    // The FAQ page: question as the heading, the answer's Markdown rendered.
    await page.getByRole('link', { name: faq.question }).click();
    await expect(page).toHaveURL(new RegExp(`/help/faq/${faq.id}/do-you-deliver-on-sundays`));
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(faq.question);
    await expect(page.locator('.answer strong')).toHaveText('most cities');
    await expect(page.locator('.answer li')).toHaveText(['Amsterdam', 'Utrecht']);
    await expect(page.getByRole('link', { name: 'our delivery map' })).toHaveAttribute('target', '_blank');
    findings.push(...(await audit(page, 'help: FAQ page')));

    // A Dutch FAQ is a Dutch page, whatever the browser's language.
    await page.goto(dutch.url);
    await expect(page.locator('html')).toHaveAttribute('lang', 'nl');
    await expect(page.getByRole('link', { name: 'Naar de inhoud' })).toBeAttached();
    findings.push(...(await audit(page, 'help: Dutch FAQ page')));

    // An old link with a stale slug still arrives.
    await page.goto(`${stack.loketUrl}/help/faq/${faq.id}/old-words`);
    await expect(page).toHaveURL(faq.url);

    // An unpublished FAQ has no public page: it is missing like any other.
    const gone = await page.goto(draft.url);
    expect(gone?.status()).toBe(404);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Page not found');
    findings.push(...(await audit(page, 'help: not found')));

    expect(scripts, 'the help pages load no script').toEqual([]);
    expect(findings, describeFindings(findings)).toEqual([]);
  });
});
