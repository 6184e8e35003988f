/**
 * Webhook test steps shared by the webhook test files: loopback receivers (closed after the file's tests), an
 * endpoint made through the REST API, its deliveries, a visitor message the bot has answered, a request's header,
 * and the queue depth /metrics reports.
 */
import assert from 'node:assert/strict';
import { after } from 'node:test';
import type { Message } from '../../protocol/types.js';
import type { WebhookDeliveryPage, WebhookEndpoint, WebhookEventType } from '../../protocol/webhooks.js';
import { type TestHub, clientId, next, request } from './hub.js';
import { type Receiver, startReceiver } from './webhook-receiver.mjs';

const receivers: Receiver[] = [];
after(async () => {
  await Promise.all(receivers.map((r) => r.close()));
});
export async function receiver(respond?: Parameters<typeof startReceiver>[0]): Promise<Receiver> {
  const r = await startReceiver(respond);
  receivers.push(r);
  return r;
}

export async function endpoint(h: TestHub, admin: string, url: string, events: readonly WebhookEventType[]): Promise<WebhookEndpoint> {
  const res = await h.api<WebhookEndpoint>('POST', '/api/webhooks', { token: admin, body: { url, events } });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body;
}

export async function deliveries(h: TestHub, admin: string, endpointId: string, query = ''): Promise<WebhookDeliveryPage> {
  const res = await h.api<WebhookDeliveryPage>('GET', `/api/webhooks/${endpointId}/deliveries${query}`, { token: admin });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
}

/** A visitor (named) who writes `text`; resolves with the stored message once the bot has answered. */
export async function visitorSays(
  h: TestHub,
  text: string,
  firstName = 'Wendy',
): Promise<{ message: Message; socket: Awaited<ReturnType<TestHub['visitor']>>['socket'] }> {
  const { socket } = await h.visitor({ userData: { first_name: firstName } });
  const answered = next<Message>(socket, 'message:new', (m) => m.author === 'bot');
  const sent = await request<{ message: Message }>(socket, 'message:send', { clientId: clientId(), text });
  assert.ok(sent.data, JSON.stringify(sent.error));
  await answered; // the bot's answer (and its message.created) is stored too
  return { message: sent.data.message, socket };
}

export const header = (r: Receiver['received'][number], name: string): string => String(r.headers[name.toLowerCase()] ?? '');

export async function queueDepth(h: TestHub): Promise<number> {
  const text = await (await fetch(`${h.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('switchboard_queue_depth{queue="webhooks"}'));
  return Number(line?.split(' ').at(-1));
}
