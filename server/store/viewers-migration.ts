/**
 * Migration 024_conversation_viewers (registered in migrations.ts): who may see a conversation, as rows
 * (`conversation_viewers`): one per agent its `visible_to` lists, or a single row with the empty viewer when the whole
 * team may see it (`visible_to` is `[]`). An agent's list starts from these rows when they may see few conversations
 * (inbox-queries.ts): checked in the JSON text of each conversation read in activity order, an agent who may see three
 * of 1,000,000 (every other conversation restricted to someone else) read them all, 250–510 ms on SQLite once older
 * or closed conversations were included (docs/performance-history.md, session 23).
 *
 * The column stays what the hub writes, the summaries and the counts read; triggers keep the rows in step with it, so
 * no write path can forget to. A message's write never sets it, so the message path pays nothing; a new conversation
 * writes one row more.
 */
import { type Kysely, sql } from 'kysely';
import type { Dialect } from './migrations.js';

/** The viewer of a conversation the whole team may see. */
export const WHOLE_TEAM = '';

export async function createConversationViewers(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await sql`create table conversation_viewers (
      conversation_id text not null references conversations (id) on delete cascade,
      viewer text not null,
      primary key (conversation_id, viewer))`.execute(db);
  await sql`create index conversation_viewers_viewer on conversation_viewers (viewer, conversation_id)`.execute(db);

  if (dialect === 'postgres') {
    /** The rows of `row` (a trigger's `new`, or each conversation `c` of the backfill). */
    const viewersOf = (row: string) =>
      sql.raw(`select ${row}.id, v from json_array_elements_text(${row}.visible_to::json) v
        union all select ${row}.id, '${WHOLE_TEAM}' where ${row}.visible_to = '[]'`);
    await sql`create function conversation_viewer_rows() returns trigger language plpgsql as $$
      begin
        if tg_op = 'UPDATE' then
          if new.visible_to is not distinct from old.visible_to then return null; end if;
          delete from conversation_viewers where conversation_id = new.id;
        end if;
        insert into conversation_viewers (conversation_id, viewer) ${viewersOf('new')} on conflict do nothing;
        return null;
      end $$`.execute(db);
    await sql`create trigger conversations_viewer_rows after insert or update of visible_to on conversations
      for each row execute function conversation_viewer_rows()`.execute(db);
    // The conversations stored before this migration.
    await sql`insert into conversation_viewers (conversation_id, viewer) select c.id, v from conversations c
      cross join lateral json_array_elements_text(c.visible_to::json) v on conflict do nothing`.execute(db);
    await sql`insert into conversation_viewers (conversation_id, viewer) select c.id, ${WHOLE_TEAM} from conversations c
      where c.visible_to = '[]'`.execute(db);
    return;
  }

  const viewersOf = (row: string) =>
    sql.raw(`insert or ignore into conversation_viewers (conversation_id, viewer) select ${row}.id, value from json_each(${row}.visible_to);
      insert or ignore into conversation_viewers (conversation_id, viewer) select ${row}.id, '${WHOLE_TEAM}' where ${row}.visible_to = '[]';`);
  await sql`create trigger conversations_viewer_rows_insert after insert on conversations begin ${viewersOf('new')} end`.execute(db);
  await sql`create trigger conversations_viewer_rows after update of visible_to on conversations when new.visible_to is not old.visible_to begin
      delete from conversation_viewers where conversation_id = new.id; ${viewersOf('new')} end`.execute(db);
  await sql`insert or ignore into conversation_viewers (conversation_id, viewer) select c.id, j.value from conversations c, json_each(c.visible_to) j`.execute(
    db,
  );
  await sql`insert or ignore into conversation_viewers (conversation_id, viewer) select c.id, ${WHOLE_TEAM} from conversations c where c.visible_to = '[]'`.execute(
    db,
  );
}

