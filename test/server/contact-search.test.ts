/**
 * Searching contacts by a substring: the contact list (name, email, phone, user id) and the inbox's search (name,
 * email). On PostgreSQL both read the contacts that have the query's trigrams from one index (migration 027,
 * contact-trigrams-migration.ts) instead of every contact: at 50,000 contacts every inbox search scanned them all
 * (docs/performance-history.md, session 31). A server where the index cannot be made still upgrades, and searches by a scan.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { CompiledQuery, type Kysely, sql } from 'kysely';
import type { Viewer } from '../../server/store/base.js';
import { ContactsRepo } from '../../server/store/contacts-repo.js';
import { openDatabase } from '../../server/store/db.js';
import { InboxQueries } from '../../server/store/inbox-queries.js';
import type { Database } from '../../server/store/schema.js';
import { at, conversation } from '../helpers/count-reference.js';
import { dropTestDatabase, testDatabaseUrl, testPostgresUrl, withServer } from '../helpers/databases.mjs';
import { contactRow } from '../helpers/rows.js';
import { recording } from '../helpers/statement-recorder.js';
import { openTestDatabase } from '../helpers/store-database.js';

const admin: Viewer = { id: 'admin-1', role: 'admin' };
const postgresOnly = testPostgresUrl() ? false : 'PostgreSQL only (SQLite has no trigram index: contact-trigrams-migration.ts)';

/** Contacts with every field set, with none but the name, and with LIKE's wildcards in theirs. */
async function seed(db: Kysely<Database>): Promise<void> {
  const now = at(0, 0);
  await db
    .insertInto('contacts')
    .values([
      contactRow('ada', at(0, 1), { name: 'ada lovelace', email: 'ada@example.com', phone: '+44 20 7946 0001', user_id: 'U-Ada-1' }),
      contactRow('grace', at(0, 2), { name: 'grace hopper' }),
      contactRow('wild', at(0, 3), { name: '50% off_deal', email: 'x_y@shop.test' }),
    ])
    .execute();
  await db
    .insertInto('conversations')
    .values([
      conversation('c-ada', now, { contact_id: 'ada' }),
      conversation('c-grace', now, { contact_id: 'grace' }),
      conversation('c-wild', now, { contact_id: 'wild' }),
    ])
    .execute();
}

test('the contact list finds a substring of a name, email, phone or user id, whatever is missing, wildcards literal', async (t) => {
  const { db, dialect } = await openTestDatabase(t, 'contact-search');
  await seed(db);
  const contacts = new ContactsRepo(db, dialect);
  const found = async (query: string) => (await contacts.search(admin, { query, limit: 10 })).map((row) => row.id).sort();
  assert.deepEqual(await found('LOVE'), ['ada'], 'a name, any case');
  assert.deepEqual(await found('example.com'), ['ada'], 'an email');
  assert.deepEqual(await found('7946'), ['ada'], 'a phone');
  assert.deepEqual(await found('u-ada'), ['ada'], 'a user id, any case');
  assert.deepEqual(await found('hopper'), ['grace'], 'a contact with no email, phone or user id');
  assert.deepEqual(await found('%'), ['wild'], '% is a character, not a wildcard');
  assert.deepEqual(await found('x_y'), ['wild'], '_ is a character, not a wildcard');
  assert.deepEqual(await found('a'), ['ada', 'grace', 'wild']);
  assert.deepEqual(await found('nobody'), []);

  const inbox = new InboxQueries(db, dialect);
  const listed = async (q: string) => (await inbox.list(admin, { retentionCutoff: at(0, 0), q })).rows.map((row) => row.id).sort();
  assert.deepEqual(await listed('hopper'), ['c-grace'], 'the inbox finds a conversation by its contact’s name alone');
  assert.deepEqual(await listed('example.com'), ['c-ada'], 'and by the email');
  assert.deepEqual(await listed('x_y'), ['c-wild']);
});

/**
 * PostgreSQL's plan of `query` when it may read a table only through an index's conditions (a bitmap scan): whether
 * the index can serve the query's conditions. With a few rows, it would rather read the table whole, or walk the
 * contacts in the list's order; at 50,000 that walk is the scan the index avoids for a rare query.
 */
async function planOf(db: Kysely<Database>, query: CompiledQuery): Promise<string> {
  return db.connection().execute(async (connection) => {
    await connection.executeQuery(CompiledQuery.raw('set enable_seqscan = off; set enable_indexscan = off; set enable_indexonlyscan = off'));
    const { rows } = await connection.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(`explain ${query.sql}`, [...query.parameters]));
    await connection.executeQuery(CompiledQuery.raw('reset enable_seqscan; reset enable_indexscan; reset enable_indexonlyscan'));
    return rows.map((row) => row['QUERY PLAN']).join('\n');
  });
}

test('PostgreSQL: the contact list and the inbox’s look-up read matching contacts from the trigram index', { skip: postgresOnly }, async (t) => {
  const { db, dialect } = await openTestDatabase(t, 'contact-trigrams');
  await seed(db);
  const { recorded, compiled } = recording(db);

  await new ContactsRepo(recorded, dialect).search(admin, { query: 'lovelace', limit: 10 });
  const list = await planOf(db, compiled[0] ?? CompiledQuery.raw(''));
  assert.match(list, /contacts_trigrams/, list);
  assert.doesNotMatch(list, /Seq Scan on contacts/, list);

  // A walk of one conversation finds no page, so the search looks up the conversations its contacts and words name.
  compiled.length = 0;
  const inbox = new InboxQueries(recorded, dialect, { page: 1, count: 1, named: 1000 });
  const page = await inbox.list(admin, { retentionCutoff: at(0, 0), q: 'lovelace' });
  assert.deepEqual(
    page.rows.map((row) => row.id),
    ['c-ada'],
  );
  const plans = await Promise.all(compiled.filter((query) => /\bcontacts k2\b/.test(query.sql)).map((query) => planOf(db, query)));
  assert.ok(plans.length > 0, 'the look-up searched the contacts');
  for (const plan of plans) {
    assert.match(plan, /contacts_trigrams/, plan);
    assert.doesNotMatch(plan, /Seq Scan on contacts/, plan);
  }
});

test('PostgreSQL: a server where the trigram index cannot be made still upgrades, and searches contacts by a scan', { skip: postgresOnly }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-no-trigrams-'));
  const url = await testDatabaseUrl(dir);
  // The index's name is taken, as it would be by anything that stops its creation (no pg_trgm, no right to add it).
  await withServer(url, (client) => client.query('create table contacts_trigrams (id text)').then(() => undefined));
  const opened = await openDatabase(url);
  t.after(async () => {
    await opened.db.destroy();
    await dropTestDatabase(dir);
    rmSync(dir, { recursive: true, force: true });
  });
  const migrated = await sql<{ name: string }>`select name from kysely_migration where name = '027_contact_trigrams'`.execute(opened.db);
  assert.equal(migrated.rows.length, 1, '027 ran (and every migration after it)');
  const indexes = await sql<{ indexname: string }>`select indexname from pg_indexes where tablename = 'contacts'`.execute(opened.db);
  assert.ok(!indexes.rows.some((row) => row.indexname === 'contacts_trigrams'));

  await seed(opened.db);
  const found = await new ContactsRepo(opened.db, opened.dialect).search(admin, { query: 'hopper', limit: 10 });
  assert.deepEqual(
    found.map((row) => row.id),
    ['grace'],
  );
});
