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
  /** The person this session belongs to (null only before migration 002 ran). */
  contact_id: string | null;
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
  contact_id: string | null;
  /** Started by an agent (New chat) and not answered by the visitor yet. */
  outgoing: number;
  /** When the visitor last wrote (the Expired view counts from it). */
  last_visitor_at: string | null;
  /** The visitor's last message has waited past the expiry window without an agent reply (set by the sweep). */
  expired: number;
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
  /** `webchat` or `email` (migration 008; existing rows are `webchat`). */
  channel: string;
  agent_id: string | null;
  author_name: string | null;
  text: string;
  choices: string;
  created_at: string;
  read_at: string | null;
}

/** A person: one or more widget sessions (visitors) and their conversations. */
export interface ContactsTable {
  id: string;
  site_id: string;
  /** Signed by the site (identity JWT or user_hash): joins sessions across devices. */
  user_id: string | null;
  /** Signed by the site's identity JWT (lower-cased): may join sessions too. */
  signed_email: string | null;
  signed_name: string | null;
  /** SMARTLY_USER_DATA as the visitor's page last sent it (JSON, provided by the visitor). */
  user_data: string;
  /** Lower-cased display name for search (signed name, else the visitor's). */
  name: string;
  /** Lower-cased email (signed, else the visitor's). */
  email: string | null;
  phone: string | null;
  /** Custom field values by key (JSON object). */
  fields: string;
  default_assignee_id: string | null;
  default_visible_to: string;
  first_seen_at: string;
  last_seen_at: string;
}

export interface ContactTagsTable {
  contact_id: string;
  tag: string;
}

/** A conversation's tags as rows, kept from its `tags` by triggers (migration 020): what the tag filter reads. */
export interface ConversationTagsTable {
  conversation_id: string;
  tag: string;
}

/** A conversation's language and bot status, as rows kept by triggers (migration 021, facets-migration.ts). */
export interface ConversationFacetsTable {
  conversation_id: string;
  facet: 'language' | 'bot_status';
  value: string;
}

/**
 * Who may see a conversation: each agent its `visible_to` lists, or one row with the empty viewer when the whole team
 * may (viewers-migration.ts `WHOLE_TEAM`); kept by triggers (migration 024).
 */
export interface ConversationViewersTable {
  conversation_id: string;
  viewer: string;
  /** The conversation's state, so that a list of one state starts from its rows (migration 025). */
  state: Generated<string>;
  /** A closed conversation's last activity, so that a closed list reads its rows in order; null while open (migration 026). */
  last_activity_at: Generated<string | null>;
}

/** The agents a conversation is Mine for (its holder and assignees), kept by triggers (migration 020). */
export interface ConversationAgentsTable {
  conversation_id: string;
  agent_id: string;
}

