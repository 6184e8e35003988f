// Voice notes in the agent panel against the real hub: recording with Chromium's fake microphone
// (--use-fake-device-for-media-stream, --use-fake-ui-for-media-stream from test/helpers/chromium-args.mjs), playing a
// visitor's voice note, the microphone refused, no recorder, and the transcript's states. The browser tests' hub has no
// AI provider: the real route answers "needs an AI provider" (shown as such); the transcript text itself comes from a
// stubbed answer of the route (the route's contract with a provider is test/server/transcription.test.ts).
import { expect, waitUntil } from '@open-wc/testing';
import type { Message } from '../protocol/types.js';
import { composerFiles, filesRoot, hubMessages, messageEl, pendingItems, sendButton, uploadingVisitor, wav } from './attachment-test-helpers.js';
import { login, newAgent, open, panel, requestUrl } from './test-helpers.js';

/** Resolves once the element has loaded its metadata (or already has). */
function metadata(audio: HTMLAudioElement): Promise<void> {
  if (audio.readyState >= 1) return Promise.resolve();
  return new Promise((resolve, reject) => {
    audio.addEventListener('loadedmetadata', () => resolve(), { once: true });
    audio.addEventListener('error', () => reject(new Error(`the audio did not load: ${audio.error?.message}`)), { once: true });
  });
}

