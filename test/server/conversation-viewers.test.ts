/**
 * An agent's list starts from the rows of the conversations they may see in the list's state (`conversation_viewers`,
 * migrations 024 and 025) when they may see few, and otherwise checks each conversation's own `visible_to`
 * (store/inbox-queries.ts). The rows must say what the columns say after every kind of change, and both ways of
 * listing must list the same conversations in the same order, with the same total, in every view. SQLite and
 * PostgreSQL.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Kysely } from 'kysely';
import type { Viewer } from '../../server/store/base.js';
import { InboxQueries, type ListOptions } from '../../server/store/inbox-queries.js';
import { SEARCH_WINDOWS } from '../../server/store/inbox-search.js';
import type { ConversationsTable, Database } from '../../server/store/schema.js';
import { WHOLE_TEAM } from '../../server/store/viewers-migration.js';
import { at, conversation } from '../helpers/count-reference.js';
import { everyListed } from '../helpers/inbox-pages.js';
import { contactRow } from '../helpers/rows.js';
import { openAtMigration, openTestDatabase } from '../helpers/store-database.js';

const agent = (id: string): Viewer => ({ id, role: 'agent' });

/**
 * What the columns say, as sorted "conversation viewer state activity" lines (the activity of closed ones only), beside
 * what the table holds.
 */
async function inStep(db: Kysely<Database>, when: string): Promise<void> {
  const rows = await db.selectFrom('conversations').selectAll().execute();
  const viewers = (visibleTo: string) => {
    const listed = [...new Set(JSON.parse(visibleTo) as string[])];
    return listed.length === 0 ? [WHOLE_TEAM] : listed;
  };
  const line = (id: string, viewer: string, state: string, activity: string | null) => `${id} ${viewer} ${state} ${activity ?? '-'}`;
  const columns = rows
    .flatMap((r) => viewers(r.visible_to).map((viewer) => line(r.id, viewer, r.state, r.state === 'closed' ? r.last_activity_at : null)))
    .sort();
  const kept = (await db.selectFrom('conversation_viewers').selectAll().execute())
    .map((r) => line(r.conversation_id, r.viewer, r.state, r.last_activity_at))
    .sort();
  assert.deepEqual(kept, columns, `${when}: conversation_viewers says what visible_to, state and last_activity_at say`);
}

/** Kim's conversation `id`, last active at `hour` on day 0, that `visibleTo` may see (everyone when empty). */
const of = (id: string, hour: number, visibleTo: string[], patch: Partial<ConversationsTable> = {}) =>
  conversation(id, at(0, hour), { contact_id: 'k1', visible_to: JSON.stringify(visibleTo), ...patch });

