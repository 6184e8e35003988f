/**
 * The widget's connection to the hub: session, transcript, outbox and presence.
 * Delivery: every message goes to the IndexedDB outbox before it is sent and leaves it only when
 * the hub acknowledges it; on every (re)connect the outbox is resent with the same clientIds (the
 * hub stores each clientId once) and the transcript catches up from the last seen id.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { type Socket, io } from 'socket.io-client';
import type { VisitorClientToServer, VisitorServerToClient, VisitorSession } from '../../protocol/events.js';
import type { Ack } from '../../protocol/errors.js';
import type { Message, UserData, VisitorConversation } from '../../protocol/types.js';
import { type OutboxItem, type SessionStore, memoryStore, openSessionStore } from '../session-db.js';

export type Delivery = 'pending' | 'sent' | 'failed';
export type ShownMessage = Message & { delivery: Delivery };
export type ConnectionState = 'connecting' | 'online' | 'offline';

export interface ChatClientOptions {
  /** Read when the host connects, so attributes set after construction count. */
  hub: () => string;
  site: () => string;
  /** Separates sessions in IndexedDB (defaults to the site key). */
  storageKey?: () => string;
  userData: () => UserData | undefined;
  /** Called for every new message from the bot, an agent or the system. */
  onIncoming?: (message: Message) => void;
}

const ACK_TIMEOUT_MS = 10_000;

export class ChatClient implements ReactiveController {
  connection: ConnectionState = 'connecting';
  conversation: VisitorConversation | null = null;
  agentsOnline = false;
  agentTyping: string | null = null;
  /** Name of the last agent who left, shown until the next change. */
  agentLeft = false;
  messages: ShownMessage[] = [];
  visitorId: string | null = null;

