// `npm run bench [-- --quick]`: delivery latency vs a bare Socket.IO relay, idle-connection
// capacity, store throughput and bundle sizes. Prints a table and writes bench/results.json.
// With TEST_POSTGRES_URL and TEST_REDIS_URL set (eval "$(sudo bash .ci/services)") it also measures
// the store on PostgreSQL and delivery between two hub processes sharing PostgreSQL + Redis.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { type Socket, io } from 'socket.io-client';
import { buildHub } from '../server/app.js';
import { DEFAULTS } from '../server/config.js';
import { dropTestDatabase, testDatabaseUrl } from '../test/helpers/databases.mjs';
import { spawnHub } from '../test/helpers/spawn-hub.mjs';

const quick = process.argv.includes('--quick');
const root = new URL('..', import.meta.url).pathname;
const VISITORS = quick ? 300 : 1000;
const MESSAGES = quick ? 3 : 5;
const CAPACITY_STEPS = quick ? [1000, 2000] : [1000, 5000, 10000];
const STORE_MESSAGES = quick ? 5000 : 20000;
const BENCH_ENV = { MESSAGES_PER_MINUTE: '10000000', REQUESTS_PER_MINUTE: '10000000', LOG_LEVEL: 'error' };

type Stats = { p50: number; p95: number; p99: number; count: number };
const percentiles = (values: number[]): Stats => {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => Number((sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN).toFixed(2));
  return { p50: at(50), p95: at(95), p99: at(99), count: sorted.length };
};
const log = (line: string) => process.stderr.write(`${line}\n`);

async function inBatches<T>(count: number, size: number, make: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < count; i += size) out.push(...(await Promise.all(Array.from({ length: Math.min(size, count - i) }, (_, j) => make(i + j)))));
  return out;
}

interface Target {
  visitor(i: number): Promise<{ socket: Socket; send(text: string): Promise<string> }>;
  agent(): Promise<{ socket: Socket; send(to: string, text: string): Promise<void> }>;
}

/** Visitors send, one agent receives (and answers): latency both ways, measured in this process. */
async function latency(target: Target): Promise<{ visitorToAgent: Stats; agentToVisitor: Stats }> {
  const agent = await target.agent();
  const visitors = await inBatches(VISITORS, 100, (i) => target.visitor(i));
  const sentAt = new Map<string, number>();
  const v2a: number[] = [];
  const a2v: number[] = [];
  agent.socket.on('message:new', (m: { text: string }) => {
    const t = sentAt.get(m.text);
    if (t !== undefined && m.text.startsWith('v')) v2a.push(performance.now() - t);
  });
  const targets = await Promise.all(visitors.map((v, i) => v.send(`warm-up ${i}`)));
  // Warm-up: the agent's first message to each visitor takes the conversation over.
  await inBatches(VISITORS, 100, (i) => agent.send(targets[i] ?? '', `hello ${i}`));
  for (const v of visitors)
    v.socket.on('message:new', (m: { text: string }) => {
      const t = sentAt.get(m.text);
      if (t !== undefined && m.text.startsWith('a')) a2v.push(performance.now() - t);
    });
  for (let round = 0; round < MESSAGES; round++) {
    // Spread each round over one second, as real visitors would type.
    await Promise.all(
      visitors.map(async (v, i) => {
        await new Promise((r) => setTimeout(r, Math.random() * 1000));
        const text = `v${round}:${i}`;
        sentAt.set(text, performance.now());
        await v.send(text);
        const reply = `a${round}:${i}`;
        sentAt.set(reply, performance.now());
        await agent.send(targets[i] ?? '', reply);
      }),
    );
  }
  const deadline = Date.now() + 10_000;
  while ((v2a.length < VISITORS * MESSAGES || a2v.length < VISITORS * MESSAGES) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  for (const v of visitors) v.socket.disconnect();
  agent.socket.disconnect();
  return { visitorToAgent: percentiles(v2a), agentToVisitor: percentiles(a2v) };
}

function hubTarget(url: string, token: string): Target {
  return {
    async visitor() {
      const socket = io(`${url}/visitor`, { auth: { site: 'demo' }, transports: ['websocket'], forceNew: true });
      await new Promise((r) => socket.once('session', r));
      return {
        socket,
        async send(text) {
          const ack = (await socket.emitWithAck('message:send', { clientId: crypto.randomUUID(), text })) as {
            data?: { conversation: { id: string } };
            error?: unknown;
          };
          if (!ack.data) throw new Error(`send failed: ${JSON.stringify(ack.error)}`);
          return ack.data.conversation.id;
        },
      };
    },
    async agent() {
      const socket = io(`${url}/agent`, { auth: { token }, transports: ['websocket'], forceNew: true });
      await new Promise((r) => socket.once('hello', r));
      return {
        socket,
        async send(to, text) {
          const ack = (await socket.emitWithAck('message:send', { conversationId: to, clientId: crypto.randomUUID(), text })) as { error?: unknown };
          if (ack.error) throw new Error(`agent send failed: ${JSON.stringify(ack.error)}`);
        },
      };
    },
  };
}

function echoTarget(url: string): Target {
  return {
    async visitor(i) {
      const socket = io(url, { auth: { role: 'visitor', id: String(i) }, transports: ['websocket'], forceNew: true });
      await new Promise<void>((r) => socket.once('connect', () => r()));
      return {
        socket,
        send: async (text) => {
          await socket.emitWithAck('message:send', { text });
          return String(i);
        },
      };
    },
    async agent() {
      const socket = io(url, { auth: { role: 'agent' }, transports: ['websocket'], forceNew: true });
      await new Promise<void>((r) => socket.once('connect', () => r()));
      return { socket, send: async (to, text) => void (await socket.emitWithAck('message:send', { to, text })) };
    },
  };
}

async function startEcho(): Promise<{ url: string; stop(): void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/echo-server.ts'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve) =>
    child.stdout.on('data', (d: Buffer) => {
      const m = /listening on (\S+)/.exec(String(d));
      if (m?.[1]) resolve(m[1]);
    }),
  );
  return { url, stop: () => child.kill('SIGKILL') };
}

