/** Row → protocol object conversions (JSON text columns, 0/1 booleans). */
import type {
  Agent,
  BotStatus,
  Channel,
  ConversationState,
  Faq,
  FaqType,
  Message,
  MessageAuthor,
  MessageChannel,
  Note,
  QuickReply,
  Role,
  TicketStatus,
  TimeWindow,
  UserData,
  Visitor,
} from '../../protocol/types.js';
import type { AgentsTable, ConversationsTable, FaqsTable, MessagesTable, NotesTable, QuickRepliesTable, VisitorsTable } from './schema.js';

export type Row<T> = { [K in keyof T]: T[K] extends import('kysely').Generated<infer U> ? U : T[K] };

export function json<T>(text: string | null, fallback: T): T {
  if (!text) return fallback;
  return JSON.parse(text) as T;
}

export function toMessage(row: Row<MessagesTable>): Message {
  return {
    id: Number(row.id),
    conversationId: row.conversation_id,
    clientId: row.client_id,
    author: row.author as MessageAuthor,
    channel: (row.channel ?? 'webchat') as MessageChannel,
    agentId: row.agent_id,
    authorName: row.author_name,
    text: row.text,
    choices: json<string[]>(row.choices, []),
    attachments: [],
    createdAt: row.created_at,
    readAt: row.read_at,
  };
}

export function toNote(row: Row<NotesTable>): Note {
  return {
    id: Number(row.id),
    conversationId: row.conversation_id,
    agentId: row.agent_id,
    agentName: row.agent_name,
    text: row.text,
    createdAt: row.created_at,
  };
}

export function toVisitor(row: VisitorsTable, online: boolean): Visitor {
  return {
    id: row.id,
    siteId: row.site_id,
    contactId: row.contact_id ?? row.id,
    userData: json<UserData>(row.user_data, {}),
    verified: row.verified === 1,
    channel: row.channel as Channel,
    language: row.language,
    firstSeenAt: row.first_seen_at,
    lastSeenAt: row.last_seen_at,
    online,
  };
}

export function toAgent(row: AgentsTable, online: boolean): Agent {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role as Role,
    disabled: row.disabled === 1,
    createdAt: row.created_at,
    online,
    maxOpen: row.max_open === null || row.max_open === undefined ? null : Number(row.max_open),
    emailOnEscalation: Number(row.email_on_escalation ?? 0) === 1,
  };
}

export function toFaq(row: FaqsTable): Faq {
  return {
    id: row.id,
    type: row.type as FaqType,
    questions: json<string[]>(row.questions, []),
    answer: row.answer,
    archived: row.archived === 1,
    updatedAt: row.updated_at,
  };
}

export function toQuickReply(row: QuickRepliesTable): QuickReply {
  return {
    id: row.id,
    name: row.name,
    text: row.text,
    choices: json<string[]>(row.choices, []),
    timezone: row.timezone,
    windows: json<TimeWindow[]>(row.windows, []),
    enabled: row.enabled === 1,
    updatedAt: row.updated_at,
  };
}

/** The fields of a conversation row the rules work with, typed. */
export interface ConversationRecord {
  id: string;
  visitorId: string;
  contactId: string;
  outgoing: boolean;
  expired: boolean;
  lastVisitorAt: string | null;
  siteId: string;
  channel: Channel;
  language: string;
  createdAt: string;
  lastActivityAt: string;
  botStatus: BotStatus;
  ticketStatus: TicketStatus;
  state: ConversationState;
  muted: boolean;
  mutedAt: string | null;
  mutedBy: string | null;
  holderId: string | null;
  agentReplied: boolean;
  assignees: string[];
  visibleTo: string[];
  tags: string[];
  unreadCount: number;
  unrepliedCount: number;
  lastMessageAuthor: MessageAuthor | null;
  lastMessageText: string | null;
  lastMessageAt: string | null;
}

export function toConversation(row: ConversationsTable): ConversationRecord {
  return {
    id: row.id,
    visitorId: row.visitor_id,
    // Only a row written before migration 002 lacks it, and the migration backfilled those.
    contactId: row.contact_id ?? row.visitor_id,
    outgoing: row.outgoing === 1,
    expired: row.expired === 1,
    lastVisitorAt: row.last_visitor_at,
    siteId: row.site_id,
    channel: row.channel as Channel,
    language: row.language,
    createdAt: row.created_at,
    lastActivityAt: row.last_activity_at,
    botStatus: row.bot_status as BotStatus,
    ticketStatus: row.ticket_status as TicketStatus,
    state: row.state as ConversationState,
    muted: row.muted === 1,
    mutedAt: row.muted_at,
    mutedBy: row.muted_by,
    holderId: row.holder_id,
    agentReplied: row.agent_replied === 1,
    assignees: json<string[]>(row.assignees, []),
    visibleTo: json<string[]>(row.visible_to, []),
    tags: json<string[]>(row.tags, []),
    unreadCount: Number(row.unread_count),
    unrepliedCount: Number(row.unreplied_count),
    lastMessageAuthor: row.last_message_author as MessageAuthor | null,
    lastMessageText: row.last_message_text,
    lastMessageAt: row.last_message_at,
  };
}

/** The row `toConversation` reads this record from (its inverse: the two round-trip, test/server/message-writes.test.ts). */
export function toConversationRow(record: ConversationRecord): ConversationsTable {
  return {
    id: record.id,
    visitor_id: record.visitorId,
    contact_id: record.contactId,
    outgoing: record.outgoing ? 1 : 0,
    expired: record.expired ? 1 : 0,
    last_visitor_at: record.lastVisitorAt,
    site_id: record.siteId,
    channel: record.channel,
    language: record.language,
    created_at: record.createdAt,
    last_activity_at: record.lastActivityAt,
    bot_status: record.botStatus,
    ticket_status: record.ticketStatus,
    state: record.state,
    muted: record.muted ? 1 : 0,
    muted_at: record.mutedAt,
    muted_by: record.mutedBy,
    holder_id: record.holderId,
    agent_replied: record.agentReplied ? 1 : 0,
    assignees: JSON.stringify(record.assignees),
    visible_to: JSON.stringify(record.visibleTo),
    tags: JSON.stringify(record.tags),
    unread_count: record.unreadCount,
    unreplied_count: record.unrepliedCount,
    last_message_author: record.lastMessageAuthor,
    last_message_text: record.lastMessageText,
    last_message_at: record.lastMessageAt,
  };
}
