/**
 * Migration 027_contact_trigrams (registered in migrations.ts), PostgreSQL only: a trigram index of the contacts' name,
 * email, phone and user id, so that a search for a substring of them (`like '%…%'`, the inbox's search and the contact
 * list's) reads the contacts that have the query's trigrams instead of all of them. At 1,000,000 conversations and
 * 50,000 contacts, every search whose walk did not fill its page scanned all the contacts: a rare word took the admin
 * 19–23 ms at the median before, 11–13 after (docs/performance-history.md, session 31).
 *
 * The index needs the `pg_trgm` extension, which ships with PostgreSQL and is trusted since version 13: the owner of
 * the database may create it. Where it is not available (a managed service without it, a role without the right), the
 * migration leaves the index out and searches scan as before: it is an optimisation, never a reason not to start.
 * docs/deploy.md says how an operator adds it later.
 *
 * SQLite has no trigram index (FTS5's trigram tokenizer is a separate table kept by triggers, keyed by a rowid that
 * VACUUM may renumber on `contacts`); its scan of 50,000 contacts is fast enough (decisions.md, session 31).
 */
import { type Kysely, sql } from 'kysely';
import type { Dialect } from './migrations.js';

/**
 * The indexed expressions; the searches' conditions must name the same ones for the planner to use it
 * (`contactContains` in base.ts).
 */
const CONTACT_TRIGRAMS = sql.raw('name gin_trgm_ops, email gin_trgm_ops, lower(phone) gin_trgm_ops, lower(user_id) gin_trgm_ops');

export async function createContactTrigrams(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  if (dialect !== 'postgres') return;
  // Kysely runs PostgreSQL's migrations in a transaction: a failed statement would abort it, so it fails alone.
  await sql`savepoint contact_trigrams`.execute(db);
  try {
    await sql`create extension if not exists pg_trgm`.execute(db);
    await sql`create index contacts_trigrams on contacts using gin (${CONTACT_TRIGRAMS})`.execute(db);
    await sql`release savepoint contact_trigrams`.execute(db);
  } catch {
    await sql`rollback to savepoint contact_trigrams`.execute(db);
  }
}
