/**
 * Two hub processes on one PostgreSQL database (and Redis), both running their webhook workers every 50 ms and
 * kicking them as they store deliveries: visitors write on both hubs, and the receiver gets every delivery, each
 * delivery id exactly once. scripts/test-server.mjs runs this file in its two-hub run.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { io } from 'socket.io-client';
import type { Message } from '../../protocol/types.js';
import { WEBHOOK_EVENTS, type WebhookDelivery, type WebhookDeliveryPage } from '../../protocol/webhooks.js';
import { dropTestDatabase, testDatabaseUrl } from '../helpers/databases.mjs';
import type { VisitorSocket } from '../helpers/hub.js';
import { type SpawnedHub, TEST_ADMIN, spawnHub } from '../helpers/spawn-hub.mjs';
import { type Receiver, startReceiver } from '../helpers/webhook-receiver.mjs';
import { api } from '../helpers/remote-hub.js';

const postgres = process.env.TEST_POSTGRES_URL;
const redis = process.env.TEST_REDIS_URL;
if (!postgres || !redis) throw new Error('TEST_POSTGRES_URL and TEST_REDIS_URL must be set (see .ci/services)');

const VISITORS = 24;

const dir = mkdtempSync(join(tmpdir(), 'switchboard-webhooks-cluster-'));
let hubA: SpawnedHub;
let hubB: SpawnedHub;
let receiver: Receiver;
const sockets: VisitorSocket[] = [];

before(async () => {
  receiver = await startReceiver();
  const env = {
    DATABASE_URL: await testDatabaseUrl(dir, postgres),
    REDIS_URL: redis,
    REDIS_PREFIX: `switchboard-test-${randomUUID()}`,
    WEBHOOK_ALLOW_PRIVATE: '1',
    WEBHOOK_POLL_MS: '50',
    MESSAGES_PER_MINUTE: '600',
  };
  hubA = await spawnHub({ env });
  hubB = await spawnHub({ env }); // after A, so migrations have run once
});

after(async () => {
  for (const socket of sockets) socket.disconnect();
  await Promise.all([hubA?.stop(), hubB?.stop()]);
  hubA?.cleanup();
  hubB?.cleanup();
  await receiver?.close();
  await dropTestDatabase(dir, postgres);
  rmSync(dir, { recursive: true, force: true });
});

/** A visitor on `hubUrl` writes once and waits for the bot's answer (so every event of theirs is stored). */
async function visitorWrites(hubUrl: string, text: string): Promise<void> {
  const socket: VisitorSocket = io(`${hubUrl}/visitor`, { auth: { site: 'demo' }, transports: ['websocket'], reconnection: false, forceNew: true });
  sockets.push(socket);
  await new Promise((resolve) => socket.once('session', resolve));
  const answered = new Promise<void>((resolve) => socket.on('message:new', (m: Message) => m.author === 'bot' && resolve()));
  const sent = await socket.emitWithAck('message:send', { clientId: randomUUID(), text });
  assert.ok(sent.data, JSON.stringify(sent.error));
  await answered;
}

test('two hubs, one database: every webhook delivery is posted, each delivery id exactly once', async () => {
  const admin = (await api<{ token: string }>(hubA.url, 'POST', '/api/auth/login', undefined, TEST_ADMIN)).body.token;
  const created = await api<{ id: string }>(hubB.url, 'POST', '/api/webhooks', admin, { url: receiver.url, events: WEBHOOK_EVENTS });
  assert.equal(created.status, 201, JSON.stringify(created.body));

  await Promise.all(Array.from({ length: VISITORS }, (_, i) => visitorWrites(i % 2 === 0 ? hubA.url : hubB.url, `order ${i} please`)));

  // Every event is stored by now: per visitor contact.created, conversation.created and two message.created.
  const all = async (): Promise<WebhookDelivery[]> => {
    const items: WebhookDelivery[] = [];
    let cursor: string | undefined;
    do {
      const page = await api<WebhookDeliveryPage>(
        hubA.url,
        'GET',
        `/api/webhooks/${created.body.id}/deliveries?limit=100${cursor ? `&cursor=${cursor}` : ''}`,
        admin,
      );
      items.push(...page.body.items);
      cursor = page.body.next;
    } while (cursor);
    return items;
  };
  const stored = await all();
  assert.equal(stored.length, VISITORS * 4);
  await receiver.until(stored.length);
  // The last answers were received; give their hubs the moment to record them (re-read until settled).
  let settled = stored;
  for (let i = 0; i < 200 && settled.some((d) => d.status !== 'delivered'); i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    settled = await all();
  }
  assert.deepEqual(
    settled.filter((d) => d.status !== 'delivered' || d.attempts !== 1),
    [],
    'every delivery delivered at its first attempt',
  );

  const ids = receiver.received.map((r) => String(r.headers['switchboard-delivery']));
  const counts = new Map<string, number>();
  for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
  assert.deepEqual(
    [...counts].filter(([, n]) => n > 1),
    [],
    'no delivery id posted twice',
  );
  assert.deepEqual(new Set(ids), new Set(settled.map((d) => d.id)));
  assert.equal(receiver.received.length, stored.length);
  console.log(`two hubs: ${stored.length} deliveries, each posted once`);
});
