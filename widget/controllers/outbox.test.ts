// The outbox on its own: an in-memory store and a fake hub, no socket.
import { expect } from '@open-wc/testing';
import type { ErrorCode } from '../../protocol/errors.js';
import type { Message, VisitorConversation } from '../../protocol/types.js';
import { type OutboxItem, memoryStore } from '../session-db.js';
import { Outbox, type SendAck } from './outbox.js';

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

/** An outbox whose hub answers with `answer` (null: offline). */
function setup(answer: (item: OutboxItem) => Promise<SendAck> | null) {
  const store = memoryStore();
  const sent: OutboxItem[] = [];
  const delivered: string[] = [];
  const failed: string[] = [];
  const queued: string[] = [];
  /** Whether each sent item was in the store when it was sent (memoryStore reads its queue synchronously). */
  const inStore: Promise<boolean>[] = [];
  const outbox = new Outbox({
    store: () => store,
    send: (item) => {
      const reply = answer(item);
      if (reply) sent.push(item);
      inStore.push(store.outbox().then((items) => items.some((i) => i.clientId === item.clientId)));
      return reply;
    },
    queued: (item) => queued.push(item.text),
    delivered: (message) => delivered.push(message.text),
    failed: (clientId) => failed.push(clientId),
  });
  return { store, outbox, sent, delivered, failed, queued, inStore };
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
});
