/**
 * `npm run bench`: speed and weight measurements (never assertions in tests).
 * Scenarios so far: widget weight, and customer → agent latency for N concurrent chat pairs
 * through the real server (SQLite, durable writes), verifying nothing lost, doubled or reordered.
 * Usage: npm run bench -- [--pairs 200] [--messages 20] [--interval-ms 200]
 */
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import WebSocket from 'ws';
import { startLoket } from '../packages/server/src/app.js';
import { loadConfig } from '../packages/server/src/config.js';
import { createAgent } from '../packages/server/src/domain/agents.js';
import { addChannelAgent, createChannel } from '../packages/server/src/domain/channels.js';

const arg = (name: string, def: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
};
const PAIRS = arg('pairs', 200);
const MESSAGES = arg('messages', 20);
const INTERVAL = arg('interval-ms', 200);
const root = path.resolve(import.meta.dirname, '..');

function weight(file: string) {
  const buf = fs.readFileSync(file);
  return { raw: buf.length, gzip: gzipSync(buf, { level: 9 }).length, brotli: brotliCompressSync(buf).length };
}

function widgetWeight() {
  const dist = path.join(root, 'packages/widget/dist');
  const assets = fs.readdirSync(path.join(dist, 'assets')).filter((f) => /\.(js|css)$/.test(f));
  const frame = assets.map((f) => weight(path.join(dist, 'assets', f))).reduce((a, b) => ({ raw: a.raw + b.raw, gzip: a.gzip + b.gzip, brotli: a.brotli + b.brotli }), { raw: 0, gzip: 0, brotli: 0 });
  return { loader: weight(path.join(dist, 'widget.js')), chatWindow: frame };
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

function open(url: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

async function latency() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loket-bench-'));
  const config = loadConfig({}, { host: '127.0.0.1', port: 0, logLevel: 'warn', sqlitePath: path.join(dir, 'loket.db'), chatStartsPerMinute: 0 });
  const loket = await startLoket(config);
  const base = loket.url.replace('localhost', '127.0.0.1');
  const ws = base.replace('http', 'ws');
  const channel = await createChannel(loket.ctx, { key: 'bench', name: 'Bench', allowedOrigins: [], prechatEnabled: false });
  const agentCount = Math.max(1, Math.ceil(PAIRS / 10));
  const agents: Array<{ socket: WebSocket; id: string }> = [];
  for (let i = 0; i < agentCount; i++) {
    const password = randomUUID();
    const email = `bench-${i}@example.com`;
    const agent = await createAgent(loket.ctx, { email, name: `Agent ${i}`, password });
    await addChannelAgent(loket.ctx, channel.id, agent.id);
    const res = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    agents.push({ socket: await open(`${ws}/ws/agent`, { cookie }), id: agent.id });
  }
  const sentAt = new Map<string, number>();
  const received = new Map<string, string[]>();
  const samples: number[] = [];
  for (const a of agents) {
    a.socket.on('message', (data) => {
      const f = JSON.parse(data.toString()) as { type: string; chatId?: string; event?: { kind: string; body?: string; author: { kind: string } } };
      if (f.type !== 'event' || f.event?.kind !== 'message' || f.event.author.kind !== 'visitor' || !f.chatId) return;
      const body = f.event.body ?? '';
      const t0 = sentAt.get(body);
      if (t0 !== undefined) samples.push(performance.now() - t0);
      const list = received.get(f.chatId) ?? [];
      list.push(body);
      received.set(f.chatId, list);
    });
  }
  process.stdout.write(`latency: starting ${PAIRS} chats… `);
  const visitors: Array<{ socket: WebSocket; chatId: string }> = [];
  for (let i = 0; i < PAIRS; i++) {
    const token = randomBytes(32).toString('base64url');
    const res = await fetch(`${base}/api/widget/channels/bench/chats`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token, name: '', email: '', fields: {}, question: `q${i}`, clientMsgId: randomUUID().replace(/-/g, '') }),
    });
    const { chat } = (await res.json()) as { chat: { id: string } };
    const agent = agents[i % agents.length]!;
    agent.socket.send(JSON.stringify({ type: 'claim', chatId: chat.id }));
    const socket = await open(`${ws}/ws/visitor`);
    socket.send(JSON.stringify({ type: 'auth', token, lastSeq: 0 }));
    visitors.push({ socket, chatId: chat.id });
  }
  await new Promise((r) => setTimeout(r, 1000));
  process.stdout.write(`sending ${PAIRS * MESSAGES} messages at one per ${INTERVAL} ms per chat…\n`);
  const started = performance.now();
  await Promise.all(
    visitors.map(async (v, i) => {
      await new Promise((r) => setTimeout(r, Math.random() * INTERVAL));
      for (let m = 0; m < MESSAGES; m++) {
        const body = `c${i}-m${m}`;
        sentAt.set(body, performance.now());
        v.socket.send(JSON.stringify({ type: 'send', clientMsgId: randomUUID().replace(/-/g, ''), body }));
        await new Promise((r) => setTimeout(r, INTERVAL));
      }
    }),
  );
  const deadline = Date.now() + 15_000;
  while (samples.length < PAIRS * MESSAGES && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  const elapsed = (performance.now() - started) / 1000;
  // Verify: every message exactly once, in order, per chat.
  let lost = 0;
  let doubled = 0;
  let reordered = 0;
  visitors.forEach((v, i) => {
    const got = received.get(v.chatId) ?? [];
    const expected = Array.from({ length: MESSAGES }, (_, m) => `c${i}-m${m}`);
    lost += expected.filter((e) => !got.includes(e)).length;
    doubled += got.length - new Set(got).size;
    const order = got.filter((g) => expected.includes(g));
    if (order.join() !== expected.filter((e) => order.includes(e)).join()) reordered++;
  });
  for (const v of visitors) v.socket.close();
  for (const a of agents) a.socket.close();
  await loket.close();
  fs.rmSync(dir, { recursive: true, force: true });
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    pairs: PAIRS,
    messages: samples.length,
    messagesPerSecond: Math.round(samples.length / elapsed),
    p50ms: +pct(sorted, 50).toFixed(2),
    p99ms: +pct(sorted, 99).toFixed(2),
    p999ms: +pct(sorted, 99.9).toFixed(2),
    lost,
    doubled,
    reorderedChats: reordered,
  };
}

