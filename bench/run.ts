// `npm run bench [-- --quick]`: every performance goal of issue #16 next to its target, measured in one run:
// delivery latency against a durable relay and a bare relay, store throughput against a raw-insert baseline,
// two hubs on PostgreSQL + Redis, idle-connection capacity, the widget on the host page, Lighthouse and the bundles.
// Prints the goal table and writes bench/results.json (stable keys: durableRelay, stores[].concurrentPerSec,
// rawInsertPerSec, twoHubLatencyMs, capacity, widgetLoad, lighthouse, …). With TEST_POSTGRES_URL and TEST_REDIS_URL set
// (eval "$(sudo bash .ci/services)") it also measures PostgreSQL and two hubs, over the unix sockets BENCH_POSTGRES_URL
// and BENCH_REDIS_URL name when set (two hubs over TCP as well).
// `npm run bench -- --widget [--quick]` measures only the widget (widgetLoad, lighthouse, bundles) and updates those
// keys and their goal lines in bench/results.json, leaving the rest as it was.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { dropTestDatabase, testDatabaseUrl } from '../test/helpers/databases.mjs';
import { spawnHub } from '../test/helpers/spawn-hub.mjs';
import { FD_LIMIT, capacity } from './capacity.js';
import { BENCH_ENV, type Goal, atLeast, atMost, log, login, median, medianBy, quick, root } from './common.js';
import { type Latency, MESSAGES, VISITORS, hubTarget, latency, relayTarget, startRelay } from './latency.js';
import { type InboxResult, QUIET_MS, inboxAtScale } from './inbox.js';
import { LIGHTHOUSE_AUDITS, type LighthouseResult, lighthouseRun } from './lighthouse.js';
import { panelPush } from './panel-push.js';
import { storeThroughput } from './stores.js';
import { type WidgetLoad, widgetLoad } from './widget-load.js';

const PAIRS = 3;
/** Two-hub runs over each transport; the median one is reported. */
const TWO_HUB_RUNS = quick ? 1 : 3;

async function hubRun(): Promise<Latency> {
  const hub = await spawnHub({ env: BENCH_ENV, bundled: true });
  try {
    return await latency(hubTarget(hub.url, await login(hub.url)), hub.child.pid);
  } finally {
    await hub.stop('SIGKILL');
    hub.cleanup();
  }
}

async function relayRun(durable: boolean): Promise<Latency> {
  const relay = await startRelay(durable);
  try {
    return await latency(relayTarget(relay.url), relay.pid);
  } finally {
    relay.stop();
  }
}

/** Visitors on hub A, the agent on hub B, sharing a fresh PostgreSQL database and Redis. */
async function twoHubs(postgres: string, redis: string): Promise<Latency> {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-bench-cluster-'));
  const env = { ...BENCH_ENV, DATABASE_URL: await testDatabaseUrl(dir, postgres), REDIS_URL: redis };
  const a = await spawnHub({ env, bundled: true });
  const b = await spawnHub({ env, bundled: true });
  try {
    return await latency({ visitor: hubTarget(a.url, '').visitor, agent: hubTarget(b.url, await login(b.url)).agent });
  } finally {
    await Promise.all([a.stop('SIGKILL'), b.stop('SIGKILL')]);
    a.cleanup();
    b.cleanup();
    await dropTestDatabase(dir, postgres);
    rmSync(dir, { recursive: true, force: true });
  }
}

function bundles(): { file: string; rawKb: number; gzipKb: number; brotliKb: number }[] {
  const app = readdirSync(join(root, 'dist')).find((file) => /^widget-app\.[0-9a-f]{12}\.js$/.test(file));
  return ['widget.js', ...(app ? [app] : []), 'agent-panel.js'].map((file) => {
    const data = readFileSync(join(root, 'dist', file));
    const kb = (n: number) => Number((n / 1024).toFixed(1));
    return { file, rawKb: kb(data.length), gzipKb: kb(gzipSync(data, { level: 9 }).length), brotliKb: kb(brotliCompressSync(data).length) };
  });
}

