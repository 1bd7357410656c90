import { readFile } from 'node:fs/promises';
import { FaqExportFileSchema } from '@loket/protocol';
import { createFaqFolder, faqError, faqFolder, faqItems, faqPreview, newAdmin, openAdmin, seedFaq } from './support/admin.js';
import { audit, describeFindings, type Finding } from './support/axe.js';
import { expect, test } from './support/fixtures.js';

/** The knowledge base in the console (administrators) and FAQ links from a chat (every agent). Issue 6. */

const csv = (...lines: string[]) => Buffer.from(`${lines.join('\n')}\n`, 'utf8');

test.describe('knowledge base', () => {
  test('an admin builds folders and an FAQ with a live preview, publishes it, imports and exports', async ({ stack, actors }) => {
    const admin = await actors.agent(await newAdmin(stack, [], 'Kim Admin'), { bypassCSP: true });
    const { page } = admin;
    const findings: Finding[] = [];
    const tag = Date.now().toString(36);
    await admin.signIn();
    await openAdmin(page, 'faqs');
    await expect(page).toHaveURL(/\/console\/faqs$/);

    // A folder and a sub-folder inside it: the tree nests them.
    await createFaqFolder(page, `Billing ${tag}`);
    await createFaqFolder(page, `Invoices ${tag}`);
    await expect(page.locator(`li:has(> [data-folder-name="Billing ${tag}"]) [data-folder-name="Invoices ${tag}"]`)).toHaveCount(1);
    findings.push(...(await audit(page, 'console: knowledge base')));

    // A new FAQ starts in the selected folder; the preview renders the Markdown and shows HTML as text.
    await page.getByTestId('faq-new').click();
    await expect(page).toHaveURL(/\/console\/faqs\/new$/);
    const folderValue = await faqFolder(page, `Invoices ${tag}`).getAttribute('data-folder-id');
    await expect(page.getByTestId('faq-folder-select')).toHaveValue(folderValue ?? 'missing');
    const question = `How do I pay my invoice ${tag}?`;
    await page.getByTestId('faq-answer').fill('You can pay with:\n\n- iDEAL\n- a credit card\n\nSee [the payment terms](https://example.com/terms).\n\n<script>alert(1)</script>');
    const preview = faqPreview(page);
    await expect(preview.locator('li')).toHaveText(['iDEAL', 'a credit card']);
    await expect(preview.locator('a')).toHaveAttribute('href', 'https://example.com/terms');
    await expect(preview.locator('body')).toContainText('<script>alert(1)</script>');
    await expect(preview.locator('script')).toHaveCount(0);

    // An empty question is refused at its field.
    await page.getByTestId('faq-keywords').fill('betalen, factuur,  payment');
    await page.getByTestId('faq-save').click();
    await expect(faqError(page, 'question')).toBeVisible();
    await expect(page.getByTestId('faq-question')).toHaveAttribute('aria-invalid', 'true');
    await expect(page.getByTestId('faq-question')).toBeFocused();
    findings.push(...(await audit(page, 'console: FAQ editor with an error')));

    // Published: saved, listed in its folder, with a link to its public page.
    await page.getByTestId('faq-question').fill(question);
    await expect(faqError(page, 'question')).toHaveCount(0);
    await page.getByTestId('faq-published').check();
    await page.getByTestId('faq-save').click();
    await expect(page.getByTestId('faq-saved')).toHaveText(/\S/);
    await expect(page).toHaveURL(/\/console\/faqs\/(?!new)[^/]+$/);
    await expect(faqItems(page, question)).toHaveCount(1);
    await expect(page.getByTestId('faq-keywords')).toHaveValue('betalen, factuur, payment');
    await expect(page.getByTestId('faq-deflections')).toBeVisible();
    const publicLink = page.getByTestId('faq-public-link');
    await expect(publicLink).toHaveAttribute('href', /\/help\/faq\/[^/]+\/how-do-i-pay-my-invoice/);
    const [publicPage] = await Promise.all([page.context().waitForEvent('page'), publicLink.click()]);
    await publicPage.waitForLoadState();
    await expect(publicPage.getByRole('heading', { level: 1 })).toHaveText(question);
    await expect(publicPage.locator('li').filter({ hasText: 'iDEAL' })).toHaveCount(1);
    await publicPage.close();

    // The deep link survives a reload.
    await page.reload();
    await expect(page.getByTestId('faq-question')).toHaveValue(question);

    // Import a small CSV: two FAQs in a new folder.
    await page.getByTestId('faq-folder-all').click();
    const importInput = page.getByTestId('faq-import');
    await importInput.setInputFiles({
      name: 'faqs.csv',
      mimeType: 'text/csv',
      buffer: csv(
        'folder,language,question,answer,keywords,published,visibility',
        `Shipping ${tag},en,Where is my parcel ${tag}?,Track it with the link in the e-mail.,track;parcel,true,everyone`,
        `Shipping ${tag},nl,Wanneer wordt mijn pakket ${tag} bezorgd?,Binnen twee werkdagen.,bezorging,false,logged_in`,
      ),
    });
    await expect(page.getByTestId('faq-import-ok')).toContainText('2 FAQs');
    await expect(faqFolder(page, `Shipping ${tag}`)).toBeVisible();
    await expect(faqItems(page, `Where is my parcel ${tag}?`)).toHaveCount(1);
    await expect(faqItems(page, `Wanneer wordt mijn pakket ${tag} bezorgd?`)).toHaveCount(1);
    const before = await faqItems(page).count();

    // A bad language on line 3: the error names the line and nothing is added.
    await importInput.setInputFiles({
      name: 'bad.csv',
      mimeType: 'text/csv',
      buffer: csv(
        'folder,language,question,answer,keywords,published,visibility',
        `Returns ${tag},en,Can I return it ${tag}?,Within 30 days.,,true,everyone`,
        `Returns ${tag},xx,Kan ik het ${tag} ruilen?,Binnen 30 dagen.,,true,everyone`,
      ),
    });
    await expect(page.getByTestId('faq-import-error')).toContainText('line 3');
    await expect(page.getByTestId('faq-import-ok')).toHaveCount(0);
    await expect(faqFolder(page, `Returns ${tag}`)).toHaveCount(0);
    await expect(faqItems(page)).toHaveCount(before);
    await expect(faqItems(page, `Can I return it ${tag}?`)).toHaveCount(0);

    // The search box and the filters narrow the list.
    await page.getByTestId('faq-filter-language').selectOption('nl');
    await expect(faqItems(page, `Wanneer wordt mijn pakket ${tag} bezorgd?`)).toHaveCount(1);
    await expect(faqItems(page, question)).toHaveCount(0);
    await page.getByTestId('faq-filter-language').selectOption('');
    await page.getByTestId('faq-search').fill('parcel');
    await expect(faqItems(page, `Where is my parcel ${tag}?`)).toHaveCount(1);
    await expect(faqItems(page, question)).toHaveCount(0);
    await page.getByTestId('faq-search').fill('');

    // Export: a JSON file with the FAQs, folders as paths.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('faq-export-json').click()]);
    const file = FaqExportFileSchema.parse(JSON.parse(await readFile(await download.path(), 'utf8')));
    expect(file.faqs.find((f) => f.question === question)).toMatchObject({ folder: `Billing ${tag}/Invoices ${tag}`, published: true, keywords: ['betalen', 'factuur', 'payment'] });
    expect(file.faqs.find((f) => f.question === `Wanneer wordt mijn pakket ${tag} bezorgd?`)).toMatchObject({ folder: `Shipping ${tag}`, language: 'nl', visibility: 'logged_in' });

    // A folder renamed and moved under another, then deleted after a confirmation.
    await page.getByTestId('faq-folder-all').click();
    await createFaqFolder(page, `Temp ${tag}`);
    const billingId = await faqFolder(page, `Billing ${tag}`).getAttribute('data-folder-id');
    await page.getByTestId('faq-folder-name').fill(`Archive ${tag}`);
    await page.getByTestId('faq-folder-parent').selectOption(billingId ?? 'missing');
    await page.getByTestId('faq-folder-save').click();
    await expect(page.locator(`li:has(> [data-folder-name="Billing ${tag}"]) [data-folder-name="Archive ${tag}"]`)).toHaveCount(1);
    await expect(faqFolder(page, `Temp ${tag}`)).toHaveCount(0);
    await page.getByTestId('faq-folder-delete').click();
    await expect(page.getByRole('dialog')).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('faq-folder-delete')).toBeFocused();
    await expect(faqFolder(page, `Archive ${tag}`)).toHaveCount(1);
    await page.getByTestId('faq-folder-delete').click();
    await page.getByTestId('faq-folder-delete-confirm').click();
    await expect(faqFolder(page, `Archive ${tag}`)).toHaveCount(0);
    await expect(faqFolder(page, `Billing ${tag}`)).toBeVisible();
    expect(findings, describeFindings(findings)).toEqual([]);
  });

  test('an agent links an FAQ in a chat with the keyboard only; agents have no knowledge base', async ({ shop, stack, actors }) => {
    const tag = Date.now().toString(36);
    const faq = await seedFaq(stack, { question: `How long does delivery take ${tag}?`, answer: 'Two working days.', keywords: ['shipping'] });
    await seedFaq(stack, { question: `Hidden draft about delivery ${tag}`, published: false });
    const login = await stack.newAgent([shop.channelId], 'Pim Agent');
    const agent = await actors.agent(login, { bypassCSP: true });
    const customer = await actors.customer(shop);
    const findings: Finding[] = [];
    const { page } = agent;

    await customer.startChat('Sara Visser', 'When will my order arrive?');
    await agent.signIn();
    await agent.getNext();
    await expect(agent.messages('When will my order arrive?', 'visitor')).toHaveCount(1);

    // Keyboard only: type, Tab to "Insert FAQ link", search, arrow down, Enter.
    const composer = agent.composer();
    await expect(composer).toBeFocused();
    await page.keyboard.type('Hi Sara! ');
    await page.keyboard.press('Tab');
    await expect(page.getByTestId('faq-link-open')).toBeFocused();
    await page.keyboard.press('Enter');
    const search = page.getByTestId('faq-picker-search');
    await expect(search).toBeFocused();
    await page.keyboard.type('how long delivery');
    await expect(agent.faqPickerOptions().first()).toContainText(faq.question);
    // Published ones only.
    await expect(agent.faqPickerOptions().filter({ hasText: 'Hidden draft' })).toHaveCount(0);
    findings.push(...(await audit(page, 'console: FAQ link search')));

    // Escape closes it and gives the composer its focus back, text untouched.
    await page.keyboard.press('Escape');
    await expect(agent.faqPicker()).toHaveCount(0);
    await expect(composer).toBeFocused();
    await expect(composer).toHaveValue('Hi Sara! ');

    await page.keyboard.press('Tab');
    await expect(page.getByTestId('faq-link-open')).toBeFocused();
    await page.keyboard.press('Enter');
    // Typing before the search box has the focus would type into the page, not the search.
    await expect(search).toBeFocused();
    await page.keyboard.type('how long delivery');
    await expect(agent.faqPickerOptions().first()).toContainText(faq.question);
    // Enter chooses only what the arrow keys picked.
    await page.keyboard.press('Enter');
    await expect(agent.faqPicker()).toBeVisible();
    await page.keyboard.press('ArrowDown');
    await expect(agent.faqPickerOptions().first()).toHaveAttribute('aria-selected', 'true');
    await page.keyboard.press('Enter');
    await expect(agent.faqPicker()).toHaveCount(0);
    await expect(composer).toBeFocused();
    const text = `Hi Sara! ${faq.question}: ${faq.url}`;
    // Inserted, not sent.
    await expect(composer).toHaveValue(text);
    await expect(agent.messages(faq.url)).toHaveCount(0);
    await page.keyboard.press('Enter');
    await expect(composer).toHaveValue('');
    // The customer sees the link as a card with the FAQ's title (composing.spec.ts opens it).
    await expect(customer.messages(faq.question, 'agent').getByTestId('faq-card')).toHaveCount(1);
    expect(faq.url).toMatch(new RegExp(`^${stack.loketUrl}/help/faq/`));

    // Not an administrator: no Knowledge base in the console, and its API refuses.
    await expect(page.getByTestId('nav-faqs')).toHaveCount(0);
    const refused = await page.request.get(`${stack.loketUrl}/api/admin/faqs`);
    expect(refused.status()).toBe(403);
    expect(findings, describeFindings(findings)).toEqual([]);
  });
});