export interface ContactNotesTable {
  id: Generated<number>;
  contact_id: string;
  agent_id: string;
  agent_name: string;
  text: string;
  created_at: string;
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
  /** Cap on auto-assigned open conversations (null: none). Migration 004. */
  max_open: number | null;
  /** When auto-assignment last handed this agent a conversation (round robin). */
  last_assigned_at: string | null;
  /** Since when no panel of this agent is connected (null: online, or not noticed yet). */
  offline_since: string | null;
  /** 1: email this agent about escalations while offline (migration 008). */
  email_on_escalation: number;
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

/** Team chat (migration 003): a thread is the team room (one), a direct pair (agent_a < agent_b) or one agent's notes (agent_a = agent_b). */
export interface TeamThreadsTable {
  id: string;
  kind: string;
  /** `team`, `self:<agentId>` or `direct:<lower id>:<higher id>`: unique, so concurrent first messages make one thread. */
  key: string;
  agent_a: string | null;
  agent_b: string | null;
  created_at: string;
}

export interface TeamMessagesTable {
  id: Generated<number>;
  thread_id: string;
  client_id: string;
  agent_id: string;
  author_name: string;
  text: string;
  created_at: string;
}

/** How far each agent has read each thread (absent = nothing read yet). */
export interface TeamReadsTable {
  thread_id: string;
  agent_id: string;
  last_read_id: number;
}

/** An admin's webhook endpoint (migration 006). */
export interface WebhookEndpointsTable {
  id: string;
  url: string;
  /** JSON list of event types. */
  events: string;
  enabled: number;
  /** The HMAC key (readable by admins: it is needed to verify signatures). */
  secret: string;
  created_at: string;
  updated_at: string;
}

/** One event for one endpoint: stored first, then posted by whichever hub claims it (migration 006). */
export interface WebhookDeliveriesTable {
  id: string;
  endpoint_id: string;
  event_id: string;
  event: string;
  /** The JSON body, exactly as posted. */
  payload: string;
  /** pending → sending (leased) → delivered | pending (retry) | failed. */
  status: string;
  attempts: number;
  next_attempt_at: string | null;
  /** While `sending`: the claim expires then, and another worker may take the delivery over. */
  lease_until: string | null;
  /** The claim's random token: only its holder records the outcome. */
  lease_token: string | null;
  last_attempt_at: string | null;
  response_code: number | null;
  error: string | null;
  created_at: string;
  delivered_at: string | null;
  resend_of: string | null;
}

/** An admin's API token (migration 007): the secret itself is never stored. */
export interface ApiTokensTable {
  id: string;
  name: string;
  /** The secret's first characters (`sbt_` + 8), shown to recognise it. */
  prefix: string;
  /** SHA-256 (hex) of the whole secret. */
  token_hash: string;
  /** JSON list of scopes. */
  scopes: string;
  /** The admin the token acts as. */
  created_by: string;
  created_at: string;
  last_used_at: string | null;
  expires_at: string | null;
  revoked_at: string | null;
}

/** Email continuity, per conversation (migration 008): its reply token and the agent replies waiting to be emailed. */
export interface EmailThreadsTable {
  conversation_id: string;
  /** Random, unguessable: the `reply+<token>@domain` address of the conversation's emails. */
  token: string;
  /** When the unseen agent replies are to be emailed (null: nothing waits). */
  due_at: string | null;
  /** The last message id an email covered (agent replies after it are still to be emailed). */
  emailed_id: number;
  last_sent_at: string | null;
  created_at: string;
}

/** One outbound email: stored first, then sent by whichever hub claims it (migration 008). */
export interface EmailOutboxTable {
  id: string;
  /** `visitor_reply` or `escalation`. */
  kind: string;
  conversation_id: string | null;
  to_address: string;
  subject: string;
  /** Plain text. */
  body: string;
  reply_to: string | null;
  message_id: string;
  /** pending → sending (leased) → sent | pending (retry) | failed. */
  status: string;
  attempts: number;
  next_attempt_at: string | null;
  lease_until: string | null;
  lease_token: string | null;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
}

/** An uploaded file (migration 009): linked to its message once one is sent with it. */
export interface AttachmentsTable {
  id: string;
  conversation_id: string;
  /** Null until a message links it (then never changes). */
  message_id: number | null;
  /** Its place among the message's files (the order of `attachmentIds`); null until linked. */
  position: number | null;
  /** `visitor` or `agent`. */
  uploader_kind: string;
  /** The visitor session's id or the agent's id. */
  uploader_id: string;
  client_id: string;
  /** The name shown (cleaned, rules/attachments.ts `safeName`). */
  name: string;
  size: number;
  /** Sniffed from the bytes. */
  content_type: string;
  kind: string;
  duration_ms: number | null;
  /** Where the bytes are in the attachment storage: random, never derived from the name. */
  storage_key: string;
  created_at: string;
}

export interface Database {
  sites: SitesTable;
  visitors: VisitorsTable;
  contacts: ContactsTable;
  contact_tags: ContactTagsTable;
  contact_notes: ContactNotesTable;
  conversations: ConversationsTable;
  conversation_tags: ConversationTagsTable;
  conversation_agents: ConversationAgentsTable;
  conversation_facets: ConversationFacetsTable;
  conversation_viewers: ConversationViewersTable;
  messages: MessagesTable;
  notes: NotesTable;
  agents: AgentsTable;
  agent_tokens: AgentTokensTable;
  faqs: FaqsTable;
  quick_replies: QuickRepliesTable;
  settings: SettingsTable;
  team_threads: TeamThreadsTable;
  team_messages: TeamMessagesTable;
  team_reads: TeamReadsTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  api_tokens: ApiTokensTable;
  email_threads: EmailThreadsTable;
  email_outbox: EmailOutboxTable;
  attachments: AttachmentsTable;
}
