/**
 * REDIS_PREFIX: hubs on one Redis server share rooms only with the hubs of their own prefix, so two deployments (or
 * two test files running at once: scripts/test-server.mjs) can use the same Redis without hearing each other.
 * scripts/test-server.mjs runs this file in its two-hub run (it needs TEST_REDIS_URL).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { DEFAULTS, loadConfig } from '../../server/config.js';
import { createClient } from 'redis';
import type { ConversationSummary, Message } from '../../protocol/types.js';
import { clientId, request, startHub } from '../helpers/hub.js';

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

test('a hub that never answers presence questions does not fail an agent reply: the visitor is shown offline', async (t) => {
  const prefix = `switchboard-test-${randomUUID()}`;
  const h = await startHub(t, { config: { redisUrl: redis, redisPrefix: prefix } });
  const { socket: visitor } = await h.visitor();
  const first = await request<{ message: Message }>(visitor, 'message:send', { clientId: clientId(), text: 'hello?' });
  const conversationId = first.data?.message.conversationId ?? '';
  visitor.disconnect(); // no socket of theirs on this hub: presence must ask the others
  const agent = await h.agentSocket(await h.login());
  const taken = await request(agent, 'message:send', { conversationId, clientId: clientId(), text: 'Hi, one moment' });
  assert.equal(taken.error, undefined);
  // A "hub" subscribed to the visitor namespace's request channel, as every hub is, that never answers (saturated,
  // or killed without unsubscribing): the adapter waits 5 s for it, then gives up.
  const silent = createClient({ url: redis });
  await silent.connect();
  t.after(() => silent.quit());
  await silent.subscribe(`${prefix}-request#/visitor#`, () => undefined);

  const reply = await request<{ message: Message; conversation: ConversationSummary }>(agent, 'message:send', {
    conversationId,
    clientId: clientId(),
    text: 'I am here',
  });
  assert.equal(reply.error, undefined, 'the reply is stored and acknowledged');
  assert.equal(reply.data?.message.text, 'I am here');
  assert.equal(reply.data?.conversation.visitor.online, false);
});
