/**
 * Outgoing webhooks against real HTTP receivers (node:http on loopback), with the hub's manual clock: every event
 * type arrives signed (checked with the README's own verification code), retries back off and end delivered or,
 * after 24 h, failed; resend; loopback targets are refused unless allowed; admins only; contact events follow real
 * changes. Leases and several workers: webhook-workers.test.ts. Runs on SQLite and, in the PostgreSQL pass, on
 * PostgreSQL.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { Message } from '../../protocol/types.js';
import type { WebhookDelivery, WebhookEndpoint, WebhookEventType, WebhookPayload } from '../../protocol/webhooks.js';
import { WEBHOOK_EVENTS } from '../../protocol/webhooks.js';
import { RETRY_WINDOW_MS } from '../../server/rules/webhooks.js';
import { clientId, next, request, startHub } from '../helpers/hub.js';
import type { Receiver } from '../helpers/webhook-receiver.mjs';
import { deliveries, endpoint, header, queueDepth, receiver, visitorSays } from '../helpers/webhooks.js';

type Verify = (rawBody: string | Buffer, header: string | undefined, secret: string, toleranceSeconds?: number) => WebhookPayload;

/** The README's verification sample, run as written (the code block after the `verify-webhook` marker). */
let verifyWebhook: Verify;
const sampleDir = mkdtempSync(join(tmpdir(), 'switchboard-readme-'));
before(async () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const code = /<!-- verify-webhook[^>]*-->\s*```js\n([\s\S]*?)```/.exec(readme)?.[1];
  assert.ok(code, 'README has the verification sample');
  const file = join(sampleDir, 'verify.mjs');
  writeFileSync(file, code);
  ({ verifyWebhook } = (await import(pathToFileURL(file).href)) as { verifyWebhook: Verify });
});
after(() => rmSync(sampleDir, { recursive: true, force: true }));

