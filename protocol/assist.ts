/**
 * AI assist in the agent panel: a conversation summary, reply suggestions and voice-note transcription.
 *
 * Without a provider (AI_BASE_URL unset) the hub still answers: suggestions are retrieved from the FAQ
 * answers, the quick replies and the team's own past answers to similar questions, and the summary is
 * extractive. Transcription needs a provider. Nothing is ever sent to the visitor by these routes:
 * a suggestion only fills the agent's composer.
 */
import type { IsoDate } from './types.js';

export const SUGGESTION_SOURCES = ['faq', 'quick_reply', 'past_answer', 'ai'] as const;
export type SuggestionSource = (typeof SUGGESTION_SOURCES)[number];

/** `GET /api/conversations/:id/suggestions` → `{ items }` (2–3 items when anything fits; may be empty). */
export interface Suggestion {
  text: string;
  source: SuggestionSource;
}

export interface SuggestionList {
  items: Suggestion[];
}

export const SUMMARY_POINT_KINDS = ['request', 'answer', 'open_question', 'status'] as const;
export type SummaryPointKind = (typeof SUMMARY_POINT_KINDS)[number];

/** `GET /api/conversations/:id/summary` (`?refresh=1` recomputes). */
export interface ConversationDigest {
  conversationId: string;
  /** False until the conversation has at least `minMessages` messages; then `text` and `points` are empty. */
  available: boolean;
  minMessages: number;
  /** Prose, a few sentences. */
  text: string;
  /** The same, as a list the panel can show with labels. */
  points: { kind: SummaryPointKind; text: string }[];
  /** `ai` when the provider wrote it; `extractive` when the hub built it from the messages. */
  source: 'ai' | 'extractive';
  /** Messages it covers (up to this id). */
  upToMessageId: number;
  generatedAt: IsoDate;
}

/** Admin settings (seed 002): each feature can be turned off. Part of `GET/PUT /api/assist/settings`. */
export interface AssistSettings {
  summary: boolean;
  suggestions: boolean;
  transcription: boolean;
}

/** `GET /api/assist/status`: what the panel may offer now. */
export interface AssistStatus {
  settings: AssistSettings;
  /** A provider is configured (AI_BASE_URL). */
  provider: boolean;
  /** The provider answered its last call (false after a failure until a call succeeds). */
  providerReachable: boolean;
  /** Transcription works only with a provider and AI_TRANSCRIBE_MODEL. */
  transcriptionAvailable: boolean;
}
