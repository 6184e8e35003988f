/**
 * Migration 018_message_write_plans (registered in migrations.ts), PostgreSQL only: the message path's functions
 * (014's, 016's) keep index plans however small their tables were when a connection first ran them.
 *
 * PL/pgSQL caches a generic plan per statement and connection after a few calls, and costs it by the tables' sizes at
 * that moment. In a new database (the messages table empty), the check for a resent message was planned as a scan
 * of the whole table, and kept that plan as the table grew: each message read every message before it, until
 * autovacuum's first ANALYZE (a minute or more) invalidated the plans. The bench's store section ran in that window:
 * 9.4 million rows read for 4,400 messages (docs/performance-history.md, session 16).
 *
 * - The functions run with `enable_seqscan` off: every statement in them is a lookup by key, which an index answers
 *   at any size, so no size seen at planning time may turn one into a scan of the table.
 * - The unique index of a message's client id leads with the client id. The resend check looks a client id up among
 *   all of a visitor's conversations; with the conversation first, an empty table's plan may instead read each of the
 *   visitor's conversations in full through `messages_conversation` (its estimates tie). Led by the client id, the
 *   index answers the check alone. Same columns, so the same rule: one message per (conversation, client id).
 *
 * SQLite keeps 001's index: without ANALYZE's statistics (the hub runs none) its planner takes every table to be
 * large, and chooses an index whatever the table holds.
 */
import { type Kysely, sql } from 'kysely';
import type { Dialect } from './migrations.js';

/** The functions a stored message runs (their current versions), by signature. */
export const MESSAGE_FUNCTIONS = [
  'switchboard_visitor_message(text, text, text, text, text, text, text, text, text, boolean)',
  'switchboard_agent_message(text, text, text, text, text, text, text, text, boolean)',
  'switchboard_checked_agent_reply(text, text, text, boolean, text, text, text, text, text, boolean)',
];

export async function keepMessageWritePlans(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  if (dialect !== 'postgres') return;
  await sql`create unique index messages_client_first on messages (client_id, conversation_id)`.execute(db);
  await sql`drop index messages_client`.execute(db);
  await sql`alter index messages_client_first rename to messages_client`.execute(db);
  for (const signature of MESSAGE_FUNCTIONS) await sql`alter function ${sql.raw(signature)} set enable_seqscan = off`.execute(db);
}
