/**
 * Migration 017_message_search_batches (registered in migrations.ts), SQLite only: the full-text index takes new
 * messages in batches (search-index.ts) instead of one by one in each message's transaction.
 *
 * An FTS5 index writes what it was given at every commit and every statement journal, so each stored message wrote
 * a segment of its own: in a transaction of one message (a trickle, the common case), 50 of its 190 µs of SQLite
 * time (docs/performance-history.md, session 14). The messages with an id above `messages_fts_indexed.up_to` are not in the
 * index yet; the batch indexes them in one statement. Ids only grow (AUTOINCREMENT), so that one number says which
 * messages the index holds. Deleting or editing a message changes the index only if it holds the message: one not
 * indexed yet is indexed as it is when its batch comes, or never if it was deleted first.
 *
 * PostgreSQL keeps its generated tsvector column and GIN index (GIN already defers its entries: fastupdate).
 */
import { type Kysely, sql } from 'kysely';
import type { Dialect } from './migrations.js';

export async function batchMessageSearch(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  if (dialect !== 'sqlite') return;
  // Every message stored so far was indexed by 010's insert trigger.
  await sql`create table messages_fts_indexed (only_row integer primary key check (only_row = 1), up_to integer not null)`.execute(db);
  await sql`insert into messages_fts_indexed (only_row, up_to) values (1, coalesce((select max(id) from messages), 0))`.execute(db);
  await sql`drop trigger messages_fts_insert`.execute(db);
  await sql`drop trigger messages_fts_delete`.execute(db);
  await sql`drop trigger messages_fts_update`.execute(db);
  await sql`create trigger messages_fts_delete after delete on messages
    when old.id <= (select up_to from messages_fts_indexed) begin
    insert into messages_fts (messages_fts, rowid, text) values ('delete', old.id, old.text);
  end`.execute(db);
  await sql`create trigger messages_fts_update after update of text on messages
    when old.id <= (select up_to from messages_fts_indexed) begin
    insert into messages_fts (messages_fts, rowid, text) values ('delete', old.id, old.text);
    insert into messages_fts (rowid, text) values (new.id, new.text);
  end`.execute(db);
}
