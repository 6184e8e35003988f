/** Response schemas of conversations, messages, notes, visitors and the dashboard (protocol/types.ts, protocol/api.ts). */
import Type, { type Static } from 'typebox';
import type { ConversationList, LanguageCount, VisitorExport } from '../../protocol/api.js';
import { ATTACHMENT_KINDS, type UploadedAttachment } from '../../protocol/attachments.js';
import {
  BOT_STATUSES,
  CHANNELS,
  CONVERSATION_STATES,
  type Attachment,
  type ConversationDetail,
  type ConversationSummary,
  type DashboardStats,
  INBOXES,
  type InboxCounts,
  MESSAGE_AUTHORS,
  MESSAGE_CHANNELS,
  type Message,
  type Note,
  TICKET_STATUSES,
  type Visitor,
} from '../../protocol/types.js';
import { Count, IsoDate, Nullable, NullableIsoDate, NullableString, StringEnum, Strings, assertSame } from './common.js';

export const ChannelSchema = StringEnum(CHANNELS);
export const MessageAuthorSchema = StringEnum(MESSAGE_AUTHORS);
export const MessageChannelSchema = StringEnum(MESSAGE_CHANNELS, { description: "`email`: a visitor's reply by email; every other message is `webchat`." });

/** `UserData` as the visitor's page sent it, without the signatures. */
export const VisitorUserDataSchema = Type.Object(
  {
    first_name: Type.Optional(Type.String()),
    last_name: Type.Optional(Type.String()),
    email: Type.Optional(Type.String()),
    phone_number: Type.Optional(Type.String()),
    comments: Type.Optional(Type.String()),
    user_id: Type.Optional(Type.String()),
  },
  { title: 'VisitorUserData', additionalProperties: false },
);

export const VisitorSchema = Type.Object(
  {
    id: Type.String(),
    siteId: Type.String(),
    contactId: Type.String({ description: 'The contact this session belongs to.' }),
    userData: VisitorUserDataSchema,
    verified: Type.Boolean({ description: "True only when the site signed this session's user_id." }),
    channel: ChannelSchema,
    language: Type.String(),
    firstSeenAt: IsoDate,
    lastSeenAt: IsoDate,
    online: Type.Boolean({ description: 'Live: a widget socket of this visitor is connected.' }),
  },
  { title: 'Visitor', additionalProperties: false },
);
assertSame<Static<typeof VisitorSchema>, Visitor>(true);

export const AttachmentSchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    size: Type.Integer({ minimum: 0, description: 'Bytes.' }),
    contentType: Type.String({ description: 'Sniffed from the content; the type the file is served with.' }),
    kind: StringEnum(ATTACHMENT_KINDS),
    durationMs: Nullable(Type.Integer({ minimum: 0 })),
    url: Type.String({ description: 'Signed for the reader; expires at urlExpiresAt.' }),
    urlExpiresAt: IsoDate,
  },
  { title: 'Attachment', additionalProperties: false },
);
assertSame<Static<typeof AttachmentSchema>, Attachment>(true);

export const UploadedAttachmentSchema = Type.Object({ attachment: AttachmentSchema }, { title: 'UploadedAttachment', additionalProperties: false });
assertSame<Static<typeof UploadedAttachmentSchema>, UploadedAttachment>(true);

export const MessageSchema = Type.Object(
  {
    id: Type.Integer({ description: 'Increases with every stored message: "after id N" is a total order.' }),
    conversationId: Type.String(),
    clientId: Nullable(Type.String(), { description: "The sender's id for de-duplication; null for bot and system messages." }),
    author: MessageAuthorSchema,
    channel: MessageChannelSchema,
    agentId: Nullable(Type.String(), { description: 'Set when author is agent.' }),
    authorName: NullableString,
    text: Type.String(),
    choices: Type.Array(Type.String(), { description: 'Choices the bot offers as buttons.' }),
    attachments: Type.Array(AttachmentSchema),
    createdAt: IsoDate,
    readAt: NullableIsoDate,
  },
  { title: 'Message', additionalProperties: false },
);
assertSame<Static<typeof MessageSchema>, Message>(true);

export const NoteSchema = Type.Object(
  { id: Type.Integer(), conversationId: Type.String(), agentId: Type.String(), agentName: Type.String(), text: Type.String(), createdAt: IsoDate },
  { title: 'Note', additionalProperties: false },
);
assertSame<Static<typeof NoteSchema>, Note>(true);

