// Files in the widget, in headless Chromium against the real hub: attach (picker, drop, paste), upload with
// progress, thumbnails and download chips, refusals, and the outbox's offline files.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { LIMITS } from '../protocol/limits.js';
import type { ConversationDetail } from '../protocol/types.js';
import { api, login, testHub } from '../test/helpers/browser-hub.js';
import type { ShownMessage } from './controllers/connection.js';
import { openSessionStore } from './session-db.js';
import './webchat.js';
import type { SwitchboardWebchat } from './webchat.js';

const unique = () => `t-${Math.random().toString(36).slice(2)}`;

async function mount(storageKey = unique()): Promise<SwitchboardWebchat> {
  const el = await fixture<SwitchboardWebchat>(html`<switchboard-webchat .hub=${testHub.url} site="demo" storage-key=${storageKey}></switchboard-webchat>`);
  await el.chat.ready;
  el.show();
  await el.updateComplete;
  return el;
}

const shadow = (el: SwitchboardWebchat) => el.shadowRoot as ShadowRoot;
const $ = <T extends Element>(el: SwitchboardWebchat, selector: string) => shadow(el).querySelector<T>(selector);

/** A real PNG drawn on a canvas. */
async function png(name = 'photo.png'): Promise<File> {
  const canvas = document.createElement('canvas');
  canvas.width = 12;
  canvas.height = 8;
  const context = canvas.getContext('2d') as CanvasRenderingContext2D;
  context.fillStyle = '#0b7a52';
  context.fillRect(0, 0, 12, 8);
  const blob = await new Promise<Blob>((resolve) => canvas.toBlob((b) => resolve(b as Blob), 'image/png'));
  return new File([blob], name, { type: 'image/png' });
}

const files = (...list: File[]) => {
  const transfer = new DataTransfer();
  for (const file of list) transfer.items.add(file);
  return transfer;
};

/** Chooses files with the paperclip's file input, as the picker would. */
async function pick(el: SwitchboardWebchat, ...list: File[]): Promise<void> {
  const input = $<HTMLInputElement>(el, 'input[type=file]') as HTMLInputElement;
  input.files = files(...list).files;
  input.dispatchEvent(new Event('change'));
  await el.updateComplete;
}

async function submit(el: SwitchboardWebchat, text = ''): Promise<void> {
  const composer = $<HTMLTextAreaElement>(el, 'textarea') as HTMLTextAreaElement;
  composer.value = text;
  $<HTMLButtonElement>(el, 'button[type=submit]')?.click();
  await el.updateComplete;
}

const delivered = (el: SwitchboardWebchat, check: (m: ShownMessage) => boolean) =>
  waitUntil(() => el.chat.messages.some((m) => m.delivery === 'sent' && check(m)), 'not delivered', { timeout: 10_000 });

async function conversation(el: SwitchboardWebchat, token: string): Promise<ConversationDetail> {
  await waitUntil(() => el.chat.conversation !== null, 'no conversation yet');
  return api<ConversationDetail>(token, 'GET', `/api/conversations/${el.chat.conversation?.id}`);
}

