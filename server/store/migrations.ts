/**
 * Schema migrations, run on every start (Kysely's Migrator records what ran).
 * One list for both engines; the only dialect difference is the auto-increment id column.
 */
import { type Kysely, type Migration, type MigrationProvider, sql } from 'kysely';

export type Dialect = 'sqlite' | 'postgres';

function migrations(dialect: Dialect): Record<string, Migration> {
  const serialId = dialect === 'postgres' ? 'serial' : 'integer';
  return {
    '001_initial': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('sites')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('allowed_origins', 'text', (c) => c.notNull())
          .addColumn('identity_secret', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('visitors')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('site_id', 'text', (c) => c.notNull())
          .addColumn('user_data', 'text', (c) => c.notNull())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('email', 'text')
          .addColumn('verified', 'integer', (c) => c.notNull())
          .addColumn('channel', 'text', (c) => c.notNull())
          .addColumn('language', 'text', (c) => c.notNull())
          .addColumn('first_seen_at', 'text', (c) => c.notNull())
          .addColumn('last_seen_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('conversations')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('visitor_id', 'text', (c) => c.notNull())
          .addColumn('site_id', 'text', (c) => c.notNull())
          .addColumn('channel', 'text', (c) => c.notNull())
          .addColumn('language', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('last_activity_at', 'text', (c) => c.notNull())
          .addColumn('bot_status', 'text', (c) => c.notNull())
          .addColumn('ticket_status', 'text', (c) => c.notNull())
          .addColumn('state', 'text', (c) => c.notNull())
          .addColumn('muted', 'integer', (c) => c.notNull())
          .addColumn('muted_at', 'text')
          .addColumn('muted_by', 'text')
          .addColumn('holder_id', 'text')
          .addColumn('agent_replied', 'integer', (c) => c.notNull())
          .addColumn('assignees', 'text', (c) => c.notNull())
          .addColumn('visible_to', 'text', (c) => c.notNull())
          .addColumn('tags', 'text', (c) => c.notNull())
          .addColumn('unread_count', 'integer', (c) => c.notNull())
          .addColumn('unreplied_count', 'integer', (c) => c.notNull())
          .addColumn('last_message_author', 'text')
          .addColumn('last_message_text', 'text')
          .addColumn('last_message_at', 'text')
          .execute();
        await db.schema.createIndex('conversations_visitor').on('conversations').columns(['visitor_id', 'created_at']).execute();
        await db.schema.createIndex('conversations_activity').on('conversations').column('last_activity_at').execute();
        await db.schema.createIndex('conversations_muted').on('conversations').columns(['muted', 'muted_at']).execute();
        await db.schema
          .createTable('messages')
          .addColumn('id', serialId, (c) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
          .addColumn('conversation_id', 'text', (c) => c.notNull())
          .addColumn('client_id', 'text')
          .addColumn('author', 'text', (c) => c.notNull())
          .addColumn('agent_id', 'text')
          .addColumn('author_name', 'text')
          .addColumn('text', 'text', (c) => c.notNull())
          .addColumn('choices', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('read_at', 'text')
          .execute();
        // Exactly-once storage: a resent message hits this and is answered with the stored one.
        await db.schema.createIndex('messages_client').on('messages').columns(['conversation_id', 'client_id']).unique().execute();
        await db.schema.createIndex('messages_conversation').on('messages').columns(['conversation_id', 'id']).execute();
        await db.schema
          .createTable('notes')
          .addColumn('id', serialId, (c) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
          .addColumn('conversation_id', 'text', (c) => c.notNull())
          .addColumn('agent_id', 'text', (c) => c.notNull())
          .addColumn('agent_name', 'text', (c) => c.notNull())
          .addColumn('text', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('notes_conversation').on('notes').column('conversation_id').execute();
        await db.schema
          .createTable('agents')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('email', 'text', (c) => c.notNull().unique())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('role', 'text', (c) => c.notNull())
          .addColumn('password_hash', 'text', (c) => c.notNull())
          .addColumn('disabled', 'integer', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('agent_tokens')
          .addColumn('token_hash', 'text', (c) => c.primaryKey())
          .addColumn('agent_id', 'text', (c) => c.notNull())
          .addColumn('expires_at', 'text', (c) => c.notNull())
          .addColumn('revoked', 'integer', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('faqs')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('type', 'text', (c) => c.notNull())
          .addColumn('questions', 'text', (c) => c.notNull())
          .addColumn('answer', 'text', (c) => c.notNull())
          .addColumn('archived', 'integer', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('quick_replies')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('text', 'text', (c) => c.notNull())
          .addColumn('choices', 'text', (c) => c.notNull())
          .addColumn('timezone', 'text', (c) => c.notNull())
          .addColumn('windows', 'text', (c) => c.notNull())
          .addColumn('enabled', 'integer', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('settings')
          .addColumn('key', 'text', (c) => c.primaryKey())
          .addColumn('value', 'text', (c) => c.notNull())
          .execute();
        void sql;
      },
    },
  };
}

export function migrationProvider(dialect: Dialect): MigrationProvider {
  return { getMigrations: async () => migrations(dialect) };
}
