/**
 * The sweeper runs every 30 s on every hub. Its two statements must change exactly the due conversations, and read
 * only those: at 1,000,000 conversations they read most of the table (the expiry every answered or closed
 * conversation whose visitor wrote over a day ago, the inactivity every open one older than a day), 0.5–1.2 s a
 * sweep on SQLite while the hub's one connection waited (docs/performance-history.md, session 22). SQLite plans without
 * statistics, so its plan is what every hub runs, and the test reads it; both stores change the same rows.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CompiledQuery, type Kysely } from 'kysely';
import { CAN_GO_INACTIVE } from '../../server/rules/ticket-status.js';
import { ConversationsRepo } from '../../server/store/conversations-repo.js';
import type { ConversationsTable, Database } from '../../server/store/schema.js';
import { at, conversation } from '../helpers/count-reference.js';
import { openTestDatabase } from '../helpers/store-database.js';

/** The statement's plan: SQLite's `explain query plan` details, or PostgreSQL's `explain` lines, joined. */
async function plan(db: Kysely<Database>, query: { compile(): CompiledQuery }): Promise<string> {
  const { sql, parameters } = query.compile();
  const sqlite = !sql.includes('$1');
  const { rows } = await db.executeQuery<Record<string, string>>(CompiledQuery.raw(`${sqlite ? 'explain query plan' : 'explain'} ${sql}`, [...parameters]));
  return rows.map((r) => r.detail ?? r['QUERY PLAN'] ?? '').join('; ');
}

test('the sweep marks exactly the due conversations, read from indexes of those alone', async (t) => {
  const { db, dialect } = await openTestDatabase(t, 'sweep');
  const old = at(0, 1); // over a day before the sweep
  const recent = at(2, 1);
  const cutoff = at(1, 0);
  const of = (id: string, patch: Partial<ConversationsTable>) => conversation(id, old, patch);
  await db
    .insertInto('conversations')
    .values([
      of('due', {}), // a visitor waits, unanswered, since `old`
      of('answered', { unreplied_count: 0, ticket_status: 'active' }),
      of('closed', { state: 'closed', ticket_status: 'resolved' }),
      of('expired-already', { expired: 1, ticket_status: 'inactive' }),
      of('pending', { unreplied_count: 0, ticket_status: 'pending' }),
      of('inactive-already', { unreplied_count: 0, ticket_status: 'inactive' }),
      conversation('recent', recent),
      conversation('recent-answered', recent, { unreplied_count: 0, ticket_status: 'active' }),
    ])
    .execute();
  const conversations = new ConversationsRepo(db, dialect);

  if (dialect === 'sqlite') {
    const expiring = await plan(db, conversations.expiring(cutoff));
    assert.match(expiring, /USING INDEX conversations_expiry_due \(state=\? AND expired=\? AND last_visitor_at<\?\)/, expiring);
    const inactive = await plan(db, conversations.goingInactive(cutoff, CAN_GO_INACTIVE));
    assert.match(inactive, /USING INDEX conversations_state_activity \(state=\? AND last_activity_at<\?\)/, inactive);
    // The ticket status is checked in that index: it is one of its columns, so no open conversation's row is read.
    const columns = await db.executeQuery<{ name: string }>(CompiledQuery.raw(`select name from pragma_index_info('conversations_state_activity')`));
    assert.deepEqual(
      columns.rows.map((c) => c.name),
      ['state', 'last_activity_at', 'ticket_status'],
    );
  }

  if (dialect === 'postgres') {
    // A table this small is read whole whatever the indexes; without that choice, the planner must be able to prove
    // that each statement's partial index applies (the statement says the index's condition in its own words).
    await db.connection().execute(async (connection) => {
      await connection.executeQuery(CompiledQuery.raw('set enable_seqscan = off'));
      const plans = [await plan(connection, conversations.expiring(cutoff)), await plan(connection, conversations.goingInactive(cutoff, CAN_GO_INACTIVE))];
      await connection.executeQuery(CompiledQuery.raw('reset enable_seqscan'));
      assert.match(plans[0] ?? '', /conversations_expiry_due/, plans[0]);
      assert.match(plans[1] ?? '', /conversations_inactivity_due/, plans[1]);
    });
  }
  // PostgreSQL's inactivity index (migration 022) holds the statuses that could go inactive then.
  assert.deepEqual(CAN_GO_INACTIVE, ['new', 'active', 'pending'], 'a change here needs a new index on PostgreSQL');

  assert.deepEqual(await conversations.markExpired(cutoff), ['due']);
  const inactive = await conversations.markInactive(cutoff, CAN_GO_INACTIVE);
  assert.deepEqual(
    inactive.sort((a, b) => a.id.localeCompare(b.id)),
    [
      { id: 'answered', previous: 'active' },
      { id: 'due', previous: 'new' },
      { id: 'pending', previous: 'pending' },
    ],
  );
  // The next sweep has nothing left to do.
  assert.deepEqual(await conversations.markExpired(cutoff), []);
  assert.deepEqual(await conversations.markInactive(cutoff, CAN_GO_INACTIVE), []);
  // A visitor writes again in an expired conversation: it is due again a day later (message-writes.ts sets these).
  await db
    .updateTable('conversations')
    .set({ expired: 0, unreplied_count: 2, last_visitor_at: recent, last_activity_at: recent })
    .where('id', '=', 'due')
    .execute();
  assert.deepEqual(await conversations.markExpired(cutoff), []);
  assert.deepEqual((await conversations.markExpired(at(3, 0))).sort(), ['due', 'recent']);
});
