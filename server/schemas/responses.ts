/**
 * Every REST route's answer: one row per `ApiRoutes` key (protocol/api.ts) with its response schema, status, tag and
 * summary. A route takes its row with `doc('METHOD /path')` (`schema: { params, body, ...doc(…) }`), which adds the
 * error body for 4xx and 5xx. Fastify serialises the answers with these schemas and @fastify/swagger builds the
 * OpenAPI document from them (plugins/openapi.ts).
 *
 * Two compile-time checks keep the table honest: a row for every route of `ApiRoutes` and no other (`satisfies`),
 * and each row's schema describes exactly the route's `response` type (`Mismatched` below must be `never`).
 */
import Type, { type Static, type TSchema } from 'typebox';
import type { ApiRoutes } from '../../protocol/api.js';
import { type ScopeDecision, ROUTE_SCOPES } from '../rules/api-tokens.js';
import { ApiTokenCreatedSchema, ApiTokenSchema } from './api-tokens.js';
import { AssistSettingsSchema, AssistStatusSchema, ConversationDigestSchema, SuggestionListSchema, TranscriptionSchema } from './assist.js';
import { ErasedSchema, ErrorBodySchema, OkSchema, type Same } from './common.js';
import {
  AgentSchema,
  BotSettingsSchema,
  FaqImportResultSchema,
  FaqSchema,
  FaqTestResultSchema,
  LoginResponseSchema,
  QuickReplySchema,
  SiteSchema,
} from './admin.js';
import {
  ContactExportSchema,
  ContactFieldsSchema,
  ContactListSchema,
  ContactNoteSchema,
  ContactSchema,
  NewChatResponseSchema,
  TagCatalogueSchema,
} from './contacts.js';
import {
  ConversationDetailSchema,
  ConversationListSchema,
  ConversationSummarySchema,
  DashboardStatsSchema,
  LanguageCountSchema,
  MessageSchema,
  NoteSchema,
  UploadedAttachmentSchema,
  VisitorExportSchema,
  VisitorSchema,
} from './conversations.js';
import { EmailSettingsSchema, InboundEmailResultSchema } from './email.js';
import { DEFAULT_ATTACHMENT_TYPES } from '../../protocol/attachments.js';
import { TeamMessagePageSchema, TeamThreadSchema } from './team.js';
import { WebhookDeliveryPageSchema, WebhookDeliverySchema, WebhookEndpointSchema, WebhookSettingsSchema } from './webhooks.js';

/** The document's tags: one per area, as in the README's route table. */
export const TAGS = {
  auth: 'Sign in and out; the signed-in agent.',
  conversations: 'The inbox: list, search and filters, one conversation, notes, tags, assignment, status, take-over, export.',
  contacts: 'The people behind the widget sessions: fields, tags, notes, merge, GDPR export and erase, New chat.',
  visitors: 'Widget sessions: profile, export, erase.',
  attachments:
    'Files, images and voice notes: upload first (multipart), then send the message with `attachmentIds` over the socket; ' +
    'read them through the signed URL a message carries.',
  bot: 'FAQs (and their CSV files), quick replies, bot settings.',
  team: 'Agents, sites and the dashboard tiles.',
  'team chat': 'Agents talking among themselves (sending is on the socket, `team:send`).',
  webhooks: 'Outgoing webhooks (admin only): endpoints, deliveries, resend, the private-targets setting.',
  'api tokens': 'Scoped, revocable tokens for server-to-server use (admin only, signed in: an API token cannot manage tokens).',
  assist: "AI assist for agents: a conversation's summary, reply suggestions, voice-note transcription, and the admin's switches.",
  email: 'Email continuity: unseen agent replies emailed to visitors, their replies by email threaded back (README "Email continuity").',
  widget: "What the widget's loader asks before the chat has loaded, with the visitor's session token.",
  ops: 'Health, and this document.',
} as const;
export type Tag = keyof typeof TAGS;

/** A response that is not JSON, or not only: its schema per content type. */
interface ContentResponse {
  description: string;
  content: Record<string, { schema: TSchema }>;
}

