/**
 * Socket.IO event maps, one pair per namespace. Shared by the hub and both clients
 * so that an event name or payload can't drift between them.
 *
 * Conventions: names are `domain:verb`; every request event takes an ack that answers
 * `{ data } | { error: { code, message } }` (see errors.ts). Handlers on the hub run
 * validate → authorise → rule → store → ack → broadcast.
 */
import type { AckCallback } from './errors.js';
import type { InboxFields } from './inbox.js';
import type { TeamMessage, TeamReadPayload, TeamSendPayload, TeamTypingEvent, TeamTypingPayload, TeamUnreadEvent } from './team.js';
import type { ConversationSummary, Message, Note, UserData, Visitor, VisitorConversation } from './types.js';

/** What came with a live conversation update (see AgentServerToClient). */
export interface ConversationChange {
  previous: InboxFields | null;
}

/** The answer to an agent's `message:send` (see AgentClientToServer). */
export interface AgentSent {
  message: Message;
  conversation: ConversationSummary;
  change?: ConversationChange;
}

export const VISITOR_NAMESPACE = '/visitor';
export const AGENT_NAMESPACE = '/agent';

// ---------------------------------------------------------------- /visitor

/**
 * Handshake `auth` of a widget socket. Without `token` (or with one for a visitor that
 * no longer exists) the hub creates a new visitor and hands its token back in `session`.
 * A token with a bad signature is refused with connect_error `unauthorized`; the widget
 * then forgets it and connects anew.
 */
export interface VisitorAuth {
  site: string;
  token?: string;
  userData?: UserData;
  /** BCP-47 tag from the browser, e.g. `en-GB`. */
  language?: string;
}

export interface VisitorSession {
  /** Signed token to present on every later connect (kept in IndexedDB). */
  token: string;
  visitor: Pick<Visitor, 'id' | 'verified'>;
  /** The open conversation, if any. */
  conversation: VisitorConversation | null;
  agentsOnline: boolean;
}

export interface VisitorSendPayload {
  /** Unique per message, chosen by the widget; resends reuse it. */
  clientId: string;
  /** May be empty when the message has attachments. */
  text: string;
  /**
   * Files uploaded first (`POST /api/widget/attachments`, protocol/attachments.ts), at most
   * LIMITS.attachmentsPerMessage: each must be this visitor's, in this conversation, and not sent yet.
   */
  attachmentIds?: string[];
}

export interface VisitorClientToServer {
  /** Send a message; opens a conversation when none is open. Duplicate clientIds are stored once and answered with the stored message. */
  'message:send': (payload: VisitorSendPayload, ack: AckCallback<{ message: Message; conversation: VisitorConversation }>) => void;
  /** The visitor's current conversation after `afterId` (0 = from the start), oldest first, one page of at most LIMITS.historyPage; `more` = ask again from the last id. */
  'messages:since': (payload: { afterId: number }, ack: AckCallback<{ messages: Message[]; conversation: VisitorConversation | null; more: boolean }>) => void;
  /** Replace the stored user data (SMARTLY_USER_DATA changed on the page). */
  'user:update': (payload: { userData: UserData }, ack: AckCallback<{ verified: boolean }>) => void;
  /** The visitor has seen messages up to this id. */
  'messages:read': (payload: { upToId: number }, ack: AckCallback<{ ok: true }>) => void;
  typing: (payload: { typing: boolean }) => void;
}

export interface VisitorServerToClient {
  session: (session: VisitorSession) => void;
  /** A message in the visitor's conversation (bot, agent, system, or the visitor's own from another tab). */
  'message:new': (message: Message) => void;
  /** Handler or state changed (agent joined / left, closed, reopened). */
  'conversation:updated': (conversation: VisitorConversation) => void;
  presence: (presence: { agentsOnline: boolean }) => void;
  'agent:typing': (typing: { typing: boolean; name: string }) => void;
  /** The visitor was deleted by an admin: forget the session and start afresh. */
  'session:reset': () => void;
}

// ---------------------------------------------------------------- /agent

/** Handshake `auth` of a panel socket. */
export interface AgentAuth {
  token: string;
}

