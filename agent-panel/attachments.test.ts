// Files in the agent panel against the real hub: a visitor's image and file in the transcript, the agent's files
// through the composer (picker, drop, paste), and refused files (by the panel early, by the hub) that send nothing.
import { expect, waitUntil } from '@open-wc/testing';
import { LIMITS } from '../protocol/limits.js';
import type { Message } from '../protocol/types.js';
import { canvasPng, composerFiles, filesRoot, hubMessages, messageEl, pendingItems, reply, sendButton, uploadingVisitor } from './attachment-test-helpers.js';
import { login, newAgent, open, panel, testHub, viewRoot } from './test-helpers.js';

const files = (...list: File[]): DataTransfer => {
  const transfer = new DataTransfer();
  for (const file of list) transfer.items.add(file);
  return transfer;
};

describe('<switchboard-agent-panel> attachments', () => {
  let admin: string;
  before(async () => {
    admin = await login();
  });

  it("shows a visitor's image as a thumbnail that loads (opening the full image in a new tab) and a file as a download chip", async () => {
    const v = await uploadingVisitor('I have a question about my order');
    const image = await v.upload(await canvasPng(24, 16), 'photo <b>box.png');
    const text = await v.upload(new Blob(['order 1234, shipped late'], { type: 'text/plain' }), 'notes.txt');
    const sent = await v.send('', [image.id, text.id]);
    expect(image.url.startsWith('/api/attachments/')).to.equal(true, 'the hub hands out relative URLs');

    const p = await panel(admin);
    await open(p, v.conversationId);
    await waitUntil(() => messageEl(p, sent.id)?.querySelector('img'), 'the image did not show');
    const el = messageEl(p, sent.id) as HTMLElement;
    const img = el.querySelector('img') as HTMLImageElement;
    await waitUntil(() => img.complete && img.naturalWidth > 0, 'the thumbnail did not load', { timeout: 8000 });
    expect(img.naturalWidth).to.equal(24);
    expect(img.alt).to.equal('photo <b>box.png', 'the name, as text');
    expect(el.querySelector('b')).to.equal(null, 'a name is never HTML');
    const link = img.closest('a') as HTMLAnchorElement;
    // Resolved against the hub, not the page the panel is embedded in.
    expect(new URL(link.href).origin).to.equal(new URL(testHub.url).origin);
    expect(link.target).to.equal('_blank');
    expect(link.rel).to.contain('noopener');
    expect(link.href).to.equal(img.src);
    // A file-only message has no empty text bubble.
    expect(el.querySelector('.text')).to.equal(null);

    const chip = el.querySelector('a.file-chip') as HTMLAnchorElement;
    expect(chip.querySelector('.file-name')?.textContent).to.equal('notes.txt');
    expect(chip.querySelector('.file-size')?.textContent).to.equal('24 B');
    expect(chip.getAttribute('download')).to.equal('notes.txt');
    const download = await fetch(chip.href);
    expect(download.status).to.equal(200);
    expect(await download.text()).to.equal('order 1234, shipped late');
    v.socket.disconnect();
  });

  it('the agent attaches files by the picker, by dropping them on the conversation and by pasting: sent once stored, in one message', async () => {
    const { token } = await newAgent(admin, 'Pia');
    const v = await uploadingVisitor('Can you send me the invoice?');
    const received: Message[] = [];
    v.socket.on('message:new', (m: Message) => received.push(m));
    const p = await panel(token);
    await open(p, v.conversationId);

    // Each upload shows its progress until the hub has stored the file.
    const progressSeen = new Set<string>();
    const watcher = new MutationObserver(() => {
      for (const bar of filesRoot(p).querySelectorAll('progress')) progressSeen.add(bar.getAttribute('aria-label') ?? '');
    });
    watcher.observe(filesRoot(p), { childList: true, subtree: true });

    // The picker: a real <input type=file> behind a labelled button.
    const attach = filesRoot(p).querySelector('button.attach') as HTMLButtonElement;
    expect(attach.textContent?.trim()).to.contain('Attach files');
    const input = filesRoot(p).querySelector('input[type=file]') as HTMLInputElement;
    input.files = files(new File(['Invoice 42: 19.90 EUR'], 'invoice.txt', { type: 'text/plain' })).files;
    input.dispatchEvent(new Event('change'));

    // Dropping on the conversation: a visible drop target while dragging.
    const body = viewRoot(p).querySelector('.chat-body') as HTMLElement;
    const png = new File([await canvasPng(10, 10)], 'screenshot.png', { type: 'image/png' });
    body.dispatchEvent(new DragEvent('dragenter', { dataTransfer: files(png), bubbles: true, cancelable: true }));
    await waitUntil(() => body.classList.contains('dropping') && viewRoot(p).querySelector('.drop-hint'), 'no drop state');
    expect(viewRoot(p).querySelector('.drop-hint')?.textContent).to.contain('Drop files');
    body.dispatchEvent(new DragEvent('drop', { dataTransfer: files(png), bubbles: true, cancelable: true }));
    await waitUntil(() => !body.classList.contains('dropping'), 'the drop state stayed');

    // Pasting an image into the reply box attaches it; the text stays.
    const pasted = new File([await canvasPng(6, 6)], 'image.png', { type: 'image/png' });
    reply(p).value = 'Here you are';
    reply(p).dispatchEvent(new ClipboardEvent('paste', { clipboardData: files(pasted), bubbles: true, cancelable: true }));
    expect(reply(p).value).to.equal('Here you are');

    await waitUntil(() => pendingItems(p).length === 3, 'three files should be attached');
    await waitUntil(() => pendingItems(p).every((li) => li.classList.contains('stored')), 'uploads did not finish', { timeout: 8000 });
    expect(pendingItems(p).map((li) => li.querySelector('.name')?.textContent)).to.deep.equal(['invoice.txt', 'screenshot.png', 'image.png']);
    watcher.disconnect();
    expect([...progressSeen]).to.include('Uploading invoice.txt');

    sendButton(p).click();
    await waitUntil(() => received.some((m) => m.author === 'agent'), 'the visitor did not get the message');
    const message = received.find((m) => m.author === 'agent') as Message;
    expect(message.text).to.equal('Here you are');
    expect(message.attachments.map((a) => [a.name, a.kind])).to.deep.equal([
      ['invoice.txt', 'file'],
      ['screenshot.png', 'image'],
      ['image.png', 'image'],
    ]);
    const stored = (await hubMessages(admin, v.conversationId)).find((m) => m.id === message.id);
    expect(stored?.attachments.map((a) => a.contentType)).to.deep.equal(['text/plain', 'image/png', 'image/png']);
    // The composer is empty again, and the message shows with its thumbnails.
    await waitUntil(() => pendingItems(p).length === 0 && reply(p).value === '', 'the composer was not cleared');
    await waitUntil(() => messageEl(p, message.id)?.querySelectorAll('img').length === 2, 'the sent images did not show');
    v.socket.disconnect();
  });

  it('a refused file (too large for the panel, or not an accepted type for the hub) shows why, and Send sends nothing', async () => {
    const { token } = await newAgent(admin, 'Rex');
    const v = await uploadingVisitor('Hello there');
    const p = await panel(token);
    await open(p, v.conversationId);
    const before = (await hubMessages(admin, v.conversationId)).length;

    // Too large: refused at once, never uploaded.
    composerFiles(p).addFiles([new File([new Uint8Array(LIMITS.attachmentBytes + 1)], 'huge.pdf', { type: 'application/pdf' })]);
    await waitUntil(() => pendingItems(p).length === 1);
    expect(pendingItems(p)[0]?.classList.contains('refused')).to.equal(true);
    expect(pendingItems(p)[0]?.querySelector('.error')?.textContent).to.match(/huge\.pdf.*10 MB at most/);

    // A page that says it is a PNG: the hub reads the bytes and refuses it (415).
    composerFiles(p).addFiles([new File(['<html><script>alert(1)</script></html>'], 'cat.png', { type: 'image/png' })]);
    await waitUntil(() => pendingItems(p).length === 2 && pendingItems(p)[1]?.classList.contains('refused'), 'the hub did not refuse it', { timeout: 8000 });
    const refusal = pendingItems(p)[1]?.querySelector('.error') as HTMLElement;
    expect(refusal.textContent).to.contain('“cat.png” was not attached');
    expect(refusal.getAttribute('role')).to.equal('alert');

    reply(p).value = 'See the attached file';
    sendButton(p).click();
    await waitUntil(() => filesRoot(p).querySelector('.blocked'), 'no reason shown for sending nothing');
    expect(filesRoot(p).querySelector('.blocked')?.textContent).to.contain('Nothing was sent');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await hubMessages(admin, v.conversationId)).length).to.equal(before, 'nothing reached the hub');
    expect(reply(p).value).to.equal('See the attached file', 'the text is kept');

    // Removing the refused files (keyboard-reachable buttons named after the file) lets the text go alone.
    const remove = [...filesRoot(p).querySelectorAll<HTMLButtonElement>('button.remove')];
    expect(remove.map((b) => b.getAttribute('aria-label'))).to.deep.equal(['Remove huge.pdf', 'Remove cat.png']);
    for (const button of remove) button.click();
    await waitUntil(() => pendingItems(p).length === 0);
    sendButton(p).click();
    await waitUntil(async () => (await hubMessages(admin, v.conversationId)).some((m) => m.text === 'See the attached file'), 'the text was not sent');
    const last = (await hubMessages(admin, v.conversationId)).at(-1);
    expect(last?.attachments).to.deep.equal([]);
    v.socket.disconnect();
  });
});
