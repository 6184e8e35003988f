/**
 * The built-in (extractive) conversation summary: what the visitor asked, what they were told, what is still
 * open, and where the conversation stands. Pure: the caller passes the messages and the conversation's status.
 *
 * The algorithm (docs/decisions.md, "AI assist"):
 * 1. Every message is split into sentences; each sentence becomes a TF-IDF vector over the conversation's own
 *    sentences (stemmed, stop words out: rules/text-similarity.ts).
 * 2. Centrality, TextRank-style: PageRank over the graph whose edges are the cosine similarities between sentences.
 *    A sentence that shares its words with many others is about the conversation's topic.
 * 3. Requests: the visitor's sentences that ask (a question mark, an interrogative opening) or request ("I need",
 *    "can you", "not working"…), scored by centrality plus those cues (asking for a person counts against: the
 *    status says it); the best few, skipping near-repeats (MMR), in the order they were said.
 * 4. Answers: for each request, the agent's or bot's sentence after it (before the next request) most similar to it.
 *    A request nobody answered is reported as an open question instead.
 * 5. Open questions: also the visitor's questions after the last agent or bot reply.
 * 6. Status: ticket status, who holds the conversation, the bot's state.
 */
import type { SummaryPointKind } from '../../protocol/assist.js';
import type { BotStatus, ConversationState, MessageAuthor, TicketStatus } from '../../protocol/types.js';
import { wantsHuman } from './bot.js';
import { type Vector, cosine, sameText, sentences, terms, tfidfVectors } from './text-similarity.js';

export interface SummaryMessage {
  id: number;
  author: MessageAuthor;
  text: string;
}

export interface SummaryStatus {
  state: ConversationState;
  ticketStatus: TicketStatus;
  botStatus: BotStatus;
  muted: boolean;
  /** The agent handling it, or null (the bot). */
  holderName: string | null;
}

export interface SummaryPoint {
  kind: SummaryPointKind;
  text: string;
}

export interface Summary {
  text: string;
  points: SummaryPoint[];
}

export interface SummaryOptions {
  /** At most this many requests (and so answers). */
  maxRequests?: number;
  /** A quoted sentence longer than this is cut (with an ellipsis). */
  maxQuote?: number;
}

interface Sentence {
  index: number;
  /** Index of its message in the list. */
  message: number;
  author: MessageAuthor;
  text: string;
  terms: string[];
  question: boolean;
  request: boolean;
}

const INTERROGATIVE = /^(how|what|when|where|why|who|which|whose|can|could|would|will|is|are|am|do|does|did|should|shall|may|have|has|any)\b/i;
const REQUEST =
  /\b(i(?:'d| would) like|i want|i need|i wish|i(?:'m| am) (?:trying|looking|unable|not able)|i can(?:'|no)t|i could(?:n'?t| not)|please|help|can you|could you|would you|is it possible|problem|issue|(?:not|isn'?t|doesn'?t|won'?t|didn'?t) (?:work|working|arrive|arrived|load|loading|open)|(?:haven'?t|have not|never|didn'?t) (?:received|got|get|arrived)|still waiting|where is my|how (?:do|can) i)\b/i;

const TICKET_WORDS: Record<TicketStatus, string> = { new: 'new', active: 'active', pending: 'pending', resolved: 'resolved', inactive: 'inactive' };

/** PageRank over the similarity graph (weighted, undirected): the centrality of each sentence, max 1. */
export function centrality(vectors: Vector[], damping = 0.85, iterations = 30): number[] {
  const n = vectors.length;
  if (n === 0) return [];
  const weights: number[][] = vectors.map((a, i) => vectors.map((b, j) => (i === j ? 0 : cosine(a, b))));
  const outSum = weights.map((row) => row.reduce((sum, w) => sum + w, 0));
  let scores = new Array<number>(n).fill(1 / n);
  for (let iteration = 0; iteration < iterations; iteration++) {
    const next = new Array<number>(n).fill((1 - damping) / n);
    for (let j = 0; j < n; j++) {
      const out = outSum[j] ?? 0;
      const score = scores[j] ?? 0;
      // A sentence with no similar sentence spreads its score evenly (the usual dangling-node rule).
      if (out === 0) for (let i = 0; i < n; i++) next[i] = (next[i] ?? 0) + (damping * score) / n;
      else for (let i = 0; i < n; i++) next[i] = (next[i] ?? 0) + (damping * score * (weights[j]?.[i] ?? 0)) / out;
    }
    scores = next;
  }
  const max = Math.max(...scores);
  return scores.map((s) => (max > 0 ? s / max : 0));
}

export function isQuestion(sentence: string): boolean {
  return /\?\s*$/.test(sentence) || INTERROGATIVE.test(sentence.trim());
}

export function isRequest(sentence: string): boolean {
  return REQUEST.test(sentence);
}

function quote(text: string, max: number): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  return clean.length <= max ? clean : `${clean.slice(0, max - 1).trimEnd()}…`;
}

/** Where the conversation stands, in one sentence. */
export function statusLine(status: SummaryStatus): string {
  if (status.state === 'closed') return `Closed (${TICKET_WORDS[status.ticketStatus]}).`;
  const parts = [`Open, ${TICKET_WORDS[status.ticketStatus]}`];
  if (status.holderName) parts.push(`${status.holderName} is handling it`);
  else if (status.muted) parts.push('nobody is handling it and the bot is muted');
  else parts.push('the bot is answering');
  if (status.botStatus === 'need_help') parts.push('the visitor asked for a person');
  // Whether the bot understood matters while the bot is the one answering.
  else if (status.botStatus === 'not_understood' && !status.holderName) parts.push("the bot didn't understand the last message");
  return `${parts.join('; ')}.`;
}

