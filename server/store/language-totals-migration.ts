/**
 * Migration 012_language_totals (registered in migrations.ts): the language filter's choices kept like the tab
 * counts (count-totals-migration.ts explains the design): conversations per day of last activity, visitor language
 * and visibility. A message moves no language count (same day, language and visibility), so the message path
 * appends nothing here; a new, deleted or moved conversation appends one or two rows.
 */
import { type Kysely, sql } from 'kysely';
import type { Dialect } from './migrations.js';

export const LANGUAGE_KEY = ['day', 'language', 'visible_to'] as const;

const KEY_COLUMNS = sql.raw(LANGUAGE_KEY.join(', '));

const keyOf = (row: string) => sql.raw(`substr(${row}.last_activity_at, 1, 10), ${row}.language, ${row}.visible_to`);

export const SAME_LANGUAGE_KEY = `substr(old.last_activity_at, 1, 10) = substr(new.last_activity_at, 1, 10) and old.language = new.language
  and old.visible_to = new.visible_to`;

const append = (values: ReturnType<typeof sql.raw>, conversations: string) =>
  sql`insert into inbox_language_deltas (${KEY_COLUMNS}, conversations) values (${values}, ${sql.raw(conversations)});`;

export async function createLanguageTotals(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const key = sql.raw('day text not null, language text not null, visible_to text not null');
  const id = sql.raw(dialect === 'postgres' ? 'bigint generated always as identity primary key' : 'integer primary key');
  await sql`create table inbox_language_deltas (id ${id}, ${key}, conversations integer not null)`.execute(db);
  await sql`create table inbox_language_totals (${key}, conversations integer not null)`.execute(db);
  await sql`create unique index inbox_language_totals_key on inbox_language_totals (${KEY_COLUMNS})`.execute(db);

  const removed = append(keyOf('old'), '-1');
  const added = append(keyOf('new'), '1');
  if (dialect === 'postgres') {
    await sql`create function inbox_language_change() returns trigger language plpgsql as $$
      begin
        if tg_op = 'UPDATE' and ${sql.raw(SAME_LANGUAGE_KEY)} then return null; end if;
        if tg_op <> 'INSERT' then ${removed} end if;
        if tg_op <> 'DELETE' then ${added} end if;
        return null;
      end $$`.execute(db);
    await sql`create trigger conversations_language_totals after insert or update or delete on conversations
      for each row execute function inbox_language_change()`.execute(db);
  } else {
    await sql`create trigger conversations_language_insert after insert on conversations begin ${added} end`.execute(db);
    await sql`create trigger conversations_language_delete after delete on conversations begin ${removed} end`.execute(db);
    await sql`create trigger conversations_language_move after update on conversations when not (${sql.raw(SAME_LANGUAGE_KEY)}) begin ${removed} ${added} end`.execute(
      db,
    );
  }
  // The conversations stored before this migration.
  await sql`insert into inbox_language_totals (${KEY_COLUMNS}, conversations)
    select ${keyOf('c')}, count(*) from conversations c group by ${keyOf('c')}`.execute(db);
}
