/**
 * CONTRACT tests of the AI provider client (server/services/ai-provider.ts) and of the assist features that use it.
 *
 * No real OpenAI-compatible server can run here: llama.cpp / whisper.cpp servers (Debian, npm `node-llama-cpp`,
 * `whisper-node`) all need model weights, which this machine can't download. So these tests run against
 * test/helpers/openai-compatible-server.ts, which implements the documented request and response shapes of
 * `/v1/chat/completions` and `/v1/audio/transcriptions`, refuses requests that don't follow them, and can fail
 * (a status, or stalling past the timeout) and then recover. They prove the hub speaks the contract; they can't
 * prove a given model's answers are good.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AssistStatus, ConversationDigest, SuggestionList } from '../../protocol/assist.js';
import { HubError } from '../../server/errors.js';
import { AiProvider, ProviderError } from '../../server/services/ai-provider.js';
import { answer, ask, settle } from '../helpers/conversation-steps.js';
import { startHub } from '../helpers/hub.js';
import { type FakeProvider, startOpenAiCompatibleServer } from '../helpers/openai-compatible-server.js';

async function fakeProvider(t: { after: (fn: () => Promise<void>) => void }): Promise<FakeProvider> {
  const fake = await startOpenAiCompatibleServer();
  t.after(() => fake.close());
  return fake;
}

const client = (fake: FakeProvider, overrides: Partial<ConstructorParameters<typeof AiProvider>[0]> = {}) =>
  new AiProvider({
    baseUrl: fake.baseUrl,
    apiKey: 'sk-test',
    model: 'chat-model',
    transcribeModel: 'whisper-1',
    chatTimeoutMs: 2000,
    audioTimeoutMs: 2000,
    backoffMs: 10,
    ...overrides,
  });

test('contract test: chat request shape; 500s and 429 are retried, a 400 is not, a network error is retried then reported', async (t) => {
  const fake = await fakeProvider(t);
  const provider = client(fake);
  fake.reply = 'Hello from the model';
  assert.equal(await provider.chat([{ role: 'user', content: 'Hi' }], { temperature: 0.2 }), 'Hello from the model');
  const [first] = fake.requests;
  assert.deepEqual(first?.json, { model: 'chat-model', messages: [{ role: 'user', content: 'Hi' }], temperature: 0.2 });
  assert.equal(first?.headers.authorization, 'Bearer sk-test');
  assert.equal(first?.path, '/v1/chat/completions');

  fake.requests.length = 0;
  fake.failNext({ kind: 'status', status: 500 }, 2);
  assert.equal(await provider.chat([{ role: 'user', content: 'again' }]), 'Hello from the model');
  assert.equal(fake.requests.length, 3, 'two retries, the third attempt answers');
  assert.equal(provider.reachable, true);

  fake.requests.length = 0;
  fake.failNext({ kind: 'status', status: 429, retryAfter: 0 });
  assert.equal(await provider.chat([{ role: 'user', content: 'busy?' }]), 'Hello from the model');
  assert.equal(fake.requests.length, 2);

  fake.requests.length = 0;
  fake.failNext({ kind: 'status', status: 500 }, 3);
  await assert.rejects(provider.chat([{ role: 'user', content: 'down' }]), (e: unknown) => e instanceof ProviderError && e.status === 500);
  assert.equal(fake.requests.length, 3, 'gives up after two retries');
  assert.equal(provider.reachable, false);

  fake.requests.length = 0;
  fake.failNext({ kind: 'status', status: 400, body: 'bad model' });
  await assert.rejects(provider.chat([{ role: 'user', content: 'x' }]), /answered 400/);
  assert.equal(fake.requests.length, 1, 'a 4xx is not retried');

  // The fake itself refuses what the API would refuse (it is a contract, not an echo).
  const wrong = await fetch(`${fake.baseUrl}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'm', messages: [{ role: 'robot', content: 1 }] }),
  });
  assert.equal(wrong.status, 400);

  const closed = client({ ...fake, baseUrl: 'http://127.0.0.1:9/v1' });
  const started = Date.now();
  await assert.rejects(
    closed.chat([{ role: 'user', content: 'x' }]),
    (e: unknown) => e instanceof ProviderError && e.status === 0 && /unreachable/.test(e.message),
  );
  assert.ok(Date.now() - started < 2000);
  assert.equal(closed.reachable, false);
});

test('contract test: transcription is a multipart request with file and model, answered { text }', async (t) => {
  const fake = await fakeProvider(t);
  const provider = client(fake);
  fake.transcript = ' Hello, I would like a refund. ';
  const audio = new Uint8Array([0x1a, 0x45, 0xdf, 0xa3, 1, 2, 3]);
  assert.equal(await provider.transcribe(audio, 'audio/webm', 'voice-note.webm'), 'Hello, I would like a refund.');
  const [recorded] = fake.requests;
  assert.equal(recorded?.path, '/v1/audio/transcriptions');
  assert.match(String(recorded?.headers['content-type']), /^multipart\/form-data; boundary=/);
  assert.equal(recorded?.form?.fields['model'], 'whisper-1');
  assert.equal(recorded?.form?.file?.filename, 'voice-note.webm');
  assert.equal(recorded?.form?.file?.contentType, 'audio/webm');
  assert.deepEqual([...(recorded?.form?.file?.bytes ?? [])], [...audio]);

  // Retried on a 503 with a fresh body (a multipart body can be read once).
  fake.requests.length = 0;
  fake.failNext({ kind: 'status', status: 503 });
  assert.equal(await provider.transcribe(audio, 'audio/ogg', 'n.ogg'), 'Hello, I would like a refund.');
  assert.equal(fake.requests.length, 2);
  assert.deepEqual([...(fake.requests[1]?.form?.file?.bytes ?? [])], [...audio]);
});

test('contract test: the summary and suggestions come from the provider, with only roles and texts sent', async (t) => {
  const fake = await fakeProvider(t);
  const h = await startHub(t, { config: { aiBaseUrl: fake.baseUrl, aiModel: 'chat-model', aiTranscribeModel: 'whisper-1', aiTimeoutMs: 2000 } });
  const admin = await h.login();
  const agent = await h.agent('agent', 'Sam');
  const { socket } = await h.visitor({ userData: { first_name: 'Zed', last_name: 'Quux', email: 'zed.quux@example.com' } });
  const id = await ask(socket, 'Hello');
  await settle(h, admin, id, 2);
  await ask(socket, 'My parcel is late. Please write to me at zed.private@example.org');
  await settle(h, admin, id, 4);
  await h.api('POST', `/api/conversations/${id}/notes`, { token: admin, body: { text: 'SECRET NOTE about Zed' } });
  await answer(h, agent.token, id, 'I am checking the tracking number now.');
  await ask(socket, 'How long will it take?');
  await settle(h, admin, id, 7);

  fake.reply = (request) =>
    request.json?.messages[0]?.content.includes('summarise')
      ? '```json\n{"text": "The visitor\'s parcel is late; the agent is checking the tracking.", "points": [{"kind": "request", "text": "Where is the late parcel"}, {"kind": "open_question", "text": "How long it will take"}]}\n```'
      : '["It should arrive within 2 days.", "I have asked the carrier for an update.", "Sorry for the wait!"]';
  const summary = await h.api<ConversationDigest>('GET', `/api/conversations/${id}/summary`, { token: agent.token });
  assert.equal(summary.status, 200);
  assert.equal(summary.body.source, 'ai');
  assert.equal(summary.body.text, "The visitor's parcel is late; the agent is checking the tracking. Open, pending; Sam is handling it.");
  assert.deepEqual(
    summary.body.points.map((p) => p.kind),
    ['request', 'open_question', 'status'],
  );

  const sent = fake.requests.find((r) => r.json?.messages[0]?.content.includes('summarise'));
  const transcript = sent?.json?.messages.map((m) => m.content).join('\n') ?? '';
  assert.match(transcript, /Visitor: My parcel is late\. Please write to me at \[email\]/);
  assert.match(transcript, /Agent: I am checking the tracking number now\./);
  for (const secret of ['Zed', 'Quux', 'zed.quux@example.com', 'zed.private@example.org', 'SECRET NOTE', 'Sam'])
    assert.ok(!transcript.includes(secret), `${secret} was sent`);

  const suggestions = await h.api<SuggestionList>('GET', `/api/conversations/${id}/suggestions`, { token: agent.token });
  assert.equal(suggestions.status, 200);
  const ai = suggestions.body.items.filter((s) => s.source === 'ai').map((s) => s.text);
  assert.ok(ai.length >= 1 && ai.length <= 3, JSON.stringify(suggestions.body));
  assert.ok(ai.every((text) => ['It should arrive within 2 days.', 'I have asked the carrier for an update.', 'Sorry for the wait!'].includes(text)));

  const status = await h.api<AssistStatus>('GET', '/api/assist/status', { token: agent.token });
  assert.deepEqual(status.body, {
    settings: { summary: true, suggestions: true, transcription: true },
    provider: true,
    providerReachable: true,
    transcriptionAvailable: true,
  });

  fake.transcript = 'voice note text';
  assert.equal(await h.hub.services.assist.transcribe(new Uint8Array([1, 2]), 'audio/webm', 'v.webm'), 'voice note text');
  fake.failNext({ kind: 'status', status: 500 }, 3);
  await assert.rejects(
    h.hub.services.assist.transcribe(new Uint8Array([1, 2]), 'audio/webm', 'v.webm'),
    (e: unknown) => e instanceof HubError && e.code === 'provider_unavailable',
  );
});

test('contract test: a provider slower than the timeout → the built-in summary and suggestions, providerReachable false, until it recovers', async (t) => {
  const fake = await fakeProvider(t);
  const h = await startHub(t, { config: { aiBaseUrl: fake.baseUrl, aiModel: 'chat-model', aiTimeoutMs: 300 } });
  const admin = await h.login();
  await h.api('POST', '/api/faqs', { token: admin, body: { type: 'general', questions: ['Where is my parcel?'], answer: 'Parcels arrive in 2 to 4 days.' } });
  const { socket } = await h.visitor();
  const id = await ask(socket, 'Hello');
  await settle(h, admin, id, 2);
  await ask(socket, 'I would like to know where my parcel is. It is late.');
  await settle(h, admin, id, 4);
  await ask(socket, 'Where is my parcel?');
  await settle(h, admin, id, 6);

  fake.failNext({ kind: 'stall', ms: 1500 }, 2);
  const started = Date.now();
  const summary = await h.api<ConversationDigest>('GET', `/api/conversations/${id}/summary`, { token: admin });
  assert.ok(Date.now() - started < 1400, 'a timeout is not retried');
  assert.equal(summary.status, 200);
  assert.equal(summary.body.source, 'extractive');
  assert.ok(
    summary.body.points.some((p) => p.kind === 'request' && /parcel/.test(p.text)),
    JSON.stringify(summary.body),
  );
  assert.equal((await h.api<AssistStatus>('GET', '/api/assist/status', { token: admin })).body.providerReachable, false);

  const suggestions = await h.api<SuggestionList>('GET', `/api/conversations/${id}/suggestions`, { token: admin });
  assert.equal(suggestions.status, 200);
  assert.ok(
    suggestions.body.items.some((s) => s.source === 'faq' && s.text === 'Parcels arrive in 2 to 4 days.'),
    JSON.stringify(suggestions.body),
  );
  assert.ok(!suggestions.body.items.some((s) => s.source === 'ai'));

  // Recovered: the next refresh is the provider's again.
  fake.reply = '{"text": "Parcel late; visitor asks where it is.", "points": []}';
  const again = await h.api<ConversationDigest>('GET', `/api/conversations/${id}/summary?refresh=1`, { token: admin });
  assert.equal(again.body.source, 'ai');
  assert.ok(
    again.body.points.some((p) => p.kind === 'request'),
    'no points from the provider: the extractive ones',
  );
  assert.equal((await h.api<AssistStatus>('GET', '/api/assist/status', { token: admin })).body.providerReachable, true);
});
