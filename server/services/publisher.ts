/**
 * After a change is stored: tell everyone concerned. The message goes first (it is what people wait
 * for), then the agents' summary with the inbox state it had before (for their counts), then the
 * visitor's view when what they see changed (handler, state).
 */
import type { InboxFields } from '../../protocol/inbox.js';
import type { ConversationSummary, Message } from '../../protocol/types.js';
import type { ConversationRecord } from '../store/mappers.js';
import type { HubMetrics } from '../metrics.js';
import type { Broadcaster } from './broadcaster.js';
import { inboxFields, type Views } from './views.js';

export interface PublishOptions {
  message?: Message;
  /** The visitor's view changed (joined, left, closed, reopened). */
  visitorUpdate?: boolean;
  /** The visitor tab that sent the message already shows it. */
  exceptSocket?: string;
}

export class Publisher {
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
    const summary = await this.views.summary(record);
    const before = previous === null ? null : 'visitorId' in previous ? inboxFields(previous) : previous;
    this.broadcaster.conversationUpdated(record, summary, before);
    if (options.visitorUpdate) this.broadcaster.visitorConversation(record.contactId, await this.views.visitorView(record));
    return summary;
  }

  /** Nothing the inbox counts changed (a profile update, a presence change): refresh the summary. */
  refresh(record: ConversationRecord): Promise<ConversationSummary> {
    return this.publish(record, record);
  }
}
