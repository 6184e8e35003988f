/** The route table's rows for webhooks, API tokens, AI assist, email and the widget's loader (responses.ts joins the parts). */
import Type from 'typebox';
import type { ApiRoutes } from '../../protocol/api.js';
import { ApiTokenCreatedSchema, ApiTokenSchema } from './api-tokens.js';
import { AssistSettingsSchema, AssistStatusSchema, ConversationDigestSchema, SuggestionListSchema, TranscriptionSchema } from './assist.js';
import { OkSchema } from './common.js';
import { EmailSettingsSchema, InboundEmailResultSchema } from './email.js';
import { WebhookDeliveryPageSchema, WebhookDeliverySchema, WebhookEndpointSchema, WebhookSettingsSchema } from './webhooks.js';

import { type Operation, items } from './operation.js';

/** `GET /api/widget/unread`. */
const WidgetUnreadSchema = Type.Object(
  {
    count: Type.Integer({ minimum: 0, description: 'Bot and agent messages of the conversation the visitor has not read.' }),
    lastId: Type.Integer({ minimum: 0, description: "The conversation's newest message id (0 without one): the chat counts only messages after it." }),
  },
  { title: 'WidgetUnread', additionalProperties: false },
);

export const INTEGRATION_OPERATIONS = {
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
} satisfies Partial<Record<keyof ApiRoutes, Operation>>;
