/**
 * Migration 019_message_functions_contact (registered in migrations.ts), PostgreSQL only: new bodies for the message
 * path's functions (014's and 016's, same signatures), with two statements fewer per message between them.
 *
 * - The answer carries the summary's contact (`contact`: what the conversation's summary shows of its person). The
 *   hub read it in the same statement as the call, but from outside: parsing the function's answer for the contact
 *   id, then a subquery. That was about a tenth of PostgreSQL's time per message (docs/performance-history.md, session 16).
 * - A visitor's message reads the session's person and locks them in one statement.
 *
 * Same signatures and return type: a hub of the previous version, still running during a rolling upgrade, calls
 * these and finds every key it knows (it ignores `contact`, and reads the contact its own way). The functions keep
 * 018's setting: CREATE OR REPLACE resets it, so the definitions repeat it.
 */
import { type Kysely, sql } from 'kysely';
import { tagListOf } from './contacts-repo.js';
import { ENDPOINTS } from './message-writes-migration.js';
import type { Dialect } from './migrations.js';

/** What a summary shows of the contact of the conversation `changed`, as the hub's mapper reads it. */
const SUMMARY_CONTACT = sql.raw(`(select json_build_object('signed_name', c.signed_name, 'user_data', c.user_data,
  'email', c.email, 'user_id', c.user_id, 'tags', ${tagListOf('c.id')}) from contacts c where c.id = changed.contact_id)`);

export async function returnSummaryContact(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  if (dialect !== 'postgres') return;
  await sql`create or replace function switchboard_visitor_message(
      p_visitor text, p_client text, p_conversation text, p_channel text, p_text text,
      p_preview text, p_now text, p_status_new text, p_status_replied text, p_alone boolean)
    returns json language plpgsql set enable_seqscan = off as $$
    declare
      endpoints json := ${ENDPOINTS};
      person text;
      resent json;
      cur record;
      have boolean := false;
      stored record;
      changed record;
    begin
      if p_alone and json_array_length(endpoints) > 0 then return json_build_object('needs_transaction', true); end if;
      select c.id into person from visitors v join contacts c on c.id = v.contact_id where v.id = p_visitor for update of c;
      if person is null then return json_build_object('no_visitor', true); end if;
      select to_json(m) into resent from messages m join conversations c on c.id = m.conversation_id
        where c.visitor_id = p_visitor and m.client_id = p_client limit 1;
      if resent is not null then return json_build_object('resent', resent); end if;
      if p_conversation is not null then
        select * into cur from conversations where id = p_conversation for update;
        have := found;
        if have then
          have := cur.state <> 'closed' and cur.contact_id = person;
        end if;
      end if;
      if not have then
        select * into cur from conversations where id = (
          select id from conversations where contact_id = person
          order by created_at desc, case when state = 'open' then 0 else 1 end, id desc limit 1)
        for update;
        have := found;
        if have then
          have := cur.state <> 'closed';
        end if;
      end if;
      if not have then return json_build_object('none', true, 'contact', person); end if;
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
        'endpoints', endpoints, 'summary_contact', ${SUMMARY_CONTACT});
    end $$`.execute(db);
  await sql`create or replace function switchboard_agent_message(
      p_conversation text, p_client text, p_agent text, p_author_name text, p_text text, p_preview text,
      p_now text, p_status text, p_alone boolean)
    returns json language plpgsql set enable_seqscan = off as $$
    declare
      endpoints json := ${ENDPOINTS};
      stored record;
      changed record;
    begin
      if p_alone and json_array_length(endpoints) > 0 then return json_build_object('needs_transaction', true); end if;
      update conversations set agent_replied = 1, unread_count = 0, unreplied_count = 0, expired = 0,
          ticket_status = p_status, last_activity_at = p_now, last_message_author = 'agent',
          last_message_text = p_preview, last_message_at = p_now
        where id = p_conversation
        returning * into changed;
      if not found then return null; end if;
      insert into messages (conversation_id, client_id, author, channel, agent_id, author_name, text, choices, created_at, read_at)
        values (p_conversation, p_client, 'agent', 'webchat', p_agent, p_author_name, p_text, '[]', p_now, null)
        returning * into stored;
      return json_build_object('message', to_json(stored), 'after', to_json(changed), 'endpoints', endpoints,
        'summary_contact', ${SUMMARY_CONTACT});
    end $$`.execute(db);
  await sql`create or replace function switchboard_checked_agent_reply(
      p_conversation text, p_client text, p_agent text, p_admin boolean, p_author_name text, p_text text,
      p_preview text, p_now text, p_status text, p_alone boolean)
    returns json language plpgsql set enable_seqscan = off as $$
    declare
      endpoints json := ${ENDPOINTS};
      cur record;
      stored record;
      changed record;
    begin
      if p_alone and json_array_length(endpoints) > 0 then return json_build_object('needs_transaction', true); end if;
      select * into cur from conversations where id = p_conversation;
      if not found then return json_build_object('unchecked', true); end if;
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
        'endpoints', endpoints, 'summary_contact', ${SUMMARY_CONTACT});
    end $$`.execute(db);
}