export const ConversationSummarySchema = Type.Object(
  {
    id: Type.String(),
    visitorId: Type.String({ description: "The widget session that started it (an outgoing chat: the contact's latest session)." }),
    contactId: Type.String(),
    contactTags: Type.Array(Type.String(), { description: "The contact's tags (the conversation's own are `tags`)." }),
    outgoing: Type.Boolean({ description: 'Started by an agent and not answered by the visitor yet.' }),
    expired: Type.Boolean({ description: "The visitor's last message has waited over 24 h without an agent's reply." }),
    visitor: Type.Object({ name: Type.String(), email: NullableString, verified: Type.Boolean(), online: Type.Boolean() }, { additionalProperties: false }),
    channel: ChannelSchema,
    language: Type.String(),
    createdAt: IsoDate,
    lastActivityAt: IsoDate,
    botStatus: StringEnum(BOT_STATUSES),
    ticketStatus: StringEnum(TICKET_STATUSES),
    state: StringEnum(CONVERSATION_STATES),
    muted: Type.Boolean(),
    mutedAt: NullableIsoDate,
    mutedBy: NullableString,
    unmuteAt: Nullable(IsoDate, { description: 'When the hub will unmute the bot by itself.' }),
    holderId: Nullable(Type.String(), { description: 'The agent who took the conversation over; null = the bot handles it.' }),
    holderName: NullableString,
    assignees: Strings,
    visibleTo: Type.Array(Type.String(), { description: 'Empty = the whole team may see it.' }),
    tags: Strings,
    unreadCount: Count,
    unrepliedCount: Count,
    lastMessage: Nullable(Type.Object({ author: MessageAuthorSchema, text: Type.String(), createdAt: IsoDate }, { additionalProperties: false })),
  },
  { title: 'ConversationSummary', additionalProperties: false },
);
assertSame<Static<typeof ConversationSummarySchema>, ConversationSummary>(true);

export const ConversationDetailSchema = Type.Object(
  { conversation: ConversationSummarySchema, visitor: VisitorSchema, messages: Type.Array(MessageSchema), notes: Type.Array(NoteSchema) },
  { title: 'ConversationDetail', additionalProperties: false },
);
assertSame<Static<typeof ConversationDetailSchema>, ConversationDetail>(true);

/** Per inbox view (INBOXES), the unreplied visitor messages in it: an object with one count per view. */
export const InboxCountsSchema = Type.Unsafe<Record<(typeof INBOXES)[number], number>>({
  title: 'InboxCounts',
  description: 'Per inbox view, the unreplied visitor messages in it.',
  type: 'object',
  properties: Object.fromEntries(INBOXES.map((inbox) => [inbox, { type: 'integer', minimum: 0 }])),
  required: [...INBOXES],
  additionalProperties: false,
});
assertSame<Static<typeof InboxCountsSchema>, InboxCounts>(true);

export const ConversationListSchema = Type.Object(
  {
    items: Type.Array(ConversationSummarySchema),
    total: Count,
    totalIsLowerBound: Type.Optional(
      Type.Literal(true, {
        description:
          'Present when `total` is a lower bound: a list counts its conversations up to 1,000, and a search for a common word counts the matches among the latest 500 conversations only.',
      }),
    ),
    counts: Type.Optional(InboxCountsSchema),
    next: Nullable(Type.String({ description: 'The cursor of the following page; null on the last one.' })),
  },
  { title: 'ConversationList', additionalProperties: false },
);
assertSame<Static<typeof ConversationListSchema>, ConversationList>(true);

export const LanguageCountSchema = Type.Object(
  { language: Type.String({ description: 'BCP-47 tag, as the browser sent it.' }), count: Count },
  { title: 'LanguageCount', additionalProperties: false },
);
assertSame<Static<typeof LanguageCountSchema>, LanguageCount>(true);

export const DashboardStatsSchema = Type.Object(
  {
    assignedToMe: Type.Integer({ description: 'Open conversations I hold or am assigned to.' }),
    myUnreplied: Type.Integer({ description: 'Unreplied visitor messages in those.' }),
    unassigned: Type.Integer({ description: 'Open conversations nobody holds or is assigned to.' }),
    totalUnreplied: Type.Integer({ description: 'Unreplied visitor messages in every open conversation I may see.' }),
  },
  { title: 'DashboardStats', additionalProperties: false },
);
assertSame<Static<typeof DashboardStatsSchema>, DashboardStats>(true);

/** One conversation of an export: the summary, every message and every note. */
export const ExportedConversationSchema = Type.Object(
  { conversation: ConversationSummarySchema, messages: Type.Array(MessageSchema), notes: Type.Array(NoteSchema) },
  { title: 'ExportedConversation', additionalProperties: false },
);

export const VisitorExportSchema = Type.Object(
  { visitor: VisitorSchema, conversations: Type.Array(ExportedConversationSchema), exportedAt: IsoDate },
  { title: 'VisitorExport', additionalProperties: false },
);
assertSame<Static<typeof VisitorExportSchema>, VisitorExport>(true);
