/**
 * The widget's connection to the hub (a Lit reactive controller): composes the socket session
 * (socket-session.ts), the outbox (outbox.ts) and the notes between tabs (tab-sync.ts), and keeps the
 * transcript they all feed. The element reads its state and calls its methods; nothing else.
 * Delivery: every message goes to the IndexedDB outbox before it is sent and leaves it only when
 * the hub acknowledges it; on every (re)connect the outbox is resent in order with the same
 * clientIds (the hub stores each clientId once) and the transcript catches up from the last seen id.
 * Tabs of the same site share the session (same token, so the hub puts them in one room) and tell
 * each other about new messages and outbox changes over BroadcastChannel('switchboard-' + site).
 * Files: uploaded by the outbox before their message (upload.ts), with their progress kept here for the pending
 * message; file URLs are paths on the hub, resolved against its URL, and re-read when they have expired.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Message, UserData, VisitorConversation } from '../../protocol/types.js';
import { type OutboxItem, type SessionStore, memoryStore, openSessionStore } from '../session-db.js';
import { type FileRefusal, type NewFile, Outbox } from './outbox.js';
import { type ConnectionState, SocketSession } from './socket-session.js';
import { type TabNote, TabSync } from './tab-sync.js';
import { uploadFile } from './upload.js';

export type { ConnectionState } from './socket-session.js';
export type Delivery = 'pending' | 'sent' | 'failed';
/** A file of a message not sent yet (shown with its upload's progress). */
export interface PendingFile {
  clientId: string;
  name: string;
  size: number;
  kind?: 'audio';
  durationMs?: number;
}
export type ShownMessage = Message & {
  delivery: Delivery;
  /** Not sent yet: its files. */
  files?: PendingFile[];
  /** Not sent because the hub refused this file. */
  refused?: FileRefusal;
};

export interface ConnectionOptions {
  /** Read at connect time, so attributes set after construction count. */
  hub: () => string;
  site: () => string;
  /** Separates sessions in IndexedDB and between tabs (defaults to the site key). */
  storageKey?: () => string;
  userData: () => UserData | undefined;
  /**
   * Connect without waiting for the database: nothing is stored in this browser yet (the loader found no database)
   * and the visitor is waiting (they opened the chat). Loaded in idle time, the chat keeps its work in short steps.
   */
  connectNow?: () => boolean;
  /** Nobody waits for the chat (it is closed): its start may take a task more, so that no step of it is long. */
  unhurried?: () => boolean;
  /** A new message from the bot, an agent or the system (not on reload from the cache). */
  onIncoming?: (message: Message) => void;
  /** Another tab marked the conversation read. */
  onRead?: () => void;
}

export class ConnectionController implements ReactiveController {
  messages: ShownMessage[] = [];
  /** Upload progress (0–1) of the pending files, by the file's clientId. */
  readonly progress = new Map<string, number>();
  /** Resolves after the first session and catch-up. */
  readonly ready: Promise<void>;

