/** Response schemas of contacts, their fields, the tag catalogue and New chat (protocol/contacts.ts). */
import Type, { type Static } from 'typebox';
import {
  CONTACT_FIELD_TYPES,
  type Contact,
  type ContactExport,
  type ContactFieldDefinition,
  type ContactList,
  type ContactNote,
  type ContactSummary,
  type IdentityField,
  type NewChatResponse,
  type TagCatalogue,
} from '../../protocol/contacts.js';
import { Count, IsoDate, Nullable, NullableString, StringEnum, Strings, assertSame } from './common.js';
import { AttachmentSchema, ConversationSummarySchema, ExportedConversationSchema, MessageSchema, VisitorUserDataSchema } from './conversations.js';

export const ContactFieldDefinitionSchema = Type.Object(
  {
    key: Type.String({ description: 'Stable identifier: `[a-z][a-z0-9_]*`, at most 40 characters.' }),
    label: Type.String(),
    type: StringEnum(CONTACT_FIELD_TYPES),
    options: Type.Array(Type.String(), { description: 'Choices of a select field (empty for other types).' }),
    required: Type.Boolean(),
  },
  { title: 'ContactFieldDefinition', additionalProperties: false },
);
assertSame<Static<typeof ContactFieldDefinitionSchema>, ContactFieldDefinition>(true);

export const ContactFieldsSchema = Type.Object({ items: Type.Array(ContactFieldDefinitionSchema) }, { additionalProperties: false });

export const TagCatalogueSchema = Type.Object(
  {
    tags: Type.Array(Type.Object({ name: Type.String(), color: Type.String({ description: '`#rrggbb`.' }) }, { title: 'Tag', additionalProperties: false })),
    freeTags: Type.Boolean({ description: 'When false, only catalogue tags may be applied.' }),
  },
  { title: 'TagCatalogue', additionalProperties: false },
);
assertSame<Static<typeof TagCatalogueSchema>, TagCatalogue>(true);

const IdentityFieldSchema = Type.Object(
  {
    value: NullableString,
    verified: Type.Boolean({ description: 'The site signed it.' }),
    visitorValue: Nullable(Type.String(), { description: "What the visitor's page sent when that differs from the signed value." }),
  },
  { title: 'IdentityField', additionalProperties: false },
);
assertSame<Static<typeof IdentityFieldSchema>, IdentityField>(true);

const contactSummaryProperties = {
  id: Type.String(),
  siteId: Type.String(),
  name: Type.String(),
  email: NullableString,
  phone: NullableString,
  userId: Nullable(Type.String(), { description: "The site's user id, when the site identified this person." }),
  verified: Type.Boolean({ description: "The site vouched for this person's user id (signed)." }),
  conversationCount: Count,
  firstSeenAt: IsoDate,
  lastSeenAt: IsoDate,
  tags: Strings,
  ownerId: Nullable(Type.String(), { description: "The owner: the default assignee of this contact's new conversations." }),
  online: Type.Boolean({ description: 'Live: a widget session of this contact is connected.' }),
};

export const ContactSummarySchema = Type.Object(contactSummaryProperties, { title: 'ContactSummary', additionalProperties: false });
assertSame<Static<typeof ContactSummarySchema>, ContactSummary>(true);

export const ContactNoteSchema = Type.Object(
  { id: Type.Integer(), contactId: Type.String(), agentId: Type.String(), agentName: Type.String(), text: Type.String(), createdAt: IsoDate },
  { title: 'ContactNote', additionalProperties: false },
);
assertSame<Static<typeof ContactNoteSchema>, ContactNote>(true);

/** text/select/date → string, number → number, checkbox → boolean; null = cleared. */
const ContactFieldValueSchema = Type.Unsafe<string | number | boolean | null>({ type: ['string', 'number', 'boolean', 'null'] });

/** Everything on the contact page but its conversations (the export leaves those to its own list). */
const contactPageProperties = {
  ...contactSummaryProperties,
  identity: Type.Object({ userId: IdentityFieldSchema, email: IdentityFieldSchema, name: IdentityFieldSchema }, { additionalProperties: false }),
  userData: VisitorUserDataSchema,
  fields: Type.Record(Type.String(), ContactFieldValueSchema, { description: 'Custom field values by key.' }),
  defaultAssigneeId: NullableString,
  defaultVisibleTo: Type.Array(Type.String(), { description: 'Agents who may see this contact and its new conversations; empty = the whole team.' }),
  notes: Type.Array(ContactNoteSchema),
  sessionCount: Type.Integer({ minimum: 0, description: 'Widget sessions (browsers, devices) joined to this contact.' }),
};

export const ContactSchema = Type.Object(
  {
    ...contactPageProperties,
    conversations: Type.Array(ConversationSummarySchema, { description: 'Newest first; only those the asking agent may see.' }),
  },
  { title: 'Contact', additionalProperties: false },
);
assertSame<Static<typeof ContactSchema>, Contact>(true);

export const ContactListSchema = Type.Object(
  {
    items: Type.Array(ContactSummarySchema),
    next: Type.Optional(Type.String({ description: 'Opaque cursor of the next page; absent on the last page.' })),
  },
  { title: 'ContactList', additionalProperties: false },
);
assertSame<Static<typeof ContactListSchema>, ContactList>(true);

export const ContactExportSchema = Type.Object(
  {
    exportedAt: IsoDate,
    contact: Type.Object(contactPageProperties, { title: 'ExportedContact', additionalProperties: false }),
    conversations: Type.Array(ExportedConversationSchema),
    attachments: Type.Array(AttachmentSchema),
  },
  { title: 'ContactExport', additionalProperties: false },
);
assertSame<Static<typeof ContactExportSchema>, ContactExport>(true);

export const NewChatResponseSchema = Type.Object(
  { conversation: ConversationSummarySchema, message: MessageSchema },
  { title: 'NewChatResponse', additionalProperties: false },
);
assertSame<Static<typeof NewChatResponseSchema>, NewChatResponse>(true);
