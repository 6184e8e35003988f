/** Webhook rows ⇄ protocol objects, the deliveries page cursor, and a new delivery's row (services/webhooks.ts). */
import { randomBytes, randomUUID } from 'node:crypto';
import {
  WEBHOOK_EVENTS,
  type WebhookDelivery,
  type WebhookDeliveryStatus,
  type WebhookEndpoint,
  type WebhookEventType,
  type WebhookPayload,
} from '../../protocol/webhooks.js';
import { badRequest } from '../errors.js';
import { json } from '../store/mappers.js';
import type { WebhookDeliveriesTable, WebhookEndpointsTable } from '../store/schema.js';

export const newSecret = (): string => `whsec_${randomBytes(32).toString('base64url')}`;

export function toEndpoint(row: WebhookEndpointsTable): WebhookEndpoint {
  return {
    id: row.id,
    url: row.url,
    events: json<WebhookEventType[]>(row.events, []),
    enabled: row.enabled === 1,
    secret: row.secret,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toDelivery(row: WebhookDeliveriesTable): WebhookDelivery {
  return {
    id: row.id,
    endpointId: row.endpoint_id,
    eventId: row.event_id,
    event: row.event as WebhookEventType,
    status: row.status as WebhookDeliveryStatus,
    attempts: Number(row.attempts),
    responseCode: row.response_code === null ? null : Number(row.response_code),
    error: row.error,
    createdAt: row.created_at,
    lastAttemptAt: row.last_attempt_at,
    nextAttemptAt: row.next_attempt_at,
    deliveredAt: row.delivered_at,
    resendOf: row.resend_of,
    payload: json<WebhookPayload>(row.payload, {} as WebhookPayload),
  };
}

/** The events in the protocol's order, once each; 400 on an empty list. */
export function cleanEvents(events: readonly string[]): WebhookEventType[] {
  const wanted = new Set(events);
  const unknown = [...wanted].find((e) => !(WEBHOOK_EVENTS as readonly string[]).includes(e));
  if (unknown) throw badRequest(`Unknown event ${unknown}`, 'events');
  const clean = WEBHOOK_EVENTS.filter((e) => wanted.has(e));
  if (clean.length === 0) throw badRequest('Choose at least one event', 'events');
  return clean;
}

export function encodeCursor(row: WebhookDeliveriesTable): string {
  return Buffer.from(JSON.stringify([row.created_at, row.id])).toString('base64url');
}

export function decodeCursor(cursor: string): { createdAt: string; id: string } {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as unknown[];
    if (typeof createdAt === 'string' && typeof id === 'string') return { createdAt, id };
  } catch {
    // fall through
  }
  throw badRequest('Invalid cursor');
}

/** A delivery waiting for its first attempt, now (a new event's, or a manual resend of `resendOf`). */
export function freshDelivery(input: {
  endpointId: string;
  eventId: string;
  event: string;
  payload: string;
  now: string;
  resendOf: string | null;
}): WebhookDeliveriesTable {
  return {
    id: `dlv_${randomUUID()}`,
    endpoint_id: input.endpointId,
    event_id: input.eventId,
    event: input.event,
    payload: input.payload,
    status: 'pending',
    attempts: 0,
    next_attempt_at: input.now,
    lease_until: null,
    lease_token: null,
    last_attempt_at: null,
    response_code: null,
    error: null,
    created_at: input.now,
    delivered_at: null,
    resend_of: input.resendOf,
  };
}
