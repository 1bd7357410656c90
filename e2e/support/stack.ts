import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import type http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startLoket, type Loket } from '../../packages/server/src/app.js';
import { loadConfig } from '../../packages/server/src/config.js';
import { startShop } from '../../packages/server/src/demo.js';
import { createAgent } from '../../packages/server/src/domain/agents.js';
import { addChannelAgent, createChannel, type NewChannel } from '../../packages/server/src/domain/channels.js';
import { createEmailVerifier } from '../../packages/server/src/email/verify.js';
import { DNS_TEST_ZONES, startTestDnsServer, type TestDnsServer } from '../../packages/server/test/support/dns-server.js';
import { startTestSmtpServer, type ReceivedMail, type TestSmtpServer } from '../../packages/server/test/support/smtp-server.js';
import { startLink, type NetworkLink } from '../../packages/server/test/support/link.js';

export { DNS_TEST_ZONES };

export interface Shop {
  /** http://127.0.0.1:<port>/ — a different origin (and site) from Loket's http://localhost:<port>. */
  url: string;
  origin: string;
  channelKey: string;
  channelId: string;
}

export interface AgentLogin {
  id: string;
  email: string;
  password: string;
  name: string;
}

export interface ShopOptions {
  /** Origins allowed to embed the channel; default: exactly this shop's origin. */
  allowedOrigins?: (shopOrigin: string) => string[];
  channel?: Partial<Omit<NewChannel, 'key' | 'allowedOrigins'>>;
  /** Where the shop's script tag loads Loket from (e.g. a NetworkLink's url); default: Loket directly. */
  loketUrl?: string;
  /**
   * Default true: an agent "On duty" is Present on the channel (without Notifications, never signed in), so the
   * channel is available and customers get the pre-chat form even before the test's own agent signs in — as on a
   * staffed shop. False: nobody is present, the widget shows the offline form (issue 5).
   */
  staffed?: boolean;
}

export interface Stack {
  loket: Loket;
  dns: TestDnsServer;
  /** The SMTP server on loopback Loket sends through (SMTP_URL). */
  mail: TestSmtpServer;
  /** http://localhost:<port>: the console's Secure session cookie is kept by Chromium on localhost only. */
  loketUrl: string;
  consoleUrl: string;
  /** A fresh channel (its own queue) with its own shop page on another origin. */
  newShop(options?: ShopOptions): Promise<Shop>;
  /** An agent serving the given channels; sign in through the console with email/password. */
  newAgent(channelIds: string[], name?: string, role?: 'agent' | 'admin'): Promise<AgentLogin>;
  /** A cuttable TCP relay to Loket, for one browser's traffic (closed with the stack). */
  newLink(): Promise<NetworkLink>;
  close(): Promise<void>;
}

let counter = 0;
const unique = (): string => `${process.pid.toString(36)}${Date.now().toString(36)}${(counter++).toString(36)}`;

function serverPort(server: http.Server): number {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('shop server has no TCP address');
  return address.port;
}

/** A port nobody listens on right now: Loket's PUBLIC_URL must name the port before it listens. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = address !== null && typeof address === 'object' ? address.port : 0;
      probe.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

function closeServer(server: http.Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
}

/** Loopback DNS, Loket on SQLite in a temp dir, and per-test shops: all in this process. */
export async function startStack(): Promise<Stack> {
  for (const dist of ['packages/widget/dist/widget.js', 'packages/widget/dist/frame.html', 'packages/console/dist/index.html']) {
    const file = path.resolve(import.meta.dirname, '../..', dist);
    if (!fs.existsSync(file)) throw new Error(`${dist} is missing: run \`npm run build\` before the browser tests`);
  }
  const dns = await startTestDnsServer();
  const mail = await startTestSmtpServer();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loket-e2e-'));
  // Absolute links Loket hands out (FAQ pages, e-mails) must lead back to this very server.
  const listenPort = await freePort();
  const config = loadConfig(
    {},
    {
      host: '127.0.0.1',
      port: listenPort,
      publicUrl: `http://localhost:${listenPort}`,
      logLevel: 'warn',
      sqlitePath: path.join(dir, 'loket.db'),
      // Per-test data is throwaway: no fsync on every write keeps the suite fast.
      sqliteSynchronous: 'NORMAL',
      databaseUrl: null,
      redisUrl: null,
      dnsServers: [dns.address],
      dnsTimeoutMs: 1500,
      smtpUrl: mail.url,
      mailFrom: { name: 'Loket Shop', address: 'support@shop.example' },
    },
  );
  const loket = await startLoket(config, { email: createEmailVerifier({ servers: [dns.address], timeoutMs: 1500 }) });
  const port = new URL(loket.url).port;
  const loketUrl = `http://localhost:${port}`;
  const shops: http.Server[] = [];
  const links: NetworkLink[] = [];

  return {
    loket,
    dns,
    mail,
    loketUrl,
    consoleUrl: `${loketUrl}/console/`,
    async newShop(options: ShopOptions = {}): Promise<Shop> {
      const channelKey = `e2e-${unique()}`;
      const server = await startShop('127.0.0.1', 0, options.loketUrl ?? loketUrl, channelKey);
      shops.push(server);
      const origin = `http://127.0.0.1:${serverPort(server)}`;
      const channel = await createChannel(loket.ctx, {
        name: `Shop ${channelKey}`,
        language: 'en',
        ...options.channel,
        key: channelKey,
        allowedOrigins: options.allowedOrigins ? options.allowedOrigins(origin) : [origin],
      });
      if (options.staffed !== false) {
        const onDuty = await createAgent(loket.ctx, { email: `duty-${channelKey}@${DNS_TEST_ZONES.mx}`, name: 'On duty', password: randomUUID(), role: 'agent' });
        await addChannelAgent(loket.ctx, channel.id, onDuty.id, { notifications: false });
        await loket.ctx.db.updateTable('agents').set({ presence: 'present' }).where('id', '=', onDuty.id).execute();
      }
      return { url: `${origin}/`, origin, channelKey, channelId: channel.id };
    },
    async newAgent(channelIds: string[], name?: string, role: 'agent' | 'admin' = 'agent'): Promise<AgentLogin> {
      const id = unique();
      const email = `agent-${id}@${DNS_TEST_ZONES.mx}`;
      const password = `pw-${randomUUID()}`;
      const agentName = name ?? `Agent ${id}`;
      const agent = await createAgent(loket.ctx, { email, name: agentName, password, role });
      for (const channelId of channelIds) await addChannelAgent(loket.ctx, channelId, agent.id);
      return { id: agent.id, email, password, name: agentName };
    },
    async newLink(): Promise<NetworkLink> {
      const link = await startLink(Number(port));
      links.push(link);
      return link;
    },
    async close(): Promise<void> {
      await Promise.all(links.map((l) => l.close()));
      await Promise.all(shops.map(closeServer));
      await loket.close();
      await mail.close();
      await dns.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The one e-mail the stack's SMTP server accepted for `address` (the worker's tests share the server). */
export async function mailTo(stack: Stack, address: string, timeoutMs = 15_000): Promise<ReceivedMail> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = stack.mail.messages.filter((m) => m.envelope.to.includes(address));
    if (found.length > 1) throw new Error(`${found.length} e-mails to ${address}: expected exactly one`);
    if (found[0]) return found[0];
    if (Date.now() > deadline) throw new Error(`no e-mail to ${address} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
