/**
 * After a change is stored: tell everyone concerned. The message goes first (it is what people wait
 * for), then the agents' summary with the inbox state it had before (for their counts), then the
 * visitor's view when what they see changed (handler, state).
 */
import type { InboxFields } from '../../protocol/inbox.js';
import type { ConversationSummary, Message } from '../../protocol/types.js';
import type { ConversationRecord } from '../store/mappers.js';
import type { SummaryContact } from '../store/message-writes.js';
import type { HubMetrics } from '../metrics.js';
import type { Broadcaster } from './broadcaster.js';
import { inboxFields, type Views } from './views.js';

export interface PublishOptions {
  message?: Message;
  /** What the summary shows of the contact, when the write read it (store/message-writes.ts). */
  contact?: SummaryContact;
  /** The visitor's view changed (joined, left, closed, reopened). */
  visitorUpdate?: boolean;
  /**
   * The socket that sent the message, which has it from its ack: a visitor's tab, or an agent's panel, which also
   * gets the summary and the change in its ack (protocol/events.ts `AgentSent`) instead of `conversation:updated`.
   */
  exceptSocket?: string;
}

/** Told after each published change, with the inbox state before it (null: a new conversation). */
export type PublishListener = (record: ConversationRecord, previous: InboxFields | null) => void;

export class Publisher {
  readonly #listeners: PublishListener[] = [];

  constructor(
    private readonly views: Views,
    private readonly broadcaster: Broadcaster,
    private readonly metrics: HubMetrics,
  ) {}

  /**
   * @param previous the conversation before the change: a record, its inbox fields, or null when it is new.
   */
  async publish(record: ConversationRecord, previous: ConversationRecord | InboxFields | null, options: PublishOptions = {}): Promise<ConversationSummary> {
    if (options.message) {
      this.broadcaster.message(record, options.message, options.exceptSocket);
      this.metrics.pushed(options.message.author);
    }
    const summary = await this.views.summary(record, options.contact);
    const before = previous === null ? null : 'visitorId' in previous ? inboxFields(previous) : previous;
    const agentSender = options.message?.author === 'agent' ? options.exceptSocket : undefined;
    this.broadcaster.conversationUpdated(record, summary, before, agentSender);
    if (options.visitorUpdate) this.broadcaster.visitorConversation(record.contactId, await this.views.visitorView(record));
    for (const listener of this.#listeners) listener(record, before);
    return summary;
  }

  /** Services that react to changes (auto-assignment drains its queue when a conversation frees an agent). */
  onPublished(listener: PublishListener): void {
    this.#listeners.push(listener);
  }

  /** Nothing the inbox counts changed (a profile update, a presence change): refresh the summary. */
  refresh(record: ConversationRecord): Promise<ConversationSummary> {
    return this.publish(record, record);
  }
}
