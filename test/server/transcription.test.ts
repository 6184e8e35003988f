/**
 * Voice-note transcription (`POST /api/attachments/:id/transcription`) against a real hub, both stores, with real
 * files in attachment storage. The provider is test/helpers/openai-compatible-server.ts (a CONTRACT stand-in: no
 * speech-to-text model can run here, see test/server/ai-provider.test.ts), so these tests prove the route reads the
 * stored bytes, sends them as the API documents and answers, caches and refuses as documented; not a model's quality.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Transcription } from '../../protocol/attachments.js';
import type { ErrorBody } from '../../protocol/errors.js';
import type { Message } from '../../protocol/types.js';
import { tinyPng, tinyWebm, upload } from '../helpers/attachments.js';
import { clientId, request, startHub, type TestHub } from '../helpers/hub.js';
import { type FakeProvider, startOpenAiCompatibleServer } from '../helpers/openai-compatible-server.js';

/** A valid mono 8 kHz 16-bit PCM WAV of `ms` milliseconds (RIFF header, fmt and data chunks): sniffed as audio/wav. */
function tinyWav(ms = 200): Buffer {
  const samples = Math.round((8000 * ms) / 1000);
  const data = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++) data.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / 8000)), i * 2);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8, 'latin1');
  header.write('fmt ', 12, 'latin1');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(8000, 24);
  header.writeUInt32LE(16000, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'latin1');
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

/** A visitor's open conversation (they said hello), seen by `agentIds` only when given. */
async function conversation(h: TestHub, admin: string, agentIds?: string[]): Promise<{ id: string; token: string }> {
  const { socket, session } = await h.visitor();
  const sent = await request<{ message: Message }>(socket, 'message:send', { clientId: clientId(), text: 'hello' });
  const id = sent.data?.message.conversationId ?? '';
  if (agentIds) assert.equal((await h.api('PUT', `/api/conversations/${id}/visibility`, { token: admin, body: { agentIds } })).status, 200);
  return { id, token: session.token };
}

const transcribe = (h: TestHub, id: string, token?: string) =>
  h.api<Transcription & ErrorBody>('POST', `/api/attachments/${id}/transcription`, token ? { token } : {});

async function fakeProvider(t: { after: (fn: () => Promise<void>) => void }): Promise<FakeProvider> {
  const fake = await startOpenAiCompatibleServer();
  t.after(() => fake.close());
  return fake;
}

test('a voice note is transcribed from its stored bytes, once: cached, and one provider call for concurrent asks', async (t) => {
  const fake = await fakeProvider(t);
  const h = await startHub(t, { config: { aiBaseUrl: fake.baseUrl, aiTranscribeModel: 'whisper-1', aiTimeoutMs: 2000 } });
  const admin = await h.login();
  const agent = await h.agent();
  const c = await conversation(h, admin);

  // The visitor's voice note (a WAV through the widget's route) and the agent's (a MediaRecorder-style WebM).
  const wav = tinyWav(300);
  const visitorNote = await upload(h, '/api/widget/attachments', c.token, {
    bytes: wav,
    filename: 'voice.wav',
    type: 'audio/wav',
    clientId: 'v1',
    durationMs: 300,
  });
  assert.equal(visitorNote.status, 201, JSON.stringify(visitorNote.body));
  assert.equal(visitorNote.body.attachment.kind, 'audio');
  const webm = tinyWebm('A_OPUS');
  const agentNote = await upload(h, `/api/conversations/${c.id}/attachments`, agent.token, {
    bytes: webm,
    filename: 'voice-note.webm',
    type: 'audio/webm',
    kind: 'audio',
    durationMs: 1200,
    clientId: 'a1',
  });
  assert.equal(agentNote.status, 201, JSON.stringify(agentNote.body));

  fake.transcript = ' Hello, my parcel has not arrived. ';
  const first = await transcribe(h, visitorNote.body.attachment.id, agent.token);
  assert.equal(first.status, 200, JSON.stringify(first.body));
  assert.equal(first.body.attachmentId, visitorNote.body.attachment.id);
  assert.equal(first.body.text, 'Hello, my parcel has not arrived.');
  assert.equal(first.body.model, 'whisper-1');
  assert.ok(!Number.isNaN(Date.parse(first.body.createdAt)));
  // The provider got the stored bytes, as a named file part with the sniffed type, and the model.
  const [sent] = fake.requests;
  assert.equal(sent?.path, '/v1/audio/transcriptions');
  assert.equal(sent?.form?.fields['model'], 'whisper-1');
  assert.equal(sent?.form?.file?.filename, 'voice.wav');
  assert.equal(sent?.form?.file?.contentType, 'audio/wav');
  assert.deepEqual(sent?.form?.file?.bytes, wav);

  // Asked again (by anyone who may see it): the cached text, no second call.
  fake.transcript = 'something else';
  const again = await transcribe(h, visitorNote.body.attachment.id, admin);
  assert.deepEqual(again.body, first.body);
  assert.equal(fake.requests.length, 1);

  // Two agents ask at once for the agent's note: one provider call (the second waits for the first's), the same answer.
  fake.transcript = 'I checked: it ships today.';
  const [a, b] = await Promise.all([transcribe(h, agentNote.body.attachment.id, agent.token), transcribe(h, agentNote.body.attachment.id, admin)]);
  assert.equal(a.status, 200, JSON.stringify(a.body));
  assert.deepEqual(a.body, b.body);
  assert.equal(a.body.text, 'I checked: it ships today.');
  assert.equal(fake.requests.length, 2);
  assert.deepEqual(fake.requests[1]?.form?.file?.bytes, webm);
  assert.equal(fake.requests[1]?.form?.file?.contentType, 'audio/webm');
});

