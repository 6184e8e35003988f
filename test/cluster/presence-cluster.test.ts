/**
 * Presence shown across hubs (server/services/remote-presence.ts): a summary's online dot for a visitor connected to
 * another hub asks the other hubs once, then believes the answer until that hub says the visitor's room emptied.
 * scripts/test-server.mjs runs this file in its two-hub run (it needs TEST_REDIS_URL).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { createClient } from 'redis';
import type { ConversationSummary, Message } from '../../protocol/types.js';
import { clientId, next, request, startHub } from '../helpers/hub.js';

const redis = process.env.TEST_REDIS_URL;
if (!redis) throw new Error('TEST_REDIS_URL must be set (see .ci/services)');

/** The socket.io Redis adapter's request type for `fetchSockets` (REMOTE_FETCH). */
const REMOTE_FETCH = 5;

test('a summary shows a visitor on another hub online without asking every hub each time, and offline once they leave', async (t) => {
  const prefix = `switchboard-test-${randomUUID()}`;
  const a = await startHub(t, { config: { redisUrl: redis, redisPrefix: prefix } });
  const b = await startHub(t, { config: { redisUrl: redis, redisPrefix: prefix }, dir: a.dir }); // the same database

  // Every "who is in this room?" question about visitors goes out on this channel, to every hub. Heard through a
  // pattern: the adapter counts the channel's own subscribers as hubs, and would wait for this one's answer.
  const asked: string[] = [];
  const listener = createClient({ url: redis });
  await listener.connect();
  t.after(() => listener.quit());
  await listener.pSubscribe(`${prefix}-request#/visitor#*`, (raw) => {
    const request = JSON.parse(raw) as { type: number; opts?: { rooms: string[] } };
    if (request.type === REMOTE_FETCH) asked.push(...(request.opts?.rooms ?? []));
  });

  const { socket: visitor, session } = await a.visitor();
  const first = await request<{ message: Message }>(visitor, 'message:send', { clientId: clientId(), text: 'Hello from hub A' });
  const conversationId = first.data?.message.conversationId ?? '';
  const agent = await b.agentSocket(await b.login());
  const reply = (text: string) => request<{ conversation: ConversationSummary }>(agent, 'message:send', { conversationId, clientId: clientId(), text });

  const firstReply = await reply('Hi, from hub B');
  assert.equal(firstReply.data?.conversation.visitor.online, true, 'hub B shows the visitor on hub A online');
  const askedAfterFirst = asked.filter((room) => room === `visitor:${session.visitor.id}`).length;
  assert.ok(askedAfterFirst >= 1, 'hub B asked the other hubs once');

  for (const text of ['Second', 'Third']) assert.equal((await reply(text)).data?.conversation.visitor.online, true);
  assert.equal(
    asked.filter((room) => room === `visitor:${session.visitor.id}`).length,
    askedAfterFirst,
    'later replies reuse the answer: no question per message',
  );

  // The visitor leaves hub A: A says the room emptied (before it tells the agents the visitor is offline).
  const offline = next<{ visitorId: string; online: boolean }>(agent, 'visitor:presence', (p) => p.visitorId === session.visitor.id && !p.online);
  visitor.disconnect();
  await offline;
  assert.equal((await reply('Still there?')).data?.conversation.visitor.online, false, 'and shows them offline once they left');
});
