/**
 * Regression tests for the outside attack run's findings (issue: security hardening), one per item,
 * each over real HTTP and real sockets. Each failed before its fix; the commit says how.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ConversationSummary, Message } from '../../protocol/types.js';
import { clientId, next, request, startHub } from '../helpers/hub.js';

const login = (url: string, email: string, password: string, forwardedFor: string) =>
  fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
    body: JSON.stringify({ email, password }),
  }).then((res) => res.status);

test('1. sign-in: X-Forwarded-For is not trusted by default, so it cannot dodge the per-address limit', async (t) => {
  const h = await startHub(t, { config: { requestsPerMinute: 100_000 } });
  const statuses: number[] = [];
  for (let i = 0; i < 21; i++) statuses.push(await login(h.url, `user-${i}@test.local`, 'guess', `203.0.113.${i}`));
  assert.deepEqual(statuses, [...Array(20).fill(401), 429]);
});

test('1. sign-in: guessing one account from many addresses is slowed, without a permanent lockout', async (t) => {
  const h = await startHub(t, { config: { requestsPerMinute: 100_000, signInsPerMinute: 100_000 } });
  const agent = await h.agent('agent', 'Target');
  const statuses: number[] = [];
  // 85 guesses, each from another address (the attack that used to get 44 guesses/s through).
  for (let i = 0; i < 85; i++) statuses.push(await login(h.url, agent.email, `wrong-${i}`, `203.0.113.${i}`));
  assert.deepEqual(statuses.slice(0, 5), [401, 401, 401, 401, 401], 'the first failures are just wrong passwords');
  assert.ok(
    statuses.slice(5).every((s) => s === 429),
    'later guesses are refused before the password is checked',
  );
  assert.equal(await login(h.url, agent.email, 'password-123', '198.51.100.7'), 429, 'the right password does not get through the throttle');
  // Not locked out for good: once the back-off has passed, the real password works.
  h.clock.advance(60_000);
  assert.equal(await login(h.url, agent.email, 'password-123', '198.51.100.7'), 200);
});

test('1. sign-in: with TRUST_PROXY set to one hop, the address the proxy gives is the client', async (t) => {
  const h = await startHub(t, { config: { trustProxy: 1, requestsPerMinute: 100_000 } });
  const spread: number[] = [];
  for (let i = 0; i < 21; i++) spread.push(await login(h.url, `user-${i}@test.local`, 'guess', `203.0.113.${i}`));
  assert.deepEqual(spread, Array(21).fill(401), 'each forwarded address has its own budget');
  const same: number[] = [];
  for (let i = 0; i < 21; i++) same.push(await login(h.url, `other-${i}@test.local`, 'guess', '198.51.100.1'));
  assert.deepEqual(same, [...Array(20).fill(401), 429]);
});

test('2. every visitor event is rate-limited, history is paged, profile updates are coalesced', async (t) => {
  const h = await startHub(t, { config: { messagesPerMinute: 600 } });
  const { socket } = await h.visitor({ userData: { first_name: 'Flood' } });
  const answers = await Promise.all(Array.from({ length: 3000 }, (_, i) => request<{ ok: true }>(socket, 'messages:read', { upToId: i })));
  assert.ok(
    answers.some((a) => a.error?.code === 'rate_limited'),
    'read receipts are limited',
  );

  const second = await startHub(t, { config: { messagesPerMinute: 100_000 } });
  const visitor = await second.visitor({ userData: { first_name: 'Long' } });
  const first = await request<{ message: Message }>(visitor.socket, 'message:send', { clientId: clientId(), text: 'line 0' });
  // Muted, so no bot answer arrives late among the pushes counted below.
  await second.api('POST', `/api/conversations/${first.data?.message.conversationId}/mute`, { token: await second.login() });
  for (let i = 1; i < 230; i++) assert.ok((await request(visitor.socket, 'message:send', { clientId: clientId(), text: `line ${i}` })).data);
  const page = await request<{ messages: Message[]; more: boolean }>(visitor.socket, 'messages:since', { afterId: 0 });
  assert.equal(page.data?.messages.length, 100);
  assert.equal(page.data?.more, true);

  const adminSocket = await second.agentSocket(await second.login());
  let updates = 0;
  adminSocket.on('conversation:updated', () => updates++);
  const results = await Promise.all(
    Array.from({ length: 40 }, (_, i) => request<{ verified: boolean }>(visitor.socket, 'user:update', { userData: { first_name: `Name ${i}` } })),
  );
  assert.ok(results.every((r) => r.data?.verified === false));
  // Every update answered, but applied (and pushed to agents) a few times, not 40; the last one wins.
  const detail = await second.api<{ visitor: { userData: { first_name: string } } }>('GET', `/api/conversations/${page.data?.messages[0]?.conversationId}`, {
    token: await second.login(),
  });
  assert.equal(detail.body.visitor.userData.first_name, 'Name 39');
  assert.ok(updates < 10, `${updates} pushes for 40 updates`);
});

test('4. a password reset or a disable ends every session; re-enabling does not revive old tokens', async (t) => {
  const h = await startHub(t);
  const admin = await h.login();
  const agent = await h.agent('agent');
  const socket = await h.agentSocket(agent.token);
  const dropped = new Promise<void>((resolve) => socket.once('disconnect', () => resolve()));
  assert.equal((await h.api('PUT', `/api/agents/${agent.id}`, { token: admin, body: { password: 'a-new-password-1' } })).status, 200);
  await dropped;
  assert.equal((await h.api('GET', '/api/me', { token: agent.token })).status, 401, 'the token from before the reset is dead');

  const fresh = await h.login(agent.email, 'a-new-password-1');
  assert.equal((await h.api('PUT', `/api/agents/${agent.id}`, { token: admin, body: { disabled: true } })).status, 200);
  assert.equal((await h.api('PUT', `/api/agents/${agent.id}`, { token: admin, body: { disabled: false } })).status, 200);
  assert.equal((await h.api('GET', '/api/me', { token: fresh })).status, 401, 'a disable revoked it for good');
  assert.equal((await h.api('GET', '/api/me', { token: await h.login(agent.email, 'a-new-password-1') })).status, 200, 'signing in again works');
});

test('5. only the holder, an assignee or an admin may close a held conversation (no close → reopen → claim)', async (t) => {
  const h = await startHub(t);
  const ana = await h.agent('agent', 'Ana');
  const bob = await h.agent('agent', 'Bob');
  const { socket } = await h.visitor();
  const sent = await request<{ message: Message }>(socket, 'message:send', { clientId: clientId(), text: 'help me' });
  const id = sent.data?.message.conversationId ?? '';
  assert.equal((await h.api('POST', `/api/conversations/${id}/claim`, { token: ana.token, body: {} })).status, 200);
  const refused = await h.api<{ code: string }>('POST', `/api/conversations/${id}/close`, { token: bob.token, body: {} });
  assert.equal(refused.status, 403);
  const after = await h.api<{ conversation: ConversationSummary }>('GET', `/api/conversations/${id}`, { token: ana.token });
  assert.equal(after.body.conversation.state, 'open');
  assert.equal(after.body.conversation.holderId, ana.id, 'Ana still holds it');
  assert.equal((await h.api('POST', `/api/conversations/${id}/close`, { token: ana.token, body: {} })).status, 200, 'the holder may close');
});

test('6. an agent who loses sight of a conversation stops receiving its typing events', async (t) => {
  const h = await startHub(t);
  const admin = await h.login();
  const ana = await h.agent('agent', 'Ana');
  const bob = await h.agent('agent', 'Bob');
  const { socket } = await h.visitor();
  const sent = await request<{ message: Message }>(socket, 'message:send', { clientId: clientId(), text: 'hello' });
  const id = sent.data?.message.conversationId ?? '';
  const bobSocket = await h.agentSocket(bob.token);
  const anaSocket = await h.agentSocket(ana.token);
  assert.ok((await request(bobSocket, 'conversation:watch', { conversationId: id })).data);
  assert.ok((await request(anaSocket, 'conversation:watch', { conversationId: id })).data);
  const bobTyping: unknown[] = [];
  bobSocket.on('visitor:typing', (payload) => bobTyping.push(payload));
  const gone = next(bobSocket, 'conversation:deleted');
  assert.equal((await h.api('PUT', `/api/conversations/${id}/visibility`, { token: admin, body: { agentIds: [ana.id] } })).status, 200);
  await gone;
  const anaSaw = next(anaSocket, 'visitor:typing');
  socket.emit('typing', { typing: true });
  await anaSaw;
  // Bob's socket would have received it in the same broadcast; a round trip on his socket orders after it.
  await request(bobSocket, 'conversation:read', { conversationId: id });
  assert.deepEqual(bobTyping, []);
});

test('7. connecting leaves no visitor row; writing or identifying creates one; identified visitors who never wrote expire', async (t) => {
  const h = await startHub(t);
  const count = async (table: 'visitors' | 'contacts' = 'visitors') =>
    Number(
      (
        await h.hub.store.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  for (let i = 0; i < 20; i++) await h.visitor();
  assert.equal(await count(), 0, 'anonymous page views store nothing');
  const { socket, session } = await h.visitor();
  assert.ok((await request(socket, 'message:send', { clientId: clientId(), text: 'first words' })).data);
  assert.equal(await count(), 1);
  // The session token keeps working for the same visitor after the first message.
  const again = await h.visitor({ token: session.token });
  assert.equal(again.session.visitor.id, session.visitor.id);

  await h.visitor({ userData: { email: 'lurker@example.com' } });
  assert.equal(await count(), 2, 'identification creates the row');
  h.clock.advance((h.hub.config.emptyVisitorDays + 1) * 86_400_000);
  const swept = await h.hub.sweep();
  assert.equal(swept.emptyVisitorsRemoved, 1, 'only the visitor who never wrote is removed');
  assert.equal(swept.emptyContactsRemoved, 1, 'and the contact behind that session');
  assert.equal(await count(), 1);
  assert.equal(await count('contacts'), 1);
});