test('every event type arrives once, signed as the README verifies it, with its event and delivery headers', async (t) => {
  const h = await startHub(t, { config: { webhookAllowPrivate: true } });
  const admin = await h.login();
  const r = await receiver();
  const hook = await endpoint(h, admin, r.url, WEBHOOK_EVENTS);

  // contact.created (the page identifies the visitor), conversation.created, message.created (visitor, then the bot).
  const { socket, message } = await visitorSays(h, 'hello there');
  const conversationId = message.conversationId;
  // conversation.escalated: the visitor asks for a person; the bot's handoff answer is a bot message.
  const { handoffText } = (await h.api<{ handoffText: string }>('GET', '/api/settings', { token: admin })).body;
  const handoff = next<Message>(socket, 'message:new', (m) => m.author === 'bot' && m.text === handoffText);
  await request(socket, 'message:send', { clientId: clientId(), text: 'I want to talk to a human' });
  await handoff;
  // conversation.claimed, message.created (agent), conversation.closed.
  const adminSocket = await h.agentSocket(admin);
  const replied = await request(adminSocket, 'message:send', { conversationId, clientId: clientId(), text: 'Hi, Ana here' });
  assert.ok(!replied.error, JSON.stringify(replied.error));
  assert.equal((await h.api('POST', `/api/conversations/${conversationId}/close`, { token: admin, body: {} })).status, 200);
  // contact.updated, contact.deleted.
  const contactId = (await h.api<{ conversation: { contactId: string } }>('GET', `/api/conversations/${conversationId}`, { token: admin })).body.conversation
    .contactId;
  assert.equal((await h.api('PATCH', `/api/contacts/${contactId}`, { token: admin, body: { tags: ['vip'] } })).status, 200);
  assert.equal((await h.api('DELETE', `/api/contacts/${contactId}`, { token: admin })).status, 200);

  const stored = (await deliveries(h, admin, hook.id, '?limit=100')).items;
  assert.ok(
    stored.every((d) => d.status === 'pending' && d.attempts === 0),
    'stored, not yet posted',
  );
  assert.equal(await h.hub.services.webhooks.runDue(), stored.length);
  assert.equal(r.received.length, stored.length);

  const byType = new Map<string, WebhookPayload[]>();
  for (const request of r.received) {
    const event = verifyWebhook(request.body, header(request, 'Switchboard-Signature'), hook.secret);
    assert.equal(header(request, 'Switchboard-Event'), event.type);
    assert.match(header(request, 'content-type'), /^application\/json/);
    byType.set(event.type, [...(byType.get(event.type) ?? []), event]);
  }
  assert.deepEqual([...byType.keys()].sort(), [...WEBHOOK_EVENTS].sort(), 'every event type arrived');
  // A tampered body or another secret fails the README's check.
  const first = r.received[0] as Receiver['received'][number];
  assert.throws(() => verifyWebhook(first.body.replace('"type"', '"typ3"'), header(first, 'Switchboard-Signature'), hook.secret), /Bad/);
  assert.throws(() => verifyWebhook(first.body, header(first, 'Switchboard-Signature'), 'whsec_other'), /Bad/);
  const stale = header(first, 'Switchboard-Signature').replace(/t=\d+/, (m) => `t=${Number(m.slice(2)) - 600}`);
  assert.throws(() => verifyWebhook(first.body, stale, hook.secret), /tolerance/);

  // Each delivery id arrived once, and is the delivery the hub lists as delivered with the answer's status.
  const ids = r.received.map((request) => header(request, 'Switchboard-Delivery'));
  assert.equal(new Set(ids).size, ids.length);
  const after = (await deliveries(h, admin, hook.id, '?limit=100')).items;
  assert.deepEqual(new Set(after.map((d) => d.id)), new Set(ids));
  assert.ok(after.every((d) => d.status === 'delivered' && d.attempts === 1 && d.responseCode === 200 && d.nextAttemptAt === null));

  const authors = (byType.get('message.created') ?? []).map((e) => (e.type === 'message.created' ? e.data.message.author : null));
  assert.ok(authors.includes('visitor') && authors.includes('agent') && authors.includes('bot'), `authors: ${authors}`);
  assert.ok(!authors.includes('system'), 'no system lines');
  const payload = <K extends WebhookEventType>(type: K) => byType.get(type)?.[0] as Extract<WebhookPayload, { type: K }>;
  assert.equal(payload('conversation.created').data.conversation.id, conversationId);
  assert.equal(payload('conversation.escalated').data.conversation.botStatus, 'need_help');
  assert.equal(payload('conversation.claimed').data.agent.name, 'Admin');
  assert.equal(payload('conversation.closed').data.conversation.state, 'closed');
  assert.equal(payload('contact.created').data.contact.name, 'Wendy');
  assert.ok((byType.get('contact.updated') ?? []).some((e) => e.type === 'contact.updated' && e.data.contact.tags.includes('vip')));
  assert.deepEqual(payload('contact.deleted').data, { contact: { id: contactId, siteId: 'demo' }, reason: 'erased', mergedInto: null });
  assert.equal(byType.get('conversation.created')?.length, 1);
  assert.equal(byType.get('conversation.escalated')?.length, 1);
  socket.disconnect();
});

