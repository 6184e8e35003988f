/**
 * The panel's DOM events, in one place and one naming convention.
 *
 * - Public events (`switchboard-*`) are for the host page (a CRM): dispatched from the
 *   `<switchboard-agent-panel>` element with bubbles + composed. They are the panel's API.
 * - Internal events (`sb-*`) run between the panel's own components: dispatched with
 *   `composed: false`, so they stay inside the shadow root where they were fired and never reach
 *   the page. Child components do not call the hub themselves: they fire an intent
 *   (`sb-conversation-action`, `sb-admin-action`, `sb-contact-action`) and the panel's controllers run it, so
 *   every REST call and every state change goes through one place (controllers/inbox.ts, controllers/admin.ts,
 *   controllers/contacts.ts).
 */
import type { AgentInput, AgentPatch, BotSettings, FaqInput, QuickReplyInput } from '../protocol/api.js';
import type { ApiTokenInput } from '../protocol/api-tokens.js';
import type { AssistSettings } from '../protocol/assist.js';
import type { ContactFieldDefinition, ContactPatch, TagCatalogue } from '../protocol/contacts.js';
import type { BotStatus, ConversationFilter, Responder, TicketStatus } from '../protocol/types.js';
import type { WebhookInput, WebhookPatch } from '../protocol/webhooks.js';
import type { EmailSettingsInput } from '../protocol/email.js';

/** Detail of the public events, by name. */
export interface PanelEventMap {
  'switchboard-conversation-selected': { conversationId: string };
  'switchboard-unread-changed': { total: number };
  'switchboard-escalation': { conversationId: string; botStatus: BotStatus };
}

/** What an agent asked for in the conversation view or its side panel. */
export type ConversationIntent =
  | { action: 'claim'; conversationId: string; force: boolean }
  | { action: 'release' | 'mute' | 'unmute' | 'reopen'; conversationId: string }
  /** `ticketStatus`: the outcome chosen in the close dialog. */
  | { action: 'close'; conversationId: string; ticketStatus: TicketStatus }
  | { action: 'ticket-status'; conversationId: string; status: TicketStatus }
  | { action: 'tags'; conversationId: string; tags: string[] }
  | { action: 'assignees' | 'visibility'; conversationId: string; agentIds: string[] }
  | { action: 'note'; conversationId: string; text: string }
  /** A reply; the panel adds the conversation's attached files (`attachmentIds`) once each is stored. */
  | { action: 'send'; conversationId: string; text: string; attachmentIds?: string[] }
  | { action: 'typing'; conversationId: string; typing: boolean }
  | { action: 'download'; conversationId: string; visitorId: string; kind: DownloadKind }
  | { action: 'delete-visitor'; visitorId: string }
  /** Admin only, after the confirmation dialog. */
  | { action: 'delete-conversation'; conversationId: string }
  /** Custom fields or tags of the open conversation's contact; `scope` says where the outcome is shown. */
  | { action: 'contact'; contactId: string; patch: ContactPatch; scope: ContactScope };

/** The side panel's forms whose outcome (the hub's refusal, or "Saved") is shown next to them. */
export type ContactScope = 'fields' | 'tags' | 'conversation-tags';

export type DownloadKind = 'json' | 'text' | 'user';

export type AdminScreen = 'faqs' | 'quick-replies' | 'settings' | 'agents' | 'contact-fields' | 'tags' | 'webhooks' | 'email' | 'api-tokens';

/** An admin form whose refusals by the hub are shown next to the field at fault. */
export type AdminForm = 'settings' | 'quick-reply' | 'webhook' | 'email' | 'api-token';

/** What an admin asked for on the admin screens; `success` is the status line shown when the hub accepts it. */
export type AdminIntent =
  | { action: 'screen'; screen: AdminScreen }
  | { action: 'faqs-archived'; show: boolean }
  | { action: 'faq-save'; id: string | null; input: FaqInput; success: string }
  | { action: 'faq-test'; text: string }
  | { action: 'faq-import'; csv: string }
  | { action: 'faq-export' }
  | { action: 'faq-sample' }
  | { action: 'quick-reply-save'; id: string | null; input: QuickReplyInput; success: string }
  | { action: 'quick-reply-delete'; id: string }
  | { action: 'priority'; order: Responder[] }
  /** Hub settings: the bot's (settings screen) or auto-assignment's; `success` is the status line's message. */
  | { action: 'settings-save'; changes: Partial<BotSettings>; success?: string }
  | { action: 'agent-add'; input: AgentInput }
  | { action: 'agent-patch'; id: string; patch: AgentPatch; success: string }
  | { action: 'agent-remove'; id: string }
  /** Replaces every contact field definition (the list's order is the form's order). */
  | { action: 'contact-fields-save'; items: ContactFieldDefinition[] }
  | { action: 'tags-save'; catalogue: TagCatalogue }
  /** Webhooks: add (`id` null) or change an endpoint from its form; other changes (enable, rotate the secret). */
  | { action: 'webhook-save'; id: string | null; input: WebhookInput; success: string }
  | { action: 'webhook-patch'; id: string; patch: WebhookPatch; success: string }
  | { action: 'webhook-delete'; id: string }
  /** Show an endpoint's deliveries (latest first), or the next older page (`more`), or refresh them. */
  | { action: 'webhook-deliveries'; id: string; more?: boolean }
  | { action: 'webhook-resend'; endpointId: string; deliveryId: string }
  | { action: 'webhook-settings'; allowPrivateTargets: boolean }
  /** API tokens: create one (its secret is then on screen until dismissed), revoke one (after the confirmation dialog). */
  | { action: 'api-token-create'; input: ApiTokenInput }
  | { action: 'api-token-revoke'; id: string }
  /** The admin stored the new secret: it leaves the screen for good. */
  | { action: 'api-token-secret-done' }
  /** AI assist's switches (Settings screen). */
  | { action: 'assist-settings'; changes: Partial<AssistSettings> }
  /** Email continuity: the switch, the delay, the chat page of the link. */
  | { action: 'email-save'; changes: EmailSettingsInput; success: string }
  /** A form the component could not read (e.g. a time window): shown as an error, nothing is sent. */
  | { action: 'report'; message: string };

