/**
 * The inbox's language and bot status filters start from a conversation's facets (`conversation_facets`,
 * migration 021) when few conversations match, and otherwise check each conversation's own columns
 * (store/inbox-queries.ts). The rows must say what the columns say after every kind of change, and both ways of
 * listing must list the same conversations in the same order, a language with its regional variants and nothing
 * else. SQLite and PostgreSQL.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Viewer } from '../../server/store/base.js';
import { FACETS } from '../../server/store/facets-migration.js';
import { InboxQueries, type ListOptions } from '../../server/store/inbox-queries.js';
import { SEARCH_WINDOWS } from '../../server/store/inbox-search.js';
import type { ConversationsTable, Database } from '../../server/store/schema.js';
import { at, conversation } from '../helpers/count-reference.js';
import { everyListed } from '../helpers/inbox-pages.js';
import { contactRow } from '../helpers/rows.js';
import { openTestDatabase } from '../helpers/store-database.js';
import type { Kysely } from 'kysely';

const admin: Viewer = { id: 'admin-1', role: 'admin' };

/** What the columns say, as sorted "conversation facet value" lines, beside what the table holds. */
async function inStep(db: Kysely<Database>, when: string): Promise<void> {
  const rows = await db.selectFrom('conversations').selectAll().execute();
  const columns = rows.flatMap((r) => FACETS.map((facet) => `${r.id} ${facet} ${r[facet]}`)).sort();
  const kept = (await db.selectFrom('conversation_facets').selectAll().execute()).map((r) => `${r.conversation_id} ${r.facet} ${r.value}`).sort();
  assert.deepEqual(kept, columns, `${when}: conversation_facets says what the columns say`);
}

test('the facet rows follow every change, and both ways of listing agree', async (t) => {
  const { db, dialect } = await openTestDatabase(t, 'facets');
  const now = at(0, 0);
  await db
    .insertInto('contacts')
    .values(contactRow('k1', now, { name: 'Kim' }))
    .execute();
  const of = (id: string, hour: number, patch: Partial<ConversationsTable> = {}) => conversation(id, at(0, hour), { contact_id: 'k1', ...patch });
  await db
    .insertInto('conversations')
    .values([
      of('en', 1),
      of('en-gb', 2, { language: 'en-GB' }),
      of('fr', 3, { language: 'fr' }),
      of('enx', 4, { language: 'enx' }), // not a variant of en
      of('en-comma', 5, { language: 'en,x' }), // inside en's index range, not a variant
      of('helped', 6, { bot_status: 'need_help' }),
      of('closed-en', 7, { state: 'closed' }),
    ])
    .execute();
  await inStep(db, 'inserted');

  const update = (id: string, patch: Partial<ConversationsTable>) => db.updateTable('conversations').set(patch).where('id', '=', id).execute();
  await update('en', { bot_status: 'need_help', last_activity_at: at(0, 8) }); // the bot escalated it
  await update('helped', { bot_status: 'ok' }); // and answered this one
  await update('enx', { language: 'de' }); // the visitor's language became known
  await update('fr', { language: 'fr-CA', last_activity_at: at(0, 9) });
  await update('fr', { language: 'fr' });
  await update('en-gb', { unread_count: 4, last_activity_at: at(0, 10) }); // a message: sets none of the three
  await inStep(db, 'updated');

  const fromRows = new InboxQueries(db, dialect, SEARCH_WINDOWS, 1_000_000);
  const inOrder = new InboxQueries(db, dialect, SEARCH_WINDOWS, 0);
  const cases: [string, Partial<ListOptions>, string[]][] = [
    ['language en: itself and its regional variants, newest first', { language: 'en' }, ['en-gb', 'en', 'helped']],
    ['language en-GB', { language: 'en-GB' }, ['en-gb']],
    ['language de', { language: 'de' }, ['enx']],
    ['language en, closed', { language: 'en', inbox: 'closed' }, ['closed-en']],
    ['language fr', { language: 'fr' }, ['fr']],
    ['bot status need_help', { botStatus: 'need_help' }, ['en']],
    ['two of them at once', { language: 'en', botStatus: 'need_help' }, ['en']],
    ['a value nobody has', { language: 'ja' }, []],
  ];
  for (const [name, filter, expected] of cases) {
    const started = await everyListed(fromRows, admin, at(0, 0), filter);
    assert.deepEqual(started, expected, `${name}, starting from the rows`);
    assert.deepEqual(await everyListed(inOrder, admin, at(0, 0), filter), expected, `${name}, in activity order`);
    const page = await fromRows.list(admin, { retentionCutoff: now, includeOld: true, ...filter });
    assert.equal(page.total, expected.length, `${name}: the total`);
  }

  await db.deleteFrom('conversations').where('id', 'in', ['en', 'fr']).execute();
  await inStep(db, 'deleted');
  assert.deepEqual(await everyListed(fromRows, admin, at(0, 0), { language: 'fr' }), [], 'a deleted conversation is not listed from its rows');
});