const results = { date: new Date().toISOString(), machine: `${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`, widget: widgetWeight(), latency: await latency() };
const table = [
  '| Scenario | Figure |',
  '| --- | --- |',
  `| Loader (widget.js) | ${results.widget.loader.gzip} B gzip, ${results.widget.loader.brotli} B brotli, ${results.widget.loader.raw} B raw |`,
  `| Chat window JS+CSS | ${results.widget.chatWindow.gzip} B gzip, ${results.widget.chatWindow.brotli} B brotli |`,
  `| Latency, ${results.latency.pairs} pairs (SQLite, FULL sync) | p50 ${results.latency.p50ms} ms, p99 ${results.latency.p99ms} ms, p99.9 ${results.latency.p999ms} ms |`,
  `| Delivered | ${results.latency.messages} messages, ${results.latency.messagesPerSecond}/s; lost ${results.latency.lost}, doubled ${results.latency.doubled}, chats out of order ${results.latency.reorderedChats} |`,
].join('\n');
fs.writeFileSync(path.join(import.meta.dirname, 'results/latest.json'), JSON.stringify(results, null, 2) + '\n');
fs.writeFileSync(path.join(import.meta.dirname, 'results/latest.md'), `# Bench results (${results.date})\n\n${results.machine}\n\n${table}\n`);
console.log(`\n${table}\n`);
if (results.latency.lost + results.latency.doubled + results.latency.reorderedChats > 0) {
  console.error('FAIL: messages were lost, doubled or reordered');
  process.exit(1);
}