describe('<switchboard-agent-panel> voice notes', () => {
  let admin: string;
  before(async () => {
    admin = await login();
  });

  it('the agent records a voice note (elapsed time, Stop), sends it as audio, and it plays in the transcript', async () => {
    const { token } = await newAgent(admin, 'Vic');
    const v = await uploadingVisitor('Could you explain it by voice?');
    const received: Message[] = [];
    v.socket.on('message:new', (m: Message) => received.push(m));
    const p = await panel(token);
    await open(p, v.conversationId);

    const record = filesRoot(p).querySelector('button.record') as HTMLButtonElement;
    expect(record.textContent?.trim()).to.contain('Record voice note');
    record.click();
    await waitUntil(() => filesRoot(p).querySelector('.recording time.elapsed'), 'recording did not start', { timeout: 5000 });
    await waitUntil(() => filesRoot(p).querySelector('time.elapsed')?.textContent === '0:02', 'the elapsed time did not run', { timeout: 5000 });
    (filesRoot(p).querySelector('button.stop') as HTMLButtonElement).click();
    await waitUntil(() => pendingItems(p)[0]?.classList.contains('stored'), 'the voice note was not uploaded', { timeout: 8000 });
    expect(pendingItems(p)[0]?.querySelector('.name')?.textContent).to.match(/^\s*voice-note-.*\.webm \(0:0[234]\)$/);
    // Marked as a voice note by a drawn icon, not an emoji a system without a colour font shows as an empty box.
    expect(pendingItems(p)[0]?.querySelector('.name svg.icon[aria-hidden="true"]'), 'the microphone icon').to.not.equal(null);
    expect(filesRoot(p).querySelector('button.record'), 'ready to record again').to.not.equal(null);

    // Sent with no text: a voice note alone is a message.
    sendButton(p).click();
    await waitUntil(() => received.some((m) => m.author === 'agent'), 'the visitor did not get the voice note');
    const message = received.find((m) => m.author === 'agent') as Message;
    const [note] = (await hubMessages(admin, v.conversationId)).find((m) => m.id === message.id)?.attachments ?? [];
    expect(note?.kind).to.equal('audio');
    expect(note?.contentType).to.equal('audio/webm');
    expect(note?.durationMs).to.be.within(2000, 4500);

    await waitUntil(() => messageEl(p, message.id)?.querySelector('audio'), 'no player in the transcript');
    const audio = messageEl(p, message.id)?.querySelector('audio') as HTMLAudioElement;
    expect(audio.controls).to.equal(true);
    await metadata(audio);
    expect(audio.readyState).to.be.at.least(1);
    expect(messageEl(p, message.id)?.querySelector('.duration')?.textContent).to.match(/^0:0[234]$/);
    // This hub has no AI provider.
    expect(messageEl(p, message.id)?.querySelector('.transcript-unavailable')?.textContent).to.equal('Transcription needs an AI provider');
    v.socket.disconnect();
  });

  it("a visitor's voice note plays in the panel (its signed URL, resolved against the hub, loads)", async () => {
    const v = await uploadingVisitor('One moment, I will record it');
    const note = await v.upload(wav(700), 'voice.wav', { kind: 'audio', durationMs: '700' });
    const sent = await v.send('', [note.id]);
    const p = await panel(admin);
    await open(p, v.conversationId);
    await waitUntil(() => messageEl(p, sent.id)?.querySelector('audio'), 'no player');
    const audio = messageEl(p, sent.id)?.querySelector('audio') as HTMLAudioElement;
    await metadata(audio);
    expect(audio.duration).to.be.within(0.6, 0.8);
    expect(audio.getAttribute('aria-label')).to.equal('Voice note, 0:01');
    v.socket.disconnect();
  });

  it('Cancel keeps nothing; a refused microphone says so; without MediaRecorder there is no record button', async () => {
    const v = await uploadingVisitor('hi');
    const p = await panel(admin);
    await open(p, v.conversationId);
    const files = composerFiles(p);

    (filesRoot(p).querySelector('button.record') as HTMLButtonElement).click();
    await waitUntil(() => filesRoot(p).querySelector('.recording time.elapsed'), 'recording did not start', { timeout: 5000 });
    (filesRoot(p).querySelector('button.cancel-recording') as HTMLButtonElement).click();
    await waitUntil(() => filesRoot(p).querySelector('button.record'), 'cancel did not stop');
    expect(pendingItems(p)).to.have.length(0);

    const devices = navigator.mediaDevices;
    const original = devices.getUserMedia;
    devices.getUserMedia = () => Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));
    try {
      (filesRoot(p).querySelector('button.record') as HTMLButtonElement).click();
      await waitUntil(() => filesRoot(p).querySelector('.mic-error'), 'no message for a refused microphone');
      expect(filesRoot(p).querySelector('.mic-error')?.textContent).to.contain('Microphone access was denied');
      expect(filesRoot(p).querySelector('.mic-error')?.getAttribute('role')).to.equal('alert');
      expect(pendingItems(p)).to.have.length(0);
    } finally {
      devices.getUserMedia = original;
    }

    const recorder = window.MediaRecorder;
    (window as { MediaRecorder?: unknown }).MediaRecorder = undefined;
    try {
      files.requestUpdate();
      await files.updateComplete;
      expect(filesRoot(p).querySelector('button.record')).to.equal(null);
      expect(filesRoot(p).querySelector('button.attach')).to.not.equal(null);
    } finally {
      window.MediaRecorder = recorder;
    }
    v.socket.disconnect();
  });

  it('Transcribe shows the text once written, and the error when the route fails (stubbed route answers)', async () => {
    const v = await uploadingVisitor('Listen to this');
    const note = await v.upload(wav(400), 'voice.wav');
    const sent = await v.send('', [note.id]);
    const original = window.fetch;
    const answers: Response[] = [
      new Response(JSON.stringify({ code: 'provider_unavailable', message: 'Transcription failed: The provider answered 503' }), {
        status: 502,
        headers: { 'content-type': 'application/json' },
      }),
      new Response(JSON.stringify({ attachmentId: note.id, text: 'My parcel <b>never</b> came.', model: 'whisper-1', createdAt: new Date().toISOString() }), {
        headers: { 'content-type': 'application/json' },
      }),
    ];
    window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = requestUrl(input);
      if (url.pathname === '/api/assist/status') {
        const status = {
          settings: { summary: true, suggestions: true, transcription: true },
          provider: true,
          providerReachable: true,
          transcriptionAvailable: true,
        };
        return new Response(JSON.stringify(status), { headers: { 'content-type': 'application/json' } });
      }
      if (url.pathname === `/api/attachments/${note.id}/transcription`) return answers.shift() as Response;
      return original(input, init);
    };
    try {
      const p = await panel(admin);
      await open(p, v.conversationId);
      const el = () => messageEl(p, sent.id) as HTMLElement;
      await waitUntil(() => el()?.querySelector('button.transcribe'), 'no Transcribe button');
      (el().querySelector('button.transcribe') as HTMLButtonElement).click();
      await waitUntil(() => el().querySelector('.transcript-error'), 'the failure was not shown');
      expect(el().querySelector('.transcript-error')?.textContent).to.contain('Transcription failed');
      expect(el().querySelector('button.transcribe')?.textContent?.trim()).to.equal('Try again');
      (el().querySelector('button.transcribe') as HTMLButtonElement).click();
      await waitUntil(() => el().querySelector('.transcript-text'), 'the transcript did not show');
      expect(el().querySelector('.transcript-text')?.textContent).to.equal('Transcript: My parcel <b>never</b> came.');
      expect(el().querySelector('.transcript-text b')).to.equal(null, 'a transcript is text');
      expect(el().querySelector('button.transcribe')).to.equal(null);
    } finally {
      window.fetch = original;
    }
    v.socket.disconnect();
  });
});
