/** Migration 010_message_search (registered in migrations.ts): the full-text index of message-search.ts. */
import { type Kysely, sql } from 'kysely';
import type { Dialect } from './migrations.js';

export async function createMessageSearch(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  if (dialect === 'postgres') {
    // Stored and generated: every existing message is indexed by this statement, every new one on insert.
    await sql`alter table messages add column search tsvector generated always as (to_tsvector('simple', text)) stored`.execute(db);
    await sql`create index messages_search on messages using gin (search)`.execute(db);
    return;
  }
  await sql`create virtual table messages_fts using fts5(text, content='messages', content_rowid='id', tokenize='unicode61 remove_diacritics 2')`.execute(db);
  await sql`create trigger messages_fts_insert after insert on messages begin
    insert into messages_fts (rowid, text) values (new.id, new.text);
  end`.execute(db);
  await sql`create trigger messages_fts_delete after delete on messages begin
    insert into messages_fts (messages_fts, rowid, text) values ('delete', old.id, old.text);
  end`.execute(db);
  await sql`create trigger messages_fts_update after update of text on messages begin
    insert into messages_fts (messages_fts, rowid, text) values ('delete', old.id, old.text);
    insert into messages_fts (rowid, text) values (new.id, new.text);
  end`.execute(db);
  // A deleted message leaves the index at once (not at the next segment merge), as secure_delete does for the
  // table: an erased visitor's words must not stay in the file (docs/security.md, "Deleted data on disk").
  await sql`insert into messages_fts (messages_fts, rank) values ('secure-delete', 1)`.execute(db);
  // The messages stored before this migration.
  await sql`insert into messages_fts (messages_fts) values ('rebuild')`.execute(db);
}
