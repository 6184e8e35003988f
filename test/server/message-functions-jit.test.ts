/**
 * Migration 028 (server/store/message-functions-jit-migration.ts), PostgreSQL only, on a database made by the previous
 * schema: every message is kept, and the message path's functions run with JIT off and sequential scans priced out,
 * set on the functions themselves, so a session that has JIT on (PostgreSQL's default; a pooler in transaction mode
 * does not keep the hub's own `set jit = off`) still runs them as the hub does. Before 028 such a session compiled
 * the webhook endpoints' statement with LLVM on every message: 37 ms a message instead of 0.3.
 *
 * PostgreSQL shows no JIT counter outside pg_stat_statements (an extension, not installed here): what makes a call
 * run without JIT is the function's own setting, so that is what is read.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type Kysely, sql } from 'kysely';
import pg from 'pg';
import type { Database } from '../../server/store/schema.js';
import { insertVisitorConversation, messageRow } from '../helpers/rows.js';
import { testPostgresUrl } from '../helpers/databases.mjs';
import { openAtMigration } from '../helpers/store-database.js';

const NOW = '2026-11-29T12:00:00.000Z';
const FUNCTIONS = ['switchboard_visitor_message', 'switchboard_agent_message', 'switchboard_checked_agent_reply'];

/** Each message function's own settings, by name (`proconfig`: what a call runs with, whatever the session's). */
async function functionSettings(db: Kysely<Database>): Promise<Record<string, string[]>> {
  const { rows } = await sql<{ proname: string; proconfig: string[] | null }>`select proname, proconfig from pg_proc
    where proname in (${sql.join(FUNCTIONS)})`.execute(db);
  return Object.fromEntries(rows.map((r) => [r.proname, [...(r.proconfig ?? [])].sort()]));
}

test('028 keeps every message, and the message functions run without JIT in any session', {
  skip: testPostgresUrl() ? false : 'PostgreSQL only (migration 028 changes PostgreSQL functions)',
}, async (t) => {
  // The previous schema, with a visitor's open conversation and its messages.
  const { db, migrator, url, alsoClose } = await openAtMigration(t, 'jit', '027_contact_trigrams');
  // A session with PostgreSQL's defaults, and JIT made to compile anything it may: not the hub's pool (db.ts).
  const client = new pg.Client({ connectionString: url, options: '-c jit=on -c jit_above_cost=0 -c jit_inline_above_cost=0 -c jit_optimize_above_cost=0' });
  alsoClose(() => client.end());
  await insertVisitorConversation(db, NOW);
  await db
    .insertInto('messages')
    .values([messageRow('c1', 'hello', NOW, { client_id: 'old-1' }), messageRow('c1', 'a system line', NOW)])
    .execute();
  const before = await db.selectFrom('messages').selectAll().orderBy('id').execute();
  const previous = await functionSettings(db);
  for (const name of FUNCTIONS) assert.deepEqual(previous[name], ['enable_seqscan=off'], `before 028, ${name} left JIT to the session`);

  assert.equal((await migrator.migrateToLatest()).error, undefined);
  assert.deepEqual(await db.selectFrom('messages').selectAll().orderBy('id').execute(), before, 'every message kept as it was');
  const settings = await functionSettings(db);
  for (const name of FUNCTIONS) assert.deepEqual(settings[name], ['enable_seqscan=off', 'jit=off'], `${name} runs without JIT, scans priced out`);

  // Called from that session, the functions still store and answer as before.
  await client.connect();
  const { rows } = await client.query<{ r: { message?: { text: string }; after?: { unread_count: number } } }>(
    `select switchboard_visitor_message('v1', 'new-1', 'c1', 'webchat', 'still there?', 'still there?', $1, 'open', 'pending', true) as r`,
    [NOW],
  );
  assert.equal(rows[0]?.r.message?.text, 'still there?', 'the message is stored');
  const { rows: session } = await client.query<{ jit: string }>(`select current_setting('jit') as jit`);
  assert.equal(session[0]?.jit, 'on', "the function's setting holds inside its calls only; the session keeps its own");
  assert.equal((await db.selectFrom('messages').selectAll().execute()).length, before.length + 1);
});