/**
 * Migration 025_conversation_viewer_state: each row also carries its conversation's state, in the index by viewer, so
 * an agent's list of open (or closed) conversations starts from their rows in that state. An agent who may see 5,100 of
 * 1,000,000, 171 of them open, had a list whose total read every open conversation in activity order, 131 ms on
 * SQLite (docs/performance-history.md, session 24): their rows of every state were past the 5,000 at which a list starts from
 * them, their open ones are 171. A trigger keeps the state, and fires only when a statement sets `state` (closing,
 * reopening); a message never does.
 */
export async function addConversationViewerState(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await sql`alter table conversation_viewers add column state text not null default 'open'`.execute(db);
  await sql`drop index conversation_viewers_viewer`.execute(db);

  if (dialect === 'postgres') {
    await sql`update conversation_viewers w set state = c.state from conversations c where c.id = w.conversation_id and c.state <> 'open'`.execute(db);
    await sql`create index conversation_viewers_viewer on conversation_viewers (viewer, state, conversation_id)`.execute(db);
    await sql`create or replace function conversation_viewer_rows() returns trigger language plpgsql as $$
      begin
        if tg_op = 'UPDATE' then
          if new.visible_to is not distinct from old.visible_to then return null; end if;
          delete from conversation_viewers where conversation_id = new.id;
        end if;
        insert into conversation_viewers (conversation_id, viewer, state)
          select new.id, v, new.state from json_array_elements_text(new.visible_to::json) v
          union all select new.id, ${sql.lit(WHOLE_TEAM)}, new.state where new.visible_to = '[]'
          on conflict do nothing;
        return null;
      end $$`.execute(db);
    await sql`create function conversation_viewer_state() returns trigger language plpgsql as $$
      begin
        update conversation_viewers set state = new.state where conversation_id = new.id;
        return null;
      end $$`.execute(db);
    await sql`create trigger conversations_viewer_state after update of state on conversations
      for each row when (new.state is distinct from old.state) execute function conversation_viewer_state()`.execute(db);
    return;
  }

  await sql`update conversation_viewers set state = (select c.state from conversations c where c.id = conversation_viewers.conversation_id)
      where conversation_id in (select id from conversations where state <> 'open')`.execute(db);
  await sql`create index conversation_viewers_viewer on conversation_viewers (viewer, state, conversation_id)`.execute(db);
  const viewersOf = (row: string) =>
    sql.raw(`insert or ignore into conversation_viewers (conversation_id, viewer, state) select ${row}.id, value, ${row}.state from json_each(${row}.visible_to);
      insert or ignore into conversation_viewers (conversation_id, viewer, state) select ${row}.id, '${WHOLE_TEAM}', ${row}.state where ${row}.visible_to = '[]';`);
  await sql`drop trigger conversations_viewer_rows_insert`.execute(db);
  await sql`drop trigger conversations_viewer_rows`.execute(db);
  await sql`create trigger conversations_viewer_rows_insert after insert on conversations begin ${viewersOf('new')} end`.execute(db);
  await sql`create trigger conversations_viewer_rows after update of visible_to on conversations when new.visible_to is not old.visible_to begin
      delete from conversation_viewers where conversation_id = new.id; ${viewersOf('new')} end`.execute(db);
  await sql`create trigger conversations_viewer_state after update of state on conversations when new.state is not old.state begin
      update conversation_viewers set state = new.state where conversation_id = new.id; end`.execute(db);
}

/**
 * Migration 026_closed_viewer_activity: the rows of a closed conversation also carry its last activity, in the index by
 * viewer and state, so an agent's closed list reads their rows newest first and stops at its page. It read every one
 * of them and sorted them: an agent who may see 4,931 closed conversations of 1,000,000 got the list in 32 ms on SQLite
 * and 48 on PostgreSQL, and one who may see 40,000 had their list read in activity order across all conversations
 * (docs/performance-history.md, session 25). Open rows leave it null: an open conversation's activity changes with every
 * message, and keeping it here would add a write to the message path; a closed one's changes only when closing or
 * reopening it (the state trigger) or a message lands in it anyway (the activity trigger, whose condition is all a
 * message to an open conversation pays).
 */
