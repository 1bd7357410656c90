import type { Download, Locator, Page } from '@playwright/test';
import * as files from '../packages/server/test/support/files.js';
import { newAdmin, openAdmin, openChannel } from './support/admin.js';
import { audit, describeFindings, type Finding } from './support/axe.js';
import type { AgentConsole } from './support/console.js';
import { expect, test } from './support/fixtures.js';
import type { Customer } from './support/widget.js';

/** Files both ways (docs/files.md): real uploads through the chat window and the console, real downloads. */

type Payload = { name: string; mimeType: string; buffer: Buffer };
const image = (name = 'photo.png', w = 40, h = 30): Payload => ({ name, mimeType: 'image/png', buffer: files.png(w, h) });
const pdf = (name: string): Payload => ({ name, mimeType: 'application/pdf', buffer: files.pdf(name) });

const customerInput = (c: Customer) => c.frame.getByTestId('file-input');
const agentInput = (a: AgentConsole) => a.page.getByTestId('file-input');

/**
 * Drops (or pastes) a file on an element, as the browser does with a real drag or Ctrl+V: an event
 * carrying a DataTransfer that holds the file.
 */
async function dropOrPaste(target: Locator, how: 'drop' | 'paste', file: Payload): Promise<void> {
  await target.evaluate(
    (el, { how, name, type, bytes }) => {
      const data = new DataTransfer();
      data.items.add(new File([new Uint8Array(bytes)], name, { type }));
      const event = new Event(how, { bubbles: true, cancelable: true });
      Object.defineProperty(event, how === 'drop' ? 'dataTransfer' : 'clipboardData', { value: data });
      el.dispatchEvent(event);
    },
    { how, name: file.name, type: file.mimeType, bytes: [...file.buffer] },
  );
}

/** The file cards in a log, by type. */
const cards = (root: Pick<Page, 'locator'> | { locator: Locator['locator'] }, type?: string) =>
  root.locator(type ? `[data-testid="file"][data-type="${type}"]` : '[data-testid="file"]');

/** A thumbnail that has really loaded: the browser decoded the image at its size. */
async function expectThumbnail(card: Locator, width: number): Promise<void> {
  const img = card.locator('img');
  await expect(img).toBeVisible();
  await expect.poll(() => img.evaluate((el: HTMLImageElement) => (el.complete ? el.naturalWidth : 0))).toBe(width);
}

async function expectDownload(page: Page, card: Locator, name: string, bytes: Buffer): Promise<void> {
  const [download] = await Promise.all([page.waitForEvent('download'), card.click()]);
  expect((download as Download).suggestedFilename()).toBe(name);
  const path = await download.path();
  const { readFileSync } = await import('node:fs');
  expect(readFileSync(path).equals(bytes)).toBe(true);
}

