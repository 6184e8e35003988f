/**
 * Migration 015_count_trigger_conditions (registered in migrations.ts), PostgreSQL only: the tab-count and language
 * triggers (011, 012) fire on an update only when it moves a count, as SQLite's always did.
 *
 * Each was one row trigger for insert, update and delete, whose PL/pgSQL function returned at once when an update
 * left its key alone. But every message updates its conversation, and queueing the event, calling the function and
 * evaluating the test cost PostgreSQL about a tenth of its CPU per message in the two-hub profile
 * (docs/performance.md). A `when` condition is evaluated where the row is updated, without queueing anything: a
 * message now fires the language trigger never, and the count trigger only when the unreplied count changes. The
 * functions are unchanged (they test the key again, harmlessly).
 */
import { type Kysely, sql } from 'kysely';
import { SAME_COUNT_KEY } from './count-totals-migration.js';
import { SAME_LANGUAGE_KEY } from './language-totals-migration.js';
import type { Dialect } from './migrations.js';

export async function addTriggerConditions(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  if (dialect !== 'postgres') return;
  await sql`drop trigger conversations_count_totals on conversations`.execute(db);
  await sql`create trigger conversations_count_totals after insert or delete on conversations
    for each row execute function inbox_count_change()`.execute(db);
  await sql`create trigger conversations_count_update after update on conversations
    for each row when (not (${sql.raw(SAME_COUNT_KEY)}) or new.unreplied_count <> old.unreplied_count)
    execute function inbox_count_change()`.execute(db);
  await sql`drop trigger conversations_language_totals on conversations`.execute(db);
  await sql`create trigger conversations_language_totals after insert or delete on conversations
    for each row execute function inbox_language_change()`.execute(db);
  await sql`create trigger conversations_language_update after update on conversations
    for each row when (not (${sql.raw(SAME_LANGUAGE_KEY)})) execute function inbox_language_change()`.execute(db);
}
