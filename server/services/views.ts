/**
 * Read models: the agent's conversation summary, the visitor's view of their conversation, and the
 * inbox fields behind counts. Summaries are built in batches (one contacts query with their tags
 * and one agents query per list, not one per row), and agent names are cached briefly.
 */
import DataLoader from 'dataloader';
import type { AttachmentKind, AttachmentRef } from '../../protocol/attachments.js';
import type { InboxFields } from '../../protocol/inbox.js';
import type { ConversationSummary, Message, UserData, VisitorConversation } from '../../protocol/types.js';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import { signedPath, URL_TTL_S, urlExpiry } from '../rules/attachments.js';
import { unmuteAt } from '../rules/mute.js';
import type { ConversationRecord } from '../store/mappers.js';
import type { SummaryContact } from '../store/message-writes.js';
import type { AttachmentsTable, ContactsTable } from '../store/schema.js';
import type { Store } from '../store/store.js';
import type { Broadcaster } from './broadcaster.js';

/** How long a cached agent name may be shown after a rename on another hub. */
const AGENT_NAME_TTL_MS = 10_000;

export const inboxFields = (record: ConversationRecord): InboxFields => ({
  state: record.state,
  holderId: record.holderId,
  assignees: record.assignees,
  unrepliedCount: record.unrepliedCount,
  outgoing: record.outgoing,
  ticketStatus: record.ticketStatus,
  expired: record.expired,
});

/** The name agents see: the signed one, else what the visitor typed, else their email. */
export function contactName(contact: Pick<ContactsTable, 'signed_name' | 'user_data' | 'email'> | undefined): string {
  if (!contact) return 'Visitor';
  if (contact.signed_name) return contact.signed_name;
  const userData = JSON.parse(contact.user_data) as UserData;
  return [userData.first_name, userData.last_name].filter(Boolean).join(' ') || contact.email || userData.email || 'Visitor';
}

