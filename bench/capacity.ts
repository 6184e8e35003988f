/**
 * Idle visitor connections held by one hub process: memory per connection and event-loop delay. The goal is 50,000
 * (#16); a process here may open at most `ulimit -Hn` files (20,000 in this sandbox, and raising it is not
 * permitted), so the full run stops just below the limit and says so in the results.
 */
import { execSync } from 'node:child_process';
import { type Socket, io } from 'socket.io-client';
import { spawnHub } from '../test/helpers/spawn-hub.mjs';
import { BENCH_ENV, health, inBatches, log, quick } from './common.js';

/** The most open files a process may have (the hub needs one per connection, plus its own). */
const hardLimit = execSync('sh -c "ulimit -Hn"').toString().trim();
export const FD_LIMIT = hardLimit === 'unlimited' ? Number.POSITIVE_INFINITY : Number(hardLimit) || 1024;
const HEADROOM = 1000;
const CAPACITY_STEPS = (quick ? [1000, 2000] : [1000, 5000, 10000, 20000, 50000]).filter((n) => n <= FD_LIMIT - HEADROOM);

export interface CapacityRow {
  connections: number;
  rssMb: number;
  kbPerConnection: number;
  eventLoopP99Ms: number;
}

export async function capacity(): Promise<CapacityRow[]> {
  const hub = await spawnHub({ env: BENCH_ENV });
  const base = (await health(hub.url)).rssBytes;
  const sockets: Socket[] = [];
  const rows: CapacityRow[] = [];
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
