/**
 * The hub's REST API as types: one entry per route, `METHOD /path` → request and response.
 * The agent panel's client and the hub's route schemas both follow this table: the response schemas
 * (server/schemas/responses.ts) are checked against it at compile time, and the hub publishes them as an
 * OpenAPI document (`GET /api/openapi.json`, pages at `/api/docs`). Socket.IO events are in events.ts.
 *
 * Every `/api/*` route except `POST /api/auth/login` and the API reference needs `Authorization: Bearer <agent token>`,
 * or an API token (`sbt_…`, api-tokens.ts) holding the route's scope (server/rules/api-tokens.ts) — but
 * `GET /api/widget/unread`, which takes the widget's visitor token (the `token` of the socket's `session` event).
 * Errors answer with an `ErrorBody` (`{ code, message }`) and the matching HTTP status:
 * 400 bad_request, 401 unauthorized, 403 forbidden (role or visibility) / insufficient_scope (an API token), 404 not_found,
 * 409 already_claimed / conflict / feature_disabled / transcription_unavailable, 413 too_large / file_too_large, 415 file_type_not_allowed,
 * 429 rate_limited, 502 provider_unavailable.
 * Exceptions to the agent token: the widget's upload and a file's signed URL (protocol/attachments.ts).
 */
import type {
  Contact,
  ContactExport,
  ContactFieldDefinition,
  ContactList,
  ContactNote,
  ContactPatch,
  NewChatRequest,
  NewChatResponse,
  TagCatalogue,
} from './contacts.js';
import type { ApiToken, ApiTokenCreated, ApiTokenInput } from './api-tokens.js';
import type { AssistSettings, AssistStatus, ConversationDigest, SuggestionList } from './assist.js';
import type { EmailSettings, EmailSettingsInput, InboundEmailResult } from './email.js';
import type { Transcription, UploadedAttachment } from './attachments.js';
import type { TeamMessagePage, TeamThread } from './team.js';
import type { WebhookDelivery, WebhookDeliveryPage, WebhookEndpoint, WebhookInput, WebhookPatch, WebhookSettings } from './webhooks.js';
import type {
  Agent,
  Me,
  ConversationDetail,
  ConversationFilter,
  ConversationSummary,
  DashboardStats,
  Faq,
  FaqType,
  InboxCounts,
  Message,
  Note,
  QuickReply,
  Role,
  Settings,
  Site,
  TicketStatus,
  TimeWindow,
  Visitor,
} from './types.js';

export interface LoginRequest {
  email: string;
  password: string;
}
export interface LoginResponse {
  token: string;
  expiresAt: string;
  agent: Agent;
}

/** The list's query: the filter, and whether to count the inbox views too (default true). */
export interface ConversationListQuery extends ConversationFilter {
  counts?: boolean;
}

export interface ConversationList {
  items: ConversationSummary[];
  /** How many conversations the filter lists (not only this page). */
  total: number;
  /**
   * Present when `total` is only a lower bound (the panel shows "1,000+"): a list counts its conversations up to
   * 1,000, and a search for a common word counts the matches among the latest 500 conversations it may list.
   */
  totalIsLowerBound?: true;
  /**
   * The unreplied count of every inbox view (they do not depend on the filter). Absent when asked with
   * `counts=false`: a panel that holds them already keeps them exact from the live updates, and at a year of
   * traffic counting is the costliest part of the list.
   */
  counts?: InboxCounts;
  /** Ask with `cursor=<next>` for the following page; null on the last page. */
  next: string | null;
}

/** `GET /api/languages`: a visitor language (BCP-47 tag, as the browser sent it) and its number of conversations. */
export interface LanguageCount {
  language: string;
  count: number;
}

export interface FaqInput {
  type: FaqType;
  questions: string[];
  answer: string;
  archived?: boolean;
}
/**
 * The "test FAQ" box: the best match whatever its score, the live threshold, and whether the bot would answer
 * with that FAQ (`match.score >= threshold`; a visitor asking for a human gets the handoff text instead, and a
 * quick reply ranked first in the responder priority may answer before the FAQs).
 */
export interface FaqTestResult {
  match: { faq: Faq; score: number; question: string } | null;
  threshold: number;
  wouldAnswer: boolean;
}
export interface FaqImportResult {
  imported: number;
  errors: { line: number; message: string }[];
}

