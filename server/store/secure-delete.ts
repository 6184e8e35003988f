/**
 * Deleted means gone from the files too (GDPR erasure). On SQLite, `secure_delete` (set where the
 * database is opened, db.ts) overwrites deleted rows and freed pages with zeros, but in WAL mode the
 * old page images, email and messages included, stay in the -wal file until a checkpoint copies the
 * zeroed pages back and the WAL is reused. After a delete, checkpoint and truncate the WAL to zero
 * bytes so none of them survives. PostgreSQL keeps dead rows until VACUUM: see docs/security.md, "Deleted data on disk".
 */
import { setTimeout as wait } from 'node:timers/promises';
import { type Kysely, sql } from 'kysely';
import type { Dialect } from './migrations.js';
import type { Database } from './schema.js';

/** How long a truncation may wait for another checkpoint or a reader: longer means something holds the database. */
const TRUNCATE_PATIENCE_MS = 5000;

export async function scrubDeleted(db: Kysely<Database>, dialect: Dialect): Promise<void> {
  if (dialect !== 'sqlite') return;
  // The checkpoint worker (wal-checkpointer.ts) may be copying pages at this moment. SQLite does not wait for another
  // checkpoint: the truncation then reports `busy` and leaves the WAL as it was, old page images included. Again,
  // shortly, until it has run.
  const deadline = Date.now() + TRUNCATE_PATIENCE_MS;
  for (;;) {
    const { rows } = await sql<{ busy: number }>`PRAGMA wal_checkpoint(TRUNCATE)`.execute(db);
    if (!rows[0]?.busy) return;
    if (Date.now() > deadline) throw new Error('the deleted rows are gone, but the WAL still holds their old pages: another connection kept it busy');
    await wait(2);
  }
}
