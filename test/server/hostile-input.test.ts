/**
 * The hostile-input corpus (test/fixtures/hostile.ts) through every input the hub takes: visitor and
 * agent messages, user data, notes, tags, FAQ questions and answers (and the bot's answer built from
 * them), CSV import, quick replies, agent names, malformed socket payloads, malformed REST bodies and
 * bad ids. Each input is either refused with a clear error and nothing stored, or stored exactly as
 * sent (rendering it inert is the browser suites' job). Runs on SQLite and PostgreSQL.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { stringify } from 'csv-stringify/sync';
import { LIMITS } from '../../protocol/limits.js';
import type { ConversationDetail, Faq, Message, Visitor } from '../../protocol/types.js';
import { withoutBidiControls } from '../../server/text.js';
import {
  BAD_IDS,
  HUGE_USER_DATA,
  MALFORMED_JSON_BODIES,
  MALFORMED_SEND_PAYLOADS,
  UNICODE_CASES,
  UNSTORABLE_CASES,
  XSS_PAYLOADS,
  text,
} from '../fixtures/hostile.js';
import { type TestHub, type VisitorSocket, clientId, request, startHub } from '../helpers/hub.js';

const CORPUS = [...XSS_PAYLOADS, ...UNICODE_CASES];
const tally = { tried: 0, refused: 0, stored: 0 };

function refused(status: number, body: unknown, label: string): void {
  tally.tried += 1;
  tally.refused += 1;
  assert.ok(status >= 400 && status < 500, `${label}: expected a 4xx, got ${status}`);
  const { code, message } = body as { code?: string; message?: string };
  assert.ok(code && message, `${label}: a refusal names a code and a message (${JSON.stringify(body)})`);
}

function storedExactly(actual: unknown, expected: string, label: string): void {
  tally.tried += 1;
  tally.stored += 1;
  assert.equal(actual, expected, `${label} must be stored as sent`);
}

async function conversationWith(h: TestHub, firstText = 'hello'): Promise<{ socket: VisitorSocket; conversationId: string; visitorId: string }> {
  const { socket, session } = await h.visitor();
  const sent = await request<{ conversation: { id: string } }>(socket, 'message:send', { clientId: clientId(), text: firstText });
  assert.ok(sent.data, JSON.stringify(sent.error));
  return { socket, conversationId: sent.data.conversation.id, visitorId: session.visitor.id };
}

test('messages from visitors and agents: every payload stored byte for byte', async (t) => {
  const h = await startHub(t);
  const admin = await h.login();
  const { socket, conversationId } = await conversationWith(h);
  const agent = await h.agentSocket(admin);
  for (const payload of CORPUS) {
    const fromVisitor = await request<{ message: Message }>(socket, 'message:send', { clientId: clientId(), text: payload });
    storedExactly(fromVisitor.data?.message.text, payload, 'visitor message (ack)');
    const fromAgent = await request<{ message: Message }>(agent, 'message:send', { conversationId, clientId: clientId(), text: payload });
    storedExactly(fromAgent.data?.message.text, payload, 'agent message (ack)');
  }
  const { body } = await h.api<ConversationDetail>('GET', `/api/conversations/${conversationId}`, { token: admin });
  for (const payload of CORPUS) {
    assert.equal(body.messages.filter((m) => m.author === 'visitor' && m.text === payload).length, 1, `visitor: ${payload.slice(0, 40)}`);
    assert.equal(body.messages.filter((m) => m.author === 'agent' && m.text === payload).length, 1, `agent: ${payload.slice(0, 40)}`);
  }
  const exported = await h.api<string>('GET', `/api/conversations/${conversationId}/export?format=text`, { token: admin });
  for (const payload of XSS_PAYLOADS) assert.ok(exported.body.includes(payload), 'the text export carries the payload as text');
});

test('user data: stored as sent within the limits; oversized or unknown fields refuse the handshake, nothing created', async (t) => {
  const h = await startHub(t);
  const admin = await h.login();
  for (const payload of CORPUS.filter((p) => p.length <= LIMITS.userDataField)) {
    const userData = { first_name: payload, last_name: payload, email: payload, phone_number: payload, comments: payload };
    const { session } = await h.visitor({ userData });
    await request((await h.visitor({ token: session.token })).socket, 'message:send', { clientId: clientId(), text: 'hi' });
    const visitor = await h.api<Visitor>('GET', `/api/visitors/${session.visitor.id}`, { token: admin });
    // Fields shown as the visitor's name lose their bidi controls (see security-findings.test.ts).
    for (const field of ['first_name', 'last_name', 'email', 'phone_number', 'comments'] as const)
      storedExactly(visitor.body.userData[field], ['phone_number', 'comments'].includes(field) ? payload : withoutBidiControls(payload), `user data ${field}`);
  }

  const connect = (auth: Record<string, unknown>) =>
    new Promise<string>((resolve) => {
      h.visitor(auth).then(
        () => resolve('connected'),
        (error: Error) => resolve(error.message),
      );
    });
  for (const [label, userData] of [
    ['first_name over 256', { first_name: text(LIMITS.userDataField + 1) }],
    ['comments over 2048', { comments: text(LIMITS.userComments + 1) }],
    ['unknown field', { tier: 'gold' }],
    ['number', { phone_number: 33123456789 }],
  ] as const) {
    tally.tried += 1;
    tally.refused += 1;
    assert.equal(await connect({ userData }), 'bad_request', label);
  }
  // Beyond the 64 kB frame limit the hub drops the connection before reading it.
  tally.tried += 1;
  tally.refused += 1;
  await assert.rejects(
    new Promise((resolve, reject) => {
      const s = h.visitor({ userData: HUGE_USER_DATA });
      s.then(resolve, reject);
      setTimeout(() => reject(new Error('dropped')), 3000).unref();
    }),
  );
  assert.equal((await h.api('GET', '/health')).status, 200);
});

test('lone surrogates and NUL become U+FFFD in every input, on every store', async (t) => {
  const h = await startHub(t);
  const admin = await h.login();
  const { socket, conversationId } = await conversationWith(h);
  const agent = await h.agentSocket(admin);
  for (const { input, stored } of UNSTORABLE_CASES) {
    const v = await request<{ message: Message }>(socket, 'message:send', { clientId: clientId(), text: input });
    storedExactly(v.data?.message.text, stored, 'visitor message');
    const a = await request<{ message: Message }>(agent, 'message:send', { conversationId, clientId: clientId(), text: input });
    storedExactly(a.data?.message.text, stored, 'agent message');
    const note = await h.api<{ text: string }>('POST', `/api/conversations/${conversationId}/notes`, { token: admin, body: { text: input } });
    storedExactly(note.body.text, stored, 'note');
    const faq = await h.api<Faq>('POST', '/api/faqs', { token: admin, body: { type: 'general', questions: [input], answer: input } });
    storedExactly(faq.body.answer, stored, 'FAQ answer');
    const { session } = await h.visitor({ userData: { first_name: input } });
    const visitor = await h.api<Visitor>('GET', `/api/visitors/${session.visitor.id}`, { token: admin });
    storedExactly(visitor.status === 200 ? visitor.body.userData.first_name : stored, stored, 'user data');
  }
  const { body } = await h.api<ConversationDetail>('GET', `/api/conversations/${conversationId}`, { token: admin });
  for (const { stored } of UNSTORABLE_CASES) assert.equal(body.messages.filter((m) => m.text === stored).length, 2);
  // An id with a NUL in the URL is just an unknown id, not a database error.
  assert.equal((await h.api('GET', '/api/conversations/%00', { token: admin })).status, 404);
});

test('notes, tags, FAQs (and the bot answering with them), CSV import, quick replies and agent names', async (t) => {
  const h = await startHub(t);
  const admin = await h.login();
  const { conversationId } = await conversationWith(h);
  for (const payload of CORPUS) {
    const note = await h.api<{ text: string; code?: string }>('POST', `/api/conversations/${conversationId}/notes`, { token: admin, body: { text: payload } });
    storedExactly(note.body.text, payload, 'note');

    const tags = await h.api<{ tags: string[] }>('PUT', `/api/conversations/${conversationId}/tags`, { token: admin, body: { tags: [payload] } });
    if (payload.length > LIMITS.tag) refused(tags.status, tags.body, 'tag over 40 characters');
    else storedExactly(tags.body.tags[0], payload.trim(), 'tag (trimmed: space around a tag means nothing)');

    const name = await h.api<{ name: string }>('POST', '/api/quick-replies', {
      token: admin,
      body: { name: payload.slice(0, 100), text: payload, timezone: 'Europe/Paris', windows: [] },
    });
    storedExactly((name.body as { text?: string }).text, payload, 'quick reply text');

    const agentName = payload.slice(0, 100);
    const created = await h.api<{ name: string }>('POST', '/api/agents', {
      token: admin,
      body: { email: `${clientId().slice(0, 8)}@test.local`, name: agentName, role: 'agent', password: 'password-123' },
    });
    storedExactly(created.body.name, agentName, 'agent name');
  }
  const detail = await h.api<ConversationDetail>('GET', `/api/conversations/${conversationId}`, { token: admin });
  for (const payload of CORPUS) assert.equal(detail.body.notes.filter((n) => n.text === payload).length, 1);

  // FAQ answers are what the bot says to visitors: stored as sent, and said as sent.
  for (const [index, payload] of XSS_PAYLOADS.entries()) {
    const question = `hostile question number ${index} zebra${index}`;
    const faq = await h.api<Faq>('POST', '/api/faqs', { token: admin, body: { type: 'general', questions: [question], answer: payload } });
    storedExactly(faq.body.answer, payload, 'FAQ answer');
    const { socket } = await h.visitor();
    const answered = new Promise<Message>((resolve) => socket.on('message:new', (m: Message) => m.author === 'bot' && resolve(m)));
    await request(socket, 'message:send', { clientId: clientId(), text: question });
    storedExactly((await answered).text, payload, 'bot answer');
    socket.disconnect();
  }

  // CSV import: quoted payloads (commas, quotes, newlines) come back as sent; a broken file is refused whole.
  const csv = stringify([
    ['type', 'question', 'answer'],
    ...UNICODE_CASES.filter((p) => p.length <= LIMITS.faqQuestion && p.trim() === p).map((p, i) => ['general', `csv question ${i} ${p}`, p]),
  ]);
  const imported = await h.api<{ imported: number; errors: unknown[] }>('POST', '/api/faqs/import', { token: admin, raw: csv, contentType: 'text/csv' });
  assert.equal(imported.status, 200, JSON.stringify(imported.body));
  const faqs = await h.api<{ items: Faq[] }>('GET', '/api/faqs', { token: admin });
  for (const p of UNICODE_CASES.filter((x) => x.length <= LIMITS.faqQuestion && x.trim() === x))
    storedExactly(faqs.body.items.find((f) => f.answer === p)?.answer, p, 'CSV answer');
  const before = faqs.body.items.length;
  const broken = await h.api('POST', '/api/faqs/import', { token: admin, raw: 'type,question,answer\n"general,"unterminated', contentType: 'text/csv' });
  refused(broken.status, broken.body, 'broken CSV');
  assert.equal((await h.api<{ items: Faq[] }>('GET', '/api/faqs', { token: admin })).body.items.length, before, 'nothing imported from a broken file');
});

test('malformed socket payloads, malformed REST bodies and bad ids: a clear error, nothing changed', async (t) => {
  const h = await startHub(t);
  const admin = await h.login();
  const { socket, conversationId, visitorId } = await conversationWith(h);
  // Visitor and agent messages only: the bot's answer to the first message may land at any moment.
  const count = async () =>
    (await h.api<ConversationDetail>('GET', `/api/conversations/${conversationId}`, { token: admin })).body.messages.filter(
      (m) => m.author === 'visitor' || m.author === 'agent',
    ).length;
  const messagesBefore = await count();

  for (const payload of MALFORMED_SEND_PAYLOADS) {
    const ack = await request(socket, 'message:send', payload);
    tally.tried += 1;
    tally.refused += 1;
    assert.ok(ack.error?.code && ack.error.message, `refused with a code: ${JSON.stringify(payload)?.slice(0, 60)} → ${JSON.stringify(ack)}`);
  }
  const agent = await h.agentSocket(admin);
  for (const payload of MALFORMED_SEND_PAYLOADS) {
    const ack = await request(agent, 'message:send', payload);
    tally.tried += 1;
    tally.refused += 1;
    assert.ok(ack.error?.code, `agent payload refused: ${JSON.stringify(payload)?.slice(0, 60)}`);
  }
  assert.equal(await count(), messagesBefore, 'no malformed payload stored anything');

  await h.api('PUT', `/api/conversations/${conversationId}/tags`, { token: admin, body: { tags: ['kept'] } });
  for (const raw of MALFORMED_JSON_BODIES) {
    const res = await h.api('PUT', `/api/conversations/${conversationId}/tags`, { token: admin, raw, contentType: 'application/json' });
    refused(res.status, res.body, `tags body ${raw.slice(0, 30)}`);
  }
  const wrongType = await h.api('PUT', `/api/conversations/${conversationId}/tags`, {
    token: admin,
    raw: 'tags=vip',
    contentType: 'application/x-www-form-urlencoded',
  });
  refused(wrongType.status, wrongType.body, 'form body');
  const detail = await h.api<ConversationDetail>('GET', `/api/conversations/${conversationId}`, { token: admin });
  assert.deepEqual(detail.body.conversation.tags, ['kept'], 'tags unchanged by every refused body');

  for (const id of BAD_IDS) {
    const encoded = encodeURIComponent(id);
    for (const [method, path, body] of [
      ['GET', `/api/conversations/${encoded}`, undefined],
      ['POST', `/api/conversations/${encoded}/claim`, {}],
      ['PUT', `/api/conversations/${encoded}/tags`, { tags: ['x'] }],
      ['GET', `/api/visitors/${encoded}`, undefined],
      ['PUT', `/api/faqs/${encoded}`, { type: 'general', questions: ['q'], answer: 'a' }],
      ['DELETE', `/api/agents/${encoded}`, undefined],
    ] as const) {
      const res = await h.api(method, path, { token: admin, body });
      refused(res.status, res.body, `${method} ${path}`);
      assert.equal(res.status, 404, `${method} ${path}`);
    }
    const ack = await request(agent, 'conversation:watch', { conversationId: id });
    tally.tried += 1;
    tally.refused += 1;
    assert.equal(ack.error?.code, 'not_found', `watch ${id}`);
  }
  // The visitor's data is untouched and the hub still serves.
  assert.equal((await h.api('GET', `/api/visitors/${visitorId}`, { token: admin })).status, 200);
  assert.ok((await request(socket, 'message:send', { clientId: clientId(), text: 'still here' })).data);
  assert.equal((await h.api('GET', '/health')).status, 200);
  console.log(`hostile inputs: ${tally.tried} tried, ${tally.refused} refused with an error code, ${tally.stored} stored exactly as sent, 0 crashes`);
});
