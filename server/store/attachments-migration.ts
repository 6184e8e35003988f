/** Migration 009_attachments (registered in migrations.ts). */
import type { Kysely } from 'kysely';

/**
 * One row per uploaded file. `message_id` is null until a message links it (in the message's transaction); the
 * bytes live in the attachment storage under `storage_key` (random, never the user's file name).
 */
export async function createAttachmentTables(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('attachments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('conversation_id', 'text', (c) => c.notNull())
    .addColumn('message_id', 'integer')
    // Its place among the message's files (the order of `attachmentIds`); null until linked.
    .addColumn('position', 'integer')
    // `visitor` (uploader_id: the visitor session) or `agent` (the agent's id).
    .addColumn('uploader_kind', 'text', (c) => c.notNull())
    .addColumn('uploader_id', 'text', (c) => c.notNull())
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('duration_ms', 'integer')
    .addColumn('storage_key', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  // Idempotent uploads: a retried upload hits this and is answered with the stored file.
  await db.schema.createIndex('attachments_client').on('attachments').columns(['conversation_id', 'client_id']).unique().execute();
  // A message's files, and the sweep of files never linked (message_id null, oldest first).
  await db.schema.createIndex('attachments_message').on('attachments').columns(['message_id', 'created_at']).execute();
}
