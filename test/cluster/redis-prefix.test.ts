/**
 * REDIS_PREFIX: hubs on one Redis server share rooms only with the hubs of their own prefix, so two deployments (or
 * two test files running at once: scripts/test-server.mjs) can use the same Redis without hearing each other.
 * scripts/test-server.mjs runs this file in its two-hub run (it needs TEST_REDIS_URL).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { DEFAULTS, loadConfig } from '../../server/config.js';
import { startHub } from '../helpers/hub.js';

const redis = process.env.TEST_REDIS_URL;
if (!redis) throw new Error('TEST_REDIS_URL must be set (see .ci/services)');

test('REDIS_PREFIX names the channels; the Socket.IO default when unset', () => {
  assert.equal(loadConfig({}).redisPrefix, 'socket.io');
  assert.equal(DEFAULTS.redisPrefix, 'socket.io');
  assert.equal(loadConfig({ REDIS_PREFIX: ' shop-eu ' }).redisPrefix, 'shop-eu');
});

test('hubs on one Redis server see the agents online on the hubs of their prefix, not on the others', async (t) => {
  const prefix = `switchboard-test-${randomUUID()}`;
  const a = await startHub(t, { config: { redisUrl: redis, redisPrefix: prefix } });
  const b = await startHub(t, { config: { redisUrl: redis, redisPrefix: prefix } });
  const elsewhere = await startHub(t, { config: { redisUrl: redis } }); // its own prefix (test/helpers/hub.ts)
  const sam = await b.agent('agent', 'Sam');
  await b.agentSocket(sam.token);

  assert.deepEqual([...(await a.hub.services.broadcaster.onlineAgentIds())], [sam.id], 'hub A sees Sam, online on hub B');
  assert.equal(await a.hub.services.broadcaster.agentOnline(sam.id), true);
  assert.deepEqual([...(await elsewhere.hub.services.broadcaster.onlineAgentIds())], [], 'a hub with another prefix sees nobody');
  assert.equal(await elsewhere.hub.services.broadcaster.agentsOnline(), false);
});

test('a broadcast after close() (a disconnect handler finishing late) is not an unhandled rejection', async (t) => {
  const h = await startHub(t, { config: { redisUrl: redis } });
  await h.stop();
  // The Redis clients have quit: the adapter's publish fails, and must fail quietly.
  h.hub.services.broadcaster.agentPresence(randomUUID(), false);
});
