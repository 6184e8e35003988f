// Team chat between agents, end to end over real sockets on a real hub (SQLite, and PostgreSQL with TEST_DATABASE_URL):
// direct messages with unread counts, the team room, notes to self, exactly-once sends, typing, and what
// visitors and third agents never get. No sleeps: "nothing arrived" is asserted after a later event that
// must arrive after it on the same connection.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import type { TeamMessage, TeamMessagePage, TeamThread, TeamTypingEvent, TeamUnreadEvent } from '../../protocol/team.js';
import { type AgentSocket, type TestHub, type VisitorSocket, clientId, next, request, startHub } from '../helpers/hub.js';

type Sent = { message: TeamMessage };

async function send(socket: AgentSocket, threadKey: string, text: string, id = clientId()): Promise<TeamMessage> {
  const ack = await request<Sent>(socket, 'team:send', { threadKey, clientId: id, text });
  assert.ok(ack.data, `team:send failed: ${JSON.stringify(ack.error)}`);
  return ack.data.message;
}

/** Everything a socket receives, by event name. */
function record(socket: AgentSocket | VisitorSocket): [string, unknown][] {
  const seen: [string, unknown][] = [];
  socket.onAny((event: string, ...args: unknown[]) => seen.push([event, args[0]]));
  return seen;
}

/**
 * A visitor connected for the whole test. `assertNothing` asks the hub something on the visitor's own
 * connection: anything the hub had sent them before (a team event would have been sent before the acks the
 * test awaited) arrives before that answer.
 */
async function watchingVisitor(h: TestHub) {
  const { socket, session } = await h.visitor({ userData: { first_name: 'Nosy' } });
  const seen = record(socket);
  return {
    socket,
    token: session.token,
    async assertNothing(texts: string[]) {
      await request(socket, 'messages:since', { afterId: 0 });
      const leaked = seen.filter(([event, payload]) => event.startsWith('team:') || texts.some((t) => JSON.stringify(payload ?? null).includes(t)));
      assert.deepEqual(leaked, [], 'a visitor received team chat');
    },
  };
}

const threads = async (h: TestHub, token: string) => (await h.api<{ items: TeamThread[] }>('GET', '/api/team/threads', { token })).body.items;
const thread = async (h: TestHub, token: string, key: string) => (await threads(h, token)).find((t) => t.key === key);
const page = (h: TestHub, token: string, key: string, query = '') =>
  h.api<TeamMessagePage & { code?: string }>('GET', `/api/team/threads/${encodeURIComponent(key)}/messages${query}`, { token });

