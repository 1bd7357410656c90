import type { Server } from 'node:http';
import { startLoket, type Loket } from './app.js';
import { DEMO_CHANNEL_KEY, ensureAdmin, ensureDemoChannel } from './bootstrap.js';
import { ConfigError, loadConfig } from './config.js';
import { startShop } from './demo.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env, { demo: process.argv.includes('--demo') });
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  // Signals are handled from the start: a SIGTERM during start-up still stops cleanly once started.
  let loket: Loket | null = null;
  let stopping: string | null = null;
  let shop: Server | null = null;
  const stop = async (signal: string): Promise<void> => {
    if (stopping !== null && loket === null) return;
    stopping = signal;
    if (loket === null) return;
    const running = loket;
    loket = null;
    running.app.log.info({ signal }, 'shutting down');
    shop?.close();
    await running.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  // Operators (and bench/) can ask a running node for its memory use without a debugger.
  process.on('SIGUSR2', () => {
    console.log(JSON.stringify({ stats: { memory: process.memoryUsage(), sockets: loket?.socketCount() ?? 0 } }));
  });

  const started = await startLoket(config);
  loket = started;
  if (stopping !== null) return stop(stopping);
  const { generatedAdmin } = await ensureAdmin(started.ctx, config);
  const publicUrl = config.publicUrl;
  let shopUrl: string | null = null;
  if (config.demo && config.demoPort > 0) {
    shopUrl = `http://127.0.0.1:${config.demoPort}`;
    await ensureDemoChannel(started.ctx, [shopUrl, `http://localhost:${config.demoPort}`]);
    shop = await startShop('127.0.0.1', config.demoPort, publicUrl, DEMO_CHANNEL_KEY);
  }

  const lines = [
    '',
    `  Loket is running on ${publicUrl}  (${started.storage.dialect === 'sqlite' ? `SQLite: ${config.sqlitePath}` : 'PostgreSQL'})`,
    `  Agent console:   ${publicUrl}/console/`,
    `  Help centre:     ${publicUrl}/help`,
  ];
  if (shopUrl) lines.push(`  Demo shop:       ${shopUrl}/   (embeds the widget of channel "${DEMO_CHANNEL_KEY}" from another origin)`);
  if (generatedAdmin) {
    lines.push(`  Administrator:   ${generatedAdmin.email}`, `  Password:        ${generatedAdmin.password}   (shown only this once; set ADMIN_PASSWORD to choose it)`);
  } else lines.push(`  Sign in with the administrator account${config.adminEmail ? ` ${config.adminEmail}` : ''}.`);
  lines.push('');
  console.log(lines.join('\n'));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
