/** Runtime schemas (TypeBox) of the webhook routes' bodies and queries (protocol/webhooks.ts). */
import Type from 'typebox';
import { WEBHOOK_EVENTS } from '../protocol/webhooks.js';

const Event = Type.Union(WEBHOOK_EVENTS.map((e) => Type.Literal(e)));
const Url = Type.String({ minLength: 1, maxLength: 2048 });
const Events = Type.Array(Event, { minItems: 1, maxItems: WEBHOOK_EVENTS.length * 2 });

export const WebhookBody = Type.Object({ url: Url, events: Events, enabled: Type.Optional(Type.Boolean()) }, { additionalProperties: false });
export const WebhookPatchBody = Type.Object(
  { url: Type.Optional(Url), events: Type.Optional(Events), enabled: Type.Optional(Type.Boolean()), rotateSecret: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);
export const WebhookSettingsBody = Type.Object({ allowPrivateTargets: Type.Boolean() }, { additionalProperties: false });
export const DeliveriesQuery = Type.Object(
  { cursor: Type.Optional(Type.String({ maxLength: 200 })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })) },
  { additionalProperties: false },
);