/** Goal 6, a lighter widget on the host page: the lowest score of the demo pages for each Lighthouse category. */
function widgetGoals(widget: WidgetLoad, lighthouse: LighthouseResult): Goal[] {
  const lowest = (key: 'performance' | 'accessibility' | 'bestPractices') =>
    lighthouse.ran ? Math.min(...lighthouse.pages.map((page) => page[key] ?? Number.NaN)) : null;
  const passedAudits = lighthouse.ran ? lighthouse.pages.flatMap((page) => Object.values(page.audits)).filter((audit) => audit.pass).length : null;
  return [
    atMost(`6. widget: blocking time added before the first interaction (ms, CPU ${widget.cpuSlowdown}×)`, widget.tbtMs.added, 10),
    atMost(`6. widget: click → usable chat, chat not loaded yet (ms, CPU ${widget.cpuSlowdown}×)`, widget.clickToUsableMs.cold, 300),
    atLeast('6. Lighthouse performance, demo shop and CRM (mobile)', lowest('performance'), 98),
    atLeast('6. Lighthouse accessibility, demo shop and CRM', lowest('accessibility'), 100),
    atLeast('6. Lighthouse best practices, demo shop and CRM', lowest('bestPractices'), 100),
    // The issue names four audits that must pass (compression, cache lifetime, minification, console errors): counted
    // over both pages, so a failing one shows here and not only in the Lighthouse table.
    atLeast(`6. Lighthouse audits passed: ${LIGHTHOUSE_AUDITS.join(', ')} (both pages)`, passedAudits, LIGHTHOUSE_AUDITS.length * 2),
  ];
}

function printWidget(widget: WidgetLoad, lighthouse: LighthouseResult): void {
  console.log(`\n## The widget on the demo shop (CPU ${widget.cpuSlowdown}× slower, medians of ${widget.runs} runs; ms)`);
  console.table({ 'total blocking time': widget.tbtMs, 'click → usable': widget.clickToUsableMs });
  console.table({ loader: widget.transfer.loader, 'app chunk': widget.transfer.app });
  console.log('\n## Lighthouse (mobile preset)');
  if (!lighthouse.ran) console.log(`not run: ${lighthouse.reason}`);
  else
    console.table(
      lighthouse.pages.map((page) => ({
        page: page.page,
        performance: page.performance,
        accessibility: page.accessibility,
        'best practices': page.bestPractices,
        ...Object.fromEntries(Object.entries(page.audits).map(([id, audit]) => [id, audit.pass ? 'pass' : `FAIL (${audit.display})`])),
      })),
    );
}

// What is measured is what ships: the build's widget, panel and hub (dist/hub.js, which `npm start` runs), built now
// from the sources so that no run measures a stale build.
execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });

if (process.argv.includes('--widget')) {
  log(`Switchboard benchmark, widget only (${quick ? 'quick' : 'full'})`);
  const widget = await widgetLoad();
  const lighthouse = await lighthouseRun();
  const file = join(root, 'bench/results.json');
  const previous = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { goals?: Goal[] } & Record<string, unknown>) : {};
  const goals = [...(previous.goals ?? []).filter((goal) => !goal.goal.startsWith('6. ')), ...widgetGoals(widget, lighthouse)].sort(
    (a, b) => Number.parseInt(a.goal, 10) - Number.parseInt(b.goal, 10),
  );
  const widgetDate = new Date().toISOString();
  writeFileSync(file, `${JSON.stringify({ ...previous, widgetDate, widgetLoad: widget, lighthouse, bundles: bundles(), goals }, null, 2)}\n`);
  printWidget(widget, lighthouse);
  console.log('\n## Goals');
  console.table(goals.map((g) => ({ ...g, met: g.met === null ? 'not measured' : g.met ? 'yes' : 'NO' })));
  process.exit(0);
}

log(`Switchboard benchmark (${quick ? 'quick' : 'full'}): ${VISITORS} visitors × ${MESSAGES} messages each way, ${PAIRS} interleaved pairs`);

// 1. Hub vs durable relay, interleaved so that a noisy moment hits both; the median ratio decides.
const pairs: { hub: Latency; durable: Latency; ratio: number }[] = [];
for (let i = 0; i < PAIRS; i++) {
  const hub = await hubRun();
  const durable = await relayRun(true);
  pairs.push({ hub, durable, ratio: Number((hub.visitorToAgent.p99 / durable.visitorToAgent.p99).toFixed(2)) });
  const cpu = (run: Latency) => `${run.serverCpuUsPerMessage ?? '?'} µs CPU/message`;
  log(
    `  pair ${i + 1}: hub p99 ${hub.visitorToAgent.p99} ms (${cpu(hub)}, ${hub.serverMajorCollections ?? '?'} full GCs in the rounds), durable relay p99 ${durable.visitorToAgent.p99} ms (${cpu(durable)}) → ${pairs.at(-1)?.ratio}×`,
  );
}
const bare = await relayRun(false);
const medianPair = medianBy(pairs, (pair) => pair.ratio);
const durableRelay = {
  ratiosP99: pairs.map((p) => p.ratio),
  medianRatioP99: median(pairs.map((p) => p.ratio)),
  hub: medianPair?.hub,
  durable: medianPair?.durable,
  bare,
  hubOverBareP99: Number(((medianPair?.hub.visitorToAgent.p99 ?? Number.NaN) / bare.visitorToAgent.p99).toFixed(2)),
};

