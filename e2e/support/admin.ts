import { randomUUID } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { expect, type FrameLocator, type Locator, type Page } from '@playwright/test';
import type { EmailStatus, Faq, FaqInput, Language, TemplateVariable } from '@loket/protocol';
import { createAgent } from '../../packages/server/src/domain/agents.js';
import { addChannelAgent } from '../../packages/server/src/domain/channels.js';
import { createFaq } from '../../packages/server/src/domain/knowledge-base.js';
import { DNS_TEST_ZONES, type AgentLogin, type Stack } from './stack.js';

/**
 * The administrator's side of the console (issue 4): the Templates, Outbox and Channels views
 * behind the admin navigation, by `data-testid`. Sign in with AgentConsole as usual; these helpers
 * take its `page`.
 */

export type AdminView = 'templates' | 'outbox' | 'channels' | 'faqs';

let counter = 0;

/** An administrator (role 'admin') serving the given channels; sign in through the console like any agent. */
export async function newAdmin(stack: Stack, channelIds: string[] = [], name?: string): Promise<AgentLogin> {
  const id = `${process.pid.toString(36)}${Date.now().toString(36)}${(counter++).toString(36)}`;
  const email = `admin-${id}@${DNS_TEST_ZONES.mx}`;
  const password = `pw-${randomUUID()}`;
  const adminName = name ?? `Admin ${id}`;
  const admin = await createAgent(stack.loket.ctx, { email, name: adminName, password, role: 'admin' });
  for (const channelId of channelIds) await addChannelAgent(stack.loket.ctx, channelId, admin.id);
  return { id: admin.id, email, password, name: adminName };
}

/** Opens an admin view through the navigation (or the chats workspace with 'chats'). */
export async function openAdmin(page: Page, view: AdminView | 'chats'): Promise<void> {
  const link = page.getByTestId(`nav-${view}`);
  await link.click();
  await expect(link).toHaveAttribute('aria-current', 'page');
  if (view !== 'chats') await expect(page.locator('#admin-heading')).toBeVisible();
}

/** Opens a console URL directly (a deep link, e.g. `outbox?status=failed`), as after a reload. */
export async function gotoConsole(page: Page, consoleUrl: string, path = ''): Promise<void> {
  await page.goto(new URL(path, consoleUrl).toString());
}

/** The admin navigation: present for administrators only. */
export function adminNav(page: Page): Locator {
  return page.getByTestId('nav-templates');
}

// ---- templates ----

export interface TemplateFields {
  name?: string;
  language?: Language;
  subject?: string;
  body?: string;
}

export function templateItems(page: Page, name?: string): Locator {
  const all = page.getByTestId('template-item');
  return name === undefined ? all : all.filter({ hasText: name });
}

export async function openTemplate(page: Page, name: string): Promise<void> {
  await templateItems(page, name).first().click();
  await expect(page.getByTestId('template-name')).toHaveValue(name);
}

export async function fillTemplate(page: Page, fields: TemplateFields): Promise<void> {
  if (fields.name !== undefined) await page.getByTestId('template-name').fill(fields.name);
  if (fields.language !== undefined) await page.getByTestId('template-language').selectOption(fields.language);
  if (fields.subject !== undefined) await page.getByTestId('template-subject').fill(fields.subject);
  if (fields.body !== undefined) await page.getByTestId('template-body').fill(fields.body);
}

/** Saves and waits for the confirmation (use `templateError` when a refusal is expected). */
export async function saveTemplate(page: Page): Promise<void> {
  await page.getByTestId('template-save').click();
  await expect(page.getByTestId('template-saved')).toHaveText(/\S/);
}

/** New template → fill → save; ends on the saved template's URL. */
export async function createTemplate(page: Page, fields: TemplateFields & { name: string }): Promise<void> {
  await page.getByTestId('template-new').click();
  await expect(page.getByTestId('template-name')).toHaveValue('');
  await fillTemplate(page, fields);
  await saveTemplate(page);
  await expect(page).toHaveURL(/\/console\/templates\/(?!new)[^/]+$/);
}

/** Delete → confirm in the dialog. */
export async function deleteTemplate(page: Page): Promise<void> {
  await page.getByTestId('template-delete').click();
  await page.getByTestId('template-delete-confirm').click();
}

/** Clicks a variable in the help list: inserts `{{variable}}` at the caret of the subject or body. */
export async function insertVariable(page: Page, variable: TemplateVariable): Promise<void> {
  await page.locator(`[data-testid="template-variable"][data-variable="${variable}"]`).click();
}

