// Unit tests of the pure rules: FAQ matching, bot decision, time windows, ticket status, mute, handoff.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Faq, QuickReply } from '../../protocol/types.js';
import { DEFAULT_SETTINGS, decideReply, replyWhileWaiting, wantsHuman } from '../../server/rules/bot.js';
import { FaqMatcher } from '../../server/rules/faq-matcher.js';
import { checkClaim, checkRelease } from '../../server/rules/handoff.js';
import { autoUnmuteCutoff, botMayAnswer, unmuteAt } from '../../server/rules/mute.js';
import { afterAgentReply, afterVisitorMessage } from '../../server/rules/ticket-status.js';
import { isWithinWindows, localTime } from '../../server/rules/time-windows.js';
import { rangeEnd, rangeStart } from '../../protocol/inbox.js';

const faq = (id: string, type: Faq['type'], questions: string[], answer: string, archived = false): Faq => ({
  id,
  type,
  questions,
  answer,
  archived,
  updatedAt: '2026-01-01T00:00:00.000Z',
});

const FAQS = [
  faq('greet', 'greeting', ['hello', 'hi'], 'Hello!'),
  faq('hours', 'general', ['What are your opening hours?'], 'Mon–Fri 9–18.'),
  faq('delivery', 'general', ['How long does delivery take?', 'shipping time'], '2–4 days.'),
  faq('old', 'general', ['Do you sell fax machines?'], 'Not any more.', true),
];

describe('FAQ matching', () => {
  const matcher = new FaqMatcher(FAQS);
  test('exact question scores 1', () => {
    const match = matcher.match('What are your opening hours?');
    assert.equal(match?.faq.id, 'hours');
    assert.equal(match?.score, 1);
  });
  test('tolerates spelling mistakes and word order', () => {
    assert.equal(matcher.match('how long does delivry take')?.faq.id, 'delivery');
    assert.equal(matcher.match('hours opening?')?.faq.id, 'hours');
    assert.ok((matcher.match('opning hours')?.score ?? 0) >= 0.5);
  });
  test('unrelated text has no good match', () => {
    const match = matcher.match('Can I bring my parrot to the store on Sunday?');
    assert.ok(!match || match.score < DEFAULT_SETTINGS.faqThreshold, JSON.stringify(match));
  });
  test('archived FAQs are ignored', () => {
    assert.notEqual(matcher.match('Do you sell fax machines?')?.faq.id, 'old');
  });
});

describe('small talk', () => {
  const matcher = new FaqMatcher([
    ...FAQS,
    faq('bye', 'closing', ['bye', 'goodbye', 'thanks', 'thank you'], 'You are welcome!'),
    faq('ok', 'filler', ['ok', 'okay'], 'Anything else?'),
    faq('pay', 'general', ['What payment methods do you accept?', 'paypal'], 'Cards and PayPal.'),
    faq('returns', 'general', ['How can I return an item?', 'return policy', 'refund'], 'Within 30 days.'),
  ]);
  const answer = (text: string) => {
    const reply = decideReply(text, { matcher, quickReplies: [], settings: DEFAULT_SETTINGS, now: new Date('2026-08-10T10:00:00.000Z') });
    return reply.source === 'faq' ? reply.text : reply.source;
  };

  test('a greeting, a thank-you or a filler alone is answered as such', () => {
    assert.equal(answer('hello'), 'Hello!');
    assert.equal(answer('Hi there!'), 'Hello!');
    assert.equal(answer('HELLO!!'), 'Hello!');
    assert.equal(answer('Thank you so much'), 'You are welcome!');
    assert.equal(answer('okay'), 'Anything else?');
  });

  test('a greeting before a question answers the question', () => {
    assert.equal(answer('Hello, do you accept paypal?'), 'Cards and PayPal.');
    assert.equal(answer('hi, I need a refund'), 'Within 30 days.');
    assert.equal(answer('Hi, I would like to return my boots'), 'Within 30 days.');
    // Contractions are not words of their own ("I'd" is not "I" and "d").
    assert.equal(answer("I'd like to return my jacket"), 'Within 30 days.');
    assert.equal(answer('ok thanks, how long does delivery take?'), '2–4 days.');
  });

  test('a greeting before a question the FAQs do not answer is not answered with the greeting', () => {
    assert.equal(answer('Hi, where is my order #1234?'), 'fallback');
    assert.equal(answer('Hello, is there a store in Berlin?'), 'fallback');
    // Nor at a lower threshold, nor among the agents' suggestions (which take weaker matches than the bot).
    assert.equal(
      decideReply('Hi, where is my order #1234?', { matcher, quickReplies: [], settings: { ...DEFAULT_SETTINGS, faqThreshold: 0.2 }, now: new Date() }).source,
      'fallback',
    );
    assert.deepEqual(
      matcher
        .matches('Bonjour hi, my parcel is late')
        .map((m) => m.faq.type)
        .filter((type) => type !== 'general'),
      [],
    );
  });
});

