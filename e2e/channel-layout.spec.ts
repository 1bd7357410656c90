import { expect, test } from './support/fixtures.js';
import { audit, describeFindings } from './support/axe.js';
import { layoutError, newAdmin, newAgentWithPhoto, openAdmin, openChannel, previewFrame, tinyPng } from './support/admin.js';

const GREEN = { hex: '#0b6e4f', rgb: 'rgb(11, 110, 79)' };
const CREAM = { hex: '#ffe8a3', rgb: 'rgb(255, 232, 163)' };

test.describe('widget layout and live preview (issue 3)', () => {
  test('an administrator styles the widget, the preview follows every edit, and a freshly loaded widget shows it', async ({ shop, stack, actors }) => {
    const admin = await actors.agent(await newAdmin(stack), { bypassCSP: true });
    await admin.signIn();
    const page = admin.page;
    await openAdmin(page, 'channels');
    const channelName = `Shop ${shop.channelKey}`;
    await openChannel(page, channelName);

    const preview = previewFrame(page);
    await expect(page.getByTestId('preview-frame')).toHaveAttribute('title', 'Preview of the chat window');
    const previewHeader = preview.locator('header.header');
    await expect(previewHeader).toBeVisible();

    // Each edit reaches the preview before anything is saved.
    await page.getByTestId('layout-theme-dark').check();
    await expect(preview.locator('html')).toHaveAttribute('data-theme', 'dark');
    await page.getByTestId('layout-color').fill(GREEN.hex);
    await expect(previewHeader).toHaveCSS('background-color', GREEN.rgb);
    await expect(previewHeader).toHaveCSS('color', 'rgb(255, 255, 255)');
    await page.getByTestId('layout-font').selectOption('serif');
    await expect(preview.locator('body')).toHaveCSS('font-family', /Georgia/);
    // Texts of other sections, unsaved, too.
    await page.getByTestId('prop-header').fill('Hulp bij je fiets');
    await expect(preview.locator('h1')).toHaveText('Hulp bij je fiets');

    // An unreadable own text colour: the contrast shows while typing, and saving is refused at the field with the ratio.
    await page.getByTestId('layout-header-text-own').check();
    await page.getByTestId('layout-header-text-color').fill('#333333');
    await expect(page.getByTestId('layout-contrast')).toContainText('2.0:1');
    await page.getByTestId('layout-save').click();
    await expect(layoutError(page, 'headerTextColor')).toContainText('2.0:1, needs at least 4.5:1');
    await expect(page.getByTestId('layout-header-text-color')).toBeFocused();
    await expect(page.getByTestId('layout-header-text-color')).toHaveAttribute('aria-invalid', 'true');

    await page.getByTestId('layout-header-text-color').fill(CREAM.hex);
    await expect(page.getByTestId('layout-contrast')).toContainText(/passes AA/);
    await expect(previewHeader).toHaveCSS('color', CREAM.rgb);

    // The logo is uploaded when chosen and shows in the preview's header, named after the channel.
    await page.getByTestId('layout-logo').setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: tinyPng() });
    await expect(page.getByTestId('layout-logo-current')).toBeVisible();
    const previewLogo = preview.getByTestId('header-logo');
    await expect(previewLogo).toHaveAttribute('alt', channelName);
    await expect.poll(() => previewLogo.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(24);

    await page.getByTestId('layout-save').click();
    await expect(page.getByTestId('layout-saved')).toHaveText(/\S/);
    await expect(layoutError(page, 'headerTextColor')).toHaveCount(0);

    // The views of the preview: the conversation with Sam, the queue with the channel's message, offline.
    await page.getByTestId('preview-view-chat').check();
    await expect(preview.getByTestId('agent-name')).toHaveText('Sam');
    await page.getByTestId('preview-view-queue').check();
    await expect(preview.getByTestId('queue-message')).toContainText('2');
    await page.getByTestId('preview-view-offline').check();
    await expect(preview.getByTestId('offline')).toBeVisible();

    // An SVG with a script is refused at the field; the logo stays as it was.
    await page.getByTestId('layout-logo').setInputFiles({
      name: 'evil.svg',
      mimeType: 'image/svg+xml',
      buffer: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script><rect width="4" height="4"/></svg>'),
    });
    await expect(layoutError(page, 'logo')).toContainText(/not accepted/);
    await expect(page.getByTestId('layout-logo')).toHaveAttribute('aria-invalid', 'true');
    await expect(previewLogo).toBeVisible();

    const consoleFindings = await audit(page, 'console: widget layout with a refused logo', '[data-testid="layout-section"]');
    expect(consoleFindings, describeFindings(consoleFindings)).toEqual([]);
    const previewFindings = await audit(page, 'console: live preview', '[data-testid="preview-section"]');
    expect(previewFindings, describeFindings(previewFindings)).toEqual([]);
    const previewWindow = page.frames().find((f) => f.url().includes('preview=1'));
    if (!previewWindow) throw new Error('no preview frame');
    const frameFindings = await audit(previewWindow, 'widget preview: offline, dark');
    expect(frameFindings, describeFindings(frameFindings)).toEqual([]);

    // A widget loaded now: launcher and header in the saved colours, dark theme, serif font, the logo.
    const customer = await actors.customer(shop, { bypassCSP: true });
    await customer.goto();
    await expect(customer.launcher).toHaveCSS('background-color', GREEN.rgb);
    await expect(customer.launcher).toHaveCSS('color', CREAM.rgb);
    await customer.openWindow();
    const header = customer.frame.locator('header.header');
    await expect(header).toHaveCSS('background-color', GREEN.rgb);
    await expect(header).toHaveCSS('color', CREAM.rgb);
    await expect(customer.frame.locator('html')).toHaveAttribute('data-theme', 'dark');
    await expect(customer.frame.locator('body')).toHaveCSS('background-color', 'rgb(21, 23, 26)');
    await expect(customer.frame.locator('body')).toHaveCSS('font-family', /Georgia/);
    const logo = customer.frame.getByTestId('header-logo');
    await expect(logo).toHaveAttribute('alt', channelName);
    await expect.poll(() => logo.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(24);
    const widgetFindings = await audit(await customer.windowFrame(), 'widget: dark theme, pre-chat form');
    expect(widgetFindings, describeFindings(widgetFindings)).toEqual([]);
  });

  test("once an agent answers, the widget's header shows the agent's photo and name", async ({ shop, stack, actors }) => {
    const agent = await actors.agent(await newAgentWithPhoto(stack, [shop.channelId], 'Pia Peters', tinyPng(16, 16)));
    await agent.signIn();
    const customer = await actors.customer(shop);
    await customer.startChat('Carla Customer', 'Is this bike in stock?');
    await expect(customer.frame.getByTestId('agent-photo')).toHaveCount(0);
    await agent.getNext();
    await expect(customer.frame.getByTestId('agent-name')).toHaveText('Pia Peters');
    const photo = customer.frame.getByTestId('agent-photo');
    await expect(photo).toBeVisible();
    await expect.poll(() => photo.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(16);
  });
});