  #store: SessionStore = memoryStore();
  #socket: Socket<VisitorServerToClient, VisitorClientToServer> | null = null;
  #token: string | null = null;
  #lastSeenId = 0;
  #flushing = false;
  #typingTimer: ReturnType<typeof setTimeout> | undefined;
  readonly ready: Promise<void>;
  #resolveReady!: () => void;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: ChatClientOptions,
  ) {
    this.ready = new Promise((resolve) => (this.#resolveReady = resolve));
    host.addController(this);
  }

  hostConnected(): void {
    void this.#start();
  }

  hostDisconnected(): void {
    this.#socket?.disconnect();
    this.#socket = null;
  }

  async #start(): Promise<void> {
    this.#store = await openSessionStore(this.options.storageKey?.() ?? this.options.site());
    const saved = await this.#store.load();
    this.#token = saved.token;
    this.#lastSeenId = saved.lastSeenId;
    this.messages = saved.transcript.map((m) => ({ ...m, delivery: 'sent' as const }));
    for (const item of await this.#store.outbox()) this.#showPending(item);
    this.host.requestUpdate();
    this.#connect();
  }

  #connect(): void {
    const socket: Socket<VisitorServerToClient, VisitorClientToServer> = io(`${this.options.hub()}/visitor`, {
      // A function, so every reconnect presents the latest token and user data.
      auth: (cb) => cb({ site: this.options.site(), ...(this.#token ? { token: this.#token } : {}), userData: this.options.userData(), language: navigator.language }),
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
      // A lost "stopped typing" must not leave the indicator on forever.
      if (typing) this.#typingTimer = setTimeout(() => this.#set(() => (this.agentTyping = null)), 8000);
    });
    socket.on('session:reset', () => void this.#reset());
    socket.on('disconnect', () => this.#set(() => (this.connection = 'offline')));
    socket.on('connect_error', (error) => {
      this.#set(() => (this.connection = 'offline'));
      if (error.message === 'unauthorized') {
        // Our token is no longer valid (e.g. the hub's secret changed): start a new session.
        this.#token = null;
        void this.#persist();
        socket.connect();
      }
    });
  }

  async #onSession(session: VisitorSession): Promise<void> {
    this.#token = session.token;
    this.visitorId = session.visitor.id;
    this.agentsOnline = session.agentsOnline;
    this.conversation = session.conversation;
    this.connection = 'online';
    this.host.requestUpdate();
    const since = (await this.#socket?.timeout(ACK_TIMEOUT_MS).emitWithAck('messages:since', { afterId: this.#lastSeenId }).catch(() => null)) as Ack<{
      messages: Message[];
      conversation: VisitorConversation | null;
    }> | null;
    if (since?.data) {
      for (const message of since.data.messages) this.#onMessage(message);
      if (since.data.conversation) this.conversation = since.data.conversation;
    }
    await this.#persist();
    this.#resolveReady();
    await this.flush();
  }

  #onMessage(message: Message): void {
    const existing = this.messages.findIndex((m) => m.id === message.id || (message.clientId !== null && m.clientId === message.clientId));
    const shown: ShownMessage = { ...message, delivery: 'sent' };
    if (existing >= 0) this.messages[existing] = shown;
    else {
      this.messages.push(shown);
      if (message.author !== 'visitor') this.options.onIncoming?.(message);
    }
    if (message.author === 'agent') this.agentTyping = null;
    this.messages.sort((a, b) => (a.delivery === 'pending' ? 1 : 0) - (b.delivery === 'pending' ? 1 : 0) || a.id - b.id);
    this.#lastSeenId = Math.max(this.#lastSeenId, message.id);
    this.host.requestUpdate();
    void this.#persist();
  }

  #onConversation(conversation: VisitorConversation): void {
    const wasAgent = this.conversation?.handler.kind === 'agent';
    this.agentLeft = wasAgent && conversation.handler.kind === 'bot';
    this.conversation = conversation;
    this.host.requestUpdate();
  }

  async #persist(): Promise<void> {
    await this.#store.save({
      token: this.#token,
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

  /** Queues a message and sends it when possible. Resolves once it is stored in the outbox. */
  async send(text: string): Promise<void> {
    const item: OutboxItem = { clientId: crypto.randomUUID(), text, createdAt: new Date().toISOString() };
    await this.#store.enqueue(item);
    this.#showPending(item);
    this.host.requestUpdate();
    await this.flush();
  }

  /** Sends the outbox in order; stops at the first message the hub doesn't acknowledge in time. */
  async flush(): Promise<void> {
    if (this.#flushing || !this.#socket?.connected) return;
    this.#flushing = true;
    try {
      for (const item of await this.#store.outbox()) {
        const socket = this.#socket;
        if (!socket?.connected) break;
        let ack: Ack<{ message: Message; conversation: VisitorConversation }>;
        try {
          ack = await socket.timeout(ACK_TIMEOUT_MS).emitWithAck('message:send', { clientId: item.clientId, text: item.text });
        } catch {
          break; // No answer: keep it queued, the next connect resends it.
        }
        if (ack.data) {
          await this.#store.dequeue(item.clientId);
          this.conversation = ack.data.conversation;
          this.#onMessage(ack.data.message);
        } else if (ack.error.code === 'rate_limited' || ack.error.code === 'internal') {
          break;
        } else {
          // Refused for good (too long, empty…): show it as failed instead of retrying forever.
          await this.#store.dequeue(item.clientId);
          const shown = this.messages.find((m) => m.clientId === item.clientId);
          if (shown) shown.delivery = 'failed';
          this.host.requestUpdate();
        }
      }
    } finally {
      this.#flushing = false;
    }
  }

  updateUserData(userData: UserData): void {
    this.#socket?.emit('user:update', { userData }, () => undefined);
  }

  markRead(): void {
    const last = this.messages.findLast((m) => m.author !== 'visitor' && m.delivery === 'sent');
    if (last && this.#socket?.connected) this.#socket.emit('messages:read', { upToId: last.id }, () => undefined);
  }

  typing(typing: boolean): void {
    this.#socket?.emit('typing', { typing });
  }

  /** For tests and the page's API: drop the connection as a network failure would. */
  goOffline(): void {
    this.#socket?.disconnect();
  }

  goOnline(): void {
    this.#socket?.connect();
  }

  async #reset(): Promise<void> {
    await this.#store.clear();
    this.#token = null;
    this.#lastSeenId = 0;
    this.messages = [];
    this.conversation = null;
    this.host.requestUpdate();
    this.#socket?.disconnect();
    this.#socket?.connect();
  }

  #set(change: () => void): void {
    change();
    this.host.requestUpdate();
  }
}
