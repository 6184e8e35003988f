/**
 * SQLite's full-text index, brought up to date in batches (migration 017, search-batches-migration.ts): the hub
 * calls `catchUp` every second, and a search calls it first, so a search sees every message stored before it, as
 * when each message was indexed in its own transaction.
 */
import { type Kysely, sql } from 'kysely';
import type { Dialect } from './migrations.js';
import type { Database } from './schema.js';

export class SearchIndex {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
  ) {}

  /** Indexes the messages stored since the last batch; resolves how many. PostgreSQL indexes each on insert. */
  async catchUp(): Promise<number> {
    if (this.dialect !== 'sqlite') return 0;
    // A read first, which takes no write lock: an idle hub asks every second.
    const { rows } = await sql<{ waiting: number }>`select exists (select 1 from messages
        where id > (select up_to from messages_fts_indexed)) as waiting`.execute(this.db);
    if (!rows[0]?.waiting) return 0;
    // The first statement writes, so the transaction holds SQLite's write lock from its start: no message can be
    // stored between the two statements, and `up_to` names exactly the messages the first one indexed.
    return this.db.transaction().execute(async (tx) => {
      const indexed = await sql`insert into messages_fts (rowid, text)
        select id, text from messages where id > (select up_to from messages_fts_indexed) order by id`.execute(tx);
      await sql`update messages_fts_indexed set up_to = (select max(id) from messages) where (select max(id) from messages) > up_to`.execute(tx);
      return Number(indexed.numAffectedRows ?? 0);
    });
  }
}
