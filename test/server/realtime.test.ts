// The hub's realtime behaviour, end to end over real Socket.IO connections and a real SQLite file.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ConversationDetail, ConversationSummary, Message, VisitorConversation } from '../../protocol/types.js';
import { HOUR } from '../../server/clock.js';
import { clientId, next, request, startHub } from '../helpers/hub.js';

type Sent = { message: Message; conversation: VisitorConversation };

async function say(socket: Parameters<typeof request>[0], text: string, id = clientId()) {
  const ack = await request<Sent>(socket, 'message:send', { clientId: id, text });
  assert.ok(ack.data, `send failed: ${JSON.stringify(ack.error)}`);
  return ack.data;
}

test('visitor says hello and the bot greets them', async (t) => {
  const h = await startHub(t);
  const { socket, session } = await h.visitor({ userData: { first_name: 'Ada', email: 'ada@example.com' } });
  assert.equal(session.conversation, null);
  assert.ok(session.token.length > 20);
  const reply = next<Message>(socket, 'message:new', (m) => m.author === 'bot');
  const sent = await say(socket, 'Hello!');
  assert.equal(sent.message.author, 'visitor');
  assert.ok(sent.message.id > 0);
  assert.deepEqual(sent.conversation.handler, { kind: 'bot' });
  assert.match((await reply).text, /How can I help/);
});

