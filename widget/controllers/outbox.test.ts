// The outbox on its own: an in-memory store and a fake hub, no socket.
import { expect } from '@open-wc/testing';
import type { ErrorCode } from '../../protocol/errors.js';
import type { Message, VisitorConversation } from '../../protocol/types.js';
import type { AttachmentRef } from '../../protocol/attachments.js';
import { type OutboxFile, type OutboxItem, memoryStore } from '../session-db.js';
import { type FileRefusal, Outbox, type SendAck } from './outbox.js';
import type { UploadResult } from './upload.js';

const conversation: VisitorConversation = { id: 'c1', state: 'open', handler: { kind: 'bot' }, createdAt: new Date(0).toISOString() };

function stored(item: OutboxItem, id: number): Message {
  return {
    id,
    conversationId: 'c1',
    clientId: item.clientId,
    author: 'visitor',
    channel: 'webchat',
    agentId: null,
    authorName: null,
    text: item.text,
    choices: [],
    attachments: [],
    createdAt: item.createdAt,
    readAt: null,
  };
}

const ref = (file: OutboxFile): AttachmentRef => ({
  id: `att-${file.clientId}`,
  name: file.name,
  size: file.size,
  contentType: file.type,
  kind: 'file',
  durationMs: null,
  url: `/api/attachments/att-${file.clientId}?exp=1&sig=x`,
  urlExpiresAt: new Date(0).toISOString(),
});

/** An outbox whose hub answers with `answer` (null: offline) and uploads with `upload`. */
function setup(answer: (item: OutboxItem, attachmentIds: string[]) => Promise<SendAck> | null, upload?: (file: OutboxFile) => Promise<UploadResult> | null) {
  const store = memoryStore();
  const sent: OutboxItem[] = [];
  const ids: string[][] = [];
  const delivered: string[] = [];
  const failed: string[] = [];
  const refusals: (FileRefusal | undefined)[] = [];
  const queued: string[] = [];
  /** Whether each sent item was in the store when it was sent (memoryStore reads its queue synchronously). */
  const inStore: Promise<boolean>[] = [];
  const outbox = new Outbox({
    store: () => store,
    send: (item, attachmentIds) => {
      const reply = answer(item, attachmentIds);
      if (reply) {
        sent.push(item);
        ids.push(attachmentIds);
      }
      inStore.push(store.outbox().then((items) => items.some((i) => i.clientId === item.clientId)));
      return reply;
    },
    queued: (item) => queued.push(item.text),
    delivered: (message) => delivered.push(message.text),
    failed: (clientId, refused) => {
      failed.push(clientId);
      refusals.push(refused);
    },
    ...(upload ? { upload } : {}),
  });
  return { store, outbox, sent, ids, delivered, failed, refusals, queued, inStore };
}