test('a receiver that answers 500 twice then 200 gets the delivery three times, backing off, and it ends delivered', async (t) => {
  const h = await startHub(t, { config: { webhookAllowPrivate: true } });
  const admin = await h.login();
  const r = await receiver({ respond: ({ index }) => (index < 2 ? 500 : 200) });
  const hook = await endpoint(h, admin, r.url, ['conversation.created']);
  await visitorSays(h, 'first message');
  const runner = h.hub.services.webhooks;
  assert.equal(await queueDepth(h), 1);

  assert.equal(await runner.runDue(), 1);
  let [delivery] = (await deliveries(h, admin, hook.id)).items as [WebhookDelivery];
  assert.equal(delivery.status, 'pending');
  assert.equal(delivery.attempts, 1);
  assert.equal(delivery.responseCode, 500);
  assert.match(delivery.error ?? '', /^HTTP 500: receiver says no/);
  assert.equal(delivery.nextAttemptAt, new Date(h.clock.now().getTime() + 10_000).toISOString());
  assert.equal(await runner.runDue(), 0, 'not due before its backoff');

  h.clock.advance(10_000);
  assert.equal(await runner.runDue(), 1);
  [delivery] = (await deliveries(h, admin, hook.id)).items as [WebhookDelivery];
  assert.equal(delivery.attempts, 2);
  assert.equal(delivery.nextAttemptAt, new Date(h.clock.now().getTime() + 30_000).toISOString(), 'the second wait is longer');
  h.clock.advance(29_999);
  assert.equal(await runner.runDue(), 0);
  h.clock.advance(1);
  assert.equal(await runner.runDue(), 1);

  [delivery] = (await deliveries(h, admin, hook.id)).items as [WebhookDelivery];
  assert.equal(delivery.status, 'delivered');
  assert.equal(delivery.attempts, 3);
  assert.equal(delivery.responseCode, 200);
  assert.equal(delivery.error, null);
  assert.equal(delivery.nextAttemptAt, null);
  assert.equal(r.received.length, 3);
  assert.deepEqual(
    r.received.map((request) => header(request, 'Switchboard-Delivery')),
    [delivery.id, delivery.id, delivery.id],
    'each retry carries the same delivery id',
  );
  for (const request of r.received) verifyWebhook(request.body, header(request, 'Switchboard-Signature'), hook.secret);
  assert.equal(await queueDepth(h), 0);
  h.clock.advance(RETRY_WINDOW_MS);
  assert.equal(await runner.runDue(), 0, 'nothing more once delivered');
});

test('after 24 h of failures the delivery is failed; resend posts it again with a new delivery id and the same event', async (t) => {
  // The admin's token outlives the day the test moves through.
  const h = await startHub(t, { config: { webhookAllowPrivate: true, agentTokenHours: 100 } });
  const admin = await h.login();
  const r = await receiver({ respond: () => 503 });
  const hook = await endpoint(h, admin, r.url, ['conversation.created']);
  await visitorSays(h, 'anyone?');
  const runner = h.hub.services.webhooks;
  const created = h.clock.now().getTime();

  const waits: number[] = [];
  let delivery: WebhookDelivery | undefined;
  for (let round = 0; round < 50; round++) {
    assert.equal(await runner.runDue(), 1);
    [delivery] = (await deliveries(h, admin, hook.id)).items;
    if (delivery?.status !== 'pending') break;
    const nextAt = new Date(delivery.nextAttemptAt ?? '').getTime();
    waits.push(nextAt - h.clock.now().getTime());
    h.clock.set(new Date(nextAt));
  }
  assert.equal(delivery?.status, 'failed');
  assert.equal(delivery?.nextAttemptAt, null);
  assert.equal(delivery?.responseCode, 503);
  assert.equal(h.clock.now().getTime() - created, RETRY_WINDOW_MS, 'the last attempt is 24 h after the event');
  assert.deepEqual(waits.slice(0, 8), [10_000, 30_000, 60_000, 300_000, 900_000, 3_600_000, 7_200_000, 14_400_000]);
  assert.ok(
    waits.every((w, i) => i === 0 || w >= (waits[i - 1] ?? 0) || i === waits.length - 1),
    'waits grow until the 24 h mark',
  );
  assert.equal(delivery?.attempts, r.received.length);
  assert.equal(r.received.length, waits.length + 1);
  h.clock.advance(RETRY_WINDOW_MS);
  assert.equal(await runner.runDue(), 0, 'a failed delivery is not retried');

  // Resend: a new delivery of the same event.
  r.respondWith(() => 204);
  const resent = await h.api<WebhookDelivery>('POST', `/api/webhooks/deliveries/${delivery?.id}/resend`, { token: admin });
  assert.equal(resent.status, 201, JSON.stringify(resent.body));
  assert.equal(resent.body.resendOf, delivery?.id);
  assert.equal(resent.body.eventId, delivery?.eventId);
  assert.notEqual(resent.body.id, delivery?.id);
  assert.equal(resent.body.status, 'pending');
  assert.equal(await runner.runDue(), 1);
  const last = r.received.at(-1) as Receiver['received'][number];
  assert.equal(header(last, 'Switchboard-Delivery'), resent.body.id);
  const event = verifyWebhook(last.body, header(last, 'Switchboard-Signature'), hook.secret);
  assert.equal(event.id, delivery?.eventId);
  assert.equal(last.body, (r.received[0] as Receiver['received'][number]).body, 'the same body');
  const page = (await deliveries(h, admin, hook.id)).items;
  assert.deepEqual(
    page.map((d) => [d.id, d.status, d.attempts]),
    [
      [resent.body.id, 'delivered', 1],
      [delivery?.id, 'failed', delivery?.attempts],
    ],
    'latest first',
  );
  assert.equal((await h.api('POST', '/api/webhooks/deliveries/dlv_nope/resend', { token: admin })).status, 404);
});

