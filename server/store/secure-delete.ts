/**
 * Deleted means gone from the files too (GDPR erasure). On SQLite, `secure_delete` (set where the
 * database is opened, db.ts) overwrites deleted rows and freed pages with zeros, but in WAL mode the
 * old page images, email and messages included, stay in the -wal file until a checkpoint copies the
 * zeroed pages back and the WAL is reused. After a delete, checkpoint and truncate the WAL to zero
 * bytes so none of them survives. PostgreSQL keeps dead rows until VACUUM: see docs/security.md, "Deleted data on disk".
 */
import { type Kysely, sql } from 'kysely';
import type { Dialect } from './migrations.js';
import type { Database } from './schema.js';

export async function scrubDeleted(db: Kysely<Database>, dialect: Dialect): Promise<void> {
  if (dialect !== 'sqlite') return;
  await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(db);
}
