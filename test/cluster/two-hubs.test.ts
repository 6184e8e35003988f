/**
 * Two hub processes behind one address, sharing PostgreSQL (TEST_POSTGRES_URL) and Redis
 * (TEST_REDIS_URL): a visitor on hub A and agents on hub B chat both ways, see each other's
 * presence and typing, the one-agent rule holds across hubs, and when hub A is killed the
 * visitor reconnects through the same address to hub B with nothing lost.
 * scripts/test-server.mjs runs this file in its two-hub run, on PostgreSQL (CI starts both services).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { type Server, type Socket as TcpSocket, connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { io } from 'socket.io-client';
import type { ConversationDetail, ConversationSummary, Message } from '../../protocol/types.js';
import type { VisitorSession } from '../../protocol/events.js';
import { HOUR, ManualClock } from '../../server/clock.js';
import { dropTestDatabase, testDatabaseUrl } from '../helpers/databases.mjs';
import { type VisitorSocket, next, request, startHub } from '../helpers/hub.js';
import { type SpawnedHub, TEST_ADMIN, spawnHub } from '../helpers/spawn-hub.mjs';
import { agentSocket, api, login } from '../helpers/remote-hub.js';

const postgres = process.env.TEST_POSTGRES_URL;
const redis = process.env.TEST_REDIS_URL;
if (!postgres || !redis) throw new Error('TEST_POSTGRES_URL and TEST_REDIS_URL must be set (see .ci/services)');

/**
 * The "one address" in front of the hubs: a TCP forwarder whose upstream can be switched, as a load
 * balancer would fail over when a backend dies. Only a test fixture: production uses nginx (docs/scaling.md).
 */
function frontDoor(initial: string): Promise<{ url: string; route(to: string): void; close(): void }> {
  let upstream = new URL(initial);
  const open = new Set<TcpSocket>();
  const server: Server = createServer((client) => {
    const backend = connect(Number(upstream.port), upstream.hostname);
    for (const s of [client, backend]) {
      open.add(s);
      s.on('close', () => open.delete(s));
      s.on('error', () => undefined);
    }
    client.pipe(backend).pipe(client);
    backend.on('close', () => client.destroy());
    client.on('close', () => backend.destroy());
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      resolve({
        url: `http://127.0.0.1:${port}`,
        route: (to) => {
          upstream = new URL(to);
        },
        close: () => {
          for (const s of open) s.destroy();
          server.close();
        },
      });
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), 'switchboard-cluster-'));
let hubA: SpawnedHub;
let hubB: SpawnedHub;
const clients: { disconnect(): void }[] = [];

before(async () => {
  const env = {
    DATABASE_URL: await testDatabaseUrl(dir, postgres),
    REDIS_URL: redis,
    REDIS_PREFIX: `switchboard-test-${randomUUID()}`,
    SWEEP_INTERVAL_MS: '1000',
    MESSAGES_PER_MINUTE: '600',
  };
  hubA = await spawnHub({ env });
  hubB = await spawnHub({ env }); // after A, so migrations have run once
});

after(async () => {
  for (const c of clients) c.disconnect();
  await Promise.all([hubA?.stop(), hubB?.stop()]);
  hubA?.cleanup();
  hubB?.cleanup();
  await dropTestDatabase(dir, postgres);
  rmSync(dir, { recursive: true, force: true });
});

// First: the test after it kills hub A.
test('collision across hubs: agents on hub A and hub B see each other in a conversation and see each other typing', async () => {
  const adminToken = await login(hubB.url, TEST_ADMIN.email, TEST_ADMIN.password);
  const email = `${randomUUID().slice(0, 8)}@test.local`;
  await api(hubB.url, 'POST', '/api/agents', adminToken, { email, name: 'Sam', role: 'agent', password: 'password-123' });
  const samToken = await login(hubA.url, email, 'password-123');
  const adminOnB = await agentSocket(hubB.url, adminToken, clients);
  const samOnA = await agentSocket(hubA.url, samToken, clients);

  const visitor: VisitorSocket = io(`${hubA.url}/visitor`, { auth: { site: 'demo' }, transports: ['websocket'], reconnection: false, forceNew: true });
  clients.push(visitor);
  await new Promise((resolve) => visitor.once('session', resolve));
  const sent = await request<{ message: Message }>(visitor, 'message:send', { clientId: randomUUID(), text: 'two agents, two hubs' });
  const conversationId = sent.data?.message.conversationId as string;

  type Viewers = { viewers: { agentId: string; name: string }[] };
  await request(adminOnB, 'conversation:watch', { conversationId });
  const bothOnB = next<Viewers>(adminOnB, 'conversation:viewers', (v) => v.viewers.length === 2);
  const bothOnA = next<Viewers>(samOnA, 'conversation:viewers', (v) => v.viewers.length === 2);
  await request(samOnA, 'conversation:watch', { conversationId });
  assert.ok(
    (await bothOnB).viewers.some((v) => v.name === 'Sam'),
    'hub B learns that Sam (on hub A) has it open',
  );
  assert.ok((await bothOnA).viewers.some((v) => v.name === 'Sam'));

  const typingOnB = next<{ name: string; typing: boolean }>(adminOnB, 'conversation:agent-typing');
  samOnA.emit('typing', { conversationId, typing: true });
  assert.deepEqual(await typingOnB.then((p) => [p.name, p.typing]), ['Sam', true]);
});

