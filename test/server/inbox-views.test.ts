/**
 * The inbox views and their unreplied counts (messages, not conversations), and the dashboard tiles for
 * you and for the team: each view lists what protocol/inbox.ts says, the hub's counts equal the sum of the
 * listed conversations' unreplied messages, and the Expired view fills when a visitor waits 24 h.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ConversationList } from '../../protocol/api.js';
import type { ConversationDetail, DashboardStats, Inbox, Message } from '../../protocol/types.js';
import { INBOXES } from '../../protocol/types.js';
import { clientId, request, startHub, type TestHub, type VisitorSocket } from '../helpers/hub.js';

async function say(socket: VisitorSocket, text: string): Promise<Message> {
  const ack = await request<{ message: Message }>(socket, 'message:send', { clientId: clientId(), text });
  assert.ok(ack.data, JSON.stringify(ack.error));
  return ack.data.message;
}

async function views(h: TestHub, token: string): Promise<Record<Inbox, { ids: string[]; count: number }>> {
  const result = {} as Record<Inbox, { ids: string[]; count: number }>;
  for (const inbox of INBOXES) {
    const list = await h.api<Required<ConversationList>>('GET', `/api/conversations?inbox=${inbox}&limit=200`, { token });
    assert.equal(list.status, 200);
    result[inbox] = { ids: list.body.items.map((c) => c.id).sort(), count: list.body.counts[inbox] };
    // A view's total (from the count groups) is what it lists.
    assert.equal(list.body.total, list.body.items.length, `${inbox}: total`);
    // A view's count is the unreplied messages of what it lists.
    assert.equal(
      list.body.counts[inbox],
      list.body.items.reduce((sum, c) => sum + c.unrepliedCount, 0),
      `${inbox}: count = sum of unreplied`,
    );
  }
  return result;
}

test('every view lists what it means and counts its unreplied messages; the tiles split you from the team', async (t) => {
  const h = await startHub(t);
  const admin = await h.login();
  const agent = await h.agent('agent', 'Ana');
  let agentSocket = await h.agentSocket(agent.token);
  const reply = (conversationId: string, text: string) => request(agentSocket, 'message:send', { conversationId, clientId: clientId(), text });

  // New: two visitor messages, nobody answered.
  const fresh = await h.visitor({ userData: { first_name: 'Nell' } });
  const newId = (await say(fresh.socket, 'one')).conversationId;
  await say(fresh.socket, 'two');
  // Active: Ana answered (she now holds it).
  const answered = await h.visitor({ userData: { first_name: 'Ari' } });
  const activeId = (await say(answered.socket, 'question')).conversationId;
  await reply(activeId, 'answer');
  // Pending: the visitor wrote three times after Ana's answer.
  const waiting = await h.visitor({ userData: { first_name: 'Pia' } });
  const pendingId = (await say(waiting.socket, 'hi')).conversationId;
  await reply(pendingId, 'hello');
  for (const text of ['a', 'b', 'c']) await say(waiting.socket, text);
  // Closed.
  const done = await h.visitor({ userData: { first_name: 'Cleo' } });
  const closedId = (await say(done.socket, 'bye')).conversationId;
  await h.api('POST', `/api/conversations/${closedId}/close`, { token: admin, body: {} });
  // Outgoing: Ana starts a New chat with Cleo.
  const cleo = (await h.api<ConversationDetail>('GET', `/api/conversations/${closedId}`, { token: admin })).body.conversation.contactId;
  const outgoing = await h.api<{ conversation: { id: string } }>('POST', `/api/contacts/${cleo}/conversations`, { token: agent.token, body: { text: 'news' } });
  const outgoingId = outgoing.body.conversation.id;
  // Assigned to Ana, unanswered: in Mine and New.
  const assigned = await h.visitor({ userData: { first_name: 'Max' } });
  const assignedId = (await say(assigned.socket, 'help')).conversationId;
  await h.api('PUT', `/api/conversations/${assignedId}/assignees`, { token: admin, body: { agentIds: [agent.id] } });

  const sorted = (...ids: string[]) => ids.sort();
  let seen = await views(h, agent.token);
  assert.deepEqual(seen.new.ids, sorted(newId, assignedId));
  assert.equal(seen.new.count, 3);
  assert.deepEqual(seen.active.ids, [activeId]);
  assert.equal(seen.active.count, 0);
  assert.deepEqual(seen.pending.ids, [pendingId]);
  assert.equal(seen.pending.count, 3);
  assert.deepEqual(seen.outgoing.ids, [outgoingId]);
  assert.deepEqual(seen.closed.ids, [closedId]);
  assert.deepEqual(seen.expired.ids, []);
  assert.deepEqual(seen.inactive.ids, []);
  assert.deepEqual(seen.mine.ids, sorted(activeId, pendingId, outgoingId, assignedId));
  assert.equal(seen.mine.count, 4, "Pia's three and Max's one");
  assert.deepEqual(seen.unassigned.ids, [newId]);
  assert.deepEqual(seen.all.ids, sorted(newId, activeId, pendingId, outgoingId, assignedId));
  assert.equal(seen.all.count, 6);
  const stats = await h.api<DashboardStats>('GET', '/api/stats', { token: agent.token });
  assert.deepEqual(stats.body, { assignedToMe: 4, myUnreplied: 4, unassigned: 1, totalUnreplied: 6 });

  // A day passes without answers: the waiting visitors' conversations expire (and go inactive).
  h.clock.advance(25 * 3_600_000);
  const swept = await h.hub.sweep();
  assert.deepEqual(swept.expired.sort(), sorted(newId, pendingId, assignedId));
  // (Ana's sign-in expired meanwhile.)
  agent.token = await h.login(agent.email, 'password-123');
  agentSocket = await h.agentSocket(agent.token);
  seen = await views(h, agent.token);
  assert.deepEqual(seen.expired.ids, sorted(newId, pendingId, assignedId));
  assert.equal(seen.expired.count, 6);
  assert.deepEqual(seen.inactive.ids, sorted(newId, activeId, pendingId, assignedId));
  // An answer takes a conversation out of Expired; a new visitor message restarts its clock.
  await reply(pendingId, 'sorry for the wait');
  await say(fresh.socket, 'still there?');
  seen = await views(h, agent.token);
  assert.deepEqual(seen.expired.ids, [assignedId]);
  assert.equal(seen.expired.count, 1);
});

test('the Expired view follows live: a push carries the state before the sweep', async (t) => {
  const h = await startHub(t);
  const admin = await h.login();
  const socket = await h.agentSocket(admin);
  const v = await h.visitor();
  const id = (await say(v.socket, 'anyone?')).conversationId;
  const pushed = new Promise<{ expired: boolean; previous: { expired: boolean } | null }>((resolve) => {
    socket.on('conversation:updated', (summary: { id: string; expired: boolean }, change: { previous: { expired: boolean } | null }) => {
      if (summary.id === id && summary.expired) resolve({ expired: summary.expired, previous: change.previous });
    });
  });
  h.clock.advance(25 * 3_600_000);
  await h.hub.sweep();
  const update = await pushed;
  assert.equal(update.previous?.expired, false);
});