// 2. Store throughput with its raw-insert baseline.
const stores = [await storeThroughput()];
log('  sqlite store done');
// The tests reach PostgreSQL and Redis over loopback TCP (TEST_*), as hubs on other machines would; the bench over
// their unix sockets when .ci/services gives them (BENCH_*), as hubs on the database's machine would. Two hubs are
// measured both ways: the difference is what the loopback TCP stack costs the shared cores.
const postgres = process.env.BENCH_POSTGRES_URL || process.env.TEST_POSTGRES_URL;
const redis = process.env.BENCH_REDIS_URL || process.env.TEST_REDIS_URL;
const overSockets = Boolean(process.env.BENCH_POSTGRES_URL && process.env.BENCH_REDIS_URL);
let twoHubLatencyMs: Latency | null = null;
let twoHubLatencyTcpMs: Latency | null = null;
let twoHubP99Runs: { sockets: number[]; tcp: number[] } = { sockets: [], tcp: [] };
if (postgres && redis) {
  stores.push(await storeThroughput(postgres));
  log('  postgres store done');
  // 3. Visitors on hub A, the agent on hub B: every message crosses PostgreSQL and Redis. Run TWO_HUB_RUNS times each
  // way, interleaved, and the median run (by visitor→agent p99) decides: one stall of a tenth of a second makes a
  // run's p99 (108.9 ms over unix sockets in session 34's file; 20–39 ms in the ten runs of session 35's probe).
  const tcpPostgres = process.env.TEST_POSTGRES_URL;
  const tcpRedis = process.env.TEST_REDIS_URL;
  const overTcpToo = overSockets && tcpPostgres && tcpRedis;
  const runs: { sockets: Latency[]; tcp: Latency[] } = { sockets: [], tcp: [] };
  const main = overSockets ? runs.sockets : runs.tcp;
  for (let i = 0; i < TWO_HUB_RUNS; i++) {
    main.push(await twoHubs(postgres, redis));
    log(`  two-hub run ${i + 1} (${overSockets ? 'unix sockets' : 'TCP'}): visitor→agent p99 ${main.at(-1)?.visitorToAgent.p99} ms`);
    if (overTcpToo) {
      runs.tcp.push(await twoHubs(tcpPostgres, tcpRedis));
      log(`  two-hub run ${i + 1} (TCP): visitor→agent p99 ${runs.tcp.at(-1)?.visitorToAgent.p99} ms`);
    }
  }
  const byP99 = (run: Latency) => run.visitorToAgent.p99;
  twoHubLatencyMs = medianBy(main, byP99) ?? null;
  twoHubLatencyTcpMs = overTcpToo ? (medianBy(runs.tcp, byP99) ?? null) : null;
  twoHubP99Runs = { sockets: runs.sockets.map(byP99), tcp: runs.tcp.map(byP99) };
} else {
  log('  PostgreSQL store and two-hub latency skipped: TEST_POSTGRES_URL / TEST_REDIS_URL not set (eval "$(sudo bash .ci/services)")');
}
const rawInsertPerSec = Object.fromEntries(stores.map((s) => [s.store, s.rawInsertPerSec]));

// 4. The inbox with a year of a busy site in it.
const inbox: InboxResult[] = [await inboxAtScale()];
if (postgres) inbox.push(await inboxAtScale(postgres));
log('  inbox at scale done');

// 5. Agent panels open while visitors chat: REST requests per live message (every change should come as a push).
const panelPushResult = await panelPush();
log('  panel push done');

// 6. The widget on the host page, and Lighthouse on the demo pages.
const widgetLoadResult = await widgetLoad();
log('  widget load done');
const lighthouseResult = await lighthouseRun();

// 7. Capacity.
const capacityRows = await capacity();
const bundleRows = bundles();

const sqlite = stores.find((s) => s.store === 'sqlite');
const pg = stores.find((s) => s.store === 'postgres');
const largest = capacityRows.at(-1);
const goals: Goal[] = [
  atMost('1. delivery p99, hub / durable relay (median of 3)', durableRelay.medianRatioP99, 1.5, '×'),
  atLeast('2. SQLite msg/s, 50 in flight', sqlite?.concurrentPerSec, 12000),
  atLeast('2. PostgreSQL msg/s, 50 in flight', pg?.concurrentPerSec, 5000),
  atMost(`3. two hubs visitor→agent p99 (ms, median of ${TWO_HUB_RUNS})`, twoHubLatencyMs?.visitorToAgent.p99, 100),
  ...inbox.map((i) => atMost(`4. inbox, slowest query p95 (${i.store}, ${i.conversations} conversations)`, i.worstP95, 50, ' ms')),
  atMost(`5. REST requests per live message (${panelPushResult.panels} panels)`, panelPushResult.restPerMessage, 0),
  ...widgetGoals(widgetLoadResult, lighthouseResult),
  atMost(
    `7. kB per idle connection, collected (${largest?.connections ?? 0}; bare Socket.IO ${largest?.bareSocketIoKbPerConnection}; uncollected ${largest?.kbPerConnectionUncollected} / ${largest?.bareSocketIoKbPerConnectionUncollected})`,
    largest?.kbPerConnection,
    12,
  ),
  atMost(`7. event-loop p99 ms (${largest?.connections ?? 0} idle)`, largest?.eventLoopP99Ms, 20),
  atLeast(`7. idle connections held (one process may open ${FD_LIMIT} files here)`, largest?.connections, 50000),
];