interface Operation {
  tag: Tag;
  summary: string;
  description?: string;
  /** The success status (200 unless it creates something). */
  status?: 201;
  /** Answers without a bearer token. */
  public?: true;
  /** Other credentials than the agent token (OpenAPI security requirements: any one of them). */
  security?: Record<string, string[]>[];
  /** Takes the widget's visitor token (security scheme `visitorToken`), not an agent's. */
  visitor?: true;
  response: TSchema | ContentResponse;
}

const text = <const C extends string>(contentType: C, description: string) => ({
  description,
  content: { [contentType]: { schema: Type.String() } } as { [K in C]: { schema: ReturnType<typeof Type.String> } },
});

const items = <T extends TSchema>(schema: T) => Type.Object({ items: Type.Array(schema) }, { additionalProperties: false });

/** `GET /health`: liveness and the event-loop delay. */
const HealthSchema = Type.Object(
  {
    ok: Type.Literal(true),
    store: Type.String({ description: '`sqlite` or `postgres`.' }),
    uptime: Type.Number({ description: 'Seconds since the hub started.' }),
    eventLoopDelayMs: Type.Object({ p50: Type.Number(), p99: Type.Number(), max: Type.Number() }, { additionalProperties: false }),
    rssBytes: Type.Number(),
  },
  { title: 'Health', additionalProperties: false },
);

/** `GET /api/widget/unread`. */
const WidgetUnreadSchema = Type.Object(
  {
    count: Type.Integer({ minimum: 0, description: 'Bot and agent messages of the conversation the visitor has not read.' }),
    lastId: Type.Integer({ minimum: 0, description: "The conversation's newest message id (0 without one): the chat counts only messages after it." }),
  },
  { title: 'WidgetUnread', additionalProperties: false },
);

