/**
 * Fuzzy FAQ matching on MiniSearch: tolerates spelling mistakes (edit distance), word order and
 * word endings (prefix search). MiniSearch's BM25 scores are unbounded, so the score we expose
 * (0..1) is term coverage: how much of the visitor's words and of the FAQ question matched.
 */
import MiniSearch from 'minisearch';
import type { Faq } from '../../protocol/types.js';

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

/** Words that carry no meaning for matching ("what are your opening hours" ≈ "opening hours"). */
const STOP_WORDS = new Set(
  'a an and are at be can could do does for from have how i in is it me my of on or please the to we what when where which with you your'.split(' '),
);

export function tokenize(text: string): string[] {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 0);
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

  constructor(faqs: readonly Faq[]) {
    const docs: QuestionDoc[] = [];
    for (const faq of faqs) {
      if (faq.archived) continue;
      this.#faqs.set(faq.id, faq);
      for (const [i, question] of faq.questions.entries()) docs.push({ id: `${faq.id}#${i}`, faqId: faq.id, question });
    }
    this.#index.addAll(docs);
  }

  /** The best matching FAQ with its coverage score, or null when no word matched at all. */
  match(text: string): FaqMatch | null {
    return this.matches(text)[0] ?? null;
  }

  /** Every FAQ that matched a word (among the ten best-ranked questions), best coverage first, one entry per FAQ. */
  matches(text: string): FaqMatch[] {
    const queryWords = meaningful(tokenize(text));
    if (queryWords.length === 0) return [];
    const results = this.#index.search(queryWords.join(' '), {
      fuzzy: (term) => (term.length <= 3 ? 0 : term.length <= 6 ? 1 : 2),
      prefix: (term) => term.length >= 3,
      combineWith: 'OR',
    });
    const best = new Map<string, FaqMatch & { rank: number }>();
    for (const [rank, result] of results.slice(0, 10).entries()) {
      const question = String(result['question']);
      const faq = this.#faqs.get(String(result['faqId']));
      if (!faq) continue;
      const questionWords = meaningful(tokenize(question));
      const matchedQuery = new Set(result.queryTerms).size;
      const matchedQuestion = Object.keys(result.match).length;
      const score = (Math.min(1, matchedQuery / queryWords.length) + Math.min(1, matchedQuestion / questionWords.length)) / 2;
      const known = best.get(faq.id);
      if (!known || score > known.score) best.set(faq.id, { faq, question, score: Math.round(score * 1000) / 1000, rank });
    }
    // Equal scores: the one the search reached that score with first (as `match` always chose).
    return [...best.values()].sort((a, b) => b.score - a.score || a.rank - b.rank).map(({ rank: _rank, ...match }) => match);
  }
}
