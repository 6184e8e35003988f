/**
 * AI assist on a real hub without a provider (AI_BASE_URL unset): reply suggestions from the team's past answers,
 * the FAQs and the quick replies; the extractive summary; the admin's switches; status and transcription without a
 * provider. The provider itself is exercised by ai-provider.test.ts (contract test).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AssistSettings, AssistStatus, ConversationDigest, SuggestionList } from '../../protocol/assist.js';
import type { ConversationDetail } from '../../protocol/types.js';
import { HubError } from '../../server/errors.js';
import { answer, ask, settle } from '../helpers/conversation-steps.js';
import { type TestHub, startHub } from '../helpers/hub.js';

const suggestions = (h: TestHub, token: string, id: string, refresh = false) =>
  h.api<SuggestionList & { code?: string }>('GET', `/api/conversations/${id}/suggestions${refresh ? '?refresh=1' : ''}`, { token });

test("a new visitor's question gets the team's past answer to the same question (past_answer), from visible conversations only", async (t) => {
  const h = await startHub(t);
  const admin = await h.login();
  const agent = await h.agent('agent', 'Sam');

  // Yesterday: a visitor asked about a refund and an agent answered.
  const first = await h.visitor({ userData: { first_name: 'Ann' } });
  const old = await ask(first.socket, 'Hi, I asked for a refund for my order last week. When will I get my money back?');
  await settle(h, admin, old, 2);
  await answer(h, agent.token, old, 'Refunds take 5 days.');

  // Today: someone else asks the same thing in other words.
  const second = await h.visitor({ userData: { first_name: 'Bob' } });
  const fresh = await ask(second.socket, 'how long does a refund take?');
  await settle(h, admin, fresh, 2);
  const got = await suggestions(h, agent.token, fresh);
  assert.equal(got.status, 200);
  assert.ok(
    got.body.items.some((s) => s.text === 'Refunds take 5 days.' && s.source === 'past_answer'),
    JSON.stringify(got.body),
  );
  assert.ok(got.body.items.length <= 3);
  assert.equal(new Set(got.body.items.map((s) => s.text.toLowerCase())).size, got.body.items.length, 'no duplicates');

  // Once the agent said it here, it is not suggested again in this conversation.
  await answer(h, agent.token, fresh, 'Refunds take 5 days.');
  await ask(second.socket, 'And a refund for a gift card, how long does it take?');
  await settle(h, admin, fresh, 4);
  const after = await suggestions(h, agent.token, fresh);
  assert.ok(!after.body.items.some((s) => s.text === 'Refunds take 5 days.'), JSON.stringify(after.body));

  // An agent who may not see the old conversation doesn't get its answers; when it is deleted, nobody does.
  const third = await h.visitor();
  const other = await ask(third.socket, 'How long does a refund take please?');
  await settle(h, admin, other, 2);
  const outsider = await h.agent('agent', 'Outsider');
  await h.api('PUT', `/api/conversations/${old}/visibility`, { token: admin, body: { agentIds: [agent.id] } });
  await h.api('PUT', `/api/conversations/${fresh}/visibility`, { token: admin, body: { agentIds: [agent.id] } });
  // (The agent's answer is cached for them; the outsider's own answer must not come from that cache.)
  assert.ok((await suggestions(h, agent.token, other)).body.items.some((s) => s.text === 'Refunds take 5 days.'));
  const hidden = await suggestions(h, outsider.token, other);
  assert.equal(hidden.status, 200);
  assert.ok(!hidden.body.items.some((s) => s.source === 'past_answer'), JSON.stringify(hidden.body));
  assert.equal((await h.api('DELETE', `/api/conversations/${old}`, { token: admin })).status, 200);
  assert.equal((await h.api('DELETE', `/api/conversations/${fresh}`, { token: admin })).status, 200);
  const gone = await suggestions(h, admin, other, true);
  assert.ok(!gone.body.items.some((s) => s.source === 'past_answer'), JSON.stringify(gone.body));
});

test('FAQ answers (personalised) and quick replies are suggested; a refresh still answers', async (t) => {
  const h = await startHub(t);
  const admin = await h.login();
  const faq = { type: 'general', questions: ['What are your opening hours?'], answer: 'Hi {first_name|there}, we are open 9 to 17, Monday to Friday.' };
  assert.equal((await h.api('POST', '/api/faqs', { token: admin, body: faq })).status, 201);
  const quickReply = {
    name: 'Public holidays',
    text: 'We are closed on public holidays; the team answers the next working day.',
    timezone: 'Europe/Paris',
    windows: [{ days: [0], start: '00:00', end: '00:30' }],
  };
  assert.equal((await h.api('POST', '/api/quick-replies', { token: admin, body: quickReply })).status, 201);

  const { socket } = await h.visitor({ userData: { first_name: 'Ada' } });
  const id = await ask(socket, 'what are your opening hours on public holidays?');
  await settle(h, admin, id, 2);
  const got = await suggestions(h, admin, id);
  assert.equal(got.status, 200);
  assert.ok(
    got.body.items.some((s) => s.source === 'faq' && s.text === 'Hi Ada, we are open 9 to 17, Monday to Friday.'),
    JSON.stringify(got.body),
  );
  assert.ok(
    got.body.items.some((s) => s.source === 'quick_reply' && s.text.startsWith('We are closed on public holidays')),
    JSON.stringify(got.body),
  );
  const again = await suggestions(h, admin, id, true);
  assert.equal(again.status, 200);
  assert.ok(again.body.items.length >= 1);

  // A conversation where the visitor has said nothing has nothing to suggest.
  const contact = (await h.api<ConversationDetail>('GET', `/api/conversations/${id}`, { token: admin })).body.conversation.contactId;
  await h.api('POST', `/api/conversations/${id}/close`, { token: admin, body: {} });
  const outgoing = await h.api<{ conversation: { id: string } }>('POST', `/api/contacts/${contact}/conversations`, {
    token: admin,
    body: { text: 'Hello Ada, any news?' },
  });
  assert.equal(outgoing.status, 201);
  assert.deepEqual((await suggestions(h, admin, outgoing.body.conversation.id)).body, { items: [] });
});

test('the summary: unavailable under 5 messages, then extractive with the visitor request, cached until a new message', async (t) => {
  const h = await startHub(t);
  const admin = await h.login();
  const agent = await h.agent('agent', 'Sam');
  const { socket } = await h.visitor({ userData: { first_name: 'Jo' } });
  const summary = (refresh = false) =>
    h.api<ConversationDigest & { code?: string }>('GET', `/api/conversations/${id}/summary${refresh ? '?refresh=1' : ''}`, { token: agent.token });

  const id = await ask(socket, 'Hi there');
  await settle(h, admin, id, 2);
  const early = await summary();
  assert.equal(early.status, 200);
  assert.deepEqual(
    { available: early.body.available, minMessages: early.body.minMessages, text: early.body.text, points: early.body.points },
    { available: false, minMessages: 5, text: '', points: [] },
  );

  // Ten messages: greeting, the request, a handoff, the agent's answers, a last open question.
  await ask(socket, 'I ordered a jacket last week and it arrived damaged. I would like a refund for the damaged jacket.');
  await settle(h, admin, id, 4);
  await ask(socket, 'Can I talk to a person please?');
  await settle(h, admin, id, 6);
  await answer(h, agent.token, id, "I'm sorry about the jacket. I have started the refund for your damaged jacket; refunds take 5 days to reach your card.");
  await ask(socket, 'Thanks. Do I need to send the jacket back?');
  await answer(h, agent.token, id, 'No need to send it back, keep it or recycle it.');
  await ask(socket, 'And can I get a discount code for my next order?');
  // Ten said, plus the hub's "Sam joined the conversation".
  const messages = await settle(h, admin, id, 11);
  assert.equal(messages.filter((m) => m.author !== 'system').length, 10, JSON.stringify(messages.map((m) => [m.author, m.text])));

  const digest = await summary();
  assert.equal(digest.status, 200);
  const d = digest.body;
  assert.equal(d.available, true);
  assert.equal(d.source, 'extractive');
  assert.equal(d.upToMessageId, messages.at(-1)?.id);
  const requests = d.points.filter((p) => p.kind === 'request').map((p) => p.text);
  assert.ok(
    requests.some((r) => /refund/i.test(r) && /jacket/i.test(r)),
    JSON.stringify(d.points),
  );
  assert.match(d.text, /refund/i);
  assert.match(d.text, /jacket/i);
  assert.ok(d.points.some((p) => p.kind === 'answer' && /refunds take 5 days/.test(p.text)));
  assert.ok(d.points.some((p) => p.kind === 'open_question' && /discount code/.test(p.text)));
  assert.ok(d.points.some((p) => p.kind === 'status' && /Sam is handling it/.test(p.text)));

  // Cached until something changes; `refresh` recomputes; a new message too.
  h.clock.advance(60_000);
  assert.equal((await summary()).body.generatedAt, d.generatedAt);
  assert.notEqual((await summary(true)).body.generatedAt, d.generatedAt);
  await ask(socket, 'Also, my discount code question is still open.');
  await settle(h, admin, id, 12);
  h.clock.advance(60_000);
  const newer = (await summary()).body;
  assert.ok(newer.upToMessageId > d.upToMessageId);
});

test('admin switches turn the routes off (409 feature_disabled); status and transcription without a provider', async (t) => {
  const h = await startHub(t);
  const admin = await h.login();
  const agent = await h.agent();
  const { socket } = await h.visitor();
  const id = await ask(socket, 'hello');
  await settle(h, admin, id, 2);

  const status = await h.api<AssistStatus>('GET', '/api/assist/status', { token: agent.token });
  assert.deepEqual(status.body, {
    settings: { summary: true, suggestions: true, transcription: true },
    provider: false,
    providerReachable: false,
    transcriptionAvailable: false,
  });

  const put = (body: Partial<AssistSettings>, token = admin) => h.api<AssistSettings & { code?: string }>('PUT', '/api/assist/settings', { token, body });
  assert.equal((await put({ summary: false }, agent.token)).status, 403);
  assert.deepEqual((await put({ summary: false })).body, { summary: false, suggestions: true, transcription: true });
  const off = await h.api<{ code: string; message: string }>('GET', `/api/conversations/${id}/summary`, { token: agent.token });
  assert.equal(off.status, 409);
  assert.equal(off.body.code, 'feature_disabled');
  assert.match(off.body.message, /turned off/);
  assert.equal((await suggestions(h, agent.token, id)).status, 200);

  assert.deepEqual((await put({ suggestions: false, transcription: false })).body, { summary: false, suggestions: false, transcription: false });
  const noSuggestions = await suggestions(h, agent.token, id);
  assert.equal(noSuggestions.status, 409);
  assert.equal(noSuggestions.body.code, 'feature_disabled');
  assert.deepEqual((await h.api<AssistSettings>('GET', '/api/assist/settings', { token: agent.token })).body, {
    summary: false,
    suggestions: false,
    transcription: false,
  });
  assert.equal((await put({ extra: true } as never)).status, 400);

  // Transcription is a service method (the attachments route calls it): off, then on but without a provider.
  const assist = h.hub.services.assist;
  await assert.rejects(
    assist.transcribe(new Uint8Array([1]), 'audio/webm', 'note.webm'),
    (e: unknown) => e instanceof HubError && e.code === 'feature_disabled',
  );
  await put({ summary: true, suggestions: true, transcription: true });
  await assert.rejects(
    assist.transcribe(new Uint8Array([1]), 'audio/webm', 'note.webm'),
    (e: unknown) => e instanceof HubError && /AI provider/.test(e.message),
  );
  assert.equal((await h.api('GET', `/api/conversations/${id}/summary`, { token: agent.token })).status, 200);
});
