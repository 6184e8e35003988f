/**
 * Migration 016_checked_agent_reply (registered in migrations.ts), PostgreSQL only: an agent's reply that checks,
 * under the conversation's row lock, what the hub otherwise reads the conversation for before every reply (one round
 * trip more per reply): that it is open, held by this agent, and visible to them (rules/visibility.ts `canSee`).
 *
 * When a check fails (or the conversation is gone) the function writes nothing and answers `unchecked`; the hub then
 * takes the reply's ordinary path, which reads the conversation, says what is wrong or claims it first, and calls
 * 014's `switchboard_agent_message` (message-writes-alone-migration.ts, whose steps this repeats after the checks).
 * The checks only ever send a reply to that path: they never let one through that it would refuse.
 */
import { type Kysely, sql } from 'kysely';
import { ENDPOINTS } from './message-writes-migration.js';
import type { Dialect } from './migrations.js';

export async function createCheckedAgentReply(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  if (dialect !== 'postgres') return;
  // {needs_transaction} (alone), {unchecked}, or {before, message, after, endpoints}. `visible_to` is the JSON array
  // the hub writes (`[]`: the whole team).
  await sql`create function switchboard_checked_agent_reply(
      p_conversation text, p_client text, p_agent text, p_admin boolean, p_author_name text, p_text text,
      p_preview text, p_now text, p_status text, p_alone boolean)
    returns json language plpgsql as $$
    declare
      endpoints json := ${ENDPOINTS};
      cur record;
      stored record;
      changed record;
    begin
      if p_alone and json_array_length(endpoints) > 0 then return json_build_object('needs_transaction', true); end if;
      -- The state before, as the ordinary path reads it: without a lock (a row lock is a WAL record of its own).
      select * into cur from conversations where id = p_conversation;
      if not found then return json_build_object('unchecked', true); end if;
      -- The checks are the update's condition: under its row lock, on the row's latest version.
      update conversations set agent_replied = 1, unread_count = 0, unreplied_count = 0, expired = 0,
          ticket_status = p_status, last_activity_at = p_now, last_message_author = 'agent',
          last_message_text = p_preview, last_message_at = p_now
        where id = p_conversation and state <> 'closed' and holder_id = p_agent
          and (p_admin or visible_to = '[]' or visible_to::jsonb ? p_agent)
        returning * into changed;
      if not found then return json_build_object('unchecked', true); end if;
      insert into messages (conversation_id, client_id, author, channel, agent_id, author_name, text, choices, created_at, read_at)
        values (p_conversation, p_client, 'agent', 'webchat', p_agent, p_author_name, p_text, '[]', p_now, null)
        returning * into stored;
      return json_build_object('before', to_json(cur), 'message', to_json(stored), 'after', to_json(changed),
        'endpoints', endpoints);
    end $$`.execute(db);
}
