/**
 * Migration 011_count_totals (registered in migrations.ts): the tab counts and tiles kept by the database
 * (count-totals.ts). Every insert, update and delete of a conversation appends what it changed to
 * `inbox_count_deltas` — by a trigger, so no write path can forget it — and the hub folds those into
 * `inbox_count_totals` every second. Appending takes no lock another writer waits for, so concurrent
 * transactions on PostgreSQL never queue (or deadlock) on a shared counter row.
 */
import { type Kysely, sql } from 'kysely';
import type { Dialect } from './migrations.js';

/** The columns a count group is kept by: the day of last activity and what the views and tiles read. */
export const COUNT_KEY = ['day', 'state', 'outgoing', 'ticket_status', 'expired', 'holder_id', 'assignees', 'visible_to'] as const;

const KEY_COLUMNS = sql.raw(COUNT_KEY.join(', '));

/** The key of a conversation row (`new` or `old` in a trigger, or a table alias); nobody holding it is ''. */
const keyOf = (row: string) =>
  sql.raw(
    `substr(${row}.last_activity_at, 1, 10), ${row}.state, ${row}.outgoing, ${row}.ticket_status, ${row}.expired, coalesce(${row}.holder_id, ''), ${row}.assignees, ${row}.visible_to`,
  );

/** SQL condition: the row's key did not change (in an update trigger). */
export const SAME_COUNT_KEY = `substr(old.last_activity_at, 1, 10) = substr(new.last_activity_at, 1, 10) and old.state = new.state
  and old.outgoing = new.outgoing and old.ticket_status = new.ticket_status and old.expired = new.expired
  and old.holder_id is not distinct from new.holder_id and old.assignees = new.assignees and old.visible_to = new.visible_to`;

const append = (values: ReturnType<typeof sql.raw>, conversations: string, unreplied: string) =>
  sql`insert into inbox_count_deltas (${KEY_COLUMNS}, conversations, unreplied) values (${values}, ${sql.raw(conversations)}, ${sql.raw(unreplied)});`;

export async function createCountTotals(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const key = sql.raw(
    'day text not null, state text not null, outgoing integer not null, ticket_status text not null, expired integer not null, holder_id text not null, assignees text not null, visible_to text not null',
  );
  // Two rows per message at most: PostgreSQL needs a 64-bit id (a 32-bit one would run out within weeks at 1,000/s).
  const id = sql.raw(dialect === 'postgres' ? 'bigint generated always as identity primary key' : 'integer primary key');
  await sql`create table inbox_count_deltas (id ${id}, ${key}, conversations integer not null, unreplied integer not null)`.execute(db);
  await sql`create table inbox_count_totals (${key}, conversations integer not null, unreplied integer not null)`.execute(db);
  await sql`create unique index inbox_count_totals_key on inbox_count_totals (${KEY_COLUMNS})`.execute(db);

  const removed = append(keyOf('old'), '-1', '-old.unreplied_count');
  const added = append(keyOf('new'), '1', 'new.unreplied_count');
  const unreplied = append(keyOf('new'), '0', 'new.unreplied_count - old.unreplied_count');
  if (dialect === 'postgres') {
    await sql`create function inbox_count_change() returns trigger language plpgsql as $$
      begin
        if tg_op = 'UPDATE' and ${sql.raw(SAME_COUNT_KEY)} then
          if new.unreplied_count <> old.unreplied_count then ${unreplied} end if;
          return null;
        end if;
        if tg_op <> 'INSERT' then ${removed} end if;
        if tg_op <> 'DELETE' then ${added} end if;
        return null;
      end $$`.execute(db);
    await sql`create trigger conversations_count_totals after insert or update or delete on conversations
      for each row execute function inbox_count_change()`.execute(db);
  } else {
    const same = sql.raw(SAME_COUNT_KEY.replaceAll('is not distinct from', 'is'));
    await sql`create trigger conversations_count_insert after insert on conversations begin ${added} end`.execute(db);
    await sql`create trigger conversations_count_delete after delete on conversations begin ${removed} end`.execute(db);
    await sql`create trigger conversations_count_move after update on conversations when not (${same}) begin ${removed} ${added} end`.execute(db);
    await sql`create trigger conversations_count_unreplied after update of unreplied_count on conversations
      when ${same} and new.unreplied_count <> old.unreplied_count begin ${unreplied} end`.execute(db);
  }
  // The conversations stored before this migration.
  await sql`insert into inbox_count_totals (${KEY_COLUMNS}, conversations, unreplied)
    select ${keyOf('c')}, count(*), sum(c.unreplied_count) from conversations c group by ${keyOf('c')}`.execute(db);
}
