// Bot and admin screens (session 5): personalised answers, the test box's threshold, the sample CSV, the bot settings.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { createSigner } from 'fast-jwt';
import type { BotSettings, FaqImportResult, FaqTestResult } from '../../protocol/api.js';
import type { ErrorBody } from '../../protocol/errors.js';
import type { ConversationDetail, Faq, Message, QuickReply, UserData } from '../../protocol/types.js';
import { hasPlaceholders, personalise, visitorValues } from '../../server/rules/personalise.js';
import { type TestHub, clientId, next, request, startHub } from '../helpers/hub.js';

describe('personalise (pure)', () => {
  const ada = { first_name: 'Ada', last_name: 'Lovelace', email: 'ada@example.com', phone_number: '+44 20 7946 0000' };

  test('fills every known placeholder', () => {
    assert.equal(personalise('Hi {first_name} {last_name} ({email}, {phone_number})', ada), 'Hi Ada Lovelace (ada@example.com, +44 20 7946 0000)');
  });

  test('a fallback stands in for an unknown or blank value, and is not used when the value is known', () => {
    assert.equal(personalise('Hello {first_name|there}!', {}), 'Hello there!');
    assert.equal(personalise('Hello {first_name|there}!', { first_name: '   ' }), 'Hello there!');
    assert.equal(personalise('Hello {first_name|there}!', { first_name: null }), 'Hello there!');
    assert.equal(personalise('Hello {first_name|there}!', ada), 'Hello Ada!');
    assert.equal(personalise('Hello { first_name | my friend }!', {}), 'Hello my friend!', 'spaces around the name and fallback');
    assert.equal(personalise('We write to {email|you}.', {}), 'We write to you.');
  });

  test('without a fallback an unknown value leaves nothing, and no stray space before punctuation', () => {
    assert.equal(personalise('Hello {first_name}!', {}), 'Hello!');
    assert.equal(personalise('Hello {first_name}, welcome', {}), 'Hello, welcome');
    assert.equal(personalise('Hi {first_name} {last_name}!', { first_name: 'Ada' }), 'Hi Ada!');
    assert.equal(personalise('Hi {first_name} {last_name}!', {}), 'Hi!');
    assert.equal(personalise('{first_name}', {}), '');
    assert.equal(personalise('Dear {first_name} customer', {}), 'Dear customer');
  });

  test('an unknown placeholder is left as typed', () => {
    for (const text of ['Your order {order_id} ships', '{First_Name}', '{first name|x}', '{ }', '{first_name', 'first_name}', '{{first_name}}x']) {
      const out = personalise(text, ada);
      if (text === '{{first_name}}x') assert.equal(out, '{Ada}x');
      else assert.equal(out, text, text);
    }
    assert.equal(personalise('{order_id|none} {first_name|there}', {}), '{order_id|none} there');
  });

  test('values are inserted as they are: plain text, markup and $-patterns included', () => {
    const xss = '<img src=x onerror=alert(1)>';
    assert.equal(personalise('Hi {first_name}', { first_name: xss }), `Hi ${xss}`);
    assert.equal(personalise('Hi {first_name}', { first_name: "$& $' $1" }), "Hi $& $' $1");
    assert.equal(personalise('Hi {first_name}', { first_name: '{last_name}' }), 'Hi {last_name}', 'a value is not substituted again');
  });

  test('hasPlaceholders sees only known names', () => {
    assert.equal(hasPlaceholders('Hi {first_name|there}'), true);
    assert.equal(hasPlaceholders('Hi {first_name|there}'), true, 'stateless across calls');
    assert.equal(hasPlaceholders('Your order {order_id}'), false);
    assert.equal(hasPlaceholders('plain'), false);
  });

  test('visitorValues: what the page sent, else what the site signed', () => {
    assert.deepEqual(visitorValues({ first_name: 'Ada', email: 'ada@x.org' }), { first_name: 'Ada', last_name: null, email: 'ada@x.org', phone_number: null });
    assert.deepEqual(visitorValues({}, { name: 'Grace Brewster Hopper', email: 'grace@navy.mil', phone: '+1 555' }), {
      first_name: 'Grace',
      last_name: 'Brewster Hopper',
      email: 'grace@navy.mil',
      phone_number: '+1 555',
    });
    assert.deepEqual(visitorValues({}, {}), { first_name: null, last_name: null, email: null, phone_number: null });
  });
});

