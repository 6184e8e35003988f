/**
 * The widget's connection to the hub (a Lit reactive controller): session, transcript, outbox,
 * presence and sync between tabs.
 * Delivery: every message goes to the IndexedDB outbox before it is sent and leaves it only when
 * the hub acknowledges it; on every (re)connect the outbox is resent in order with the same
 * clientIds (the hub stores each clientId once) and the transcript catches up from the last seen id.
 * Tabs of the same site share the session (same token, so the hub puts them in one room) and tell
 * each other about new messages and outbox changes over BroadcastChannel('switchboard-' + site).
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { type Socket, io } from 'socket.io-client';
import type { VisitorClientToServer, VisitorServerToClient, VisitorSession } from '../../protocol/events.js';
import type { Ack } from '../../protocol/errors.js';
import type { Message, UserData, VisitorConversation } from '../../protocol/types.js';
import { type OutboxItem, type SessionStore, memoryStore, openSessionStore } from '../session-db.js';
import { cleanUserData } from '../user-data.js';

export type Delivery = 'pending' | 'sent' | 'failed';
export type ShownMessage = Message & { delivery: Delivery };
export type ConnectionState = 'connecting' | 'online' | 'offline';

/** What one tab tells the others. */
type TabNote = { kind: 'message'; message: Message } | { kind: 'outbox' } | { kind: 'failed'; clientId: string } | { kind: 'read' };

export interface ConnectionOptions {
  /** Read at connect time, so attributes set after construction count. */
  hub: () => string;
  site: () => string;
  /** Separates sessions in IndexedDB and between tabs (defaults to the site key). */
  storageKey?: () => string;
  userData: () => UserData | undefined;
  /** A new message from the bot, an agent or the system (not on reload from the cache). */
  onIncoming?: (message: Message) => void;
  /** Another tab marked the conversation read. */
  onRead?: () => void;
}

type VisitorSocket = Socket<VisitorServerToClient, VisitorClientToServer>;

const ACK_TIMEOUT_MS = 10_000;
/** A lost "stopped typing" must not leave the indicator on forever. */
const TYPING_TIMEOUT_MS = 8_000;
/** Refusals that won't change on retry: the message is shown as not sent. */
const PERMANENT = new Set(['bad_request', 'too_large', 'forbidden', 'closed']);

export class ConnectionController implements ReactiveController {
  connection: ConnectionState = 'connecting';
  conversation: VisitorConversation | null = null;
  agentsOnline = false;
  /** Name of the agent typing now. */
  agentTyping: string | null = null;
  /** The agent handed the conversation back to the bot (until the next change). */
  agentLeft = false;
  messages: ShownMessage[] = [];
  visitorId: string | null = null;
  /** Resolves after the first session and catch-up. */
  readonly ready: Promise<void>;