export function templateError(page: Page, field?: 'name' | 'language' | 'subject' | 'body'): Locator {
  return field ? page.locator(`[data-testid="template-error"][data-field="${field}"]`) : page.getByTestId('template-error');
}

export function templatePreview(page: Page): Locator {
  return page.getByTestId('template-preview');
}

/** The preview's HTML part (a sandboxed iframe). */
export function previewHtml(page: Page): FrameLocator {
  return page.frameLocator('[data-testid="template-preview-html"]');
}

// ---- outbox ----

export function outboxItems(page: Page, text?: string): Locator {
  const all = page.getByTestId('outbox-item');
  return text === undefined ? all : all.filter({ hasText: text });
}

export async function filterOutbox(page: Page, status: EmailStatus | 'all'): Promise<void> {
  await page.getByTestId('outbox-status-filter').selectOption(status === 'all' ? '' : status);
  await expect(page).toHaveURL(status === 'all' ? /\/console\/outbox(\/[^?]*)?$/ : new RegExp(`status=${status}`));
}

/** Opens the e-mail whose row contains `text` (e.g. the recipient or subject). */
export async function openEmail(page: Page, text: string): Promise<Locator> {
  await outboxItems(page, text).first().getByRole('link').click();
  const detail = page.getByTestId('outbox-detail');
  await expect(detail).toBeVisible();
  return detail;
}

/** The open e-mail's HTML part (a sandboxed iframe). */
export function emailHtml(page: Page): FrameLocator {
  return page.frameLocator('[data-testid="outbox-html"]');
}

// ---- channels ----

/** The post-chat form of a channel as the admin sees it; `template`: a template's name, null = built-in. */
export interface PostchatFields {
  enabled?: boolean;
  header?: string;
  message?: string;
  rating?: boolean;
  transcript?: boolean;
  template?: string | null;
}

export function channelItems(page: Page, name?: string): Locator {
  const all = page.getByTestId('channel-item');
  return name === undefined ? all : all.filter({ hasText: name });
}

export async function openChannel(page: Page, name: string): Promise<void> {
  await channelItems(page, name).first().click();
  await expect(page.getByTestId('channel-detail')).toContainText(name);
}

/** Fills the post-chat form without saving. */
export async function fillPostchat(page: Page, fields: PostchatFields): Promise<void> {
  if (fields.enabled !== undefined) await page.getByTestId('postchat-enabled').setChecked(fields.enabled);
  if (fields.header !== undefined) await page.getByTestId('postchat-header').fill(fields.header);
  if (fields.message !== undefined) await page.getByTestId('postchat-message').fill(fields.message);
  if (fields.rating !== undefined) await page.getByTestId('postchat-rating').setChecked(fields.rating);
  if (fields.transcript !== undefined) await page.getByTestId('postchat-transcript').setChecked(fields.transcript);
  if (fields.template !== undefined) {
    const select = page.getByTestId('postchat-template');
    if (fields.template === null) await select.selectOption('');
    else {
      const value = await select.locator('option').filter({ hasText: fields.template }).first().getAttribute('value');
      if (!value) throw new Error(`no transcript template named ${fields.template}`);
      await select.selectOption(value);
    }
  }
}

/** Channels → the channel → post-chat form → save, and waits for "Saved". */
export async function setPostchat(page: Page, channelName: string, fields: PostchatFields): Promise<void> {
  await openAdmin(page, 'channels');
  await openChannel(page, channelName);
  await fillPostchat(page, fields);
  await page.getByTestId('postchat-save').click();
  await expect(page.getByTestId('postchat-saved')).toHaveText(/\S/);
}

// ---- the chats workspace, issue 4 additions ----

/** "Sam went back to the chat": the banner per reopened chat (role=status). */
export function reopenedNotice(page: Page, visitorName?: string): Locator {
  const all = page.getByTestId('reopened-notice');
  return visitorName === undefined ? all : all.filter({ hasText: visitorName });
}

/** Opens the reopened chat from its banner. */
export async function openReopened(page: Page, visitorName?: string): Promise<void> {
  await reopenedNotice(page, visitorName).first().getByTestId('reopened-open').click();
}

/** The customer's rating in the open chat's details panel ("4/5" + comment). */
export function chatRating(page: Page): Locator {
  return page.getByTestId('chat-rating');
}

// ---- channel administration (issue 3): properties, origins, agents, embed snippet, delete ----