test('refusals: not audio 400, hidden or unknown 404, no agent token 401, switched off 409, provider failing 502 (not cached)', async (t) => {
  const fake = await fakeProvider(t);
  const h = await startHub(t, { config: { aiBaseUrl: fake.baseUrl, aiTranscribeModel: 'whisper-1', aiTimeoutMs: 2000 } });
  const admin = await h.login();
  const seer = await h.agent('agent', 'Sees it');
  const hidden = await h.agent('agent', 'Does not');
  const c = await conversation(h, admin, [seer.id]);
  const note = await upload(h, '/api/widget/attachments', c.token, { bytes: tinyWav(), filename: 'n.wav', type: 'audio/wav', clientId: 'n' });
  const image = await upload(h, '/api/widget/attachments', c.token, { bytes: tinyPng(2), filename: 'photo.png', type: 'image/png', clientId: 'p' });
  const noteId = note.body.attachment.id;

  const notAudio = await transcribe(h, image.body.attachment.id, seer.token);
  assert.equal(notAudio.status, 400);
  assert.match(notAudio.body.message, /audio/);
  const hiddenAnswer = await transcribe(h, noteId, hidden.token);
  assert.equal(hiddenAnswer.status, 404);
  assert.equal(hiddenAnswer.body.code, 'not_found');
  assert.equal((await transcribe(h, '00000000-0000-4000-8000-000000000000', seer.token)).status, 404);
  assert.equal((await transcribe(h, noteId)).status, 401);
  // The conversation's own visitor is not an agent.
  assert.equal((await transcribe(h, noteId, c.token)).status, 401);
  assert.equal(fake.requests.length, 0, 'nothing reached the provider');

  // An API token: a read of the conversation.
  const created = await h.api<{ secret: string }>('POST', '/api/tokens', { token: admin, body: { name: 'CRM', scopes: ['stats:read'] } });
  const refused = await transcribe(h, noteId, created.body.secret);
  assert.equal(refused.status, 403);
  assert.equal(refused.body.code, 'insufficient_scope');

  // Switched off by an admin.
  await h.api('PUT', '/api/assist/settings', { token: admin, body: { transcription: false } });
  const off = await transcribe(h, noteId, seer.token);
  assert.equal(off.status, 409);
  assert.equal(off.body.code, 'feature_disabled');
  await h.api('PUT', '/api/assist/settings', { token: admin, body: { transcription: true } });

  // The provider fails (three times: the call and its two retries): 502, and the failure is not cached.
  fake.failNext({ kind: 'status', status: 503 }, 3);
  const failed = await transcribe(h, noteId, seer.token);
  assert.equal(failed.status, 502);
  assert.equal(failed.body.code, 'provider_unavailable');
  assert.match(failed.body.message, /Transcription failed/);
  fake.transcript = 'back again';
  const recovered = await transcribe(h, noteId, seer.token);
  assert.equal(recovered.status, 200);
  assert.equal(recovered.body.text, 'back again');

  const reader = await h.api<{ secret: string }>('POST', '/api/tokens', { token: admin, body: { name: 'Reader', scopes: ['conversations:read'] } });
  const byToken = await transcribe(h, noteId, reader.body.secret);
  assert.equal(byToken.status, 200);
  assert.equal(byToken.body.text, 'back again');
});

test('without a provider (or without AI_TRANSCRIBE_MODEL): 409 transcription_unavailable, saying what is missing', async (t) => {
  const fake = await fakeProvider(t);
  for (const config of [{}, { aiBaseUrl: fake.baseUrl, aiModel: 'chat-model' }]) {
    const h = await startHub(t, { config });
    const admin = await h.login();
    const c = await conversation(h, admin);
    const note = await upload(h, '/api/widget/attachments', c.token, { bytes: tinyWav(), filename: 'n.wav', type: 'audio/wav', clientId: 'n' });
    const status = await h.api<{ transcriptionAvailable: boolean }>('GET', '/api/assist/status', { token: admin });
    assert.equal(status.body.transcriptionAvailable, false);
    const answer = await transcribe(h, note.body.attachment.id, admin);
    assert.equal(answer.status, 409, JSON.stringify(answer.body));
    assert.equal(answer.body.code, 'transcription_unavailable');
    assert.match(answer.body.message, /needs an AI provider.*AI_TRANSCRIBE_MODEL/);
    await h.stop();
  }
  assert.equal(fake.requests.length, 0);
});