test('deliveries are paged latest first; a disabled endpoint gets nothing; deleting an endpoint drops its queue', async (t) => {
  const h = await startHub(t, { config: { webhookAllowPrivate: true } });
  const admin = await h.login();
  const r = await receiver();
  const hook = await endpoint(h, admin, r.url, ['conversation.created', 'conversation.created'] as WebhookEventType[]);
  assert.deepEqual(hook.events, ['conversation.created'], 'events once each');
  const conversations: string[] = [];
  for (const name of ['Ann', 'Ben', 'Cat']) {
    conversations.push((await visitorSays(h, `hi from ${name}`, name)).message.conversationId);
    h.clock.advance(1000);
  }
  const first = await deliveries(h, admin, hook.id, '?limit=2');
  assert.equal(first.items.length, 2);
  assert.ok(first.next);
  const second = await deliveries(h, admin, hook.id, `?limit=2&cursor=${first.next}`);
  assert.equal(second.items.length, 1);
  assert.equal(second.next, undefined);
  const order = [...first.items, ...second.items].map((d) => (d.payload.type === 'conversation.created' ? d.payload.data.conversation.id : ''));
  assert.deepEqual(order, [...conversations].reverse());
  assert.equal((await h.api('GET', `/api/webhooks/${hook.id}/deliveries?cursor=garbage`, { token: admin })).status, 400);

  // Disabled: queued deliveries wait, new events make none.
  const off = await h.api<WebhookEndpoint>('PATCH', `/api/webhooks/${hook.id}`, { token: admin, body: { enabled: false } });
  assert.equal(off.body.enabled, false);
  await visitorSays(h, 'while disabled', 'Dan');
  assert.equal((await deliveries(h, admin, hook.id, '?limit=100')).items.length, 3);
  assert.equal(await h.hub.services.webhooks.runDue(), 0);
  assert.equal(r.received.length, 0);

  // Rotating the secret: what is posted from now on is signed with the new one.
  const rotated = await h.api<WebhookEndpoint>('PATCH', `/api/webhooks/${hook.id}`, { token: admin, body: { enabled: true, rotateSecret: true } });
  assert.notEqual(rotated.body.secret, hook.secret);
  assert.match(rotated.body.secret, /^whsec_[A-Za-z0-9_-]{43}$/);
  assert.equal(await h.hub.services.webhooks.runDue(), 3);
  for (const request of r.received) verifyWebhook(request.body, header(request, 'Switchboard-Signature'), rotated.body.secret);

  await visitorSays(h, 'one more', 'Eve');
  assert.equal(await queueDepth(h), 1);
  assert.equal((await h.api('DELETE', `/api/webhooks/${hook.id}`, { token: admin })).status, 200);
  assert.equal(await queueDepth(h), 0);
  assert.equal((await h.api('GET', `/api/webhooks/${hook.id}/deliveries`, { token: admin })).status, 404);
  assert.deepEqual((await h.api<{ items: unknown[] }>('GET', '/api/webhooks', { token: admin })).body.items, []);
});

