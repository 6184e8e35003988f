/**
 * Migration 018 (server/store/message-write-plans-migration.ts), PostgreSQL only, on a database made by the previous
 * schema (migrated to 017 with that schema's own migrations): every message is kept, a client id is still stored
 * once per conversation, and a connection that first ran the visitor's message function while the messages table was
 * nearly empty does not read the table, or the visitor's conversation, in full once it has grown.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import { conversation } from '../helpers/count-reference.js';
import { insertVisitorConversation, messageRow } from '../helpers/rows.js';
import { testPostgresUrl } from '../helpers/databases.mjs';
import { openAtMigration } from '../helpers/store-database.js';

const NOW = '2026-11-26T12:00:00.000Z';

const message = (clientId: string | null, text: string) => messageRow('c1', text, NOW, { client_id: clientId });

/** What the current transaction on `client` read of the messages table: rows scanned, and index entries read. */
async function messagesRead(client: pg.Client): Promise<{ seq: number; index: number }> {
  const { rows } = await client.query<{ seq: string; index: string }>(
    `select pg_stat_get_xact_tuples_returned('messages'::regclass) as seq,
       (select sum(pg_stat_get_xact_tuples_returned(indexrelid)) from pg_index where indrelid = 'messages'::regclass) as index`,
  );
  return { seq: Number(rows[0]?.seq), index: Number(rows[0]?.index) };
}

test('018 keeps every message, one per client id and conversation, and the message function never reads the table in full', {
  skip: testPostgresUrl() ? false : 'PostgreSQL only (migration 018 changes PostgreSQL functions and an index)',
}, async (t) => {
  // The previous schema, with a visitor's conversation and its messages.
  const { db, migrator, url, alsoClose } = await openAtMigration(t, 'plans', '017_message_search_batches');
  const client = new pg.Client({ connectionString: url });
  alsoClose(() => client.end());
  await insertVisitorConversation(db, NOW);
  await db
    .insertInto('messages')
    .values([message('old-1', 'hello'), message('old-2', 'anyone there?'), message(null, 'a system line')])
    .execute();
  // Other people's conversations, five messages each: at these sizes the previous index ties, in the planner's
  // estimates, with reading all of the visitor's conversation through `messages_conversation`.
  const others = Array.from({ length: 50 }, (_, i) => `other-${i}`);
  await db
    .insertInto('conversations')
    .values(others.map((id) => conversation(id, NOW)))
    .execute();
  const firstMessages = others.flatMap((id) => [1, 2, 3, 4, 5].map((n) => ({ ...message(`${id}-${n}`, 'hi'), conversation_id: id })));
  await db.insertInto('messages').values(firstMessages).execute();
  const before = await db.selectFrom('messages').selectAll().orderBy('id').execute();

  assert.equal((await migrator.migrateToLatest()).error, undefined);
  assert.deepEqual(await db.selectFrom('messages').selectAll().orderBy('id').execute(), before, 'every message kept as it was');
  await assert.rejects(db.insertInto('messages').values(message('old-1', 'again')).execute(), /messages_client/, 'a client id is stored once per conversation');
  await db
    .insertInto('conversations')
    .values(conversation('c2', NOW, { visitor_id: 'v1', contact_id: 'k1' }))
    .execute();
  await db
    .insertInto('messages')
    .values({ ...message('old-1', 'the same client id elsewhere'), conversation_id: 'c2' })
    .execute();

  // One connection runs the visitor's message function while the table is small, as a new hub's pool does: after a
  // few calls PL/pgSQL keeps a generic plan per statement, costed by the sizes of that moment.
  await client.connect();
  const send = (clientId: string) =>
    client.query<{ r: { message?: { text: string }; resent?: unknown } }>(
      `select switchboard_visitor_message('v1', $1, 'c1', 'webchat', $2, $2, $3, 'open', 'pending', true) as r`,
      [clientId, `message ${clientId}`, NOW],
    );
  for (let i = 0; i < 8; i++) assert.equal((await send(`early-${i}`)).rows[0]?.r.message?.text, `message early-${i}`);

  // The table grows: the visitor's conversation, and everyone else's.
  await sql`insert into messages (conversation_id, client_id, author, channel, agent_id, author_name, text, choices, created_at, read_at)
    select case when n % 2 = 0 then 'c1' else 'c2' end, 'bulk-' || n, 'visitor', 'webchat', null, null, 'bulk', '[]', ${NOW}, null
    from generate_series(1, 4000) as n`.execute(db);

  await client.query('begin');
  const stored = await send('late');
  const read = await messagesRead(client);
  await client.query('commit');
  assert.equal(stored.rows[0]?.r.message?.text, 'message late', 'the message is stored');
  assert.deepEqual(read, { seq: 0, index: 0 }, 'the resend check reads no message: the client id is new');

  await client.query('begin');
  const resent = await send('bulk-2');
  const readAgain = await messagesRead(client);
  await client.query('commit');
  assert.ok(resent.rows[0]?.r.resent, 'a client id sent before is found, not stored twice');
  // A few index entries of that client id, not the 2,000 messages of the visitor's conversation.
  assert.ok(readAgain.seq === 0 && readAgain.index <= 2, `the resend check reads only that client id: ${JSON.stringify(readAgain)}`);
});