export async function addClosedViewerActivity(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await sql`alter table conversation_viewers add column last_activity_at text`.execute(db);
  await sql`drop index conversation_viewers_viewer`.execute(db);
  /** A row's activity as its viewer rows keep it: a closed conversation's, else null. */
  const closedActivity = (row: string) => `case when ${row}.state = 'closed' then ${row}.last_activity_at end`;

  if (dialect === 'postgres') {
    await sql`update conversation_viewers w set last_activity_at = c.last_activity_at from conversations c
      where c.id = w.conversation_id and w.state = 'closed'`.execute(db);
    await sql`create index conversation_viewers_viewer on conversation_viewers (viewer, state, last_activity_at desc, conversation_id)`.execute(db);
    await sql`create or replace function conversation_viewer_rows() returns trigger language plpgsql as $$
      begin
        if tg_op = 'UPDATE' then
          if new.visible_to is not distinct from old.visible_to then return null; end if;
          delete from conversation_viewers where conversation_id = new.id;
        end if;
        insert into conversation_viewers (conversation_id, viewer, state, last_activity_at)
          select new.id, v, new.state, ${sql.raw(closedActivity('new'))} from json_array_elements_text(new.visible_to::json) v
          union all select new.id, ${sql.lit(WHOLE_TEAM)}, new.state, ${sql.raw(closedActivity('new'))} where new.visible_to = '[]'
          on conflict do nothing;
        return null;
      end $$`.execute(db);
    await sql`create or replace function conversation_viewer_state() returns trigger language plpgsql as $$
      begin
        update conversation_viewers set state = new.state, last_activity_at = ${sql.raw(closedActivity('new'))} where conversation_id = new.id;
        return null;
      end $$`.execute(db);
    await sql`create function conversation_viewer_activity() returns trigger language plpgsql as $$
      begin
        update conversation_viewers set last_activity_at = new.last_activity_at where conversation_id = new.id;
        return null;
      end $$`.execute(db);
    await sql`create trigger conversations_viewer_activity after update of last_activity_at on conversations
      for each row when (new.state = 'closed' and new.last_activity_at is distinct from old.last_activity_at)
      execute function conversation_viewer_activity()`.execute(db);
    return;
  }

  await sql`update conversation_viewers set last_activity_at = (select c.last_activity_at from conversations c where c.id = conversation_viewers.conversation_id)
      where state = 'closed'`.execute(db);
  await sql`create index conversation_viewers_viewer on conversation_viewers (viewer, state, last_activity_at desc, conversation_id)`.execute(db);
  const viewersOf = (row: string) =>
    sql.raw(`insert or ignore into conversation_viewers (conversation_id, viewer, state, last_activity_at)
        select ${row}.id, value, ${row}.state, ${closedActivity(row)} from json_each(${row}.visible_to);
      insert or ignore into conversation_viewers (conversation_id, viewer, state, last_activity_at)
        select ${row}.id, '${WHOLE_TEAM}', ${row}.state, ${closedActivity(row)} where ${row}.visible_to = '[]';`);
  await sql`drop trigger conversations_viewer_rows_insert`.execute(db);
  await sql`drop trigger conversations_viewer_rows`.execute(db);
  await sql`drop trigger conversations_viewer_state`.execute(db);
  await sql`create trigger conversations_viewer_rows_insert after insert on conversations begin ${viewersOf('new')} end`.execute(db);
  await sql`create trigger conversations_viewer_rows after update of visible_to on conversations when new.visible_to is not old.visible_to begin
      delete from conversation_viewers where conversation_id = new.id; ${viewersOf('new')} end`.execute(db);
  await sql`create trigger conversations_viewer_state after update of state on conversations when new.state is not old.state begin
      update conversation_viewers set state = new.state, last_activity_at = ${sql.raw(closedActivity('new'))} where conversation_id = new.id; end`.execute(db);
  await sql`create trigger conversations_viewer_activity after update of last_activity_at on conversations
      when new.state = 'closed' and new.last_activity_at is not old.last_activity_at begin
      update conversation_viewers set last_activity_at = new.last_activity_at where conversation_id = new.id; end`.execute(db);
}