async function login(url: string): Promise<string> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'admin@test.local', password: 'admin-password-1' }),
  });
  return ((await res.json()) as { token: string }).token;
}

async function health(url: string): Promise<{ rssBytes: number; eventLoopDelayMs: { p99: number; max: number } }> {
  return (await (await fetch(`${url}/health`)).json()) as { rssBytes: number; eventLoopDelayMs: { p99: number; max: number } };
}

async function capacity(): Promise<{ connections: number; rssMb: number; kbPerConnection: number; eventLoopP99Ms: number }[]> {
  const hub = await spawnHub({ env: BENCH_ENV });
  const base = (await health(hub.url)).rssBytes;
  const sockets: Socket[] = [];
  const rows = [];
  for (const step of CAPACITY_STEPS) {
    sockets.push(
      ...(await inBatches(step - sockets.length, 200, async () => {
        const socket = io(`${hub.url}/visitor`, { auth: { site: 'demo' }, transports: ['websocket'], forceNew: true, reconnection: false });
        await new Promise((r, j) => {
          socket.once('session', r);
          socket.once('connect_error', j);
        });
        return socket;
      })),
    );
    await health(hub.url); // reset the delay histogram, then measure a quiet second
    await new Promise((r) => setTimeout(r, 1000));
    const h = await health(hub.url);
    rows.push({
      connections: sockets.length,
      rssMb: Math.round(h.rssBytes / 1e6),
      kbPerConnection: Number(((h.rssBytes - base) / sockets.length / 1024).toFixed(1)),
      eventLoopP99Ms: Number(h.eventLoopDelayMs.p99.toFixed(1)),
    });
    log(`  capacity ${sockets.length}: ${JSON.stringify(rows.at(-1))}`);
  }
  for (const s of sockets) s.disconnect();
  await hub.stop('SIGKILL');
  hub.cleanup();
  return rows;
}

/** The hub's real write path (ChatService.visitorSend: validate, dedupe, insert, update) on a muted conversation. */
async function storeThroughput(postgres?: string): Promise<{ store: string; sequentialPerSec: number; concurrentPerSec: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-bench-'));
  const databaseUrl = await testDatabaseUrl(dir, postgres);
  const hub = await buildHub({ ...DEFAULTS, databaseUrl, port: 0, logLevel: 'silent', sweepIntervalMs: 0 }, { logger: false });
  const visitors = await Promise.all(
    Array.from({ length: 50 }, async () => {
      const now = new Date().toISOString();
      const contact = await hub.store.contacts.create({ siteId: 'demo', userData: {}, signed: { userId: null, email: null, name: null }, now });
      return hub.store.visitors.create({ siteId: 'demo', contactId: contact.id, userData: {}, verified: false, language: 'en', now });
    }),
  );
  for (const v of visitors) {
    const { conversation } = await hub.services.messaging.visitorSend(v, crypto.randomUUID(), 'first');
    await hub.store.conversations.update(conversation.id, { muted: 1, muted_at: new Date().toISOString() });
  }
  const visitorAt = (i: number) => visitors[i % visitors.length] as (typeof visitors)[number];
  let start = performance.now();
  for (let i = 0; i < STORE_MESSAGES / 2; i++) await hub.services.messaging.visitorSend(visitorAt(i), crypto.randomUUID(), `message ${i}`);
  const sequentialPerSec = Math.round(STORE_MESSAGES / 2 / ((performance.now() - start) / 1000));
  start = performance.now();
  await inBatches(STORE_MESSAGES / 2, 50, (i) => hub.services.messaging.visitorSend(visitorAt(i), crypto.randomUUID(), `concurrent ${i}`));
  const concurrentPerSec = Math.round(STORE_MESSAGES / 2 / ((performance.now() - start) / 1000));
  const store = hub.store.dialect;
  await hub.close();
  await dropTestDatabase(dir, postgres);
  rmSync(dir, { recursive: true, force: true });
  return { store, sequentialPerSec, concurrentPerSec };
}