let h: TestHub;
let admin: string;
let agent: { token: string };

before(async () => {
  h = await startHub(null);
  admin = await h.login();
  agent = await h.agent('agent');
});
after(() => h.stop());

/** A visitor with `userData` says `text`; resolves the bot's answer and the conversation id. */
async function ask(text: string, userData: UserData = {}): Promise<{ answer: Message; conversationId: string }> {
  const { socket } = await h.visitor({ userData });
  const answer = next<Message>(socket, 'message:new', (m) => m.author === 'bot');
  const ack = await request<{ conversation: { id: string } }>(socket, 'message:send', { clientId: clientId(), text });
  assert.ok(ack.data, JSON.stringify(ack.error));
  const result = { answer: await answer, conversationId: ack.data.conversation.id };
  socket.disconnect();
  return result;
}

const word = () => `w${randomUUID().replace(/-/g, '').slice(0, 10)}`;

async function putSettings(body: Partial<BotSettings>, token = admin) {
  return h.api<BotSettings & ErrorBody>('PUT', '/api/settings', { token, body });
}

describe('personalised answers', () => {
  test('an FAQ answer uses the visitor’s data, with the fallback when unknown; unknown placeholders stay', async () => {
    const w = word();
    const created = await h.api<Faq>('POST', '/api/faqs', {
      token: admin,
      body: {
        type: 'general',
        questions: [`How do I ${w} my account?`],
        answer: `Hi {first_name|there}, {last_name}: ${w} in Settings. Ref {order_id}. {email|no email}`,
      },
    });
    assert.equal(created.status, 201);

    const known = await ask(`How do I ${w} my account?`, { first_name: 'Ada', last_name: 'Lovelace', email: 'ada@example.com' });
    assert.equal(known.answer.text, `Hi Ada, Lovelace: ${w} in Settings. Ref {order_id}. ada@example.com`);

    const unknown = await ask(`How do I ${w} my account?`);
    assert.equal(unknown.answer.text, `Hi there,: ${w} in Settings. Ref {order_id}. no email`);

    // What agents see is what the visitor got, and the list's preview too.
    const detail = await h.api<ConversationDetail>('GET', `/api/conversations/${known.conversationId}`, { token: admin });
    assert.equal(detail.body.messages.at(-1)?.text, known.answer.text);
    assert.equal(detail.body.conversation.lastMessage?.text, known.answer.text);
    // The FAQ itself keeps its placeholders.
    const stored = (await h.api<{ items: Faq[] }>('GET', '/api/faqs', { token: admin })).body.items.find((f) => f.id === created.body.id);
    assert.match(stored?.answer ?? '', /\{first_name\|there\}/);
  });

  test('markup in a first name comes back as the same plain text', async () => {
    const w = word();
    await h.api('POST', '/api/faqs', { token: admin, body: { type: 'general', questions: [`${w} status`], answer: 'Hello {first_name|there}!' } });
    const xss = '<img src=x onerror=alert(1)>';
    const { answer } = await ask(`${w} status`, { first_name: xss });
    assert.equal(answer.text, `Hello ${xss}!`);
  });

  test('fallback and handoff texts and quick replies are personalised too', async () => {
    const before = (await h.api<BotSettings>('GET', '/api/settings', { token: admin })).body;
    try {
      assert.equal(
        (await putSettings({ fallbackText: 'Sorry {first_name|friend}, I did not get that.', handoffText: 'Hold on {first_name|there}, a human is coming.' }))
          .status,
        200,
      );
      assert.equal((await ask('qwzx vbnm plkj', { first_name: 'Grace' })).answer.text, 'Sorry Grace, I did not get that.');
      assert.equal((await ask('qwzx vbnm plkj')).answer.text, 'Sorry friend, I did not get that.');
      assert.equal((await ask('I want to talk to a human', { first_name: 'Linus' })).answer.text, 'Hold on Linus, a human is coming.');

      const qr = await h.api<QuickReply>('POST', '/api/quick-replies', {
        token: admin,
        body: {
          name: 'Always',
          text: 'Hi {first_name|there}, we answer within the hour.',
          timezone: 'UTC',
          windows: [{ days: [0, 1, 2, 3, 4, 5, 6], start: '00:00', end: '00:00' }],
        },
      });
      assert.equal(qr.status, 201);
      await putSettings({ responderPriority: ['quick_reply', 'faq'] });
      assert.equal((await ask('anything at all', { first_name: 'Margaret' })).answer.text, 'Hi Margaret, we answer within the hour.');
      await h.api('DELETE', `/api/quick-replies/${qr.body.id}`, { token: admin });
    } finally {
      await putSettings({ fallbackText: before.fallbackText, handoffText: before.handoffText, responderPriority: before.responderPriority });
    }
  });

  test('a signed identity’s name stands in when the page sent no first name', async () => {
    const w = word();
    await h.api('POST', '/api/faqs', { token: admin, body: { type: 'general', questions: [`${w} balance`], answer: 'Hi {first_name|there} {last_name}.' } });
    // The demo site's identity secret in tests is `demo-site-secret`: sign like a site's backend would.
    const jwt = createSigner({ key: 'demo-site-secret', algorithm: 'HS256' })({ user_id: `u-${w}`, name: 'Grace Hopper', email: `${w}@navy.example` });
    const { answer, conversationId } = await ask(`${w} balance`, { user_jwt: jwt, phone_number: '+1 555 0100' });
    const detail = await h.api<ConversationDetail>('GET', `/api/conversations/${conversationId}`, { token: admin });
    assert.equal(detail.body.conversation.visitor.name, 'Grace Hopper');
    assert.equal(answer.text, 'Hi Grace Hopper.');
  });
});