/** What an agent asked for on the contacts screen or a contact page; `success` is the status line shown when the hub accepts it. */
export type ContactIntent =
  /** The screen opened: (re)load the tag catalogue, the field definitions, the list and the open contact. */
  | { action: 'load' }
  | { action: 'search'; query: string; tag: string }
  | { action: 'more' }
  | { action: 'open'; contactId: string }
  | { action: 'close' }
  | { action: 'patch'; contactId: string; patch: ContactPatch; success: string }
  | { action: 'note'; contactId: string; text: string }
  | { action: 'new-chat'; contactId: string; text: string }
  | { action: 'open-conversation'; conversationId: string }
  | { action: 'export'; contactId: string }
  /** Admin: contacts to merge into the open one. */
  | { action: 'merge-search'; query: string }
  | { action: 'merge'; contactId: string; otherId: string }
  | { action: 'delete'; contactId: string };

/** AI assist in the conversation view: ask the hub again (a new summary, other suggestions). */
export type AssistIntent = { action: 'refresh-summary' | 'refresh-suggestions'; conversationId: string };

/**
 * Files in the composer and voice notes' transcripts (controllers/attachments.ts): attach files (picked, dropped,
 * pasted, or a recording: `kind: 'audio'` with its length), take one back out, transcribe a voice note.
 */
export type FilesIntent =
  | { action: 'attach'; conversationId: string; files: File[]; kind?: 'audio'; durationMs?: number }
  | { action: 'remove'; key: string }
  | { action: 'transcribe'; attachmentId: string };

/** An intent plus `reply`, which the handler calls with the outcome (true: the hub accepted it). */
export type IntentDetail<T> = T & { reply: (ok: boolean) => void };

/** Detail of the internal events, by name. */
export interface InternalEventMap {
  'sb-filter-change': { filter: ConversationFilter };
  'sb-open': { conversationId: string };
  /** The conversation list wants its next page (infinite scroll). */
  'sb-load-more': null;
  'sb-back': Record<string, never>;
  'sb-conversation-action': IntentDetail<ConversationIntent>;
  'sb-admin-action': IntentDetail<AdminIntent>;
  'sb-contact-action': IntentDetail<ContactIntent>;
  'sb-assist-action': IntentDetail<AssistIntent>;
  'sb-files-action': IntentDetail<FilesIntent>;
  /** A reply suggestion was chosen: the conversation view puts its text in the composer (nothing is sent). */
  'sb-assist-use': { text: string };
}

/** Fires an internal event: it bubbles within the shadow root it was fired in and stops there. */
export function emitInternal<K extends keyof InternalEventMap>(from: EventTarget, name: K, detail: InternalEventMap[K]): boolean {
  return from.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: false, cancelable: true }));
}

type IntentEvent = 'sb-conversation-action' | 'sb-admin-action' | 'sb-contact-action' | 'sb-assist-action' | 'sb-files-action';
type IntentOf<K extends IntentEvent> = K extends 'sb-conversation-action'
  ? ConversationIntent
  : K extends 'sb-admin-action'
    ? AdminIntent
    : K extends 'sb-assist-action'
      ? AssistIntent
      : K extends 'sb-files-action'
        ? FilesIntent
        : ContactIntent;

/**
 * Fires an intent and resolves with its outcome. The handler calls `preventDefault()` to take it and
 * `reply(ok)` when done; an intent nobody takes resolves false.
 */
export function request<K extends IntentEvent>(from: EventTarget, name: K, intent: IntentOf<K>): Promise<boolean> {
  return new Promise((resolve) => {
    const detail = { ...intent, reply: resolve } as unknown as InternalEventMap[K];
    if (emitInternal(from, name, detail)) resolve(false);
  });
}

/**
 * Passes an intent fired inside a child's shadow root on to this component's own parent (internal events
 * do not cross shadow boundaries by themselves).
 */
export function forward<K extends IntentEvent>(event: CustomEvent<InternalEventMap[K]>, name: K, to: EventTarget): void {
  event.stopPropagation();
  event.preventDefault();
  if (emitInternal(to, name, event.detail)) event.detail.reply(false);
}

declare global {
  interface HTMLElementEventMap {
    'switchboard-conversation-selected': CustomEvent<PanelEventMap['switchboard-conversation-selected']>;
    'switchboard-unread-changed': CustomEvent<PanelEventMap['switchboard-unread-changed']>;
    'switchboard-escalation': CustomEvent<PanelEventMap['switchboard-escalation']>;
  }
}
