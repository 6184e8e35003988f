/** The route table's rows for the inbox, contacts, content, accounts and team chat (responses.ts joins the parts). */
import Type from 'typebox';
import type { ApiRoutes } from '../../protocol/api.js';
import { ErasedSchema, OkSchema } from './common.js';
import {
  AgentSchema,
  MeSchema,
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
import { DEFAULT_ATTACHMENT_TYPES } from '../../protocol/attachments.js';
import { TeamMessagePageSchema, TeamThreadSchema } from './team.js';

import { type Operation, text, items } from './operation.js';

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

export const CORE_OPERATIONS = {
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
  'GET /api/me': { tag: 'auth', summary: 'The signed-in agent', response: MeSchema },
  'PATCH /api/me': {
    tag: 'auth',
    summary: "The signed-in agent's own preferences",
    description: '`emailOnEscalation`: be emailed when a conversation you may see escalates while you are offline.',
    response: MeSchema,
  },

  'GET /api/conversations': {
    tag: 'conversations',
    summary: 'List, search and filter conversations',
    description:
      'Only the conversations this agent may see, with the unreplied count of every inbox view (`counts`). The counts do not depend on the filter: ask with `counts=false` when you have them already.',
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
} satisfies Partial<Record<keyof ApiRoutes, Operation>>;