/**
 * The bot settings screen: the stored `Settings` plus `greeting`, the answer of the greeting FAQ (the one the
 * settings screen last saved, else the first active FAQ of type `greeting`; empty when there is none). Saving a
 * `greeting` changes that FAQ's answer, or creates a greeting FAQ (hello, hi, hey…) when there is none.
 */
export interface BotSettings extends Settings {
  greeting: string;
}

export interface QuickReplyInput {
  name: string;
  text: string;
  choices?: string[];
  timezone: string;
  windows: TimeWindow[];
  enabled?: boolean;
}

export interface AgentInput {
  email: string;
  name: string;
  role: Role;
  password: string;
}
export interface AgentPatch {
  name?: string;
  role?: Role;
  password?: string;
  disabled?: boolean;
  /** Cap on auto-assigned open conversations; null removes the cap. */
  maxOpen?: number | null;
  /** Email the agent about escalations while offline (the agent may change it too: `PATCH /api/me`). */
  emailOnEscalation?: boolean;
}

/** `PATCH /api/me`: what an agent may change about themselves. */
export interface MePatch {
  emailOnEscalation?: boolean;
}

/** `GET /api/visitors/:id/export`: everything stored about one visitor. */
export interface VisitorExport {
  visitor: Visitor;
  conversations: { conversation: ConversationSummary; messages: Message[]; notes: Note[] }[];
  exportedAt: string;
}

/**
 * `GET /api/widget/unread`: what the widget's loader shows on the launcher before the chat has loaded. `count`: the
 * bot and agent messages of the session's conversation the visitor has not read; `lastId`: the conversation's newest
 * message id (0 without one), so that the chat, once loaded, counts only what arrives after it.
 */
export interface WidgetUnread {
  count: number;
  lastId: number;
}

/** `GET /health`: liveness, seconds since start, the event-loop delay (the first sign of an overloaded hub) and memory. */
export interface Health {
  ok: true;
  store: string;
  uptime: number;
  eventLoopDelayMs: { p50: number; p99: number; max: number };
  rssBytes: number;
}

export interface ApiRoutes {
  'GET /health': { response: Health };
  /** The OpenAPI 3.1 description of these routes (public); the reference pages at `/api/docs` render it. */
  'GET /api/openapi.json': { response: Record<string, unknown> };

  'POST /api/auth/login': { body: LoginRequest; response: LoginResponse };
  /** Revokes the token used for the call. */
  'POST /api/auth/logout': { response: { ok: true } };
  'GET /api/me': { response: Me };
  /** The signed-in agent's own preferences (any role). */
  'PATCH /api/me': { body: MePatch; response: Me };

  'GET /api/conversations': { query: ConversationListQuery; response: ConversationList };
  'GET /api/conversations/:id': { response: ConversationDetail };
  /**
   * The visitor languages of the conversations this agent may see (open or closed, within the retention window),
   * most conversations first: the choices of the list's language filter.
   */
  'GET /api/languages': { response: { items: LanguageCount[] } };
  'GET /api/conversations/:id/messages': { query: { after?: number }; response: { messages: Message[] } };
  'POST /api/conversations/:id/notes': { body: { text: string }; response: Note };
  'PUT /api/conversations/:id/tags': { body: { tags: string[] }; response: ConversationSummary };
  'PUT /api/conversations/:id/assignees': { body: { agentIds: string[] }; response: ConversationSummary };
  /** Empty list = whole team. Admin, or an agent who can see the conversation. */
  'PUT /api/conversations/:id/visibility': { body: { agentIds: string[] }; response: ConversationSummary };
  'PUT /api/conversations/:id/ticket-status': { body: { status: TicketStatus }; response: ConversationSummary };
  /** Take over: first claim wins (409 already_claimed otherwise); mutes the bot. `force` (admin only) reassigns. */
  'POST /api/conversations/:id/claim': { body: { force?: boolean }; response: ConversationSummary };
  /** Hand back to the bot: unmutes it. Holder or admin. */
  'POST /api/conversations/:id/release': { response: ConversationSummary };
  'POST /api/conversations/:id/mute': { response: ConversationSummary };
  'POST /api/conversations/:id/unmute': { response: ConversationSummary };
  'POST /api/conversations/:id/close': { body: { ticketStatus?: TicketStatus }; response: ConversationSummary };
  'POST /api/conversations/:id/reopen': { response: ConversationSummary };
  /** Admin only. */
  'DELETE /api/conversations/:id': { response: { ok: true } };
  /** `format=json` (default) → ConversationDetail; `format=text` → plain-text transcript. Sent as an attachment. */
  'GET /api/conversations/:id/export': { query: { format?: 'json' | 'text' }; response: ConversationDetail | string };