test('an image and a PDF each way: thumbnails, downloads with name and size', async ({ shop, stack, actors }) => {
  const login = await stack.newAgent([shop.channelId], 'Noor Bakker');
  const customer = await actors.customer(shop);
  const agent = await actors.agent(login);
  await agent.signIn();
  await customer.startChat('Lotte Visser', 'My parcel arrived broken');
  await agent.getNext();
  await expect(customer.agentName()).toHaveText('Noor Bakker');

  // Customer → agent: a photo of the damage and the delivery note.
  const photo = image('damage.png', 40, 30);
  await customerInput(customer).setInputFiles(photo);
  await expectThumbnail(cards(customer.frame, 'png'), 40);
  await expectThumbnail(cards(agent.page, 'png'), 40);
  const note = pdf('Delivery note.pdf');
  await customerInput(customer).setInputFiles(note);
  const noteCard = cards(agent.page, 'pdf');
  await expect(noteCard).toContainText('Delivery note.pdf');
  await expect(noteCard).toContainText(/\d+(\.\d+)? ?(byte|kB|KB)/);
  await expectDownload(agent.page, noteCard, 'Delivery note.pdf', note.buffer);

  // Agent → customer: a label to print and a picture of how to pack.
  const howTo = image('packing.png', 24, 16);
  await agentInput(agent).setInputFiles(howTo);
  await expectThumbnail(cards(customer.frame, 'png').last(), 24);
  const label = pdf('Return label.pdf');
  await agentInput(agent).setInputFiles(label);
  const labelCard = cards(customer.frame, 'pdf').filter({ hasText: 'Return label.pdf' });
  await expect(labelCard).toContainText('Return label.pdf');
  await expect(labelCard).toContainText(/\d+(\.\d+)? ?(byte|kB|KB)/);
  await expectDownload(customer.page, labelCard, 'Return label.pdf', label.buffer);
  await expectDownload(customer.page, cards(customer.frame, 'png').last(), 'packing.png', howTo.buffer);

  // Dragged in, or pasted into the composer, on either side.
  await dropOrPaste(customer.composer(), 'drop', image('dropped.png', 12, 12));
  await expectThumbnail(cards(agent.page, 'png').last(), 12);
  await dropOrPaste(agent.composer(), 'paste', image('pasted.png', 14, 14));
  await expectThumbnail(cards(customer.frame, 'png').last(), 14);
  await dropOrPaste(agent.composer(), 'drop', pdf('Dropped terms.pdf'));
  await expect(cards(customer.frame, 'pdf').filter({ hasText: 'Dropped terms.pdf' })).toBeVisible();
  await dropOrPaste(customer.composer(), 'paste', pdf('Pasted receipt.pdf'));
  await expect(cards(agent.page, 'pdf').filter({ hasText: 'Pasted receipt.pdf' })).toBeVisible();

  // Both sides keep them after a reload (they are chat events like messages).
  await customer.page.reload();
  await expect(customer.page.locator('[data-testid="loket-frame"]')).toBeVisible();
  await expect(cards(customer.frame)).toHaveCount(8);
  await expectThumbnail(cards(customer.frame, 'png').first(), 40);
});

