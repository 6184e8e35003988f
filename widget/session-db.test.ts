// The session store on the browser's real IndexedDB (no hub needed), and its in-memory fallback.
import { expect } from '@open-wc/testing';
import type { Message } from '../protocol/types.js';
import { type OutboxFile, type OutboxItem, type SessionStore, TRANSCRIPT_CACHE, memoryStore, openSessionStore } from './session-db.js';

const unique = () => `s-${Math.random().toString(36).slice(2)}`;

function message(id: number): Message {
  return {
    id,
    conversationId: 'c1',
    clientId: null,
    author: 'bot',
    channel: 'webchat',
    agentId: null,
    authorName: 'Bot',
    text: `m${id}`,
    choices: [],
    attachments: [],
    createdAt: new Date(1_700_000_000_000 + id).toISOString(),
    readAt: null,
  };
}

const item = (n: number) => ({ clientId: `id-${n}`, text: `text ${n}`, createdAt: new Date(1_700_000_000_000 + n).toISOString() });

function behavesAsASessionStore(open: (site: string) => Promise<SessionStore>): void {
  it('starts empty', async () => {
    const store = await open(unique());
    expect(await store.load()).to.deep.equal({ token: null, visitorId: null, conversationId: null, lastSeenId: 0, transcript: [] });
    expect(await store.outbox()).to.deep.equal([]);
  });

  it('saves the session and keeps only the last messages of the transcript', async () => {
    const store = await open(unique());
    const transcript = Array.from({ length: TRANSCRIPT_CACHE + 5 }, (_, i) => message(i + 1));
    await store.save({ token: 'tok', visitorId: 'v1', conversationId: 'c1', lastSeenId: 205, transcript });
    const loaded = await store.load();
    expect(loaded.token).to.equal('tok');
    expect(loaded.visitorId).to.equal('v1');
    expect(loaded.conversationId).to.equal('c1');
    expect(loaded.lastSeenId).to.equal(205);
    expect(loaded.transcript).to.have.length(TRANSCRIPT_CACHE);
    expect(loaded.transcript[0]?.id).to.equal(6);
    expect(loaded.transcript.at(-1)?.id).to.equal(TRANSCRIPT_CACHE + 5);
  });

  it('keeps the outbox in the order messages were written, and removes only what is acknowledged', async () => {
    const store = await open(unique());
    await store.enqueue(item(3));
    await store.enqueue(item(1));
    await store.enqueue(item(2));
    expect((await store.outbox()).map((i) => i.clientId)).to.deep.equal(['id-1', 'id-2', 'id-3']);
    await store.enqueue(item(2)); // the same clientId again is still one message
    expect(await store.outbox()).to.have.length(3);
    await store.dequeue('id-2');
    expect(await store.outbox()).to.deep.equal([item(1), item(3)]);
  });

  it('keeps a message’s files as Blobs, and update() rewrites only an item still queued', async () => {
    const store = await open(unique());
    const blob = new Blob(['%PDF-1.4 …'], { type: 'application/pdf' });
    const pdf: OutboxFile = { clientId: 'id-1:0', name: 'a.pdf', type: 'application/pdf', size: blob.size, blob };
    const queued: OutboxItem = { ...item(1), files: [pdf] };
    await store.enqueue(queued);
    const [read] = await store.outbox();
    expect(read?.files?.[0]?.blob).to.be.instanceOf(Blob);
    expect(await read?.files?.[0]?.blob.text()).to.equal('%PDF-1.4 …');
    const ref = {
      id: 'f1',
      name: 'a.pdf',
      size: blob.size,
      contentType: 'application/pdf',
      kind: 'file' as const,
      durationMs: null,
      url: '/x',
      urlExpiresAt: '',
    };
    await store.update({ ...queued, files: [{ ...pdf, attachment: ref }] });
    expect((await store.outbox())[0]?.files?.[0]?.attachment?.id).to.equal('f1');
    await store.dequeue('id-1');
    await store.update(queued);
    expect(await store.outbox()).to.deep.equal([], 'a late update does not bring a sent item back');
  });

  it('clear forgets the session and the outbox', async () => {
    const store = await open(unique());
    await store.save({ token: 'tok', visitorId: 'v', conversationId: 'c', lastSeenId: 1, transcript: [message(1)] });
    await store.enqueue(item(1));
    await store.clear();
    expect((await store.load()).token).to.equal(null);
    expect(await store.outbox()).to.deep.equal([]);
  });
}

describe('session store on IndexedDB', () => {
  behavesAsASessionStore(openSessionStore);

  it('is persistent and shared by every store opened for the same site (tabs, reloads)', async () => {
    const site = unique();
    const first = await openSessionStore(site);
    expect(first.persistent).to.equal(true);
    await first.save({ token: 'tok', visitorId: 'v', conversationId: 'c', lastSeenId: 7, transcript: [message(7)] });
    await first.enqueue(item(1));
    const second = await openSessionStore(site);
    expect((await second.load()).lastSeenId).to.equal(7);
    expect(await second.outbox()).to.deep.equal([item(1)]);
  });

  it('keeps sites apart, including their outboxes and clear()', async () => {
    const a = await openSessionStore(unique());
    const b = await openSessionStore(unique());
    await a.save({ token: 'a', visitorId: null, conversationId: null, lastSeenId: 1, transcript: [] });
    await a.enqueue(item(1));
    await b.enqueue(item(2));
    expect((await b.load()).token).to.equal(null);
    await b.clear();
    expect((await a.load()).token).to.equal('a');
    expect(await a.outbox()).to.deep.equal([item(1)]);
  });

  it('falls back to memory when IndexedDB cannot be opened (private mode)', async () => {
    const original = Object.getOwnPropertyDescriptor(window, 'indexedDB');
    Object.defineProperty(window, 'indexedDB', {
      configurable: true,
      value: {
        open() {
          throw new DOMException('blocked', 'InvalidStateError');
        },
      },
    });
    try {
      const store = await openSessionStore(unique());
      expect(store.persistent).to.equal(false);
      await store.enqueue(item(1));
      expect(await store.outbox()).to.deep.equal([item(1)]);
    } finally {
      if (original) Object.defineProperty(window, 'indexedDB', original);
    }
    expect((await openSessionStore(unique())).persistent).to.equal(true);
  });
});

describe('session store in memory', () => {
  behavesAsASessionStore(async () => memoryStore());
});