  /**
   * Attachments (protocol/attachments.ts has the flow): multipart `file` + `UploadFields`, then `message:send` with
   * `attachmentIds`. Agents: any agent who may see the conversation.
   */
  'POST /api/conversations/:id/attachments': { body: FormData; response: UploadedAttachment };
  /** The widget's upload: `Authorization: Bearer <visitor session token>`, into the visitor's open conversation (opened if none). */
  'POST /api/widget/attachments': { body: FormData; response: UploadedAttachment };
  /** The file's bytes: with the signed URL's `exp` and `sig`, or a Bearer token of someone who may see the conversation. */
  'GET /api/attachments/:id': { query: { exp?: number; sig?: string }; response: string };

  'GET /api/visitors/:id': { response: Visitor };
  'GET /api/visitors/:id/export': { response: VisitorExport };
  /** Admin only: the visitor, all their conversations, messages and notes. */
  'DELETE /api/visitors/:id': { response: { ok: true; conversations: number } };

  /** Search (name, email, phone, user id), newest activity first; only contacts the agent may see. */
  'GET /api/contacts': { query: { query?: string; tag?: string; cursor?: string; limit?: number }; response: ContactList };
  'GET /api/contacts/:id': { response: Contact };
  /** Custom fields, tags, default assignee and default visibility (the last two: admin or the owner). */
  'PATCH /api/contacts/:id': { body: ContactPatch; response: Contact };
  /** Admin only: moves `otherId`'s sessions, conversations, notes, tags and fields into `:id`, then removes `otherId`. */
  'POST /api/contacts/:id/merge': { body: { otherId: string }; response: Contact };
  'GET /api/contacts/:id/export': { response: ContactExport };
  /** Admin only: the contact with every session, conversation, message and note; its widgets reset. */
  'DELETE /api/contacts/:id': { response: { ok: true; conversations: number } };
  'POST /api/contacts/:id/notes': { body: { text: string }; response: ContactNote };
  /** New chat: an outgoing conversation with its first message; the visitor sees it on their next visit. */
  'POST /api/contacts/:id/conversations': { body: NewChatRequest; response: NewChatResponse };

  /** Every agent reads the definitions (to show the fields); admins replace them. */
  'GET /api/contact-fields': { response: { items: ContactFieldDefinition[] } };
  'PUT /api/contact-fields': { body: { items: ContactFieldDefinition[] }; response: { items: ContactFieldDefinition[] } };
  'GET /api/tags': { response: TagCatalogue };
  'PUT /api/tags': { body: TagCatalogue; response: TagCatalogue };

  'GET /api/stats': { response: DashboardStats };

  'GET /api/faqs': { query: { archived?: boolean }; response: { items: Faq[] } };
  'POST /api/faqs': { body: FaqInput; response: Faq };
  'PUT /api/faqs/:id': { body: FaqInput; response: Faq };
  'DELETE /api/faqs/:id': { response: { ok: true } };
  /** CSV columns: type,question,answer — one row per question; rows with the same answer and type form one FAQ. */
  'GET /api/faqs/export.csv': { response: string };
  /** Any agent: a header and example rows in the import format (the answers show the personalisation placeholders). */
  'GET /api/faqs/sample.csv': { response: string };
  'POST /api/faqs/import': { body: string; response: FaqImportResult };
  'POST /api/faqs/test': { body: { text: string }; response: FaqTestResult };

  'GET /api/quick-replies': { response: { items: QuickReply[] } };
  'POST /api/quick-replies': { body: QuickReplyInput; response: QuickReply };
  'PUT /api/quick-replies/:id': { body: QuickReplyInput; response: QuickReply };
  'DELETE /api/quick-replies/:id': { response: { ok: true } };

  'GET /api/settings': { response: BotSettings };
  /** Admin only. A refusal names the `field` at fault (ErrorBody). */
  'PUT /api/settings': { body: Partial<BotSettings>; response: BotSettings };

