// Auto-assignment on a real hub over real sockets (SQLite, and PostgreSQL in the second pass): an agent
// with a panel socket connected is online, disconnecting makes them offline. Caps, round robin, balanced,
// the queue and its draining, escalation, reassignment after N minutes offline, visibility.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ConversationDetail, ConversationSummary, Settings, VisitorConversation } from '../../protocol/types.js';
import type { Agent } from '../../protocol/types.js';
import { assignmentStamp, chooseAgent, dueForReassignment, freesRoom, isQueued } from '../../server/rules/assignment.js';
import { type AgentSocket, type TestHub, type VisitorSocket, clientId, next, request, startHub } from '../helpers/hub.js';

const MINUTE = 60_000;

interface Member {
  id: string;
  token: string;
}

/** Polls `probe` until it answers something truthy, or fails after `ms` (never a fixed sleep). */
async function until<T>(what: string, probe: () => Promise<T | undefined | null | false>, ms = 8000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function hubWith(t: Parameters<typeof startHub>[0], settings: Partial<Settings>, options: Parameters<typeof startHub>[1] = {}) {
  const h = await startHub(t, options);
  const admin = await h.login();
  const saved = await h.api<Settings>('PUT', '/api/settings', { token: admin, body: settings });
  assert.equal(saved.status, 200, JSON.stringify(saved.body));
  return { h, admin };
}

/** A visitor who wrote `text`: the conversation's id (the ack comes after the assignment attempt). */
async function conversation(h: TestHub, text = 'hello', socket?: VisitorSocket): Promise<{ id: string; socket: VisitorSocket }> {
  h.clock.advance(1000); // the queue is served oldest first: give each conversation its own creation time
  const visitor = socket ?? (await h.visitor()).socket;
  const ack = await request<{ conversation: VisitorConversation }>(visitor, 'message:send', { clientId: clientId(), text });
  assert.ok(ack.data, JSON.stringify(ack.error));
  return { id: ack.data.conversation.id, socket: visitor };
}

async function summary(h: TestHub, admin: string, id: string): Promise<ConversationSummary> {
  const res = await h.api<ConversationDetail>('GET', `/api/conversations/${id}`, { token: admin });
  assert.equal(res.status, 200);
  return res.body.conversation;
}

const assignees = async (h: TestHub, admin: string, id: string) => (await summary(h, admin, id)).assignees;

async function setCap(h: TestHub, admin: string, agent: Member, maxOpen: number | null): Promise<Agent> {
  const res = await h.api<Agent>('PUT', `/api/agents/${agent.id}`, { token: admin, body: { maxOpen } });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
}

async function offline(h: TestHub, admin: string, agent: Member, socket: AgentSocket): Promise<void> {
  socket.disconnect();
  await until('the agent to be offline', async () => {
    const { body } = await h.api<{ items: Agent[] }>('GET', '/api/agents', { token: admin });
    return body.items.find((a) => a.id === agent.id)?.online === false;
  });
}

/** Open conversations per agent, straight from the database (holder or assignee, like the cap). */
async function loads(h: TestHub): Promise<Map<string, number>> {
  const rows = await h.hub.store.db.selectFrom('conversations').select(['assignees', 'holder_id']).where('state', '=', 'open').execute();
  const counts = new Map<string, number>();
  for (const row of rows) {
    for (const id of new Set([...(JSON.parse(row.assignees) as string[]), ...(row.holder_id ? [row.holder_id] : [])]))
      counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

test('settings and caps: defaults off, validated, admin only, maxOpen listed with the agents', async (t) => {
  const h = await startHub(t);
  const admin = await h.login();
  const agent = await h.agent('agent', 'Ana');
  const defaults = await h.api<Settings>('GET', '/api/settings', { token: agent.token });
  assert.equal(defaults.body.assignment, 'off');
  assert.equal(defaults.body.reassignAfterMinutes, null);
  assert.equal((await h.api('PUT', '/api/settings', { token: admin, body: { assignment: 'random' } })).status, 400);
  assert.equal((await h.api('PUT', '/api/settings', { token: admin, body: { reassignAfterMinutes: 0 } })).status, 400);
  assert.equal((await h.api('PUT', '/api/settings', { token: agent.token, body: { assignment: 'balanced' } })).status, 403);
  const saved = await h.api<Settings>('PUT', '/api/settings', { token: admin, body: { assignment: 'balanced', reassignAfterMinutes: 15 } });
  assert.equal(saved.body.assignment, 'balanced');
  assert.equal(saved.body.reassignAfterMinutes, 15);
  assert.equal(saved.body.botName, defaults.body.botName, 'other settings are kept');

  assert.equal((await h.api('PUT', `/api/agents/${agent.id}`, { token: admin, body: { maxOpen: -1 } })).status, 400);
  assert.equal((await h.api('PUT', `/api/agents/${agent.id}`, { token: admin, body: { maxOpen: 1.5 } })).status, 400);
  assert.equal((await h.api('PUT', `/api/agents/${agent.id}`, { token: agent.token, body: { maxOpen: 99 } })).status, 403);
  assert.equal((await setCap(h, admin, agent, 3)).maxOpen, 3);
  const listed = await h.api<{ items: Agent[] }>('GET', '/api/agents', { token: agent.token });
  assert.equal(listed.body.items.find((a) => a.id === agent.id)?.maxOpen, 3);
  assert.equal(listed.body.items.find((a) => a.id !== agent.id)?.maxOpen, null, 'no cap by default');
  assert.equal((await setCap(h, admin, agent, null)).maxOpen, null);
});

test('off: a new conversation stays unassigned even with an agent online', async (t) => {
  const h = await startHub(t);
  const admin = await h.login();
  const ana = await h.agent('agent', 'Ana');
  await h.agentSocket(ana.token);
  const { id } = await conversation(h);
  assert.deepEqual(await assignees(h, admin, id), []);
});

test('round robin over three agents, in an order that survives a restart', async (t) => {
  const { h, admin } = await hubWith(t, { assignment: 'round_robin' });
  const team = [await h.agent('agent', 'Ana'), await h.agent('agent', 'Ben'), await h.agent('agent', 'Cleo')];
  for (const member of team) await h.agentSocket(member.token);

  const order: string[] = [];
  for (let i = 0; i < 6; i++) {
    const { id } = await conversation(h);
    const [assignee, ...more] = await assignees(h, admin, id);
    assert.ok(assignee, `conversation ${i} assigned at once`);
    assert.equal(more.length, 0);
    order.push(assignee);
  }
  assert.deepEqual(new Set(order.slice(0, 3)), new Set(team.map((m) => m.id)), 'each agent once first');
  assert.deepEqual(order.slice(3), order.slice(0, 3), 'then the same order again');

  // Restart on the same database: who was assigned least recently is remembered.
  await h.stop();
  const again = await startHub(t, { dir: h.dir, clock: h.clock });
  const adminAgain = await again.login();
  for (const member of team) await again.agentSocket(member.token);
  const { id } = await conversation(again);
  assert.deepEqual(await assignees(again, adminAgain, id), [order[0]]);
});

test('balanced: the least loaded agent, ties to the least recently assigned', async (t) => {
  const { h, admin } = await hubWith(t, { assignment: 'balanced' });
  const [ana, ben, cleo] = [await h.agent('agent', 'Ana'), await h.agent('agent', 'Ben'), await h.agent('agent', 'Cleo')];
  // Ana has two open conversations, Ben one (assigned by hand, before anyone was online), Cleo none.
  for (const [member, count] of [
    [ana, 2],
    [ben, 1],
  ] as const) {
    for (let i = 0; i < count; i++) {
      const { id } = await conversation(h);
      assert.equal((await h.api('PUT', `/api/conversations/${id}/assignees`, { token: admin, body: { agentIds: [member.id] } })).status, 200);
    }
  }
  for (const member of [ana, ben, cleo]) await h.agentSocket(member.token);

  const first = await conversation(h);
  assert.deepEqual(await assignees(h, admin, first.id), [cleo.id], 'Cleo had none');
  const second = await conversation(h);
  assert.deepEqual(await assignees(h, admin, second.id), [ben.id], 'Ben and Cleo have one each; Ben was never auto-assigned');
  const third = await conversation(h);
  assert.deepEqual(await assignees(h, admin, third.id), [cleo.id], 'Ana and Ben have two, Cleo one');
  assert.deepEqual(Object.fromEntries(await loads(h)), { [ana.id]: 2, [ben.id]: 2, [cleo.id]: 2 });
});

test('caps: everyone at cap → queued; a close, an unassignment or a raised cap lets the oldest queued one in', async (t) => {
  const { h, admin } = await hubWith(t, { assignment: 'round_robin' });
  const ana = await h.agent('agent', 'Ana');
  const ben = await h.agent('agent', 'Ben');
  await setCap(h, admin, ana, 1);
  await setCap(h, admin, ben, 1);
  const anaSocket = await h.agentSocket(ana.token);
  await h.agentSocket(ben.token);

  const one = await conversation(h);
  const two = await conversation(h);
  const [oneAgent] = await assignees(h, admin, one.id);
  const [twoAgent] = await assignees(h, admin, two.id);
  assert.deepEqual(new Set([oneAgent, twoAgent]), new Set([ana.id, ben.id]));

  const three = await conversation(h);
  const four = await conversation(h);
  assert.deepEqual(await assignees(h, admin, three.id), [], 'queued: everyone is at cap');
  assert.deepEqual(await assignees(h, admin, four.id), []);

  // The holder of the first closes it: the oldest queued conversation goes to them, live.
  const closer = oneAgent === ana.id ? ana : ben;
  const announced = next<ConversationSummary>(anaSocket, 'conversation:updated', (s) => s.id === three.id && s.assignees.length > 0);
  assert.equal((await h.api('POST', `/api/conversations/${one.id}/close`, { token: closer.token, body: {} })).status, 200);
  assert.deepEqual((await announced).assignees, [closer.id], 'the panels hear of it (counts move live)');
  assert.deepEqual(await assignees(h, admin, four.id), [], 'the younger one still waits');

  // Unassigning frees room too, and puts the conversation back in the queue, where it is the oldest.
  const other = closer === ana ? ben : ana;
  assert.equal((await h.api('PUT', `/api/conversations/${two.id}/assignees`, { token: admin, body: { agentIds: [] } })).status, 200);
  await until('the queue to drain after an unassignment', async () => (await assignees(h, admin, two.id)).length > 0);
  assert.deepEqual(await assignees(h, admin, two.id), [other.id], 'oldest first');
  assert.deepEqual(await assignees(h, admin, four.id), [], 'the youngest still waits');

  // Raising a cap lets the rest in (the admin's request returns once the queue was served).
  await setCap(h, admin, ana, 2);
  assert.deepEqual(await assignees(h, admin, four.id), [ana.id]);
  assert.deepEqual(Object.fromEntries(await loads(h)), { [ana.id]: 2, [ben.id]: 1 });
});

test('only online agents: disconnected agents get nothing; a queued conversation waits for the next agent to connect', async (t) => {
  const { h, admin } = await hubWith(t, { assignment: 'round_robin' });
  const ana = await h.agent('agent', 'Ana');
  const ben = await h.agent('agent', 'Ben'); // never connects for now
  const disabled = await h.agent('agent', 'Dora');
  const doraSocket = await h.agentSocket(disabled.token);
  const anaSocket = await h.agentSocket(ana.token);
  assert.equal((await h.api('PUT', `/api/agents/${disabled.id}`, { token: admin, body: { disabled: true } })).status, 200);
  await until('Dora to be disconnected', async () => doraSocket.disconnected);

  for (let i = 0; i < 3; i++) {
    const { id } = await conversation(h);
    assert.deepEqual(await assignees(h, admin, id), [ana.id], 'only Ana is online');
  }
  await offline(h, admin, ana, anaSocket);
  const waiting = await conversation(h);
  assert.deepEqual(await assignees(h, admin, waiting.id), [], 'nobody online: queued');

  const benSocket = await h.agentSocket(ben.token);
  void benSocket;
  await until('Ben to receive the queued conversation', async () => (await assignees(h, admin, waiting.id)).length > 0);
  assert.deepEqual(await assignees(h, admin, waiting.id), [ben.id]);
});

test('a contact default assignee wins; New chat stays with its author', async (t) => {
  const { h, admin } = await hubWith(t, { assignment: 'round_robin' });
  const ana = await h.agent('agent', 'Ana');
  const ben = await h.agent('agent', 'Ben');
  await h.agentSocket(ana.token);
  const first = await conversation(h);
  const contactId = (await summary(h, admin, first.id)).contactId;
  assert.deepEqual(await assignees(h, admin, first.id), [ana.id]);
  assert.equal((await h.api('POST', `/api/conversations/${first.id}/close`, { token: admin, body: {} })).status, 200);
  assert.equal((await h.api('PATCH', `/api/contacts/${contactId}`, { token: admin, body: { defaultAssigneeId: ben.id } })).status, 200);
  const second = await conversation(h, 'me again', first.socket);
  assert.notEqual(second.id, first.id);
  assert.deepEqual(await assignees(h, admin, second.id), [ben.id], 'the default assignee, though offline');

  assert.equal((await h.api('POST', `/api/conversations/${second.id}/close`, { token: admin, body: {} })).status, 200);
  const started = await h.api<{ conversation: ConversationSummary }>('POST', `/api/contacts/${contactId}/conversations`, {
    token: ana.token,
    body: { text: 'Hello from us' },
  });
  assert.equal(started.status, 201, JSON.stringify(started.body));
  assert.deepEqual(started.body.conversation.assignees, [ana.id]);
});

test('escalation: a queued conversation is assigned when the visitor asks for a human', async (t) => {
  const { h, admin } = await hubWith(t, { assignment: 'off' });
  const ana = await h.agent('agent', 'Ana');
  const ben = await h.agent('agent', 'Ben');
  await h.agentSocket(ana.token);
  const { id, socket } = await conversation(h, 'hello');
  // Kept from Ana while assignment is turned on (only Ben, offline, may see it), then opened to the team.
  assert.equal((await h.api('PUT', `/api/conversations/${id}/visibility`, { token: admin, body: { agentIds: [ben.id] } })).status, 200);
  assert.equal((await h.api('PUT', '/api/settings', { token: admin, body: { assignment: 'balanced' } })).status, 200);
  assert.equal((await h.api('PUT', `/api/conversations/${id}/visibility`, { token: admin, body: { agentIds: [] } })).status, 200);
  assert.deepEqual(await assignees(h, admin, id), [], 'still queued');

  await conversation(h, 'I want to talk to a human please', socket);
  await until('the escalated conversation to be assigned', async () => {
    const s = await summary(h, admin, id);
    return s.botStatus === 'need_help' && s.assignees.length > 0;
  });
  assert.deepEqual(await assignees(h, admin, id), [ana.id]);
});

test('reassignment: after N minutes with every assignee offline the sweeper hands the conversation to an online agent', async (t) => {
  const { h, admin } = await hubWith(t, { assignment: 'round_robin', reassignAfterMinutes: 10 });
  const ana = await h.agent('agent', 'Ana');
  const ben = await h.agent('agent', 'Ben');
  const cleo = await h.agent('agent', 'Cleo'); // never connects: no disconnect handler ever marks her
  const anaSocket = await h.agentSocket(ana.token);
  const taken = await conversation(h);
  const shared = await conversation(h);
  assert.deepEqual(await assignees(h, admin, taken.id), [ana.id]);
  // Ana takes the first over (she holds it, the bot is muted); the second is shared with Ben.
  assert.equal((await h.api('POST', `/api/conversations/${taken.id}/claim`, { token: ana.token, body: {} })).status, 200);
  assert.equal((await h.api('PUT', `/api/conversations/${shared.id}/assignees`, { token: admin, body: { agentIds: [ana.id, ben.id] } })).status, 200);
  const forgotten = await conversation(h);
  assert.equal((await h.api('PUT', `/api/conversations/${forgotten.id}/assignees`, { token: admin, body: { agentIds: [cleo.id] } })).status, 200);

  const benSocket = await h.agentSocket(ben.token);
  await offline(h, admin, ana, anaSocket);
  await until('Ana to be marked offline', async () => {
    const row = await h.hub.store.db.selectFrom('agents').select('offline_since').where('id', '=', ana.id).executeTakeFirst();
    return row?.offline_since != null;
  });
  const first = await h.hub.sweep(); // notices Cleo, who never connected
  assert.deepEqual(first.reassigned, []);

  h.clock.advance(9 * MINUTE);
  assert.deepEqual((await h.hub.sweep()).reassigned, [], 'not yet');
  h.clock.advance(2 * MINUTE);
  const moved = next<ConversationSummary>(benSocket, 'conversation:updated', (s) => s.id === taken.id && s.assignees.includes(ben.id));
  const swept = await h.hub.sweep();
  assert.deepEqual(new Set(swept.reassigned), new Set([taken.id, forgotten.id]), 'Ana for 11 minutes, Cleo for 11 too (marked by the first sweep)');
  const after = await moved;
  assert.deepEqual(after.assignees, [ben.id]);
  assert.equal(after.holderId, null, 'the offline holder let go, so Ben can answer');
  assert.equal(after.muted, true, 'the bot stays muted');
  assert.deepEqual(await assignees(h, admin, forgotten.id), [ben.id]);
  assert.deepEqual(await assignees(h, admin, shared.id), [ana.id, ben.id], 'Ben, an assignee, is online: kept');
  assert.deepEqual((await h.hub.sweep()).reassigned, [], 'once');
});

test('visibility: a restricted conversation goes only to an agent allowed to see it (or an admin)', async (t) => {
  const { h, admin } = await hubWith(t, { assignment: 'round_robin' });
  const ana = await h.agent('agent', 'Ana');
  const ben = await h.agent('agent', 'Ben');
  await h.agentSocket(ana.token);
  await h.agentSocket(ben.token);
  const first = await conversation(h);
  const contactId = (await summary(h, admin, first.id)).contactId;
  assert.equal((await h.api('POST', `/api/conversations/${first.id}/close`, { token: admin, body: {} })).status, 200);
  const patched = await h.api('PATCH', `/api/contacts/${contactId}`, { token: admin, body: { defaultVisibleTo: [ben.id] } });
  assert.equal(patched.status, 200, JSON.stringify(patched.body));

  await setCap(h, admin, ben, 1);
  const restricted = await conversation(h, 'private matter', first.socket);
  assert.deepEqual((await summary(h, admin, restricted.id)).visibleTo, [ben.id]);
  assert.deepEqual(await assignees(h, admin, restricted.id), [ben.id]);

  // Ben is at cap: the next restricted one waits rather than go to Ana; an admin coming online may take it.
  assert.equal((await h.api('POST', `/api/conversations/${restricted.id}/close`, { token: admin, body: {} })).status, 200);
  await until('Ben to be free again', async () => ((await loads(h)).get(ben.id) ?? 0) === 0);
  const busy = await conversation(h); // team-wide, someone else's
  await h.api('PUT', `/api/conversations/${busy.id}/assignees`, { token: admin, body: { agentIds: [ben.id] } });
  const waiting = await conversation(h, 'private again', first.socket);
  assert.deepEqual(await assignees(h, admin, waiting.id), [], 'Ana may not see it and Ben is at cap');
  await h.agentSocket(admin);
  await until('the admin to receive it', async () => (await assignees(h, admin, waiting.id)).length > 0);
  const me = await h.api<Agent>('GET', '/api/me', { token: admin });
  assert.deepEqual(await assignees(h, admin, waiting.id), [me.body.id]);
});

test('the pure rules: choice, stamp, queue, room, reassignment', () => {
  const at = '2026-08-10T09:00:00.000Z';
  const agent = (id: string, open: number, lastAssignedAt: string | null, extra: Partial<{ maxOpen: number | null; role: 'admin' | 'agent' }> = {}) => ({
    id,
    role: extra.role ?? ('agent' as const),
    maxOpen: extra.maxOpen ?? null,
    open,
    lastAssignedAt,
    createdAt: at,
  });
  const team = [agent('a', 3, '2026-08-10T09:00:02.000Z'), agent('b', 1, '2026-08-10T09:00:03.000Z'), agent('c', 1, null)];
  assert.equal(chooseAgent('off', team, []), null);
  assert.equal(chooseAgent('round_robin', team, []), 'c', 'never assigned comes first');
  assert.equal(chooseAgent('round_robin', team.slice(0, 2), []), 'a');
  assert.equal(chooseAgent('balanced', team, []), 'c', 'b and c tie on load; c was assigned less recently');
  assert.equal(chooseAgent('balanced', team.slice(0, 2), []), 'b');
  assert.equal(chooseAgent('round_robin', [agent('a', 2, null, { maxOpen: 2 }), agent('b', 0, at, { maxOpen: 0 })], []), null, 'caps (0: never)');
  assert.equal(chooseAgent('round_robin', team, ['b']), 'b', 'visibility');
  assert.equal(chooseAgent('round_robin', [...team, agent('root', 9, null, { role: 'admin' })], ['b']), 'root', 'admins see everything');
  assert.equal(assignmentStamp(new Date(at), [{ lastAssignedAt: at }]), '2026-08-10T09:00:00.001Z', 'strictly after the latest');
  assert.equal(assignmentStamp(new Date('2026-08-10T10:00:00.000Z'), [{ lastAssignedAt: at }]), '2026-08-10T10:00:00.000Z');
  const open = (holderId: string | null, assignees: string[]) => ({ state: 'open' as const, holderId, assignees });
  assert.equal(isQueued(open(null, [])), true);
  assert.equal(isQueued(open('a', [])), false);
  assert.equal(isQueued({ ...open(null, []), state: 'closed' }), false);
  assert.equal(freesRoom(open(null, ['a']), { ...open(null, ['a']), state: 'closed' }), true);
  assert.equal(freesRoom(open('a', ['a']), open(null, ['a'])), false, 'still assigned: still counted');
  assert.equal(freesRoom(open(null, ['a']), open(null, ['a', 'b'])), false);
  assert.equal(dueForReassignment(open('a', ['a']), new Set(['a'])), true);
  assert.equal(dueForReassignment(open('b', ['a']), new Set(['a'])), false, 'an online holder keeps it');
  assert.equal(dueForReassignment(open(null, ['a', 'b']), new Set(['a'])), false);
  assert.equal(dueForReassignment(open('a', []), new Set(['a'])), false, 'held but not assigned: not reassignment');
});
