/**
 * Assignment follows visibility: an agent who can't see a conversation can't be assigned to it, and when its
 * visibility narrows, the agents who lose sight of it leave its assignees, stop holding it (the bot answers again)
 * and stop hearing about it (updates, messages, typing). Admins always see, so they always stay.
 * Also who may close: the holder, an assignee or an admin when someone is responsible; any agent who sees it otherwise.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LanguageCount } from '../../protocol/api.js';
import type { ConversationDetail, ConversationSummary, Message, VisitorConversation } from '../../protocol/types.js';
import { type AgentSocket, clientId, next, request, startHub, type TestHub } from '../helpers/hub.js';

async function conversation(h: TestHub, text = 'hello', language?: string) {
  const { socket } = await h.visitor(language ? { language } : {});
  const sent = await request<{ message: Message }>(socket, 'message:send', { clientId: clientId(), text });
  assert.ok(sent.data, JSON.stringify(sent.error));
  return { socket, id: sent.data.message.conversationId };
}

const get = async (h: TestHub, token: string, id: string): Promise<ConversationSummary> =>
  (await h.api<ConversationDetail>('GET', `/api/conversations/${id}`, { token })).body.conversation;

/** Everything `socket` receives of `event`. */
function record<T>(socket: AgentSocket, event: string): T[] {
  const seen: T[] = [];
  socket.on(event as never, ((payload: T) => seen.push(payload)) as never);
  return seen;
}

/** A round trip on `socket`: every event the hub sent it before is delivered once this resolves. */
const settle = (socket: AgentSocket) => request(socket, 'conversation:watch', { conversationId: 'no-such-conversation' });

test('an agent who cannot see a conversation cannot be assigned to it (400, a clear message)', async (t) => {
  const h = await startHub(t);
  const admin = await h.login();
  const ana = await h.agent('agent', 'Ana');
  const bob = await h.agent('agent', 'Bob Hidden');
  const boss = await h.agent('admin', 'Boss');
  const { id } = await conversation(h);

  // Team-wide: anyone may be assigned.
  assert.equal((await h.api('PUT', `/api/conversations/${id}/assignees`, { token: admin, body: { agentIds: [bob.id] } })).status, 200);
  assert.equal((await h.api('PUT', `/api/conversations/${id}/assignees`, { token: admin, body: { agentIds: [] } })).status, 200);

  assert.equal((await h.api('PUT', `/api/conversations/${id}/visibility`, { token: admin, body: { agentIds: [ana.id] } })).status, 200);
  for (const token of [admin, ana.token]) {
    const refused = await h.api<{ code: string; message: string }>('PUT', `/api/conversations/${id}/assignees`, {
      token,
      body: { agentIds: [ana.id, bob.id] },
    });
    assert.equal(refused.status, 400);
    assert.equal(refused.body.code, 'bad_request');
    assert.match(refused.body.message, /Bob Hidden cannot see this conversation/);
  }
  assert.deepEqual((await get(h, admin, id)).assignees, [], 'a refused assignment changes nothing');

  // Who sees it may be assigned: the listed agent, and any admin (admins see everything).
  const ok = await h.api<ConversationSummary>('PUT', `/api/conversations/${id}/assignees`, { token: ana.token, body: { agentIds: [ana.id, boss.id] } });
  assert.equal(ok.status, 200);
  assert.deepEqual(ok.body.assignees, [ana.id, boss.id]);
});

