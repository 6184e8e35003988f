/**
 * SQLite's full-text index, brought up to date in batches (migration 017, search-batches-migration.ts): the hub
 * calls `catchUp` every second, and a search calls it first, so a search sees every message stored before it, as
 * when each message was indexed in its own transaction.
 */
import { type Kysely, sql } from 'kysely';
import type { Dialect } from './migrations.js';
import type { Database } from './schema.js';

/**
 * Most messages one transaction indexes. The hub's one SQLite connection is held while it runs, so a second's 2,000
 * messages in one statement (about 5 ms) held up every message arriving meanwhile (docs/performance-history.md, session 16);
 * a chunk takes well under a millisecond.
 */
export const SEARCH_CHUNK = 250;

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
    let indexed = 0;
    for (;;) {
      const chunk = await this.#chunk();
      indexed += chunk;
      if (chunk < SEARCH_CHUNK) return indexed;
      await new Promise((resolve) => setImmediate(resolve)); // the messages waiting for the connection go first
    }
  }

  /** The next messages, up to SEARCH_CHUNK, in one transaction. */
  async #chunk(): Promise<number> {
    // The first statement writes, so the transaction holds SQLite's write lock from its start: no message can be
    // stored between the two statements, and both name exactly the same messages.
    const next = sql`select id from messages where id > (select up_to from messages_fts_indexed) order by id limit ${SEARCH_CHUNK}`;
    return this.db.transaction().execute(async (tx) => {
      const indexed = await sql`insert into messages_fts (rowid, text) select id, text from messages where id in (${next})`.execute(tx);
      await sql`update messages_fts_indexed set up_to = coalesce((select max(id) from (${next})), up_to)`.execute(tx);
      return Number(indexed.numAffectedRows ?? 0);
    });
  }
}