describe('test FAQ box', () => {
  test('reports the live threshold and whether the bot would answer', async () => {
    const w = word();
    const created = await h.api<Faq>('POST', '/api/faqs', {
      token: admin,
      body: { type: 'general', questions: [`Can I ${w} parcels abroad quickly?`], answer: 'Yes.' },
    });
    const test = (text: string) => h.api<FaqTestResult>('POST', '/api/faqs/test', { token: agent.token, body: { text } });

    const exact = await test(`Can I ${w} parcels abroad quickly?`);
    assert.equal(exact.body.match?.faq.id, created.body.id);
    assert.deepEqual([exact.body.threshold, exact.body.wouldAnswer], [0.5, true]);

    // One word of four matches, and one of the visitor's two words: a match, but below the threshold.
    const weak = await test(`${w} tomorrow`);
    assert.equal(weak.body.match?.faq.id, created.body.id);
    assert.ok((weak.body.match?.score ?? 1) < 0.5, `score ${weak.body.match?.score}`);
    assert.equal(weak.body.threshold, 0.5);
    assert.equal(weak.body.wouldAnswer, false, 'a match below the threshold is not an answer');
    // …and indeed the bot answers with its fallback.
    assert.equal((await ask(`${w} tomorrow`)).answer.text, (await h.api<BotSettings>('GET', '/api/settings', { token: admin })).body.fallbackText);

    // The threshold is the live one.
    assert.equal((await putSettings({ faqThreshold: 0.2 })).status, 200);
    const lowered = await test(`${w} tomorrow`);
    assert.deepEqual([lowered.body.threshold, lowered.body.wouldAnswer], [0.2, true]);
    assert.equal((await putSettings({ faqThreshold: 0.5 })).status, 200);

    const none = await test('zzzqqq xxyyzz');
    assert.deepEqual(none.body, { match: null, threshold: 0.5, wouldAnswer: false });
  });
});

