/**
 * Domain types shared by the hub, the widget and the agent panel.
 *
 * Types, plus the few value lists they are derived from (the status vocabularies): the hub's
 * TypeBox schemas (server/schemas.ts) are built from the same lists, so a status can't be added
 * in one place and forgotten in another. The widget imports this file with `import type` only.
 */
import type { AttachmentRef } from './attachments.js';

/** ISO-8601 timestamp string, e.g. `2026-08-10T09:30:00.000Z`. */
export type IsoDate = string;

export const ROLES = ['admin', 'agent'] as const;
export const CHANNELS = ['webchat'] as const;
export const BOT_STATUSES = ['ok', 'not_understood', 'need_help'] as const;
export const TICKET_STATUSES = ['new', 'active', 'pending', 'resolved', 'inactive'] as const;
export const CONVERSATION_STATES = ['open', 'closed'] as const;
export const MESSAGE_AUTHORS = ['visitor', 'bot', 'agent', 'system'] as const;
/** How a message reached the hub: the widget (every message but a visitor's email reply), or an email reply. */
export const MESSAGE_CHANNELS = ['webchat', 'email'] as const;
export const FAQ_TYPES = ['greeting', 'general', 'closing', 'filler'] as const;
/**
 * The inbox views (protocol/inbox.ts says what each holds). Status views hold open conversations by ticket status,
 * outgoing ones excepted (they wait in Outgoing until the visitor answers).
 */
export const INBOXES = ['new', 'active', 'pending', 'expired', 'outgoing', 'inactive', 'closed', 'mine', 'unassigned', 'all'] as const;
export const RESPONDERS = ['faq', 'quick_reply'] as const;
/** How the hub hands new and escalated conversations to agents (`off`: it doesn't). */
export const ASSIGNMENT_MODES = ['off', 'round_robin', 'balanced'] as const;

export type Role = (typeof ROLES)[number];
export type Channel = (typeof CHANNELS)[number];
export type BotStatus = (typeof BOT_STATUSES)[number];
export type TicketStatus = (typeof TICKET_STATUSES)[number];
export type ConversationState = (typeof CONVERSATION_STATES)[number];
export type MessageAuthor = (typeof MESSAGE_AUTHORS)[number];
export type MessageChannel = (typeof MESSAGE_CHANNELS)[number];
export type FaqType = (typeof FAQ_TYPES)[number];
export type Inbox = (typeof INBOXES)[number];
export type Responder = (typeof RESPONDERS)[number];
export type AssignmentMode = (typeof ASSIGNMENT_MODES)[number];

/** What a site owner puts in `window.SMARTLY_USER_DATA` (every field optional). */
export interface UserData {
  first_name?: string;
  last_name?: string;
  email?: string;
  phone_number?: string;
  comments?: string;
  /** The site's own id for this user; with `user_hash` it makes the identity verified. */
  user_id?: string;
  /** Legacy: hex HMAC-SHA256 of `user_id` keyed with the site's identity secret (verifies user_id only). */
  user_hash?: string;
  /**
   * Signed identity: a JWT (HS256, keyed with the site's identity secret) whose claims `user_id`
   * (required), `email` and `name` the site vouches for. Only the claims it holds show as verified.
   */
  user_jwt?: string;
}

export interface Visitor {
  id: string;
  siteId: string;
  /** The contact this session belongs to. */
  contactId: string;
  userData: Omit<UserData, 'user_hash' | 'user_jwt'>;
  /** True only when the site signed this session's user_id (`user_jwt` or `user_hash`). */
  verified: boolean;
  channel: Channel;
  language: string;
  firstSeenAt: IsoDate;
  lastSeenAt: IsoDate;
  /** Live: at least one widget socket of this visitor is connected. */
  online: boolean;
}

/** A message's file (protocol/attachments.ts has the upload flow). */
export type Attachment = AttachmentRef;

export interface Message {
  /** Server id: increases with every stored message, so "after id N" is a total order. */
  id: number;
  conversationId: string;
  /** The sender's id for de-duplication; null for bot and system messages. */
  clientId: string | null;
  author: MessageAuthor;
  /** `email`: the visitor answered an email (README "Email continuity"); every other message is `webchat`. */
  channel: MessageChannel;
  /** Set when author is `agent`. */
  agentId: string | null;
  /** Display name of the author at send time (agent's name, bot name). */
  authorName: string | null;
  text: string;
  /** Choices the bot offers as buttons (quick replies). */
  choices: string[];
  attachments: Attachment[];
  createdAt: IsoDate;
  readAt: IsoDate | null;
}

export interface Note {
  id: number;
  conversationId: string;
  agentId: string;
  agentName: string;
  text: string;
  createdAt: IsoDate;
}

