/**
 * SQLite's full-text index in batches (migration 017, server/store/search-index.ts), on a database made by the
 * previous schema (migrated to 016 with that schema's own migrations, its messages indexed by 010's trigger):
 * after the upgrade the old messages are still found, new ones are indexed by the batch, a search sees a message
 * stored a moment before it, and a message deleted or edited before or after its batch leaves the index exactly as
 * its content (FTS5's own integrity check against the table).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, sql } from 'kysely';
import { openDatabase } from '../../server/store/db.js';
import { InboxQueries } from '../../server/store/inbox-queries.js';
import { migrationProvider } from '../../server/store/migrations.js';
import type { Database } from '../../server/store/schema.js';
import { SEARCH_CHUNK, SearchIndex } from '../../server/store/search-index.js';
import { withStatementCache } from '../../server/store/sqlite-statements.js';
import { conversation } from '../helpers/count-reference.js';
import { contactRow, messageRow } from '../helpers/rows.js';
import { testPostgresUrl } from '../helpers/databases.mjs';

const NOW = '2026-11-26T12:00:00.000Z';

async function addMessage(db: Kysely<Database>, text: string): Promise<number> {
  const row = await db
    .insertInto('messages')
    .values(messageRow('c1', text, NOW))
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

/** The ids of the messages the index holds with `word` as a word prefix. */
async function indexed(db: Kysely<Database>, word: string): Promise<number[]> {
  const { rows } = await sql<{ rowid: number }>`select rowid from messages_fts where messages_fts match ${`"${word}"*`} order by rowid`.execute(db);
  return rows.map((r) => Number(r.rowid));
}

/** FTS5's check of an external-content index against its table: throws when they differ. */
const integrityCheck = (db: Kysely<Database>) => sql`insert into messages_fts (messages_fts, rank) values ('integrity-check', 1)`.execute(db);

test('the index in batches: old messages kept through the upgrade, new ones indexed by the batch and found by a search at once', {
  skip: testPostgresUrl() ? 'SQLite only (PostgreSQL indexes each message on insert)' : false,
}, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-search-index-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'hub.db');

  // The previous schema, with its messages indexed one by one.
  const previous = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(new SqliteDatabase(file)) }) });
  const { error } = await new Migrator({ db: previous, provider: migrationProvider('sqlite') }).migrateTo('016_checked_agent_reply');
  assert.equal(error, undefined);
  const oldParcel = await addMessage(previous, 'where is my parcel');
  const oldRefund = await addMessage(previous, 'a refund please');
  await previous.destroy();

  const { db } = await openDatabase(`sqlite:${file}`);
  t.after(() => db.destroy());
  const searchIndex = new SearchIndex(db, 'sqlite');
  assert.deepEqual(await indexed(db, 'parcel'), [oldParcel], 'an old message is still in the index');
  assert.equal(await searchIndex.catchUp(), 0, 'nothing of the old messages is indexed twice');
  await integrityCheck(db);

  const newParcel = await addMessage(db, 'Parcel tracking number');
  const deletedEarly = await addMessage(db, 'parcel lost');
  const editedEarly = await addMessage(db, 'typo percel');
  assert.deepEqual(await indexed(db, 'parcel'), [oldParcel], 'stored, not indexed yet');
  await db.deleteFrom('messages').where('id', '=', deletedEarly).execute();
  await db.updateTable('messages').set({ text: 'fixed parcel' }).where('id', '=', editedEarly).execute();
  await db.deleteFrom('messages').where('id', '=', oldRefund).execute();

  assert.equal(await searchIndex.catchUp(), 2, 'the batch indexes the two messages left');
  assert.deepEqual(await indexed(db, 'parcel'), [oldParcel, newParcel, editedEarly]);
  assert.deepEqual(await indexed(db, 'lost'), [], 'a message deleted before its batch never enters the index');
  assert.deepEqual(await indexed(db, 'percel'), [], 'an edit before the batch is indexed as edited');
  assert.deepEqual(await indexed(db, 'refund'), [], 'a deleted old message leaves the index');
  await integrityCheck(db);

  // After its batch, an edit and a delete change the index as before.
  await db.updateTable('messages').set({ text: 'Parcel arrived' }).where('id', '=', newParcel).execute();
  await db.deleteFrom('messages').where('id', '=', oldParcel).execute();
  assert.deepEqual(await indexed(db, 'tracking'), []);
  assert.deepEqual(await indexed(db, 'arrived'), [newParcel]);
  await integrityCheck(db);

  // A search sees a message stored a moment before it, with no batch in between.
  await db
    .insertInto('contacts')
    .values(contactRow('k1', NOW, { name: 'Zoe' }))
    .execute();
  await db
    .insertInto('conversations')
    .values(conversation('c1', NOW, { contact_id: 'k1' }))
    .execute();
  await addMessage(db, 'zebra crossing');
  const inbox = new InboxQueries(db, 'sqlite');
  const found = await inbox.list({ id: 'admin', role: 'admin' }, { q: 'zebra', inbox: 'all', includeOld: true, retentionCutoff: NOW, limit: 10 });
  assert.deepEqual(
    found.rows.map((r) => r.id),
    ['c1'],
  );
  await integrityCheck(db);
});

test('more messages than one batch takes at a time are all indexed, each once', {
  skip: testPostgresUrl() ? 'SQLite only (PostgreSQL indexes each message on insert)' : false,
}, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-search-index-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const { db } = await openDatabase(`sqlite:${join(dir, 'hub.db')}`);
  t.after(() => db.destroy());
  const count = SEARCH_CHUNK * 2 + 17;
  const ids: number[] = [];
  for (let i = 0; i < count; i++) ids.push(await addMessage(db, `chunked message ${i}`));
  assert.equal(await new SearchIndex(db, 'sqlite').catchUp(), count, 'every message indexed in one catch-up');
  assert.deepEqual(await indexed(db, 'chunked'), ids);
  await integrityCheck(db);
});
