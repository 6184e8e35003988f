/**
 * `GET /api/widget/unread`: the widget's loader asks it with the visitor's session token (not an agent's) to show the
 * launcher's badge before the chat has loaded. Each token answers for its own session only.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { io } from 'socket.io-client';
import type { WidgetUnread } from '../../protocol/api.js';
import type { VisitorSession } from '../../protocol/events.js';
import type { Message } from '../../protocol/types.js';
import { type TestHub, clientId, next, request, startHub } from '../helpers/hub.js';

type ErrorBody = { code: string; message: string };

const unread = (h: TestHub, token?: string, headers: Record<string, string> = {}) =>
  fetch(`${h.url}/api/widget/unread`, { headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } }).then(async (res) => ({
    status: res.status,
    body: (await res.json()) as WidgetUnread & ErrorBody,
  }));

test("a visitor's token reads the bot and agent messages they have not read, and only their own", async (t) => {
  const h = await startHub(t);
  const admin = await h.login();

  // A new session: nothing yet, and asking writes nothing (no visitor row for an idle page view).
  const idle = await h.visitor();
  assert.deepEqual((await unread(h, idle.session.token)).body, { count: 0, lastId: 0 });
  assert.equal((await h.api('GET', `/api/visitors/${idle.session.visitor.id}`, { token: admin })).status, 404);
  const alice = await h.visitor({ userData: { first_name: 'Alice' } });
  assert.deepEqual((await unread(h, alice.session.token)).body, { count: 0, lastId: 0 });

  // Alice writes: the bot answers (1 unread), an agent takes over and replies (the join line is a system message: not counted).
  const botAnswer = next<Message>(alice.socket, 'message:new', (m) => m.author === 'bot');
  const sent = await request<{ message: Message }>(alice.socket, 'message:send', { clientId: clientId(), text: 'hello' });
  const conversationId = sent.data?.message.conversationId ?? '';
  await botAnswer;
  assert.equal((await unread(h, alice.session.token)).body.count, 1);
  assert.equal((await h.api('POST', `/api/conversations/${conversationId}/claim`, { token: admin, body: {} })).status, 200);
  const agentSocket = await h.agentSocket(admin);
  const reply = await request<{ message: Message }>(agentSocket, 'message:send', { conversationId, clientId: clientId(), text: 'Hi Alice, Admin here' });
  const replyId = reply.data?.message.id ?? 0;
  const answer = (await unread(h, alice.session.token)).body;
  assert.equal(answer.count, 2);
  assert.ok(answer.lastId >= replyId, 'lastId covers the newest message');

  // Bob is another session: his own count, never Alice's.
  const bob = await h.visitor({ userData: { first_name: 'Bob' } });
  assert.deepEqual((await unread(h, bob.session.token)).body, { count: 0, lastId: 0 });

  // Alice reads up to the agent's reply (what the widget sends when the panel opens): 0.
  await request(alice.socket, 'messages:read', { upToId: replyId });
  assert.deepEqual((await unread(h, alice.session.token)).body, { count: 0, lastId: answer.lastId });
  // A new agent message after that counts again.
  await request(agentSocket, 'message:send', { conversationId, clientId: clientId(), text: 'Anything else?' });
  assert.equal((await unread(h, alice.session.token)).body.count, 1);
  // Still answered after the socket is gone (the loader asks on the next page, before any socket).
  alice.socket.disconnect();
  assert.equal((await unread(h, alice.session.token)).body.count, 1);
});

test('refused without a genuine visitor token: none, an agent token, a forged one (401); an API token (403); a foreign origin (403)', async (t) => {
  const h = await startHub(t);
  const admin = await h.login();
  const { session } = await h.visitor();

  const none = await unread(h);
  assert.equal(none.status, 401);
  assert.equal(none.body.code, 'unauthorized');
  // An agent's token is not a visitor token.
  assert.equal((await unread(h, admin)).status, 401);
  const agent = await h.agent('agent');
  assert.equal((await unread(h, agent.token)).status, 401);
  // A token signed with another key, or tampered with.
  const [header, , signature] = session.token.split('.');
  const forged = `${header}.${Buffer.from(JSON.stringify({ sub: 'someone', site: 'demo' })).toString('base64url')}.${signature}`;
  assert.equal((await unread(h, forged)).status, 401);
  assert.equal((await unread(h, `${session.token}x`)).status, 401);
  // API tokens act for an admin, never for a visitor: refused like on every 'never' route.
  const created = await h.api<{ secret: string }>('POST', '/api/tokens', {
    token: admin,
    body: { name: 'all', scopes: ['conversations:read', 'contacts:read'] },
  });
  const apiToken = await unread(h, created.body.secret);
  assert.equal(apiToken.status, 403);
  assert.equal(apiToken.body.code, 'forbidden');

  // A site that only allows its own origin: the page's Origin must be one of them, as for the socket.
  await h.hub.store.settings.ensureSite({
    id: 'shop',
    name: 'Shop',
    allowed_origins: JSON.stringify(['https://shop.example']),
    identity_secret: 'shop-secret',
  });
  const shopSession = await new Promise<VisitorSession>((resolve, reject) => {
    const socket = io(`${h.url}/visitor`, {
      auth: { site: 'shop' },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      extraHeaders: { origin: 'https://shop.example' },
    });
    socket.once('session', (s: VisitorSession) => {
      socket.disconnect();
      resolve(s);
    });
    socket.once('connect_error', reject);
  });
  assert.equal((await unread(h, shopSession.token, { origin: 'https://shop.example' })).status, 200);
  assert.equal((await unread(h, shopSession.token, { origin: 'https://evil.example' })).status, 403);
});

test('rate-limited per address like every request', async (t) => {
  const h = await startHub(t, { config: { requestsPerMinute: 5 } });
  const { session } = await h.visitor();
  const statuses: number[] = [];
  for (let i = 0; i < 7; i++) statuses.push((await unread(h, session.token)).status);
  assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429, 429]);
});
