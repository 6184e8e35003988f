/**
 * The visitor's session in IndexedDB (via idb), one entry per site: token, conversation id, cached
 * transcript, last seen id, and the outbox of messages the hub has not acknowledged yet. Shared by
 * every tab of the site. Falls back to memory when IndexedDB is unavailable or fails (some private
 * modes), so the widget still works for the life of the page.
 * An outbox item carries its files as Blobs (IndexedDB stores them as they are), so a file attached offline is still
 * there after a reload; each file notes the hub's stored copy once uploaded, so it is not uploaded again.
 */
import { type DBSchema, type IDBPDatabase, openDB } from 'idb';
import type { AttachmentRef } from '../protocol/attachments.js';
import type { Message } from '../protocol/types.js';
import { DB_NAME } from './session-names.js';

export { DB_NAME } from './session-names.js';

/** A file of an outbox message. */
export interface OutboxFile {
  /** The upload's clientId (the hub stores one copy per clientId): the message's clientId and the file's index. */
  clientId: string;
  name: string;
  type: string;
  size: number;
  blob: Blob;
  /** `audio` for a voice note. */
  kind?: 'audio';
  /** Voice notes: the recording's length. */
  durationMs?: number;
  /** The hub's stored file, once uploaded. */
  attachment?: AttachmentRef;
}

export interface OutboxItem {
  clientId: string;
  text: string;
  createdAt: string;
  /** Uploaded first, in order; the message names them once all are stored. */
  files?: OutboxFile[];
}

export interface SessionState {
  token: string | null;
  visitorId: string | null;
  conversationId: string | null;
  lastSeenId: number;
  transcript: Message[];
}

interface WidgetDb extends DBSchema {
  session: { key: string; value: SessionState };
  outbox: { key: string; value: OutboxItem & { site: string }; indexes: { site: string } };
}

export interface SessionStore {
  /** False when the session lives in memory only. */
  readonly persistent: boolean;
  load(): Promise<SessionState>;
  save(state: SessionState): Promise<void>;
  /** Unsent messages of this site, oldest first. */
  outbox(): Promise<OutboxItem[]>;
  enqueue(item: OutboxItem): Promise<void>;
  /** Rewrites a queued item (a file was uploaded); does nothing once it has left the outbox. */
  update(item: OutboxItem): Promise<void>;
  dequeue(clientId: string): Promise<void>;
  /** Forgets everything about this site (session reset). */
  clear(): Promise<void>;
}

/** Enough history to show on reload; the hub has the rest. */
export const TRANSCRIPT_CACHE = 200;

const empty = (): SessionState => ({ token: null, visitorId: null, conversationId: null, lastSeenId: 0, transcript: [] });
const byCreatedAt = (a: OutboxItem, b: OutboxItem) => a.createdAt.localeCompare(b.createdAt);

export async function openSessionStore(site: string): Promise<SessionStore> {
  let db: IDBPDatabase<WidgetDb>;
  try {
    if (typeof indexedDB === 'undefined') return memoryStore();
    db = await openDB<WidgetDb>(DB_NAME, 1, {
      upgrade(database) {
        database.createObjectStore('session');
        database.createObjectStore('outbox', { keyPath: 'clientId' }).createIndex('site', 'site');
      },
    });
  } catch {
    return memoryStore();
  }
  const fallback = memoryStore();
  // A database that opened but later fails (quota, closed by the browser) degrades to memory too; the outbox is then
  // read from both, so an item the database refused (a file over the quota) is still sent from this page.
  const guard = async <T>(run: () => Promise<T>, instead: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch {
      return instead();
    }
  };
  return {
    persistent: true,
    load: () =>
      guard(
        async () => ({ ...empty(), ...(await db.get('session', site)) }),
        () => fallback.load(),
      ),
    save: (state) =>
      guard(
        async () => void (await db.put('session', { ...state, transcript: state.transcript.slice(-TRANSCRIPT_CACHE) }, site)),
        () => fallback.save(state),
      ),
    outbox: () =>
      guard(
        async () =>
          [...(await db.getAllFromIndex('outbox', 'site', site)).map(({ site: _site, ...item }) => item), ...(await fallback.outbox())].sort(byCreatedAt),
        () => fallback.outbox(),
      ),
    enqueue: (item) =>
      guard(
        async () => void (await db.put('outbox', { ...item, site })),
        () => fallback.enqueue(item),
      ),
    update: async (item) => {
      await fallback.update(item);
      await guard(
        async () => {
          const tx = db.transaction('outbox', 'readwrite');
          if ((await tx.store.getKey(item.clientId)) !== undefined) await tx.store.put({ ...item, site });
          await tx.done;
        },
        async () => undefined,
      );
    },
    dequeue: async (clientId) => {
      await fallback.dequeue(clientId);
      await guard(
        async () => void (await db.delete('outbox', clientId)),
        async () => undefined,
      );
    },
    clear: async () => {
      await fallback.clear();
      await guard(
        async () => {
          const tx = db.transaction(['session', 'outbox'], 'readwrite');
          const outbox = tx.objectStore('outbox');
          await tx.objectStore('session').delete(site);
          for (const key of await outbox.index('site').getAllKeys(site)) await outbox.delete(key);
          await tx.done;
        },
        async () => undefined,
      );
    },
  };
}

/** The session for this page only. */
export function memoryStore(): SessionStore {
  let state = empty();
  let queue: OutboxItem[] = [];
  return {
    persistent: false,
    load: async () => ({ ...state, transcript: [...state.transcript] }),
    save: async (next) => {
      state = { ...next, transcript: next.transcript.slice(-TRANSCRIPT_CACHE) };
    },
    outbox: async () => [...queue].sort(byCreatedAt),
    enqueue: async (item) => {
      queue = [...queue.filter((q) => q.clientId !== item.clientId), item];
    },
    update: async (item) => {
      queue = queue.map((q) => (q.clientId === item.clientId ? item : q));
    },
    dequeue: async (clientId) => {
      queue = queue.filter((q) => q.clientId !== clientId);
    },
    clear: async () => {
      state = empty();
      queue = [];
    },
  };
}
