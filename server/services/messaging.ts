/**
 * Messages in and out: the visitor's (stored exactly once, answered by the bot unless muted or taken
 * over), the agent's (taking the conversation over if nobody holds it), notes, read marks and typing.
 */
import type { AttachmentKind } from '../../protocol/attachments.js';
import type { AgentSent } from '../../protocol/events.js';
import type { Message, MessageChannel, Note, VisitorConversation } from '../../protocol/types.js';
import { attachmentPreview, WEBHOOK_URL_TTL_S } from '../rules/attachments.js';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import { HubError, notFound } from '../errors.js';
import type { Actor } from '../rules/handoff.js';
import { botMayAnswer } from '../rules/mute.js';
import { afterAgentReply, afterVisitorMessage } from '../rules/ticket-status.js';
import type { ConversationRecord } from '../store/mappers.js';
import type { HubMetrics } from '../metrics.js';
import type { Db } from '../store/base.js';
import type { AgentWrite, Endpoints, SummaryContact } from '../store/message-writes.js';
import { json } from '../store/mappers.js';
import type { AttachmentsTable, VisitorsTable } from '../store/schema.js';
import type { Store } from '../store/store.js';
import { visibleConversation } from './access.js';
import type { Assignment } from './assignment.js';
import type { Attachments, Sender } from './attachments.js';
import { BotAnswers, PREVIEW_LENGTH } from './bot-answers.js';
import type { BotService } from './bot-service.js';
import type { Broadcaster } from './broadcaster.js';
import type { ConversationCommands } from './conversation-commands.js';
import type { Email } from './email.js';
import type { Publisher } from './publisher.js';
import { inboxFields, type Views } from './views.js';
import { conversationEvent, messageEvent } from './webhook-payloads.js';
import type { Webhooks } from './webhooks.js';

/**
 * The session's row is gone: erased (its tabs are being disconnected), or swept as empty while a tab stayed open.
 * Nothing was written; the socket writes the session again and sends once more (sockets/visitor.ts).
 */
export class SessionGone extends HubError {
  constructor() {
    super('not_found', 'Visitor not found');
  }
}

/** A checked reply found the conversation closed, gone, hidden or held by another: it takes the ordinary path. */
class ReplyUnchecked extends Error {}

/** Conversations whose reply lane a hub remembers (a few MB at most); past it the memory starts again. */
const MAX_REPLY_LANES = 50_000;

export class Messaging {
  constructor(
    private readonly store: Store,
    private readonly views: Views,
    private readonly publisher: Publisher,
    private readonly broadcaster: Broadcaster,
    private readonly commands: ConversationCommands,
    bot: BotService,
    private readonly clock: Clock,
    private readonly config: Config,
    private readonly metrics: HubMetrics,
    private readonly webhooks: Webhooks,
    private readonly attachments: Attachments,
    private readonly assignment?: Assignment,
    private readonly email?: Email,
  ) {
    this.#botAnswers = new BotAnswers(store, bot, clock, webhooks, publisher, assignment, email);
  }

  readonly #botAnswers: BotAnswers;

