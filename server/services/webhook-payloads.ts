/** How webhooks describe a conversation and a contact (protocol/webhooks.ts), from the store's rows. */
import type { Message, UserData } from '../../protocol/types.js';
import type { WebhookAgentRef, WebhookContact, WebhookConversation, WebhookEventType } from '../../protocol/webhooks.js';
import { type ConversationRecord, json } from '../store/mappers.js';
import type { ContactsTable } from '../store/schema.js';
import { contactName } from './views.js';
import type { WebhookEvent } from './webhooks.js';

export function webhookConversation(record: ConversationRecord): WebhookConversation {
  return {
    id: record.id,
    contactId: record.contactId,
    visitorId: record.visitorId,
    siteId: record.siteId,
    channel: record.channel,
    language: record.language,
    state: record.state,
    ticketStatus: record.ticketStatus,
    botStatus: record.botStatus,
    holderId: record.holderId,
    assignees: record.assignees,
    tags: record.tags,
    outgoing: record.outgoing,
    createdAt: record.createdAt,
    lastActivityAt: record.lastActivityAt,
  };
}

export function webhookContact(row: ContactsTable, tags: string[]): WebhookContact {
  return {
    id: row.id,
    siteId: row.site_id,
    name: contactName(row),
    email: row.email,
    phone: row.phone,
    userId: row.user_id,
    verified: row.user_id !== null,
    userData: json<UserData>(row.user_data, {}),
    fields: json<Record<string, unknown>>(row.fields, {}),
    tags,
    firstSeenAt: row.first_seen_at,
    lastSeenAt: row.last_seen_at,
  };
}

/** A conversation event; `agent` says who claimed or closed it. */
export function conversationEvent(type: 'conversation.created' | 'conversation.escalated', record: ConversationRecord): WebhookEvent;
export function conversationEvent(type: 'conversation.claimed' | 'conversation.closed', record: ConversationRecord, agent: WebhookAgentRef): WebhookEvent;
export function conversationEvent(type: WebhookEventType, record: ConversationRecord, agent?: WebhookAgentRef): WebhookEvent {
  const conversation = () => webhookConversation(record);
  const by = { id: agent?.id ?? '', name: agent?.name ?? '' };
  switch (type) {
    case 'conversation.claimed':
    case 'conversation.closed':
      return { type, data: () => ({ conversation: conversation(), agent: by }) };
    default:
      return { type: type as 'conversation.created' | 'conversation.escalated', data: () => ({ conversation: conversation() }) };
  }
}

/** A visitor, agent or bot message. */
export function messageEvent(message: Message, record: ConversationRecord): WebhookEvent {
  return { type: 'message.created', data: () => ({ message, conversation: webhookConversation(record) }) };
}
