import { test as base, expect, type BrowserContext, type BrowserContextOptions, type Page } from '@playwright/test';
import { AgentConsole } from './console.js';
import { startStack, type AgentLogin, type Shop, type ShopOptions, type Stack } from './stack.js';
import { Customer } from './widget.js';

export interface Actors {
  /** A customer in a browser context of their own, on the given shop page (not yet opened). */
  customer(shop: Shop, options?: BrowserContextOptions): Promise<Customer>;
  /** An agent in a browser context of their own, on the console (not yet signed in). */
  agent(login: AgentLogin, options?: BrowserContextOptions, loketUrl?: string): Promise<AgentConsole>;
  /** A blank page in a fresh context, for the odd check. */
  page(options?: BrowserContextOptions): Promise<Page>;
}

interface TestFixtures {
  /** A fresh channel (its own queue) embedded by its own shop page on another origin. */
  shop: Shop;
  newShop(options?: ShopOptions): Promise<Shop>;
  actors: Actors;
}

interface WorkerFixtures {
  stack: Stack;
}

export const test = base.extend<TestFixtures, WorkerFixtures>({
  stack: [
    // eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring form.
    async ({}, use) => {
      const stack = await startStack();
      await use(stack);
      await stack.close();
    },
    { scope: 'worker', timeout: 30_000 },
  ],

  newShop: async ({ stack }, use) => {
    await use((options) => stack.newShop(options));
  },

  shop: async ({ stack }, use) => {
    await use(await stack.newShop());
  },

  actors: async ({ browser, stack }, use, testInfo) => {
    const contexts: BrowserContext[] = [];
    const pageErrors: string[] = [];
    const newPage = async (label: string, options: BrowserContextOptions = {}): Promise<Page> => {
      const context = await browser.newContext({ locale: 'en-GB', timezoneId: 'Europe/Amsterdam', ...options });
      contexts.push(context);
      const page = await context.newPage();
      // Uncaught exceptions in the page or the widget frame are bugs even when the flow "works".
      page.on('pageerror', (err) => pageErrors.push(`[${label}] ${err.message}`));
      return page;
    };
    let customers = 0;
    let agents = 0;
    await use({
      customer: async (shop, options) => new Customer(await newPage(`customer ${++customers}`, options), shop),
      agent: async (login, options, loketUrl) =>
        new AgentConsole(await newPage(`agent ${++agents}`, options), loketUrl ? `${loketUrl}/console/` : stack.consoleUrl, login),
      page: (options) => newPage('page', options),
    });
    for (const context of contexts) await context.close();
    if (pageErrors.length > 0) await testInfo.attach('page-errors', { body: pageErrors.join('\n'), contentType: 'text/plain' });
    expect(pageErrors, 'uncaught errors in the pages').toEqual([]);
  },
});

export { expect };
