/**
 * The inbox's tag filter and Mine view read a conversation's tags and its holder and assignees as rows
 * (`conversation_tags`, `conversation_agents`, migration 020), kept from the conversation's columns by triggers. They
 * must say what the columns say after every kind of change, and both ways of listing (starting from the rows when few
 * conversations match, reading conversations in order and checking each one's columns when many do:
 * store/inbox-queries.ts) must list the same conversations in the same order.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ConversationList } from '../../protocol/api.js';
import type { Viewer } from '../../server/store/base.js';
import { InboxQueries, type ListOptions } from '../../server/store/inbox-queries.js';
import { SEARCH_WINDOWS } from '../../server/store/inbox-search.js';
import { clientId, request, startHub, type TestHub } from '../helpers/hub.js';

/**
 * What the columns say, as sorted "conversation tag" and "conversation agent" pairs, beside what the tables hold. The
 * agents are kept for open conversations only (migration 023): Mine is a view of open ones.
 */
async function inStep(h: TestHub): Promise<void> {
  const { db } = h.hub.store;
  const rows = await db.selectFrom('conversations').select(['id', 'state', 'tags', 'holder_id', 'assignees']).execute();
  const tags = rows.flatMap((r) => (JSON.parse(r.tags) as string[]).map((tag) => `${r.id} ${tag}`)).sort();
  const agents = rows
    .filter((r) => r.state === 'open')
    .flatMap((r) => [...new Set([...(r.holder_id ? [r.holder_id] : []), ...(JSON.parse(r.assignees) as string[])])].map((a) => `${r.id} ${a}`))
    .sort();
  const tagRows = (await db.selectFrom('conversation_tags').selectAll().execute()).map((r) => `${r.conversation_id} ${r.tag}`).sort();
  const agentRows = (await db.selectFrom('conversation_agents').selectAll().execute()).map((r) => `${r.conversation_id} ${r.agent_id}`).sort();
  assert.deepEqual(tagRows, tags, 'conversation_tags says what the tags columns say');
  assert.deepEqual(agentRows, agents, 'conversation_agents says what the holders and assignees say');
}

