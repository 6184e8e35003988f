// Unit tests of the AI assist's pure rules: the extractive summariser, the past-answers index, picking and parsing suggestions.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Faq, MessageAuthor } from '../../protocol/types.js';
import { FaqMatcher } from '../../server/rules/faq-matcher.js';
import { ExchangeCollector, PastAnswers, depersonalise } from '../../server/rules/past-answers.js';
import { parseSuggestions, parseSummary, pickSuggestions, transcriptForProvider } from '../../server/rules/suggestions.js';
import { type SummaryStatus, centrality, isQuestion, isRequest, summarise } from '../../server/rules/summarise.js';
import { cosine, sentences, stem, terms, tfidfVectors } from '../../server/rules/text-similarity.js';

const lines = (...list: [MessageAuthor, string][]) => list.map(([author, text], i) => ({ id: i + 1, author, text }));
const OPEN: SummaryStatus = { state: 'open', ticketStatus: 'active', botStatus: 'ok', muted: true, holderName: 'Sam' };

/** Ten messages: a damaged jacket, a refund, a return question answered, a discount question still open. */
const JACKET = lines(
  ['visitor', 'Hi there'],
  ['bot', 'Hello! How can I help you today?'],
  ['visitor', 'I ordered a jacket last week and it arrived damaged. I would like a refund for the damaged jacket.'],
  ['bot', "Sorry, I didn't understand that. Could you rephrase? You can also ask for a human agent."],
  ['visitor', 'Can I talk to a person please?'],
  ['bot', 'I am asking a member of our team to join. They will answer here as soon as possible.'],
  ['agent', "Hi, I'm Sam. I'm sorry about the jacket. I have started the refund for your damaged jacket; refunds take 5 days to reach your card."],
  ['visitor', 'Thanks. Do I need to send the jacket back?'],
  ['agent', 'No need to send it back, keep it or recycle it.'],
  ['visitor', 'And can I get a discount code for my next order?'],
);

describe('text similarity', () => {
  test('stemming meets word forms; stop words and filler go', () => {
    assert.deepEqual(['refund', 'refunds', 'refunded', 'refunding'].map(stem), ['refund', 'refund', 'refund', 'refund']);
    assert.equal(stem('deliveries'), 'delivery');
    assert.equal(stem('shipping'), 'ship');
    assert.deepEqual(terms("Hi, how long does a refund take? I don't know"), ['long', 'refund', 'take', 'know']);
  });
  test('sentences split at line breaks and sentence ends', () => {
    assert.deepEqual(sentences('Hello. How are you?\nFine!  Thanks'), ['Hello.', 'How are you?', 'Fine!', 'Thanks']);
  });
  test('TF-IDF cosine: shared rare words weigh more than common ones', () => {
    const [a, b, c] = tfidfVectors([terms('refund for the jacket'), terms('the jacket refund takes five days'), terms('opening hours of the shop')]);
    assert.ok(a && b && c);
    assert.ok(cosine(a, b) > 0.3);
    assert.equal(cosine(a, c), 0);
  });
  test('centrality: the sentence sharing words with most others ranks first', () => {
    const vectors = tfidfVectors([terms('jacket refund'), terms('refund days'), terms('jacket refund days'), terms('weather')]);
    const rank = centrality(vectors);
    assert.equal(rank.indexOf(Math.max(...rank)), 2);
    assert.ok((rank[3] ?? 1) < (rank[2] ?? 0));
  });
  test('questions and requests', () => {
    assert.ok(isQuestion('How long does a refund take'));
    assert.ok(isQuestion('my order?'));
    assert.ok(!isQuestion('Thanks a lot.'));
    assert.ok(isRequest('I would like a refund'));
    assert.ok(isRequest("My code isn't working"));
    assert.ok(!isRequest('Nice weather today'));
  });
});