test('two agents DM each other live; unread counts reach both panels of the reader and go to zero on read', async (t) => {
  const h = await startHub(t);
  const visitor = await watchingVisitor(h);
  const alice = await h.agent('agent', 'Alice');
  const bob = await h.agent('agent', 'Bob');
  const aliceSocket = await h.agentSocket(alice.token);
  const bobSocket = await h.agentSocket(bob.token);
  const bobOtherTab = await h.agentSocket(bob.token);
  const fromAlice = `direct:${alice.id}`;

  const bobGets = next<TeamMessage>(bobSocket, 'team:message');
  const bobUnread = next<TeamUnreadEvent>(bobSocket, 'team:unread', (u) => u.threadKey === fromAlice);
  const sent = await send(aliceSocket, `direct:${bob.id}`, 'Hi Bob, can you take the Kraków order?');
  assert.equal(sent.threadKey, `direct:${bob.id}`);
  assert.equal(sent.agentId, alice.id);
  assert.equal(sent.authorName, 'Alice');
  const received = await bobGets;
  assert.deepEqual(received, { ...sent, threadKey: fromAlice }, 'Bob gets the stored message under his own key');
  assert.equal((await bobUnread).count, 1);

  const bobsView = await thread(h, bob.token, fromAlice);
  assert.equal(bobsView?.unreadCount, 1);
  assert.equal(bobsView?.agentId, alice.id);
  assert.equal(bobsView?.lastMessage?.text, 'Hi Bob, can you take the Kraków order?');
  assert.equal((await thread(h, alice.token, `direct:${bob.id}`))?.unreadCount, 0, "the author's own message is not unread for them");

  // Bob reads in one tab: both his tabs learn the count is zero.
  const otherTabZero = next<TeamUnreadEvent>(bobOtherTab, 'team:unread', (u) => u.threadKey === fromAlice && u.count === 0);
  const read = await request<{ count: number }>(bobSocket, 'team:read', { threadKey: fromAlice, upToId: received.id });
  assert.deepEqual(read.data, { count: 0 });
  await otherTabZero;
  assert.equal((await thread(h, bob.token, fromAlice))?.unreadCount, 0);

  // Bob answers: Alice gets it live with an unread count of 1, then reads it.
  const aliceGets = next<TeamMessage>(aliceSocket, 'team:message', (m) => m.agentId === bob.id);
  const aliceUnread = next<TeamUnreadEvent>(aliceSocket, 'team:unread', (u) => u.threadKey === `direct:${bob.id}` && u.count === 1);
  const reply = await send(bobSocket, fromAlice, 'Sure, on it');
  assert.equal((await aliceGets).id, reply.id);
  await aliceUnread;
  assert.equal(reply.threadId, sent.threadId, 'one thread per pair, whoever writes first');
  assert.equal((await thread(h, alice.token, `direct:${bob.id}`))?.unreadCount, 1);
  assert.deepEqual((await request<{ count: number }>(aliceSocket, 'team:read', { threadKey: `direct:${bob.id}`, upToId: reply.id })).data, { count: 0 });
  assert.equal((await thread(h, alice.token, `direct:${bob.id}`))?.unreadCount, 0);

  // Both read the same transcript, oldest first, each under their own key; the thread id works as well.
  const asAlice = await page(h, alice.token, `direct:${bob.id}`);
  const asBob = await page(h, bob.token, sent.threadId);
  assert.deepEqual(
    asAlice.body.messages.map((m) => [m.id, m.text]),
    [
      [sent.id, sent.text],
      [reply.id, reply.text],
    ],
  );
  assert.deepEqual(
    asBob.body.messages.map((m) => m.threadKey),
    [fromAlice, fromAlice],
  );
  await visitor.assertNothing([sent.text, reply.text]);
});

test('the team room reaches every agent; agents who join later start with nothing unread', async (t) => {
  const h = await startHub(t);
  const visitor = await watchingVisitor(h);
  const agents = await Promise.all(['Ann', 'Ben', 'Cy'].map((name) => h.agent('agent', name)));
  const sockets = await Promise.all(agents.map((a) => h.agentSocket(a.token)));
  const adminSocket = await h.agentSocket(await h.login());
  const all = [...sockets, adminSocket];

  const arrivals = all.map((s) => next<TeamMessage>(s, 'team:message', (m) => m.text === 'Stand-up in 5'));
  const unread = sockets.map((s) => next<TeamUnreadEvent>(s, 'team:unread', (u) => u.threadKey === 'team'));
  const sent = await send(sockets[0] as AgentSocket, 'team', 'Stand-up in 5');
  for (const message of await Promise.all(arrivals)) assert.deepEqual(message, { ...sent, threadKey: 'team' });
  assert.deepEqual(
    (await Promise.all(unread)).map((u) => u.count),
    [0, 1, 1],
    'everyone but the author has it unread',
  );
  assert.equal((await thread(h, (agents[1] as { token: string }).token, 'team'))?.unreadCount, 1);

  h.clock.advance(60_000);
  const late = await h.agent('agent', 'Late');
  const lateView = await thread(h, late.token, 'team');
  assert.equal(lateView?.unreadCount, 0, 'the room before the agent existed is not unread');
  assert.equal(lateView?.lastMessage?.text, 'Stand-up in 5', 'but its history is there');
  await visitor.assertNothing(['Stand-up in 5']);
});

