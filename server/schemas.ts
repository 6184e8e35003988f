/**
 * Runtime schemas (TypeBox) for everything a client sends: socket payloads and REST bodies.
 * The hub validates against these before any rule runs; the widget never imports this file.
 */
import Type, { type Static, type TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { LIMITS } from '../protocol/limits.js';
import { CONTACT_FIELD_TYPES } from '../protocol/contacts.js';
import { ASSIGNMENT_MODES, BOT_STATUSES, CHANNELS, FAQ_TYPES, INBOXES, RESPONDERS, ROLES, TICKET_STATUSES } from '../protocol/types.js';
import { HubError } from './errors.js';
import { storable } from './text.js';

const Id = Type.String({ minLength: 1, maxLength: 64 });
const ClientId = Type.String({ minLength: 1, maxLength: LIMITS.clientId });
const Field = Type.String({ maxLength: LIMITS.userDataField });
const Enum = <const T extends readonly string[]>(values: T) => Type.Union(values.map((v) => Type.Literal(v)));

export const UserDataSchema = Type.Object(
  {
    first_name: Type.Optional(Field),
    last_name: Type.Optional(Field),
    email: Type.Optional(Field),
    phone_number: Type.Optional(Field),
    comments: Type.Optional(Type.String({ maxLength: LIMITS.userComments })),
    user_id: Type.Optional(Field),
    user_hash: Type.Optional(Type.String({ maxLength: 128 })),
    user_jwt: Type.Optional(Type.String({ maxLength: LIMITS.identityToken })),
  },
  { additionalProperties: false },
);

export const VisitorAuthSchema = Type.Object({
  site: Id,
  token: Type.Optional(Type.String({ maxLength: 2048 })),
  userData: Type.Optional(UserDataSchema),
  language: Type.Optional(Type.String({ maxLength: 35 })),
});

/** Uploaded files a message carries (protocol/attachments.ts); their ownership is checked when the message is stored. */
const AttachmentIds = Type.Optional(Type.Array(Id, { maxItems: LIMITS.attachmentsPerMessage }));
/** Text length is checked separately so that an oversized message gets `too_large`, not `bad_request`. */
export const VisitorSendSchema = Type.Object({ clientId: ClientId, text: Type.String(), attachmentIds: AttachmentIds }, { additionalProperties: false });
export const SinceSchema = Type.Object({ afterId: Type.Integer({ minimum: 0 }) });
export const UserUpdateSchema = Type.Object({ userData: UserDataSchema });
export const ReadSchema = Type.Object({ upToId: Type.Integer({ minimum: 0 }) });
export const VisitorTypingSchema = Type.Object({ typing: Type.Boolean() });

export const AgentSendSchema = Type.Object(
  { conversationId: Id, clientId: ClientId, text: Type.String(), attachmentIds: AttachmentIds },
  { additionalProperties: false },
);
export const ConversationRefSchema = Type.Object({ conversationId: Id });
export const WatchSchema = Type.Object({ conversationId: Id, after: Type.Optional(Type.Integer({ minimum: 0 })) });
export const AgentTypingSchema = Type.Object({ conversationId: Id, typing: Type.Boolean() });

// ------------------------------------------------------------------ REST

export const IdParams = Type.Object({ id: Id });
export const LoginBody = Type.Object({
  email: Type.String({ minLength: 3, maxLength: 254 }),
  password: Type.String({ minLength: 1, maxLength: 256 }),
});
export const TicketStatusSchema = Enum(TICKET_STATUSES);
export const BotStatusSchema = Enum(BOT_STATUSES);
export const RoleSchema = Enum(ROLES);
export const FaqTypeSchema = Enum(FAQ_TYPES);

/**
 * `2026-08-07` or an ISO date-time (`2026-08-07T10:30`, seconds, fraction and offset optional), and a
 * real one: the pattern bounds every field (a `T99:99` was a RangeError in the store, a 500) and the
 * refinement checks the day exists in its month (`Date` would roll 30 February over into March).
 */
const DATE_OR_DATE_TIME = /^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,9})?)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)?)?$/;
function isRealDate(value: string): boolean {
  const match = DATE_OR_DATE_TIME.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day && !Number.isNaN(new Date(value).getTime());
}
const DateOrDateTime = Type.Refine(Type.String({ pattern: DATE_OR_DATE_TIME.source }), isRealDate, () => 'must be a real date (YYYY-MM-DD) or ISO date-time');

