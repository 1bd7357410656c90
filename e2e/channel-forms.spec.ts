import { expect, test } from './support/fixtures.js';
import { audit, describeFindings } from './support/axe.js';
import {
  addPrechatField,
  fillProperties,
  newAdmin,
  openAdmin,
  openChannel,
  prechatFieldError,
  propertyError,
  savePrechat,
  saveProperties,
  setOffline,
  setPrechatModes,
} from './support/admin.js';

test.describe('pre-chat and offline forms (issue 3)', () => {
  test('the widget asks exactly the fields the administrator set up, and the agent sees the answers', async ({ shop, stack, actors }) => {
    const admin = await actors.agent(await newAdmin(stack), { bypassCSP: true });
    await admin.signIn();
    const page = admin.page;
    await openAdmin(page, 'channels');
    await openChannel(page, `Shop ${shop.channelKey}`);

    await setPrechatModes(page, { email: 'optional', phone: 'required', company: 'optional' });
    // A choice without options is refused at that row's options, which get the focus.
    const topic = await addPrechatField(page, { type: 'choice', label: 'Topic', required: true });
    await expect(topic.getByTestId('prechat-field-key')).toHaveValue('topic');
    await page.getByTestId('prechat-save').click();
    await expect(prechatFieldError(page, 'fields.0.options')).toBeVisible();
    await expect(topic.getByTestId('prechat-field-options')).toHaveAttribute('aria-invalid', 'true');
    await expect(topic.getByTestId('prechat-field-options')).toBeFocused();
    const findings = await audit(page, 'console: pre-chat form with a field error', '[data-testid="prechat-section"]');
    expect(findings, describeFindings(findings)).toEqual([]);

    await topic.getByTestId('prechat-field-options').fill('Bikes\nParts');
    await expect(prechatFieldError(page, 'fields.0.options')).toHaveCount(0);
    await addPrechatField(page, { type: 'checkbox', label: 'Send me the newsletter' });
    await savePrechat(page);

    const customer = await actors.customer(shop, { bypassCSP: true });
    await customer.goto();
    await customer.openWindow();
    await expect(customer.formFields()).toHaveCount(6);
    for (const key of ['name', 'email', 'phone', 'company', 'topic', 'send_me_the_newsletter']) await expect(customer.field(key)).toBeVisible();
    await expect(customer.field('phone')).toHaveAttribute('type', 'tel');
    await expect(customer.field('phone')).toHaveAttribute('aria-required', 'true');
    await expect(customer.field('company')).toHaveAttribute('autocomplete', 'organization');
    await expect(customer.field('email')).toHaveAttribute('aria-required', 'false');
    await expect(customer.field('topic')).toHaveAttribute('aria-required', 'true');
    const widgetFindings = await audit(await customer.windowFrame(), 'widget: pre-chat form with phone, company and own fields');
    expect(widgetFindings, describeFindings(widgetFindings)).toEqual([]);

    // The required phone is missing: refused at the field, nothing else happens.
    await customer.fillDetails({ name: 'Petra Pedaal', topic: 'Bikes', company: 'Fietsen BV' });
    await customer.frame.getByTestId('next').click();
    await expect(customer.field('phone')).toHaveAttribute('aria-invalid', 'true');
    await expect(customer.field('phone')).toBeFocused();
    await expect(customer.frame.locator('#f-phone-err')).toBeVisible();
    await customer.fillDetails({ phone: 'call me' });
    await customer.frame.getByTestId('next').click();
    await expect(customer.frame.locator('#f-phone-err')).toBeVisible();

    await customer.fillDetails({ phone: '+31 20 123 4567', send_me_the_newsletter: true });
    await customer.frame.getByTestId('next').click();
    await customer.ask('Do you have a bell for my bike?');
    await expect(customer.messages('Do you have a bell for my bike?')).toHaveCount(1);

    const agent = await actors.agent(await stack.newAgent([shop.channelId], 'Anna Agent'));
    await agent.signIn();
    await agent.getNext();
    const details = agent.page.getByTestId('details');
    await expect(details).toContainText('Petra Pedaal');
    await expect(details.locator('[data-key="phone"]')).toContainText('+31 20 123 4567');
    await expect(details.locator('[data-key="company"]')).toContainText('Fietsen BV');
    await expect(details.locator('[data-key="topic"]')).toContainText('TopicBikes');
    await expect(details.locator('[data-key="send_me_the_newsletter"]')).toContainText('Yes');
  });

  test('with the form off the customer goes straight to the question and chats anonymously', async ({ shop, stack, actors }) => {
    const admin = await actors.agent(await newAdmin(stack));
    await admin.signIn();
    await openAdmin(admin.page, 'channels');
    await openChannel(admin.page, `Shop ${shop.channelKey}`);
    await admin.page.getByTestId('prechat-enabled').setChecked(false);
    await savePrechat(admin.page);

    const customer = await actors.customer(shop);
    await customer.goto();
    await customer.openWindow();
    await expect(customer.formFields()).toHaveCount(0);
    await customer.ask('Anonymous question');
    await expect(customer.messages('Anonymous question')).toHaveCount(1);
    await expect(customer.frame.getByTestId('next')).toHaveCount(0);

    const agent = await actors.agent(await stack.newAgent([shop.channelId], 'Ben Agent'));
    await agent.signIn();
    await agent.getNext();
    await expect(agent.messages('Anonymous question')).toHaveCount(1);
    // Nobody asked for an e-mail address: no empty E-mail row either.
    await expect(agent.page.getByTestId('details')).toContainText('Channel');
    await expect(agent.page.getByTestId('details')).not.toContainText('E-mail');
  });

  test('offline settings and warnings are saved and read back after a reload', async ({ shop, stack, actors }) => {
    const admin = await actors.agent(await newAdmin(stack), { bypassCSP: true });
    await admin.signIn();
    const page = admin.page;
    await openAdmin(page, 'channels');
    await openChannel(page, `Shop ${shop.channelKey}`);

    // The manager warning must come after the agents' warning.
    await fillProperties(page, { warnAfterSeconds: '120', managerWarnAfterSeconds: '60' });
    await page.getByTestId('prop-save').click();
    await expect(propertyError(page, 'managerWarnAfterSeconds')).toBeVisible();
    await expect(page.getByTestId('prop-manager-warn-after')).toBeFocused();
    await fillProperties(page, { managerWarnAfterSeconds: '600' });
    await saveProperties(page);

    await expect(page.getByTestId('offline-requests')).toBeChecked();
    await setOffline(page, { header: 'We are out cycling', message: 'Leave a note.', requests: false, category: 'Webshop', priority: 'high', name: 'optional', phone: 'required' });
    const findings = await audit(page, 'console: offline form and warnings', '[data-testid="channel-detail"]');
    expect(findings, describeFindings(findings)).toEqual([]);

    await page.reload();
    await openChannel(page, `Shop ${shop.channelKey}`);
    await expect(page.getByTestId('prop-warn-after')).toHaveValue('120');
    await expect(page.getByTestId('prop-manager-warn-after')).toHaveValue('600');
    await expect(page.getByTestId('offline-header')).toHaveValue('We are out cycling');
    await expect(page.getByTestId('offline-message')).toHaveValue('Leave a note.');
    await expect(page.getByTestId('offline-requests')).not.toBeChecked();
    await expect(page.getByTestId('offline-category')).toHaveValue('Webshop');
    await expect(page.getByTestId('offline-priority')).toHaveValue('high');
    await expect(page.getByTestId('offline-name')).toHaveValue('optional');
    await expect(page.getByTestId('offline-phone')).toHaveValue('required');
    await expect(page.getByTestId('offline-company')).toHaveValue('off');
  });
});
