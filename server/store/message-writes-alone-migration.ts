/**
 * Migration 014_message_writes_alone (registered in migrations.ts), PostgreSQL only: new versions of the message
 * path's functions of 013 (message-writes-migration.ts), to save two more kinds of round trip per message.
 *
 * - `p_alone`: the call is its own transaction (a write alone in its group commit: store/group-commit.ts), which
 *   saves BEGIN and COMMIT. Alone, a function writes only what needs nothing else in its transaction: when webhook
 *   endpoints are enabled (their deliveries are stored with the message) it answers `needs_transaction` before doing
 *   anything, and the hub runs the write again in a transaction.
 * - A visitor's message names the session, not the person: the function reads the session's contact itself, so the
 *   hub no longer reads the session's row before each message. `no_visitor`: the session has no row or no person yet
 *   (the hub writes them and calls again).
 *
 * Each statement of a PL/pgSQL function takes its own snapshot under READ COMMITTED, as separate statements sent by
 * the hub did. The latest conversation is chosen as ConversationsRepo.latest chooses it; change both together.
 * The SQLite steps in message-writes.ts are the reference.
 */
import { type Kysely, sql } from 'kysely';
import { ENDPOINTS } from './message-writes-migration.js';
import type { Dialect } from './migrations.js';

export async function createMessageWritesAlone(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  if (dialect !== 'postgres') return;
  // 013's versions stay, overloads of these (their argument lists differ): during a rolling upgrade, hubs of the
  // previous version still call them. Their calls send untyped parameters, which PostgreSQL resolves to the all-text
  // 013 signature; this version's calls name the type of their last parameter (`::boolean`: message-writes.ts).
  // A visitor's message: {needs_transaction} (alone), {no_visitor}, {resent}, {none, contact} (no open conversation:
  // the caller opens one and calls again), or {before, message, after, endpoints}.
  await sql`create function switchboard_visitor_message(
      p_visitor text, p_client text, p_conversation text, p_channel text, p_text text,
      p_preview text, p_now text, p_status_new text, p_status_replied text, p_alone boolean)
    returns json language plpgsql as $$
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
      select contact_id into person from visitors where id = p_visitor;
      if person is null then return json_build_object('no_visitor', true); end if;
      perform 1 from contacts where id = person for update;
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
        'endpoints', endpoints);
    end $$`.execute(db);
  // An agent's reply: {needs_transaction} (alone), {message, after, endpoints}, or null when the conversation is gone
  // (nothing is written then). The conversation is updated first: its row lock orders the reply against a delete
  // (conversations-repo.ts).
  await sql`create function switchboard_agent_message(
      p_conversation text, p_client text, p_agent text, p_author_name text, p_text text, p_preview text,
      p_now text, p_status text, p_alone boolean)
    returns json language plpgsql as $$
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
      return json_build_object('message', to_json(stored), 'after', to_json(changed), 'endpoints', endpoints);
    end $$`.execute(db);
}
