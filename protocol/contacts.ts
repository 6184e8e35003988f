/**
 * Contacts: the person behind one or more widget sessions (visitors) and their conversations,
 * with what the team keeps about them (custom fields, catalogue tags, notes, routing rules).
 */
import type { Attachment, ConversationSummary, IsoDate, Message, Note, UserData } from './types.js';

export const CONTACT_FIELD_TYPES = ['text', 'number', 'date', 'select', 'checkbox'] as const;
export type ContactFieldType = (typeof CONTACT_FIELD_TYPES)[number];

/** An admin-defined field agents fill in about a contact. Values are stored by `key`. */
export interface ContactFieldDefinition {
  /** Stable identifier: `[a-z][a-z0-9_]*`, at most 40 characters. */
  key: string;
  label: string;
  type: ContactFieldType;
  /** Choices of a `select` field (empty for other types). */
  options: string[];
  required: boolean;
}

/** text/select/date (`YYYY-MM-DD`) → string, number → number, checkbox → boolean; null clears. */
export type ContactFieldValue = string | number | boolean | null;

/** A catalogue tag. Tags are applied by name to contacts and conversations. */
export interface Tag {
  name: string;
  /** `#rrggbb`. */
  color: string;
}

export interface TagCatalogue {
  tags: Tag[];
  /** When false, only catalogue tags may be applied. */
  freeTags: boolean;
}

/**
 * One identity value and who vouches for it. `verified`: the site signed it (identity JWT, or the
 * legacy `user_hash` for user_id). `visitorValue`: what the visitor's page sent when that differs
 * from the signed value — a change made after verification, which agents must not trust.
 */
export interface IdentityField {
  value: string | null;
  verified: boolean;
  visitorValue: string | null;
}

/** One row of the contacts list. */
export interface ContactSummary {
  id: string;
  siteId: string;
  name: string;
  email: string | null;
  phone: string | null;
  /** The site's user id, when the site identified this person. */
  userId: string | null;
  /** The site vouched for this person's user id (signed). */
  verified: boolean;
  conversationCount: number;
  firstSeenAt: IsoDate;
  lastSeenAt: IsoDate;
  tags: string[];
  /** The owner: the default assignee of this contact's new conversations. */
  ownerId: string | null;
  /** Live: a widget session of this contact is connected. */
  online: boolean;
}

export interface ContactNote {
  id: number;
  contactId: string;
  agentId: string;
  agentName: string;
  text: string;
  createdAt: IsoDate;
}

/** `GET /api/contacts/:id`: everything an agent sees on the contact page. */
export interface Contact extends ContactSummary {
  identity: { userId: IdentityField; email: IdentityField; name: IdentityField };
  /** SMARTLY_USER_DATA as the visitor's page last sent it (read-only, provided by the visitor). */
  userData: Omit<UserData, 'user_hash' | 'user_jwt'>;
  fields: Record<string, ContactFieldValue>;
  defaultAssigneeId: string | null;
  /** Agents who may see this contact and its new conversations; empty = the whole team. */
  defaultVisibleTo: string[];
  notes: ContactNote[];
  /** Newest first; only those the asking agent may see. */
  conversations: ConversationSummary[];
  /** Widget sessions (browsers, devices) joined to this contact. */
  sessionCount: number;
}

export interface ContactList {
  items: ContactSummary[];
  /** Opaque cursor of the next page; absent on the last page. */
  next?: string;
}

export interface ContactPatch {
  fields?: Record<string, ContactFieldValue>;
  tags?: string[];
  defaultAssigneeId?: string | null;
  defaultVisibleTo?: string[];
}

/** `GET /api/contacts/:id/export` (GDPR): everything stored about one person. */
export interface ContactExport {
  exportedAt: IsoDate;
  contact: Omit<Contact, 'conversations'>;
  conversations: { conversation: ConversationSummary; messages: Message[]; notes: Note[] }[];
  attachments: Attachment[];
}

/** `POST /api/contacts/:id/conversations`: an agent starts an outgoing chat. */
export interface NewChatRequest {
  text: string;
  clientId?: string;
}
export interface NewChatResponse {
  conversation: ConversationSummary;
  message: Message;
}
