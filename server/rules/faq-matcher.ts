/**
 * Fuzzy FAQ matching on MiniSearch: tolerates spelling mistakes (edit distance), word order and
 * word endings (prefix search). MiniSearch's BM25 scores are unbounded, so the score we expose
 * (0..1) is term coverage: how much of the visitor's words and of the FAQ question matched.
 *
 * Small talk (greeting, closing and filler FAQs) is scored apart. A topical FAQ is matched against the message
 * without its small-talk words: "Hello, do you accept PayPal?" asks about PayPal. A small-talk FAQ scores by how
 * much of the message it covers: "Hi" and "Hi there" are greetings, "Hi, where is my order?" is not, though its
 * greeting matches exactly (docs/decisions.md, session 24).
 */
import MiniSearch, { type SearchResult } from 'minisearch';
import type { Faq, FaqType } from '../../protocol/types.js';

export interface FaqMatch {
  faq: Faq;
  question: string;
  score: number;
}

interface QuestionDoc {
  id: string;
  faqId: string;
  question: string;
}

/**
 * Words that carry no meaning for matching ("what are your opening hours" ≈ "opening hours"), nor say what a
 * message is about ("I would like to return…", "thank you so much", "hi there").
 */
const STOP_WORDS = new Set(
  'a an and are at be can could do does for from have how i in is it like me much my need not of on or please so the there to very want we what when where which with would you your'.split(
    ' ',
  ),
);

/** The FAQ types that answer small talk, not questions. */
const SMALL_TALK: ReadonlySet<FaqType> = new Set(['greeting', 'closing', 'filler']);

/**
 * The least share of a message's words a small-talk FAQ must cover to match at all, whatever the bot's threshold:
 * "hey team" is a greeting, "Bonjour, my parcel is late" is not, and neither the bot nor the agents' suggestions
 * should answer it with one.
 */
const SMALL_TALK_SHARE = 0.5;

export function tokenize(text: string): string[] {
  return (
    text
      .toLowerCase()
      // English contractions, whose pieces would count as words ("I'd like" → "d", "hasn't" → "hasn", "t"): the
      // negation becomes a word of its own, and the rest of a contraction goes.
      .replace(/\b(won|can)['’]t\b/g, (_, verb: string) => `${verb === 'won' ? 'will' : 'can'} not`)
      .replace(/n['’]t\b/g, ' not')
      .replace(/['’](?:s|d|ll|re|ve|m)\b/g, '')
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .split(/[^\p{L}\p{N}]+/u)
      .filter((word) => word.length > 0)
  );
}

function meaningful(words: string[]): string[] {
  const kept = words.filter((w) => !STOP_WORDS.has(w));
  return kept.length > 0 ? kept : words;
}

export class FaqMatcher {
  readonly #faqs = new Map<string, Faq>();
  readonly #index = new MiniSearch<QuestionDoc>({
    fields: ['question'],
    storeFields: ['faqId', 'question'],
    tokenize,
    processTerm: (term) => (STOP_WORDS.has(term) ? null : term),
  });

  /** Every word of a small-talk FAQ's questions: what a message says besides them is what it is about. */
  readonly #smallTalkWords = new Set<string>();

  constructor(faqs: readonly Faq[]) {
    const docs: QuestionDoc[] = [];
    for (const faq of faqs) {
      if (faq.archived) continue;
      this.#faqs.set(faq.id, faq);
      for (const [i, question] of faq.questions.entries()) {
        docs.push({ id: `${faq.id}#${i}`, faqId: faq.id, question });
        if (SMALL_TALK.has(faq.type)) for (const word of meaningful(tokenize(question))) this.#smallTalkWords.add(word);
      }
    }
    this.#index.addAll(docs);
  }

  /** The best matching FAQ with its coverage score, or null when no word matched at all. */
  match(text: string): FaqMatch | null {
    return this.matches(text)[0] ?? null;
  }

  /**
   * Every FAQ that matched a word (among the ten best-ranked questions of each kind), best score first, one entry per
   * FAQ; on equal scores a topical FAQ first, then the one the search reached that score with first.
   */
  matches(text: string): FaqMatch[] {
    const words = meaningful(tokenize(text));
    if (words.length === 0) return [];
    const topic = words.filter((word) => !this.#smallTalkWords.has(word));
    const topical = topic.length === 0 ? [] : this.#scored(topic, false);
    const smallTalk = this.#scored(words, true);
    return [...topical, ...smallTalk].sort((a, b) => b.score - a.score).map(({ rank: _rank, ...match }) => match);
  }

  /**
   * `words` scored against the topical FAQs (`smallTalk` false: coverage of both the words and the question) or the
   * small-talk ones (coverage of the words only: a one-word greeting always covers itself), best first.
   */
  #scored(words: string[], smallTalk: boolean): (FaqMatch & { rank: number })[] {
    const results = this.#index.search(words.join(' '), {
      fuzzy: (term) => (term.length <= 3 ? 0 : term.length <= 6 ? 1 : 2),
      prefix: (term) => term.length >= 3,
      combineWith: 'OR',
      filter: (result) => this.#isSmallTalk(result) === smallTalk,
    });
    const best = new Map<string, FaqMatch & { rank: number }>();
    for (const [rank, result] of results.slice(0, 10).entries()) {
      const question = String(result['question']);
      const faq = this.#faqs.get(String(result['faqId']));
      if (!faq) continue;
      const matchedWords = Math.min(1, new Set(result.queryTerms).size / words.length);
      const matchedQuestion = Math.min(1, Object.keys(result.match).length / meaningful(tokenize(question)).length);
      if (smallTalk && matchedWords < SMALL_TALK_SHARE) continue;
      const score = smallTalk ? matchedWords : (matchedWords + matchedQuestion) / 2;
      const known = best.get(faq.id);
      if (!known || score > known.score) best.set(faq.id, { faq, question, score: Math.round(score * 1000) / 1000, rank });
    }
    // Equal scores: the one the search reached that score with first (as `match` always chose).
    return [...best.values()].sort((a, b) => b.score - a.score || a.rank - b.rank);
  }

  #isSmallTalk(result: SearchResult): boolean {
    const faq = this.#faqs.get(String(result['faqId']));
    return faq !== undefined && SMALL_TALK.has(faq.type);
  }
}