export const ConversationQuery = Type.Object(
  {
    inbox: Type.Optional(Enum(INBOXES)),
    q: Type.Optional(Type.String({ maxLength: 200 })),
    botStatus: Type.Optional(BotStatusSchema),
    ticketStatus: Type.Optional(TicketStatusSchema),
    language: Type.Optional(Type.String({ maxLength: 35 })),
    channel: Type.Optional(Enum(CHANNELS)),
    tag: Type.Optional(Type.String({ maxLength: LIMITS.tag })),
    contactTag: Type.Optional(Type.String({ maxLength: LIMITS.tag })),
    contactId: Type.Optional(Id),
    from: Type.Optional(DateOrDateTime),
    to: Type.Optional(DateOrDateTime),
    includeOld: Type.Optional(Type.Boolean()),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
    offset: Type.Optional(Type.Integer({ minimum: 0 })),
    counts: Type.Optional(Type.Boolean({ description: 'false: leave out the inbox view counts (they do not depend on the filter). Default true.' })),
  },
  { additionalProperties: false },
);
export const NoteBody = Type.Object({ text: Type.String({ minLength: 1, maxLength: LIMITS.noteText }) });
export const TagsBody = Type.Object({
  tags: Type.Array(Type.String({ minLength: 1, maxLength: LIMITS.tag }), { maxItems: LIMITS.tagsPerConversation }),
});
export const AgentIdsBody = Type.Object({ agentIds: Type.Array(Id, { maxItems: 100 }) });
export const TicketStatusBody = Type.Object({ status: TicketStatusSchema });
export const ClaimBody = Type.Object({ force: Type.Optional(Type.Boolean()) });
export const CloseBody = Type.Object({ ticketStatus: Type.Optional(TicketStatusSchema) });
export const ExportQuery = Type.Object({ format: Type.Optional(Enum(['json', 'text'] as const)) });
export const AfterQuery = Type.Object({ after: Type.Optional(Type.Integer({ minimum: 0 })) });
/** `?refresh=1` (or `true`): recompute instead of answering the cached result (AI assist). */
export const RefreshQuery = Type.Object({ refresh: Type.Optional(Type.Boolean()) });
export const AssistSettingsBody = Type.Object(
  { summary: Type.Optional(Type.Boolean()), suggestions: Type.Optional(Type.Boolean()), transcription: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);

export const FaqBody = Type.Object(
  {
    type: FaqTypeSchema,
    questions: Type.Array(Type.String({ minLength: 1, maxLength: LIMITS.faqQuestion }), {
      minItems: 1,
      maxItems: LIMITS.faqQuestions,
    }),
    answer: Type.String({ minLength: 1, maxLength: LIMITS.faqAnswer }),
    archived: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
/** `POST /api/faqs/import`: the file as text, per content type (any other type is refused by the route). */
const FaqCsv = Type.String({ description: 'Columns type,question,answer; one row per question.' });
export const FaqCsvBody = { content: { 'text/csv': { schema: FaqCsv }, 'application/csv': { schema: FaqCsv } } };
export const FaqTestBody = Type.Object({ text: Type.String({ minLength: 1, maxLength: LIMITS.messageText }) });
export const ArchivedQuery = Type.Object({ archived: Type.Optional(Type.Boolean()) });

const HHMM = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' });
export const TimeWindowSchema = Type.Object({
  days: Type.Array(Type.Integer({ minimum: 0, maximum: 6 }), { minItems: 1, maxItems: 7 }),
  start: HHMM,
  end: HHMM,
});
export const QuickReplyBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    text: Type.String({ minLength: 1, maxLength: LIMITS.faqAnswer }),
    choices: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 80 }), { maxItems: 10 })),
    timezone: Type.String({ minLength: 1, maxLength: 64 }),
    windows: Type.Array(TimeWindowSchema, { maxItems: 20 }),
    enabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export const SettingsBody = Type.Object(
  {
    responderPriority: Type.Optional(Type.Array(Enum(RESPONDERS), { minItems: 1, maxItems: 2 })),
    fallbackText: Type.Optional(Type.String({ minLength: 1, maxLength: 1000 })),
    handoffText: Type.Optional(Type.String({ minLength: 1, maxLength: 1000 })),
    botName: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
    faqThreshold: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
    assignment: Type.Optional(Enum(ASSIGNMENT_MODES)),
    // Up to a week; null: never reassign.
    reassignAfterMinutes: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 10_080 }), Type.Null()])),
    /** The greeting FAQ's answer (protocol/api.ts `BotSettings`). */
    greeting: Type.Optional(Type.String({ minLength: 1, maxLength: LIMITS.faqAnswer })),
  },
  { additionalProperties: false },
);
export const AgentBody = Type.Object(
  {
    email: Type.String({ minLength: 3, maxLength: 254, pattern: '^[^@\\s]+@[^@\\s]+$' }),
    name: Type.String({ minLength: 1, maxLength: 100 }),
    role: RoleSchema,
    password: Type.String({ minLength: 8, maxLength: 256 }),
  },
  { additionalProperties: false },
);
export const AgentPatchBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    role: Type.Optional(RoleSchema),
    password: Type.Optional(Type.String({ minLength: 8, maxLength: 256 })),
    disabled: Type.Optional(Type.Boolean()),
    // 0: never auto-assigned; null: no cap.
    maxOpen: Type.Optional(Type.Union([Type.Integer({ minimum: 0, maximum: 1000 }), Type.Null()])),
    emailOnEscalation: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
