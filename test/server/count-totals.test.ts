/**
 * The tab counts, tiles and language choices kept by the database (server/store/count-totals.ts) against their definition: the
 * viewer's conversations with last activity since the cutoff, grouped — counted here from the conversations
 * themselves. Every kind of change a conversation goes through (new, a message, a reply, assigned, hidden,
 * closed, expired, moved to another day, deleted) passes through the triggers, before and after the deltas are
 * folded, on the store this run uses (test/cluster/count-totals-cluster.test.ts: two hubs folding at once).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { CountTotals, FOLD_CHUNK } from '../../server/store/count-totals.js';
import type { ConversationsTable } from '../../server/store/schema.js';

import { assertCounts, at, conversation } from '../helpers/count-reference.js';
import { openTestDatabase } from '../helpers/store-database.js';

async function openStore(t: { after(fn: () => Promise<void>): void }) {
  const opened = await openTestDatabase(t, 'counts');
  return { ...opened, totals: new CountTotals(opened.db, opened.dialect) };
}

test('the kept counts and languages equal the conversations counted, through every kind of change, before and after folding', async (t) => {
  const { db, totals } = await openStore(t);
  const update = (id: string, patch: Partial<ConversationsTable>) => db.updateTable('conversations').set(patch).where('id', '=', id).execute();
  // Before the cutoff's day, on it before and after the cutoff, and later days.
  await db
    .insertInto('conversations')
    .values([
      conversation('old', at(-3, 9)),
      conversation('early', at(0, 8)),
      conversation('late', at(0, 15), { unreplied_count: 2, language: 'fr' }),
      conversation('next-day', at(1, 10), { assignees: '["ann"]' }),
      conversation('hidden', at(2, 10), { visible_to: '["bob"]', holder_id: 'bob' }),
      conversation('outgoing', at(3, 10), { outgoing: 1, unreplied_count: 0 }),
    ])
    .execute();
  await assertCounts(db, totals, 'new conversations');
  assert.ok((await totals.compact()) > 0, 'the deltas folded');
  await assertCounts(db, totals, 'folded');

  await update('late', { unreplied_count: 3, last_activity_at: at(0, 16) }); // a visitor message the same day
  await update('next-day', { unreplied_count: 0, ticket_status: 'active', agent_replied: 1 }); // a reply
  await update('old', { last_activity_at: at(4, 9), unreplied_count: 2 }); // an old conversation comes back
  await update('early', { last_activity_at: at(0, 13) }); // into the window on the cutoff's day
  await assertCounts(db, totals, 'messages and replies');
  await totals.compact();
  await update('hidden', { visible_to: '[]', holder_id: null, assignees: '["ann","bob"]' }); // shown to the team, assigned
  await update('outgoing', { state: 'closed', ticket_status: 'resolved' });
  await update('late', { expired: 1 });
  await update('next-day', { tags: '["vip"]', contact_id: null }); // changes no count
  await update('outgoing', { language: 'de' }); // the visitor's language became known
  await assertCounts(db, totals, 'assigned, closed, expired');
  await db.deleteFrom('conversations').where('id', 'in', ['early', 'old']).execute();
  await assertCounts(db, totals, 'deleted');
  await totals.compact();
  await totals.prune();
  await assertCounts(db, totals, 'folded and pruned');
  const { rows } = await sql<{ n: number | string }>`select (select count(*) from inbox_count_totals where conversations = 0)
    + (select count(*) from inbox_language_totals where conversations = 0) as n`.execute(db);
  assert.equal(Number(rows[0]?.n), 0, 'no empty group kept');
  assert.equal((await totals.compact()) >= 0, true);
});

test('more deltas than one fold takes at a time are all folded (SQLite folds in chunks), and the counts stay exact', async (t) => {
  const { db, totals } = await openStore(t);
  const many = Array.from({ length: FOLD_CHUNK * 2 + 37 }, (_, i) =>
    conversation(`c${i}`, at(i % 5, 10), { language: ['en', 'fr', 'de'][i % 3] ?? 'en', unreplied_count: i % 4 }),
  );
  for (let i = 0; i < many.length; i += 200)
    await db
      .insertInto('conversations')
      .values(many.slice(i, i + 200))
      .execute();
  // A message to every other conversation: another delta each.
  await sql`update conversations set unreplied_count = unreplied_count + 1 where cast(substr(id, 2) as integer) % 2 = 0`.execute(db);
  await totals.compact();
  const { rows } = await sql<{ n: number | string }>`select (select count(*) from inbox_count_deltas)
    + (select count(*) from inbox_language_deltas) as n`.execute(db);
  assert.equal(Number(rows[0]?.n), 0, 'every delta folded');
  await assertCounts(db, totals, 'folded in chunks');
});