test('narrowing visibility removes the agents who lose sight from the assignees, releases their hold and stops their live events', async (t) => {
  const h = await startHub(t);
  const admin = await h.login();
  const ana = await h.agent('agent', 'Ana');
  const bob = await h.agent('agent', 'Bob');
  const boss = await h.agent('admin', 'Boss');
  const { socket: visitor, id } = await conversation(h, 'I need help');

  // Bob takes it over (the bot is muted); Ana, Bob and the admin Boss are assigned.
  assert.equal((await h.api('POST', `/api/conversations/${id}/claim`, { token: bob.token, body: {} })).status, 200);
  assert.equal((await h.api('PUT', `/api/conversations/${id}/assignees`, { token: admin, body: { agentIds: [ana.id, bob.id, boss.id] } })).status, 200);
  // Restricted first to Ana, Bob and Boss (an admin listed by name), so the narrowing below takes Boss off the list too.
  assert.equal((await h.api('PUT', `/api/conversations/${id}/visibility`, { token: admin, body: { agentIds: [ana.id, bob.id, boss.id] } })).status, 200);

  const anaSocket = await h.agentSocket(ana.token);
  const bobSocket = await h.agentSocket(bob.token);
  const bossSocket = await h.agentSocket(boss.token);
  for (const s of [anaSocket, bobSocket, bossSocket]) assert.ok((await request(s, 'conversation:watch', { conversationId: id })).data);
  const bobUpdates = record<ConversationSummary>(bobSocket, 'conversation:updated');
  const bobMessages = record<Message>(bobSocket, 'message:new');
  const bobTyping = record<unknown>(bobSocket, 'visitor:typing');
  const bossDeleted = record<unknown>(bossSocket, 'conversation:deleted');
  const bobGone = next<{ conversationId: string; previous: { holderId: string | null } }>(bobSocket, 'conversation:deleted');
  const botBack = next<VisitorConversation>(visitor, 'conversation:updated', (c) => c.handler.kind === 'bot');
  const leftLine = next<Message>(visitor, 'message:new', (m) => m.author === 'system' && m.text === 'Bob left the conversation');
  const anaSaw = next<ConversationSummary>(anaSocket, 'conversation:updated', (c) => c.id === id && c.holderId === null);
  const bossSaw = next<ConversationSummary>(bossSocket, 'conversation:updated', (c) => c.id === id && c.holderId === null);

  const narrowed = await h.api<ConversationSummary>('PUT', `/api/conversations/${id}/visibility`, { token: admin, body: { agentIds: [ana.id] } });
  assert.equal(narrowed.status, 200);
  assert.deepEqual(narrowed.body.visibleTo, [ana.id]);
  assert.deepEqual(narrowed.body.assignees, [ana.id, boss.id], 'Bob lost sight and is unassigned; the admin stays');
  assert.equal(narrowed.body.holderId, null, 'Bob no longer holds it');
  assert.equal(narrowed.body.muted, false, 'released as by hand-back: the bot is unmuted');

  // Bob's panel drops it with the state it had (for its counts); Ana and Boss get the new summary; Boss is not told it is gone.
  const gone = await bobGone;
  assert.equal(gone.conversationId, id);
  assert.equal(gone.previous.holderId, bob.id);
  assert.deepEqual((await anaSaw).assignees, [ana.id, boss.id]);
  await bossSaw;

  // The visitor sees Bob leave and the bot take over again.
  await botBack;
  await leftLine;
  const botAnswer = next<Message>(visitor, 'message:new', (m) => m.author === 'bot');
  await request(visitor, 'message:send', { clientId: clientId(), text: 'hello again' });
  await botAnswer;

  // Nothing of it reaches Bob any more: no update, no message (not even the "left" line), no typing.
  const anaTyping = next(anaSocket, 'visitor:typing');
  visitor.emit('typing', { typing: true });
  await anaTyping;
  await settle(bobSocket);
  await settle(bossSocket);
  assert.deepEqual(bobUpdates, []);
  assert.deepEqual(bobMessages, []);
  assert.deepEqual(bobTyping, []);
  assert.deepEqual(bossDeleted, [], 'an admin always sees it: no conversation:deleted');

  // And Bob can't come back to it.
  const watch = await request(bobSocket, 'conversation:watch', { conversationId: id });
  assert.equal(watch.error?.code, 'not_found');
  assert.equal((await h.api('GET', `/api/conversations/${id}`, { token: bob.token })).status, 404);
  assert.equal((await h.api('POST', `/api/conversations/${id}/claim`, { token: bob.token, body: {} })).status, 404);
});

test('from team-wide to restricted: every other agent loses sight; an agent restricting it keeps it and stays its holder', async (t) => {
  const h = await startHub(t);
  const ana = await h.agent('agent', 'Ana');
  const bob = await h.agent('agent', 'Bob');
  const { id } = await conversation(h);
  assert.equal((await h.api('POST', `/api/conversations/${id}/claim`, { token: ana.token, body: {} })).status, 200);
  assert.equal((await h.api('PUT', `/api/conversations/${id}/assignees`, { token: ana.token, body: { agentIds: [ana.id, bob.id] } })).status, 200);
  const bobSocket = await h.agentSocket(bob.token);
  const bobGone = next(bobSocket, 'conversation:deleted');
  // Ana restricts it to … nobody but the admins: she is kept on the list (she would lock herself out).
  const restricted = await h.api<ConversationSummary>('PUT', `/api/conversations/${id}/visibility`, { token: ana.token, body: { agentIds: [bob.id] } });
  assert.equal(restricted.status, 200);
  assert.deepEqual(restricted.body.visibleTo, [bob.id, ana.id]);
  assert.deepEqual(restricted.body.assignees, [ana.id, bob.id], 'nobody lost sight: nobody removed');
  assert.equal(restricted.body.holderId, ana.id);

  const narrowed = await h.api<ConversationSummary>('PUT', `/api/conversations/${id}/visibility`, { token: ana.token, body: { agentIds: [ana.id] } });
  assert.deepEqual(narrowed.body.assignees, [ana.id]);
  assert.equal(narrowed.body.holderId, ana.id, 'the holder who keeps sight keeps holding it');
  assert.equal(narrowed.body.muted, true);
  await bobGone;
});

