/** Rows written straight into the store's tables (bulk seeds, and databases of an older schema), with defaults. */
import type { Kysely } from 'kysely';
import type { ContactsTable, Database, MessagesTable, VisitorsTable } from '../../server/store/schema.js';
import { conversation } from './count-reference.js';

/** An anonymous contact first and last seen at `at`. */
export function contactRow(id: string, at: string, patch: Partial<ContactsTable> = {}): ContactsTable {
  return {
    id,
    site_id: 'demo',
    user_id: null,
    signed_email: null,
    signed_name: null,
    user_data: '{}',
    name: '',
    email: null,
    phone: null,
    fields: '{}',
    default_assignee_id: null,
    default_visible_to: '[]',
    first_seen_at: at,
    last_seen_at: at,
    ...patch,
  };
}

/** A webchat session of contact `contactId`, anonymous, first and last seen at `at`. */
export function visitorRow(id: string, contactId: string, at: string, patch: Partial<VisitorsTable> = {}): VisitorsTable {
  return {
    id,
    site_id: 'demo',
    contact_id: contactId,
    user_data: '{}',
    name: '',
    email: null,
    verified: 0,
    channel: 'webchat',
    language: 'en',
    first_seen_at: at,
    last_seen_at: at,
    ...patch,
  };
}

/** A visitor's webchat message without a client id. */
export function messageRow(conversationId: string, text: string, at: string, patch: Partial<Omit<MessagesTable, 'id'>> = {}): Omit<MessagesTable, 'id'> {
  return {
    conversation_id: conversationId,
    client_id: null,
    author: 'visitor',
    channel: 'webchat',
    agent_id: null,
    author_name: null,
    text,
    choices: '[]',
    created_at: at,
    read_at: null,
    ...patch,
  };
}

/** Contact `k1`, its visitor `v1` and their open conversation `c1`, as of `at`: what a migration test's messages need. */
export async function insertVisitorConversation(db: Kysely<Database>, at: string): Promise<void> {
  await db.insertInto('contacts').values(contactRow('k1', at)).execute();
  await db
    .insertInto('visitors')
    .values(visitorRow('v1', 'k1', at))
    .execute();
  await db
    .insertInto('conversations')
    .values(conversation('c1', at, { visitor_id: 'v1', contact_id: 'k1' }))
    .execute();
}