const refuse = (code: ErrorCode): Promise<SendAck> => Promise.resolve({ error: { code, message: code } });
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('Outbox', () => {
  it('queues before sending and sends in order, leaving the outbox only on an ack', async () => {
    let id = 0;
    const { store, outbox, sent, delivered, queued, inStore } = setup((item) => Promise.resolve({ data: { message: stored(item, ++id), conversation } }));
    await outbox.send('one');
    expect(queued).to.deep.equal(['one']);
    await outbox.send('two');
    await outbox.flush();
    await settle();
    expect(sent.map((i) => i.text)).to.deep.equal(['one', 'two']);
    expect(delivered).to.deep.equal(['one', 'two']);
    expect(await Promise.all(inStore)).to.deep.equal([true, true]);
    expect(await store.outbox()).to.deep.equal([]);
  });

  it('stops at the first message without an answer and resends it with the same clientId', async () => {
    let online = false;
    const { store, outbox, sent, delivered } = setup((item) => {
      if (!online) return null;
      return sent.length === 0 ? Promise.reject(new Error('timeout')) : Promise.resolve({ data: { message: stored(item, 1), conversation } });
    });
    await outbox.send('a');
    await outbox.send('b');
    await settle();
    expect(sent).to.deep.equal([]);
    const [a, b] = (await store.outbox()).map((i) => i.clientId);
    online = true;
    await outbox.flush(); // the hub does not answer the first: nothing after it is sent
    expect(sent.map((i) => i.clientId)).to.deep.equal([a]);
    await outbox.flush();
    expect(sent.map((i) => i.clientId)).to.deep.equal([a, a, b]);
    expect(delivered).to.deep.equal(['a', 'b']);
  });

  it('drops a message the hub refuses for good and goes on; keeps one refused for now', async () => {
    const { store, outbox, failed, delivered } = setup((item) =>
      item.text === 'too big'
        ? refuse('too_large')
        : item.text === 'later'
          ? refuse('rate_limited')
          : Promise.resolve({ data: { message: stored(item, 1), conversation } }),
    );
    await outbox.send('too big');
    await outbox.send('fine');
    await outbox.send('later');
    await outbox.send('after');
    await outbox.flush();
    await settle();
    expect(failed).to.have.length(1);
    expect(delivered).to.deep.equal(['fine']);
    expect((await store.outbox()).map((i) => i.text)).to.deep.equal(['later', 'after']);
  });

  const file = (name: string) => ({ blob: new Blob([name]), name, type: 'text/plain', size: name.length });

  it('uploads a message’s files first, in order, then sends it with their ids; a stored file is not uploaded again', async () => {
    let online = false;
    const uploads: string[] = [];
    const { store, outbox, sent, ids, delivered } = setup(
      (item) => (online && uploads.length === 3 ? Promise.resolve({ data: { message: stored(item, 1), conversation } }) : null),
      (f) => {
        if (!online) return null;
        uploads.push(f.name);
        // The second file's first upload gets no answer: the message waits.
        return Promise.resolve(uploads.length === 2 ? { error: 'network' as const } : { attachment: ref(f) });
      },
    );
    await outbox.send('two files', [file('a.txt'), file('b.txt')]);
    await settle();
    expect(uploads).to.deep.equal([]);
    const [queued] = await store.outbox();
    expect(queued?.files?.map((f) => f.clientId)).to.deep.equal([`${queued?.clientId}:0`, `${queued?.clientId}:1`]);
    online = true;
    await outbox.flush();
    expect(uploads).to.deep.equal(['a.txt', 'b.txt']);
    expect(sent).to.deep.equal([], 'not sent before every file is stored');
    expect((await store.outbox())[0]?.files?.[0]?.attachment?.id).to.equal(`att-${queued?.clientId}:0`, 'the stored file is remembered');
    await outbox.flush();
    outbox.stop();
    expect(uploads).to.deep.equal(['a.txt', 'b.txt', 'b.txt']);
    expect(ids).to.deep.equal([[`att-${queued?.clientId}:0`, `att-${queued?.clientId}:1`]]);
    expect(delivered).to.deep.equal(['two files']);
    expect(await store.outbox()).to.deep.equal([]);
  });

  it('fails a message whose file the hub refuses for good, sends nothing of it, and goes on with the next', async () => {
    const { store, outbox, sent, failed, refusals, delivered } = setup(
      (item) => Promise.resolve({ data: { message: stored(item, 1), conversation } }),
      (f) => Promise.resolve(f.name === 'page.png' ? { error: 'file_type_not_allowed' as const } : { attachment: ref(f) }),
    );
    await outbox.send('', [file('ok.txt'), file('page.png')]);
    await outbox.send('next');
    await outbox.flush();
    await settle();
    expect(failed).to.have.length(1);
    expect(refusals).to.deep.equal([{ name: 'page.png', code: 'file_type_not_allowed' }]);
    expect(sent.map((i) => i.text)).to.deep.equal(['next']);
    expect(delivered).to.deep.equal(['next']);
    expect(await store.outbox()).to.deep.equal([]);
  });
});
