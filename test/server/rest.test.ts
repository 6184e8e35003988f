// The conversation and auth REST endpoints against a real hub: the happy path and its 400/401/403/404 answers. The admin
// routes are in rest-admin.test.ts.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ConversationList, VisitorExport } from '../../protocol/api.js';
import type { Agent, ConversationDetail, ConversationSummary, DashboardStats, Message, Note } from '../../protocol/types.js';
import { hashPassword } from '../../server/auth.js';
import { HOUR } from '../../server/clock.js';
import { loadConfig } from '../../server/config.js';
import { ManualClock } from '../../server/clock.js';
import { type TestHub, clientId, next, request, startHub } from '../helpers/hub.js';

let h: TestHub;
let admin: string;
let agent: { id: string; token: string };
let outsider: { id: string; token: string };

/** A visitor with one conversation; returns its ids. */
async function conversation(
  text = 'hello',
  userData = {},
): Promise<{ id: string; visitorId: string; socket: Awaited<ReturnType<TestHub['visitor']>>['socket']; botReply: Promise<Message> }> {
  const { socket, session } = await h.visitor({ userData });
  const botReply = next<Message>(socket, 'message:new', (m) => m.author === 'bot');
  const ack = await request<{ message: Message; conversation: { id: string } }>(socket, 'message:send', { clientId: clientId(), text });
  assert.ok(ack.data);
  return { id: ack.data.conversation.id, visitorId: session.visitor.id, socket, botReply };
}

before(async () => {
  h = await startHub(null, { clock: new ManualClock('2026-08-12T10:00:00.000Z') });
  admin = await h.login();
  agent = await h.agent('agent', 'Alice');
  outsider = await h.agent('agent', 'Olivia');
});

after(() => h.stop());

describe('auth', () => {
  test('login, me, logout', async () => {
    assert.equal((await h.api('POST', '/api/auth/login', { body: { email: 'admin@test.local', password: 'wrong' } })).status, 401);
    assert.equal((await h.api('POST', '/api/auth/login', { body: { email: 'nobody@test.local', password: 'x' } })).status, 401);
    assert.equal((await h.api('POST', '/api/auth/login', { body: { email: 'x' } })).status, 400);
    const token = await h.login();
    const me = await h.api<Agent>('GET', '/api/me', { token });
    assert.equal(me.body.role, 'admin');
    assert.equal(me.body.email, 'admin@test.local');
    assert.ok(!('password_hash' in me.body));
    assert.equal((await h.api('POST', '/api/auth/logout', { token })).status, 200);
    assert.equal((await h.api('GET', '/api/me', { token })).status, 401);
  });
  test('passwords are hashed at the configured cost, and hashes of another cost still sign in', async () => {
    assert.equal(loadConfig({}).passwordHashCost, 16384);
    assert.equal(loadConfig({ PASSWORD_HASH_COST: '65536' }).passwordHashCost, 65536);
    for (const bad of ['1000', '512', '262144', 'cheap']) assert.throws(() => loadConfig({ PASSWORD_HASH_COST: bad }), /PASSWORD_HASH_COST/);
    // This hub hashes at the tests' cost (testConfig); a password hashed at the default cost, as a hub before the
    // setting or with another one stored it, still signs in, and a wrong one still does not.
    assert.equal(h.hub.config.passwordHashCost, 1024);
    const created = await h.agent('agent', 'Hana');
    const stored = async () => (await h.hub.store.agents.get(created.id))?.password_hash ?? '';
    assert.match(await stored(), /^scrypt\$1024\$8\$1\$/);
    await h.hub.store.agents.update(created.id, { password_hash: await hashPassword('a-default-cost-password') });
    assert.match(await stored(), /^scrypt\$16384\$/);
    const signIn = (password: string) => h.api('POST', '/api/auth/login', { body: { email: created.email, password } });
    assert.equal((await signIn('a-default-cost-password')).status, 200);
    assert.equal((await signIn('a-wrong-password')).status, 401);
  });
  test('every /api route needs a token', async () => {
    for (const [method, path] of [
      ['GET', '/api/conversations'],
      ['GET', '/api/conversations/x'],
      ['POST', '/api/conversations/x/claim'],
      ['DELETE', '/api/visitors/x'],
      ['GET', '/api/faqs'],
      ['GET', '/api/stats'],
      ['GET', '/api/agents'],
      ['GET', '/api/settings'],
    ] as const) {
      const res = await h.api<{ code: string }>(method, path);
      assert.equal(res.status, 401, `${method} ${path}`);
      assert.equal(res.body.code, 'unauthorized');
      assert.equal((await h.api(method, path, { token: 'forged' })).status, 401);
    }
  });
  test('health and unknown routes', async () => {
    const health = await h.api<{ ok: boolean; store: string }>('GET', '/health');
    assert.deepEqual([health.status, health.body.ok], [200, true]);
    const missing = await h.api<{ code: string }>('GET', '/api/nothing-here', { token: admin });
    assert.deepEqual([missing.status, missing.body.code], [404, 'not_found']);
  });
});

