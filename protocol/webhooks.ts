/**
 * Outgoing webhooks: the events the hub posts to admins' HTTPS endpoints, what an endpoint and a delivery look
 * like over the REST API, and the body a receiver gets. See README "Webhooks" for the signature and retries.
 */
import type { BotStatus, Channel, ConversationState, Message, TicketStatus, UserData } from './types.js';

export const WEBHOOK_EVENTS = [
  'conversation.created',
  'conversation.escalated',
  'conversation.claimed',
  'conversation.closed',
  'message.created',
  'contact.created',
  'contact.updated',
  'contact.deleted',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENTS)[number];

export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'sending', 'delivered', 'failed'] as const;
/**
 * `pending`: waiting for its (next) attempt; `sending`: a hub is posting it now (leased for 30 s); `delivered`: the
 * endpoint answered 2xx; `failed`: no 2xx within 24 h of attempts.
 */
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

/** Request headers of every delivery. */
export const WEBHOOK_HEADERS = {
  /** `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" keyed with the endpoint's secret>`. */
  signature: 'Switchboard-Signature',
  /** The event type, e.g. `message.created`. */
  event: 'Switchboard-Event',
  /** The delivery's id: the same on every retry of it (de-duplicate on it); a manual resend gets a new one. */
  delivery: 'Switchboard-Delivery',
} as const;

/** An endpoint as admins see it. The secret is always readable by admins (it is needed to verify signatures). */
export interface WebhookEndpoint {
  id: string;
  url: string;
  events: WebhookEventType[];
  enabled: boolean;
  /** `whsec_…`: the HMAC key, used as the whole string (prefix included). */
  secret: string;
  createdAt: string;
  updatedAt: string;
}

export interface WebhookInput {
  url: string;
  events: WebhookEventType[];
  enabled?: boolean;
}

export interface WebhookPatch {
  url?: string;
  events?: WebhookEventType[];
  enabled?: boolean;
  /** Replace the secret with a new one (deliveries still to be sent are signed with the new one). */
  rotateSecret?: boolean;
}

/** One event sent to one endpoint, and how it went. */
export interface WebhookDelivery {
  id: string;
  endpointId: string;
  /** The event's id, as in the body's `id`: the same in every delivery of that event, resends included. */
  eventId: string;
  event: WebhookEventType;
  status: WebhookDeliveryStatus;
  /** Attempts made so far. */
  attempts: number;
  /** The HTTP status of the last attempt (null: none yet, or no answer: timeout, refused, network error). */
  responseCode: number | null;
  /** Why the last attempt failed (null when it did not). */
  error: string | null;
  createdAt: string;
  lastAttemptAt: string | null;
  /** When the next attempt is due (null once delivered or failed). */
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  /** Set on a manual resend: the delivery it copies. */
  resendOf: string | null;
  /** The body that is (or was) posted. */
  payload: WebhookPayload;
}

export interface WebhookDeliveryPage {
  items: WebhookDelivery[];
  /** Pass as `cursor` for the next (older) page; absent on the last page. */
  next?: string;
}

/** Admin setting; `allowedByServer` is the operator's `WEBHOOK_ALLOW_PRIVATE=1`, which admins can't turn off. */
export interface WebhookSettings {
  /** Let endpoints use plain HTTP and private, loopback or link-local addresses (internal receivers). */
  allowPrivateTargets: boolean;
  allowedByServer: boolean;
}

// ------------------------------------------------------------------ what a receiver gets

/** A conversation as webhooks describe it. */
export interface WebhookConversation {
  id: string;
  contactId: string;
  visitorId: string;
  siteId: string;
  channel: Channel;
  language: string;
  state: ConversationState;
  ticketStatus: TicketStatus;
  botStatus: BotStatus;
  /** The agent handling it (took it over), if any. */
  holderId: string | null;
  assignees: string[];
  tags: string[];
  /** Started by an agent (New chat). */
  outgoing: boolean;
  createdAt: string;
  lastActivityAt: string;
}

/** A contact (the person behind widget sessions) as webhooks describe it. */
export interface WebhookContact {
  id: string;
  siteId: string;
  name: string;
  email: string | null;
  phone: string | null;
  /** The site's user id, when the site signed it. */
  userId: string | null;
  verified: boolean;
  /** What the visitor's page last sent (SMARTLY_USER_DATA), as provided by the visitor. */
  userData: UserData;
  /** Custom field values by key. */
  fields: Record<string, unknown>;
  tags: string[];
  firstSeenAt: string;
  lastSeenAt: string;
}

export interface WebhookAgentRef {
  id: string;
  name: string;
}

export interface WebhookEventData {
  'conversation.created': { conversation: WebhookConversation };
  /** The bot's status became `need_help` (the visitor asked for a person). */
  'conversation.escalated': { conversation: WebhookConversation };
  /** An agent took the conversation over. */
  'conversation.claimed': { conversation: WebhookConversation; agent: WebhookAgentRef };
  'conversation.closed': { conversation: WebhookConversation; agent: WebhookAgentRef };
  /** A visitor, agent or bot message (system lines and private notes are not sent). */
  'message.created': { message: Message; conversation: WebhookConversation };
  'contact.created': { contact: WebhookContact };
  'contact.updated': { contact: WebhookContact };
  /**
   * `erased` by an admin (GDPR), `merged` into `mergedInto`, or `empty`: removed by the hub because nothing was
   * ever written by or about them. Only the id is sent: the person's data is gone.
   */
  'contact.deleted': { contact: { id: string; siteId: string }; reason: 'erased' | 'merged' | 'empty'; mergedInto: string | null };
}

/** The JSON body of a delivery. */
export type WebhookPayload = {
  [K in WebhookEventType]: {
    /** The event's id (`evt_…`): unique per event, the same in each of its deliveries. */
    id: string;
    type: K;
    createdAt: string;
    data: WebhookEventData[K];
  };
}[WebhookEventType];