test('the tag and Mine rows follow every change, and both ways of listing from them agree', async (t) => {
  const h = await startHub(t);
  const admin = await h.login();
  const ann = await h.agent('agent', 'Ann');
  const bob = await h.agent('agent', 'Bob');
  const ids: string[] = [];
  const contacts: string[] = [];
  for (let i = 0; i < 6; i++) {
    const { socket } = await h.visitor();
    const ack = await request<{ conversation: { id: string } }>(socket, 'message:send', { clientId: clientId(), text: `hello ${i}` });
    assert.ok(ack.data, JSON.stringify(ack.error));
    ids.push(ack.data.conversation.id);
    h.clock.advance(1_000);
  }
  for (const id of ids) {
    const detail = await h.api<{ conversation: { contactId: string } }>('GET', `/api/conversations/${id}`, { token: admin });
    contacts.push(detail.body.conversation.contactId);
  }
  const [a, b, c, d, e, f] = ids as [string, string, string, string, string, string];
  await inStep(h);

  const put = (path: string, body: unknown, token = admin) => h.api('PUT', path, { token, body });
  assert.equal((await put(`/api/conversations/${a}/tags`, { tags: ['vip', 'billing'] })).status, 200);
  await put(`/api/conversations/${b}/tags`, { tags: ['billing'] });
  await put(`/api/conversations/${c}/tags`, { tags: ['vip'] });
  await put(`/api/conversations/${a}/tags`, { tags: ['vip'] }); // one removed
  await put(`/api/conversations/${c}/tags`, { tags: [] }); // all removed
  await put(`/api/conversations/${b}/assignees`, { agentIds: [ann.id, bob.id] });
  await put(`/api/conversations/${d}/assignees`, { agentIds: [ann.id] });
  await put(`/api/conversations/${b}/assignees`, { agentIds: [bob.id] });
  assert.equal((await h.api('POST', `/api/conversations/${e}/claim`, { token: ann.token, body: {} })).status, 200);
  assert.equal((await h.api('POST', `/api/conversations/${f}/claim`, { token: bob.token, body: {} })).status, 200);
  await put(`/api/conversations/${f}/assignees`, { agentIds: [bob.id] }); // held and assigned: Mine once
  assert.equal((await h.api('POST', `/api/conversations/${f}/release`, { token: bob.token })).status, 200);
  // Closing takes the conversation's agents out of the rows (its assignees stay in the column); reopening puts them back.
  await put(`/api/conversations/${c}/assignees`, { agentIds: [ann.id] });
  assert.equal((await h.api('POST', `/api/conversations/${c}/close`, { token: admin, body: {} })).status, 200);
  await inStep(h);
  const annCounts = async () => (await h.hub.store.assignment.openCounts([ann.id, bob.id])).get(ann.id);
  assert.equal(await annCounts(), 2, "Ann's open conversations: d, e (c is closed)");
  assert.equal((await h.api('POST', `/api/conversations/${c}/reopen`, { token: admin, body: {} })).status, 200);
  await inStep(h);
  assert.equal(await annCounts(), 3, 'c reopened');
  assert.equal((await h.api('POST', `/api/conversations/${c}/close`, { token: admin, body: {} })).status, 200);
  await h.api('PATCH', `/api/contacts/${contacts[4]}`, { token: admin, body: { tags: ['gold'] } });
  await h.api('PATCH', `/api/contacts/${contacts[5]}`, { token: admin, body: { tags: ['gold'] } });
  await inStep(h);

  // Both ways agree, for each filter on these rows, as the list of each (one conversation a page, so the keyset
  // pages are compared too).
  const { db, dialect } = h.hub.store;
  const fromRows = new InboxQueries(db, dialect, SEARCH_WINDOWS, 1_000_000);
  const inOrder = new InboxQueries(db, dialect, SEARCH_WINDOWS, 0);
  const all = async (inbox: InboxQueries, viewer: Viewer, filter: Partial<ListOptions>): Promise<string[]> => {
    const listed: string[] = [];
    let after: ListOptions['after'];
    for (;;) {
      const page = await inbox.list(viewer, { retentionCutoff: '2000-01-01', limit: 1, includeOld: true, ...filter, ...(after ? { after } : {}) });
      const [row] = page.rows;
      if (!row) return listed;
      listed.push(row.id);
      if (!page.more) return listed;
      after = { at: row.last_activity_at, id: row.id };
    }
  };
  const asAdmin: Viewer = { id: 'admin', role: 'admin' };
  const cases: [string, Viewer, Partial<ListOptions>, string[]][] = [
    ['tag vip', asAdmin, { tag: 'vip' }, [a]],
    ['tag billing', asAdmin, { tag: 'billing' }, [b]],
    ['contact tag gold', asAdmin, { contactTag: 'gold' }, [f, e]],
    ['Mine for Ann', { id: ann.id, role: 'agent' }, { inbox: 'mine' }, [e, d]],
    ['Mine for Bob', { id: bob.id, role: 'agent' }, { inbox: 'mine' }, [f, b]],
  ];
  for (const [name, viewer, filter, expected] of cases) {
    const started = await all(fromRows, viewer, filter);
    assert.deepEqual([...started].sort(), [...expected].sort(), `${name}, starting from the rows`);
    assert.deepEqual(await all(inOrder, viewer, filter), started, `${name}, in activity order: the same list`);
  }
  // And through the API, as the panel asks.
  const listed = await h.api<ConversationList>('GET', '/api/conversations?inbox=mine&limit=50', { token: ann.token });
  assert.deepEqual(listed.body.items.map((x) => x.id).sort(), [e, d].sort());

  // Deleting a conversation and erasing a contact take their rows with them.
  assert.equal((await h.api('DELETE', `/api/conversations/${a}`, { token: admin })).status, 200);
  assert.equal((await h.api('DELETE', `/api/contacts/${contacts[1]}`, { token: admin })).status, 200);
  await inStep(h);
  assert.equal((await db.selectFrom('conversation_tags').select('tag').where('conversation_id', 'in', [a, b]).execute()).length, 0);
});
