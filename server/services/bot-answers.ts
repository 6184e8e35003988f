/**
 * The bot's answer to a visitor's message (services/bot-service.ts decides what it says): stored with the
 * conversation's new state under its row lock, only if the bot may still answer, then published; an escalation
 * emails the agents who asked for it and offers the conversation to an agent.
 */
import type { UserData } from '../../protocol/types.js';
import type { Clock } from '../clock.js';
import { notFound } from '../errors.js';
import { replyWhileWaiting } from '../rules/bot.js';
import { botMayAnswer } from '../rules/mute.js';
import { type VisitorValues, visitorValues } from '../rules/personalise.js';
import { type ConversationRecord, json } from '../store/mappers.js';
import type { Store } from '../store/store.js';
import type { Assignment } from './assignment.js';
import type { BotService } from './bot-service.js';
import type { Email } from './email.js';
import type { Publisher } from './publisher.js';
import { conversationEvent, messageEvent } from './webhook-payloads.js';
import type { Webhooks } from './webhooks.js';

/** The list row's last-message text is at most this long (services/messaging.ts `preview`). */
export const PREVIEW_LENGTH = 280;

export class BotAnswers {
  constructor(
    private readonly store: Store,
    private readonly bot: BotService,
    private readonly clock: Clock,
    private readonly webhooks: Webhooks,
    private readonly publisher: Publisher,
    private readonly assignment?: Assignment,
    private readonly email?: Email,
  ) {}

  async answer(record: ConversationRecord, text: string): Promise<void> {
    const decided = await this.bot.reply(text, this.clock.now(), () => this.#visitorValues(record.contactId));
    const now = this.clock.now().toISOString();
    // The answer, the conversation's new state and their webhook deliveries commit together, under the conversation's
    // row lock and only if the bot may still answer: while it was thinking, an agent may have taken over or an admin
    // deleted the conversation (an answer written then would outlive it: store/conversations-repo.ts eraseConversations).
    // Whether the visitor is waiting for a person is read there too: the message before may have just asked for one.
    const answered = await this.webhooks.transaction(
      async (tx, events) => {
        const fresh = await this.store.conversations.get(record.id, tx, { forUpdate: true });
        if (!fresh || !botMayAnswer(fresh)) return undefined;
        const reply = replyWhileWaiting(decided, fresh.botStatus);
        if (!reply) return undefined;
        const message = await this.store.messages.insert(
          {
            conversationId: record.id,
            clientId: null,
            author: 'bot',
            agentId: null,
            authorName: decided.botName,
            text: reply.text,
            choices: reply.choices,
            createdAt: now,
          },
          tx,
        );
        const updated = await this.store.conversations.update(
          record.id,
          {
            bot_status: reply.botStatus,
            last_activity_at: now,
            last_message_author: 'bot',
            last_message_text: reply.text.slice(0, PREVIEW_LENGTH),
            last_message_at: now,
          },
          tx,
        );
        if (!updated) throw notFound('Conversation'); // rolls the answer back
        const escalated = updated.botStatus === 'need_help' && fresh.botStatus !== 'need_help';
        await events([messageEvent(message, updated), ...(escalated ? [conversationEvent('conversation.escalated', updated)] : [])]);
        return { message, updated, fresh, handoff: reply.source === 'handoff' };
      },
      { key: record.contactId },
    );
    if (!answered) return;
    const { message, updated, fresh, handoff } = answered;
    // Escalated now: the offline agents who asked for it get an email (stored before the push, never throws).
    if (updated.botStatus === 'need_help' && fresh.botStatus !== 'need_help') await this.email?.escalated(updated, text);
    await this.publisher.publish(updated, fresh, { message });
    // The visitor asked for a human: an agent now, if nobody is responsible yet (not again for the bot's other answers
    // while they wait).
    if (handoff) await this.assignment?.offer(updated);
  }

  /** What the bot may say back to the person: their contact's data (rules/personalise.ts). */
  async #visitorValues(contactId: string): Promise<VisitorValues> {
    const contact = await this.store.contacts.get(contactId);
    if (!contact) return {};
    return visitorValues(json<UserData>(contact.user_data, {}), { name: contact.signed_name, email: contact.signed_email, phone: contact.phone });
  }
}