/**
 * How much a visitor sentence looks like their key request: central to the conversation, asking or requesting,
 * with some substance. Asking for a person is left to the status line (the bot's `need_help`).
 */
function requestScore(s: Sentence, centrality: number): number {
  return centrality + (s.question ? 0.35 : 0) + (s.request ? 0.35 : 0) + Math.min(0.3, s.terms.length * 0.03) - (wantsHuman(s.text) ? 0.6 : 0);
}

/** “a”, “b” and “c” (a closing full stop inside a quote is dropped; ? and ! stay). */
function joinQuotes(items: string[]): string {
  const quoted = items.map((t) => `“${t.replace(/\.$/, '')}”`);
  return quoted.length <= 1 ? (quoted[0] ?? '') : `${quoted.slice(0, -1).join(', ')} and ${quoted.at(-1)}`;
}

export function summarise(messages: readonly SummaryMessage[], status: SummaryStatus, options: SummaryOptions = {}): Summary {
  const maxRequests = options.maxRequests ?? 3;
  const maxQuote = options.maxQuote ?? 200;
  const all: Sentence[] = [];
  messages.forEach((m, message) => {
    if (m.author === 'system') return;
    for (const text of sentences(m.text)) {
      all.push({ index: all.length, message, author: m.author, text, terms: terms(text), question: isQuestion(text), request: isRequest(text) });
    }
  });
  // Sentences with no meaningful word ("Hi!", "Thanks.") take no part.
  const usable = all.filter((s) => s.terms.length > 0);
  const vectors = tfidfVectors(usable.map((s) => s.terms));
  const vectorOf = new Map(usable.map((s, i) => [s.index, vectors[i] ?? new Map()]));
  const rank = centrality(vectors);
  const centralityOf = new Map(usable.map((s, i) => [s.index, rank[i] ?? 0]));

  // 3. Requests.
  const visitor = usable.filter((s) => s.author === 'visitor');
  const asking = visitor.filter((s) => s.question || s.request);
  const candidates = (asking.length > 0 ? asking : visitor)
    .map((s) => ({ s, score: requestScore(s, centralityOf.get(s.index) ?? 0) }))
    .sort((a, b) => b.score - a.score);
  const chosen: Sentence[] = [];
  for (const { s } of candidates) {
    if (chosen.length >= maxRequests) break;
    const vector = vectorOf.get(s.index) ?? new Map();
    if (chosen.some((c) => cosine(vectorOf.get(c.index) ?? new Map(), vector) > 0.5)) continue;
    chosen.push(s);
  }
  chosen.sort((a, b) => a.index - b.index);

  // 4. Answers: the most similar agent/bot sentence after the request, before the next chosen request.
  const replies = usable.filter((s) => s.author === 'agent' || s.author === 'bot');
  const answered = new Map<number, Sentence>();
  chosen.forEach((request, i) => {
    const nextRequest = chosen[i + 1];
    const end = nextRequest ? nextRequest.message : messages.length;
    const window = replies.filter((r) => r.message > request.message && r.message < end);
    const vector = vectorOf.get(request.index) ?? new Map();
    let best: { s: Sentence; score: number } | null = null;
    for (const r of window) {
      const similarity = cosine(vector, vectorOf.get(r.index) ?? new Map());
      if (similarity < 0.05) continue;
      const score = similarity + 0.1 * (centralityOf.get(r.index) ?? 0);
      if (!best || score > best.score) best = { s: r, score };
    }
    // Nothing shares a word with it: an agent's reply right after it still answers it (its most central sentence).
    if (!best) {
      const firstAgent = window.find((r) => r.author === 'agent');
      const sameMessage = firstAgent ? window.filter((r) => r.message === firstAgent.message) : [];
      const central = sameMessage.sort((a, b) => (centralityOf.get(b.index) ?? 0) - (centralityOf.get(a.index) ?? 0))[0];
      if (central) best = { s: central, score: 0 };
    }
    if (best) answered.set(request.index, best.s);
  });

  // 5. Open questions: requests nobody answered, and the visitor's questions after the last reply.
  const lastReply = [...messages.keys()].reverse().find((i) => messages[i]?.author === 'agent' || messages[i]?.author === 'bot') ?? -1;
  const open = new Map<number, Sentence>();
  for (const request of chosen) if (!answered.has(request.index)) open.set(request.index, request);
  for (const s of all) if (s.author === 'visitor' && s.message > lastReply && /\?\s*$/.test(s.text) && !answered.has(s.index)) open.set(s.index, s);

  const points: SummaryPoint[] = [];
  const seen = new Set<string>();
  const push = (kind: SummaryPoint['kind'], text: string) => {
    const key = `${kind}:${sameText(text)}`;
    if (seen.has(key)) return;
    seen.add(key);
    points.push({ kind, text: quote(text, maxQuote) });
  };
  for (const request of chosen) {
    if (open.has(request.index)) continue;
    push('request', request.text);
    const answer = answered.get(request.index);
    if (answer) push('answer', answer.text);
  }
  for (const s of [...open.values()].sort((a, b) => a.index - b.index)) push('open_question', s.text);
  push('status', statusLine(status));

  const of = (kind: SummaryPoint['kind']) => points.filter((p) => p.kind === kind).map((p) => p.text);
  const prose: string[] = [];
  if (of('request').length) prose.push(`The visitor asked ${joinQuotes(of('request'))}.`);
  if (of('answer').length) prose.push(`They were told ${joinQuotes(of('answer'))}.`);
  if (of('open_question').length) prose.push(`Still open: ${joinQuotes(of('open_question'))}.`);
  if (!of('request').length && !of('open_question').length && !visitor.length) prose.push('The visitor has not asked anything yet.');
  prose.push(of('status')[0] ?? '');
  return { text: prose.join(' ').trim(), points };
}