  /** Every agent may list (for assignment pickers); only admins create, change or remove. */
  'GET /api/agents': { response: { items: Agent[] } };
  'POST /api/agents': { body: AgentInput; response: Agent };
  'PUT /api/agents/:id': { body: AgentPatch; response: Agent };
  'DELETE /api/agents/:id': { response: { ok: true } };

  'GET /api/sites': { response: { items: Site[] } };

  /** Team chat (protocol/team.ts): the team room, notes to self, and this agent's direct threads, with last message and unread count. */
  'GET /api/team/threads': { response: { items: TeamThread[] } };
  /**
   * One page of a thread, newest page first (`before` = an id: the page before it). `:key` is `team`, `self`,
   * `direct:<agentId>` or a thread id; a thread the agent is not part of is 404, for admins too.
   */
  'GET /api/team/threads/:key/messages': { query: { before?: number; limit?: number }; response: TeamMessagePage };

  /** Outgoing webhooks (protocol/webhooks.ts), admin only. A refused URL (not https, a private address) is a 400 on `url`. */
  'GET /api/webhooks': { response: { items: WebhookEndpoint[] } };
  'POST /api/webhooks': { body: WebhookInput; response: WebhookEndpoint };
  'PATCH /api/webhooks/:id': { body: WebhookPatch; response: WebhookEndpoint };
  /** Removes the endpoint and its deliveries (queued ones are dropped). */
  'DELETE /api/webhooks/:id': { response: { ok: true } };
  /** Latest first; `cursor` is the previous page's `next`. */
  'GET /api/webhooks/:id/deliveries': { query: { cursor?: string; limit?: number }; response: WebhookDeliveryPage };
  /** A new delivery of the same event (new delivery id, same body), due now. */
  'POST /api/webhooks/deliveries/:id/resend': { response: WebhookDelivery };
  'GET /api/webhooks/settings': { response: WebhookSettings };
  'PUT /api/webhooks/settings': { body: { allowPrivateTargets: boolean }; response: WebhookSettings };

  /**
   * API tokens (protocol/api-tokens.ts): admins only, signed in — never callable with an API token. The list never
   * holds a secret; creating answers it once. Revoking is immediate and idempotent (the token stays listed, revoked).
   */
  'GET /api/tokens': { response: { items: ApiToken[] } };
  'POST /api/tokens': { body: ApiTokenInput; response: ApiTokenCreated };
  'DELETE /api/tokens/:id': { response: ApiToken };

  /**
   * AI assist (protocol/assist.ts), for agents who may see the conversation (a hidden one is 404). A feature the
   * admin turned off answers 409 `feature_disabled`. `refresh=1` recomputes instead of answering the cached one.
   */
  'GET /api/conversations/:id/summary': { query: { refresh?: boolean }; response: ConversationDigest };
  /** 2–3 suggestions for the visitor's latest message(s); `refresh=1` skips the ones shown last when others fit. */
  'GET /api/conversations/:id/suggestions': { query: { refresh?: boolean }; response: SuggestionList };
  'GET /api/assist/status': { response: AssistStatus };
  'GET /api/assist/settings': { response: AssistSettings };
  /** Admin only: any subset of the switches. */
  'PUT /api/assist/settings': { body: Partial<AssistSettings>; response: AssistSettings };
  /**
   * The text of a voice note (an `audio` attachment), for agents who may see its conversation (hidden: 404). Not audio:
   * 400. Transcription turned off: 409 `feature_disabled`; no provider with AI_TRANSCRIBE_MODEL: 409
   * `transcription_unavailable`; the provider failed: 502 `provider_unavailable`. Cached per hub: asking again is free.
   */
  'POST /api/attachments/:id/transcription': { response: Transcription };
  /** Email continuity (protocol/email.ts), admin only: the switch, the delay, and what the server has configured. */
  'GET /api/email/settings': { response: EmailSettings };
  'PUT /api/email/settings': { body: EmailSettingsInput; response: EmailSettings };
  /**
   * A visitor's email reply, as the raw RFC 822 message (`message/rfc822` or `text/plain`), from the operator's mail
   * system. Authenticated by `Authorization: Bearer <INBOUND_EMAIL_TOKEN>`, not an agent token; 404 while that is unset.
   */
  'POST /api/email/inbound': { body: string; response: InboundEmailResult };
  /** The widget's loader, with the visitor's token (not an agent's): the launcher's unread badge. */
  'GET /api/widget/unread': { response: WidgetUnread };
}