export const OPERATIONS = {
  'GET /health': { tag: 'ops', summary: 'Liveness, uptime and event-loop delay', public: true, response: HealthSchema },
  'GET /api/openapi.json': {
    tag: 'ops',
    summary: 'This OpenAPI document',
    description: 'Public: it describes the API, not its data. The reference pages at `/api/docs` render it.',
    public: true,
    response: Type.Record(Type.String(), Type.Unknown(), { description: 'An OpenAPI 3.1 document.' }),
  },

  'POST /api/auth/login': {
    tag: 'auth',
    summary: 'Sign in',
    description: 'Answers a bearer token for every other /api call. Rate-limited per address; repeated failures are throttled per account.',
    public: true,
    response: LoginResponseSchema,
  },
  'POST /api/auth/logout': { tag: 'auth', summary: 'Sign out', description: 'Revokes the token used for the call.', response: OkSchema },
  'GET /api/me': { tag: 'auth', summary: 'The signed-in agent', response: AgentSchema },
  'PATCH /api/me': {
    tag: 'auth',
    summary: "The signed-in agent's own preferences",
    description: '`emailOnEscalation`: be emailed when a conversation you may see escalates while you are offline.',
    response: AgentSchema,
  },

  'GET /api/conversations': {
    tag: 'conversations',
    summary: 'List, search and filter conversations',
    description: 'Only the conversations this agent may see, with the unreplied count of every inbox view.',
    response: ConversationListSchema,
  },
  'GET /api/conversations/:id': { tag: 'conversations', summary: 'One conversation: summary, visitor, messages, notes', response: ConversationDetailSchema },
  'GET /api/languages': {
    tag: 'conversations',
    summary: 'Visitor languages',
    description: 'The visitor languages of the conversations this agent may see, most conversations first: the choices of the language filter.',
    response: items(LanguageCountSchema),
  },
  'GET /api/conversations/:id/messages': {
    tag: 'conversations',
    summary: 'Messages after an id',
    response: Type.Object({ messages: Type.Array(MessageSchema) }, { additionalProperties: false }),
  },
  'POST /api/conversations/:id/notes': { tag: 'conversations', summary: 'Add a private note', status: 201, response: NoteSchema },
  'PUT /api/conversations/:id/tags': { tag: 'conversations', summary: "Replace the conversation's tags", response: ConversationSummarySchema },
  'PUT /api/conversations/:id/assignees': { tag: 'conversations', summary: 'Replace the assignees', response: ConversationSummarySchema },
  'PUT /api/conversations/:id/visibility': {
    tag: 'conversations',
    summary: 'Restrict who may see the conversation',
    description: 'Empty list = the whole team. Admin, or an agent who can see the conversation.',
    response: ConversationSummarySchema,
  },
  'PUT /api/conversations/:id/ticket-status': { tag: 'conversations', summary: 'Set the ticket status', response: ConversationSummarySchema },
  'POST /api/conversations/:id/claim': {
    tag: 'conversations',
    summary: 'Take over',
    description: 'First claim wins (409 already_claimed otherwise); mutes the bot. `force` (admin only) reassigns.',
    response: ConversationSummarySchema,
  },
  'POST /api/conversations/:id/release': {
    tag: 'conversations',
    summary: 'Hand back to the bot',
    description: 'Unmutes the bot. Holder or admin.',
    response: ConversationSummarySchema,
  },
  'POST /api/conversations/:id/mute': { tag: 'conversations', summary: 'Mute the bot', response: ConversationSummarySchema },
  'POST /api/conversations/:id/unmute': { tag: 'conversations', summary: 'Unmute the bot', response: ConversationSummarySchema },
  'POST /api/conversations/:id/close': { tag: 'conversations', summary: 'Close', response: ConversationSummarySchema },
  'POST /api/conversations/:id/reopen': { tag: 'conversations', summary: 'Reopen', response: ConversationSummarySchema },
  'DELETE /api/conversations/:id': { tag: 'conversations', summary: 'Delete a conversation (admin)', response: OkSchema },
  'GET /api/conversations/:id/export': {
    tag: 'conversations',
    summary: 'Download a conversation',
    description: '`format=json` (default): the conversation detail; `format=text`: a plain-text transcript. Sent as an attachment.',
    response: {
      description: 'The conversation, as JSON or as a plain-text transcript',
      content: { 'application/json': { schema: ConversationDetailSchema }, 'text/plain': { schema: Type.String() } },
    },
  },

  'POST /api/conversations/:id/attachments': {
    tag: 'attachments',
    summary: 'Upload a file to a conversation',
    description:
      'Multipart: one `file` part and the text fields `clientId` (required; a retry with the same one answers the stored ' +
      'file), `durationMs` and `kind` (voice notes). Any agent who may see the conversation; closed: 409. The type is ' +
      'sniffed from the bytes and checked against the allow-list: 415 `file_type_not_allowed`; over the size limit: 413 ' +
      '`file_too_large`. Then send a message with `attachmentIds` (socket `message:send`).',
    status: 201,
    response: UploadedAttachmentSchema,
  },
  'POST /api/widget/attachments': {
    tag: 'attachments',
    summary: "The widget's upload (visitor session token)",
    description:
      "As the agents' upload, with the widget session's token as the Bearer: the file goes into the visitor's open " +
      'conversation, which the upload opens when there is none (as a first message would). Rate-limited per visitor.',
    status: 201,
    security: [{ visitorToken: [] }] as Record<string, string[]>[],
    response: UploadedAttachmentSchema,
  },
  'GET /api/attachments/:id': {
    tag: 'attachments',
    summary: "A file's bytes",
    description:
      'With `exp` and `sig` as in the signed `url` a message carries (no header needed; 401 when invalid or expired), or ' +
      'a Bearer token: an agent who may see the conversation, or its visitor. Images are served inline, anything else as a ' +
      'download; always `nosniff` and a sandboxing Content-Security-Policy. `Range` answers 206.',
    security: [{ bearerAuth: [] }, { visitorToken: [] }, {}] as Record<string, string[]>[],
    response: {
      description: 'The bytes, with the type sniffed at upload (`application/octet-stream` for anything a browser could run)',
      content: Object.fromEntries(
        [...DEFAULT_ATTACHMENT_TYPES, 'application/octet-stream'].map((type) => [type, { schema: Type.String({ description: 'The file.' }) }]),
      ),
    },
  },

  'GET /api/visitors/:id': { tag: 'visitors', summary: 'A widget session', response: VisitorSchema },
  'GET /api/visitors/:id/export': { tag: 'visitors', summary: 'Everything stored about one visitor', response: VisitorExportSchema },
  'DELETE /api/visitors/:id': {
    tag: 'visitors',
    summary: "Erase the session's contact (admin)",
    description: 'Kept for existing integrations: erases the person behind the session, like `DELETE /api/contacts/:id`.',
    response: ErasedSchema,
  },

  'GET /api/contacts': {
    tag: 'contacts',
    summary: 'Search contacts',
    description: 'By name, email, phone or user id, newest activity first; only contacts the agent may see. Page with `cursor` = the previous `next`.',
    response: ContactListSchema,
  },
  'GET /api/contacts/:id': { tag: 'contacts', summary: 'A contact page', response: ContactSchema },
  'PATCH /api/contacts/:id': {
    tag: 'contacts',
    summary: 'Edit fields, tags and routing',
    description: 'Custom fields and tags: any agent who sees the contact; default assignee and default visibility: admin or the owner.',
    response: ContactSchema,
  },
  'POST /api/contacts/:id/merge': {
    tag: 'contacts',
    summary: 'Merge another contact into this one (admin)',
    description: "Moves `otherId`'s sessions, conversations, notes, tags and fields into `:id`, then removes `otherId`.",
    response: ContactSchema,
  },
  'GET /api/contacts/:id/export': { tag: 'contacts', summary: 'Everything stored about one person (GDPR)', response: ContactExportSchema },
  'DELETE /api/contacts/:id': {
    tag: 'contacts',
    summary: 'Erase a contact (admin)',
    description: 'The contact with every session, conversation, message and note; its widgets reset.',
    response: ErasedSchema,
  },
  'POST /api/contacts/:id/notes': { tag: 'contacts', summary: 'Add a note about the contact', status: 201, response: ContactNoteSchema },
  'POST /api/contacts/:id/conversations': {
    tag: 'contacts',
    summary: 'New chat',
    description: 'An outgoing conversation with its first message; the visitor sees it on their next visit.',
    status: 201,
    response: NewChatResponseSchema,
  },
  'GET /api/contact-fields': { tag: 'contacts', summary: 'Custom field definitions', response: ContactFieldsSchema },
  'PUT /api/contact-fields': { tag: 'contacts', summary: 'Replace the custom field definitions (admin)', response: ContactFieldsSchema },
  'GET /api/tags': { tag: 'contacts', summary: 'The tag catalogue', response: TagCatalogueSchema },
  'PUT /api/tags': { tag: 'contacts', summary: 'Replace the tag catalogue (admin)', response: TagCatalogueSchema },

  'GET /api/stats': { tag: 'team', summary: 'Dashboard tiles', response: DashboardStatsSchema },

  'GET /api/faqs': { tag: 'bot', summary: 'FAQs', response: items(FaqSchema) },
  'POST /api/faqs': { tag: 'bot', summary: 'Create a FAQ (admin)', status: 201, response: FaqSchema },
  'PUT /api/faqs/:id': { tag: 'bot', summary: 'Replace a FAQ (admin)', response: FaqSchema },
  'DELETE /api/faqs/:id': { tag: 'bot', summary: 'Delete a FAQ (admin)', response: OkSchema },
  'GET /api/faqs/export.csv': {
    tag: 'bot',
    summary: 'FAQs as CSV',
    response: text('text/csv', 'Columns type,question,answer: one row per question; rows with the same answer and type form one FAQ.'),
  },
  'GET /api/faqs/sample.csv': {
    tag: 'bot',
    summary: 'A sample CSV in the import format',
    response: text('text/csv', 'A header and example rows (the answers show the personalisation placeholders).'),
  },
  'POST /api/faqs/import': {
    tag: 'bot',
    summary: 'Import FAQs from CSV (admin)',
    description: 'Send the file as `text/csv` in the import format (see the sample). Rows in error are reported and skipped.',
    response: FaqImportResultSchema,
  },
  'POST /api/faqs/test': {
    tag: 'bot',
    summary: 'Test FAQ: would the bot answer this?',
    description: 'The best match whatever its score, the live threshold, and whether the bot would answer with that FAQ.',
    response: FaqTestResultSchema,
  },

  'GET /api/quick-replies': { tag: 'bot', summary: 'Quick replies', response: items(QuickReplySchema) },
  'POST /api/quick-replies': { tag: 'bot', summary: 'Create a quick reply (admin)', status: 201, response: QuickReplySchema },
  'PUT /api/quick-replies/:id': { tag: 'bot', summary: 'Replace a quick reply (admin)', response: QuickReplySchema },
  'DELETE /api/quick-replies/:id': { tag: 'bot', summary: 'Delete a quick reply (admin)', response: OkSchema },

  'GET /api/settings': { tag: 'bot', summary: 'Bot settings, with the greeting', response: BotSettingsSchema },
  'PUT /api/settings': {
    tag: 'bot',
    summary: 'Change bot settings (admin)',
    description: 'Any subset of the settings. A refusal names the `field` at fault.',
    response: BotSettingsSchema,
  },

  'GET /api/agents': { tag: 'team', summary: 'Agents', description: 'Every agent may list (for assignment pickers).', response: items(AgentSchema) },
  'POST /api/agents': { tag: 'team', summary: 'Create an agent (admin)', status: 201, response: AgentSchema },
  'PUT /api/agents/:id': { tag: 'team', summary: 'Change an agent (admin)', response: AgentSchema },
  'DELETE /api/agents/:id': { tag: 'team', summary: 'Remove an agent (admin)', response: OkSchema },

  'GET /api/sites': { tag: 'team', summary: 'Sites', response: items(SiteSchema) },

  'GET /api/team/threads': {
    tag: 'team chat',
    summary: "This agent's threads",
    description: "The team room, notes to self, and this agent's direct threads, with last message and unread count.",
    response: items(TeamThreadSchema),
  },
  'GET /api/team/threads/:key/messages': {
    tag: 'team chat',
    summary: 'One page of a thread',
    description:
      'Newest page first (`before` = an id: the page before it). `:key` is `team`, `self`, `direct:<agentId>` or a thread id; ' +
      'a thread the agent is not part of is 404, for admins too.',
    response: TeamMessagePageSchema,
  },
  'GET /api/webhooks': { tag: 'webhooks', summary: 'The endpoints', response: items(WebhookEndpointSchema) },
  'POST /api/webhooks': { tag: 'webhooks', summary: 'Add an endpoint', status: 201, response: WebhookEndpointSchema },
  'PATCH /api/webhooks/:id': { tag: 'webhooks', summary: 'Change an endpoint (or rotate its secret)', response: WebhookEndpointSchema },
  'DELETE /api/webhooks/:id': { tag: 'webhooks', summary: 'Remove an endpoint', response: OkSchema },
  'GET /api/webhooks/:id/deliveries': { tag: 'webhooks', summary: "An endpoint's deliveries, latest first", response: WebhookDeliveryPageSchema },
  'POST /api/webhooks/deliveries/:id/resend': {
    tag: 'webhooks',
    summary: 'Send a delivery again (a new delivery id)',
    status: 201,
    response: WebhookDeliverySchema,
  },
  'GET /api/webhooks/settings': { tag: 'webhooks', summary: 'The private-targets setting', response: WebhookSettingsSchema },
  'PUT /api/webhooks/settings': { tag: 'webhooks', summary: 'Allow or refuse private targets', response: WebhookSettingsSchema },

  'GET /api/tokens': {
    tag: 'api tokens',
    summary: 'The API tokens',
    description: 'Newest first, revoked and expired ones too; never a secret.',
    response: items(ApiTokenSchema),
  },
  'POST /api/tokens': {
    tag: 'api tokens',
    summary: 'Create an API token',
    description: 'Answers the secret (`sbt_…`) this once: the hub keeps only its hash. `expiresInDays` (1–365) is optional.',
    status: 201,
    response: ApiTokenCreatedSchema,
  },
  'DELETE /api/tokens/:id': {
    tag: 'api tokens',
    summary: 'Revoke an API token',
    description: 'At once, on every hub: the next request with it answers 401. The token stays listed, revoked.',
    response: ApiTokenSchema,
  },
  'GET /api/conversations/:id/summary': {
    tag: 'assist',
    summary: "The conversation's summary",
    description:
      'Available from `minMessages` messages on. Written by the provider when one is configured (AI_MODEL), else (or when it fails) ' +
      'built by the hub from the messages (`source: extractive`). Cached until a new message; `refresh=1` recomputes. ' +
      '409 `feature_disabled` when an admin turned summaries off.',
    response: ConversationDigestSchema,
  },
  'GET /api/conversations/:id/suggestions': {
    tag: 'assist',
    summary: "Reply suggestions for the visitor's latest message",
    description:
      'Up to 3, from the FAQ answers, the quick replies, the team’s past answers to similar questions and (with a provider) the AI. ' +
      'Only fill the composer: nothing is sent. `refresh=1` prefers others than those shown last. 409 `feature_disabled` when turned off.',
    response: SuggestionListSchema,
  },
  'GET /api/assist/status': { tag: 'assist', summary: 'What the panel may offer now', response: AssistStatusSchema },
  'GET /api/assist/settings': { tag: 'assist', summary: 'The assist switches', response: AssistSettingsSchema },
  'PUT /api/assist/settings': {
    tag: 'assist',
    summary: 'Turn assist features on or off (admin)',
    description: 'Any subset of the switches.',
    response: AssistSettingsSchema,
  },
  'POST /api/attachments/:id/transcription': {
    tag: 'assist',
    summary: 'Transcribe a voice note',
    description:
      'The text of an `audio` attachment, written by the provider’s speech-to-text model (AI_TRANSCRIBE_MODEL). Any agent who ' +
      'may see the conversation (hidden: 404); not audio: 400. 409 `feature_disabled` when an admin turned transcription off, ' +
      '409 `transcription_unavailable` when the hub has no provider with a transcription model, 502 `provider_unavailable` ' +
      'when the provider failed. Cached per hub: asking again answers the same text without calling the provider.',
    response: TranscriptionSchema,
  },
  'GET /api/email/settings': { tag: 'email', summary: 'Email settings and what the server has configured (admin)', response: EmailSettingsSchema },
  'PUT /api/email/settings': {
    tag: 'email',
    summary: 'Change the email settings (admin)',
    description: 'Any subset of `enabled`, `delayMinutes` (1–1440) and `chatUrl` (an http(s) URL, or null).',
    response: EmailSettingsSchema,
  },
  'POST /api/email/inbound': {
    tag: 'email',
    summary: "A visitor's email reply (raw RFC 822)",
    description:
      "For the operator's mail system: the raw message as `message/rfc822` or `text/plain` (1 MB at most), with " +
      '`Authorization: Bearer <INBOUND_EMAIL_TOKEN>` (not an agent token; 404 while INBOUND_EMAIL_TOKEN is unset). ' +
      'The reply address `reply+<token>@<INBOUND_EMAIL_DOMAIN>` names the conversation; the From address must be the ' +
      "contact's email. Refusals: 401 (token), 404 (no such reply address), 403 (another sender), 400 (no reply address, " +
      'empty after the quoted history is cut, an automatic reply).',
    public: true,
    response: InboundEmailResultSchema,
  },
  'GET /api/widget/unread': {
    tag: 'widget',
    summary: "The visitor's unread count",
    description:
      "`Authorization: Bearer <visitor token>` (the widget's session token, not an agent's: an agent token answers 401). " +
      "For the launcher's badge before the chat has loaded: the bot and agent messages of the session's conversation the visitor has not read. " +
      "Rate-limited per address like every request; the page must be one of the site's allowed origins.",
    visitor: true,
    response: WidgetUnreadSchema,
  },
} satisfies Record<keyof ApiRoutes, Operation>;