test('who may close: holder, assignee or admin when someone is responsible; any agent who sees it otherwise', async (t) => {
  const h = await startHub(t);
  const admin = await h.login();
  const holder = await h.agent('agent', 'Holder');
  const assignee = await h.agent('agent', 'Assignee');
  const other = await h.agent('agent', 'Other');
  const hidden = await h.agent('agent', 'Hidden');
  const close = (token: string, id: string, ticketStatus?: string) =>
    h.api<ConversationSummary & { code?: string; message?: string }>('POST', `/api/conversations/${id}/close`, {
      token,
      body: ticketStatus ? { ticketStatus } : {},
    });
  /** A conversation held by Holder with Assignee assigned. */
  const held = async () => {
    const { id } = await conversation(h);
    assert.equal((await h.api('POST', `/api/conversations/${id}/claim`, { token: holder.token, body: {} })).status, 200);
    assert.equal((await h.api('PUT', `/api/conversations/${id}/assignees`, { token: admin, body: { agentIds: [assignee.id] } })).status, 200);
    return id;
  };

  const a = await held();
  const refused = await close(other.token, a);
  assert.equal(refused.status, 403);
  assert.equal(refused.body.code, 'forbidden');
  assert.equal(refused.body.message, 'Only the agent handling the conversation, an assignee or an admin can close it');
  assert.equal((await get(h, admin, a)).state, 'open');
  const byHolder = await close(holder.token, a, 'pending');
  assert.equal(byHolder.status, 200);
  assert.equal(byHolder.body.state, 'closed');
  assert.equal(byHolder.body.ticketStatus, 'pending', 'the outcome chosen in the close dialog');

  const b = await held();
  const byAssignee = await close(assignee.token, b);
  assert.equal(byAssignee.status, 200);
  assert.equal(byAssignee.body.ticketStatus, 'resolved', 'resolved by default');

  const c = await held();
  assert.equal((await close(admin, c)).status, 200, 'an admin may close a held conversation');

  // Unheld and unassigned: any agent who sees it; one who doesn't gets 404 (its existence doesn't leak).
  const { id: d } = await conversation(h);
  assert.equal((await h.api('PUT', `/api/conversations/${d}/visibility`, { token: admin, body: { agentIds: [other.id] } })).status, 200);
  assert.equal((await close(hidden.token, d)).status, 404);
  assert.equal((await close(other.token, d)).status, 200);
  const { id: e } = await conversation(h);
  assert.equal((await close(hidden.token, e, 'inactive')).body.ticketStatus, 'inactive');
});

test('GET /api/languages: the visitor languages of the conversations the agent may see, with counts', async (t) => {
  const h = await startHub(t);
  const admin = await h.login();
  const ana = await h.agent('agent', 'Ana');
  const fr = await conversation(h, 'bonjour', 'fr-FR');
  await conversation(h, 'bonjour', 'fr-FR');
  await conversation(h, 'hola', 'es');
  const languages = async (token: string) => (await h.api<{ items: LanguageCount[] }>('GET', '/api/languages', { token })).body.items;
  assert.deepEqual(await languages(admin), [
    { language: 'fr-FR', count: 2 },
    { language: 'es', count: 1 },
  ]);
  // Hidden from Ana: not counted for her.
  await h.api('PUT', `/api/conversations/${fr.id}/visibility`, {
    token: admin,
    body: { agentIds: [(await h.api<{ id: string }>('GET', '/api/me', { token: admin })).body.id] },
  });
  assert.deepEqual(await languages(ana.token), [
    { language: 'es', count: 1 },
    { language: 'fr-FR', count: 1 },
  ]);
});
