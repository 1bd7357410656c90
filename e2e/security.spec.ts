import { expect, test } from './support/fixtures.js';

test.describe('security in the browser', () => {
  test('a shop whose origin the channel does not allow shows no launcher, and cannot frame the chat window', async ({ newShop, actors, stack }) => {
    const shop = await newShop({ allowedOrigins: () => ['https://only-this-shop.example'] });
    const page = await actors.page();
    const refused = page.waitForEvent('console', { predicate: (m) => m.text().startsWith('Loket: chat unavailable') });
    await page.goto(shop.url);
    await refused;
    await expect(page.locator('#loket-launcher-host')).toHaveCount(0);
    await expect(page.getByTestId('loket-launcher')).toHaveCount(0);

    // Framing the window directly does not work either (frame-ancestors): the frame never gets the app.
    const frameUrl = `${stack.loketUrl}/widget/frame.html?channel=${encodeURIComponent(shop.channelKey)}`;
    await page.evaluate((src) => {
      const iframe = document.createElement('iframe');
      iframe.id = 'sneaky';
      iframe.src = src;
      document.body.append(iframe);
      return new Promise((resolve) => iframe.addEventListener('load', resolve, { once: true }));
    }, frameUrl);
    const sneaky = page.frames().find((f) => f !== page.mainFrame());
    expect(sneaky, 'the injected frame exists').toBeDefined();
    // Chromium replaces a frame refused by frame-ancestors with its error page.
    expect(sneaky?.url()).toBe('chrome-error://chromewebdata/');
    await expect(page.frameLocator('#sneaky').getByTestId('field-name')).toHaveCount(0);
  });

  test('the console without signing in shows the login page and nothing else', async ({ actors, stack }) => {
    const page = await actors.page();
    await page.goto(stack.consoleUrl);
    await expect(page.getByTestId('login-email')).toBeVisible();
    await expect(page.getByTestId('login-password')).toBeVisible();
    await expect(page.getByTestId('presence-toggle')).toHaveCount(0);
    await expect(page.getByTestId('queue-count')).toHaveCount(0);

    // A wrong password is refused with a message, and still no workspace.
    const login = await stack.newAgent([], 'Olaf Jacobs');
    await page.getByTestId('login-email').fill(login.email);
    await page.getByTestId('login-password').fill(`${login.password}-wrong`);
    await page.getByTestId('login-submit').click();
    await expect(page.getByTestId('login-error')).toBeVisible();
    await expect(page.getByTestId('presence-toggle')).toHaveCount(0);
  });

  test('the host page cannot read the chat', async ({ shop, stack, actors }) => {
    const login = await stack.newAgent([shop.channelId], 'Pien Willems');
    const customer = await actors.customer(shop);
    // Everything the host page's window receives by postMessage, recorded from the very start.
    await customer.page.addInitScript(() => {
      if (window.top !== window) return;
      const seen: string[] = [];
      Object.defineProperty(window, '__loketSeen', { value: seen });
      window.addEventListener('message', (e: MessageEvent) => seen.push(JSON.stringify(e.data)));
    });
    const agent = await actors.agent(login);
    const secret = 'My IBAN is NL00TEST0123456789';
    await customer.startChat('Quinten Smits', 'A private question about my refund.');
    await agent.signIn();
    await agent.getNext();
    await customer.send(secret);
    await agent.send('Thanks, the refund is on its way.');
    await expect(customer.messages('Thanks, the refund is on its way.', 'agent')).toHaveCount(1);

    const probe = await customer.page.evaluate(() => {
      const host = document.querySelector('#loket-launcher-host');
      const iframe = host?.shadowRoot?.querySelector('iframe') ?? null;
      if (!iframe) return null;
      const attempt = (read: () => unknown): string => {
        try {
          return `read: ${String(read())}`;
        } catch (e) {
          return e instanceof Error ? e.name : 'thrown';
        }
      };
      return {
        src: iframe.src,
        contentDocument: iframe.contentDocument === null ? 'null' : 'readable',
        document: attempt(() => iframe.contentWindow?.document.body.innerText),
        storage: attempt(() => iframe.contentWindow?.localStorage.length),
        hostStorage: JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }),
        cookies: document.cookie,
        html: document.documentElement.outerHTML + (host?.shadowRoot?.innerHTML ?? ''),
        messages: (window as unknown as { __loketSeen?: string[] }).__loketSeen ?? [],
      };
    });
    expect(probe, 'the chat window iframe is in the launcher').not.toBeNull();
    if (!probe) return;
    expect(probe.contentDocument).toBe('null');
    expect(probe.document).toBe('SecurityError');
    expect(probe.storage).toBe('SecurityError');

    // The chat token lives in the frame's own storage: localStorage, or — where the browser denies
    // third-party storage, as this Chromium does — a partitioned cookie scoped to the frame's path.
    const token = await customer.frame.locator('body').evaluate(() => {
      const stored: string[] = [];
      try {
        for (let i = 0; i < localStorage.length; i++) stored.push(localStorage.getItem(localStorage.key(i) ?? '') ?? '');
      } catch {
        // Denied to this cross-site frame.
      }
      stored.push(...document.cookie.split('; ').map((c) => decodeURIComponent(c.slice(c.indexOf('=') + 1))));
      for (const value of stored) {
        const match = /"token"\s*:\s*"([^"]+)"/.exec(value);
        if (match?.[1]) return match[1];
      }
      return null;
    });
    expect(token, 'the widget keeps a chat token in its own storage').not.toBeNull();
    if (!token) return;
    expect(probe.src).not.toContain(token);
    expect(probe.hostStorage).not.toContain(token);
    expect(probe.cookies).not.toContain(token);
    expect(probe.html).not.toContain(token);
    expect(probe.html).not.toContain(secret);
    expect(probe.messages.length, 'the frame does talk to the host (visibility, unread count)').toBeGreaterThan(0);
    for (const m of probe.messages) {
      expect(m).not.toContain(token);
      expect(m).not.toContain(secret);
      expect(m).not.toContain('refund');
    }
  });
});
