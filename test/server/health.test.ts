// `/health` reports how late the event loop runs: near zero when the hub is idle, the length of a stall when it
// stalls (an operator's first sign of an overloaded hub).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as wait } from 'node:timers/promises';
import type { Health } from '../../protocol/api.js';
import { startHub } from '../helpers/hub.js';

test("/health's event-loop delay is how late the loop ran, not the sampling interval", async (t) => {
  const h = await startHub(t);
  await h.api('GET', '/health'); // starts a fresh window
  // A window of about 30 samples (one every 10 ms) with nothing to do.
  await wait(300);
  const idle = (await h.api<Health>('GET', '/health')).body.eventLoopDelayMs;
  assert.ok(idle.p50 < 5, `an idle hub's median delay is ${idle.p50} ms`);

  // The hub runs in this process: a 60 ms stretch of work here stalls its loop as long. The sampler measures from
  // its previous sample, so it is given a few to start from in the new window.
  await wait(30);
  const until = performance.now() + 60;
  while (performance.now() < until);
  await wait(30);
  const stalled = (await h.api<Health>('GET', '/health')).body.eventLoopDelayMs;
  assert.ok(stalled.max >= 40 && stalled.max < 200, `a 60 ms stall reads as ${stalled.max} ms`);
});
