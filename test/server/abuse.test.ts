/**
 * Identity and abuse: verified identities need the site's HMAC, sockets are refused from origins a
 * site doesn't allow, and message, connection and HTTP rate limits answer with `rate_limited` while
 * storing nothing. Security headers are on every page the hub serves.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { io } from 'socket.io-client';
import type { ConversationDetail, Message } from '../../protocol/types.js';
import { userHash } from '../../server/auth.js';
import { clientId, request, startHub } from '../helpers/hub.js';

const SITE_SECRET = 'demo-site-secret'; // testConfig's demoSiteSecret

test('user_hash: the right HMAC verifies the visitor; a forged or missing one does not', async (t) => {
  const h = await startHub(t);
  const good = await h.visitor({ userData: { user_id: 'u-42', email: 'ada@example.com', user_hash: userHash('u-42', SITE_SECRET) } });
  assert.equal(good.session.visitor.verified, true);

  const forged = await h.visitor({ userData: { user_id: 'u-42', email: 'ada@example.com', user_hash: userHash('u-42', 'guessed-secret') } });
  assert.equal(forged.session.visitor.verified, false, 'a hash made with another secret');
  const borrowed = await h.visitor({ userData: { user_id: 'u-43', email: 'eve@example.com', user_hash: userHash('u-42', SITE_SECRET) } });
  assert.equal(borrowed.session.visitor.verified, false, "another user's valid hash");
  const missing = await h.visitor({ userData: { user_id: 'u-42', email: 'ada@example.com' } });
  assert.equal(missing.session.visitor.verified, false);
  assert.notEqual(forged.session.visitor.id, good.session.visitor.id, 'a forged identity never becomes the verified visitor');

  // Changing the page's user data to a forged identity drops the verification.
  const update = await request<{ verified: boolean }>(good.socket, 'user:update', { userData: { user_id: 'u-99', user_hash: 'ab'.repeat(32) } });
  assert.equal(update.data?.verified, false);
  const token = await h.login();
  const visitor = await h.api<{ verified: boolean }>('GET', `/api/visitors/${good.session.visitor.id}`, { token });
  // The visitor has no conversation yet, so only an admin can look it up.
  assert.equal(visitor.status, 200);
  assert.equal(visitor.body.verified, false);
});

test('a visitor token only opens its own site, and a site only accepts its allowed origins', async (t) => {
  const h = await startHub(t);
  await h.hub.store.settings.ensureSite({
    id: 'shop',
    name: 'Shop',
    allowed_origins: JSON.stringify(['https://shop.example']),
    identity_secret: 'shop-secret',
  });
  const connect = (auth: Record<string, unknown>, origin?: string) =>
    new Promise<string>((resolve) => {
      const socket = io(`${h.url}/visitor`, { auth, transports: ['websocket'], reconnection: false, forceNew: true, extraHeaders: origin ? { origin } : {} });
      socket.once('session', () => {
        socket.disconnect();
        resolve('ok');
      });
      socket.once('connect_error', (error) => resolve(error.message));
    });
  assert.equal(await connect({ site: 'shop' }, 'https://shop.example'), 'ok');
  assert.equal(await connect({ site: 'shop' }, 'https://evil.example'), 'forbidden');
  assert.equal(await connect({ site: 'shop' }), 'forbidden', 'no Origin header');
  assert.equal(await connect({ site: 'nope' }, 'https://shop.example'), 'unknown_site');

  // A demo-site visitor's token presented to the shop site is not honoured as that visitor.
  const demo = await h.visitor();
  const reused = await new Promise<{ visitorId?: string; error?: string }>((resolve) => {
    const socket = io(`${h.url}/visitor`, {
      auth: { site: 'shop', token: demo.session.token },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      extraHeaders: { origin: 'https://shop.example' },
    });
    socket.once('session', (session) => {
      socket.disconnect();
      resolve({ visitorId: session.visitor.id });
    });
    socket.once('connect_error', (error) => resolve({ error: error.message }));
  });
  assert.notEqual(reused.visitorId, demo.session.visitor.id);
});

test('message rate limits: the message over the limit is refused with rate_limited and not stored', async (t) => {
  const h = await startHub(t, { config: { messagesPerMinute: 5 } });
  const { socket } = await h.visitor();
  const acks = [];
  for (let i = 0; i < 7; i++)
    acks.push(await request<{ message: Message; conversation: { id: string } }>(socket, 'message:send', { clientId: clientId(), text: `message ${i}` }));
  assert.deepEqual(
    acks.map((a) => a.error?.code ?? 'ok'),
    ['ok', 'ok', 'ok', 'ok', 'ok', 'rate_limited', 'rate_limited'],
  );
  const token = await h.login();
  const conversationId = acks[0]?.data?.conversation.id ?? '';
  const detail = await h.api<ConversationDetail>('GET', `/api/conversations/${conversationId}`, { token });
  assert.equal(detail.body.messages.filter((m) => m.author === 'visitor').length, 5);

  // Agents have their own bucket (twice the visitor's).
  const agent = await h.agentSocket(token);
  const agentAcks = [];
  for (let i = 0; i < 11; i++) agentAcks.push(await request(agent, 'message:send', { conversationId, clientId: clientId(), text: `reply ${i}` }));
  assert.equal(agentAcks.filter((a) => a.error?.code === 'rate_limited').length, 1);
});

test('connection and HTTP rate limits per address', async (t) => {
  const h = await startHub(t, { config: { messagesPerMinute: 1, requestsPerMinute: 20 } });
  // 1 message/min → 20 visitor connections per minute from one address.
  const outcomes: string[] = [];
  for (let i = 0; i < 21; i++) {
    outcomes.push(
      await new Promise<string>((resolve) => {
        const socket = io(`${h.url}/visitor`, { auth: { site: 'demo' }, transports: ['websocket'], reconnection: false, forceNew: true });
        socket.once('session', () => {
          socket.disconnect();
          resolve('ok');
        });
        socket.once('connect_error', (error) => resolve(error.message));
      }),
    );
  }
  assert.deepEqual(outcomes.slice(0, 20), Array(20).fill('ok'));
  assert.equal(outcomes[20], 'rate_limited');

  // 20 requests per minute: the 21st is refused, also when it carries a guessed token (before authentication).
  const statuses: number[] = [];
  for (let i = 0; i < 20; i++) statuses.push((await h.api('GET', '/api/me', { token: `guess-${i}` })).status);
  assert.deepEqual(statuses, Array(20).fill(401));
  const limited = await h.api<{ code: string }>('GET', '/api/me', { token: 'guess-21' });
  assert.equal(limited.status, 429);
  assert.equal(limited.body.code, 'rate_limited');
  assert.equal((await h.api('GET', '/health')).status, 429);
});

test('password guessing: sign-in is limited to 20 attempts a minute per address', async (t) => {
  const h = await startHub(t, { config: { requestsPerMinute: 1000 } });
  const statuses: number[] = [];
  // A different account each time: this is the per-address limit (the per-account one is in security-hardening.test.ts).
  for (let i = 0; i < 21; i++) statuses.push((await h.api('POST', '/api/auth/login', { body: { email: `user-${i}@test.local`, password: `guess-${i}` } })).status);
  assert.deepEqual(statuses, [...Array(20).fill(401), 429]);
});

test('security headers on the pages and scripts the hub serves; oversized bodies refused', async (t) => {
  const h = await startHub(t);
  const page = await fetch(`${h.url}/demo/shop.html`);
  assert.match(page.headers.get('content-security-policy') ?? '', /script-src 'self'/);
  assert.equal(page.headers.get('x-content-type-options'), 'nosniff');
  assert.ok(page.headers.get('strict-transport-security'));
  assert.equal(page.headers.get('x-frame-options'), 'SAMEORIGIN');
  const api = await fetch(`${h.url}/health`);
  assert.equal(api.headers.get('x-content-type-options'), 'nosniff');

  const token = await h.login();
  const huge = await h.api<{ code: string }>('POST', '/api/faqs', {
    token,
    raw: JSON.stringify({ answer: 'x'.repeat(2 * 1024 * 1024) }),
    contentType: 'application/json',
  });
  assert.equal(huge.status, 413);
  assert.equal(huge.body.code, 'too_large');
});