test('notes to self reach only their author; nobody else can read them, admins included', async (t) => {
  const h = await startHub(t);
  const visitor = await watchingVisitor(h);
  const alice = await h.agent('agent', 'Alice');
  const bob = await h.agent('agent', 'Bob');
  const admin = await h.login();
  const aliceSocket = await h.agentSocket(alice.token);
  const bobSocket = await h.agentSocket(bob.token);
  const bobSeen = record(bobSocket);

  const ownPush = next<TeamMessage>(aliceSocket, 'team:message', (m) => m.threadKey === 'self');
  const note = await send(aliceSocket, 'self', 'Call Marta back at 3');
  assert.equal(note.threadKey, 'self');
  assert.equal((await ownPush).id, note.id);
  // A later team room message reaches Bob after anything the note might have sent him.
  const barrier = next<TeamMessage>(bobSocket, 'team:message', (m) => m.text === 'barrier');
  await send(aliceSocket, 'team', 'barrier');
  await barrier;
  assert.deepEqual(
    bobSeen.filter(([event, payload]) => event.startsWith('team:') && (payload as { threadKey?: string }).threadKey !== 'team'),
    [],
    'Bob received nothing of the note',
  );

  assert.deepEqual(
    (await page(h, alice.token, 'self')).body.messages.map((m) => m.text),
    ['Call Marta back at 3'],
  );
  assert.deepEqual((await page(h, bob.token, 'self')).body.messages, [], "Bob's self is his own");
  for (const token of [bob.token, admin]) {
    const res = await page(h, token, note.threadId);
    assert.equal(res.status, 404);
    assert.equal(res.body.code, 'not_found');
  }
  assert.equal((await thread(h, alice.token, 'self'))?.unreadCount, 0, 'your own notes are never unread');
  await visitor.assertNothing(['Call Marta back at 3']);
});

test('a resend with the same clientId is stored and delivered once', async (t) => {
  const h = await startHub(t);
  const alice = await h.agent('agent', 'Alice');
  const bob = await h.agent('agent', 'Bob');
  const aliceSocket = await h.agentSocket(alice.token);
  const bobSocket = await h.agentSocket(bob.token);
  const bobSeen = record(bobSocket);
  const id = clientId();

  const first = await send(aliceSocket, `direct:${bob.id}`, 'only once', id);
  const again = await send(aliceSocket, `direct:${bob.id}`, 'only once', id);
  const racing = await Promise.all([1, 2, 3].map(() => send(aliceSocket, 'team', 'racing', id)));
  assert.equal(again.id, first.id);
  assert.equal(new Set(racing.map((m) => m.id)).size, 1, 'concurrent resends answer with one stored message');
  assert.notEqual(racing[0]?.id, first.id, 'the same clientId in another thread is another message');

  // Another agent can't claim that clientId in the team room.
  const bobReuse = await request<Sent>(bobSocket, 'team:send', { threadKey: 'team', clientId: id, text: 'mine?' });
  assert.equal(bobReuse.error?.code, 'conflict');

  const barrier = next<TeamMessage>(bobSocket, 'team:message', (m) => m.text === 'after');
  await send(aliceSocket, 'team', 'after');
  await barrier;
  const pushes = bobSeen.filter(([event, payload]) => event === 'team:message' && (payload as TeamMessage).clientId === id);
  assert.equal(pushes.length, 2, 'Bob heard of each stored message once (the DM and the team room one)');
  assert.equal((await page(h, bob.token, `direct:${alice.id}`)).body.messages.length, 1);
  assert.deepEqual(
    (await page(h, alice.token, 'team')).body.messages.map((m) => m.text),
    ['racing', 'after'],
  );
});