  #store: SessionStore = memoryStore();
  #lastSeenId = 0;
  /** Bumped on disconnect so a start still in progress gives up. */
  #generation = 0;
  #resolveReady!: () => void;
  #refreshing = false;
  readonly #tabs = new TabSync();
  readonly #session: SocketSession;
  readonly #outbox: Outbox;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: ConnectionOptions,
  ) {
    this.ready = new Promise((resolve) => (this.#resolveReady = resolve));
    this.#session = new SocketSession(options, {
      changed: () => host.requestUpdate(),
      persist: () => this.#persist(),
      newVisitor: () => this.#forgetTranscript(),
      lastSeenId: () => this.#lastSeenId,
      message: (message) => this.#onMessage(message),
      caughtUp: async () => {
        await this.#persist();
        this.#resolveReady();
        await this.flush();
        // A transcript cached more than an hour ago has expired file URLs: read those messages again.
        const soon = new Date(Date.now() + 60_000).toISOString();
        if (this.messages.some((m) => m.attachments.some((a) => a.urlExpiresAt < soon))) await this.refreshAttachments();
      },
      reset: () => void this.#reset(),
    });
    this.#outbox = new Outbox({
      store: () => this.#store,
      send: (item, attachmentIds) => this.#session.sendMessage(item, attachmentIds),
      upload: (file) => {
        const token = this.#session.token;
        if (!token) return null;
        return uploadFile(this.fileUrl('/api/widget/attachments'), token, file, (fraction) => {
          this.progress.set(file.clientId, fraction);
          host.requestUpdate();
        });
      },
      queued: (item) => {
        this.#showPending(item);
        host.requestUpdate();
        this.#tabs.post({ kind: 'outbox' });
      },
      delivered: (message, conversation) => {
        this.#session.conversation = conversation;
        this.#onMessage(message);
      },
      failed: (clientId, refused) => {
        this.#markFailed(clientId, refused);
        this.#tabs.post({ kind: 'failed', clientId, ...(refused ? { refused } : {}) });
      },
    });
    host.addController(this);
  }

  get connection(): ConnectionState {
    return this.#session.connection;
  }
  get conversation(): VisitorConversation | null {
    return this.#session.conversation;
  }
  get agentsOnline(): boolean {
    return this.#session.agentsOnline;
  }
  /** Name of the agent typing now. */
  get agentTyping(): string | null {
    return this.#session.agentTyping;
  }
  /** The agent handed the conversation back to the bot (until the next change). */
  get agentLeft(): boolean {
    return this.#session.agentLeft;
  }
  get visitorId(): string | null {
    return this.#session.visitorId;
  }

  hostConnected(): void {
    void this.#start(++this.#generation);
  }

  hostDisconnected(): void {
    this.#generation++;
    this.#session.close();
    this.#outbox.stop();
    this.#tabs.close();
  }

  get #key(): string {
    return this.options.storageKey?.() || this.options.site();
  }

  async #start(generation: number): Promise<void> {
    // A first visit has no session to present: connect at once, while the database is created (60–100 ms of a
    // slow phone's CPU, most of a first click's wait). The session it gets is saved once the database is there.
    const early = this.options.connectNow?.() === true;
    // Loaded in idle time: not in the task that defines and constructs the element.
    if (!early && this.options.unhurried?.()) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      if (generation !== this.#generation) return;
    }
    const opening = openSessionStore(this.#key);
    if (early) {
      this.#tabs.open(this.#key, (note) => void this.#onTabNote(note));
      this.#session.connect({ token: null, visitorId: null });
    }
    const store = await opening;
    if (generation !== this.#generation) return;
    await this.#adopt(store);
    if (early) return void (await this.#persist());
    const saved = await store.load();
    const outbox = await store.outbox();
    if (generation !== this.#generation) return;
    this.#lastSeenId = saved.lastSeenId;
    this.messages = saved.transcript.map((m) => ({ ...m, delivery: 'sent' as const }));
    for (const item of outbox) this.#showPending(item);
    this.host.requestUpdate();
    this.#tabs.open(this.#key, (note) => void this.#onTabNote(note));
    // Loaded in idle time: the transcript renders in this task, the connect (socket.io's first use) in the next one.
    if (this.options.unhurried?.()) await new Promise((resolve) => setTimeout(resolve, 0));
    if (generation !== this.#generation) return;
    this.#session.connect(saved);
  }

  /** Takes the opened store in place of the memory one: what was queued meanwhile moves into it, so it is kept. */
  async #adopt(store: SessionStore): Promise<void> {
    const queued = await this.#store.outbox();
    this.#store = store;
    for (const item of queued) await store.enqueue(item);
  }

  /** Adds or updates a message of the transcript (from the hub, an ack or another tab). */
  #onMessage(message: Message, fromTab = false): void {
    const existing = this.messages.findIndex((m) => m.id === message.id || (message.clientId !== null && m.clientId === message.clientId));
    const isNew = existing < 0 || this.messages[existing]?.delivery !== 'sent';
    const shown: ShownMessage = { ...message, delivery: 'sent' };
    if (existing >= 0) this.messages[existing] = shown;
    else this.messages.push(shown);
    if (existing < 0 && message.author !== 'visitor') this.options.onIncoming?.(message);
    if (message.author === 'agent' && existing < 0) this.#session.agentTyping = null;
    this.messages.sort((a, b) => Number(a.delivery !== 'sent') - Number(b.delivery !== 'sent') || a.id - b.id || a.createdAt.localeCompare(b.createdAt));
    this.#lastSeenId = Math.max(this.#lastSeenId, message.id);
    this.host.requestUpdate();
    if (!isNew) return;
    if (!fromTab) this.#tabs.post({ kind: 'message', message });
    void this.#persist();
  }

  async #onTabNote(note: TabNote): Promise<void> {
    if (note.kind === 'message') this.#onMessage(note.message, true);
    else if (note.kind === 'read') this.options.onRead?.();
    else if (note.kind === 'failed') this.#markFailed(note.clientId, note.refused);
    else {
      for (const item of await this.#store.outbox()) this.#showPending(item);
      this.host.requestUpdate();
      await this.flush();
    }
  }

  async #persist(): Promise<void> {
    await this.#store.save({
      ...this.#session.saved,
      lastSeenId: this.#lastSeenId,
      transcript: this.messages.filter((m) => m.delivery === 'sent').map(({ delivery: _delivery, ...m }) => m),
    });
  }

  #showPending(item: OutboxItem): void {
    if (this.messages.some((m) => m.clientId === item.clientId)) return;
    this.messages.push({
      id: Number.MAX_SAFE_INTEGER,
      conversationId: this.conversation?.id ?? '',
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
      delivery: 'pending',
      files: item.files?.map(({ clientId, name, size, kind, durationMs }) => ({ clientId, name, size, kind, durationMs })),
    });
  }

  #markFailed(clientId: string, refused?: FileRefusal): void {
    const shown = this.messages.find((m) => m.clientId === clientId && m.delivery === 'pending');
    if (!shown) return;
    shown.delivery = 'failed';
    shown.refused = refused;
    this.host.requestUpdate();
  }

  #forgetTranscript(): void {
    this.messages = this.messages.filter((m) => m.delivery !== 'sent');
    this.#lastSeenId = 0;
  }

  /** The hub forgot the visitor: forget everything here too and connect as a new one. */
  async #reset(): Promise<void> {
    await this.#store.clear();
    this.#session.forget();
    this.messages = [];
    this.#lastSeenId = 0;
    this.host.requestUpdate();
    this.#session.reconnect();
  }

  /** Queues a message (with files: uploaded first) and sends it when possible. Resolves once it is in the outbox (not when delivered). */
  send(text: string, files: NewFile[] = []): Promise<void> {
    return this.#outbox.send(text, files);
  }

  /** Removes a message the hub refused from the transcript shown. */
  dismiss(clientId: string): void {
    this.messages = this.messages.filter((m) => m.clientId !== clientId || m.delivery !== 'failed');
    this.host.requestUpdate();
  }

  /** A file's URL (a path on the hub, e.g. `AttachmentRef.url`) resolved against the hub's URL. */
  fileUrl(path: string): string {
    return new URL(path, this.options.hub()).href;
  }

  /** Reads the messages with files again (from the oldest shown), for fresh signed URLs. */
  async refreshAttachments(): Promise<void> {
    const first = this.messages.find((m) => m.delivery === 'sent' && m.attachments.length > 0);
    if (!first || this.#refreshing) return;
    this.#refreshing = true;
    try {
      let afterId = first.id - 1;
      for (let page = 0; page < 5; page++) {
        const answer = await this.#session.since(afterId);
        const last = answer?.messages.at(-1);
        if (!answer || !last) break;
        for (const message of answer.messages) this.#onMessage(message, true);
        afterId = last.id;
        if (!answer.more) break;
      }
      await this.#persist();
    } finally {
      this.#refreshing = false;
    }
  }

  /** Sends the outbox in order; stops at the first message the hub doesn't acknowledge. */
  flush(): Promise<void> {
    return this.#outbox.flush();
  }

  /**
   * Sends new identity data; resolves with whether the hub verified it, or null when offline or refused
   * (the data still goes with the next connect's handshake).
   */
  updateUserData(userData: UserData): Promise<{ verified: boolean } | null> {
    return this.#session.updateUserData(userData);
  }

  /** Tells the hub (and the other tabs) that the visitor has seen everything shown. */
  markRead(): void {
    const last = this.messages.findLast((m) => m.author !== 'visitor' && m.delivery === 'sent');
    if (last) this.#session.markRead(last.id);
    this.#tabs.post({ kind: 'read' });
  }

  typing(typing: boolean): void {
    this.#session.typing(typing);
  }

  /** Drops the connection as a network failure would (tests, or a page that wants the widget quiet). */
  goOffline(): void {
    this.#session.goOffline();
  }

  goOnline(): void {
    this.#session.goOnline();
  }
}
