/**
 * Migration 029 (server/store/claimed-escalations-migration.ts) on a database made by the previous schema: a conversation
 * an agent holds while _Need help_ (taken over before taking over ended the escalation) becomes _OK_, its facet row
 * with it; every other conversation, and every other column, is kept as it was. SQLite and PostgreSQL.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { migrationProvider } from '../../server/store/migrations.js';
import type { Database } from '../../server/store/schema.js';
import { withStatementCache } from '../../server/store/sqlite-statements.js';
import { at, conversation } from '../helpers/count-reference.js';
import { dropTestDatabase, testDatabaseUrl, testPostgresUrl } from '../helpers/databases.mjs';

test('029: a held conversation is no longer Need help; nothing else changes', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-escalations-'));
  const url = await testDatabaseUrl(dir);
  const dialect = testPostgresUrl() ? 'postgres' : 'sqlite';
  const db = new Kysely<Database>({
    dialect:
      dialect === 'postgres'
        ? new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 2 }) })
        : new SqliteDialect({ database: withStatementCache(new SqliteDatabase(url.replace(/^sqlite:/, ''))) }),
  });
  t.after(async () => {
    await db.destroy();
    await dropTestDatabase(dir);
    rmSync(dir, { recursive: true, force: true });
  });

  const migrator = new Migrator({ db, provider: migrationProvider(dialect) });
  assert.equal((await migrator.migrateTo('028_message_functions_jit')).error, undefined);
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