export interface ChannelPropertyFields {
  name?: string;
  language?: Language;
  badgeText?: string;
  headerText?: string;
  welcomeMessage?: string;
  queueMessage?: string;
  description?: string;
  /** Seconds; '' = off. */
  warnAfterSeconds?: string;
  managerWarnAfterSeconds?: string;
}

/** Fills the Properties section of the open channel (only the given fields). */
export async function fillProperties(page: Page, fields: ChannelPropertyFields): Promise<void> {
  if (fields.name !== undefined) await page.getByTestId('prop-name').fill(fields.name);
  if (fields.language !== undefined) await page.getByTestId('prop-language').selectOption(fields.language);
  if (fields.badgeText !== undefined) await page.getByTestId('prop-badge').fill(fields.badgeText);
  if (fields.headerText !== undefined) await page.getByTestId('prop-header').fill(fields.headerText);
  if (fields.welcomeMessage !== undefined) await page.getByTestId('prop-welcome').fill(fields.welcomeMessage);
  if (fields.queueMessage !== undefined) await page.getByTestId('prop-queue-message').fill(fields.queueMessage);
  if (fields.description !== undefined) await page.getByTestId('prop-description').fill(fields.description);
  if (fields.warnAfterSeconds !== undefined) await page.getByTestId('prop-warn-after').fill(fields.warnAfterSeconds);
  if (fields.managerWarnAfterSeconds !== undefined) await page.getByTestId('prop-manager-warn-after').fill(fields.managerWarnAfterSeconds);
}

/** Saves the Properties section and waits for "Saved" (use `propertyError` when a refusal is expected). */
export async function saveProperties(page: Page): Promise<void> {
  await page.getByTestId('prop-save').click();
  await expect(page.getByTestId('prop-saved')).toHaveText(/\S/);
}

/** A field error of the Properties section, shown at its field. */
export function propertyError(page: Page, field: keyof ChannelPropertyFields): Locator {
  return page.locator(`[data-testid="prop-error"][data-field="${field}"]`);
}

/** The row of an agent in the open channel's "Agents & permissions" table. */
export function channelAgentRow(page: Page, agentName: string): Locator {
  return page.getByTestId('channel-agent-row').filter({ hasText: agentName });
}

/** Removes an agent from the open channel and saves the list. */
export async function removeChannelAgent(page: Page, agentName: string): Promise<void> {
  await channelAgentRow(page, agentName).getByTestId('agent-remove').click();
  await expect(channelAgentRow(page, agentName)).toHaveCount(0);
  await page.getByTestId('agents-save').click();
  await expect(page.getByTestId('agents-saved')).toHaveText(/\S/);
}

// ---- widget layout and the live preview (issue 3) ----

/** A field error of the Widget layout section, shown at its field. */
export function layoutError(page: Page, field: 'theme' | 'color' | 'headerTextColor' | 'font' | 'showAgentPhoto' | 'logo'): Locator {
  return page.locator(`[data-testid="layout-error"][data-field="${field}"]`);
}

/** The live preview's chat window (same origin as the console). */
export function previewFrame(page: Page): FrameLocator {
  return page.frameLocator('[data-testid="preview-frame"]');
}

/** A valid PNG of one colour, small enough for any logo limit. */
export function tinyPng(width = 24, height = 12): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const b of buf) c = (crcTable[(c ^ b) & 0xff] as number) ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), body.length + 4);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(width * 3, 0xc0)]);
  const pixels = deflateSync(Buffer.concat(Array.from({ length: height }, () => row)));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', pixels), chunk('IEND', Buffer.alloc(0))]);
}

// ---- pre-chat and offline forms (issue 3) ----

export type FieldModeLabel = 'off' | 'optional' | 'required';

/** Sets the built-in pre-chat fields' modes in the open channel (without saving). */
export async function setPrechatModes(page: Page, modes: Partial<Record<'name' | 'email' | 'phone' | 'company', FieldModeLabel>>): Promise<void> {
  for (const [field, mode] of Object.entries(modes)) await page.getByTestId(`prechat-${field}`).selectOption(mode);
}

/** The custom-field rows of the pre-chat form, in order. */
export function prechatFieldRows(page: Page): Locator {
  return page.getByTestId('prechat-field');
}

/** Adds a custom field at the end and fills it; `options` one per line for a choice. Returns its row. */
export async function addPrechatField(page: Page, field: { type: 'text' | 'choice' | 'checkbox'; label: string; required?: boolean; options?: string[] }): Promise<Locator> {
  const rows = prechatFieldRows(page);
  const before = await rows.count();
  await page.getByTestId(`prechat-add-${field.type}`).click();
  await expect(rows).toHaveCount(before + 1);
  const row = rows.nth(before);
  await row.getByTestId('prechat-field-label').fill(field.label);
  if (field.required !== undefined) await row.getByTestId('prechat-field-required').setChecked(field.required);
  if (field.options !== undefined) await row.getByTestId('prechat-field-options').fill(field.options.join('\n'));
  return row;
}