describe('<switchboard-webchat> attachments', () => {
  let admin: string;
  before(async () => {
    admin = await login();
  });

  it('attaches a PNG with the paperclip: uploaded, then sent, shown as a thumbnail that opens the full image', async () => {
    const el = await mount();
    const attach = $<HTMLButtonElement>(el, 'button.attach');
    expect(attach?.getAttribute('aria-label')).to.equal('Attach a file');
    await pick(el, await png('sunset <b>.png'));
    expect($(el, '.tray .chip')?.textContent).to.contain('sunset <b>.png ·');
    await submit(el, 'a photo');
    await delivered(el, (m) => m.text === 'a photo' && m.attachments.length === 1);
    expect($(el, '.tray')).to.equal(null, 'the composer is emptied');

    const detail = await conversation(el, admin);
    const sent = detail.messages.filter((m) => m.text === 'a photo');
    expect(sent).to.have.length(1);
    expect(sent[0]?.attachments).to.have.length(1);
    expect(sent[0]?.attachments[0]).to.include({ kind: 'image', name: 'sunset <b>.png', contentType: 'image/png' });

    await el.updateComplete;
    const img = $<HTMLImageElement>(el, '.msg .thumb img') as HTMLImageElement;
    expect(img.alt).to.equal('sunset <b>.png');
    await waitUntil(() => img.complete && img.naturalWidth > 0, 'the thumbnail did not load');
    expect(img.naturalWidth).to.equal(12);
    const link = img.closest('a') as HTMLAnchorElement;
    expect(link.target).to.equal('_blank');
    expect(link.rel).to.contain('noopener');
    expect(link.href).to.equal(new URL(sent[0]?.attachments[0]?.url ?? '', testHub.url).href);
    expect(link.href).to.match(/\/api\/attachments\/[^?]+\?exp=\d+&sig=/);
    expect(shadow(el).querySelector('.log b')).to.equal(null, 'a file name is text');
    const id = el.chat.messages.find((m) => m.text === 'a photo')?.clientId;
    expect(el.chat.progress.get(`${id}:0`)).to.equal(1, 'upload progress reached the end');
    await expect(el).shadowDom.to.be.accessible();
  });

  it('takes files dropped on the window or pasted into the text box; other files show as a download chip', async () => {
    const el = await mount();
    const panel = $<HTMLElement>(el, '.panel') as HTMLElement;
    const transfer = files(new File(['meeting notes\n'], 'notes.txt', { type: 'text/plain' }));
    panel.dispatchEvent(new DragEvent('dragenter', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    await el.updateComplete;
    expect($(el, '.drop')?.textContent).to.equal('Drop files to attach them');
    const drop = new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true });
    panel.dispatchEvent(drop);
    await el.updateComplete;
    expect(drop.defaultPrevented).to.equal(true, 'the browser does not open the file');
    expect($(el, '.drop')).to.equal(null);

    const composer = $<HTMLTextAreaElement>(el, 'textarea') as HTMLTextAreaElement;
    composer.dispatchEvent(new ClipboardEvent('paste', { clipboardData: files(await png('pasted.png')), bubbles: true, cancelable: true }));
    await el.updateComplete;
    expect([...shadow(el).querySelectorAll('.tray .chip')].map((c) => c.textContent?.split(' ·')[0])).to.deep.equal(['notes.txt', 'pasted.png']);

    await submit(el);
    await delivered(el, (m) => m.attachments.length === 2);
    await el.updateComplete;
    const chip = $<HTMLAnchorElement>(el, '.msg a.chip') as HTMLAnchorElement;
    expect(chip.textContent).to.equal('notes.txt · 14 B');
    const response = await fetch(chip.href);
    expect(response.status).to.equal(200);
    expect(await response.text()).to.equal('meeting notes\n');
    expect($(el, '.msg .thumb img')).to.exist;
  });

  it('refuses too large and unaccepted files before uploading, with a clear message', async () => {
    const el = await mount();
    await pick(
      el,
      new File([new Uint8Array(LIMITS.attachmentBytes + 1)], 'huge.pdf', { type: 'application/pdf' }),
      new File(['x'], 'movie.mp4', { type: 'video/mp4' }),
    );
    const notice = $(el, '.notice');
    expect(notice?.getAttribute('role')).to.equal('alert');
    expect(notice?.textContent).to.contain('huge.pdf is too large to send');
    expect(notice?.textContent).to.contain('movie.mp4: this type of file can’t be sent');
    expect($(el, '.tray')).to.equal(null);
    await submit(el);
    expect(el.chat.messages.filter((m) => m.author === 'visitor')).to.have.length(0);
  });

  it('shows the hub’s refusal on the message (a .png that is really HTML) and sends nothing', async () => {
    const el = await mount();
    await el.chat.send('before');
    await delivered(el, (m) => m.text === 'before');
    await pick(el, new File(['<html><script>alert(1)</script></html>'], 'fake.png', { type: 'image/png' }));
    await submit(el, 'see attached');
    await waitUntil(() => el.chat.messages.some((m) => m.text === 'see attached' && m.delivery === 'failed'), 'not refused');
    await el.updateComplete;
    const failed = $<HTMLElement>(el, '.msg.failed') as HTMLElement;
    expect(failed.querySelector('.error')?.textContent).to.contain('fake.png: this type of file can’t be sent');
    expect(failed.querySelector('.meta')?.textContent).to.contain('Not sent');

    const detail = await conversation(el, admin);
    expect(detail.messages.map((m) => m.text)).not.to.include('see attached');
    expect(detail.messages.flatMap((m) => m.attachments)).to.have.length(0);
    expect(await (await openSessionStore(el.storageKey)).outbox()).to.deep.equal([], 'it left the outbox');

    (failed.querySelector('.error button') as HTMLButtonElement).click();
    await el.updateComplete;
    expect($(el, '.msg.failed')).to.equal(null, 'Remove takes it away');
  });

  it('queues a file attached offline (Blob in IndexedDB) and sends it exactly once after a reload, from two tabs', async () => {
    const key = unique();
    const first = await mount(key);
    await first.chat.send('hello');
    await delivered(first, (m) => m.text === 'hello');
    first.chat.goOffline();
    await waitUntil(() => first.chat.connection === 'offline');
    await pick(first, await png('offline.png'));
    await submit(first, 'taken offline');
    await waitUntil(() => $(first, '[data-delivery="pending"] .chip'), 'not shown as pending');
    expect($(first, '[data-delivery="pending"] .chip')?.textContent).to.contain('offline.png ·');
    const [queued] = await (await openSessionStore(key)).outbox();
    expect(queued?.files?.[0]?.blob).to.be.instanceOf(Blob);
    expect(queued?.files?.[0]).to.include({ name: 'offline.png', type: 'image/png' });
    expect(queued?.files?.[0]?.attachment).to.equal(undefined, 'not uploaded while offline');
    first.remove(); // the page goes away

    // The page comes back in two tabs at once: both resend the outbox.
    const [a, b] = await Promise.all([mount(key), mount(key)]);
    await delivered(a, (m) => m.text === 'taken offline' && m.attachments.length === 1);
    await delivered(b, (m) => m.text === 'taken offline');
    const detail = await conversation(a, admin);
    const sent = detail.messages.filter((m) => m.text === 'taken offline');
    expect(sent).to.have.length(1);
    expect(sent[0]?.attachments.map((f) => f.name)).to.deep.equal(['offline.png']);
    expect(detail.messages.flatMap((m) => m.attachments)).to.have.length(1);
    expect(await (await openSessionStore(key)).outbox()).to.deep.equal([]);
  });

  it('reads the transcript again for fresh URLs when an image fails to load (expired link)', async () => {
    const el = await mount();
    await pick(el, await png());
    await submit(el);
    await delivered(el, (m) => m.attachments.length === 1);
    const index = el.chat.messages.findIndex((m) => m.attachments.length === 1);
    const shown = el.chat.messages[index] as ShownMessage;
    const file = shown.attachments[0] as ShownMessage['attachments'][number];
    el.chat.messages[index] = { ...shown, attachments: [{ ...file, url: file.url.replace(/sig=[^&]+/, 'sig=expired') }] };
    el.requestUpdate();
    await el.updateComplete;
    await waitUntil(() => {
      const img = $<HTMLImageElement>(el, '.thumb img');
      return img?.src.includes(file.url.split('sig=')[1] ?? '-') && img.complete && img.naturalWidth > 0;
    }, 'the image was not reloaded with a fresh URL');
  });
});