export class Views {
  readonly #agentNames = new Map<string, { name: string | null; at: number }>();
  /**
   * Single summaries asked for in the same event-loop turn (the messages of one group commit, published together)
   * are built together: one contacts query for all of them instead of one each. Not cached.
   */
  readonly #summaryBatch = new DataLoader<ConversationRecord, ConversationSummary>((records) => this.summaries([...records]), {
    cache: false,
    batchScheduleFn: (dispatch) => setImmediate(dispatch),
  });

  constructor(
    private readonly store: Store,
    private readonly broadcaster: Broadcaster,
    private readonly config: Config,
    private readonly clock: Clock,
    /** Signs attachment URLs (rules/attachments.ts `urlKey`). */
    private readonly urlKey: Buffer,
  ) {}

  /** A file as messages carry it, with a URL signed now (valid `ttlSeconds`, rounded up to the URL window). */
  attachmentRef(row: AttachmentsTable, ttlSeconds = URL_TTL_S): AttachmentRef {
    const exp = urlExpiry(this.clock.now(), ttlSeconds);
    return {
      id: row.id,
      name: row.name,
      size: Number(row.size),
      contentType: row.content_type,
      kind: row.kind as AttachmentKind,
      durationMs: row.duration_ms === null ? null : Number(row.duration_ms),
      url: signedPath(this.urlKey, row.id, exp),
      urlExpiresAt: new Date(exp * 1000).toISOString(),
    };
  }

  /**
   * Messages with their files, URLs signed at read time: one query per conversation in the list (the range of its
   * message ids), whatever the number of messages.
   */
  async withAttachments(messages: Message[]): Promise<Message[]> {
    const ranges = new Map<string, { from: number; to: number }>();
    for (const m of messages) {
      const range = ranges.get(m.conversationId);
      if (!range) ranges.set(m.conversationId, { from: m.id, to: m.id });
      else {
        range.from = Math.min(range.from, m.id);
        range.to = Math.max(range.to, m.id);
      }
    }
    const byMessage = new Map<number, AttachmentRef[]>();
    for (const [conversationId, { from, to }] of ranges) {
      for (const row of await this.store.attachments.ofMessages(conversationId, from, to)) {
        const id = Number(row.message_id);
        const refs = byMessage.get(id) ?? [];
        refs.push(this.attachmentRef(row));
        byMessage.set(id, refs);
      }
    }
    if (byMessage.size === 0) return messages;
    return messages.map((m) => {
      const attachments = byMessage.get(m.id);
      return attachments ? { ...m, attachments } : m;
    });
  }

  /**
   * @param contact what the summary shows of the conversation's contact, when the write that changed the conversation
   * read it (store/message-writes.ts); else it is read, with the other summaries asked for in this turn.
   */
  async summary(record: ConversationRecord, contact?: SummaryContact): Promise<ConversationSummary> {
    if (!contact) return this.#summaryBatch.load(record);
    const [names, online] = await Promise.all([this.#agentNamesOf([record.holderId]), this.broadcaster.visitorOnline(record.visitorId, 'shown')]);
    return this.#summary(record, contact, contact.tags, record.holderId ? (names.get(record.holderId) ?? null) : null, online);
  }

  /** Summaries of a list: one contacts query (with their tags) and the agent names, whatever the length. */
  async summaries(records: ConversationRecord[]): Promise<ConversationSummary[]> {
    const contactIds = records.map((r) => r.contactId);
    const [contacts, names, online] = await Promise.all([
      this.store.contacts.manyWithTags(contactIds),
      this.#agentNamesOf(records.map((r) => r.holderId)),
      Promise.all(records.map((r) => this.broadcaster.visitorOnline(r.visitorId, 'shown'))),
    ]);
    return records.map((record, i) => {
      const known = contacts.get(record.contactId);
      return this.#summary(record, known?.contact, known?.tags ?? [], record.holderId ? (names.get(record.holderId) ?? null) : null, online[i] ?? false);
    });
  }

  #summary(
    record: ConversationRecord,
    contact: Omit<SummaryContact, 'tags'> | undefined,
    contactTags: string[],
    holderName: string | null,
    online: boolean,
  ): ConversationSummary {
    return {
      id: record.id,
      visitorId: record.visitorId,
      contactId: record.contactId,
      contactTags,
      outgoing: record.outgoing,
      expired: record.expired,
      // `verified`: the site signed this person's user id. Which of name and email it signed: the contact's `identity`.
      visitor: { name: contactName(contact), email: contact?.email ?? null, verified: contact?.user_id != null, online },
      channel: record.channel,
      language: record.language,
      createdAt: record.createdAt,
      lastActivityAt: record.lastActivityAt,
      botStatus: record.botStatus,
      ticketStatus: record.ticketStatus,
      state: record.state,
      muted: record.muted,
      mutedAt: record.mutedAt,
      mutedBy: record.mutedBy,
      unmuteAt: record.muted ? unmuteAt(record.mutedAt, this.config.muteHours) : null,
      holderId: record.holderId,
      holderName,
      assignees: record.assignees,
      visibleTo: record.visibleTo,
      tags: record.tags,
      unreadCount: record.unreadCount,
      unrepliedCount: record.unrepliedCount,
      lastMessage:
        record.lastMessageAuthor && record.lastMessageAt
          ? { author: record.lastMessageAuthor, text: record.lastMessageText ?? '', createdAt: record.lastMessageAt }
          : null,
    };
  }

  async visitorView(record: ConversationRecord): Promise<VisitorConversation> {
    const holderName = record.holderId ? ((await this.#agentNamesOf([record.holderId])).get(record.holderId) ?? null) : null;
    return {
      id: record.id,
      state: record.state,
      handler: holderName !== null ? { kind: 'agent', name: holderName } : { kind: 'bot' },
      createdAt: record.createdAt,
    };
  }

  /**
   * Agent display names, needed for every summary (the holder). Cached briefly: they change rarely,
   * a rename on this hub clears the entry, and one on another hub shows within AGENT_NAME_TTL_MS.
   */
  async #agentNamesOf(ids: (string | null)[]): Promise<Map<string, string | null>> {
    const now = Date.now();
    const names = new Map<string, string | null>();
    const misses: string[] = [];
    for (const id of ids) {
      if (!id || names.has(id)) continue;
      const cached = this.#agentNames.get(id);
      if (cached && now - cached.at < AGENT_NAME_TTL_MS) names.set(id, cached.name);
      else misses.push(id);
    }
    if (misses.length > 0) {
      const rows = await this.store.agents.many(misses);
      if (this.#agentNames.size > 10_000) this.#agentNames.clear();
      for (const id of misses) {
        const name = rows.get(id)?.name ?? null;
        names.set(id, name);
        this.#agentNames.set(id, { name, at: now });
      }
    }
    return names;
  }

  forgetAgentName(agentId: string): void {
    this.#agentNames.delete(agentId);
  }
}