type Operations = typeof OPERATIONS;
export type RouteKey = keyof Operations;

/** The static type of a row's answer (every content type's, for a row that has several). */
type Answer<R> = R extends { content: infer C }
  ? { [M in keyof C]: C[M] extends { schema: infer S extends TSchema } ? Static<S> : never }[keyof C]
  : R extends TSchema
    ? Static<R>
    : never;

/** Routes whose schema and protocol type differ: must be `never` (`true` below then type-checks). */
type Mismatched = { [K in RouteKey]: Same<Answer<Operations[K]['response']>, ApiRoutes[K]['response']> extends true ? never : K }[RouteKey];
export const responsesMatchProtocol: [Mismatched] extends [never] ? true : Mismatched = true;

/** `getConversationsByIdMessages` for `GET /api/conversations/:id/messages`: stable, unique, derived from the route. */
export function operationId(method: string, url: string): string {
  const words = url
    .replace(/^\/api(?=\/)/, '')
    .split(/[/.-]/)
    .filter(Boolean)
    .map((word) => (word.startsWith(':') ? `By${capitalise(word.slice(1))}` : capitalise(word)));
  return `${method.toLowerCase()}${words.join('')}`;
}
const capitalise = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

type Status<R> = R extends { status: 201 } ? 201 : 200;
type Responses<K extends RouteKey> = { [S in Status<Operations[K]>]: Operations[K]['response'] } & {
  '4xx': typeof ErrorBodySchema;
  '5xx': typeof ErrorBodySchema;
};

