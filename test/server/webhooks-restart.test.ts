/**
 * A hub killed in the middle of a webhook's retries: a real hub process posts to a receiver that fails, is
 * SIGKILLed while the delivery waits for its retry, and a new hub process on the same database delivers it —
 * exactly once — when its retry is due. Runs on SQLite and, in the PostgreSQL pass, on PostgreSQL.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { io } from 'socket.io-client';
import type { WebhookDelivery, WebhookDeliveryPage } from '../../protocol/webhooks.js';
import { dropTestDatabase, testDatabaseUrl } from '../helpers/databases.mjs';
import type { VisitorSocket } from '../helpers/hub.js';
import { TEST_ADMIN, spawnHub } from '../helpers/spawn-hub.mjs';
import { startReceiver } from '../helpers/webhook-receiver.mjs';

async function api<T>(hubUrl: string, method: string, path: string, token?: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${hubUrl}${path}`, {
    method,
    headers: { ...(token && { authorization: `Bearer ${token}` }), ...(body !== undefined && { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as T };
}

/** Re-reads the hub's answer until `done` holds (the hub records an attempt right after the receiver answers). */
async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test('SIGKILL while a delivery waits for its retry: the next hub process on the same database delivers it exactly once', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-webhooks-'));
  const env = { DATABASE_URL: await testDatabaseUrl(dir), WEBHOOK_ALLOW_PRIVATE: '1', WEBHOOK_POLL_MS: '100' };
  const receiver = await startReceiver({ respond: () => 500 });
  let hub = await spawnHub({ dir, env });
  const sockets: VisitorSocket[] = [];
  t.after(async () => {
    for (const socket of sockets) socket.disconnect();
    await hub.stop();
    await receiver.close();
    await dropTestDatabase(dir);
    rmSync(dir, { recursive: true, force: true });
  });

  const login = async () => (await api<{ token: string }>(hub.url, 'POST', '/api/auth/login', undefined, TEST_ADMIN)).body.token;
  let admin = await login();
  const created = await api<{ id: string }>(hub.url, 'POST', '/api/webhooks', admin, { url: receiver.url, events: ['conversation.created'] });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const endpointId = created.body.id;
  const delivery = async () => (await api<WebhookDeliveryPage>(hub.url, 'GET', `/api/webhooks/${endpointId}/deliveries`, admin)).body.items[0];

  const visitor: VisitorSocket = io(`${hub.url}/visitor`, { auth: { site: 'demo' }, transports: ['websocket'], reconnection: false, forceNew: true });
  sockets.push(visitor);
  await new Promise((resolve) => visitor.once('session', resolve));
  const sent = await visitor.emitWithAck('message:send', { clientId: randomUUID(), text: 'will this reach the CRM?' });
  assert.ok(sent.data, JSON.stringify(sent.error));

  // The first attempt fails; once the hub recorded it, the delivery waits 10 s for its retry. Kill the hub then.
  await receiver.until(1);
  const waiting = await until(delivery, (d) => d?.status === 'pending' && d.attempts === 1, 'the first failure to be recorded');
  assert.ok(new Date(waiting?.nextAttemptAt ?? 0).getTime() > Date.now(), 'the retry is still to come');
  await hub.stop('SIGKILL');
  visitor.disconnect();

  receiver.respondWith(() => 200);
  hub = await spawnHub({ dir, env });
  admin = await login();
  await receiver.until(2);
  const done = (await until(delivery, (d) => d?.status === 'delivered', 'the retry to be recorded')) as WebhookDelivery;
  assert.equal(done.id, waiting?.id);
  assert.equal(done.attempts, 2);
  assert.equal(done.responseCode, 200);

  const ofDelivery = receiver.received.filter((r) => r.headers['switchboard-delivery'] === done.id);
  assert.deepEqual(
    ofDelivery.map((r) => r.status),
    [500, 200],
    'posted once before the kill (refused) and once after (accepted)',
  );
  assert.equal(receiver.received.length, 2, 'nothing else was posted');
  assert.ok((ofDelivery[1]?.at ?? 0) >= new Date(waiting?.nextAttemptAt ?? 0).getTime() - 5, 'the retry waited for its backoff');
});
