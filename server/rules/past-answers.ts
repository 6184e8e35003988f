/**
 * The team's own past answers, as a search index: every (visitor question → the agent's reply) exchange of past
 * conversations, searched with the current visitor message to suggest what an agent said before. Pure: the
 * caller feeds messages in id order (`ExchangeCollector`) and adds the exchanges (`PastAnswers`); no I/O.
 *
 * An exchange is an agent's message and the visitor's messages just before it, since the previous agent message
 * (bot replies in between are skipped: a visitor often asks, the bot falls back, an agent answers). The index is
 * MiniSearch (BM25 ranking, fuzzy and prefix matching) over the visitor side, holding at most `limit` exchanges:
 * the oldest is dropped when a new one comes.
 */
import MiniSearch from 'minisearch';
import type { MessageAuthor } from '../../protocol/types.js';
import type { VisitorValues } from './personalise.js';
import { tokenize } from './faq-matcher.js';
import { STOP_WORDS, sameText, stem, terms } from './text-similarity.js';

export interface Exchange {
  /** The agent message's id (unique). */
  id: number;
  conversationId: string;
  question: string;
  answer: string;
}

export interface PastAnswer {
  exchange: Exchange;
  /** Share of the query's meaningful words the question matched (0..1). */
  coverage: number;
  /** Ranking: BM25 × coverage, summed over exchanges with the same answer. */
  score: number;
  /** How many exchanges gave this answer. */
  count: number;
}

export interface IndexMessage {
  id: number;
  conversationId: string;
  author: MessageAuthor;
  text: string;
}

/** An answer shorter than this (in meaningful words) is not worth suggesting ("ok", "one moment"). */
const MIN_ANSWER_TERMS = 2;
const MAX_QUESTION_CHARS = 600;
const MAX_ANSWER_CHARS = 1500;

/**
 * Turns messages, fed in id order (possibly across calls), into exchanges. Remembers the pending visitor messages
 * of at most `maxPending` conversations (the least recently active are forgotten).
 */
export class ExchangeCollector {
  readonly #pending = new Map<string, string[]>();

  constructor(private readonly maxPending = 10_000) {}

  feed(message: IndexMessage): Exchange | null {
    const { conversationId } = message;
    if (message.author === 'visitor') {
      const run = this.#pending.get(conversationId) ?? [];
      this.#pending.delete(conversationId); // re-inserted last: Map order is recency
      run.push(message.text);
      this.#pending.set(conversationId, run.slice(-3));
      if (this.#pending.size > this.maxPending) {
        const oldest = this.#pending.keys().next().value;
        if (oldest !== undefined) this.#pending.delete(oldest);
      }
      return null;
    }
    if (message.author !== 'agent') return null;
    const run = this.#pending.get(conversationId);
    this.#pending.delete(conversationId);
    if (!run || run.length === 0) return null;
    const answer = message.text.trim();
    if (answer.length > MAX_ANSWER_CHARS || terms(answer).length < MIN_ANSWER_TERMS) return null;
    return { id: message.id, conversationId, question: run.join('\n').slice(-MAX_QUESTION_CHARS), answer };
  }
}

interface Doc {
  id: number;
  conversationId: string;
  question: string;
  answer: string;
}

const processTerm = (term: string): string | null => {
  if (STOP_WORDS.has(term)) return null;
  const stemmed = stem(term);
  return stemmed.length > 1 ? stemmed : null;
};

export class PastAnswers {
  readonly #index = new MiniSearch<Doc>({
    fields: ['question'],
    storeFields: ['conversationId', 'question', 'answer'],
    tokenize: (text) => tokenize(text.replace(/['’]/g, '')),
    processTerm,
  });
  /** Ids in the order they were added (the oldest first). */
  readonly #order: number[] = [];
  #head = 0;

  constructor(readonly limit = 5000) {}

  get size(): number {
    return this.#order.length - this.#head;
  }

  add(exchange: Exchange): void {
    if (this.#index.has(exchange.id)) return;
    this.#index.add(exchange);
    this.#order.push(exchange.id);
    while (this.size > this.limit) {
      const oldest = this.#order[this.#head++];
      if (oldest !== undefined && this.#index.has(oldest)) this.#index.discard(oldest);
    }
    // Compact the queue now and then.
    if (this.#head > 1024 && this.#head * 2 > this.#order.length) {
      this.#order.splice(0, this.#head);
      this.#head = 0;
    }
  }

  /**
   * Past answers to questions like `text`, best first, one entry per distinct answer. `minCoverage`: the share of
   * the query's words that must match (fuzzy and prefix matches count).
   */
  search(text: string, options: { excludeConversationId?: string; limit?: number; minCoverage?: number } = {}): PastAnswer[] {
    const queryTerms = [...new Set(terms(text))];
    if (queryTerms.length === 0 || this.size === 0) return [];
    const minCoverage = options.minCoverage ?? 0.3;
    const results = this.#index.search(text, {
      fuzzy: (term) => (term.length <= 4 ? 0 : term.length <= 7 ? 1 : 2),
      prefix: (term) => term.length >= 4,
      combineWith: 'OR',
    });
    const byAnswer = new Map<string, PastAnswer>();
    for (const result of results.slice(0, 50)) {
      const exchange: Exchange = {
        id: Number(result.id),
        conversationId: String(result['conversationId']),
        question: String(result['question']),
        answer: String(result['answer']),
      };
      if (exchange.conversationId === options.excludeConversationId) continue;
      const coverage = Math.min(1, new Set(result.queryTerms).size / queryTerms.length);
      if (coverage < minCoverage) continue;
      const key = sameText(exchange.answer);
      const score = result.score * coverage;
      const known = byAnswer.get(key);
      if (known) {
        known.score += score;
        known.count += 1;
        if (coverage > known.coverage) known.coverage = coverage;
      } else byAnswer.set(key, { exchange, coverage, score, count: 1 });
    }
    return [...byAnswer.values()].sort((a, b) => b.score - a.score).slice(0, options.limit ?? 5);
  }
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A past answer made fit for another person: the visitor it was written for is not named to the next one. Their
 * first and last names become the new visitor's (or "there" / nothing when unknown); an answer that quotes their email
 * address or phone number is about them alone and is not offered (null).
 */
export function depersonalise(answer: string, source: VisitorValues, target: VisitorValues): string | null {
  for (const value of [source.email, source.phone_number]) {
    const text = value?.trim();
    if (text && text.length >= 5 && answer.toLowerCase().includes(text.toLowerCase())) return null;
  }
  let out = answer;
  // Capitalised (and as stored, unless stored in lower case): "Will" is a name, "will" is not.
  const swap = (value: string | null | undefined, by: string) => {
    const text = value?.trim();
    if (!text || text.length < 2) return;
    const forms = new Set([text.charAt(0).toUpperCase() + text.slice(1), ...(text === text.toLowerCase() ? [] : [text])]);
    for (const form of forms) out = out.replace(new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(form)}(?![\\p{L}\\p{N}])`, 'gu'), () => by);
  };
  const first = source.first_name?.trim();
  const last = source.last_name?.trim();
  if (first && last) swap(`${first} ${last}`, target.first_name?.trim() || 'there');
  swap(first, target.first_name?.trim() || 'there');
  swap(last, target.last_name?.trim() || '');
  return out
    .replace(/[ \t]{2,}/g, ' ')
    .replace(/ +([,.!?;:])/g, '$1')
    .trim();
}