describe('extractive summary', () => {
  test('the key request, its answer, the open question and the status', () => {
    const summary = summarise(JACKET, { ...OPEN, botStatus: 'need_help' });
    const kinds = (kind: string) => summary.points.filter((p) => p.kind === kind).map((p) => p.text);
    assert.match(kinds('request').join(' '), /refund.*damaged jacket/);
    assert.ok(
      kinds('answer').some((t) => /refunds take 5 days/.test(t)),
      JSON.stringify(summary.points),
    );
    assert.ok(kinds('answer').some((t) => /No need to send it back/.test(t)));
    assert.deepEqual(kinds('open_question'), ['And can I get a discount code for my next order?']);
    assert.deepEqual(kinds('status'), ['Open, active; Sam is handling it; the visitor asked for a person.']);
    // Asking for a person is the status's business, not a request; greetings are nobody's.
    assert.ok(!kinds('request').some((t) => /person|Hi there/.test(t)));
    assert.match(summary.text, /^The visitor asked “I would like a refund for the damaged jacket”/);
    assert.match(summary.text, /Still open: “And can I get a discount code/);
  });

  test('a request nobody answered is an open question, not a request', () => {
    const summary = summarise(
      lines(['visitor', 'My parcel never arrived, where is my order 1234?'], ['bot', "Sorry, I didn't understand that."], ['visitor', 'Hello?']),
      { ...OPEN, holderName: null, muted: false, botStatus: 'not_understood' },
    );
    assert.deepEqual(
      summary.points.filter((p) => p.kind === 'open_question').map((p) => p.text),
      ['My parcel never arrived, where is my order 1234?', 'Hello?'],
    );
    assert.equal(summary.points.filter((p) => p.kind === 'request').length, 0);
    assert.match(summary.text, /the bot is answering; the bot didn't understand the last message\.$/);
  });

  test('long sentences are cut; closed conversations say so; nothing asked yet', () => {
    const long = `I need help with ${'a very long story '.repeat(30)}`;
    const summary = summarise(
      lines(['visitor', long], ['agent', 'Sure, tell me more about the story.']),
      { ...OPEN, state: 'closed', ticketStatus: 'resolved' },
      { maxQuote: 80 },
    );
    const request = summary.points.find((p) => p.kind === 'request');
    assert.ok(request && request.text.length === 80 && request.text.endsWith('…'));
    assert.equal(summary.points.at(-1)?.text, 'Closed (resolved).');
    const quiet = summarise(lines(['agent', 'Hello, following up on your order.']), OPEN);
    assert.match(quiet.text, /has not asked anything yet/);
  });
});

describe('past answers', () => {
  const feed = (collector: ExchangeCollector, index: PastAnswers, messages: { conversationId: string; author: MessageAuthor; text: string }[], start = 1) =>
    messages.forEach((m, i) => {
      const exchange = collector.feed({ id: start + i, ...m });
      if (exchange) index.add(exchange);
    });

  test('a visitor question and the next agent reply form an exchange; bot replies in between are skipped', () => {
    const collector = new ExchangeCollector();
    const index = new PastAnswers();
    feed(collector, index, [
      { conversationId: 'a', author: 'visitor', text: 'I asked for a refund, when do I get my money?' },
      { conversationId: 'a', author: 'bot', text: "Sorry, I didn't understand that." },
      { conversationId: 'b', author: 'visitor', text: 'Do you ship to Norway?' },
      { conversationId: 'a', author: 'agent', text: 'Refunds take 5 days to reach your card.' },
      { conversationId: 'a', author: 'agent', text: 'Anything else I can do for you today?' },
      { conversationId: 'b', author: 'agent', text: 'ok' },
    ]);
    assert.equal(index.size, 1, 'a second agent message and a too-short answer make no exchange');
    const [hit] = index.search('how long does a refund take?');
    assert.equal(hit?.exchange.answer, 'Refunds take 5 days to reach your card.');
    assert.ok((hit?.coverage ?? 0) >= 0.3);
    assert.deepEqual(index.search('how long does a refund take?', { excludeConversationId: 'a' }), []);
    assert.deepEqual(index.search('what colour is the sky'), []);
  });

  test('fuzzy and prefix matching; one entry per distinct answer; the oldest exchanges leave first', () => {
    const collector = new ExchangeCollector();
    const index = new PastAnswers(3);
    feed(collector, index, [
      { conversationId: 'a', author: 'visitor', text: 'Where is my delivery?' },
      { conversationId: 'a', author: 'agent', text: 'Deliveries take 2 to 4 working days.' },
      { conversationId: 'b', author: 'visitor', text: 'my delivery is late' },
      { conversationId: 'b', author: 'agent', text: 'Deliveries take 2 to 4 working days' },
      { conversationId: 'c', author: 'visitor', text: 'Can I pay by invoice?' },
      { conversationId: 'c', author: 'agent', text: 'Yes, invoices are fine for companies.' },
    ]);
    const hits = index.search('delivry late');
    assert.equal(hits.length, 1);
    assert.equal(hits[0]?.count, 2);
    assert.equal(index.search('invoi')[0]?.exchange.answer, 'Yes, invoices are fine for companies.');
    feed(
      collector,
      index,
      [
        { conversationId: 'd', author: 'visitor', text: 'Do you have gift cards?' },
        { conversationId: 'd', author: 'agent', text: 'Gift cards are sold in the shop.' },
      ],
      100,
    );
    assert.equal(index.size, 3);
    assert.equal(index.search('where is my delivery')[0]?.exchange.conversationId, 'b', 'the oldest exchange (a) was dropped');
  });
});

describe('depersonalising a past answer', () => {
  const ann = { first_name: 'Ann', last_name: 'Lee', email: 'ann@example.com', phone_number: '+33 6 12 34 56 78' };
  test("the old visitor's name becomes the new one's, or 'there'; words that only look like it stay", () => {
    assert.equal(depersonalise('Hi Ann Lee, refunds take 5 days. Thanks Ann!', ann, { first_name: 'Bob' }), 'Hi Bob, refunds take 5 days. Thanks Bob!');
    assert.equal(depersonalise('Hi Ann, refunds take 5 days, Mrs Lee.', ann, {}), 'Hi there, refunds take 5 days, Mrs.');
    // Capitalised "Will" is the name (even opening a sentence); the new name is inserted as is ($& is not a pattern).
    assert.equal(depersonalise('Will do, Will.', { first_name: 'will' }, { first_name: '$& Bob' }), '$& Bob do, $& Bob.');
    assert.equal(depersonalise('We will refund the annual fee.', { first_name: 'will', last_name: 'Ann' }, {}), 'We will refund the annual fee.');
  });
  test('an answer quoting their email or phone is not offered', () => {
    assert.equal(depersonalise('I sent it to ANN@example.com', ann, {}), null);
    assert.equal(depersonalise('I will call +33 6 12 34 56 78', ann, {}), null);
    assert.equal(depersonalise('Refunds take 5 days.', {}, {}), 'Refunds take 5 days.');
  });
});

describe('picking suggestions', () => {
  test('best first, no duplicates, never the last agent message, at most two per source while others fit', () => {
    const picked = pickSuggestions(
      [
        { text: 'Refunds take 5 days.', source: 'past_answer', score: 0.9 },
        { text: 'refunds take 5 days', source: 'faq', score: 0.5 },
        { text: 'We are open 9 to 5.', source: 'faq', score: 0.8 },
        { text: 'Anything else?', source: 'past_answer', score: 0.7 },
        { text: 'Shall I check your order?', source: 'past_answer', score: 0.6 },
        { text: 'Thanks for waiting', source: 'quick_reply', score: 0.1 },
      ],
      { lastAgentText: 'We are open 9 to 5' },
    );
    assert.deepEqual(picked, [
      { text: 'Refunds take 5 days.', source: 'past_answer' },
      { text: 'Anything else?', source: 'past_answer' },
      { text: 'Thanks for waiting', source: 'quick_reply' },
    ]);
  });
  test('weak matches only top the list up to two', () => {
    const strong = { text: 'Strong', source: 'faq' as const, score: 0.5 };
    const weak = (text: string, score: number) => ({ text, source: 'past_answer' as const, score, weak: true });
    assert.deepEqual(
      pickSuggestions([weak('W1', 0.25), strong, weak('W2', 0.2)]).map((s) => s.text),
      ['Strong', 'W1'],
    );
    assert.deepEqual(
      pickSuggestions([strong, { ...strong, text: 'Also strong', score: 0.4 }, weak('W1', 0.25)]).map((s) => s.text),
      ['Strong', 'Also strong'],
    );
    assert.deepEqual(
      pickSuggestions([weak('W1', 0.25)]).map((s) => s.text),
      ['W1'],
    );
  });
  test('a refresh leaves out what was shown when two others fit', () => {
    const all = ['a1', 'b2', 'c3', 'd4', 'e5'].map((text, i) => ({ text, source: 'ai' as const, score: 1 - i / 10 }));
    assert.deepEqual(
      pickSuggestions(all, { skip: ['a1', 'b2', 'c3'] }).map((s) => s.text),
      ['d4', 'e5'],
    );
    assert.deepEqual(
      pickSuggestions(all.slice(0, 4), { skip: ['a1', 'b2', 'c3'] }).map((s) => s.text),
      ['a1', 'b2', 'c3'],
      'one other is not enough: the best again',
    );
  });
});

describe('provider text', () => {
  test('the transcript has roles and text only, emails masked, system lines dropped, the latest kept', () => {
    const text = transcriptForProvider([
      { author: 'visitor', text: 'I am anna.b@example.com,  please\nhelp' },
      { author: 'system', text: 'Sam joined' },
      { author: 'agent', text: 'Sure!' },
    ]);
    assert.equal(text, 'Visitor: I am [email], please help\nAgent: Sure!');
    assert.equal(
      transcriptForProvider(
        [
          { author: 'visitor', text: 'old '.repeat(50) },
          { author: 'bot', text: 'new' },
        ],
        20,
      ),
      'Bot: new',
    );
  });
  test('suggestions are read from JSON arrays, objects, fences or lines', () => {
    assert.deepEqual(parseSuggestions('["One", "Two", "Three", "Four"]'), ['One', 'Two', 'Three']);
    assert.deepEqual(parseSuggestions('```json\n[{"text": "A"}, {"text": "B"}]\n```'), ['A', 'B']);
    assert.deepEqual(parseSuggestions('{"suggestions": ["X", ""]}'), ['X']);
    assert.deepEqual(parseSuggestions('Here are some replies:\n1. "Hello there"\n- Sure thing\n\n* Will do'), ['Hello there', 'Sure thing', 'Will do']);
  });
  test('a summary is read from JSON (unknown kinds dropped) or prose', () => {
    assert.deepEqual(
      parseSummary(
        '{"text": "Wants a refund.", "points": [{"kind": "request", "text": "Refund"}, {"kind": "mood", "text": "angry"}, {"kind": "status", "text": "x"}]}',
      ),
      {
        text: 'Wants a refund.',
        points: [{ kind: 'request', text: 'Refund' }],
      },
    );
    assert.deepEqual(parseSummary('The visitor wants a refund.'), { text: 'The visitor wants a refund.', points: [] });
    assert.equal(parseSummary('{"points": []}'), null);
  });
});

describe('FAQ matches', () => {
  const faq = (id: string, questions: string[]): Faq => ({
    id,
    type: 'general',
    questions,
    answer: id,
    archived: false,
    updatedAt: '2026-01-01T00:00:00.000Z',
  });
  test('every matching FAQ, best first, once each; `match` is the first', () => {
    const matcher = new FaqMatcher([
      faq('refund', ['How long does a refund take?', 'refund time']),
      faq('returns', ['How do I return an item?']),
      faq('hours', ['Opening hours']),
    ]);
    const matches = matcher.matches('refund for a returned item');
    assert.deepEqual(
      matches.map((m) => m.faq.id),
      ['returns', 'refund'],
    );
    assert.equal(matcher.match('refund for a returned item')?.faq.id, matches[0]?.faq.id);
    assert.deepEqual(matcher.matches('   '), []);
  });
});
