import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, loadConfig, type Config } from '../config.js';
import { openStorage, type Storage } from '../db/database.js';
import type { Ctx } from '../domain/context.js';
import { AppError } from '../domain/errors.js';
import type { SystemActor } from '../domain/knowledge-base.js';
import { FolderTree } from '../domain/knowledge-base-folders.js';
import { exportRows, importFaqs, toCsvFile, toJsonFile } from '../domain/knowledge-base-transfer.js';
import { createEmailVerifier } from '../email/verify.js';
import { LocalBus, type Bus } from '../realtime/bus.js';
import { RedisBus } from '../realtime/redis-bus.js';
import { createFaqSearch } from '../search/service.js';

/**
 * `npm run faq -- import <file>` / `npm run faq -- export <file>`: the knowledge base's bulk import and export without
 * the console, through the same domain functions, straight on the database the server uses (same configuration as
 * main.ts). Exit codes: 0 done, 1 refused or failed (nothing stored), 2 wrong usage or configuration.
 */

const USAGE = `Usage:
  npm run faq -- import <file.json|file.csv> [--format json|csv]
  npm run faq -- export <file.json|file.csv|-> [--format json|csv] [--folder "Parent/Child"]

Reads the same settings as the server (DATABASE_URL, or the SQLite file in DATA_DIR; REDIS_URL).
The format follows the file's extension unless --format says otherwise.`;

class UsageError extends Error {}

interface Args {
  command: 'import' | 'export';
  file: string;
  format: 'json' | 'csv';
  folder: string | null;
}

function parseArgs(argv: readonly string[]): Args {
  const positional: string[] = [];
  let format: string | null = null;
  let folder: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const value = (): string => {
      const next = argv[++i];
      if (next === undefined) throw new UsageError(`${arg} needs a value`);
      return next;
    };
    if (arg === '--format') format = value();
    else if (arg.startsWith('--format=')) format = arg.slice('--format='.length);
    else if (arg === '--folder') folder = value();
    else if (arg.startsWith('--folder=')) folder = arg.slice('--folder='.length);
    else if (arg === '--help' || arg === '-h') throw new UsageError('');
    else if (arg.startsWith('--')) throw new UsageError(`unknown option ${arg}`);
    else positional.push(arg);
  }
  const [command, file, ...rest] = positional;
  if (command !== 'import' && command !== 'export') throw new UsageError(command === undefined ? 'missing command' : `unknown command ${command}`);
  if (file === undefined) throw new UsageError(`${command} needs a file`);
  if (rest.length > 0) throw new UsageError(`unexpected ${rest.join(' ')}`);
  if (folder !== null && command === 'import') throw new UsageError('--folder is for export (an import file names its folders itself)');
  const byExtension = path.extname(file).toLowerCase() === '.csv' ? 'csv' : 'json';
  const chosen = format ?? byExtension;
  if (chosen !== 'json' && chosen !== 'csv') throw new UsageError(`--format must be json or csv, not ${chosen}`);
  return { command, file, format: chosen, folder };
}

const SYSTEM: SystemActor = { kind: 'system' };

/** What the domain functions need; nothing here serves requests, so no search index is filled. */
function cliContext(config: Config, storage: Storage, bus: Bus): Ctx {
  return {
    db: storage.db,
    dialect: storage.dialect,
    transact: storage.transact,
    bus,
    email: createEmailVerifier({ timeoutMs: config.dnsTimeoutMs }),
    now: Date.now,
    mailFrom: config.mailFrom,
    graceMs: config.chatGraceSeconds * 1000,
    faqSearch: createFaqSearch(storage.db),
  };
}

async function folderIdByPath(ctx: Ctx, folderPath: string): Promise<string> {
  const tree = await FolderTree.load(ctx.db);
  let id: string | null = null;
  for (const name of folderPath.split('/').map((n) => n.trim())) {
    const folder = tree.child(id, name);
    if (folder === undefined) throw new UsageError(`no folder ${JSON.stringify(folderPath)}`);
    id = folder.id;
  }
  if (id === null) throw new UsageError('--folder needs a folder path');
  return id;
}

async function run(args: Args, config: Config): Promise<number> {
  let text = '';
  if (args.command === 'import') {
    try {
      text = fs.readFileSync(args.file, 'utf8');
    } catch (err) {
      throw new UsageError(`cannot read ${args.file}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  // A running node learns about an import through the bus; without Redis there is no one to tell (docs/knowledge-base.md).
  const bus = config.redisUrl !== null && args.command === 'import' ? await RedisBus.connect({ url: config.redisUrl }) : new LocalBus();
  const storage = await openStorage(config);
  const ctx = cliContext(config, storage, bus);
  try {
    if (args.command === 'import') {
      const result = await importFaqs(ctx, SYSTEM, { format: args.format, text });
      console.log(`Imported ${result.created} FAQ${result.created === 1 ? '' : 's'} from ${args.file}; ${result.foldersCreated} new folder${result.foldersCreated === 1 ? '' : 's'}.`);
    } else {
      const folderId = args.folder === null ? null : await folderIdByPath(ctx, args.folder);
      const rows = await exportRows(ctx, SYSTEM, folderId);
      const out = args.format === 'json' ? toJsonFile(rows) : toCsvFile(rows);
      if (args.file === '-') process.stdout.write(out);
      else {
        fs.writeFileSync(args.file, out, 'utf8');
        console.log(`Exported ${rows.length} FAQ${rows.length === 1 ? '' : 's'} to ${args.file} (${args.format}).`);
      }
    }
  } finally {
    await bus.close();
    await storage.close();
  }
  if (args.command === 'import') {
    if (bus instanceof RedisBus) {
      const told = bus.stats().published > 0;
      console.log(told ? 'Running nodes were told through Redis; their search follows at once.' : 'Redis did not take the change notice: restart the running nodes so their search sees the import.');
    } else console.log('Without REDIS_URL no running node was told: restart a running Loket so its FAQ search sees the import.');
  }
  return 0;
}

async function main(): Promise<number> {
  let args: Args;
  let config: Config;
  try {
    args = parseArgs(process.argv.slice(2));
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof UsageError) {
      if (err.message !== '') console.error(`faq: ${err.message}\n`);
      console.error(USAGE);
      return err.message === '' ? 0 : 2;
    }
    if (err instanceof ConfigError) {
      console.error(err.message);
      return 2;
    }
    throw err;
  }
  try {
    return await run(args, config);
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`faq: ${err.message}`);
      return 2;
    }
    if (err instanceof AppError) {
      // The same report the console shows: the first problems, each with its line.
      console.error(`faq: ${args.command} refused (${err.code}${err.field ? `, ${err.field}` : ''})${args.command === 'import' ? '; nothing was stored' : ''}.`);
      if (err.clientDetail !== undefined) console.error(err.clientDetail);
      else console.error(err.message);
      return 1;
    }
    console.error(`faq: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}

process.exitCode = await main();