export interface AgentSendPayload {
  conversationId: string;
  clientId: string;
  /** May be empty when the message has attachments. */
  text: string;
  /**
   * Files uploaded first (`POST /api/conversations/:id/attachments`, protocol/attachments.ts), at most
   * LIMITS.attachmentsPerMessage: each must be an agent's upload to this conversation, not sent yet.
   */
  attachmentIds?: string[];
}

export interface AgentClientToServer {
  /**
   * Open one conversation live: its new messages (`message:new`), typing and viewers come to the agents watching it;
   * the list follows every visible conversation through `conversation:updated`. Visibility is checked. With `after`
   * (the last message id the panel holds) the ack carries the messages stored since, so that nothing written between
   * loading the conversation (or a lost connection) and watching it is missed.
   */
  'conversation:watch': (payload: { conversationId: string; after?: number }, ack: AckCallback<{ ok: true; messages: Message[] }>) => void;
  'conversation:unwatch': (payload: { conversationId: string }) => void;
  /**
   * Send a message to the visitor. If nobody holds the conversation the sender takes it over
   * (first claim wins); if another agent holds it the answer is `already_claimed`.
   * The sending socket gets its message and the conversation's update in this answer, not as `message:new` and
   * `conversation:updated` (every other socket gets those): `change` is what `conversation:updated` would carry,
   * absent when the send was a resend that changed nothing.
   */
  'message:send': (payload: AgentSendPayload, ack: AckCallback<AgentSent>) => void;
  /** The agent has read the conversation: resets its unread count. */
  'conversation:read': (payload: { conversationId: string }, ack: AckCallback<{ ok: true }>) => void;
  typing: (payload: { conversationId: string; typing: boolean }) => void;
  /** Team chat (protocol/team.ts): send to `team`, `self` or `direct:<agentId>`; stored exactly once per clientId, acked with the stored message. */
  'team:send': (payload: TeamSendPayload, ack: AckCallback<{ message: TeamMessage }>) => void;
  /** The agent has seen the thread up to `upToId`: the hub answers with the thread's unread count (also pushed as `team:unread`). */
  'team:read': (payload: TeamReadPayload, ack: AckCallback<{ count: number }>) => void;
  /** Reaches the thread's other agents as `team:typing`. The ack (optional) answers once it was passed on. */
  'team:typing': (payload: TeamTypingPayload, ack?: AckCallback<{ ok: true }>) => void;
}

export interface AgentServerToClient {
  hello: (hello: { agentId: string; name: string; role: 'admin' | 'agent' }) => void;
  /**
   * A conversation this agent may see was created or changed. `change.previous` is its inbox state
   * before the change (null when it is new), so the panel updates its list, tab counts and tiles
   * from the push alone (protocol/inbox.ts `applyCountChange`), with no REST round trip. Not to the socket whose
   * `message:send` made the change: its ack carries the same summary and change.
   */
  'conversation:updated': (conversation: ConversationSummary, change: ConversationChange) => void;
  /** Deleted, or hidden from this agent: `previous` is its last inbox state, for the counts. */
  'conversation:deleted': (payload: { conversationId: string; visitorId: string; previous: InboxFields | null }) => void;
  /** A new message of a conversation this agent is watching (`conversation:watch`); not to the socket that sent it (its ack has it). */
  'message:new': (message: Message) => void;
  'note:new': (note: Note) => void;
  'visitor:presence': (payload: { visitorId: string; online: boolean }) => void;
  'visitor:typing': (payload: { conversationId: string; typing: boolean }) => void;
  /**
   * Collision: the agents who have this conversation open now, on any hub (sent to them whenever one opens
   * or leaves it). The receiver leaves themselves out.
   */
  'conversation:viewers': (payload: { conversationId: string; viewers: { agentId: string; name: string }[] }) => void;
  /** Collision: another agent is typing a reply in a conversation this agent has open. */
  'conversation:agent-typing': (payload: { conversationId: string; agentId: string; name: string; typing: boolean }) => void;
  'agent:presence': (payload: { agentId: string; online: boolean }) => void;
  /** A team chat message in a thread of this agent (their own included), keyed from this agent's point of view. */
  'team:message': (message: TeamMessage) => void;
  /** Another agent of the thread is typing (or stopped). */
  'team:typing': (typing: TeamTypingEvent) => void;
  /** This agent's unread count of a thread changed (a message arrived, or they read it in another tab). */
  'team:unread': (unread: TeamUnreadEvent) => void;
}
