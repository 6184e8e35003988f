/**
 * The visitor's session in IndexedDB (via idb): token, cached transcript, last seen id and the
 * outbox of messages not yet acknowledged. Shared by all tabs of the site. Falls back to memory
 * when IndexedDB is unavailable (some private modes), so the widget still works for the page.
 */
import { type DBSchema, type IDBPDatabase, openDB } from 'idb';
import type { Message } from '../protocol/types.js';

export interface OutboxItem {
  clientId: string;
  text: string;
  createdAt: string;
}

export interface SessionState {
  token: string | null;
  lastSeenId: number;
  transcript: Message[];
}

interface WidgetDb extends DBSchema {
  session: { key: string; value: SessionState };
  outbox: { key: string; value: OutboxItem & { site: string }; indexes: { site: string } };
}

export interface SessionStore {
  load(): Promise<SessionState>;
  save(state: SessionState): Promise<void>;
  outbox(): Promise<OutboxItem[]>;
  enqueue(item: OutboxItem): Promise<void>;
  dequeue(clientId: string): Promise<void>;
  clear(): Promise<void>;
}

const EMPTY: SessionState = { token: null, lastSeenId: 0, transcript: [] };
/** Enough history to show on reload; older messages come from the hub on demand. */
const TRANSCRIPT_CACHE = 200;

export async function openSessionStore(site: string): Promise<SessionStore> {
  let db: IDBPDatabase<WidgetDb>;
  try {
    db = await openDB<WidgetDb>('switchboard-webchat', 1, {
      upgrade(database) {
        database.createObjectStore('session');
        database.createObjectStore('outbox', { keyPath: 'clientId' }).createIndex('site', 'site');
      },
    });
  } catch {
    return memoryStore();
  }
  return {
    async load() {
      return (await db.get('session', site)) ?? { ...EMPTY };
    },
    async save(state) {
      await db.put('session', { ...state, transcript: state.transcript.slice(-TRANSCRIPT_CACHE) }, site);
    },
    async outbox() {
      const items = await db.getAllFromIndex('outbox', 'site', site);
      return items.sort((a, b) => a.createdAt.localeCompare(b.createdAt)).map(({ site: _site, ...item }) => item);
    },
    async enqueue(item) {
      await db.put('outbox', { ...item, site });
    },
    async dequeue(clientId) {
      await db.delete('outbox', clientId);
    },
    async clear() {
      const tx = db.transaction(['session', 'outbox'], 'readwrite');
      await tx.objectStore('session').delete(site);
      for (const key of await tx.objectStore('outbox').index('site').getAllKeys(site)) await tx.objectStore('outbox').delete(key);
      await tx.done;
    },
  };
}

export function memoryStore(): SessionStore {
  let state: SessionState = { ...EMPTY };
  let queue: OutboxItem[] = [];
  return {
    load: async () => state,
    save: async (next) => {
      state = next;
    },
    outbox: async () => [...queue],
    enqueue: async (item) => {
      queue = [...queue.filter((q) => q.clientId !== item.clientId), item];
    },
    dequeue: async (clientId) => {
      queue = queue.filter((q) => q.clientId !== clientId);
    },
    clear: async () => {
      state = { ...EMPTY };
      queue = [];
    },
  };
}
