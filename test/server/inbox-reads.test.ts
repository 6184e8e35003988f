/**
 * What an inbox list reads: a contact only when it searches contacts. Every conversation has its contact (a contact's
 * deletion takes its conversations), so a list that joined them anyway looked one up for each conversation it read, a
 * third of the pages an agent's list read on PostgreSQL at 1,000,000 conversations (docs/performance-history.md, session 30).
 * Each way of listing (in activity order, from an agent's viewer rows, an agent's closed conversations, a filter's
 * rows) is run, and must still list the same conversations. SQLite and PostgreSQL.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Kysely } from 'kysely';
import type { Viewer } from '../../server/store/base.js';
import { InboxQueries, type ListOptions } from '../../server/store/inbox-queries.js';
import { SEARCH_WINDOWS } from '../../server/store/inbox-search.js';
import type { ConversationsTable, Database } from '../../server/store/schema.js';
import { at, conversation } from '../helpers/count-reference.js';
import { contactRow, messageRow } from '../helpers/rows.js';
import { recording } from '../helpers/statement-recorder.js';
import { openTestDatabase } from '../helpers/store-database.js';

const admin: Viewer = { id: 'admin-1', role: 'admin' };

/** The contact kim and `count` of their conversations, `c0` the oldest, each 36 s after the one before. */
async function kimsConversations(db: Kysely<Database>, count: number, patch: (i: number) => Partial<ConversationsTable> = () => ({})): Promise<void> {
  await db
    .insertInto('contacts')
    .values(contactRow('k1', at(0, 0), { name: 'kim' }))
    .execute();
  await db
    .insertInto('conversations')
    .values(Array.from({ length: count }, (_, i) => conversation(`c${i}`, at(0, 1 + i / 100), { contact_id: 'k1', ...patch(i) })))
    .execute();
}
const agent: Viewer = { id: 'agent-a', role: 'agent' };

test('an inbox list reads contacts only when it searches them, and lists the same conversations', async (t) => {
  const { db, dialect } = await openTestDatabase(t, 'inbox-reads');
  const now = at(0, 0);
  await db
    .insertInto('contacts')
    .values([contactRow('k1', now, { name: 'kim' }), contactRow('k2', now, { name: 'lee' })])
    .execute();
  await db
    .insertInto('conversations')
    .values([
      conversation('c1', at(0, 1), { contact_id: 'k1', tags: '["billing"]' }),
      conversation('c2', at(0, 2), { contact_id: 'k2', visible_to: '["agent-a"]' }),
      conversation('c3', at(0, 3), { contact_id: 'k1', visible_to: '["agent-b"]' }),
      conversation('c4', at(0, 4), { contact_id: 'k2', state: 'closed' }),
    ])
    .execute();
  await db.insertInto('contact_tags').values({ contact_id: 'k2', tag: 'vip' }).execute();

  // `contacts` as a word (not contact_tags, contact_id).
  const readsContacts = (text: string) => /\bcontacts\b/.test(text);
  const { recorded, sent } = recording(db);
  const ways = {
    'in activity order': new InboxQueries(recorded, dialect, SEARCH_WINDOWS, 0),
    'from the rows': new InboxQueries(recorded, dialect, SEARCH_WINDOWS, 1_000_000, 1),
  };
  const lists: [string, Viewer, Partial<ListOptions>, string[]][] = [
    ['everything (admin)', admin, {}, ['c3', 'c2', 'c1']],
    ['an agent’s', agent, {}, ['c2', 'c1']],
    ['an agent’s closed', agent, { inbox: 'closed' }, ['c4']],
    ['a tag', admin, { tag: 'billing' }, ['c1']],
    ['a contact tag', agent, { contactTag: 'vip' }, ['c2']],
  ];
  for (const [way, inbox] of Object.entries(ways)) {
    for (const [name, viewer, filter, expected] of lists) {
      sent.length = 0;
      const page = await inbox.list(viewer, { retentionCutoff: now, includeOld: true, ...filter });
      assert.deepEqual(
        page.rows.map((row) => row.id),
        expected,
        `${way}, ${name}: listed`,
      );
      assert.equal(page.total, expected.length, `${way}, ${name}: total`);
      const reading = sent.filter(readsContacts);
      assert.deepEqual(reading, [], `${way}, ${name}: no statement reads contacts`);
    }
    sent.length = 0;
    const found = await inbox.list(agent, { retentionCutoff: now, q: 'kim' });
    assert.deepEqual(
      found.rows.map((row) => row.id),
      ['c1'],
      `${way}: a search finds the agent's conversations by their contact's name`,
    );
    assert.ok(sent.some(readsContacts), `${way}: the search reads contacts`);
  }
});