/** `PATCH /api/me`: an agent's own preferences. */
export const MePatchBody = Type.Object({ emailOnEscalation: Type.Optional(Type.Boolean()) }, { additionalProperties: false });

export type Infer<T extends TSchema> = Static<T>;

const compiled = new WeakMap<TSchema, ReturnType<typeof Compile>>();

/** Validates an untrusted value; throws `bad_request` naming the first problem. */
export function parse<T extends TSchema>(schema: T, value: unknown): Static<T> {
  let validator = compiled.get(schema);
  if (!validator) {
    validator = Compile(schema);
    compiled.set(schema, validator);
  }
  value = storable(value);
  if (validator.Check(value)) return value as Static<T>;
  const first = [...validator.Errors(value)].find((e) => e.message !== 'schema is false') ?? validator.Errors(value)[0];
  const where = first && 'instancePath' in first && first.instancePath ? ` at ${String(first.instancePath)}` : '';
  throw new HubError('bad_request', `Invalid payload${where}: ${first?.message ?? 'does not match the schema'}`);
}

// ------------------------------------------------------------------ contacts

export const ContactsQuery = Type.Object(
  {
    query: Type.Optional(Type.String({ maxLength: 200 })),
    tag: Type.Optional(Type.String({ maxLength: LIMITS.tag })),
    cursor: Type.Optional(Type.String({ maxLength: 400 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: LIMITS.contactsPage })),
  },
  { additionalProperties: false },
);
const FieldValue = Type.Union([Type.String({ maxLength: 1000 }), Type.Number(), Type.Boolean(), Type.Null()]);
export const ContactPatchBody = Type.Object(
  {
    fields: Type.Optional(Type.Record(Type.String({ maxLength: 40 }), FieldValue, { maxProperties: LIMITS.contactFields })),
    tags: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: LIMITS.tag }), { maxItems: LIMITS.tagsPerContact })),
    defaultAssigneeId: Type.Optional(Type.Union([Id, Type.Null()])),
    defaultVisibleTo: Type.Optional(Type.Array(Id, { maxItems: 100 })),
  },
  { additionalProperties: false },
);
export const MergeBody = Type.Object({ otherId: Id }, { additionalProperties: false });
export const NewChatBody = Type.Object({ text: Type.String(), clientId: Type.Optional(ClientId) }, { additionalProperties: false });
export const ContactFieldsBody = Type.Object(
  {
    items: Type.Array(
      Type.Object(
        {
          key: Type.String({ minLength: 1, maxLength: 40 }),
          label: Type.String({ minLength: 1, maxLength: 80 }),
          type: Enum(CONTACT_FIELD_TYPES),
          options: Type.Array(Type.String({ minLength: 1, maxLength: 80 }), { maxItems: LIMITS.contactFieldOptions }),
          required: Type.Boolean(),
        },
        { additionalProperties: false },
      ),
      { maxItems: LIMITS.contactFields },
    ),
  },
  { additionalProperties: false },
);
export const TagCatalogueBody = Type.Object(
  {
    tags: Type.Array(
      Type.Object({ name: Type.String({ minLength: 1, maxLength: LIMITS.tag }), color: Type.String({ maxLength: 7 }) }, { additionalProperties: false }),
      { maxItems: LIMITS.catalogueTags },
    ),
    freeTags: Type.Boolean(),
  },
  { additionalProperties: false },
);