function bundles(): { file: string; rawKb: number; gzipKb: number; brotliKb: number }[] {
  return ['widget.js', 'agent-panel.js'].map((file) => {
    const data = readFileSync(join(root, 'dist', file));
    const kb = (n: number) => Number((n / 1024).toFixed(1));
    return { file, rawKb: kb(data.length), gzipKb: kb(gzipSync(data, { level: 9 }).length), brotliKb: kb(brotliCompressSync(data).length) };
  });
}

log(`Switchboard benchmark (${quick ? 'quick' : 'full'}): ${VISITORS} visitors × ${MESSAGES} messages each way`);
const hub = await spawnHub({ env: BENCH_ENV });
const hubLatency = await latency(hubTarget(hub.url, await login(hub.url)));
await hub.stop('SIGKILL');
hub.cleanup();
log(`  hub latency done`);
const echo = await startEcho();
const echoLatency = await latency(echoTarget(echo.url));
echo.stop();
log(`  echo latency done`);
const capacityRows = await capacity();
const stores = [await storeThroughput()];
const postgres = process.env.TEST_POSTGRES_URL;
const redis = process.env.TEST_REDIS_URL;
let twoHubs: { visitorToAgent: Stats; agentToVisitor: Stats } | null = null;
if (postgres && redis) {
  stores.push(await storeThroughput(postgres));
  log('  postgres store done');
  // Visitors on hub A, the agent on hub B: every message crosses Redis.
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-bench-cluster-'));
  const env = { ...BENCH_ENV, DATABASE_URL: await testDatabaseUrl(dir, postgres), REDIS_URL: redis };
  const a = await spawnHub({ env });
  const b = await spawnHub({ env });
  twoHubs = await latency({ visitor: hubTarget(a.url, '').visitor, agent: hubTarget(b.url, await login(b.url)).agent });
  await Promise.all([a.stop('SIGKILL'), b.stop('SIGKILL')]);
  a.cleanup();
  b.cleanup();
  await dropTestDatabase(dir, postgres);
  rmSync(dir, { recursive: true, force: true });
  log('  two-hub latency done');
} else {
  log('  PostgreSQL store and two-hub latency skipped: TEST_POSTGRES_URL / TEST_REDIS_URL not set (eval "$(sudo bash .ci/services)")');
}
const bundleRows = bundles();

const ratio = Number((hubLatency.visitorToAgent.p99 / echoLatency.visitorToAgent.p99).toFixed(2));
const results = {
  date: new Date().toISOString(),
  mode: quick ? 'quick' : 'full',
  visitors: VISITORS,
  messagesEachWay: MESSAGES,
  latencyMs: {
    hub: hubLatency,
    echo: echoLatency,
    p99RatioVisitorToAgent: ratio,
    p99RatioAgentToVisitor: Number((hubLatency.agentToVisitor.p99 / echoLatency.agentToVisitor.p99).toFixed(2)),
  },
  capacity: capacityRows,
  stores,
  twoHubLatencyMs: twoHubs,
  bundles: bundleRows,
};
writeFileSync(join(root, 'bench/results.json'), `${JSON.stringify(results, null, 2)}\n`);

console.log('\n## Delivery latency (ms)');
console.table({
  'hub visitor→agent': hubLatency.visitorToAgent,
  'echo visitor→agent': echoLatency.visitorToAgent,
  'hub agent→visitor': hubLatency.agentToVisitor,
  'echo agent→visitor': echoLatency.agentToVisitor,
});
console.log(`p99 ratio hub/echo: visitor→agent ${ratio}×, agent→visitor ${results.latencyMs.p99RatioAgentToVisitor}× (target ≤ 2×)`);
console.log('\n## Idle connections (one hub process)');
console.table(capacityRows);
if (twoHubs) {
  console.log('\n## Two hubs on PostgreSQL + Redis: visitors on hub A, agent on hub B (ms)');
  console.table({ 'visitor→agent': twoHubs.visitorToAgent, 'agent→visitor': twoHubs.agentToVisitor });
}
console.log('\n## Store throughput (messages/s, real write path, bot muted)');
console.table(stores);
console.log('\n## Bundles (kB)');
console.table(bundleRows);
process.exit(0);
