/** Response schemas of the webhook admin routes (protocol/webhooks.ts). */
import Type, { type Static } from 'typebox';
import {
  WEBHOOK_DELIVERY_STATUSES,
  WEBHOOK_EVENTS,
  type WebhookDelivery,
  type WebhookDeliveryPage,
  type WebhookEndpoint,
  type WebhookPayload,
  type WebhookSettings,
} from '../../protocol/webhooks.js';
import { Count, IsoDate, Nullable, NullableIsoDate, NullableString, StringEnum, assertSame } from './common.js';

const EventSchema = StringEnum(WEBHOOK_EVENTS);

export const WebhookEndpointSchema = Type.Object(
  {
    id: Type.String(),
    url: Type.String(),
    events: Type.Array(EventSchema),
    enabled: Type.Boolean(),
    secret: Type.String({ description: '`whsec_…`: the HMAC key of the signatures, used as the whole string.' }),
    createdAt: IsoDate,
    updatedAt: IsoDate,
  },
  { title: 'WebhookEndpoint', additionalProperties: false },
);
assertSame<Static<typeof WebhookEndpointSchema>, WebhookEndpoint>(true);

/**
 * The body posted to the endpoint, one shape per event type (protocol/webhooks.ts `WebhookPayload`, README
 * "Webhooks"). Described here as an open object: it embeds messages, conversations and contacts whose own schemas are
 * elsewhere in this document, and it is passed through as stored.
 */
const WebhookPayloadSchema = Type.Unsafe<WebhookPayload>({
  type: 'object',
  title: 'WebhookPayload',
  description: '`{ id, type, createdAt, data }`; `data` per event type as in protocol/webhooks.ts `WebhookEventData`.',
  required: ['id', 'type', 'createdAt', 'data'],
  properties: {
    id: { type: 'string' },
    type: { type: 'string', enum: [...WEBHOOK_EVENTS] },
    createdAt: { type: 'string' },
    data: { type: 'object', additionalProperties: true },
  },
  additionalProperties: true,
});

export const WebhookDeliverySchema = Type.Object(
  {
    id: Type.String(),
    endpointId: Type.String(),
    eventId: Type.String(),
    event: EventSchema,
    status: StringEnum(WEBHOOK_DELIVERY_STATUSES),
    attempts: Count,
    responseCode: Nullable(Type.Integer()),
    error: NullableString,
    createdAt: IsoDate,
    lastAttemptAt: NullableIsoDate,
    nextAttemptAt: NullableIsoDate,
    deliveredAt: NullableIsoDate,
    resendOf: NullableString,
    payload: WebhookPayloadSchema,
  },
  { title: 'WebhookDelivery', additionalProperties: false },
);
assertSame<Static<typeof WebhookDeliverySchema>, WebhookDelivery>(true);

export const WebhookDeliveryPageSchema = Type.Object(
  { items: Type.Array(WebhookDeliverySchema), next: Type.Optional(Type.String({ description: 'Cursor of the next (older) page.' })) },
  { title: 'WebhookDeliveryPage', additionalProperties: false },
);
assertSame<Static<typeof WebhookDeliveryPageSchema>, WebhookDeliveryPage>(true);

export const WebhookSettingsSchema = Type.Object(
  { allowPrivateTargets: Type.Boolean(), allowedByServer: Type.Boolean({ description: 'WEBHOOK_ALLOW_PRIVATE=1 on the hub (admins cannot turn it off).' }) },
  { title: 'WebhookSettings', additionalProperties: false },
);
assertSame<Static<typeof WebhookSettingsSchema>, WebhookSettings>(true);
