/**
 * Table shapes as Kysely sees them. Portable on purpose (SQLite and PostgreSQL): timestamps are
 * ISO-8601 text (they sort correctly as text), booleans are 0/1 integers, lists are JSON text.
 */
import type { Generated } from 'kysely';

export interface SitesTable {
  id: string;
  name: string;
  allowed_origins: string;
  identity_secret: string;
}

export interface VisitorsTable {
  id: string;
  site_id: string;
  user_data: string;
  /** Lower-cased "first last" for search. */
  name: string;
  email: string | null;
  verified: number;
  channel: string;
  language: string;
  first_seen_at: string;
  last_seen_at: string;
}

export interface ConversationsTable {
  id: string;
  visitor_id: string;
  site_id: string;
  channel: string;
  language: string;
  created_at: string;
  last_activity_at: string;
  bot_status: string;
  ticket_status: string;
  state: string;
  muted: number;
  muted_at: string | null;
  muted_by: string | null;
  holder_id: string | null;
  /** An agent has replied at least once (drives new → pending on later visitor messages). */
  agent_replied: number;
  assignees: string;
  visible_to: string;
  tags: string;
  unread_count: number;
  unreplied_count: number;
  last_message_author: string | null;
  last_message_text: string | null;
  last_message_at: string | null;
}

export interface MessagesTable {
  id: Generated<number>;
  conversation_id: string;
  client_id: string | null;
  author: string;
  agent_id: string | null;
  author_name: string | null;
  text: string;
  choices: string;
  created_at: string;
  read_at: string | null;
}

export interface NotesTable {
  id: Generated<number>;
  conversation_id: string;
  agent_id: string;
  agent_name: string;
  text: string;
  created_at: string;
}

export interface AgentsTable {
  id: string;
  email: string;
  name: string;
  role: string;
  password_hash: string;
  disabled: number;
  created_at: string;
}

export interface AgentTokensTable {
  token_hash: string;
  agent_id: string;
  expires_at: string;
  revoked: number;
}

export interface FaqsTable {
  id: string;
  type: string;
  questions: string;
  answer: string;
  archived: number;
  updated_at: string;
}

export interface QuickRepliesTable {
  id: string;
  name: string;
  text: string;
  choices: string;
  timezone: string;
  windows: string;
  enabled: number;
  updated_at: string;
}

export interface SettingsTable {
  key: string;
  value: string;
}

export interface Database {
  sites: SitesTable;
  visitors: VisitorsTable;
  conversations: ConversationsTable;
  messages: MessagesTable;
  notes: NotesTable;
  agents: AgentsTable;
  agent_tokens: AgentTokensTable;
  faqs: FaqsTable;
  quick_replies: QuickRepliesTable;
  settings: SettingsTable;
}