describe('bot decision', () => {
  const matcher = new FaqMatcher(FAQS);
  const night: QuickReply = {
    id: 'qr',
    name: 'Night',
    text: 'We are closed, back at 9.',
    choices: ['Opening hours'],
    timezone: 'Europe/Paris',
    windows: [{ days: [0, 1, 2, 3, 4, 5, 6], start: '18:00', end: '09:00' }],
    enabled: true,
    updatedAt: '2026-01-01T00:00:00.000Z',
  };
  const at2300Paris = new Date('2026-08-10T21:00:00.000Z'); // 23:00 in Paris (UTC+2)
  const at1200Paris = new Date('2026-08-10T10:00:00.000Z');

  test('FAQ first by default; quick reply when no FAQ matches and one is active', () => {
    const context = { matcher, quickReplies: [night], settings: DEFAULT_SETTINGS, now: at2300Paris };
    assert.equal(decideReply('hello', context).source, 'faq');
    const qr = decideReply('random words here', context);
    assert.equal(qr.source, 'quick_reply');
    assert.deepEqual(qr.choices, ['Opening hours']);
    assert.equal(decideReply('random words here', { ...context, now: at1200Paris }).source, 'fallback');
  });
  test('quick reply first when configured', () => {
    const settings = { ...DEFAULT_SETTINGS, responderPriority: ['quick_reply', 'faq'] as const };
    const context = { matcher, quickReplies: [night], settings: { ...settings, responderPriority: [...settings.responderPriority] }, now: at2300Paris };
    assert.equal(decideReply('hello', context).source, 'quick_reply');
    assert.equal(decideReply('hello', { ...context, now: at1200Paris }).source, 'faq');
  });
  test('no match → fallback and not_understood; asking for a human → need_help', () => {
    const context = { matcher, quickReplies: [], settings: DEFAULT_SETTINGS, now: at1200Paris };
    assert.equal(decideReply('blorp zzz', context).botStatus, 'not_understood');
    assert.equal(decideReply('can I talk to a human?', context).botStatus, 'need_help');
    assert.equal(decideReply('I need an agent', context).botStatus, 'need_help');
    assert.ok(!wantsHuman('what are your opening hours'));
    assert.equal(decideReply('Hello, is anyone there?', context).botStatus, 'need_help');
    assert.equal(decideReply('anybody around?', context).botStatus, 'need_help');
    assert.ok(!wantsHuman('Can anyone use the discount code?'));
  });
  test('while a visitor waits for a person: known answers keep need_help, the fallback is not sent', () => {
    const context = { matcher, quickReplies: [], settings: DEFAULT_SETTINGS, now: at1200Paris };
    const hello = decideReply('hello', context);
    assert.deepEqual(replyWhileWaiting(hello, 'need_help'), { ...hello, botStatus: 'need_help' });
    assert.equal(replyWhileWaiting(decideReply('blorp zzz', context), 'need_help'), null);
    assert.equal(replyWhileWaiting(decideReply('a human please', context), 'need_help')?.source, 'handoff');
    for (const status of ['ok', 'not_understood'] as const) {
      assert.equal(replyWhileWaiting(decideReply('blorp zzz', context), status)?.botStatus, 'not_understood');
      assert.equal(replyWhileWaiting(hello, status), hello);
    }
  });
});