/** Who may call an operation, as OpenAPI `security`: an agent token, and an API token holding the route's scope. */
type Security = Record<string, string[]>[];
function security(decision: ScopeDecision): Security {
  if (decision === 'public') return [];
  if (decision === 'never') return [{ bearerAuth: [] }];
  return [{ bearerAuth: [] }, { apiToken: decision === 'any' ? [] : [decision] }];
}
function scopeNote(decision: ScopeDecision): string {
  if (decision === 'public') return '';
  if (decision === 'never') return 'Not callable with an API token.';
  if (decision === 'any') return 'API tokens: any scope.';
  return `API tokens: needs the \`${decision}\` scope.`;
}

/** A route's documentation and response schemas, from its row: spread into the route's `schema`. */
export function doc<K extends RouteKey>(
  key: K,
): { tags: string[]; summary: string; description?: string; operationId: string; security: Security; response: Responses<K> } {
  const operation: Operation = OPERATIONS[key];
  const [method = '', url = ''] = key.split(' ');
  const decision = ROUTE_SCOPES[key];
  const description = [operation.description, scopeNote(decision)].filter(Boolean).join('\n\n');
  // `public` in the scope table: the agent-token check does not run (no auth at all, or the route's own: a visitor
  // token, a signed URL, the inbound-email token), which the row says with `public` or its own `security`.
  if (Boolean(operation.public || operation.security) !== (decision === 'public')) throw new Error(`${key}: public in one table and not in the other`);
  return {
    tags: [operation.tag],
    summary: operation.summary,
    ...(description ? { description } : {}),
    operationId: operationId(method, url),
    security: operation.public ? [] : operation.visitor ? [{ visitorToken: [] }] : (operation.security ?? security(decision)),
    response: {
      [operation.status ?? 200]: described(operation.response, operation.status === 201 ? 'Created' : 'OK'),
      '4xx': CLIENT_ERROR,
      '5xx': SERVER_ERROR,
    } as unknown as Responses<K>,
  };
}

/**
 * The response's description in the document (@fastify/swagger reads `x-response-description`; the serialiser
 * ignores it). One object per schema and description, so that the serialiser compiles each once (schemas/serializer.ts).
 */
function described(response: TSchema | ContentResponse, description: string): TSchema | ContentResponse {
  if ('content' in response) return response;
  const copies = describedCopies.get(response) ?? new Map<string, TSchema>();
  describedCopies.set(response, copies);
  const copy = copies.get(description) ?? ({ ...response, 'x-response-description': description } as TSchema);
  copies.set(description, copy);
  return copy;
}
const describedCopies = new WeakMap<TSchema, Map<string, TSchema>>();
const CLIENT_ERROR = described(ErrorBodySchema, 'Refused: an ErrorBody `{ code, message, field? }`');
const SERVER_ERROR = described(ErrorBodySchema, 'The hub failed: `{ code: "internal", message }`');