test('a visitor on hub A and agents on hub B: messages, presence, typing and the one-agent rule work across hubs; killing A loses nothing', async () => {
  const door = await frontDoor(hubA.url);
  after(() => door.close());

  // Agents: the admin on B, a second agent on A.
  const adminToken = await login(hubB.url, TEST_ADMIN.email, TEST_ADMIN.password);
  const email = `${randomUUID().slice(0, 8)}@test.local`;
  const created = await api<{ id: string }>(hubA.url, 'POST', '/api/agents', adminToken, { email, name: 'Robin', role: 'agent', password: 'password-123' });
  assert.equal(created.status, 201, 'a token issued by hub B is honoured by hub A');
  const robinToken = await login(hubA.url, email, 'password-123');
  const adminOnB = await agentSocket(hubB.url, adminToken, clients);
  const robinOnA = await agentSocket(hubA.url, robinToken, clients);

  // The visitor enters through the front door, which leads to hub A.
  const visitor: VisitorSocket = io(`${door.url}/visitor`, {
    auth: { site: 'demo', userData: { first_name: 'Ada', last_name: 'Cluster' } },
    transports: ['websocket'],
    reconnectionDelay: 50,
    reconnectionDelayMax: 200,
    forceNew: true,
  });
  clients.push(visitor);
  const onlineSeenOnB = next<{ visitorId: string; online: boolean }>(adminOnB, 'visitor:presence', (p) => p.online);
  const session = await new Promise<VisitorSession>((resolve, reject) => {
    visitor.once('session', resolve);
    visitor.once('connect_error', reject);
  });
  visitor.auth = { site: 'demo', token: session.token }; // what the widget keeps in IndexedDB
  assert.equal(session.agentsOnline, true, 'hub A knows agents are online on hub B');
  assert.equal((await onlineSeenOnB).visitorId, session.visitor.id, 'the agent on B sees the visitor on A come online');

  // Visitor → agent across hubs (the new conversation reaches B's list), and the bot (on A) answers.
  const arrivesOnB = next<ConversationSummary>(adminOnB, 'conversation:updated', (c) => c.lastMessage?.author === 'visitor');
  const first = await request<{ message: Message; conversation: { id: string } }>(visitor, 'message:send', {
    clientId: randomUUID(),
    text: 'Hello from hub A',
  });
  assert.ok(first.data, JSON.stringify(first));
  const conversationId = first.data.conversation.id;
  assert.equal((await arrivesOnB).lastMessage?.text, 'Hello from hub A');
  const detailOnB = await api<ConversationDetail>(hubB.url, 'GET', `/api/conversations/${conversationId}`, adminToken);
  assert.equal(detailOnB.body.visitor.online, true, 'hub B reports the visitor online although the socket is on hub A');

  // The admin on B opens it: the visitor's messages (sent on A) and typing come live.
  assert.ok((await request(adminOnB, 'conversation:watch', { conversationId })).data);
  const typingOnB = next<{ typing: boolean }>(adminOnB, 'visitor:typing', (p) => p.typing);
  visitor.emit('typing', { typing: true });
  await typingOnB;
  const messageOnB = next<Message>(adminOnB, 'message:new', (m) => m.author === 'visitor');
  assert.ok((await request(visitor, 'message:send', { clientId: randomUUID(), text: 'Anyone there?' })).data);
  assert.equal((await messageOnB).text, 'Anyone there?');

  // The admin on B takes over; the visitor on A sees the agent join; Robin on A is refused.
  const joined = next<{ handler: { kind: string; name?: string } }>(visitor, 'conversation:updated', (c) => c.handler.kind === 'agent');
  const claim = await api<ConversationSummary>(hubB.url, 'POST', `/api/conversations/${conversationId}/claim`, adminToken, {});
  assert.equal(claim.status, 200, JSON.stringify(claim.body));
  assert.equal((await joined).handler.name, 'Admin');
  const refused = await api<{ code: string }>(hubA.url, 'POST', `/api/conversations/${conversationId}/claim`, robinToken, {});
  assert.equal(refused.status, 409);
  assert.equal(refused.body.code, 'already_claimed');
  const refusedSend = await request(robinOnA, 'message:send', { conversationId, clientId: randomUUID(), text: 'me too' });
  assert.ok(refusedSend.error?.code === 'already_claimed', JSON.stringify(refusedSend));

  const agentTyping = next<{ typing: boolean; name: string }>(visitor, 'agent:typing', (p) => p.typing);
  adminOnB.emit('typing', { conversationId, typing: true });
  assert.equal((await agentTyping).name, 'Admin');

  // Agent → visitor across hubs.
  const reachesA = next<Message>(visitor, 'message:new', (m) => m.text === 'Hi Ada, from hub B');
  assert.ok((await request(adminOnB, 'message:send', { conversationId, clientId: randomUUID(), text: 'Hi Ada, from hub B' })).data);
  const lastSeen = (await reachesA).id;

  // Kill hub A mid-conversation. One visitor message is in flight (no ack awaited), like the widget's outbox.
  const inFlight = { clientId: randomUUID(), text: 'sent as hub A died' };
  const disconnected = new Promise<void>((resolve) => visitor.once('disconnect', () => resolve()));
  visitor.emit('message:send', inFlight, () => undefined);
  door.route(hubB.url);
  await hubA.stop('SIGKILL');
  await disconnected;
  // While the visitor is away, the agent keeps writing through hub B.
  assert.ok((await request(adminOnB, 'message:send', { conversationId, clientId: randomUUID(), text: 'Are you still there?' })).data);

  // The visitor comes back through the same address, now served by hub B.
  const back = await new Promise<VisitorSession>((resolve) => visitor.once('session', resolve));
  assert.equal(back.visitor.id, session.visitor.id, 'same visitor after failover');
  assert.equal(back.conversation?.id, conversationId, 'same conversation after failover');
  const resent = await request<{ message: Message }>(visitor, 'message:send', inFlight); // the outbox resends what was not acked
  assert.ok(resent.data, JSON.stringify(resent));
  const missed = await request<{ messages: Message[] }>(visitor, 'messages:since', { afterId: lastSeen });
  assert.ok(missed.data);
  // Whether hub A stored the in-flight message before it died or hub B stored the resend, the
  // visitor catches up on both, in stored order.
  const missedTexts = missed.data.messages.filter((m) => m.author !== 'system').map((m) => m.text);
  assert.deepEqual([...missedTexts].sort(), ['Are you still there?', inFlight.text].sort());

  const transcript = await api<ConversationDetail>(hubB.url, 'GET', `/api/conversations/${conversationId}`, adminToken);
  const texts = transcript.body.messages.map((m) => m.text);
  for (const text of ['Hello from hub A', 'Hi Ada, from hub B', inFlight.text, 'Are you still there?']) {
    assert.equal(texts.filter((t) => t === text).length, 1, `"${text}" stored exactly once`);
  }
  assert.equal(transcript.body.messages.filter((m) => m.text === 'me too').length, 0, 'the refused agent message was not stored');
  assert.equal(transcript.body.visitor.online, true, 'hub B reports the visitor online again');
});

test('time rules fire once across hubs: two hubs sweeping the same PostgreSQL database unmute a conversation once', async (t) => {
  const clock = new ManualClock(new Date());
  const a = await startHub(t, { clock });
  const b = await startHub(t, { clock, dir: a.dir });
  assert.equal(a.databaseUrl, b.databaseUrl);
  const { socket } = await a.visitor();
  const sent = await request<{ conversation: { id: string } }>(socket, 'message:send', { clientId: randomUUID(), text: 'hello' });
  assert.ok(sent.data);
  const token = await a.login();
  assert.equal((await a.api('POST', `/api/conversations/${sent.data.conversation.id}/mute`, { token })).status, 200);

  clock.advance(72 * HOUR + 1000);
  const [fromA, fromB] = await Promise.all([a.hub.sweep(), b.hub.sweep()]);
  assert.deepEqual([...fromA.unmuted, ...fromB.unmuted], [sent.data.conversation.id], 'exactly one hub applied the unmute');
});
