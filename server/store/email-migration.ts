/** Migration 008_email (registered in migrations.ts): email continuity. */
import type { Kysely } from 'kysely';

/**
 * - `messages.channel`: how a message arrived (`webchat`, or `email` for a visitor's reply by email); every existing
 *   message is a webchat one (the column's default fills them in place).
 * - `agents.email_on_escalation`: the agent's opt-in to escalation emails (off for everyone).
 * - `email_threads`: per conversation, the reply token of its emails and which agent replies still wait to be emailed.
 * - `email_outbox`: the outbound queue, claimed with a lease like the webhook deliveries (store/email-repo.ts).
 */
export async function createEmailTables(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('messages')
    .addColumn('channel', 'text', (c) => c.notNull().defaultTo('webchat'))
    .execute();
  await db.schema
    .alterTable('agents')
    .addColumn('email_on_escalation', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createTable('email_threads')
    .addColumn('conversation_id', 'text', (c) => c.primaryKey())
    .addColumn('token', 'text', (c) => c.notNull().unique())
    // When the agent replies not seen by then are to be emailed (null: nothing waits).
    .addColumn('due_at', 'text')
    // Messages up to this id were emailed already (or were before the first email).
    .addColumn('emailed_id', 'integer', (c) => c.notNull())
    .addColumn('last_sent_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('email_threads_due').on('email_threads').column('due_at').execute();
  await db.schema
    .createTable('email_outbox')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('conversation_id', 'text')
    .addColumn('to_address', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('reply_to', 'text')
    // The Message-ID header: the same on every attempt, so a receiving system can drop a resent copy.
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('next_attempt_at', 'text')
    .addColumn('lease_until', 'text')
    .addColumn('lease_token', 'text')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    .execute();
  await db.schema.createIndex('email_outbox_due').on('email_outbox').columns(['status', 'next_attempt_at']).execute();
  await db.schema.createIndex('email_outbox_lease').on('email_outbox').columns(['status', 'lease_until']).execute();
  await db.schema.createIndex('email_outbox_conversation').on('email_outbox').column('conversation_id').execute();
  await db.schema.createIndex('email_outbox_created').on('email_outbox').column('created_at').execute();
}