describe('sample CSV', () => {
  test('any agent downloads it; importing it succeeds line for line (round trip)', async () => {
    assert.equal((await h.api('GET', '/api/faqs/sample.csv')).status, 401);
    const sample = await h.api<string>('GET', '/api/faqs/sample.csv', { token: agent.token });
    assert.equal(sample.status, 200);
    assert.match(sample.headers.get('content-type') ?? '', /^text\/csv/);
    assert.match(sample.headers.get('content-disposition') ?? '', /^attachment; filename="faqs-sample\.csv"$/);
    const lines = sample.body.trim().split('\n');
    assert.equal(lines[0], 'type,question,answer');
    assert.ok(lines.length >= 4, 'a few example rows');

    const imported = await h.api<FaqImportResult>('POST', '/api/faqs/import', { token: admin, raw: sample.body, contentType: 'text/csv' });
    assert.equal(imported.status, 200);
    assert.deepEqual(imported.body.errors, []);
    assert.equal(imported.body.imported, new Set(lines.slice(1)).size - 1, 'two rows share an answer: one FAQ with two questions');

    const faqs = (await h.api<{ items: Faq[] }>('GET', '/api/faqs', { token: admin })).body.items;
    const hours = faqs.find((f) => f.answer.startsWith('We are open Monday to Friday'));
    assert.deepEqual(hours?.questions, ['What are your opening hours?', 'When are you open?']);
    // Exported again, every sample row is there.
    const exported = await h.api<string>('GET', '/api/faqs/export.csv', { token: admin });
    for (const line of lines.slice(1)) assert.ok(exported.body.includes(line), line);
    // And the bot answers from it, personalised.
    assert.equal(
      (await ask('How long does delivery take?', { email: 'kim@example.com' })).answer.text,
      'Delivery takes 2 to 4 working days. We email tracking details to kim@example.com when your parcel leaves.',
    );
  });
});

