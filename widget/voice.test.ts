// Voice notes in headless Chromium against the real hub, recorded from Chromium's fake microphone
// (--use-fake-device-for-media-stream --use-fake-ui-for-media-stream from test/helpers/chromium-args.mjs).
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { ConversationDetail } from '../protocol/types.js';
import { api, login, testHub } from '../test/helpers/browser-hub.js';
import { clock } from './attachments.js';
import './webchat.js';
import type { SwitchboardWebchat } from './webchat.js';

const unique = () => `t-${Math.random().toString(36).slice(2)}`;

async function mount(): Promise<SwitchboardWebchat> {
  const el = await fixture<SwitchboardWebchat>(html`<switchboard-webchat .hub=${testHub.url} site="demo" storage-key=${unique()}></switchboard-webchat>`);
  await el.chat.ready;
  el.show();
  await el.updateComplete;
  return el;
}

const $ = <T extends Element>(el: SwitchboardWebchat, selector: string) => (el.shadowRoot as ShadowRoot).querySelector<T>(selector);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('<switchboard-webchat> voice notes', () => {
  let admin: string;
  before(async () => {
    admin = await login();
  });

  it('records from the microphone and sends an audio attachment with its duration, played by <audio>', async () => {
    const el = await mount();
    const mic = $<HTMLButtonElement>(el, 'button.mic') as HTMLButtonElement;
    expect(mic.getAttribute('aria-label')).to.equal('Record a voice note');
    mic.click();
    await waitUntil(() => el.recorder.state === 'recording', 'not recording');
    await el.updateComplete;
    expect($(el, '[role="status"].sr-only')?.textContent).to.equal('Recording');
    const stop = $<HTMLButtonElement>(el, '.recording .stop') as HTMLButtonElement;
    await waitUntil(() => (el.shadowRoot as ShadowRoot).activeElement === stop, 'focus is not on the stop button');
    await sleep(1300);
    await el.updateComplete;
    expect($(el, '.recording .time')?.textContent).to.match(/^0:0[12]$/);
    stop.click();

    await waitUntil(() => el.chat.messages.some((m) => m.delivery === 'sent' && m.attachments.length === 1), 'not sent', { timeout: 10_000 });
    const shown = el.chat.messages.find((m) => m.attachments.length === 1);
    expect(shown?.text).to.equal('');
    const detail = await api<ConversationDetail>(admin, 'GET', `/api/conversations/${el.chat.conversation?.id}`);
    const file = detail.messages.flatMap((m) => m.attachments)[0];
    expect(file?.kind).to.equal('audio');
    expect(file?.contentType).to.equal('audio/webm');
    expect(file?.name).to.equal('voice-note.webm');
    expect(file?.durationMs).to.be.within(1200, 4000);
    expect(file?.size).to.be.greaterThan(0);

    await el.updateComplete;
    const audio = $<HTMLAudioElement>(el, '.msg .voice audio') as HTMLAudioElement;
    expect(audio.controls).to.equal(true);
    expect(audio.src).to.equal(new URL(file?.url ?? '', testHub.url).href);
    expect($(el, '.msg .voice .length')?.textContent).to.equal(clock(file?.durationMs ?? 0));
    const response = await fetch(audio.src);
    expect(response.status).to.equal(200);
    expect(response.headers.get('content-type')).to.contain('audio/webm');
    expect($(el, '.recording')).to.equal(null);
  });

  it('cancels a recording with Escape (nothing sent, the panel stays open)', async () => {
    const el = await mount();
    ($<HTMLButtonElement>(el, 'button.mic') as HTMLButtonElement).click();
    await waitUntil(() => el.recorder.state === 'recording', 'not recording');
    await sendKeys({ press: 'Escape' });
    await el.updateComplete;
    expect(el.recorder.state).to.equal('idle');
    expect(el.open).to.equal(true);
    expect($(el, '.recording')).to.equal(null);
    await sleep(300);
    expect(el.chat.messages.filter((m) => m.author === 'visitor')).to.have.length(0);
  });

  it('says so when the microphone is refused', async () => {
    const el = await mount();
    const devices = navigator.mediaDevices as MediaDevices & { getUserMedia: MediaDevices['getUserMedia'] };
    devices.getUserMedia = () => Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));
    try {
      ($<HTMLButtonElement>(el, 'button.mic') as HTMLButtonElement).click();
      await waitUntil(() => $(el, '.notice'), 'no message');
      expect($(el, '.notice')?.textContent).to.contain('Microphone access was denied');
      expect(el.recorder.state).to.equal('idle');
    } finally {
      delete (devices as Partial<MediaDevices>).getUserMedia;
    }
  });

  it('has no microphone button where the browser cannot record', async () => {
    const recorder = window.MediaRecorder;
    (window as { MediaRecorder?: typeof MediaRecorder }).MediaRecorder = undefined;
    try {
      const el = await mount();
      expect($(el, 'button.mic')).to.equal(null);
      expect($(el, 'button.attach')).to.exist;
    } finally {
      window.MediaRecorder = recorder;
    }
  });
});