test('loopback and private targets are refused (400) unless allowed; a target that became private is refused at delivery', async (t) => {
  const h = await startHub(t);
  const admin = await h.login();
  const r = await receiver();
  const port = new URL(r.url).port;
  const refused = [
    r.url,
    `https://127.0.0.1:${port}/hook`,
    `https://localhost:${port}/hook`,
    `https://[::1]:${port}/hook`,
    `https://[::ffff:127.0.0.1]:${port}/hook`,
    'https://10.0.0.8/hook',
    'https://169.254.169.254/latest/meta-data',
    'https://[fe80::1]/hook',
    'https://[fd00::1]/hook',
    'https://2130706433/hook',
    'https://user:pass@example.com/hook',
    'ftp://example.com/hook',
    'not a url',
  ];
  for (const url of refused) {
    const res = await h.api<{ code: string; field?: string; message: string }>('POST', '/api/webhooks', {
      token: admin,
      body: { url, events: ['message.created'] },
    });
    assert.equal(res.status, 400, `${url}: ${JSON.stringify(res.body)}`);
    assert.equal(res.body.field, 'url', url);
  }
  assert.equal((await h.api('POST', '/api/webhooks', { token: admin, body: { url: 'https://example.com/hook', events: [] } })).status, 400);
  assert.equal((await h.api('POST', '/api/webhooks', { token: admin, body: { url: 'https://example.com/hook', events: ['nope'] } })).status, 400);
  assert.deepEqual((await h.api('GET', '/api/webhooks/settings', { token: admin })).body, { allowPrivateTargets: false, allowedByServer: false });

  // The admin setting allows internal receivers (plain http, loopback).
  const allowed = await h.api('PUT', '/api/webhooks/settings', { token: admin, body: { allowPrivateTargets: true } });
  assert.deepEqual(allowed.body, { allowPrivateTargets: true, allowedByServer: false });
  const hook = await endpoint(h, admin, r.url, ['conversation.created']);
  const patched = await h.api<{ field?: string }>('PATCH', `/api/webhooks/${hook.id}`, { token: admin, body: { url: 'https://[::ffff:7f00:1]/x' } });
  assert.equal(patched.status, 200, 'allowed now');
  await h.api('PATCH', `/api/webhooks/${hook.id}`, { token: admin, body: { url: r.url } });

  // Turned off again: the stored endpoint is refused when its delivery is attempted, and nothing reaches it.
  await h.api('PUT', '/api/webhooks/settings', { token: admin, body: { allowPrivateTargets: false } });
  await visitorSays(h, 'private?');
  assert.equal(await h.hub.services.webhooks.runDue(), 1);
  const [delivery] = (await deliveries(h, admin, hook.id)).items;
  assert.equal(delivery?.status, 'pending');
  assert.equal(delivery?.responseCode, null);
  assert.match(delivery?.error ?? '', /^Refused: /);
  assert.equal(r.received.length, 0);
  const patchBack = await h.api<{ field?: string }>('PATCH', `/api/webhooks/${hook.id}`, { token: admin, body: { url: `https://localhost:${port}/x` } });
  assert.equal(patchBack.status, 400);
  assert.equal(patchBack.body.field, 'url');
});