describe('bot settings', () => {
  test('validation: every refusal is a 400 naming the field', async () => {
    const cases: [Partial<BotSettings> | Record<string, unknown>, string][] = [
      [{ faqThreshold: 2 }, 'faqThreshold'],
      [{ faqThreshold: -0.1 }, 'faqThreshold'],
      [{ faqThreshold: 'high' }, 'faqThreshold'],
      [{ botName: '' }, 'botName'],
      [{ botName: '   ' }, 'botName'],
      [{ botName: 'x'.repeat(61) }, 'botName'],
      [{ fallbackText: ' \n ' }, 'fallbackText'],
      [{ handoffText: '' }, 'handoffText'],
      [{ greeting: '' }, 'greeting'],
      [{ greeting: '  ' }, 'greeting'],
      [{ responderPriority: [] }, 'responderPriority'],
      [{ responderPriority: ['faq', 'oracle'] }, 'responderPriority'],
    ];
    const before = (await h.api<BotSettings>('GET', '/api/settings', { token: admin })).body;
    for (const [body, field] of cases) {
      const res = await h.api<ErrorBody>('PUT', '/api/settings', { token: admin, body });
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.body.code, 'bad_request');
      assert.equal(res.body.field, field, `${JSON.stringify(body)} → ${JSON.stringify(res.body)}`);
    }
    const extra = await h.api<ErrorBody>('PUT', '/api/settings', { token: admin, body: { colour: 'red' } });
    assert.equal(extra.status, 400);
    assert.equal((await putSettings({ botName: 'Evil' }, agent.token)).status, 403);
    // Nothing was changed by the refusals.
    assert.deepEqual((await h.api<BotSettings>('GET', '/api/settings', { token: admin })).body, before);
  });

  test('the greeting is the greeting FAQ’s answer; saving it changes that FAQ or creates one', async () => {
    const read = async (token = agent.token) => (await h.api<BotSettings>('GET', '/api/settings', { token })).body;
    const initial = await read();
    const seeded = (await h.api<{ items: Faq[] }>('GET', '/api/faqs', { token: admin })).body.items.find((f) => f.type === 'greeting' && !f.archived);
    assert.ok(seeded);
    assert.equal(initial.greeting, seeded.answer);
    assert.deepEqual(Object.keys(initial).sort(), [
      'assignment',
      'botName',
      'fallbackText',
      'faqThreshold',
      'greeting',
      'handoffText',
      'reassignAfterMinutes',
      'responderPriority',
    ]);

    const saved = await putSettings({ botName: 'Penny', greeting: 'Hi {first_name|there}! Penny here.', faqThreshold: 0.4 });
    assert.equal(saved.status, 200);
    assert.deepEqual([saved.body.botName, saved.body.greeting, saved.body.faqThreshold], ['Penny', 'Hi {first_name|there}! Penny here.', 0.4]);
    assert.deepEqual(await read(), saved.body);
    const faq = (await h.api<{ items: Faq[] }>('GET', '/api/faqs', { token: admin })).body.items.find((f) => f.id === seeded.id);
    assert.equal(faq?.answer, 'Hi {first_name|there}! Penny here.');
    assert.deepEqual(faq?.questions, seeded.questions, 'the questions stay');
    const greeted = await ask('hello', { first_name: 'Ada' });
    assert.equal(greeted.answer.text, 'Hi Ada! Penny here.');
    assert.equal(greeted.answer.authorName, 'Penny');

    // Another greeting FAQ added later does not take the settings screen's place.
    const other = await h.api<Faq>('POST', '/api/faqs', { token: admin, body: { type: 'greeting', questions: ['salut'], answer: 'Salut !' } });
    assert.equal((await read()).greeting, 'Hi {first_name|there}! Penny here.');

    // With no active greeting FAQ the greeting is empty; saving one creates it.
    const active = (await h.api<{ items: Faq[] }>('GET', '/api/faqs?archived=false', { token: admin })).body.items.filter((f) => f.type === 'greeting');
    assert.ok(active.some((f) => f.id === other.body.id));
    const archive = (f: Faq, archived: boolean) =>
      h.api('PUT', `/api/faqs/${f.id}`, { token: admin, body: { type: f.type, questions: f.questions, answer: f.answer, archived } });
    for (const f of active) await archive(f, true);
    assert.equal((await read()).greeting, '');
    const created = await putSettings({ greeting: 'Welcome!' });
    assert.equal(created.body.greeting, 'Welcome!');
    const greetings = (await h.api<{ items: Faq[] }>('GET', '/api/faqs?archived=false', { token: admin })).body.items.filter((f) => f.type === 'greeting');
    assert.deepEqual(
      greetings.map((f) => [f.answer, f.questions.includes('hello')]),
      [['Welcome!', true]],
    );
    assert.equal((await ask('hello')).answer.text, 'Welcome!');

    // Restore: the greetings back, the created one archived, the settings as they were.
    if (greetings[0]) await archive(greetings[0], true);
    for (const f of active) await archive(f.id === seeded.id ? { ...f, answer: seeded.answer } : f, false);
    await putSettings({ botName: initial.botName, faqThreshold: initial.faqThreshold, greeting: initial.greeting });
    assert.deepEqual(await read(), initial);
  });

  test('a quick reply with an unknown time zone is refused naming the field', async () => {
    const res = await h.api<ErrorBody>('POST', '/api/quick-replies', {
      token: admin,
      body: { name: 'x', text: 'y', timezone: 'Mars/Olympus', windows: [] },
    });
    assert.deepEqual([res.status, res.body.field], [400, 'timezone']);
  });
});