test('typing reaches only the thread’s other agents', async (t) => {
  const h = await startHub(t);
  const visitor = await watchingVisitor(h);
  const [alice, bob, cy] = await Promise.all(['Alice', 'Bob', 'Cy'].map((name) => h.agent('agent', name)));
  if (!alice || !bob || !cy) throw new Error('agents');
  const [aliceSocket, bobSocket, cySocket] = await Promise.all([alice, bob, cy].map((a) => h.agentSocket(a.token)));
  if (!aliceSocket || !bobSocket || !cySocket) throw new Error('sockets');
  const seen = new Map([aliceSocket, bobSocket, cySocket].map((s) => [s, record(s)]));
  const typings = (s: AgentSocket) => (seen.get(s) ?? []).filter(([event]) => event === 'team:typing').map(([, p]) => p as TeamTypingEvent);

  const bobHears = next<TeamTypingEvent>(bobSocket, 'team:typing');
  assert.ok((await request(aliceSocket, 'team:typing', { threadKey: `direct:${bob.id}`, typing: true })).data);
  assert.deepEqual(await bobHears, { threadKey: `direct:${alice.id}`, agentId: alice.id, name: 'Alice', typing: true });
  assert.ok((await request(aliceSocket, 'team:typing', { threadKey: 'self', typing: true })).data);

  // The team room: everyone but the author.
  const roomTyping = [bobSocket, cySocket].map((s) => next<TeamTypingEvent>(s, 'team:typing', (e) => e.threadKey === 'team'));
  assert.ok((await request(aliceSocket, 'team:typing', { threadKey: 'team', typing: true })).data);
  for (const event of await Promise.all(roomTyping)) assert.equal(event.agentId, alice.id);

  const barriers = [aliceSocket, cySocket].map((s) => next<TeamMessage>(s, 'team:message', (m) => m.text === 'barrier'));
  await send(bobSocket, 'team', 'barrier');
  await Promise.all(barriers);
  assert.deepEqual(typings(aliceSocket), [], "the author's own typing never comes back");
  assert.deepEqual(
    typings(cySocket).map((e) => e.threadKey),
    ['team'],
    'Cy heard the team room only, not the DM nor the notes',
  );
  assert.deepEqual(
    typings(bobSocket).map((e) => e.threadKey),
    [`direct:${alice.id}`, 'team'],
  );
  await visitor.assertNothing(['Alice']);
});

