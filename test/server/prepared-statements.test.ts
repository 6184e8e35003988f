/**
 * PostgreSQL only: the message path's statements run as named prepared statements (server/store/prepared-statements.ts),
 * parsed and planned once per connection, and one whose table gained a column since it was prepared (a newer hub's
 * migration, in a rolling upgrade) is prepared afresh instead of failing from then on.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { CompiledQuery, Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { openDatabase } from '../../server/store/db.js';
import { PreparedStatements, withPreparedStatements } from '../../server/store/prepared-statements.js';
import type { Database } from '../../server/store/schema.js';
import { Store } from '../../server/store/store.js';
import { dropTestDatabase, testDatabaseUrl, testPostgresUrl } from '../helpers/databases.mjs';

const skip = testPostgresUrl() ? false : 'PostgreSQL only (SQLite keeps its prepared statements itself: store/db.ts)';

async function database(t: { after(fn: () => Promise<void>): void }) {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-prepared-'));
  const url = await testDatabaseUrl(dir);
  const opened = await openDatabase(url); // migrated
  t.after(async () => {
    await opened.db.destroy();
    await dropTestDatabase(dir);
    rmSync(dir, { recursive: true, force: true });
  });
  return { ...opened, url };
}

const preparedTexts = async (db: Kysely<Database>) =>
  (await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(db)).rows.map((r) => r.statement);

test('the message path runs its hot statements as prepared statements', { skip }, async (t) => {
  const { db, dialect } = await database(t);
  const store = new Store(db, dialect);
  await db.transaction().execute(async (tx) => {
    await store.contacts.lock('no-such-contact', tx); // one connection for the whole transaction
    await store.conversations.latest('no-such-contact', tx, { forUpdate: true });
    const texts = await preparedTexts(tx);
    assert.ok(
      texts.some((s) => s.includes('from "contacts"') && s.includes('for update')),
      `the lock is not prepared: ${texts.join(' | ')}`,
    );
    assert.ok(
      texts.some((s) => s.includes('from "conversations"') && s.includes('"contact_id" = $1')),
      'the latest conversation is not prepared',
    );
  });
});

test('a statement whose table gained a column is prepared afresh: at once outside a transaction, by the next one inside', { skip }, async (t) => {
  const { url } = await database(t);
  const statements = new PreparedStatements();
  const text = 'select * from probe where id = $1';
  statements.register(text);
  // One connection, so the statement prepared first is the one the column change makes stale.
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  pool.on('error', () => undefined); // if an assertion fails, dropping the database ends this connection
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: withPreparedStatements(pool, statements) }) });
  await sql`create table probe (id text primary key, value integer)`.execute(db);
  await sql`insert into probe values ('a', 1)`.execute(db);
  const probe = () => db.executeQuery<Record<string, unknown>>(CompiledQuery.raw(text, ['a']));
  assert.deepEqual((await probe()).rows, [{ id: 'a', value: 1 }]);
  assert.ok((await preparedTexts(db)).includes(text), 'not run as a prepared statement');

  await sql`alter table probe add column added_by_a_newer_hub integer`.execute(db);
  const after = await probe();
  assert.ok('added_by_a_newer_hub' in (after.rows[0] ?? {}), 'the statement was not prepared afresh');

  await sql`alter table probe add column added_again integer`.execute(db);
  await assert.rejects(
    db.transaction().execute((tx) => tx.executeQuery(CompiledQuery.raw(text, ['a']))),
    /cached plan must not change result type/,
    'inside a transaction the stale plan fails that transaction',
  );
  const retried = await db.transaction().execute((tx) => tx.executeQuery<Record<string, unknown>>(CompiledQuery.raw(text, ['a'])));
  assert.ok('added_again' in (retried.rows[0] ?? {}), 'the next transaction did not prepare it afresh');
  await db.destroy();
});

test('every pooled connection runs without JIT and without parallel workers, set in one query', { skip }, async (t) => {
  // Both cost a short query more than it takes (server/store/db.ts). Two settings sent as two queries on a connection
  // still busy with the first is a use `pg` deprecates (it warns on every new connection).
  const warnings: string[] = [];
  const onWarning = (warning: Error) => warnings.push(warning.message);
  process.on('warning', onWarning);
  t.after(() => void process.off('warning', onWarning));
  const { db } = await database(t);
  const settings = () =>
    sql<{ jit: string; workers: string }>`select current_setting('jit') as jit, current_setting('max_parallel_workers_per_gather') as workers`.execute(db);
  // Several connections at once: each was set up on connect.
  const seen = await Promise.all(Array.from({ length: 4 }, async () => (await settings()).rows[0]));
  assert.deepEqual(new Set(seen.map((row) => `${row?.jit}/${row?.workers}`)), new Set(['off/0']));
  await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on the next tick
  assert.deepEqual(
    warnings.filter((message) => message.includes('client.query()')),
    [],
  );
});