const results = {
  date: new Date().toISOString(),
  mode: quick ? 'quick' : 'full',
  visitors: VISITORS,
  messagesEachWay: MESSAGES,
  durableRelay,
  stores,
  rawInsertPerSec,
  twoHubLatencyMs,
  twoHubTransport: overSockets ? 'unix sockets' : 'tcp',
  twoHubLatencyTcpMs,
  twoHubP99Runs,
  inbox,
  panelPush: panelPushResult,
  widgetLoad: widgetLoadResult,
  lighthouse: lighthouseResult,
  capacity: {
    rows: capacityRows,
    fdLimit: FD_LIMIT,
    note: FD_LIMIT < 51000 ? `one process may open ${FD_LIMIT} files here: 50,000 connections cannot be tried` : null,
  },
  bundles: bundleRows,
  goals,
};
writeFileSync(join(root, 'bench/results.json'), `${JSON.stringify(results, null, 2)}\n`);

console.log('\n## Delivery latency, visitor→agent / agent→visitor (ms; median pair)');
console.table({
  hub: { ...durableRelay.hub?.visitorToAgent, back: durableRelay.hub?.agentToVisitor.p99 },
  'durable relay': { ...durableRelay.durable?.visitorToAgent, back: durableRelay.durable?.agentToVisitor.p99 },
  'bare relay': { ...bare.visitorToAgent, back: bare.agentToVisitor.p99 },
});
console.log(`p99 ratios hub / durable relay over ${PAIRS} pairs: ${durableRelay.ratiosP99.join(', ')}; hub / bare relay ${durableRelay.hubOverBareP99}×`);
console.log(
  `server CPU per message (median pair): hub ${durableRelay.hub?.serverCpuUsPerMessage} µs, durable relay ${durableRelay.durable?.serverCpuUsPerMessage} µs`,
);
if (twoHubLatencyMs) {
  const via = overSockets ? 'over unix sockets' : 'over TCP';
  console.log(`\n## Two hubs on PostgreSQL + Redis ${via}: visitors on hub A, agent on hub B (ms; median of ${TWO_HUB_RUNS} runs)`);
  console.table({ 'visitor→agent': twoHubLatencyMs.visitorToAgent, 'agent→visitor': twoHubLatencyMs.agentToVisitor });
  if (twoHubLatencyTcpMs) {
    console.log(`The same over loopback TCP (ms; median of ${TWO_HUB_RUNS} runs)`);
    console.table({ 'visitor→agent': twoHubLatencyTcpMs.visitorToAgent, 'agent→visitor': twoHubLatencyTcpMs.agentToVisitor });
  }
  console.log(`visitor→agent p99 of each run: unix sockets ${twoHubP99Runs.sockets.join(', ') || '—'}; TCP ${twoHubP99Runs.tcp.join(', ') || '—'}`);
}
console.log('\n## Store throughput (messages/s; real write path, bot muted; raw = one INSERT each, same driver)');
console.table(stores);
for (const i of inbox) {
  console.log(`\n## Inbox on ${i.store}: ${i.conversations} conversations, ${i.messages} messages, ${i.contacts} contacts (loaded in ${i.loadSeconds} s); ms`);
  console.table(i.queries);
  console.log(`Run by each hub by itself (not in goal 4, which is the panel's queries); ms`);
  console.table(i.background);
  console.log(`The panel's first load after ${QUIET_MS / 1000} s without a query (not in goal 4); ms`);
  console.table(i.afterQuiet);
}
console.log(`\n## ${panelPushResult.panels} agent panels open while ${panelPushResult.visitors} visitors chat`);
// The per-panel counts are in results.json; the table shows their minimum (conversationsListedPerPanel).
const { listedByPanel: _perPanel, restByPath, ...panelPushRow } = panelPushResult;
console.table([panelPushRow]);
console.table(restByPath);
printWidget(widgetLoadResult, lighthouseResult);
console.log('\n## Idle connections (one hub process)');
console.table(capacityRows);
console.log('\n## Bundles (kB)');
console.table(bundleRows);
console.log('\n## Goals');
console.table(goals.map((g) => ({ ...g, met: g.met === null ? 'not measured' : g.met ? 'yes' : 'NO' })));
process.exit(0);
