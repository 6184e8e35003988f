/** Migration 007_api_tokens (registered in migrations.ts). */
import type { Kysely } from 'kysely';

/** Admins' API tokens: only each secret's SHA-256 and its first characters are stored. Table only. */
export async function createApiTokenTables(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('api_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_used_at', 'text')
    .addColumn('expires_at', 'text')
    .addColumn('revoked_at', 'text')
    .execute();
  // A creator's tokens (revoked together when they lose the right), and the admin screen's list, newest first.
  await db.schema.createIndex('api_tokens_creator').on('api_tokens').column('created_by').execute();
  await db.schema.createIndex('api_tokens_created').on('api_tokens').columns(['created_at', 'id']).execute();
}