  #now(): string {
    return this.clock.now().toISOString();
  }

  /** A message needs text, or at least one file. */
  checkLength(text: string, attachments = 0): string {
    if (text.trim().length === 0 && attachments === 0) throw new HubError('bad_request', 'Message text is empty');
    if (text.length > this.config.maxMessageLength) throw new HubError('too_large', `Message is longer than ${this.config.maxMessageLength} characters`);
    return text;
  }

  /**
   * A visitor message: stored exactly once, answered by the bot unless muted or taken over (or it is only files).
   * `attachmentIds`: the visitor's uploads to this conversation, linked in the message's transaction. An email reply
   * (services/email-inbound.ts) names its channel and the conversation it answers: it goes there while that is
   * open, else where a widget message would (the contact's latest open conversation, or a new one).
   */
  async visitorSend(
    visitor: Pick<VisitorsTable, 'id' | 'contact_id'>,
    clientId: string,
    text: string,
    socketId?: string,
    attachmentIds: string[] = [],
    via: { channel: MessageChannel; conversationId?: string } = { channel: 'webchat' },
  ): Promise<{ message: Message; conversation: VisitorConversation; duplicate: boolean }> {
    const fileIds = this.attachments.checkIds(attachmentIds);
    this.checkLength(text, fileIds.length);
    const arrived = performance.now();
    const now = this.#now();
    // The person as last known: the key of the write's group-commit lane. The write reads the current one under its
    // lock (store/message-writes.ts): a merge may have moved the session since.
    const contactId = visitor.contact_id ?? visitor.id;
    let before = null as ConversationRecord | null;
    let record: ConversationRecord | undefined;
    let contact: SummaryContact | undefined;
    const storeStart = performance.now();
    const { message, duplicate } = await this.store.messages.deduplicated(
      () => this.store.messages.findVisitorMessage(visitor.id, clientId),
      () =>
        // Webhook deliveries (message.created, conversation.created) are stored in the same transaction.
        this.webhooks.transaction(
          async (tx, events) => {
            // A grouped write may run twice (store/group-commit.ts): nothing from a rolled-back run may remain.
            before = null;
            contact = undefined;
            // Under the person's lock (not the session's: two devices of one contact write to the same conversation),
            // in one round trip on PostgreSQL (store/message-writes.ts): the resend check, then the message and its
            // conversation's new state (a new conversation when the person has none open).
            const input = {
              visitorId: visitor.id,
              clientId,
              conversationId: via.conversationId ?? null,
              channel: via.channel,
              text,
              preview: preview(text, []),
              now,
              ticketStatus: afterVisitorMessage,
            };
            let written = await this.store.messageWrites.visitorMessage(tx, input);
            if ('noVisitor' in written) throw new SessionGone();
            if ('resent' in written) return { resent: written.resent };
            if ('noOpenConversation' in written) {
              const row = await this.store.visitors.get(visitor.id, tx);
              if (!row) throw new SessionGone();
              const opened = await this.#open(tx, row, written.contactId, now);
              written = await this.store.messageWrites.visitorMessage(tx, { ...input, conversationId: opened.id });
              if (!('after' in written)) throw new Error(`conversation ${opened.id} not found after opening it`);
            } else before = written.before;
            contact = written.contact;
            const inserted = written.message;
            let files: AttachmentsTable[];
            ({ files, record } = await this.#afterWrite(tx, written, text, fileIds, { kind: 'visitor', id: visitor.id }));
            const stored = this.#withFiles(inserted, files);
            if (record) {
              await events([
                ...(before === null ? [conversationEvent('conversation.created', record)] : []),
                messageEvent(this.#withFiles(inserted, files, WEBHOOK_URL_TTL_S), record),
              ]);
            }
            return stored;
            // Without files, a message is one statement on PostgreSQL: alone in its group, it is its own transaction.
          },
          { key: contactId, alone: fileIds.length === 0 },
        ),
    );
    if (duplicate || !record) {
      const existing = record ?? (await this.store.conversations.get(message.conversationId));
      if (!existing) throw notFound('Conversation');
      const [resent = message] = await this.views.withAttachments([message]);
      return { message: resent, conversation: await this.views.visitorView(existing), duplicate: true };
    }
    const stored = performance.now();
    await this.publisher.publish(record, before, { message, visitorUpdate: before === null, exceptSocket: socketId, contact });
    this.metrics.delivered('visitor', (stored - storeStart) / 1000, (performance.now() - arrived) / 1000);
    // Not to an email (the visitor is away, and only agents' replies are emailed: README "Email continuity"), nor to
    // files alone (a photo, a voice note are for people: the bot has nothing to match).
    if (via.channel === 'webchat' && botMayAnswer(record) && text.trim() !== '') void this.#botAnswers.answer(record, text).catch(() => undefined);
    // A new conversation goes to an agent at once, or waits in the queue (a failure waits for the next sweep).
    if (before === null) await this.assignment?.offer(record).catch(() => null);
    return { message, conversation: await this.views.visitorView(record), duplicate: false };
  }

  /**
   * The visitor's open conversation for an upload, opened now if they have none, as their first message would open
   * it (the person's latest if open; else a new one with conversation.created, shown to agents, offered for
   * assignment). The message that follows writes in it.
   */
  async conversationForUpload(visitor: VisitorsTable): Promise<ConversationRecord> {
    const contactId = visitor.contact_id ?? visitor.id;
    let opened = false;
    const record = await this.webhooks.transaction(async (tx, events) => {
      await this.store.contacts.lock(contactId, tx);
      const current = await this.store.conversations.latest(contactId, tx, { forUpdate: true });
      if (current && current.state !== 'closed') return current;
      const created = await this.#open(tx, visitor, contactId, this.#now());
      await events([conversationEvent('conversation.created', created)]);
      opened = true;
      return created;
    });
    if (opened) {
      await this.publisher.publish(record, null, { visitorUpdate: true });
      await this.assignment?.offer(record).catch(() => null);
    }
    return record;
  }

  /**
   * In a stored message's transaction, after its write (store/message-writes.ts): its webhook events use the endpoints
   * the write read; its files are linked to it; for files alone the list row shows their label, not the empty text.
   */
  async #afterWrite(
    tx: Db,
    written: { message: Message; after: ConversationRecord; endpoints: Endpoints },
    text: string,
    fileIds: string[],
    owner: Sender,
  ): Promise<{ files: AttachmentsTable[]; record: ConversationRecord | undefined }> {
    this.webhooks.knownEndpoints(tx, written.endpoints);
    const { after } = written;
    const files = await this.attachments.link(tx, after.id, written.message.id, fileIds, owner);
    if (files.length === 0 || text.trim() !== '') return { files, record: after };
    return { files, record: await this.store.conversations.update(after.id, { last_message_text: preview(text, files) }, tx) };
  }

  /** The message as pushed and acknowledged: with its files, URLs signed now (webhooks: for their retry window). */
  #withFiles(message: Message, files: AttachmentsTable[], ttlSeconds?: number): Message {
    return files.length === 0 ? message : { ...message, attachments: files.map((row) => this.views.attachmentRef(row, ttlSeconds)) };
  }

  /** A new conversation, with its contact's rules: the default assignee (if still active) and visibility. */
  async #open(tx: Db, visitor: VisitorsTable, contactId: string, now: string): Promise<ConversationRecord> {
    const contact = await this.store.contacts.get(contactId, tx);
    const visibleTo = contact ? json<string[]>(contact.default_visible_to, []) : [];
    const assignee = contact?.default_assignee_id ? await this.store.agents.get(contact.default_assignee_id, tx) : undefined;
    const assignees = assignee && assignee.disabled === 0 ? [assignee.id] : [];
    return this.store.conversations.create(tx, { visitor, contactId, now, assignees, visibleTo });
  }

  /**
   * `attachmentIds`: agents' uploads to this conversation, linked in the message's transaction. A reply without files
   * to a conversation this hub has written to before is checked by its write, under the conversation's lock, instead
   * of by a read before it (`checkedAgentMessage`); when a check fails nothing is written, and the reply
   * takes the ordinary path, which says what is wrong or claims the conversation first.
   * `socketId`: the agent socket that sent it, answered with the message, the summary and the change (protocol/events.ts
   * `AgentSent`) instead of the pushes every other socket gets.
   */
  async agentSend(actor: Actor, conversationId: string, clientId: string, text: string, attachmentIds: string[] = [], socketId?: string): Promise<AgentSent> {
    const fileIds = this.attachments.checkIds(attachmentIds);
    this.checkLength(text, fileIds.length);
    const arrived = performance.now();
    const lane = fileIds.length === 0 ? this.#replyLanes.get(conversationId) : undefined;
    let record: ConversationRecord | undefined = lane === undefined ? await this.#replyTarget(actor, conversationId, clientId, fileIds) : undefined;
    const now = this.#now();
    let updated: ConversationRecord | undefined;
    let contact: SummaryContact | undefined;
    const storeStart = performance.now();
    // The message and the conversation's new state commit together, in a transaction shared with the messages
    // arriving with it (group commit: one commit for a burst).
    const written = await this.store.messages
      .deduplicated(
        () => this.store.messages.find(conversationId, clientId),
        () =>
          this.webhooks.transaction(
            async (tx, events) => {
              // One round trip on PostgreSQL (store/message-writes.ts). Deleted meanwhile: nothing is written (the update
              // takes the conversation's row lock first), and the reply is refused rather than left orphaned.
              const input = {
                conversationId,
                clientId,
                agentId: actor.id,
                authorName: actor.name,
                text,
                preview: preview(text, []),
                now,
                ticketStatus: afterAgentReply(),
              };
              let write: AgentWrite;
              if (record) write = await this.store.messageWrites.agentMessage(tx, input);
              else {
                const checked = await this.store.messageWrites.checkedAgentMessage(tx, { ...input, admin: actor.role === 'admin' });
                if ('unchecked' in checked) throw new ReplyUnchecked(); // rare: its group runs again without it
                ({ before: record, ...write } = checked);
              }
              if (!write) throw notFound('Conversation');
              contact = write.contact;
              let files: AttachmentsTable[];
              ({ files, record: updated } = await this.#afterWrite(tx, write, text, fileIds, { kind: 'agent', id: actor.id }));
              if (!updated) throw notFound('Conversation');
              await events([messageEvent(this.#withFiles(write.message, files, WEBHOOK_URL_TTL_S), updated)]);
              return this.#withFiles(write.message, files);
            },
            { key: lane ?? record?.contactId ?? conversationId, alone: fileIds.length === 0 },
          ),
      )
      .catch((error: unknown) => {
        if (error instanceof ReplyUnchecked) return null;
        throw error;
      });
    if (!written) {
      this.#replyLanes.delete(conversationId);
      return this.agentSend(actor, conversationId, clientId, text, attachmentIds, socketId);
    }
    const { message, duplicate } = written;
    record ??= await visibleConversation(this.store, actor, conversationId); // a resend written before
    this.#rememberLane(conversationId, record.contactId);
    if (duplicate) {
      const [resent = message] = await this.views.withAttachments([message]);
      return { message: resent, conversation: await this.views.summary(record) };
    }
    if (!updated) throw notFound('Conversation');
    const stored = performance.now();
    const summary = await this.publisher.publish(updated, record, { message, contact, exceptSocket: socketId });
    this.metrics.delivered('agent', (stored - storeStart) / 1000, (performance.now() - arrived) / 1000);
    // Unseen by the visitor after the delay, it is emailed to them (services/email.ts; never throws).
    await this.email?.agentReplied(updated, message);
    return { message, conversation: summary, change: { previous: inboxFields(record) } };
  }

  /** The conversation a reply goes to, read and checked: open, visible, and held by the agent (claimed first if free). */
  async #replyTarget(actor: Actor, conversationId: string, clientId: string, fileIds: string[]): Promise<ConversationRecord> {
    const record = await visibleConversation(this.store, actor, conversationId);
    if (record.state === 'closed') throw new HubError('closed', 'The conversation is closed; reopen it first');
    // Refused files refuse the send before it takes anything over (checked again when linked); a resend is answered below.
    if (fileIds.length > 0 && !(await this.store.messages.find(record.id, clientId))) {
      await this.attachments.check(record.id, fileIds, { kind: 'agent', id: actor.id });
    }
    // Writing to a conversation nobody holds takes it over (first claim wins).
    if (record.holderId === actor.id) return record;
    await this.commands.claim(actor, record.id);
    return visibleConversation(this.store, actor, conversationId);
  }

  /**
   * The contact of each conversation this hub has replied to: a checked reply's group-commit lane (group-commit.ts),
   * known without a read. A merge elsewhere may move a conversation to another contact unseen; the lane is then
   * wrong until the next ordinary reply, and at worst two lanes touch one contact's rows (as the visitor path's note
   * on merges says: PostgreSQL fails one group on the rare deadlock, and it runs again).
   */
  readonly #replyLanes = new Map<string, string>();

  #rememberLane(conversationId: string, contactId: string): void {
    if (this.#replyLanes.size >= MAX_REPLY_LANES && !this.#replyLanes.has(conversationId)) this.#replyLanes.clear();
    this.#replyLanes.set(conversationId, contactId);
  }

  async markRead(actor: Actor, conversationId: string): Promise<void> {
    const record = await visibleConversation(this.store, actor, conversationId);
    if (record.unreadCount === 0) return;
    const updated = await this.store.conversations.update(record.id, { unread_count: 0 });
    if (updated) await this.publisher.publish(updated, record);
  }

  async addNote(actor: Actor, conversationId: string, text: string): Promise<Note> {
    const record = await visibleConversation(this.store, actor, conversationId);
    const note = await this.store.messages.addNote({ conversationId: record.id, agentId: actor.id, agentName: actor.name, text, createdAt: this.#now() });
    this.broadcaster.note(record, note);
    return note;
  }

  /**
   * The agent's typing reaches the visitor only from the agent handling the conversation, and the other
   * agents who have it open always (collision: two agents should not write the same reply).
   */
  async agentTyping(actor: Actor, conversationId: string, typing: boolean, socketId?: string): Promise<void> {
    const record = await visibleConversation(this.store, actor, conversationId);
    if (record.holderId === actor.id) this.broadcaster.agentTyping(record.contactId, actor.name, typing);
    this.broadcaster.agentTypingToAgents(record.id, actor, typing, socketId);
  }

  // ------------------------------------------------------------ the visitor's own conversation

  /** Up to `limit` messages of the visitor's latest conversation after `afterId`, oldest first. */
  async visitorHistory(visitorId: string, afterId: number, limit: number): Promise<{ messages: Message[]; conversation: VisitorConversation | null }> {
    const record = await this.store.conversations.latestOfSession(visitorId);
    if (!record) return { messages: [], conversation: null };
    const messages = await this.views.withAttachments(await this.store.messages.after(record.id, afterId, limit));
    return { messages, conversation: await this.views.visitorView(record) };
  }

  async visitorRead(visitorId: string, upToId: number): Promise<void> {
    const record = await this.store.conversations.latestOfSession(visitorId);
    if (record) await this.store.messages.markReadByVisitor(record.id, upToId, this.#now());
  }

  async visitorTyping(visitorId: string, typing: boolean): Promise<void> {
    const record = await this.store.conversations.latestOfSession(visitorId);
    if (record) this.broadcaster.visitorTyping(record.id, typing);
  }
}

/** A list row's last message: its text, or for files alone a short label (rules/attachments.ts). */
function preview(text: string, files: AttachmentsTable[]): string {
  const shown = text.trim() !== '' ? text : attachmentPreview(files.map((f) => ({ name: f.name, kind: f.kind as AttachmentKind })));
  return shown.slice(0, PREVIEW_LENGTH);
}