describe('conversations', () => {
  test('list, search and filters', async () => {
    const ada = await conversation('Where is my parcel?', { first_name: 'Ada', last_name: 'Lovelace', email: 'ada@example.com' });
    const bob = await conversation('I want to talk to a human', { first_name: 'Bob', email: 'bob@example.com' });
    await bob.botReply;
    await h.api('PUT', `/api/conversations/${ada.id}/tags`, { token: admin, body: { tags: ['vip', 'order'] } });
    // Muted, so the visitor's message stays the latest one.
    await ada.botReply;
    await h.api('POST', `/api/conversations/${ada.id}/mute`, { token: admin });
    await request(ada.socket, 'message:send', { clientId: clientId(), text: 'My tracking number is 42' });
    const list = async (query: string) => (await h.api<ConversationList>('GET', `/api/conversations?${query}`, { token: admin })).body;
    const ids = async (query: string) => (await list(query)).items.map((c) => c.id);

    assert.ok((await ids('')).includes(ada.id));
    assert.deepEqual(await ids('q=lovelace'), [ada.id]);
    assert.deepEqual(await ids('q=ADA%40EXAMPLE'), [ada.id]);
    assert.deepEqual(await ids('q=tracking number'), [ada.id]);
    assert.deepEqual(await ids('q=%25'), [], 'LIKE wildcards are literal');
    // Every message is searched, not only the latest: Ada's first message, by a word's start, in any case.
    assert.deepEqual(await ids('q=PARC'), [ada.id]);
    assert.deepEqual(await ids('q=parcel tracking'), [ada.id], 'words of different messages of one conversation');
    assert.deepEqual(await ids('q=parcel llama'), [], 'every word must match');
    // Query syntax of the search engines is just text.
    for (const hostile of ['"parcel', 'parcel OR human', 'NEAR(parcel', "parcel' & !", 'parcel:*', '*']) {
      const res = await h.api<ConversationList>('GET', `/api/conversations?q=${encodeURIComponent(hostile)}`, { token: admin });
      assert.equal(res.status, 200, hostile);
    }
    assert.deepEqual(await ids('tag=vip'), [ada.id]);
    assert.ok((await ids('botStatus=need_help')).includes(bob.id));
    assert.ok(!(await ids('botStatus=need_help')).includes(ada.id));
    assert.ok((await ids('ticketStatus=new')).includes(ada.id));
    assert.deepEqual(await ids('ticketStatus=resolved'), []);
    assert.ok((await ids('language=en')).includes(ada.id));
    assert.deepEqual(await ids('language=fr'), []);
    assert.ok((await ids('channel=webchat')).includes(ada.id));
    const counted = await list('');
    const counts = counted.counts;
    assert.ok(counts && counts.all >= 2 && counts.unassigned >= 2);
    // The counts do not depend on the filter, so a panel that holds them asks for the list alone.
    const uncounted = await list('counts=false');
    assert.equal(uncounted.counts, undefined);
    assert.deepEqual({ ...uncounted, counts }, counted);
    assert.deepEqual((await list('counts=true&tag=vip')).counts, counts);
    for (const bad of ['botStatus=great', 'ticketStatus=x', 'from=yesterday', 'limit=0', 'limit=1000', 'inbox=trash']) {
      assert.equal((await h.api('GET', `/api/conversations?${bad}`, { token: admin })).status, 400, bad);
    }
  });

  test('keyset pages: following `next` lists every conversation once, in order, while new ones arrive', async () => {
    const ids: string[] = [];
    const tick = () => h.clock.set(new Date(h.clock.now().getTime() + 1000));
    for (let i = 0; i < 5; i++) {
      tick();
      ids.push((await conversation(`paging ${i}`, { first_name: 'Pager' })).id);
    }
    const page = async (cursor?: string) =>
      (await h.api<ConversationList>('GET', `/api/conversations?q=pager&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token: admin }))
        .body;
    const first = await page();
    assert.equal(first.total, 5);
    assert.equal(first.items.length, 2);
    assert.ok(first.next, 'a first page of a longer list has a next cursor');
    // A conversation started between two pages goes to the top: the pages already asked for don't shift.
    tick();
    await conversation('paging late', { first_name: 'Pager' });
    const seen = first.items.map((c) => c.id);
    let next: string | null = first.next;
    while (next) {
      const more = await page(next);
      seen.push(...more.items.map((c) => c.id));
      next = more.next;
    }
    assert.deepEqual(seen, [...ids].reverse(), 'each once, newest activity first');
    const bad = await h.api<{ code: string; field?: string }>('GET', '/api/conversations?cursor=not-a-cursor', { token: admin });
    assert.deepEqual([bad.status, bad.body.code, bad.body.field], [400, 'bad_request', 'cursor']);
  });

  test('date range on last activity: active 1–10 August is not found for 7–9 August', async () => {
    const clock = h.clock;
    const saved = clock.now();
    clock.set('2026-08-01T12:00:00.000Z');
    const { id, socket } = await conversation('first of August');
    clock.set('2026-08-10T12:00:00.000Z');
    await request(socket, 'message:send', { clientId: clientId(), text: 'tenth of August' });
    clock.set(saved);
    const ids = async (query: string) =>
      (await h.api<ConversationList>('GET', `/api/conversations?includeOld=true&${query}`, { token: admin })).body.items.map((c) => c.id);
    assert.ok(!(await ids('from=2026-08-07&to=2026-08-09')).includes(id));
    assert.ok((await ids('from=2026-08-07&to=2026-08-10')).includes(id));
    assert.ok((await ids('from=2026-08-10T00:00:00Z')).includes(id));
    assert.ok(!(await ids('to=2026-08-09')).includes(id));
  });

  test('retention: old conversations leave the default views but stay searchable', async () => {
    const saved = h.clock.now();
    h.clock.set(new Date(saved.getTime() - 40 * 24 * HOUR));
    const { id } = await conversation('an ancient question', { first_name: 'Zebulon' });
    h.clock.set(saved);
    const ids = async (query: string) => (await h.api<ConversationList>('GET', `/api/conversations?${query}`, { token: admin })).body.items.map((c) => c.id);
    assert.ok(!(await ids('')).includes(id));
    assert.ok((await ids('q=zebulon')).includes(id));
    assert.ok((await ids('includeOld=true')).includes(id));
  });

  test('detail, messages, notes, tags, assignees, status, close/reopen, mute/unmute', async () => {
    const { id, visitorId, socket } = await conversation('hi');
    const detail = await h.api<ConversationDetail>('GET', `/api/conversations/${id}`, { token: agent.token });
    assert.equal(detail.status, 200);
    assert.equal(detail.body.visitor.id, visitorId);
    assert.equal(detail.body.messages[0]?.text, 'hi');
    const after = await h.api<{ messages: Message[] }>('GET', `/api/conversations/${id}/messages?after=${detail.body.messages[0]?.id}`, { token: agent.token });
    assert.ok(after.body.messages.every((m) => m.id > (detail.body.messages[0]?.id ?? 0)));

    // Notes are private: the visitor never receives them.
    let leaked = false;
    socket.on('message:new', (m: Message) => {
      if (m.text.includes('private note')) leaked = true;
    });
    const note = await h.api<Note>('POST', `/api/conversations/${id}/notes`, { token: agent.token, body: { text: 'private note: VIP customer' } });
    assert.equal(note.status, 201);
    assert.equal(note.body.agentName, 'Alice');
    assert.equal((await h.api('POST', `/api/conversations/${id}/notes`, { token: agent.token, body: { text: '' } })).status, 400);
    const visitorView = await request<{ messages: Message[] }>(socket, 'messages:since', { afterId: 0 });
    assert.ok(!JSON.stringify(visitorView).includes('private note'));
    assert.equal(leaked, false);

    const tags = await h.api<ConversationSummary>('PUT', `/api/conversations/${id}/tags`, {
      token: agent.token,
      body: { tags: ['billing', 'billing', ' urgent '] },
    });
    assert.deepEqual(tags.body.tags, ['billing', 'urgent']);
    assert.equal((await h.api('PUT', `/api/conversations/${id}/tags`, { token: agent.token, body: { tags: ['x'.repeat(41)] } })).status, 400);
    const assigned = await h.api<ConversationSummary>('PUT', `/api/conversations/${id}/assignees`, { token: agent.token, body: { agentIds: [agent.id] } });
    assert.deepEqual(assigned.body.assignees, [agent.id]);
    assert.equal((await h.api('PUT', `/api/conversations/${id}/assignees`, { token: agent.token, body: { agentIds: ['ghost'] } })).status, 400);
    const mine = await h.api<ConversationList>('GET', '/api/conversations?inbox=mine', { token: agent.token });
    assert.ok(mine.body.items.some((c) => c.id === id));
    const stats = await h.api<DashboardStats>('GET', '/api/stats', { token: agent.token });
    assert.ok(stats.body.assignedToMe >= 1 && stats.body.myUnreplied >= 1);

    const muted = await h.api<ConversationSummary>('POST', `/api/conversations/${id}/mute`, { token: agent.token });
    assert.equal(muted.body.muted, true);
    const unmuted = await h.api<ConversationSummary>('POST', `/api/conversations/${id}/unmute`, { token: agent.token });
    assert.equal(unmuted.body.muted, false);
    assert.equal((await h.api('POST', `/api/conversations/${id}/release`, { token: agent.token })).status, 409, 'nothing to hand back');

    const closed = await h.api<ConversationSummary>('POST', `/api/conversations/${id}/close`, { token: agent.token, body: { ticketStatus: 'resolved' } });
    assert.equal(closed.body.state, 'closed');
    assert.equal((await h.api<{ code: string }>('POST', `/api/conversations/${id}/claim`, { token: agent.token, body: {} })).body.code, 'closed');
    const reopened = await h.api<ConversationSummary>('POST', `/api/conversations/${id}/reopen`, { token: agent.token });
    assert.equal(reopened.body.state, 'open');

    for (const path of ['', '/messages', '/export']) {
      assert.equal((await h.api('GET', `/api/conversations/no-such-id${path}`, { token: admin })).status, 404, path);
    }
    for (const path of ['claim', 'release', 'mute', 'unmute', 'close', 'reopen']) {
      assert.equal((await h.api('POST', `/api/conversations/no-such-id/${path}`, { token: admin, body: {} })).status, 404, path);
    }
  });

  test('visibility: a restricted conversation is invisible to others, on every route', async () => {
    const { id, visitorId } = await conversation('secret stuff');
    const restricted = await h.api<ConversationSummary>('PUT', `/api/conversations/${id}/visibility`, { token: agent.token, body: { agentIds: [agent.id] } });
    assert.deepEqual(restricted.body.visibleTo, [agent.id]);
    assert.equal((await h.api('GET', `/api/conversations/${id}`, { token: agent.token })).status, 200);
    assert.equal((await h.api('GET', `/api/conversations/${id}`, { token: admin })).status, 200, 'admins see everything');
    for (const [method, path, body] of [
      ['GET', `/api/conversations/${id}`, undefined],
      ['GET', `/api/conversations/${id}/messages`, undefined],
      ['GET', `/api/conversations/${id}/export`, undefined],
      ['POST', `/api/conversations/${id}/notes`, { text: 'x' }],
      ['PUT', `/api/conversations/${id}/tags`, { tags: ['x'] }],
      ['POST', `/api/conversations/${id}/claim`, {}],
      ['POST', `/api/conversations/${id}/mute`, undefined],
      ['POST', `/api/conversations/${id}/close`, {}],
      ['PUT', `/api/conversations/${id}/visibility`, { agentIds: [] }],
      ['GET', `/api/visitors/${visitorId}`, undefined],
      ['GET', `/api/visitors/${visitorId}/export`, undefined],
    ] as const) {
      assert.equal((await h.api(method, path, { token: outsider.token, body })).status, 404, `${method} ${path}`);
    }
    const list = await h.api<ConversationList>('GET', '/api/conversations?q=secret', { token: outsider.token });
    assert.equal(list.body.items.length, 0);
    const outsiderSocket = await h.agentSocket(outsider.token);
    const watch = await request(outsiderSocket, 'conversation:watch', { conversationId: id });
    assert.equal(watch.error?.code, 'not_found');
    const send = await request(outsiderSocket, 'message:send', { conversationId: id, clientId: clientId(), text: 'hi' });
    assert.equal(send.error?.code, 'not_found');
  });

  test('export: JSON and text transcripts, visitor data', async () => {
    const { id, visitorId } = await conversation('export me please', { first_name: 'Eve', email: 'eve@example.com' });
    await h.api('POST', `/api/conversations/${id}/notes`, { token: admin, body: { text: 'note for export' } });
    const json = await h.api<ConversationDetail>('GET', `/api/conversations/${id}/export`, { token: admin });
    assert.match(json.headers.get('content-disposition') ?? '', /attachment; filename="conversation-.*\.json"/);
    assert.equal(json.body.messages[0]?.text, 'export me please');
    const text = await h.api<string>('GET', `/api/conversations/${id}/export?format=text`, { token: admin });
    assert.match(text.headers.get('content-type') ?? '', /text\/plain/);
    assert.match(text.body, /Eve: export me please/);
    assert.match(text.body, /note for export/);
    assert.equal((await h.api('GET', `/api/conversations/${id}/export?format=pdf`, { token: admin })).status, 400);
    const visitor = await h.api<VisitorExport>('GET', `/api/visitors/${visitorId}/export`, { token: admin });
    assert.equal(visitor.body.visitor.userData.email, 'eve@example.com');
    assert.equal(visitor.body.conversations[0]?.messages[0]?.text, 'export me please');
  });

  test('delete: admin only; the visitor and all their data disappear and their widget session resets', async () => {
    const { id, visitorId, socket } = await conversation('delete me', { email: 'gone@example.com' });
    assert.equal((await h.api('DELETE', `/api/visitors/${visitorId}`, { token: agent.token })).status, 403);
    assert.equal((await h.api('DELETE', `/api/conversations/${id}`, { token: agent.token })).status, 403);
    const reset = new Promise<void>((resolve) => socket.once('session:reset', () => resolve()));
    const deleted = await h.api<{ ok: boolean; conversations: number }>('DELETE', `/api/visitors/${visitorId}`, { token: admin });
    assert.deepEqual(deleted.body, { ok: true, conversations: 1 });
    await reset;
    assert.equal((await h.api('GET', `/api/visitors/${visitorId}`, { token: admin })).status, 404);
    assert.equal((await h.api('GET', `/api/conversations/${id}`, { token: admin })).status, 404);
    assert.equal(await h.hub.store.messages.count(id), 0);
    assert.equal((await h.api('DELETE', `/api/visitors/${visitorId}`, { token: admin })).status, 404);

    const other = await conversation('delete only the conversation');
    assert.equal((await h.api('DELETE', `/api/conversations/${other.id}`, { token: admin })).status, 200);
    assert.equal((await h.api('GET', `/api/conversations/${other.id}`, { token: admin })).status, 404);
  });
});
