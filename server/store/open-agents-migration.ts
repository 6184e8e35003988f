/**
 * Migration 023_open_conversation_agents (registered in migrations.ts): `conversation_agents` (migration 020) keeps the
 * agents of open conversations only. Mine is a view of open conversations, and auto-assignment counts each agent's
 * open ones (assignment-repo.ts `openCounts`); with the rows of closed conversations kept too, an agent assigned a
 * twentieth of a year's conversations had 50,000 rows, and the count read every open conversation instead: 120 ms
 * for one agent and 270 for twenty at 1,000,000, inside the assignment's transaction (docs/performance-history.md, session 22).
 * Closing a conversation removes its rows (its assignees stay in its column); reopening it writes them again. The
 * triggers also fire on `state`, which a message's write never sets.
 */
import { type Kysely, sql } from 'kysely';
import type { Dialect } from './migrations.js';

export async function keepOpenConversationAgents(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  if (dialect === 'postgres') {
    const tagsOf = (row: string) => sql.raw(`select ${row}.id, t from json_array_elements_text(${row}.tags::json) t`);
    const agentsOf = (row: string) =>
      sql.raw(`select ${row}.id, a from (select ${row}.holder_id as a where ${row}.holder_id is not null
        union select json_array_elements_text(${row}.assignees::json)) held where ${row}.state = 'open'`);
    await sql`create or replace function conversation_inbox_rows() returns trigger language plpgsql as $$
      begin
        if tg_op = 'INSERT' or new.tags is distinct from old.tags then
          delete from conversation_tags where conversation_id = new.id;
          insert into conversation_tags (conversation_id, tag) ${tagsOf('new')} on conflict do nothing;
        end if;
        if tg_op = 'INSERT' or new.holder_id is distinct from old.holder_id or new.assignees is distinct from old.assignees
            or new.state is distinct from old.state then
          delete from conversation_agents where conversation_id = new.id;
          insert into conversation_agents (conversation_id, agent_id) ${agentsOf('new')} on conflict do nothing;
        end if;
        return null;
      end $$`.execute(db);
    await sql`drop trigger conversations_inbox_rows on conversations`.execute(db);
    await sql`create trigger conversations_inbox_rows after insert or update of tags, holder_id, assignees, state on conversations
      for each row execute function conversation_inbox_rows()`.execute(db);
  } else {
    const agentsOf = (row: string) =>
      sql.raw(`insert or ignore into conversation_agents (conversation_id, agent_id) select ${row}.id, ${row}.holder_id
          where ${row}.holder_id is not null and ${row}.state = 'open';
        insert or ignore into conversation_agents (conversation_id, agent_id) select ${row}.id, value from json_each(${row}.assignees)
          where ${row}.state = 'open';`);
    const tagsOf = (row: string) =>
      sql.raw(`insert or ignore into conversation_tags (conversation_id, tag) select ${row}.id, value from json_each(${row}.tags);`);
    await sql`drop trigger conversations_inbox_rows_insert`.execute(db);
    await sql`drop trigger conversations_inbox_agents`.execute(db);
    await sql`create trigger conversations_inbox_rows_insert after insert on conversations begin ${tagsOf('new')} ${agentsOf('new')} end`.execute(db);
    await sql`create trigger conversations_inbox_agents after update of holder_id, assignees, state on conversations
      when new.holder_id is not old.holder_id or new.assignees is not old.assignees or new.state is not old.state begin
      delete from conversation_agents where conversation_id = new.id; ${agentsOf('new')} end`.execute(db);
  }
  // The closed conversations' rows.
  await sql`delete from conversation_agents where conversation_id in (select id from conversations where state <> 'open')`.execute(db);
}