  #store: SessionStore = memoryStore();
  #socket: VisitorSocket | null = null;
  #channel: BroadcastChannel | null = null;
  #token: string | null = null;
  #savedVisitorId: string | null = null;
  #lastSeenId = 0;
  #flushing = false;
  #flushAgain = false;
  #lastCreatedAt = 0;
  /** Bumped on disconnect so a start still in progress gives up. */
  #generation = 0;
  #typingTimer: ReturnType<typeof setTimeout> | undefined;
  #resolveReady!: () => void;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: ConnectionOptions,
  ) {
    this.ready = new Promise((resolve) => (this.#resolveReady = resolve));
    host.addController(this);
  }

  hostConnected(): void {
    void this.#start(++this.#generation);
  }

  hostDisconnected(): void {
    this.#generation++;
    this.#socket?.disconnect();
    this.#socket = null;
    this.#channel?.close();
    this.#channel = null;
    clearTimeout(this.#typingTimer);
  }

  get #key(): string {
    return this.options.storageKey?.() || this.options.site();
  }

  async #start(generation: number): Promise<void> {
    const store = await openSessionStore(this.#key);
    const saved = await store.load();
    const outbox = await store.outbox();
    if (generation !== this.#generation) return;
    this.#store = store;
    this.#token = saved.token;
    this.#savedVisitorId = saved.visitorId;
    this.#lastSeenId = saved.lastSeenId;
    this.messages = saved.transcript.map((m) => ({ ...m, delivery: 'sent' as const }));
    for (const item of outbox) this.#showPending(item);
    this.host.requestUpdate();
    if (typeof BroadcastChannel !== 'undefined') {
      this.#channel = new BroadcastChannel(`switchboard-${this.#key}`);
      this.#channel.onmessage = (event: MessageEvent<TabNote>) => void this.#onTabNote(event.data);
    }
    this.#connect();
  }

  #connect(): void {
    const socket: VisitorSocket = io(`${this.options.hub()}/visitor`, {
      // A function, so every reconnect presents the latest token and user data.
      auth: (cb) => {
        const userData = cleanUserData(this.options.userData());
        cb({ site: this.options.site(), language: navigator.language, ...(this.#token ? { token: this.#token } : {}), ...(userData ? { userData } : {}) });
      },
      transports: ['websocket', 'polling'],
    });
    this.#socket = socket;
    socket.on('session', (session) => void this.#onSession(session));
    socket.on('message:new', (message) => this.#onMessage(message));
    socket.on('conversation:updated', (conversation) => this.#onConversation(conversation));
    socket.on('presence', ({ agentsOnline }) => this.#set(() => (this.agentsOnline = agentsOnline)));
    socket.on('agent:typing', ({ typing, name }) => {
      clearTimeout(this.#typingTimer);
      this.#set(() => (this.agentTyping = typing ? name : null));
      if (typing) this.#typingTimer = setTimeout(() => this.#set(() => (this.agentTyping = null)), TYPING_TIMEOUT_MS);
    });
    socket.on('session:reset', () => void this.#reset());
    socket.on('disconnect', () => this.#set(() => (this.connection = 'offline')));
    socket.on('connect_error', (error) => {
      this.#set(() => (this.connection = 'offline'));
      if (error.message === 'unauthorized') {
        // The hub no longer accepts our token (e.g. its secret changed): start a new session.
        this.#token = null;
        void this.#persist();
        socket.connect();
      }
    });
  }

  async #onSession(session: VisitorSession): Promise<void> {
    if (this.#savedVisitorId && this.#savedVisitorId !== session.visitor.id) {
      // The hub did not know our visitor any more and made a new one: the cached transcript is not theirs.
      this.#forgetTranscript();
    }
    this.#savedVisitorId = session.visitor.id;
    this.#token = session.token;
    this.visitorId = session.visitor.id;
    this.agentsOnline = session.agentsOnline;
    this.conversation = session.conversation;
    this.connection = 'online';
    this.host.requestUpdate();
    const socket = this.#socket;
    if (!socket) return;
    try {
      const since = await socket.timeout(ACK_TIMEOUT_MS).emitWithAck('messages:since', { afterId: this.#lastSeenId });
      if (since.data) {
        for (const message of since.data.messages) this.#onMessage(message);
        if (since.data.conversation) this.conversation = since.data.conversation;
      }
    } catch {
      // No answer in time: the next connect catches up.
    }
    await this.#persist();
    this.#resolveReady();
    await this.flush();
  }

  #onMessage(message: Message, fromTab = false): void {
    const existing = this.messages.findIndex((m) => m.id === message.id || (message.clientId !== null && m.clientId === message.clientId));
    const isNew = existing < 0 || this.messages[existing]?.delivery !== 'sent';
    const shown: ShownMessage = { ...message, delivery: 'sent' };
    if (existing >= 0) this.messages[existing] = shown;
    else this.messages.push(shown);
    if (existing < 0 && message.author !== 'visitor') this.options.onIncoming?.(message);
    if (message.author === 'agent' && existing < 0) this.agentTyping = null;
    this.messages.sort((a, b) => Number(a.delivery !== 'sent') - Number(b.delivery !== 'sent') || a.id - b.id || a.createdAt.localeCompare(b.createdAt));
    this.#lastSeenId = Math.max(this.#lastSeenId, message.id);
    this.host.requestUpdate();
    if (!isNew) return;
    if (!fromTab) this.#post({ kind: 'message', message });
    void this.#persist();
  }

  #onConversation(conversation: VisitorConversation): void {
    const wasAgent = this.conversation?.handler.kind === 'agent';
    this.agentLeft = wasAgent && conversation.handler.kind === 'bot';
    if (conversation.handler.kind === 'bot') this.agentTyping = null;
    this.conversation = conversation;
    this.host.requestUpdate();
    void this.#persist();
  }

  async #onTabNote(note: TabNote): Promise<void> {
    if (note.kind === 'message') this.#onMessage(note.message, true);
    else if (note.kind === 'read') this.options.onRead?.();
    else if (note.kind === 'failed') this.#markFailed(note.clientId);
    else {
      for (const item of await this.#store.outbox()) this.#showPending(item);
      this.host.requestUpdate();
      await this.flush();
    }
  }

  #post(note: TabNote): void {
    this.#channel?.postMessage(note);
  }

  async #persist(): Promise<void> {
    await this.#store.save({
      token: this.#token,
      visitorId: this.#savedVisitorId,
      conversationId: this.conversation?.id ?? null,
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
      agentId: null,
      authorName: null,
      text: item.text,
      choices: [],
      attachments: [],
      createdAt: item.createdAt,
      readAt: null,
      delivery: 'pending',
    });
  }

  #markFailed(clientId: string): void {
    const shown = this.messages.find((m) => m.clientId === clientId && m.delivery === 'pending');
    if (shown) this.#set(() => (shown.delivery = 'failed'));
  }

  /** Queues a message and sends it when possible. Resolves once it is in the outbox (not when delivered). */
  async send(text: string): Promise<void> {
    // Strictly increasing within the tab, so the outbox keeps the typing order.
    this.#lastCreatedAt = Math.max(Date.now(), this.#lastCreatedAt + 1);
    const item: OutboxItem = { clientId: crypto.randomUUID(), text, createdAt: new Date(this.#lastCreatedAt).toISOString() };
    await this.#store.enqueue(item);
    this.#showPending(item);
    this.host.requestUpdate();
    this.#post({ kind: 'outbox' });
    void this.flush();
  }

  /** Sends the outbox in order; stops at the first message the hub doesn't acknowledge. */
  async flush(): Promise<void> {
    if (this.#flushing) {
      this.#flushAgain = true;
      return;
    }
    this.#flushing = true;
    try {
      do {
        this.#flushAgain = false;
        for (const item of await this.#store.outbox()) {
          if (!(await this.#deliver(item))) return;
        }
      } while (this.#flushAgain);
    } finally {
      this.#flushing = false;
    }
  }

  /** One outbox item; false when delivery should stop for now (offline, no answer, rate limit). */
  async #deliver(item: OutboxItem): Promise<boolean> {
    const socket = this.#socket;
    if (!socket?.connected || this.connection !== 'online') return false;
    let ack: Ack<{ message: Message; conversation: VisitorConversation }>;
    try {
      ack = await socket.timeout(ACK_TIMEOUT_MS).emitWithAck('message:send', { clientId: item.clientId, text: item.text });
    } catch {
      return false; // No answer: it stays queued and the next connect resends it.
    }
    if (ack.data) {
      await this.#store.dequeue(item.clientId);
      this.conversation = ack.data.conversation;
      this.#onMessage(ack.data.message);
      return true;
    }
    if (!PERMANENT.has(ack.error.code)) return false;
    await this.#store.dequeue(item.clientId);
    this.#markFailed(item.clientId);
    this.#post({ kind: 'failed', clientId: item.clientId });
    return true;
  }

  /**
   * Sends new identity data; resolves with whether the hub verified it, or null when offline or refused
   * (the data still goes with the next connect's handshake).
   */
  async updateUserData(userData: UserData): Promise<{ verified: boolean } | null> {
    const socket = this.#socket;
    if (!socket?.connected) return null;
    try {
      return (await socket.timeout(ACK_TIMEOUT_MS).emitWithAck('user:update', { userData: cleanUserData(userData) ?? {} })).data ?? null;
    } catch {
      return null;
    }
  }

  /** Tells the hub (and the other tabs) that the visitor has seen everything shown. */
  markRead(): void {
    const last = this.messages.findLast((m) => m.author !== 'visitor' && m.delivery === 'sent');
    if (last && this.#socket?.connected) this.#socket.emit('messages:read', { upToId: last.id }, () => undefined);
    this.#post({ kind: 'read' });
  }

  typing(typing: boolean): void {
    if (this.#socket?.connected) this.#socket.emit('typing', { typing });
  }

  /** Drops the connection as a network failure would (tests, or a page that wants the widget quiet). */
  goOffline(): void {
    this.#socket?.disconnect();
  }

  goOnline(): void {
    this.#socket?.connect();
  }

  #forgetTranscript(): void {
    this.messages = this.messages.filter((m) => m.delivery !== 'sent');
    this.#lastSeenId = 0;
  }

  async #reset(): Promise<void> {
    await this.#store.clear();
    this.#token = null;
    this.visitorId = null;
    this.#savedVisitorId = null;
    this.conversation = null;
    this.agentTyping = null;
    this.agentLeft = false;
    this.messages = [];
    this.#lastSeenId = 0;
    this.host.requestUpdate();
    this.#socket?.disconnect().connect();
  }

  #set(change: () => void): void {
    change();
    this.host.requestUpdate();
  }
}
