/**
 * The widget's socket.io connection to the hub's /visitor namespace and the session it carries: the
 * signed token (presented on every (re)connect, forgotten when the hub refuses it), the visitor id,
 * presence, the agent typing indicator and the conversation's state.
 * On every session it catches the transcript up from the last seen id, then hands over to the
 * controller (which saves the session and resends the outbox).
 * Why a module of its own: it is the only code that talks socket.io; the transcript, the outbox and
 * the other tabs reach the hub through it, and learn about the hub through SessionHooks.
 */
import { type Socket, io } from 'socket.io-client';
import type { VisitorClientToServer, VisitorServerToClient, VisitorSession } from '../../protocol/events.js';
import type { Message, UserData, VisitorConversation } from '../../protocol/types.js';
import type { OutboxItem, SessionState } from '../session-db.js';
import { cleanUserData } from '../user-data.js';
import type { SendAck } from './outbox.js';

export type ConnectionState = 'connecting' | 'online' | 'offline';

type VisitorSocket = Socket<VisitorServerToClient, VisitorClientToServer>;

/** A catch-up reads at most this many pages (of LIMITS.historyPage) per connect. */
const MAX_HISTORY_PAGES = 50;
const ACK_TIMEOUT_MS = 10_000;
/** A lost "stopped typing" must not leave the indicator on forever. */
const TYPING_TIMEOUT_MS = 8_000;

export interface SessionOptions {
  /** Read at connect time, so attributes set after construction count. */
  hub: () => string;
  site: () => string;
  /** Read on every (re)connect. */
  userData: () => UserData | undefined;
}

/** What the session tells (and asks) the rest of the widget. */
export interface SessionHooks {
  /** Something shown changed (connection, presence, typing, conversation). */
  changed: () => void;
  /** Saves the session (see `saved`) with the transcript. */
  persist: () => Promise<void>;
  /** The hub made a new visitor: the cached transcript is not theirs. */
  newVisitor: () => void;
  /** Id of the last message seen, to catch up from. */
  lastSeenId: () => number;
  /** A message from the hub, live or from the catch-up. */
  message: (message: Message) => void;
  /** The session is up and the catch-up done (or given up). */
  caughtUp: () => Promise<void>;
  /** The hub forgot the visitor (session:reset). */
  reset: () => void;
}

export class SocketSession {
  connection: ConnectionState = 'connecting';
  conversation: VisitorConversation | null = null;
  agentsOnline = false;
  /** Name of the agent typing now. */
  agentTyping: string | null = null;
  /** The agent handed the conversation back to the bot (until the next change). */
  agentLeft = false;
  visitorId: string | null = null;