test('an agent who may see few: a view’s page starts from their rows, the page of all of them reads in order', async (t) => {
  const { db, dialect } = await openTestDatabase(t, 'inbox-reads-view');
  const now = at(0, 0);
  // 200 open conversations, each held by the agent it is restricted to; agent-a may see 5 of them, none unassigned.
  await kimsConversations(db, 200, (i) => {
    const owner = i % 40 === 0 ? 'agent-a' : `agent-${i % 7}`;
    return { holder_id: owner, visible_to: JSON.stringify([owner]) };
  });
  const { recorded, sent } = recording(db);
  // `few` 10: the agent's 5 are few; a page alone of all of them counts them against its share, 2 (VISIBLE_PAGE_SHARE).
  const inbox = new InboxQueries(recorded, dialect, SEARCH_WINDOWS, 10);
  const page = async (filter: Partial<ListOptions>) => {
    sent.length = 0;
    const listed = await inbox.list(agent, { retentionCutoff: now, includeOld: true, countTotal: false, ...filter });
    const list = sent.filter((text) => text.includes('order by'));
    return { ids: listed.rows.map((row) => row.id), fromRows: list.every((text) => text.includes('conversation_viewers')) };
  };
  // Unassigned has no match among them: read in order, the page read every open conversation looking for one.
  assert.deepEqual(await page({ inbox: 'unassigned' }), { ids: [], fromRows: true });
  assert.deepEqual(await page({ inbox: 'mine' }), { ids: ['c160', 'c120', 'c80', 'c40', 'c0'], fromRows: true });
  // The view of all of them fills its page within the first conversations read in order.
  assert.deepEqual(await page({}), { ids: ['c160', 'c120', 'c80', 'c40', 'c0'], fromRows: false });
});

test('a first page of a search checks each conversation once: its walk counts the matches too', async (t) => {
  const { db, dialect } = await openTestDatabase(t, 'inbox-reads-search');
  const now = at(0, 0);
  // 30 conversations, every third about a parcel.
  await kimsConversations(db, 30);
  await db
    .insertInto('messages')
    .values(Array.from({ length: 30 }, (_, i) => messageRow(`c${i}`, i % 3 === 0 ? 'where is my parcel' : 'hello', at(0, 1 + i / 100))))
    .execute();
  const { recorded, sent } = recording(db);
  // A walk of 20 conversations; a list's total would count up to 1,000.
  const inbox = new InboxQueries(recorded, dialect, { page: 20, count: 1000, named: 1000 }, 0);
  const checksMessages = (text: string) => /from "?messages"? (as )?"?m"? where "?m"?\.?"?conversation_id"? = "?c"?\.?"?id"?/.test(text.replace(/\s+/g, ' '));
  sent.length = 0;
  const first = await inbox.list(admin, { retentionCutoff: now, includeOld: true, q: 'parcel', limit: 3 });
  assert.deepEqual(
    first.rows.map((row) => row.id),
    ['c27', 'c24', 'c21'],
  );
  // The latest 20 conversations (c29 … c10) hold 6 about a parcel (c27 … c12); 30 are listed, so "at least".
  assert.deepEqual([first.total, first.totalIsLowerBound], [6, true]);
  assert.equal(sent.filter(checksMessages).length, 1, 'one statement checks the messages');
  const last = first.rows.at(-1);
  assert.ok(last);
  sent.length = 0;
  const next = await inbox.list(admin, { retentionCutoff: now, includeOld: true, q: 'parcel', limit: 3, after: { at: last.last_activity_at, id: last.id } });
  assert.deepEqual(
    next.rows.map((row) => row.id),
    ['c18', 'c15', 'c12'],
  );
  assert.deepEqual([next.total, next.totalIsLowerBound], [6, true], 'a later page: the same total, counted apart');
  assert.equal(sent.filter(checksMessages).length, 2, 'its walk, then the count of the latest');
});
