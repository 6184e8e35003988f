/**
 * Migration 020_inbox_tables (registered in migrations.ts): a conversation's tags, and the agents it is "mine" for
 * (its holder and its assignees; of open conversations only since migration 023, open-agents-migration.ts), as rows
 * with indexes. The inbox's tag filter and Mine view start from them when few
 * conversations match (inbox-queries.ts): checked in the JSON text of the conversation's columns
 * (`LIKE '%"billing"%'`), a rare tag or an agent with few conversations was a read of every conversation, 200–300 ms
 * at 1,000,000 once older ones were included (docs/performance-history.md, session 21).
 *
 * The columns stay what the hub writes and the summaries read; triggers keep the tables in step with them, so that no
 * write path can forget to. A message's write sets neither column, so the triggers cost the message path nothing.
 *
 * SQLite also gets an index of the conversations by state and last activity: the list is always one state in activity
 * order, and without it, once older conversations were included, SQLite read every open conversation by the state
 * index and sorted them (350 ms at 1,000,000). PostgreSQL plans that list well without it, and there every index of
 * `conversations` costs each message a write (a message changes the last activity, so no update is HOT).
 */
import { type Kysely, sql } from 'kysely';
import type { Dialect } from './migrations.js';

export async function createInboxTables(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const cascade = sql.raw('text not null references conversations (id) on delete cascade');
  await sql`create table conversation_tags (conversation_id ${cascade}, tag text not null, primary key (conversation_id, tag))`.execute(db);
  await sql`create index conversation_tags_tag on conversation_tags (tag, conversation_id)`.execute(db);
  await sql`create table conversation_agents (conversation_id ${cascade}, agent_id text not null, primary key (conversation_id, agent_id))`.execute(db);
  await sql`create index conversation_agents_agent on conversation_agents (agent_id, conversation_id)`.execute(db);

  if (dialect === 'postgres') {
    const tagsOf = (row: string) => sql.raw(`select ${row}.id, t from json_array_elements_text(${row}.tags::json) t`);
    const agentsOf = (row: string) =>
      sql.raw(`select ${row}.id, a from (select ${row}.holder_id as a where ${row}.holder_id is not null
        union select json_array_elements_text(${row}.assignees::json)) held`);
    await sql`create function conversation_inbox_rows() returns trigger language plpgsql as $$
      begin
        if tg_op = 'INSERT' or new.tags is distinct from old.tags then
          delete from conversation_tags where conversation_id = new.id;
          insert into conversation_tags (conversation_id, tag) ${tagsOf('new')} on conflict do nothing;
        end if;
        if tg_op = 'INSERT' or new.holder_id is distinct from old.holder_id or new.assignees is distinct from old.assignees then
          delete from conversation_agents where conversation_id = new.id;
          insert into conversation_agents (conversation_id, agent_id) ${agentsOf('new')} on conflict do nothing;
        end if;
        return null;
      end $$`.execute(db);
    await sql`create trigger conversations_inbox_rows after insert or update of tags, holder_id, assignees on conversations
      for each row execute function conversation_inbox_rows()`.execute(db);
    // The conversations stored before this migration.
    await sql`insert into conversation_tags (conversation_id, tag) select c.id, t from conversations c
      cross join lateral json_array_elements_text(c.tags::json) t on conflict do nothing`.execute(db);
    await sql`insert into conversation_agents (conversation_id, agent_id) select c.id, c.holder_id from conversations c
      where c.holder_id is not null on conflict do nothing`.execute(db);
    await sql`insert into conversation_agents (conversation_id, agent_id) select c.id, a from conversations c
      cross join lateral json_array_elements_text(c.assignees::json) a on conflict do nothing`.execute(db);
    return;
  }

  const tagsOf = (row: string) =>
    sql.raw(`insert or ignore into conversation_tags (conversation_id, tag) select ${row}.id, value from json_each(${row}.tags);`);
  const agentsOf = (row: string) =>
    sql.raw(`insert or ignore into conversation_agents (conversation_id, agent_id) select ${row}.id, ${row}.holder_id where ${row}.holder_id is not null;
      insert or ignore into conversation_agents (conversation_id, agent_id) select ${row}.id, value from json_each(${row}.assignees);`);
  await sql`create trigger conversations_inbox_rows_insert after insert on conversations begin ${tagsOf('new')} ${agentsOf('new')} end`.execute(db);
  await sql`create trigger conversations_inbox_tags after update of tags on conversations when new.tags is not old.tags begin
      delete from conversation_tags where conversation_id = new.id; ${tagsOf('new')} end`.execute(db);
  await sql`create trigger conversations_inbox_agents after update of holder_id, assignees on conversations
      when new.holder_id is not old.holder_id or new.assignees is not old.assignees begin
      delete from conversation_agents where conversation_id = new.id; ${agentsOf('new')} end`.execute(db);
  await sql`insert or ignore into conversation_tags (conversation_id, tag) select c.id, j.value from conversations c, json_each(c.tags) j`.execute(db);
  await sql`insert or ignore into conversation_agents (conversation_id, agent_id) select c.id, c.holder_id from conversations c where c.holder_id is not null`.execute(
    db,
  );
  await sql`insert or ignore into conversation_agents (conversation_id, agent_id) select c.id, j.value from conversations c, json_each(c.assignees) j`.execute(
    db,
  );
  await sql`create index conversations_state_activity on conversations (state, last_activity_at)`.execute(db);
}
