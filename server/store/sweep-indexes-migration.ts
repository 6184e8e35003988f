/**
 * Migration 022_sweep_indexes (registered in migrations.ts): indexes that let the sweeper, which runs every 30 s,
 * read only the conversations it may change. At 1,000,000 conversations its two statements read most of the table
 * on every sweep (docs/performance-history.md, session 22): expiry read every conversation not expired whose visitor wrote
 * more than a day ago, closed ones included (0.4–0.7 s on SQLite, holding the hub's one connection, so every
 * message waited), and inactivity every open conversation older than a day, already inactive ones included (0.2 s).
 *
 * - Expiry: the index holds only conversations with unreplied visitor messages (`unreplied_count > 0`), keyed by
 *   state, expired and when the visitor last wrote, so the sweep reads the open, unexpired ones due now. It replaces
 *   the old `(expired, last_visitor_at)` index, which every conversation's every update wrote (on PostgreSQL no update
 *   of a conversation is HOT); this one is written only while a visitor message is unanswered.
 * - Inactivity, SQLite: the list's index by state and last activity also carries the ticket status, so that the
 *   sweep checks it in the index instead of reading each open conversation's row. The index is already written by
 *   every message (its last activity), so the extra column costs no write.
 * - Inactivity, PostgreSQL (which has no such index: inbox-tables-migration.ts): a partial index of the open
 *   conversations that can go inactive, by last activity. Every message of such a conversation writes it (no update
 *   is HOT), as it wrote the old expiry index, which the one above writes less often.
 */
import { type Kysely, sql } from 'kysely';
import type { Dialect } from './migrations.js';

/** The partial index's condition; the sweep's statement repeats it word for word, so that both stores can use it. */
export const UNREPLIED = sql.raw('unreplied_count > 0');
/**
 * PostgreSQL's inactivity index's condition: open, in a status that can go inactive (rules/ticket-status.ts
 * `CAN_GO_INACTIVE` as this migration wrote it; sweep-plans.test.ts fails if they part).
 */
export const INACTIVITY_DUE = sql.raw("state = 'open' and ticket_status in ('new', 'active', 'pending')");

export async function createSweepIndexes(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await sql`drop index conversations_expiry`.execute(db);
  await sql`create index conversations_expiry_due on conversations (state, expired, last_visitor_at) where ${UNREPLIED}`.execute(db);
  if (dialect === 'sqlite') {
    await sql`drop index conversations_state_activity`.execute(db);
    await sql`create index conversations_state_activity on conversations (state, last_activity_at, ticket_status)`.execute(db);
  } else {
    await sql`create index conversations_inactivity_due on conversations (last_activity_at) where ${INACTIVITY_DUE}`.execute(db);
  }
}