/** Saves the pre-chat form and waits for "Saved" (use `prechatFieldError` when a refusal is expected). */
export async function savePrechat(page: Page): Promise<void> {
  await page.getByTestId('prechat-save').click();
  await expect(page.getByTestId('prechat-saved')).toHaveText(/\S/);
}

/** A custom field's error at its input, by the server's path (e.g. `fields.0.options`). */
export function prechatFieldError(page: Page, path: string): Locator {
  return page.locator(`[data-testid="prechat-field-error"][data-field="${path}"]`);
}

export interface OfflineFields {
  header?: string;
  message?: string;
  requests?: boolean;
  category?: string;
  priority?: 'low' | 'normal' | 'high' | 'urgent';
  name?: FieldModeLabel;
  phone?: FieldModeLabel;
  company?: FieldModeLabel;
}

/** Fills the offline form of the open channel, saves and waits for "Saved". */
export async function setOffline(page: Page, fields: OfflineFields): Promise<void> {
  if (fields.header !== undefined) await page.getByTestId('offline-header').fill(fields.header);
  if (fields.message !== undefined) await page.getByTestId('offline-message').fill(fields.message);
  if (fields.requests !== undefined) await page.getByTestId('offline-requests').setChecked(fields.requests);
  if (fields.category !== undefined) await page.getByTestId('offline-category').fill(fields.category);
  for (const key of ['priority', 'name', 'phone', 'company'] as const) {
    const value = fields[key];
    if (value !== undefined) await page.getByTestId(`offline-${key}`).selectOption(value);
  }
  await page.getByTestId('offline-save').click();
  await expect(page.getByTestId('offline-saved')).toHaveText(/\S/);
}


/** An agent with an uploaded photo (as a data: URL, the way the console stores one), serving the given channels. */
export async function newAgentWithPhoto(stack: Stack, channelIds: string[], name: string, photo: Buffer): Promise<AgentLogin> {
  const id = `${process.pid.toString(36)}${Date.now().toString(36)}${(counter++).toString(36)}`;
  const email = `agent-${id}@${DNS_TEST_ZONES.mx}`;
  const password = `pw-${randomUUID()}`;
  const agent = await createAgent(stack.loket.ctx, { email, name, password, photoUrl: `data:image/png;base64,${photo.toString('base64')}` });
  for (const channelId of channelIds) await addChannelAgent(stack.loket.ctx, channelId, agent.id);
  return { id: agent.id, email, password, name };
}

// ---- knowledge base (issue 6) ----

/** An FAQ stored directly (as the `loket faq` command would), published to everyone unless said otherwise. */
export async function seedFaq(stack: Stack, input: Partial<FaqInput> & { question: string }): Promise<Faq> {
  const faq: FaqInput = { folderId: null, language: 'en', answer: 'See our help pages.', keywords: [], published: true, visibility: 'everyone', ...input };
  return createFaq(stack.loket.ctx, { kind: 'system' }, faq, stack.loketUrl);
}

/** The knowledge base's folder button by name (a nested one too). */
export function faqFolder(page: Page, name: string): Locator {
  return page.locator(`[data-testid="faq-folder"][data-folder-name="${name}"]`);
}

/** Creates a folder inside the selected one (or at the top with "All FAQs" selected); the new one gets selected. */
export async function createFaqFolder(page: Page, name: string): Promise<void> {
  await page.getByTestId('faq-folder-new-name').fill(name);
  await page.getByTestId('faq-folder-create').click();
  await expect(faqFolder(page, name)).toHaveAttribute('aria-pressed', 'true');
}

export function faqItems(page: Page, question?: string): Locator {
  const all = page.getByTestId('faq-item');
  return question === undefined ? all : all.filter({ hasText: question });
}

/** An FAQ editor error shown at its field. */
export function faqError(page: Page, field: 'question' | 'answer' | 'language' | 'folderId' | 'keywords' | 'visibility'): Locator {
  return page.locator(`[data-testid="faq-error"][data-field="${field}"]`);
}

/** The answer's rendered preview (a sandboxed iframe). */
export function faqPreview(page: Page): FrameLocator {
  return page.frameLocator('[data-testid="faq-preview-html"]');
}
