/**
 * Operations endpoints: `/metrics` in the Prometheus text format with the hub's series, readable from
 * loopback or with METRICS_TOKEN only; `/ready` says whether the store (and Redis) answer.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Message } from '../../protocol/types.js';
import { clientId, next, request, startHub } from '../helpers/hub.js';

/** Samples of a Prometheus text exposition (format 0.0.4): `name{label="v",…} value`, comments skipped. */
function parse(text: string): { name: string; labels: Record<string, string>; value: number }[] {
  const samples: { name: string; labels: Record<string, string>; value: number }[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    assert.ok(match, `not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[key as string] = value as string;
    const value = Number(match[3] === '+Inf' ? Infinity : match[3]);
    assert.ok(!Number.isNaN(value), `not a number: ${line}`);
    samples.push({ name: match[1] as string, labels, value });
  }
  return samples;
}

const value = (samples: ReturnType<typeof parse>, name: string, labels: Record<string, string> = {}) =>
  samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;

test('/metrics exposes connections, messages by author and direction, latencies, queues, event-loop delay and sweeps', async (t) => {
  const h = await startHub(t);
  const admin = await h.login();
  const agent = await h.agentSocket(admin);
  const { socket } = await h.visitor();
  const botAnswer = next<Message>(socket, 'message:new', (m) => m.author === 'bot');
  const sent = await request<{ message: Message }>(socket, 'message:send', { clientId: clientId(), text: 'zzz no faq matches this' });
  const conversationId = sent.data?.message.conversationId as string;
  await botAnswer;
  const reply = next<Message>(socket, 'message:new', (m) => m.author === 'agent');
  await request(agent, 'message:send', { conversationId, clientId: clientId(), text: 'Hello, I am here' });
  await reply;
  await h.hub.sweep();

  const res = await fetch(`${h.url}/metrics`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  const samples = parse(await res.text());
  assert.equal(value(samples, 'switchboard_connected_visitors'), 1);
  assert.equal(value(samples, 'switchboard_connected_agents'), 1);
  assert.equal(value(samples, 'switchboard_messages_total', { direction: 'in', author: 'visitor' }), 1);
  assert.equal(value(samples, 'switchboard_messages_total', { direction: 'in', author: 'agent' }), 1);
  assert.equal(value(samples, 'switchboard_messages_total', { direction: 'out', author: 'bot' }), 1);
  assert.ok((value(samples, 'switchboard_messages_total', { direction: 'out', author: 'agent' }) ?? 0) >= 1);
  assert.equal(value(samples, 'switchboard_delivery_seconds_count', { author: 'visitor' }), 1);
  assert.equal(value(samples, 'switchboard_store_seconds_count', { author: 'agent' }), 1);
  assert.equal(value(samples, 'switchboard_queue_depth', { queue: 'webhooks' }), 0);
  assert.equal(value(samples, 'switchboard_queue_depth', { queue: 'emails' }), 0);
  assert.ok(value(samples, 'switchboard_nodejs_eventloop_lag_p99_seconds') !== undefined, 'event-loop delay');
  assert.equal(value(samples, 'switchboard_sweeps_total'), 1);
});

test('/metrics: loopback only by default; with METRICS_TOKEN, the token is required', async (t) => {
  // A proxy we trust says the client is remote: refused without a token.
  const open = await startHub(t, { config: { trustProxy: 1 } });
  const remote = await fetch(`${open.url}/metrics`, { headers: { 'x-forwarded-for': '203.0.113.9' } });
  assert.equal(remote.status, 403);
  assert.equal((await fetch(`${open.url}/metrics`)).status, 200, 'the loopback client may read');

  const locked = await startHub(t, { config: { metricsToken: 'scrape-me-0123456789' } });
  assert.equal((await fetch(`${locked.url}/metrics`)).status, 401);
  assert.equal((await fetch(`${locked.url}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status, 401);
  assert.equal((await fetch(`${locked.url}/metrics`, { headers: { authorization: 'Bearer scrape-me-0123456789' } })).status, 200);
});

test('/ready answers 200 when the store (and Redis, when configured) answer', async (t) => {
  const redisUrl = process.env.TEST_REDIS_URL;
  const h = await startHub(t, { config: redisUrl ? { redisUrl } : {} });
  const res = await fetch(`${h.url}/ready`);
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { ready: true, store: 'ok', redis: redisUrl ? 'ok' : 'off' });
  // /health stays a liveness check: it answers without asking the store.
  assert.equal((await fetch(`${h.url}/health`)).status, 200);
});