describe('time windows', () => {
  test('local time follows the zone, including DST', () => {
    assert.deepEqual(localTime(new Date('2026-01-05T08:30:00Z'), 'Europe/Paris'), { day: 1, minutes: 9 * 60 + 30 });
    assert.deepEqual(localTime(new Date('2026-07-06T08:30:00Z'), 'Europe/Paris'), { day: 1, minutes: 10 * 60 + 30 });
  });
  test('windows wrapping midnight belong to the day they start', () => {
    const fridayNight = [{ days: [5], start: '22:00', end: '06:00' }];
    assert.ok(isWithinWindows(fridayNight, 'UTC', new Date('2026-08-14T23:00:00Z'))); // Fri 23:00
    assert.ok(isWithinWindows(fridayNight, 'UTC', new Date('2026-08-15T05:59:00Z'))); // Sat 05:59
    assert.ok(!isWithinWindows(fridayNight, 'UTC', new Date('2026-08-15T06:00:00Z')));
    assert.ok(!isWithinWindows(fridayNight, 'UTC', new Date('2026-08-13T23:00:00Z'))); // Thu
  });
  test('same-day window is half-open', () => {
    const office = [{ days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00' }];
    assert.ok(isWithinWindows(office, 'America/New_York', new Date('2026-08-10T13:00:00Z'))); // Mon 09:00 NY
    assert.ok(!isWithinWindows(office, 'America/New_York', new Date('2026-08-10T22:00:00Z'))); // Mon 18:00 NY
    assert.ok(!isWithinWindows(office, 'America/New_York', new Date('2026-08-09T14:00:00Z'))); // Sunday
  });
});

describe('ticket status, mute, handoff', () => {
  test('transitions', () => {
    assert.equal(afterVisitorMessage(false), 'new');
    assert.equal(afterAgentReply(), 'active');
    assert.equal(afterVisitorMessage(true), 'pending');
  });
  test('mute window', () => {
    assert.equal(unmuteAt('2026-08-10T00:00:00.000Z', 72), '2026-08-13T00:00:00.000Z');
    assert.equal(unmuteAt(null, 72), null);
    assert.equal(autoUnmuteCutoff(new Date('2026-08-13T00:00:00.000Z'), 72), '2026-08-10T00:00:00.000Z');
    assert.ok(botMayAnswer({ muted: false, holderId: null, state: 'open' }));
    assert.ok(!botMayAnswer({ muted: true, holderId: null, state: 'open' }));
    assert.ok(!botMayAnswer({ muted: false, holderId: 'a', state: 'open' }));
    assert.ok(!botMayAnswer({ muted: false, holderId: null, state: 'closed' }));
  });
  test('claims and releases', () => {
    const alice = { id: 'a', name: 'Alice', role: 'agent' as const };
    const admin = { id: 'z', name: 'Zoe', role: 'admin' as const };
    assert.doesNotThrow(() => checkClaim(null, null, alice, false));
    assert.doesNotThrow(() => checkClaim('a', 'Alice', alice, false));
    assert.throws(() => checkClaim('b', 'Bob', alice, false), { code: 'already_claimed' });
    assert.throws(() => checkClaim('b', 'Bob', alice, true), { code: 'forbidden' });
    assert.doesNotThrow(() => checkClaim('b', 'Bob', admin, true));
    assert.throws(() => checkRelease(null, alice), { code: 'conflict' });
    assert.throws(() => checkRelease('b', alice), { code: 'forbidden' });
    assert.doesNotThrow(() => checkRelease('b', admin));
  });
  test('date ranges on last activity are inclusive by day', () => {
    assert.equal(rangeStart('2026-08-07'), '2026-08-07T00:00:00.000Z');
    assert.equal(rangeEnd('2026-08-09'), '2026-08-10T00:00:00.000Z');
  });
});
