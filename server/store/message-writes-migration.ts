/**
 * Migration 013_message_write_functions (registered in migrations.ts), PostgreSQL only: the message path's writes as
 * two functions, so that a stored message costs one round trip instead of five (message-writes.ts says why and
 * holds the same steps for SQLite, where a statement is a function call, not a round trip). Kept as it shipped:
 * 014 (message-writes-alone-migration.ts) adds the functions this version calls; these stay for older hubs.
 *
 * Each statement of a PL/pgSQL function takes its own snapshot under READ COMMITTED, as separate statements sent by
 * the hub did: the resend check after the contact's lock sees what the lock's previous holder committed.
 * Variables are `record`, not the tables' row types, and rows leave as JSON (`to_json`), so a column added later by
 * another migration flows through without changing these functions.
 *
 * The latest conversation is chosen as ConversationsRepo.latest chooses it (newest, the open one first among
 * equals, then by id); change both together.
 */
import { type Kysely, sql } from 'kysely';
import type { Dialect } from './migrations.js';

/**
 * The enabled webhook endpoints, returned with a stored message: its events are recorded in the same transaction,
 * which would otherwise read them in a round trip of its own (services/webhooks.ts `#subscribed`).
 */
export const ENDPOINTS = sql.raw(`(select coalesce(json_agg(json_build_object('id', e.id, 'events', e.events)), '[]')
  from webhook_endpoints e where e.enabled = 1)`);

export async function createMessageWriteFunctions(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  if (dialect !== 'postgres') return;
  // A visitor's message: {resent}, {none} (no open conversation: the caller opens one and calls again), or
  // {before, message, after, endpoints}.
  await sql`create or replace function switchboard_visitor_message(
      p_contact text, p_visitor text, p_client text, p_conversation text, p_channel text, p_text text,
      p_preview text, p_now text, p_status_new text, p_status_replied text)
    returns json language plpgsql as $$
    declare
      resent json;
      cur record;
      have boolean := false;
      stored record;
      changed record;
    begin
      perform 1 from contacts where id = p_contact for update;
      select to_json(m) into resent from messages m join conversations c on c.id = m.conversation_id
        where c.visitor_id = p_visitor and m.client_id = p_client limit 1;
      if resent is not null then return json_build_object('resent', resent); end if;
      if p_conversation is not null then
        select * into cur from conversations where id = p_conversation for update;
        have := found;
        if have then
          have := cur.state <> 'closed' and cur.contact_id = p_contact;
        end if;
      end if;
      if not have then
        select * into cur from conversations where id = (
          select id from conversations where contact_id = p_contact
          order by created_at desc, case when state = 'open' then 0 else 1 end, id desc limit 1)
        for update;
        have := found;
        if have then
          have := cur.state <> 'closed';
        end if;
      end if;
      if not have then return json_build_object('none', true); end if;
      insert into messages (conversation_id, client_id, author, channel, agent_id, author_name, text, choices, created_at, read_at)
        values (cur.id, p_client, 'visitor', p_channel, null, null, p_text, '[]', p_now, null)
        returning * into stored;
      update conversations set last_activity_at = p_now, last_message_author = 'visitor', last_message_text = p_preview,
          last_message_at = p_now, unread_count = unread_count + 1, unreplied_count = unreplied_count + 1,
          ticket_status = case when agent_replied = 1 then p_status_replied else p_status_new end,
          outgoing = 0, last_visitor_at = p_now, expired = 0
        where id = cur.id
        returning * into changed;
      return json_build_object('before', to_json(cur), 'message', to_json(stored), 'after', to_json(changed),
        'endpoints', ${ENDPOINTS});
    end $$`.execute(db);
  // An agent's reply: {message, after, endpoints}, or null when the conversation is gone (nothing is written then). The
  // conversation is updated first: its row lock orders the reply against a delete (conversations-repo.ts).
  await sql`create or replace function switchboard_agent_message(
      p_conversation text, p_client text, p_agent text, p_author_name text, p_text text, p_preview text,
      p_now text, p_status text)
    returns json language plpgsql as $$
    declare
      stored record;
      changed record;
    begin
      update conversations set agent_replied = 1, unread_count = 0, unreplied_count = 0, expired = 0,
          ticket_status = p_status, last_activity_at = p_now, last_message_author = 'agent',
          last_message_text = p_preview, last_message_at = p_now
        where id = p_conversation
        returning * into changed;
      if not found then return null; end if;
      insert into messages (conversation_id, client_id, author, channel, agent_id, author_name, text, choices, created_at, read_at)
        values (p_conversation, p_client, 'agent', 'webchat', p_agent, p_author_name, p_text, '[]', p_now, null)
        returning * into stored;
      return json_build_object('message', to_json(stored), 'after', to_json(changed), 'endpoints', ${ENDPOINTS});
    end $$`.execute(db);
}
