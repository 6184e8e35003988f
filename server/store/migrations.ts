/**
 * Schema migrations, run on every start (Kysely's Migrator records what ran).
 * One list for both engines; the only dialect difference is the auto-increment id column.
 */
import { type Kysely, type Migration, type MigrationProvider, sql } from 'kysely';
import { createApiTokenTables } from './api-tokens-migration.js';
import { backfillContacts } from './contacts-backfill.js';
import { createContactTrigrams } from './contact-trigrams-migration.js';
import { createCountTotals } from './count-totals-migration.js';
import { createLanguageTotals } from './language-totals-migration.js';
import type { Database } from './schema.js';
import { createEmailTables } from './email-migration.js';
import { createAttachmentTables } from './attachments-migration.js';
import { createTeamChatTables } from './team-migration.js';
import { createMessageSearch } from './search-migration.js';
import { createCheckedAgentReply } from './checked-reply-migration.js';
import { batchMessageSearch } from './search-batches-migration.js';
import { createMessageWritesAlone } from './message-writes-alone-migration.js';
import { createConversationFacets } from './facets-migration.js';
import { createInboxTables } from './inbox-tables-migration.js';
import { keepOpenConversationAgents } from './open-agents-migration.js';
import { createSweepIndexes } from './sweep-indexes-migration.js';
import { createMessageWriteFunctions } from './message-writes-migration.js';
import { keepMessageWritePlans } from './message-write-plans-migration.js';
import { returnSummaryContact } from './message-functions-contact-migration.js';
import { keepMessageFunctionsFromJit } from './message-functions-jit-migration.js';
import { endClaimedEscalations } from './claimed-escalations-migration.js';
import { addTriggerConditions } from './trigger-conditions-migration.js';
import { createWebhookTables } from './webhooks-migration.js';
import { addClosedViewerActivity, addConversationViewerState, createConversationViewers } from './viewers-migration.js';

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
      },
    },
    '002_contacts': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('contacts')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('site_id', 'text', (c) => c.notNull())
          // The site's user id, only when the site signed it: the key that joins sessions on any device.
          .addColumn('user_id', 'text')
          .addColumn('signed_email', 'text')
          .addColumn('signed_name', 'text')
          .addColumn('user_data', 'text', (c) => c.notNull())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('email', 'text')
          .addColumn('phone', 'text')
          .addColumn('fields', 'text', (c) => c.notNull())
          .addColumn('default_assignee_id', 'text')
          .addColumn('default_visible_to', 'text', (c) => c.notNull())
          .addColumn('first_seen_at', 'text', (c) => c.notNull())
          .addColumn('last_seen_at', 'text', (c) => c.notNull())
          .execute();
        // NULLs are distinct in a unique index on both engines: anonymous contacts don't collide.
        await db.schema.createIndex('contacts_user').on('contacts').columns(['site_id', 'user_id']).unique().execute();
        await db.schema.createIndex('contacts_signed_email').on('contacts').columns(['site_id', 'signed_email']).execute();
        await db.schema.createIndex('contacts_seen').on('contacts').columns(['last_seen_at', 'id']).execute();
        await db.schema
          .createTable('contact_tags')
          .addColumn('contact_id', 'text', (c) => c.notNull())
          .addColumn('tag', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('contact_tags_pk', ['contact_id', 'tag'])
          .execute();
        await db.schema.createIndex('contact_tags_tag').on('contact_tags').columns(['tag', 'contact_id']).execute();
        await db.schema
          .createTable('contact_notes')
          .addColumn('id', serialId, (c) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
          .addColumn('contact_id', 'text', (c) => c.notNull())
          .addColumn('agent_id', 'text', (c) => c.notNull())
          .addColumn('agent_name', 'text', (c) => c.notNull())
          .addColumn('text', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('contact_notes_contact').on('contact_notes').column('contact_id').execute();
        await db.schema.alterTable('visitors').addColumn('contact_id', 'text').execute();
        await db.schema.alterTable('conversations').addColumn('contact_id', 'text').execute();
        await db.schema
          .alterTable('conversations')
          .addColumn('outgoing', 'integer', (c) => c.notNull().defaultTo(0))
          .execute();
        await backfillContacts(db as Kysely<Database>);
        await db.schema.createIndex('visitors_contact').on('visitors').column('contact_id').execute();
        await db.schema.createIndex('conversations_contact').on('conversations').columns(['contact_id', 'created_at']).execute();
      },
    },
    '003_team_chat': {
      async up(db: Kysely<unknown>) {
        await createTeamChatTables(db, serialId, dialect);
      },
    },
    '004_assignment': {
      async up(db: Kysely<unknown>) {
        // The admin's cap on auto-assigned open conversations (null: none), and what round robin and
        // reassignment need to survive restarts and hold across hubs.
        await db.schema.alterTable('agents').addColumn('max_open', 'integer').execute();
        await db.schema.alterTable('agents').addColumn('last_assigned_at', 'text').execute();
        await db.schema.alterTable('agents').addColumn('offline_since', 'text').execute();
        // The queue: open conversations, oldest first (assignees is not indexed: a long JSON list would
        // exceed PostgreSQL's index row size).
        await db.schema.createIndex('conversations_open').on('conversations').columns(['state', 'created_at']).execute();
      },
    },
    '005_inbox_views': {
      async up(db: Kysely<unknown>) {
        await db.schema.alterTable('conversations').addColumn('last_visitor_at', 'text').execute();
        await db.schema
          .alterTable('conversations')
          .addColumn('expired', 'integer', (c) => c.notNull().defaultTo(0))
          .execute();
        // When each visitor last wrote; the next sweep marks the expired ones from it.
        await sql`update conversations set last_visitor_at = (select max(m.created_at) from messages m where m.conversation_id = conversations.id and m.author = 'visitor')`.execute(
          db,
        );
        await db.schema.createIndex('conversations_expiry').on('conversations').columns(['expired', 'last_visitor_at']).execute();
      },
    },
    '006_webhooks': {
      async up(db: Kysely<unknown>) {
        await createWebhookTables(db);
      },
    },
    '007_api_tokens': {
      async up(db: Kysely<unknown>) {
        await createApiTokenTables(db);
      },
    },
    '008_email': {
      async up(db: Kysely<unknown>) {
        await createEmailTables(db);
      },
    },
    '009_attachments': {
      async up(db: Kysely<unknown>) {
        await createAttachmentTables(db);
      },
    },
    '010_message_search': {
      async up(db: Kysely<unknown>) {
        await createMessageSearch(db, dialect);
      },
    },
    '011_count_totals': {
      async up(db: Kysely<unknown>) {
        await createCountTotals(db, dialect);
      },
    },
    '012_language_totals': {
      async up(db: Kysely<unknown>) {
        await createLanguageTotals(db, dialect);
      },
    },
    '013_message_write_functions': {
      async up(db: Kysely<unknown>) {
        await createMessageWriteFunctions(db, dialect);
      },
    },
    '014_message_writes_alone': {
      async up(db: Kysely<unknown>) {
        await createMessageWritesAlone(db, dialect);
      },
    },
    '015_count_trigger_conditions': {
      async up(db: Kysely<unknown>) {
        await addTriggerConditions(db, dialect);
      },
    },
    '016_checked_agent_reply': {
      async up(db: Kysely<unknown>) {
        await createCheckedAgentReply(db, dialect);
      },
    },
    '017_message_search_batches': {
      async up(db: Kysely<unknown>) {
        await batchMessageSearch(db, dialect);
      },
    },
    '018_message_write_plans': {
      async up(db: Kysely<unknown>) {
        await keepMessageWritePlans(db, dialect);
      },
    },
    '019_message_functions_contact': {
      async up(db: Kysely<unknown>) {
        await returnSummaryContact(db, dialect);
      },
    },
    '020_inbox_tables': {
      async up(db: Kysely<unknown>) {
        await createInboxTables(db, dialect);
      },
    },
    '021_conversation_facets': {
      async up(db: Kysely<unknown>) {
        await createConversationFacets(db, dialect);
      },
    },
    '022_sweep_indexes': {
      async up(db: Kysely<unknown>) {
        await createSweepIndexes(db, dialect);
      },
    },
    '023_open_conversation_agents': {
      async up(db: Kysely<unknown>) {
        await keepOpenConversationAgents(db, dialect);
      },
    },
    '024_conversation_viewers': {
      async up(db: Kysely<unknown>) {
        await createConversationViewers(db, dialect);
      },
    },
    '025_conversation_viewer_state': {
      async up(db: Kysely<unknown>) {
        await addConversationViewerState(db, dialect);
      },
    },
    '026_closed_viewer_activity': {
      async up(db: Kysely<unknown>) {
        await addClosedViewerActivity(db, dialect);
      },
    },
    '027_contact_trigrams': {
      async up(db: Kysely<unknown>) {
        await createContactTrigrams(db, dialect);
      },
    },
    '028_message_functions_jit': {
      async up(db: Kysely<unknown>) {
        await keepMessageFunctionsFromJit(db, dialect);
      },
    },
    '029_claimed_escalations': {
      async up(db: Kysely<unknown>) {
        await endClaimedEscalations(db);
      },
    },
  };
}

export function migrationProvider(dialect: Dialect): MigrationProvider {
  return { getMigrations: async () => migrations(dialect) };
}