  #socket: VisitorSocket | null = null;
  #token: string | null = null;
  #savedVisitorId: string | null = null;
  #typingTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly options: SessionOptions,
    private readonly hooks: SessionHooks,
  ) {}

  /** The part of the saved session this module owns. */
  get saved(): Pick<SessionState, 'token' | 'visitorId' | 'conversationId'> {
    return { token: this.#token, visitorId: this.#savedVisitorId, conversationId: this.conversation?.id ?? null };
  }

  /** Connects with the token and visitor of the saved session. */
  connect(saved: Pick<SessionState, 'token' | 'visitorId'>): void {
    this.#token = saved.token;
    this.#savedVisitorId = saved.visitorId;
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
    socket.on('message:new', (message) => this.hooks.message(message));
    socket.on('conversation:updated', (conversation) => this.#onConversation(conversation));
    socket.on('presence', ({ agentsOnline }) => this.#set(() => (this.agentsOnline = agentsOnline)));
    socket.on('agent:typing', ({ typing, name }) => {
      clearTimeout(this.#typingTimer);
      this.#set(() => (this.agentTyping = typing ? name : null));
      if (typing) this.#typingTimer = setTimeout(() => this.#set(() => (this.agentTyping = null)), TYPING_TIMEOUT_MS);
    });
    socket.on('session:reset', () => this.hooks.reset());
    socket.on('disconnect', () => this.#set(() => (this.connection = 'offline')));
    socket.on('connect_error', (error) => {
      this.#set(() => (this.connection = 'offline'));
      if (error.message === 'unauthorized') {
        // The hub no longer accepts our token (e.g. its secret changed): start a new session.
        this.#token = null;
        void this.hooks.persist();
        socket.connect();
      }
    });
  }

  /** Closes the socket for good (the element left the page). */
  close(): void {
    this.#socket?.disconnect();
    this.#socket = null;
    clearTimeout(this.#typingTimer);
  }

  /** Drops the connection as a network failure would. */
  goOffline(): void {
    this.#socket?.disconnect();
  }

  goOnline(): void {
    this.#socket?.connect();
  }

  /** Forgets the session (token, visitor, conversation) and connects again as a new visitor. */
  forget(): void {
    this.#token = null;
    this.visitorId = null;
    this.#savedVisitorId = null;
    this.conversation = null;
    this.agentTyping = null;
    this.agentLeft = false;
  }

  /** Connects again (after `forget`, as a new visitor). */
  reconnect(): void {
    this.#socket?.disconnect().connect();
  }

  /** The session's token while online (uploads present it as `Authorization: Bearer`); null otherwise. */
  get token(): string | null {
    return this.#socket?.connected && this.connection === 'online' ? this.#token : null;
  }

  /** Sends one outbox item with its stored files; null when not online. */
  sendMessage(item: OutboxItem, attachmentIds: string[] = []): Promise<SendAck> | null {
    const socket = this.#socket;
    if (!socket?.connected || this.connection !== 'online') return null;
    return socket
      .timeout(ACK_TIMEOUT_MS)
      .emitWithAck('message:send', { clientId: item.clientId, text: item.text, ...(attachmentIds.length > 0 ? { attachmentIds } : {}) });
  }

  /** One page of the conversation after `afterId` (fresh file URLs); null when offline or unanswered. */
  async since(afterId: number): Promise<{ messages: Message[]; more: boolean } | null> {
    const socket = this.#socket;
    if (!socket?.connected) return null;
    try {
      return (await socket.timeout(ACK_TIMEOUT_MS).emitWithAck('messages:since', { afterId })).data ?? null;
    } catch {
      return null;
    }
  }

  /** Resolves with whether the hub verified the data, or null when offline or refused. */
  async updateUserData(userData: UserData): Promise<{ verified: boolean } | null> {
    const socket = this.#socket;
    if (!socket?.connected) return null;
    try {
      return (await socket.timeout(ACK_TIMEOUT_MS).emitWithAck('user:update', { userData: cleanUserData(userData) ?? {} })).data ?? null;
    } catch {
      return null;
    }
  }

  markRead(upToId: number): void {
    if (this.#socket?.connected) this.#socket.emit('messages:read', { upToId }, () => undefined);
  }

  typing(typing: boolean): void {
    if (this.#socket?.connected) this.#socket.emit('typing', { typing });
  }

  async #onSession(session: VisitorSession): Promise<void> {
    if (this.#savedVisitorId && this.#savedVisitorId !== session.visitor.id) this.hooks.newVisitor();
    this.#savedVisitorId = session.visitor.id;
    this.#token = session.token;
    this.visitorId = session.visitor.id;
    this.agentsOnline = session.agentsOnline;
    this.conversation = session.conversation;
    this.connection = 'online';
    this.hooks.changed();
    const socket = this.#socket;
    if (!socket) return;
    try {
      // The hub answers a page at a time; ask again from the last id while it says there is more.
      for (let page = 0; page < MAX_HISTORY_PAGES; page++) {
        const afterId = this.hooks.lastSeenId();
        const since = await socket.timeout(ACK_TIMEOUT_MS).emitWithAck('messages:since', { afterId });
        if (!since.data) break;
        for (const message of since.data.messages) this.hooks.message(message);
        if (since.data.conversation) this.conversation = since.data.conversation;
        if (!since.data.more || this.hooks.lastSeenId() === afterId) break;
      }
    } catch {
      // No answer in time: the next connect catches up.
    }
    await this.hooks.caughtUp();
  }

  #onConversation(conversation: VisitorConversation): void {
    const wasAgent = this.conversation?.handler.kind === 'agent';
    this.agentLeft = wasAgent && conversation.handler.kind === 'bot';
    if (conversation.handler.kind === 'bot') this.agentTyping = null;
    this.conversation = conversation;
    this.hooks.changed();
    void this.hooks.persist();
  }

  #set(change: () => void): void {
    change();
    this.hooks.changed();
  }
}
