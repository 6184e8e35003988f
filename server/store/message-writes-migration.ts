/**
 * Migrations 013_message_write_functions and 014_message_writes_alone (registered in migrations.ts), PostgreSQL only:
 * the message path's writes as two functions, so that a stored message costs one round trip instead of five
 * (message-writes.ts says why and holds the same steps for SQLite, where a statement is a function call, not a round
 * trip).
 *
 * 014 adds `p_alone`: the call is its own transaction (a write alone in its group commit: store/group-commit.ts), so
 * that a message costs no BEGIN and COMMIT round trips either. Alone, a function writes only what needs nothing else
 * in its transaction: when webhook endpoints are enabled (their deliveries are stored with the message) it answers
 * `needs_transaction` before doing anything, and the hub runs the write again in a transaction. Both versions come
 * from one template, so that 013 still creates what it created when it shipped.
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
const ENDPOINTS_SQL = `(select coalesce(json_agg(json_build_object('id', e.id, 'events', e.events)), '[]')
  from webhook_endpoints e where e.enabled = 1)`;
const ENDPOINTS = sql.raw(ENDPOINTS_SQL);

/** 013: the functions as they shipped, without `p_alone` (014 replaces them). */
export function createMessageWriteFunctions(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  return createFunctions(db, dialect, false);
}

/** 014: the functions with `p_alone`; 013's versions (their argument lists differ) are dropped first. */
export async function createMessageWritesAlone(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  if (dialect !== 'postgres') return;
  await sql`drop function if exists switchboard_visitor_message(text, text, text, text, text, text, text, text, text, text)`.execute(db);
  await sql`drop function if exists switchboard_agent_message(text, text, text, text, text, text, text, text)`.execute(db);
  await createFunctions(db, dialect, true);
}

async function createFunctions(db: Kysely<unknown>, dialect: Dialect, alone: boolean): Promise<void> {
  if (dialect !== 'postgres') return;
  // 014: the endpoints are read first, and a call alone in its transaction writes nothing when there are any.
  const aloneParameter = sql.raw(alone ? ', p_alone boolean' : '');
  const endpointsVariable = sql.raw(alone ? `endpoints json := ${ENDPOINTS_SQL};` : '');
  const aloneCheck = sql.raw(alone ? `if p_alone and json_array_length(endpoints) > 0 then return json_build_object('needs_transaction', true); end if;` : '');
  const endpoints = alone ? sql.raw('endpoints') : ENDPOINTS;
  // A visitor's message: {resent}, {none} (no open conversation: the caller opens one and calls again),
  // {needs_transaction} (014, alone), or {before, message, after, endpoints}.
  await sql`create or replace function switchboard_visitor_message(
      p_contact text, p_visitor text, p_client text, p_conversation text, p_channel text, p_text text,
      p_preview text, p_now text, p_status_new text, p_status_replied text${aloneParameter})
    returns json language plpgsql as $$
    declare
      ${endpointsVariable}
      resent json;
      cur record;
      have boolean := false;
      stored record;
      changed record;
    begin
      ${aloneCheck}
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
        'endpoints', ${endpoints});
    end $$`.execute(db);
  // An agent's reply: {message, after, endpoints}, or null when the conversation is gone (nothing is written then). The
  // conversation is updated first: its row lock orders the reply against a delete (conversations-repo.ts).
  await sql`create or replace function switchboard_agent_message(
      p_conversation text, p_client text, p_agent text, p_author_name text, p_text text, p_preview text,
      p_now text, p_status text${aloneParameter})
    returns json language plpgsql as $$
    declare
      ${endpointsVariable}
      stored record;
      changed record;
    begin
      ${aloneCheck}
      update conversations set agent_replied = 1, unread_count = 0, unreplied_count = 0, expired = 0,
          ticket_status = p_status, last_activity_at = p_now, last_message_author = 'agent',
          last_message_text = p_preview, last_message_at = p_now
        where id = p_conversation
        returning * into changed;
      if not found then return null; end if;
      insert into messages (conversation_id, client_id, author, channel, agent_id, author_name, text, choices, created_at, read_at)
        values (p_conversation, p_client, 'agent', 'webchat', p_agent, p_author_name, p_text, '[]', p_now, null)
        returning * into stored;
      return json_build_object('message', to_json(stored), 'after', to_json(changed), 'endpoints', ${endpoints});
    end $$`.execute(db);
}