/** The agent's view of a conversation: everything the customers view and filters need. */
export interface ConversationSummary {
  id: string;
  /** The widget session that started it (or, for an outgoing chat, the contact's latest session). */
  visitorId: string;
  /** The person: every conversation of a contact shows on the contact page. */
  contactId: string;
  /** The contact's tags (the conversation's own are `tags`). */
  contactTags: string[];
  /** Started by an agent and not answered by the visitor yet. */
  outgoing: boolean;
  /** The visitor's last message has waited over 24 h without an agent's reply (set by the hub's sweep). */
  expired: boolean;
  visitor: {
    name: string;
    email: string | null;
    verified: boolean;
    online: boolean;
  };
  channel: Channel;
  language: string;
  createdAt: IsoDate;
  lastActivityAt: IsoDate;
  botStatus: BotStatus;
  ticketStatus: TicketStatus;
  state: ConversationState;
  muted: boolean;
  mutedAt: IsoDate | null;
  mutedBy: string | null;
  /** When the hub will unmute the bot by itself (mutedAt + mute window). */
  unmuteAt: IsoDate | null;
  /** The agent who took the conversation over (one at a time); null = the bot handles it. */
  holderId: string | null;
  holderName: string | null;
  assignees: string[];
  /** Empty = the whole team may see it. */
  visibleTo: string[];
  tags: string[];
  /** Visitor messages no agent has opened yet. */
  unreadCount: number;
  /** Visitor messages since the last agent reply (bot answers do not count as replies). */
  unrepliedCount: number;
  lastMessage: { author: MessageAuthor; text: string; createdAt: IsoDate } | null;
}

/** The visitor's view of their conversation: no internal fields. */
export interface VisitorConversation {
  id: string;
  state: ConversationState;
  /** Who answers now: the bot, or the agent who took over. */
  handler: { kind: 'bot' } | { kind: 'agent'; name: string };
  createdAt: IsoDate;
}

export interface Agent {
  id: string;
  email: string;
  name: string;
  role: Role;
  disabled: boolean;
  createdAt: IsoDate;
  /** Live: the agent has a panel connected. */
  online: boolean;
  /** Most open conversations auto-assignment gives this agent (null: no cap; 0: never auto-assigned). */
  maxOpen: number | null;
  /** Email this agent when a conversation they may see escalates (the bot's `need_help`) while they are offline. */
  emailOnEscalation: boolean;
}

/** The signed-in agent (`GET /api/me`), with what their own settings depend on. */
export interface Me extends Agent {
  /** The hub sends email (its SMTP_URL is set): escalation emails can go out. */
  mailEnabled: boolean;
}

export interface Faq {
  id: string;
  type: FaqType;
  questions: string[];
  answer: string;
  archived: boolean;
  updatedAt: IsoDate;
}

/** A weekly time window in a time zone, e.g. Mon–Fri 18:00–09:00 Europe/Paris (wraps midnight). */
export interface TimeWindow {
  /** 0 = Sunday … 6 = Saturday, the day the window starts on. */
  days: number[];
  /** "HH:MM", 24 h. */
  start: string;
  end: string;
}

export interface QuickReply {
  id: string;
  name: string;
  text: string;
  /** Buttons offered with the reply. */
  choices: string[];
  timezone: string;
  windows: TimeWindow[];
  enabled: boolean;
  updatedAt: IsoDate;
}

export interface Settings {
  /** Order in which the responders are tried. */
  responderPriority: Responder[];
  fallbackText: string;
  handoffText: string;
  botName: string;
  /** Minimum FAQ match score (0..1) to answer. */
  faqThreshold: number;
  /**
   * Auto-assignment of new and escalated conversations to online agents: `round_robin` (least recently
   * assigned first), `balanced` (fewest open conversations first) or `off`.
   */
  assignment: AssignmentMode;
  /** A conversation whose assignees have all been offline this long goes to an online agent; null: never. */
  reassignAfterMinutes: number | null;
}

/** The dashboard tiles: for you (assigned to me, my unreplied messages) and the team (unassigned, unreplied messages). */
export interface DashboardStats {
  /** Open conversations I hold or am assigned to. */
  assignedToMe: number;
  /** Unreplied visitor messages in those. */
  myUnreplied: number;
  /** Open conversations nobody holds or is assigned to. */
  unassigned: number;
  /** Unreplied visitor messages in every open conversation I may see. */
  totalUnreplied: number;
}

/** Per view, the unreplied visitor messages in it (the number shown next to each inbox tab). */
export type InboxCounts = Record<Inbox, number>;

export interface ConversationFilter {
  inbox?: Inbox;
  /** Searches visitor names and emails and the text of every message. */
  q?: string;
  botStatus?: BotStatus;
  ticketStatus?: TicketStatus;
  language?: string;
  channel?: Channel;
  tag?: string;
  /** Conversations of contacts with this tag. */
  contactTag?: string;
  /** Conversations of one contact. */
  contactId?: string;
  /** Inclusive range on *last* activity (ISO date or date-time). */
  from?: string;
  to?: string;
  /** Include conversations older than the retention window (default views hide them). */
  includeOld?: boolean;
  limit?: number;
  /** The `next` of the previous page (keyset pagination: stable while conversations move, fast at any depth). */
  cursor?: string;
  /** Deprecated: rows to skip (slow on deep pages); use `cursor`. */
  offset?: number;
}

export interface ConversationDetail {
  conversation: ConversationSummary;
  visitor: Visitor;
  messages: Message[];
  notes: Note[];
}

export interface Site {
  id: string;
  name: string;
  /** Origins allowed to load the widget for this site; `*` allows any. */
  allowedOrigins: string[];
}
