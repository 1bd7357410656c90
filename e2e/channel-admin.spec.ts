import { expect, test } from './support/fixtures.js';
import { audit, describeFindings } from './support/axe.js';
import { channelAgentRow, channelItems, fillProperties, newAdmin, openAdmin, openChannel, propertyError, removeChannelAgent, saveProperties } from './support/admin.js';

test.describe('channel administration (issue 3)', () => {
  test('an administrator edits a channel and a freshly loaded widget speaks its language with the new texts', async ({ shop, stack, actors }) => {
    const admin = await actors.agent(await newAdmin(stack), { permissions: ['clipboard-read', 'clipboard-write'], bypassCSP: true });
    await admin.signIn();
    await openAdmin(admin.page, 'channels');
    await openChannel(admin.page, `Shop ${shop.channelKey}`);

    // An unknown queue-message variable is refused at the field, and nothing is saved.
    await fillProperties(admin.page, { queueMessage: 'U bent nummer {positie}.' });
    await admin.page.getByTestId('prop-save').click();
    await expect(propertyError(admin.page, 'queueMessage')).toBeVisible();
    await expect(admin.page.getByTestId('prop-queue-message')).toHaveAttribute('aria-invalid', 'true');
    await expect(admin.page.getByTestId('prop-queue-message')).toBeFocused();
    const findings = await audit(admin.page, 'console: channel detail with a field error');
    expect(findings, describeFindings(findings)).toEqual([]);

    const header = 'Fietsenwinkel <b>hulp</b>';
    await fillProperties(admin.page, { language: 'nl', badgeText: 'Vraag het ons', headerText: header, queueMessage: 'U bent nummer {position}. Wachttijd: {wait}.' });
    await saveProperties(admin.page);
    await expect(propertyError(admin.page, 'queueMessage')).toHaveCount(0);

    // The embed snippet is the one deferred tag (built from PUBLIC_URL: the test stack keeps the default), and copies.
    const snippet = admin.page.getByTestId('embed-snippet');
    const tag = new RegExp(`^<script defer src="https?://[^"\\s]+/widget\\.js" data-channel="${shop.channelKey}"></script>$`);
    await expect(snippet).toHaveValue(tag);
    await admin.page.getByTestId('embed-copy').click();
    await expect(admin.page.getByTestId('embed-copied')).toHaveText(/copied/i);
    expect(await admin.page.evaluate(() => navigator.clipboard.readText())).toBe(await snippet.inputValue());

    // A widget loaded now reads the new settings: badge on the launcher, Dutch strings, the header as text.
    const customer = await actors.customer(shop);
    await customer.goto();
    await expect(customer.launcher).toContainText('Vraag het ons');
    await customer.openWindow();
    await expect(customer.frame.locator('h1')).toHaveText(header);
    await expect(customer.frame.locator('h1 b')).toHaveCount(0);
    await expect(customer.frame.getByTestId('next')).toHaveText('Volgende');
  });

  test('an agent removed from a channel no longer sees its chats in the queue', async ({ newShop, stack, actors }) => {
    const [shopA, shopB] = [await newShop(), await newShop()];
    const login = await stack.newAgent([shopA.channelId, shopB.channelId], 'Ben Bakker');
    const agent = await actors.agent(login);
    await agent.signIn();
    const [alice, bram] = [await actors.customer(shopA), await actors.customer(shopB)];
    await alice.startChat('Alice Aalders', 'Question on channel A');
    await bram.startChat('Bram Boer', 'Question on channel B');
    await expect(agent.queueItems()).toHaveCount(2);

    const admin = await actors.agent(await newAdmin(stack));
    await admin.signIn();
    await openAdmin(admin.page, 'channels');
    await openChannel(admin.page, `Shop ${shopA.channelKey}`);
    await expect(channelAgentRow(admin.page, 'Ben Bakker')).toHaveCount(1);
    await removeChannelAgent(admin.page, 'Ben Bakker');

    // The agent's open console follows at once, without a reload: only channel B's chat is left in the queue,
    // and a new chat on channel A never shows up.
    await expect(agent.queueItems()).toHaveCount(1);
    await expect(agent.queueItems().first()).toContainText('Bram Boer');
    await expect(agent.queueItems().filter({ hasText: 'Alice Aalders' })).toHaveCount(0);
    const carl = await actors.customer(shopA);
    await carl.startChat('Carl Claes', 'Another question on channel A');
    const dora = await actors.customer(shopB);
    await dora.startChat('Dora Dekker', 'Another question on channel B');
    await expect(agent.queueItems()).toHaveCount(2);
    await expect(agent.queueItems().filter({ hasText: 'Carl Claes' })).toHaveCount(0);
  });

  test('an administrator creates a channel (a taken key is refused at the field) and deletes it after confirming', async ({ shop, stack, actors }) => {
    const admin = await actors.agent(await newAdmin(stack), { bypassCSP: true });
    await admin.signIn();
    await openAdmin(admin.page, 'channels');
    const page = admin.page;
    await page.getByTestId('channel-new').click();
    await page.getByTestId('channel-name').fill('Taken key');
    await page.getByTestId('channel-key').fill(shop.channelKey);
    await page.getByTestId('channel-create').click();
    await expect(page.locator('[data-testid="channel-error"][data-field="key"]')).toBeVisible();
    await expect(page.getByTestId('channel-key')).toBeFocused();
    const findings = await audit(page, 'console: new channel with a field error');
    expect(findings, describeFindings(findings)).toEqual([]);

    const name = `Tech support ${Date.now().toString(36)}`;
    await page.getByTestId('channel-name').fill(name);
    await page.getByTestId('channel-key').fill(`${name.toLowerCase().replace(/\s+/g, '-')}`);
    await page.getByTestId('channel-language').selectOption('nl');
    await page.getByTestId('channel-create').click();
    await expect(page.getByTestId('channel-detail')).toContainText(name);
    await expect(channelItems(page, name)).toHaveCount(1);
    await expect(page.getByTestId('prop-language')).toHaveValue('nl');
    await expect(page.getByTestId('embed-snippet')).toHaveValue(/data-channel="tech-support-/);

    // Allowed origins are normalised on save.
    await page.getByTestId('origins-input').fill('https://WWW.Example.com:443\n\nhttps://www.example.com');
    await page.getByTestId('origins-save').click();
    await expect(page.getByTestId('origins-input')).toHaveValue('https://www.example.com');
    await page.getByTestId('origins-input').fill('https://www.example.com/shop');
    await page.getByTestId('origins-save').click();
    await expect(page.getByTestId('origins-error')).toContainText('https://www.example.com/shop');

    await page.getByTestId('channel-delete').click();
    await page.getByTestId('channel-delete-confirm').click();
    await expect(channelItems(page, name)).toHaveCount(0);
    await expect(page.getByTestId('channel-detail')).toHaveCount(0);
  });
});