test('an unknown question gets the fallback and marks the conversation not_understood', async (t) => {
  const h = await startHub(t);
  const admin = await h.login();
  const { socket } = await h.visitor();
  const reply = next<Message>(socket, 'message:new', (m) => m.author === 'bot');
  const sent = await say(socket, 'Do you sell quantum bananas on Mars?');
  assert.match((await reply).text, /didn't understand/);
  const detail = await h.api<ConversationDetail>('GET', `/api/conversations/${sent.conversation.id}`, { token: admin });
  assert.equal(detail.body.conversation.botStatus, 'not_understood');

  const helpReply = next<Message>(socket, 'message:new', (m) => m.author === 'bot');
  await say(socket, 'I want to talk to a human please');
  assert.match((await helpReply).text, /team/);
  const after = await h.api<ConversationDetail>('GET', `/api/conversations/${sent.conversation.id}`, { token: admin });
  assert.equal(after.body.conversation.botStatus, 'need_help');
});

test('a visitor waiting for a person stays Need help: the bot answers what it knows, not with its fallback, until an agent takes over', async (t) => {
  const h = await startHub(t);
  const admin = await h.login();
  const { socket } = await h.visitor();
  const status = async (id: string) => (await h.api<ConversationDetail>('GET', `/api/conversations/${id}`, { token: admin })).body.conversation.botStatus;
  const handoff = next<Message>(socket, 'message:new', (m) => m.author === 'bot');
  const { conversation } = await say(socket, 'I want to talk to a human please');
  assert.match((await handoff).text, /team/);

  // Bot answers are written in the order of the messages they answer (one at a time under the conversation's lock):
  // once the greeting is in, the question before it has had its turn.
  const greeting = next<Message>(socket, 'message:new', (m) => m.author === 'bot' && /How can I help/.test(m.text));
  await say(socket, 'Do you sell quantum bananas on Mars?');
  await say(socket, 'Hello!');
  await greeting;
  const { body } = await h.api<ConversationDetail>('GET', `/api/conversations/${conversation.id}`, { token: admin });
  const answers = body.messages.filter((m) => m.author === 'bot').map((m) => m.text);
  assert.equal(answers.length, 2, `no fallback ("ask for a human agent") to a visitor who did: ${JSON.stringify(answers)}`);
  assert.match(answers[1] ?? '', /How can I help/);
  assert.equal(body.conversation.botStatus, 'need_help', 'still waiting for a person');

  const claimed = await h.api<ConversationSummary>('POST', `/api/conversations/${conversation.id}/claim`, { token: admin, body: {} });
  assert.equal(claimed.body.botStatus, 'ok', 'an agent took it: nobody is waiting any more');
  assert.equal(await status(conversation.id), 'ok');
});

test('take over: bot muted, visitor sees the agent join and gets agent messages live; a second claim is refused; hand back revives the bot', async (t) => {
  const h = await startHub(t);
  const alice = await h.agent('agent', 'Alice');
  const bob = await h.agent('agent', 'Bob');
  const { socket: visitor } = await h.visitor();
  const greeted = next<Message>(visitor, 'message:new', (m) => m.author === 'bot');
  const { conversation } = await say(visitor, 'hi');
  await greeted;

  const joined = next<VisitorConversation>(visitor, 'conversation:updated', (c) => c.handler.kind === 'agent');
  const joinedLine = next<Message>(visitor, 'message:new', (m) => m.author === 'system');
  const claim = await h.api<ConversationSummary>('POST', `/api/conversations/${conversation.id}/claim`, { token: alice.token, body: {} });
  assert.equal(claim.status, 200);
  assert.equal(claim.body.holderId, alice.id);
  assert.equal(claim.body.muted, true);
  assert.ok(claim.body.unmuteAt);
  assert.deepEqual((await joined).handler, { kind: 'agent', name: 'Alice' });
  assert.equal((await joinedLine).text, 'Alice joined the conversation');

  // Muted: the visitor's next message gets no bot answer, and the agent's reply arrives live.
  const aliceSocket = await h.agentSocket(alice.token);
  assert.ok((await request(aliceSocket, 'conversation:watch', { conversationId: conversation.id })).data); // she has it open
  const seenByAgent = next<Message>(aliceSocket, 'message:new', (m) => m.author === 'visitor');
  await say(visitor, 'hello? what are your opening hours');
  await seenByAgent;
  const live = next<Message>(visitor, 'message:new', (m) => m.author === 'agent');
  const sent = await request<{ message: Message }>(aliceSocket, 'message:send', {
    conversationId: conversation.id,
    clientId: clientId(),
    text: 'Hi, Alice here',
  });
  assert.ok(sent.data);
  const received = await live;
  assert.equal(received.text, 'Hi, Alice here');
  assert.equal(received.authorName, 'Alice');
  const transcript = await h.api<{ messages: Message[] }>('GET', `/api/conversations/${conversation.id}/messages`, { token: alice.token });
  assert.equal(transcript.body.messages.filter((m) => m.author === 'bot').length, 1, 'only the first greeting came from the bot');

  // Bob can neither claim nor write.
  const refused = await h.api<{ code: string; message: string }>('POST', `/api/conversations/${conversation.id}/claim`, { token: bob.token, body: {} });
  assert.equal(refused.status, 409);
  assert.equal(refused.body.code, 'already_claimed');
  assert.match(refused.body.message, /Alice/);
  const bobSocket = await h.agentSocket(bob.token);
  const bobSend = await request(bobSocket, 'message:send', { conversationId: conversation.id, clientId: clientId(), text: 'me too' });
  assert.equal(bobSend.error?.code, 'already_claimed');
  const bobRelease = await h.api('POST', `/api/conversations/${conversation.id}/release`, { token: bob.token });
  assert.equal(bobRelease.status, 403);

  // Hand back: the bot answers again.
  const left = next<VisitorConversation>(visitor, 'conversation:updated', (c) => c.handler.kind === 'bot');
  const released = await h.api<ConversationSummary>('POST', `/api/conversations/${conversation.id}/release`, { token: alice.token });
  assert.equal(released.body.muted, false);
  assert.equal(released.body.holderId, null);
  await left;
  const botAgain = next<Message>(visitor, 'message:new', (m) => m.author === 'bot');
  await say(visitor, 'hello again');
  assert.match((await botAgain).text, /How can I help/);

  // An admin may reassign.
  await h.api('POST', `/api/conversations/${conversation.id}/claim`, { token: alice.token, body: {} });
  const admin = await h.login();
  assert.equal((await h.api('POST', `/api/conversations/${conversation.id}/claim`, { token: bob.token, body: { force: true } })).status, 403);
  const reassigned = await h.api<ConversationSummary>('POST', `/api/conversations/${conversation.id}/claim`, { token: admin, body: { force: true } });
  assert.equal(reassigned.status, 200);
  assert.equal(reassigned.body.holderName, 'Admin');
});

test('auto-unmute fires 72 h after the mute, and survives a hub restart', async (t) => {
  const h = await startHub(t);
  const admin = await h.login();
  const { socket } = await h.visitor();
  const { conversation } = await say(socket, 'hi');
  const muted = await h.api<ConversationSummary>('POST', `/api/conversations/${conversation.id}/mute`, { token: admin });
  assert.equal(muted.body.muted, true);
  assert.equal(new Date(muted.body.unmuteAt ?? 0).getTime() - new Date(muted.body.mutedAt ?? 0).getTime(), 72 * HOUR);

  h.clock.advance(71 * HOUR);
  assert.deepEqual((await h.hub.sweep()).unmuted, []);

  // Restart the hub on the same database; the mute is still there and still expires.
  await h.stop();
  h.clock.advance(1 * HOUR + 1000);
  const restarted = await startHub(t, { dir: h.dir, clock: h.clock });
  const adminAgain = await restarted.login(); // tokens last 12 h; 72 h went by
  assert.equal((await restarted.api('GET', '/api/me', { token: admin })).status, 401, 'the old token expired');
  const stillMuted = await restarted.api<ConversationDetail>('GET', `/api/conversations/${conversation.id}`, { token: adminAgain });
  assert.equal(stillMuted.body.conversation.muted, true);
  const { unmuted } = await restarted.hub.sweep();
  assert.deepEqual(unmuted, [conversation.id]);
  const after = await restarted.api<ConversationDetail>('GET', `/api/conversations/${conversation.id}`, { token: adminAgain });
  assert.equal(after.body.conversation.muted, false);
  assert.equal((await restarted.hub.sweep()).unmuted.length, 0, 'fires once');
});

test('ticket status: new → active → pending → resolved, and inactive after 24 h', async (t) => {
  const h = await startHub(t);
  const alice = await h.agent('agent', 'Alice');
  const aliceSocket = await h.agentSocket(alice.token);
  const { socket } = await h.visitor();
  const { conversation } = await say(socket, 'hi');
  const admin = await h.login();
  const status = async () => (await h.api<ConversationDetail>('GET', `/api/conversations/${conversation.id}`, { token: admin })).body.conversation;
  assert.equal((await status()).ticketStatus, 'new');
  assert.equal((await status()).unrepliedCount, 1);

  const reply = await request<{ conversation: ConversationSummary }>(aliceSocket, 'message:send', {
    conversationId: conversation.id,
    clientId: clientId(),
    text: 'Hello!',
  });
  assert.equal(reply.data?.conversation.ticketStatus, 'active');
  assert.equal(reply.data?.conversation.holderId, alice.id, 'writing takes the conversation over');
  assert.equal(reply.data?.conversation.unrepliedCount, 0);

  await say(socket, 'thanks, one more question');
  assert.equal((await status()).ticketStatus, 'pending');

  const resolved = await h.api<ConversationSummary>('PUT', `/api/conversations/${conversation.id}/ticket-status`, {
    token: alice.token,
    body: { status: 'resolved' },
  });
  assert.equal(resolved.body.ticketStatus, 'resolved');
  assert.equal((await h.api('PUT', `/api/conversations/${conversation.id}/ticket-status`, { token: alice.token, body: { status: 'done' } })).status, 400);

  await say(socket, 'actually, another thing');
  assert.equal((await status()).ticketStatus, 'pending');
  h.clock.advance(24 * HOUR + 1);
  const { inactive } = await h.hub.sweep();
  assert.deepEqual(inactive, [conversation.id]);
  const fresh = await h.login();
  const detail = await h.api<ConversationDetail>('GET', `/api/conversations/${conversation.id}`, { token: fresh });
  assert.equal(detail.body.conversation.ticketStatus, 'inactive');
});

test('close and reopen: a message after close starts a new conversation', async (t) => {
  const h = await startHub(t);
  const admin = await h.login();
  const { socket } = await h.visitor();
  const first = await say(socket, 'hi');
  const closedEvent = next<VisitorConversation>(socket, 'conversation:updated', (c) => c.state === 'closed');
  const closed = await h.api<ConversationSummary>('POST', `/api/conversations/${first.conversation.id}/close`, { token: admin, body: {} });
  assert.equal(closed.body.state, 'closed');
  assert.equal(closed.body.ticketStatus, 'resolved');
  await closedEvent;
  const second = await say(socket, 'hello again');
  assert.notEqual(second.conversation.id, first.conversation.id);
  const reopened = await h.api<ConversationSummary>('POST', `/api/conversations/${first.conversation.id}/reopen`, { token: admin });
  assert.equal(reopened.body.state, 'open');
  const closedList = await h.api<{ items: ConversationSummary[] }>('GET', '/api/conversations?inbox=closed', { token: admin });
  assert.equal(closedList.body.items.length, 0);
});

test('a visitor only ever sees their own conversation; forged tokens are refused', async (t) => {
  const h = await startHub(t);
  const a = await h.visitor();
  await say(a.socket, 'my secret order number is 1234');
  const b = await h.visitor();
  assert.notEqual(b.session.visitor.id, a.session.visitor.id);
  const since = await request<{ messages: Message[] }>(b.socket, 'messages:since', { afterId: 0 });
  assert.deepEqual(since.data?.messages, []);

  // A token signed with another key, or edited, is refused at connect.
  const [header, payload] = a.session.token.split('.');
  const forgedPayload = Buffer.from(JSON.stringify({ sub: a.session.visitor.id, site: 'demo' })).toString('base64url');
  for (const token of [`${header}.${forgedPayload}.invalidsignature`, `${header}.${payload}.`, 'garbage']) {
    await assert.rejects(h.visitor({ token }), /unauthorized/);
  }
  await assert.rejects(h.visitor({ site: 'no-such-site' }), /unknown_site/);

  // The genuine token resumes the same visitor and conversation.
  const again = await h.visitor({ token: a.session.token });
  assert.equal(again.session.visitor.id, a.session.visitor.id);
  const history = await request<{ messages: Message[] }>(again.socket, 'messages:since', { afterId: 0 });
  assert.equal(history.data?.messages[0]?.text, 'my secret order number is 1234');
});

test('agents need a valid token', async (t) => {
  const h = await startHub(t);
  await assert.rejects(h.agentSocket(''), /unauthorized/);
  await assert.rejects(h.agentSocket('not-a-token'), /unauthorized/);
  const token = await h.login();
  const socket = await h.agentSocket(token);
  assert.ok(socket.connected);
  const closed = new Promise<void>((resolve) => socket.once('disconnect', () => resolve()));
  assert.equal((await h.api('POST', '/api/auth/logout', { token })).status, 200);
  await closed;
  await assert.rejects(h.agentSocket(token), /unauthorized/, 'a revoked token is refused');
});

test('malformed and oversized events are refused with an error ack and nothing is stored', async (t) => {
  const h = await startHub(t);
  const { socket } = await h.visitor();
  const bad: unknown[] = [
    null,
    'hello',
    { text: 'no client id' },
    { clientId: 42, text: 'x' },
    { clientId: clientId(), text: { nested: true } },
    { clientId: 'x'.repeat(200), text: 'long id' },
    { clientId: clientId(), text: '   ' },
    { clientId: clientId(), text: 'extra field', admin: true },
  ];
  for (const payload of bad) {
    const ack = await request(socket, 'message:send', payload);
    assert.equal(ack.error?.code, 'bad_request', `payload ${JSON.stringify(payload)?.slice(0, 60)}`);
  }
  const tooLong = await request(socket, 'message:send', { clientId: clientId(), text: 'x'.repeat(4097) });
  assert.equal(tooLong.error?.code, 'too_large');
  const okAtLimit = await request(socket, 'message:send', { clientId: clientId(), text: 'y'.repeat(4096) });
  assert.ok(okAtLimit.data);
  // Events without an ack or with junk don't break the connection.
  socket.emit('message:send', 'no ack and junk' as never, undefined as never);
  socket.emit('typing', 'junk' as never);
  const since = await request<{ messages: Message[] }>(socket, 'messages:since', { afterId: 0 });
  const visitorMessages = since.data?.messages.filter((m) => m.author === 'visitor') ?? [];
  assert.deepEqual(
    visitorMessages.map((m) => m.text.slice(0, 6)),
    ['yyyyyy'],
  );
  assert.equal((await request(socket, 'messages:since', { afterId: -1 })).error?.code, 'bad_request');
});

test('a resent message (same clientId) is stored once and answered with the stored message', async (t) => {
  const h = await startHub(t);
  const { socket } = await h.visitor();
  const id = clientId();
  // The bot answers after the ack: wait for its answer before counting (it is not part of the resend).
  const botAnswer = next<Message>(socket, 'message:new', (m) => m.author === 'bot');
  const first = await say(socket, 'hello', id);
  const again = await say(socket, 'hello', id);
  const concurrent = await Promise.all([1, 2, 3].map(() => say(socket, 'hello', id)));
  for (const copy of [again, ...concurrent]) assert.equal(copy.message.id, first.message.id);
  await botAnswer;
  assert.equal(await h.hub.store.messages.count(first.conversation.id), 2, 'the message once, and one bot answer');
});

test('an agent’s resend committed with other messages is answered with the stored one; the others are stored', async (t) => {
  const h = await startHub(t);
  const token = await h.login();
  const agent = await h.agentSocket(token);
  const { socket } = await h.visitor();
  const { conversation } = await say(socket, 'hi');
  const id = clientId();
  const send = (text: string, messageId = clientId()) =>
    request<{ message: Message }>(agent, 'message:send', { conversationId: conversation.id, clientId: messageId, text });
  const first = await send('one reply', id);
  // In one turn: the resend (refused by the unique index inside the shared transaction) and five new replies.
  const [resent, ...others] = await Promise.all([send('one reply', id), ...[1, 2, 3, 4, 5].map((n) => send(`reply ${n}`))]);
  assert.equal(resent?.data?.message.id, first.data?.message.id, 'the resend answers with the stored message');
  for (const other of others) assert.ok(other.data && other.data.message.id > (first.data?.message.id ?? 0), JSON.stringify(other.error));
  const stored = await h.hub.store.messages.latest(conversation.id, 100);
  assert.deepEqual(
    stored
      .filter((m) => m.author === 'agent')
      .map((m) => m.text)
      .sort(),
    ['one reply', 'reply 1', 'reply 2', 'reply 3', 'reply 4', 'reply 5'],
  );
});

test('after a reconnect, messages:since returns exactly the missed messages', async (t) => {
  const h = await startHub(t);
  const token = await h.login();
  const agent = await h.agentSocket(token);
  const first = await h.visitor();
  const greeted = next<Message>(first.socket, 'message:new', (m) => m.author === 'bot');
  const { conversation } = await say(first.socket, 'hi');
  const lastSeen = (await greeted).id;
  first.socket.disconnect();

  const missed: number[] = [];
  for (const text of ['one', 'two', 'three']) {
    const ack = await request<{ message: Message }>(agent, 'message:send', { conversationId: conversation.id, clientId: clientId(), text });
    missed.push(ack.data?.message.id ?? -1);
  }
  const back = await h.visitor({ token: first.session.token });
  assert.equal(back.session.conversation?.id, conversation.id);
  const since = await request<{ messages: Message[] }>(back.socket, 'messages:since', { afterId: lastSeen });
  const agentMessages = since.data?.messages.filter((m) => m.author === 'agent') ?? [];
  assert.deepEqual(
    agentMessages.map((m) => m.text),
    ['one', 'two', 'three'],
  );
  assert.deepEqual(
    agentMessages.map((m) => m.id),
    missed,
  );
  assert.ok(since.data?.messages.every((m) => m.id > lastSeen));
});

test('data survives a hub restart', async (t) => {
  const h = await startHub(t);
  const { socket, session } = await h.visitor({ userData: { first_name: 'Grace', email: 'grace@example.com' } });
  const { conversation } = await say(socket, 'Please keep this');
  await h.stop();
  const restarted = await startHub(t, { dir: h.dir, clock: h.clock });
  const admin = await restarted.login();
  const detail = await restarted.api<ConversationDetail>('GET', `/api/conversations/${conversation.id}`, { token: admin });
  assert.equal(detail.status, 200);
  assert.equal(detail.body.visitor.userData.first_name, 'Grace');
  assert.equal(detail.body.messages[0]?.text, 'Please keep this');
  const back = await restarted.visitor({ token: session.token });
  assert.equal(back.session.visitor.id, session.visitor.id, 'the visitor token still works after a restart');
});

test('messages sent at once by a new visitor open one conversation and count every unread message', async (t) => {
  // Regression: on PostgreSQL two concurrent first messages each opened a conversation.
  const h = await startHub(t);
  const { socket } = await h.visitor();
  const acks = await Promise.all(['one', 'two', 'three', 'four'].map((text) => say(socket, text)));
  const ids = new Set(acks.map((a) => a.conversation.id));
  assert.equal(ids.size, 1, 'one conversation');
  const token = await h.login();
  const detail = await h.api<ConversationDetail>('GET', `/api/conversations/${[...ids][0]}`, { token });
  assert.deepEqual(
    detail.body.messages
      .filter((m) => m.author === 'visitor')
      .map((m) => m.text)
      .sort(),
    ['four', 'one', 'three', 'two'],
  );
  assert.equal(detail.body.conversation.unreadCount, 4);
});

test('a tab left open after its empty session was swept still sends: the session is written again', async (t) => {
  // The message path reads no session row once the socket has one (services/visitor-sessions.ts `writer`); a row
  // swept meanwhile must not cost the visitor their message.
  const h = await startHub(t);
  const { socket } = await h.visitor({ userData: { first_name: 'Ada', email: 'ada@example.com' } });
  h.clock.advance(31 * 24 * HOUR);
  assert.equal((await h.hub.sweep()).emptyVisitorsRemoved, 1);
  const sent = await say(socket, 'Still here?');
  assert.equal(sent.message.text, 'Still here?');
  const token = await h.login();
  const detail = await h.api<ConversationDetail>('GET', `/api/conversations/${sent.conversation.id}`, { token });
  assert.deepEqual(
    detail.body.messages.filter((m) => m.author === 'visitor').map((m) => m.text),
    ['Still here?'],
  );
});