test('the viewer rows follow every change, and both ways of listing an agent’s conversations agree', async (t) => {
  const { db, dialect } = await openTestDatabase(t, 'viewers');
  const now = at(0, 0);
  await db
    .insertInto('contacts')
    .values(contactRow('k1', now, { name: 'Kim' }))
    .execute();
  await db
    .insertInto('conversations')
    .values([
      of('team', 1, []),
      of('ada', 2, ['agent-a']),
      of('both', 3, ['agent-a', 'agent-b']),
      of('bea', 4, ['agent-b']),
      of('closed-a', 5, ['agent-a'], { state: 'closed' }),
      of('twice', 6, ['agent-a', 'agent-a']), // listed twice: one row
      of('held', 7, [], { holder_id: 'agent-a' }),
      of('moved', 9, []),
      of('noted', 10, ['agent-b'], { state: 'closed', ticket_status: 'pending' }),
      of('team-closed', 11, [], { state: 'closed' }),
      of('shut', 13, [], { state: 'closed' }),
      of('late', 0, ['agent-a']),
    ])
    .execute();
  await inStep(db, 'inserted');

  const update = (id: string, patch: Partial<ConversationsTable>) => db.updateTable('conversations').set(patch).where('id', '=', id).execute();
  await update('team', { visible_to: '["agent-b"]' }); // restricted after the fact
  await update('bea', { visible_to: '[]' }); // opened to the whole team
  await update('both', { visible_to: '["agent-b","agent-a"]' }); // the same two, another order
  await update('ada', { unread_count: 4, last_activity_at: at(0, 8) }); // a message: does not set visible_to
  await update('both', { state: 'closed' });
  await update('closed-a', { state: 'open' }); // reopened
  await update('moved', { state: 'closed', visible_to: '["agent-c"]' }); // both in one statement
  await update('noted', { last_activity_at: at(0, 1) }); // activity in a closed conversation
  await update('team-closed', { visible_to: '["agent-b"]' }); // a closed one restricted
  await update('late', { state: 'closed', last_activity_at: at(0, 12) }); // closed with a last message
  await inStep(db, 'updated');

  const fromRows = new InboxQueries(db, dialect, SEARCH_WINDOWS, 1_000_000, 1);
  const inOrder = new InboxQueries(db, dialect, SEARCH_WINDOWS, 0);
  const cases: [string, Viewer, Partial<ListOptions>, string[]][] = [
    ['agent a: listed, and the whole team’s', agent('agent-a'), {}, ['ada', 'held', 'twice', 'closed-a', 'bea']],
    ['agent b: no longer sees those only a may', agent('agent-b'), {}, ['held', 'bea', 'team']],
    ['agent c: the whole team’s only', agent('agent-c'), {}, ['held', 'bea']],
    ['agent a, closed', agent('agent-a'), { inbox: 'closed' }, ['shut', 'late', 'both']],
    ['agent b, closed', agent('agent-b'), { inbox: 'closed' }, ['shut', 'team-closed', 'both', 'noted']],
    ['agent c, closed', agent('agent-c'), { inbox: 'closed' }, ['shut', 'moved']],
    [
      'agent b, closed, within the retention window',
      agent('agent-b'),
      { inbox: 'closed', includeOld: false, retentionCutoff: at(0, 3) },
      ['shut', 'team-closed', 'both'],
    ],
    ['agent b, closed, within dates', agent('agent-b'), { inbox: 'closed', from: at(0, 2), to: at(0, 11) }, ['team-closed', 'both']],
    ['agent b, closed, on a channel', agent('agent-b'), { inbox: 'closed', channel: 'webchat' }, ['shut', 'team-closed', 'both', 'noted']],
    ['agent b, closed, pending', agent('agent-b'), { inbox: 'closed', ticketStatus: 'pending' }, ['noted']],
    ['agent a, Mine', agent('agent-a'), { inbox: 'mine' }, ['held']],
    ['agent c, Unassigned', agent('agent-c'), { inbox: 'unassigned' }, ['bea']],
    ['agent b, within the retention window', agent('agent-b'), { includeOld: false, retentionCutoff: at(0, 3) }, ['held', 'bea']],
  ];
  for (const [name, viewer, filter, expected] of cases) {
    assert.deepEqual(await everyListed(fromRows, viewer, at(0, 0), filter), expected, `${name}, starting from the rows`);
    assert.deepEqual(await everyListed(inOrder, viewer, at(0, 0), filter), expected, `${name}, in activity order`);
    for (const [way, inbox] of [
      ['from the rows', fromRows],
      ['in order', inOrder],
    ] as const) {
      const page = await inbox.list(viewer, { retentionCutoff: now, includeOld: true, ...filter });
      assert.equal(page.total, expected.length, `${name}: the total, ${way}`);
      // Past the last one (an old client's offset): nothing listed, and the total still counted.
      const past = await inbox.list(viewer, { retentionCutoff: now, includeOld: true, ...filter, offset: expected.length });
      assert.deepEqual([past.rows.length, past.total, past.more], [0, expected.length, false], `${name}: past the last, ${way}`);
    }
    // A page alone (a tab: its total comes from the count groups) has a plan of its own.
    const alone = await fromRows.list(viewer, { retentionCutoff: now, includeOld: true, countTotal: false, ...filter });
    assert.deepEqual(
      alone.rows.map((row) => row.id),
      expected,
      `${name}: a page alone, starting from the rows`,
    );
  }

  await db.deleteFrom('conversations').where('id', 'in', ['twice', 'bea']).execute();
  await inStep(db, 'deleted');
  assert.deepEqual(await everyListed(fromRows, agent('agent-c'), at(0, 0), {}), ['held'], 'a deleted conversation is not listed from its rows');
});

for (const previous of ['024_conversation_viewers', '025_conversation_viewer_state']) {
  test(`upgraded from ${previous}, the rows of conversations stored before get their state, and closed ones their activity`, async (t) => {
    // The previous schema, with open and closed conversations, the team's and restricted ones.
    const { db, dialect, migrator } = await openAtMigration(t, 'viewer-state', previous);
    const now = at(0, 0);
    await db
      .insertInto('contacts')
      .values(contactRow('k1', now, { name: 'Kim' }))
      .execute();
    await db
      .insertInto('conversations')
      .values([
        of('open-team', 1, []),
        of('closed-team', 6, [], { state: 'closed' }),
        of('open-a', 3, ['agent-a']),
        of('closed-a', 4, ['agent-a', 'agent-b'], { state: 'closed' }),
      ])
      .execute();

    assert.equal((await migrator.migrateToLatest()).error, undefined);
    await inStep(db, 'upgraded');
    const fromRows = new InboxQueries(db, dialect, SEARCH_WINDOWS, 1_000_000, 1);
    assert.deepEqual(await everyListed(fromRows, agent('agent-a'), now, {}), ['open-a', 'open-team']);
    assert.deepEqual(await everyListed(fromRows, agent('agent-a'), now, { inbox: 'closed' }), ['closed-team', 'closed-a']);
    assert.deepEqual(await everyListed(fromRows, agent('agent-b'), now, { inbox: 'closed' }), ['closed-team', 'closed-a']);
  });
}
