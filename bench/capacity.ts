/**
 * Idle visitor connections held by one hub process: memory per connection and event-loop delay. The goal is 50,000
 * (#16); a process here may open at most `ulimit -Hn` files (20,000 in this sandbox, and raising it is not
 * permitted), so the full run stops just below the limit and says so in the results.
 *
 * The baseline, measured at each step in the same run: the bare Socket.IO relay (bench/echo-server.ts), the same
 * library with nothing of ours, holding as many idle connections. It shows how much of a connection's memory is the
 * hub's own.
 *
 * Memory is read twice at each step, a second after the last connection and after a full garbage collection asked
 * through the process's inspector (test/helpers/inspector.ts), the base alike. The goal's figure is the second: what idle
 * connections hold. The first also counts the garbage of their handshakes, which V8 collects by itself once the
 * process has been idle for about half a minute (decisions.md, session 18).
 */
import { execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { type Socket, io } from 'socket.io-client';
import { spawnHub } from '../test/helpers/spawn-hub.mjs';
import { BENCH_ENV, health, inBatches, log, quick } from './common.js';
import { INSPECT, type Inspector, openInspector } from '../test/helpers/inspector.js';
import { startRelay } from './latency.js';

/** The most open files a process may have (the hub needs one per connection, plus its own). */
const hardLimit = execSync('sh -c "ulimit -Hn"').toString().trim();
export const FD_LIMIT = hardLimit === 'unlimited' ? Number.POSITIVE_INFINITY : Number(hardLimit) || 1024;
const HEADROOM = 1000;
const WARM_UP = 200;
const CEILING = FD_LIMIT - HEADROOM;
const WANTED = quick ? [1000, 2000] : [1000, 5000, 10000, 20000, 50000];
/** The wanted steps this machine allows and, when the limit stops short of the last, the most it allows. */
const CAPACITY_STEPS = [...WANTED.filter((n) => n <= CEILING), ...(WANTED.some((n) => n > CEILING) ? [Math.floor(CEILING / 1000) * 1000] : [])];

export interface CapacityRow {
  connections: number;
  rssMb: number;
  /** RSS growth per connection after a full collection (the goal's figure). */
  kbPerConnection: number;
  /** The same a second after the last connection, before the collection: with the handshakes' garbage. */
  kbPerConnectionUncollected: number;
  eventLoopP99Ms: number;
  /** The bare Socket.IO relay holding as many idle connections: its RSS growth per connection, after a collection. */
  bareSocketIoKbPerConnection: number;
  bareSocketIoKbPerConnectionUncollected: number;
}

/** RSS per connection, with and without the handshakes' garbage. */
interface Memory {
  collected: number;
  uncollected: number;
}

/** A process's resident memory, from /proc (the relay has no health route). */
function rssBytes(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb) * 1024;
}

/**
 * Opens connections up to each step in turn and calls `measure` at each, after a quiet second. A first batch is
 * opened and closed before, so that what a process sets up on its first connections (compiled code, grown heap
 * spaces) is not counted per connection: `base` is read after it.
 */
async function stepUp<T>(open: () => Promise<Socket>, base: () => Promise<void>, measure: (connections: number) => Promise<T>): Promise<T[]> {
  for (const s of await inBatches(WARM_UP, 200, open)) s.disconnect();
  await quietSecond();
  await base();
  const sockets: Socket[] = [];
  const rows: T[] = [];
  try {
    for (const step of CAPACITY_STEPS) {
      sockets.push(...(await inBatches(step - sockets.length, 200, open)));
      rows.push(await measure(sockets.length));
    }
  } finally {
    for (const s of sockets) s.disconnect();
  }
  return rows;
}

const quietSecond = () => new Promise((r) => setTimeout(r, 1000));

function connected(socket: Socket, event: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    socket.once(event, () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

/**
 * Reads a process's RSS a quiet second after the last connection and again after a full collection; `base` holds the
 * same two readings from before the connections were opened.
 */
async function readMemory(rss: () => Promise<number>, inspector: Inspector): Promise<Memory> {
  await quietSecond();
  const uncollected = await rss();
  await inspector.collectGarbage();
  return { collected: await rss(), uncollected };
}

const perConnection = (now: number, base: number, connections: number) => Number(((now - base) / connections / 1024).toFixed(1));

async function bareSocketIo(): Promise<Memory[]> {
  const relay = await startRelay(false, true);
  const inspector = await openInspector(relay.inspectorUrl ?? '');
  const rss = async () => rssBytes(relay.pid);
  try {
    let base: Memory = { collected: 0, uncollected: 0 };
    return await stepUp(
      () => connected(io(relay.url, { auth: { role: 'visitor' }, transports: ['websocket'], forceNew: true, reconnection: false }), 'connect'),
      async () => {
        base = await readMemory(rss, inspector);
      },
      async (connections) => {
        const now = await readMemory(rss, inspector);
        return {
          collected: perConnection(now.collected, base.collected, connections),
          uncollected: perConnection(now.uncollected, base.uncollected, connections),
        };
      },
    );
  } finally {
    inspector.close();
    relay.stop();
  }
}

export async function capacity(): Promise<CapacityRow[]> {
  const hub = await spawnHub({ env: { ...BENCH_ENV, NODE_OPTIONS: INSPECT }, bundled: true });
  const inspector = await openInspector(hub.inspectorUrl ?? '');
  const rss = async () => (await health(hub.url)).rssBytes;
  let base: Memory = { collected: 0, uncollected: 0 };
  let rows: Omit<CapacityRow, 'bareSocketIoKbPerConnection' | 'bareSocketIoKbPerConnectionUncollected'>[];
  try {
    rows = await stepUp(
      () => connected(io(`${hub.url}/visitor`, { auth: { site: 'demo' }, transports: ['websocket'], forceNew: true, reconnection: false }), 'session'),
      async () => {
        base = await readMemory(rss, inspector);
      },
      async (connections) => {
        const now = await readMemory(rss, inspector);
        await health(hub.url); // reset the delay histogram after the collection, then measure a quiet second
        await quietSecond();
        const h = await health(hub.url);
        const row = {
          connections,
          rssMb: Math.round(now.collected / 1e6),
          kbPerConnection: perConnection(now.collected, base.collected, connections),
          kbPerConnectionUncollected: perConnection(now.uncollected, base.uncollected, connections),
          eventLoopP99Ms: Number(h.eventLoopDelayMs.p99.toFixed(1)),
        };
        log(`  capacity ${connections}: ${JSON.stringify(row)}`);
        return row;
      },
    );
  } finally {
    inspector.close();
    await hub.stop('SIGKILL');
    hub.cleanup();
  }
  const bare = await bareSocketIo();
  log(`  bare Socket.IO kB per connection (collected / not): ${bare.map((m) => `${m.collected} / ${m.uncollected}`).join(', ')}`);
  return rows.map((row, i) => ({
    ...row,
    bareSocketIoKbPerConnection: bare[i]?.collected ?? Number.NaN,
    bareSocketIoKbPerConnectionUncollected: bare[i]?.uncollected ?? Number.NaN,
  }));
}