test('refused files get a translated error on both sides; cancel stops an upload; axe-clean', async ({ newShop, stack, actors }) => {
  const shop = await newShop({ channel: { language: 'nl' } });
  const findings: Finding[] = [];
  // The administrator narrows what the channel takes: images and PDF only, at most 64 KB.
  const admin = await actors.agent(await newAdmin(stack), { bypassCSP: true });
  await admin.signIn();
  await openAdmin(admin.page, 'channels');
  await openChannel(admin.page, `Shop ${shop.channelKey}`);
  const settings = admin.page.getByTestId('files-section');
  await expect(settings.getByTestId('files-max')).toHaveValue('10');
  for (const type of ['gif', 'webp', 'text', 'docx', 'xlsx', 'pptx', 'odt', 'ods', 'doc', 'xls']) await settings.getByTestId(`files-type-${type}`).uncheck();
  await settings.getByTestId('files-max').fill('lots');
  await settings.getByTestId('files-save').click();
  await expect(settings.getByTestId('files-error')).toBeVisible();
  await expect(settings.getByTestId('files-max')).toHaveAttribute('aria-invalid', 'true');
  findings.push(...(await audit(admin.page, 'console: channel file settings with an error', '[data-testid="files-section"]')));
  await settings.getByTestId('files-max').fill('0.0625');
  await settings.getByTestId('files-save').click();
  await expect(settings.getByTestId('files-saved')).toHaveText('Saved.');

  const login = await stack.newAgent([shop.channelId], 'Sem de Jong');
  const customer = await actors.customer(shop, { bypassCSP: true });
  const agent = await actors.agent(login, { bypassCSP: true });
  await agent.signIn();
  await customer.startChat('Eva Smit', 'Kunt u mijn factuur bekijken?');
  await agent.getNext();
  await expect(customer.agentName()).toHaveText('Sem de Jong');

  // An SVG with a script calls itself a PNG: refused, in the channel's language, and nothing arrives.
  await customerInput(customer).setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: files.svgWithScript() });
  await expect(customer.frame.getByTestId('upload-error')).toContainText('logo.png: Dit soort bestand kan hier niet worden verstuurd.');
  // Too large for this channel: said before anything is sent, with the limit.
  await customerInput(customer).setInputFiles({ name: 'scan.pdf', mimeType: 'application/pdf', buffer: files.pdf('x'.repeat(70 * 1024)) });
  await expect(customer.frame.getByTestId('upload-error').last()).toContainText('scan.pdf: Dit bestand is te groot: de grens is 64 kB.');
  // A good one still goes through.
  await customerInput(customer).setInputFiles(image('factuur.png'));
  await expectThumbnail(cards(agent.page, 'png'), 40);
  findings.push(...(await audit(await customer.windowFrame(), 'widget: a file and refused uploads')));
  await customer.frame.getByTestId('upload-dismiss').first().click();
  await expect(customer.frame.getByTestId('upload-error')).toHaveCount(1);

  // The agent's console (in English) says so too.
  await agentInput(agent).setInputFiles({ name: 'setup.pdf', mimeType: 'application/pdf', buffer: files.exe() });
  await expect(agent.page.getByTestId('upload-error')).toContainText('setup.pdf: This kind of file cannot be sent here.');
  await agentInput(agent).setInputFiles({ name: 'cut.png', mimeType: 'image/png', buffer: files.png(50, 50).subarray(0, 70) });
  await expect(agent.page.getByTestId('upload-error').last()).toContainText('cut.png: This file is damaged or incomplete.');
  await agentInput(agent).setInputFiles(pdf('Antwoord.pdf'));
  await expect(cards(customer.frame, 'pdf')).toContainText('Antwoord.pdf');
  findings.push(...(await audit(agent.page, 'console: a file and refused uploads')));

  // The server stores a file but its answer is lost: the chat window sends it again with the same id, and it is
  // there once.
  const files$ = '**/api/chats/*/files*';
  let calls = 0;
  await customer.page.route(files$, async (route) => {
    if (++calls > 1) return route.continue();
    await route.fetch();
    await route.abort('connectionreset');
  });
  await customerInput(customer).setInputFiles(image('retried.png', 8, 8));
  await expectThumbnail(cards(agent.page, 'png').filter({ has: agent.page.locator('img[alt="retried.png"]') }), 8);
  await expect(customer.frame.getByTestId('upload-cancel')).toHaveCount(0);
  expect(calls).toBe(2);
  await expect(customer.frame.getByTestId('upload-error')).toHaveCount(1);
  await expect(customer.frame.locator('img[alt="retried.png"]')).toHaveCount(1);
  await expect(agent.page.locator('img[alt="retried.png"]')).toHaveCount(1);
  await customer.page.unroute(files$);

  // An upload held up on the way shows its progress and can be cancelled: nothing arrives.
  let release: () => void = () => {};
  const held = new Promise<void>((r) => (release = r));
  await customer.page.route(files$, async (route) => {
    await held;
    await route.continue().catch(() => {});
  });
  await customerInput(customer).setInputFiles(image('cancelled.png', 10, 10));
  await expect(customer.frame.locator('[data-testid="upload"] progress')).toBeVisible();
  findings.push(...(await audit(await customer.windowFrame(), 'widget: an upload in progress')));
  await customer.frame.getByTestId('upload-cancel').click();
  await expect(customer.frame.getByTestId('upload-cancel')).toHaveCount(0);
  release();
  await agent.send('Dank u, ik kijk ernaar.');
  await expect(customer.messages('Dank u, ik kijk ernaar.', 'agent')).toHaveCount(1);
  await expect(cards(agent.page)).toHaveCount(3);

  expect(findings, describeFindings(findings)).toEqual([]);
});
