/**
 * Webhook delivery workers sharing one queue: a claim is leased, so a hub that died mid-post loses its deliveries to
 * the next worker after 30 s (and cannot record over it), and two hubs on one database post each delivery once. Real
 * HTTP receivers on loopback, the hub's manual clock; SQLite and, in the PostgreSQL pass, PostgreSQL.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startHub } from '../helpers/hub.js';
import { deliveries, endpoint, header, queueDepth, receiver, visitorSays } from '../helpers/webhooks.js';

test('a claim whose worker died is taken over when its 30 s lease expires; the dead worker cannot record over it', async (t) => {
  const h = await startHub(t, { config: { webhookAllowPrivate: true } });
  const admin = await h.login();
  const r = await receiver();
  const hook = await endpoint(h, admin, r.url, ['conversation.created']);
  await visitorSays(h, 'lease test');
  const now = h.clock.now();
  // Another hub claims it, then dies before posting.
  const claimed = await h.hub.store.webhooks.claimDue(now.toISOString(), new Date(now.getTime() + 30_000).toISOString(), 'dead-hub', 10);
  assert.equal(claimed.length, 1);
  assert.equal(await h.hub.services.webhooks.runDue(), 0, 'leased to the other hub');
  assert.equal(await queueDepth(h), 1, 'sending counts in the queue');
  h.clock.advance(30_000);
  assert.equal(await h.hub.services.webhooks.runDue(), 1);
  assert.equal(r.received.length, 1);
  assert.equal(await h.hub.store.webhooks.finish(claimed[0]?.id ?? '', 'dead-hub', { status: 'failed' }), false);
  const [delivery] = (await deliveries(h, admin, hook.id)).items;
  assert.equal(delivery?.status, 'delivered');
});

test('two hubs on one database run their workers at once: each delivery is claimed and posted by one of them', async (t) => {
  const h = await startHub(t, { config: { webhookAllowPrivate: true } });
  const other = await startHub(t, { dir: h.dir, clock: h.clock, config: { webhookAllowPrivate: true } });
  const admin = await h.login();
  const r = await receiver();
  await endpoint(h, admin, r.url, ['contact.deleted']);
  const events = Array.from({ length: 60 }, (_, i) => ({
    type: 'contact.deleted' as const,
    data: () => ({ contact: { id: `c${i}`, siteId: 'demo' }, reason: 'empty' as const, mergedInto: null }),
  }));
  assert.equal(await h.hub.services.webhooks.record(h.hub.store.db, events), 60);
  // One claim takes at most its batch (PostgreSQL once claimed them all: its IN-subquery ran again for each row).
  const now = h.clock.now();
  const few = await h.hub.store.webhooks.claimDue(now.toISOString(), now.toISOString(), 'probe', 5);
  assert.equal(few.length, 5);
  // Given back (as a worker records a failure), due at once again.
  for (const d of few) assert.equal(await h.hub.store.webhooks.finish(d.id, 'probe', { status: 'pending' }), true);
  const [a, b] = await Promise.all([h.hub.services.webhooks.runDue(), other.hub.services.webhooks.runDue()]);
  assert.equal((a ?? 0) + (b ?? 0), 60, `attempts: ${a} + ${b}`);
  console.log(`two workers on one database: ${a} + ${b} attempts`);
  const ids = r.received.map((request) => header(request, 'Switchboard-Delivery'));
  assert.equal(ids.length, 60);
  assert.equal(new Set(ids).size, 60);
  assert.equal(await queueDepth(h), 0);
});
