/**
 * Migration 029 (server/store/claimed-escalations-migration.ts) on a database made by the previous schema: a conversation
 * an agent holds while _Need help_ (taken over before taking over ended the escalation) becomes _OK_, its facet row
 * with it; every other conversation, and every other column, is kept as it was. SQLite and PostgreSQL.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { at, conversation } from '../helpers/count-reference.js';
import { openAtMigration } from '../helpers/store-database.js';

test('029: a held conversation is no longer Need help; nothing else changes', async (t) => {
  const { db, migrator } = await openAtMigration(t, 'escalations', '028_message_functions_jit');
  const held = { holder_id: 'agent-a', muted: 1, muted_at: at(0, 1), muted_by: 'agent-a' };
  await db
    .insertInto('conversations')
    .values([
      conversation('held-waiting', at(0, 1), { bot_status: 'need_help', ...held }),
      conversation('waiting', at(0, 2), { bot_status: 'need_help' }),
      conversation('held-not-understood', at(0, 3), { bot_status: 'not_understood', ...held }),
      conversation('closed-waiting', at(0, 4), { bot_status: 'need_help', state: 'closed', ticket_status: 'resolved' }),
    ])
    .execute();
  const before = await db.selectFrom('conversations').selectAll().orderBy('id').execute();
  const facets = () =>
    db.selectFrom('conversation_facets').select(['conversation_id', 'value']).where('facet', '=', 'bot_status').orderBy('conversation_id').execute();
  assert.deepEqual(
    (await facets()).map((f) => f.value),
    ['need_help', 'not_understood', 'need_help', 'need_help'],
  );

  assert.equal((await migrator.migrateToLatest()).error, undefined);
  const after = await db.selectFrom('conversations').selectAll().orderBy('id').execute();
  const expected = before.map((row) => (row.id === 'held-waiting' ? { ...row, bot_status: 'ok' } : row));
  assert.deepEqual(after, expected, 'only the held Need help conversation changed, and only its bot status');
  assert.deepEqual(
    await facets(),
    [
      { conversation_id: 'closed-waiting', value: 'need_help' },
      { conversation_id: 'held-not-understood', value: 'not_understood' },
      { conversation_id: 'held-waiting', value: 'ok' },
      { conversation_id: 'waiting', value: 'need_help' },
    ],
    'the Bot status filter reads the new status',
  );
});