test('a third agent cannot read a direct thread (404, admins too); DMs need another agent who exists and is enabled', async (t) => {
  const h = await startHub(t);
  const visitor = await watchingVisitor(h);
  const admin = await h.login();
  const alice = await h.agent('agent', 'Alice');
  const bob = await h.agent('agent', 'Bob');
  const eve = await h.agent('agent', 'Eve');
  const aliceSocket = await h.agentSocket(alice.token);
  const eveSocket = await h.agentSocket(eve.token);
  const eveSeen = record(eveSocket);
  const dm = await send(aliceSocket, `direct:${bob.id}`, 'between us');

  for (const token of [eve.token, admin]) {
    const res = await page(h, token, dm.threadId);
    assert.equal(res.status, 404, 'a thread id of a DM the caller is not in');
    assert.equal(res.body.code, 'not_found');
    assert.ok(!(await threads(h, token)).some((th) => th.id === dm.threadId), 'nor listed');
  }
  // Eve's `direct:<alice>` is her own (empty) thread with Alice, not Alice and Bob's.
  assert.deepEqual((await page(h, eve.token, `direct:${alice.id}`)).body, { messages: [], more: false });
  assert.equal((await page(h, alice.token, dm.threadId)).status, 200);
  assert.equal((await page(h, eve.token, `direct:${randomUUID()}`)).status, 404);
  assert.equal((await page(h, visitor.token, 'team')).status, 401, "a visitor's token is not an agent's");

  const refused = async (threadKey: string) => (await request<Sent>(aliceSocket, 'team:send', { threadKey, clientId: clientId(), text: 'hello?' })).error?.code;
  assert.equal(await refused(`direct:${randomUUID()}`), 'not_found', 'unknown agent');
  assert.equal(await refused(`direct:${alice.id}`), 'bad_request', 'yourself: use self');
  assert.equal(await refused('direct:'), 'bad_request');
  assert.equal(await refused('<script>'), 'bad_request');
  assert.equal((await request<Sent>(aliceSocket, 'team:send', { threadKey: 'team', clientId: clientId(), text: '   ' })).error?.code, 'bad_request');
  assert.equal((await request<Sent>(aliceSocket, 'team:send', { threadKey: 'team', clientId: clientId(), text: 'x'.repeat(5000) })).error?.code, 'too_large');
  assert.equal((await h.api('PUT', `/api/agents/${bob.id}`, { token: admin, body: { disabled: true } })).status, 200);
  assert.equal(await refused(`direct:${bob.id}`), 'forbidden', 'a disabled agent gets no DMs');
  assert.equal((await request(aliceSocket, 'team:typing', { threadKey: `direct:${bob.id}`, typing: true })).error?.code, 'forbidden');
  assert.equal((await page(h, alice.token, `direct:${bob.id}`)).body.messages.length, 1, 'the history stays readable');

  // A visitor socket has no team events at all: its request is never answered, the next one is.
  const ignored = await Promise.race([
    request(visitor.socket, 'team:send', { threadKey: 'team', clientId: clientId(), text: 'from a visitor' }).then(() => 'answered'),
    request(visitor.socket, 'messages:since', { afterId: 0 }).then(() => 'since answered first'),
  ]);
  assert.equal(ignored, 'since answered first');
  assert.ok(!(await page(h, eve.token, 'team')).body.messages.some((m) => m.text === 'from a visitor'));
  assert.ok(!eveSeen.some(([event]) => event === 'team:message'), 'Eve heard nothing of the DM');
  await visitor.assertNothing(['between us']);
});

test('threads page newest first, 100 at most; team events are rate-limited like the other agent events', async (t) => {
  const h = await startHub(t, { config: { messagesPerMinute: 100 } });
  const alice = await h.agent('agent', 'Alice');
  const socket = await h.agentSocket(alice.token);
  const sent: TeamMessage[] = [];
  for (let i = 0; i < 150; i++) sent.push(await send(socket, 'self', `note ${i}`));
  const newest = await page(h, alice.token, 'self');
  assert.equal(newest.body.messages.length, 100);
  assert.equal(newest.body.more, true);
  assert.deepEqual(
    newest.body.messages.map((m) => m.id),
    sent.slice(50).map((m) => m.id),
  );
  const older = await page(h, alice.token, 'self', `?before=${newest.body.messages[0]?.id}`);
  assert.deepEqual(
    older.body.messages.map((m) => m.text),
    sent.slice(0, 50).map((m) => m.text),
  );
  assert.equal(older.body.more, false);
  assert.equal((await page(h, alice.token, 'self', '?limit=101')).status, 400);

  // 100 messages a minute → a bucket of 200 agent messages (refilled as time passes), 1000 events.
  const untilLimited = async (emit: (i: number) => Promise<{ error?: { code: string } }>, cap: number) => {
    for (let i = 0; i < cap; i++) {
      const code = (await emit(i)).error?.code;
      if (code) return code;
    }
    return 'never limited';
  };
  assert.equal(await untilLimited((i) => request(socket, 'team:send', { threadKey: 'team', clientId: clientId(), text: `${i}` }), 300), 'rate_limited');
  assert.equal(await untilLimited((i) => request(socket, 'team:typing', { threadKey: 'team', typing: i % 2 === 0 }), 1500), 'rate_limited');
  // team:read shares the events bucket: limited within a few calls, not after the bucket's 1,000. (Not at once: the
  // bucket refills one event every 60 ms from where typing left it, a fraction below one, so the first read may pass.)
  assert.equal(
    await untilLimited(() => request(socket, 'team:read', { threadKey: 'self', upToId: 1 }), 20),
    'rate_limited',
    'team:read shares the events bucket',
  );
});
