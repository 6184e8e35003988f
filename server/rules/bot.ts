/**
 * The bot's decision for one visitor message: which answer (if any) and the resulting bot status.
 * Pure: the caller passes FAQs, quick replies, settings and the time.
 */
import type { BotStatus, QuickReply, Settings } from '../../protocol/types.js';
import { ASSIGNMENT_DEFAULTS } from './assignment.js';
import type { FaqMatcher } from './faq-matcher.js';
import { isWithinWindows } from './time-windows.js';

export interface BotReply {
  text: string;
  choices: string[];
  botStatus: BotStatus;
  /** What produced the answer, for logs and tests. */
  source: 'faq' | 'quick_reply' | 'handoff' | 'fallback';
}

export const DEFAULT_SETTINGS: Settings = {
  responderPriority: ['faq', 'quick_reply'],
  fallbackText: "Sorry, I didn't understand that. Could you rephrase? You can also ask for a human agent.",
  handoffText: 'I am asking a member of our team to join. They will answer here as soon as possible.',
  botName: 'Switchboard bot',
  faqThreshold: 0.5,
  ...ASSIGNMENT_DEFAULTS,
};

/**
 * A visitor asking for a person: "human", "agent", "talk to someone", "real person", "operator", "is anyone
 * there?"… ("anyone" alone is not: "can anyone use this code?").
 */
const HUMAN_REQUEST =
  /\b(humans?|agents?|operators?|representatives?|real person|a person|someone|somebody|support team|customer service|any(?:one|body) (?:there|here|around|available|online))\b/i;

export function wantsHuman(text: string): boolean {
  return HUMAN_REQUEST.test(text);
}

export function activeQuickReply(quickReplies: readonly QuickReply[], at: Date): QuickReply | null {
  return quickReplies.find((qr) => qr.enabled && isWithinWindows(qr.windows, qr.timezone, at)) ?? null;
}

export function decideReply(text: string, context: { matcher: FaqMatcher; quickReplies: readonly QuickReply[]; settings: Settings; now: Date }): BotReply {
  const { matcher, quickReplies, settings, now } = context;
  if (wantsHuman(text)) return { text: settings.handoffText, choices: [], botStatus: 'need_help', source: 'handoff' };
  for (const responder of settings.responderPriority) {
    if (responder === 'faq') {
      const match = matcher.match(text);
      if (match && match.score >= settings.faqThreshold) {
        return { text: match.faq.answer, choices: [], botStatus: 'ok', source: 'faq' };
      }
    } else {
      const qr = activeQuickReply(quickReplies, now);
      if (qr) return { text: qr.text, choices: qr.choices, botStatus: 'ok', source: 'quick_reply' };
    }
  }
  return { text: settings.fallbackText, choices: [], botStatus: 'not_understood', source: 'fallback' };
}

/**
 * The bot's reply to a conversation whose status is `current`. A visitor who asked for a person (`need_help`) waits
 * for one until an agent takes the conversation over (store/conversations-repo.ts `claim`): meanwhile the bot still
 * answers what it knows, without lifting the escalation, and says nothing to what it does not understand: its
 * fallback would tell them to ask for a human, which they did. null: no answer.
 */
export function replyWhileWaiting(reply: BotReply, current: BotStatus): BotReply | null {
  if (current !== 'need_help') return reply;
  if (reply.source === 'fallback') return null;
  return { ...reply, botStatus: 'need_help' };
}
