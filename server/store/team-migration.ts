/** Migration 003_team_chat (registered in migrations.ts). */
import type { Kysely } from 'kysely';
import type { Dialect } from './migrations.js';

/** Team chat between agents: threads, their messages (exactly once per thread + client id) and read positions. Tables only. */
export async function createTeamChatTables(db: Kysely<unknown>, serialId: 'serial' | 'integer', dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('team_threads')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull().unique())
    .addColumn('agent_a', 'text')
    .addColumn('agent_b', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('team_threads_agent_a').on('team_threads').column('agent_a').execute();
  await db.schema.createIndex('team_threads_agent_b').on('team_threads').column('agent_b').execute();
  await db.schema
    .createTable('team_messages')
    .addColumn('id', serialId, (c) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('thread_id', 'text', (c) => c.notNull())
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('agent_id', 'text', (c) => c.notNull())
    .addColumn('author_name', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  // Exactly-once storage: a resend hits this and is answered with the stored message.
  await db.schema.createIndex('team_messages_client').on('team_messages').columns(['thread_id', 'client_id']).unique().execute();
  await db.schema.createIndex('team_messages_thread').on('team_messages').columns(['thread_id', 'id']).execute();
  await db.schema
    .createTable('team_reads')
    .addColumn('thread_id', 'text', (c) => c.notNull())
    .addColumn('agent_id', 'text', (c) => c.notNull())
    .addColumn('last_read_id', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('team_reads_pk', ['thread_id', 'agent_id'])
    .execute();
}