test('webhooks are for admins only: an agent gets 403 on every route', async (t) => {
  const h = await startHub(t, { config: { webhookAllowPrivate: true } });
  const admin = await h.login();
  const agent = await h.agent('agent');
  const r = await receiver();
  const hook = await endpoint(h, admin, r.url, ['conversation.created']);
  await visitorSays(h, 'hi');
  const [delivery] = (await deliveries(h, admin, hook.id)).items;
  const calls: [string, string, unknown?][] = [
    ['GET', '/api/webhooks'],
    ['POST', '/api/webhooks', { url: r.url, events: ['message.created'] }],
    ['PATCH', `/api/webhooks/${hook.id}`, { enabled: false }],
    ['DELETE', `/api/webhooks/${hook.id}`],
    ['GET', `/api/webhooks/${hook.id}/deliveries`],
    ['POST', `/api/webhooks/deliveries/${delivery?.id}/resend`],
    ['GET', '/api/webhooks/settings'],
    ['PUT', '/api/webhooks/settings', { allowPrivateTargets: true }],
  ];
  for (const [method, path, body] of calls) {
    const res = await h.api<{ code: string }>(method, path, { token: agent.token, body });
    assert.equal(res.status, 403, `${method} ${path}`);
    assert.equal(res.body.code, 'forbidden');
  }
  // Nothing changed.
  const [still] = (await h.api<{ items: WebhookEndpoint[] }>('GET', '/api/webhooks', { token: admin })).body.items;
  assert.equal(still?.enabled, true);
  assert.equal((await deliveries(h, admin, hook.id)).items.length, 1);
});

test('contact events follow real changes: the same page data again is none; new data, a merge and New chat are sent', async (t) => {
  const h = await startHub(t, { config: { webhookAllowPrivate: true } });
  const admin = await h.login();
  const r = await receiver();
  const hook = await endpoint(h, admin, r.url, WEBHOOK_EVENTS);
  const types = async () => {
    await h.hub.services.webhooks.runDue();
    return r.received.splice(0).map((request) => verifyWebhook(request.body, header(request, 'Switchboard-Signature'), hook.secret));
  };

  const first = await visitorSays(h, 'hello', 'Zoe');
  const same = await request(first.socket, 'user:update', { userData: { first_name: 'Zoe' } });
  assert.ok(!same.error, JSON.stringify(same.error));
  const opened = (await types()).map((e) => e.type);
  assert.deepEqual(
    opened.filter((type) => type.startsWith('contact.')),
    ['contact.created'],
    'the same data again changed nothing',
  );

  const changed = await request(first.socket, 'user:update', { userData: { first_name: 'Zoe', email: 'zoe@example.com' } });
  assert.ok(!changed.error, JSON.stringify(changed.error));
  const updated = await types();
  assert.deepEqual(
    updated.map((e) => e.type),
    ['contact.updated'],
  );
  assert.equal(updated[0]?.type === 'contact.updated' && updated[0].data.contact.email, 'zoe@example.com');

  // Merge: the other contact is deleted (merged into), the kept one updated.
  const other = await visitorSays(h, 'hi, me again', 'Zoë');
  await types();
  const contactOf = async (conversationId: string) =>
    (await h.api<{ conversation: { contactId: string } }>('GET', `/api/conversations/${conversationId}`, { token: admin })).body.conversation.contactId;
  const keep = await contactOf(first.message.conversationId);
  const gone = await contactOf(other.message.conversationId);
  assert.equal((await h.api('POST', `/api/contacts/${keep}/merge`, { token: admin, body: { otherId: gone } })).status, 200);
  const merged = await types();
  // Posted in parallel: no order between them.
  assert.deepEqual(merged.map((e) => e.type).sort(), ['contact.deleted', 'contact.updated']);
  assert.deepEqual(merged.find((e) => e.type === 'contact.deleted')?.data, { contact: { id: gone, siteId: 'demo' }, reason: 'merged', mergedInto: keep });

  // New chat: an outgoing conversation.created, then the agent's message.created.
  for (const conversationId of [first.message.conversationId, other.message.conversationId])
    await h.api('POST', `/api/conversations/${conversationId}/close`, { token: admin, body: {} });
  await types();
  const chat = await h.api('POST', `/api/contacts/${keep}/conversations`, { token: admin, body: { text: 'Your parcel left today' } });
  assert.equal(chat.status, 201, JSON.stringify(chat.body));
  const started = await types();
  const created = started.find((e) => e.type === 'conversation.created');
  assert.equal(created?.type === 'conversation.created' && created.data.conversation.outgoing, true);
  assert.ok(started.some((e) => e.type === 'message.created' && e.data.message.author === 'agent' && e.data.message.text === 'Your parcel left today'));
  first.socket.disconnect();
  other.socket.disconnect();
});
