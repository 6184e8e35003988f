/**
 * The Team view's state: the agent's threads with their unread counts, the open thread's messages, who is
 * typing, and the calls behind them (REST to load, the panel's socket to send, read and type). Live events
 * (`team:message`, `team:typing`, `team:unread`) are applied here; `<sb-team-chat>` only renders `state`
 * and fires intents (`TeamIntent`), which the panel hands to `act`.
 *
 * The socket is the inbox's (controllers/hub.ts): this controller adds its own listeners to it on `start`
 * and reloads after a reconnect, when events may have been missed.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Ack } from '../../protocol/errors.js';
import type { AgentServerToClient } from '../../protocol/events.js';
import type { TeamMessage, TeamThread, TeamThreadKey } from '../../protocol/team.js';
import type { Agent } from '../../protocol/types.js';
import type { HubApi } from '../api.js';
import { errorText } from '../format.js';
import { ACK_TIMEOUT_MS, type AgentSocket, type HubController, unwrap } from './hub.js';
import { type TeamEntry, kindOf, merge, teamEntries } from './team-entries.js';

export type { TeamEntry } from './team-entries.js';

/** What the component shows; replaced (never changed in place) on every change. */
export interface TeamChatState {
  threads: TeamThread[];
  openKey: TeamThreadKey | null;
  /** The open thread's messages, oldest first. */
  messages: TeamMessage[];
  /** Older messages exist (the "Load earlier messages" button). */
  more: boolean;
  loading: boolean;
  /** Who is typing, by thread: agent id → name. */
  typing: Record<string, Record<string, string>>;
  error: string;
}

export type TeamIntent =
  | { action: 'open'; key: TeamThreadKey }
  | { action: 'close' }
  | { action: 'older' }
  | { action: 'send'; key: TeamThreadKey; text: string }
  | { action: 'typing'; key: TeamThreadKey; typing: boolean };

const EMPTY: TeamChatState = { threads: [], openKey: null, messages: [], more: false, loading: false, typing: {}, error: '' };
/** A typing indicator whose "stopped" never came (the other panel closed) goes away after this. */
const TYPING_EXPIRY_MS = 15_000;

export class TeamChatController implements ReactiveController {
  state: TeamChatState = EMPTY;

  #api: HubApi | null = null;
  #socket: AgentSocket | null = null;
  #me = '';
  #visible = false;
  /** Bumped when the session ends, and when a thread is opened or closed: late answers are dropped. */
  #session = 0;
  #openSeq = 0;
  /** The newest message id of each thread this panel has marked read (or found nothing unread up to). */
  #readUpTo = new Map<TeamThreadKey, number>();
  #typingTimers = new Map<string, ReturnType<typeof setTimeout>>();
  /** The last send that failed without an answer: sending the same text again reuses its clientId (stored once). */
  #pending: { key: TeamThreadKey; text: string; clientId: string } | null = null;
  #listeners: Partial<AgentServerToClient> & { connect?: () => void } = {
    'team:message': (m) => this.#onMessage(m),
    'team:unread': ({ threadKey, count }) => this.#onUnread(threadKey, count),
    'team:typing': ({ threadKey, agentId, name, typing }) => this.#onTyping(threadKey, agentId, name, typing),
    connect: () => void this.#reload(),
  };

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostConnected(): void {
    document.addEventListener('visibilitychange', this.#onVisibility);
  }

  hostDisconnected(): void {
    document.removeEventListener('visibilitychange', this.#onVisibility);
  }

  /** Unread messages across every thread (the nav badge). */
  get total(): number {
    return this.state.threads.reduce((sum, t) => sum + t.unreadCount, 0);
  }

  /** Listens on the panel's socket, then loads the threads. */
  async start(api: HubApi, live: HubController, me: Agent): Promise<void> {
    this.stop();
    this.#api = api;
    this.#me = me.id;
    this.#socket = live.socket;
    for (const [name, listener] of Object.entries(this.#listeners)) this.#socket?.on(name as 'connect', listener as () => void);
    await this.#loadThreads();
  }

  stop(): void {
    for (const [name, listener] of Object.entries(this.#listeners)) this.#socket?.off(name as 'connect', listener as () => void);
    for (const timer of this.#typingTimers.values()) clearTimeout(timer);
    this.#typingTimers.clear();
    this.#socket = null;
    this.#api = null;
    this.#pending = null;
    this.#readUpTo.clear();
    this.#session++;
    this.#openSeq++;
    this.#set(EMPTY);
  }

  /** The Team view is shown (or hidden): an open thread shown to the agent is read. */
  setVisible(visible: boolean): void {
    this.#visible = visible;
    this.#readOpen();
  }

  /** The thread list's rows (see `teamEntries`). */
  entries(agents: Agent[], me: Agent): TeamEntry[] {
    return teamEntries(this.state.threads, agents, me);
  }

  /** Runs an intent of `<sb-team-chat>`; resolves whether it succeeded (a failure shows its message). */
  async act(intent: TeamIntent): Promise<boolean> {
    try {
      switch (intent.action) {
        case 'open':
          return await this.#open(intent.key);
        case 'close':
          this.#openSeq++;
          this.#set({ openKey: null, messages: [], more: false, loading: false });
          return true;
        case 'older':
          return await this.#older();
        case 'send':
          await this.#send(intent.key, intent.text);
          return true;
        case 'typing':
          this.#socket?.emit('team:typing', { threadKey: intent.key, typing: intent.typing });
          return true;
      }
    } catch (error) {
      this.#set({ error: errorText(error) });
      return false;
    }
  }

  dismiss(): void {
    this.#set({ error: '' });
  }

  // ------------------------------------------------------------ loads

  async #loadThreads(): Promise<void> {
    const api = this.#api;
    if (!api) return;
    const session = this.#session;
    try {
      const { items } = await api.call('GET /api/team/threads');
      if (session !== this.#session) return;
      // A live message newer than the snapshot (it arrived while the list was loading) wins.
      const local = new Map(this.state.threads.map((t) => [t.key, t]));
      const threads = items.map((t) => {
        const mine = local.get(t.key);
        return mine && (mine.lastMessage?.id ?? 0) > (t.lastMessage?.id ?? 0) ? mine : t;
      });
      this.#set({ threads: [...threads, ...this.state.threads.filter((t) => !threads.some((x) => x.key === t.key))] });
    } catch (error) {
      if (session === this.#session) this.#set({ error: errorText(error) });
    }
  }

  /** After a reconnect: events may have been missed. */
  async #reload(): Promise<void> {
    await this.#loadThreads();
    if (this.state.openKey) await this.#open(this.state.openKey).catch((error: unknown) => this.#set({ error: errorText(error) }));
  }

  async #open(key: TeamThreadKey): Promise<boolean> {
    const api = this.#api;
    if (!api) return false;
    const seq = ++this.#openSeq;
    const switching = key !== this.state.openKey;
    this.#set({ openKey: key, loading: true, error: '', ...(switching ? { messages: [], more: false } : {}) });
    try {
      const page = await api.call('GET /api/team/threads/:key/messages', { params: { key } });
      if (seq !== this.#openSeq) return false;
      this.#set({ messages: merge(page.messages, this.state.messages), more: page.more, loading: false });
    } catch (error) {
      if (seq === this.#openSeq) this.#set({ loading: false });
      throw error;
    }
    const newest = this.state.messages.at(-1)?.id ?? 0;
    // Nothing unread: what is shown is read already, only newer messages need a read mark.
    if ((this.state.threads.find((t) => t.key === key)?.unreadCount ?? 0) === 0) this.#readUpTo.set(key, Math.max(newest, this.#readUpTo.get(key) ?? 0));
    this.#readOpen();
    return true;
  }

  async #older(): Promise<boolean> {
    const { openKey: key, messages } = this.state;
    const api = this.#api;
    if (!api || !key || !messages[0]) return false;
    const seq = this.#openSeq;
    const page = await api.call('GET /api/team/threads/:key/messages', { params: { key }, query: { before: messages[0].id } });
    if (seq !== this.#openSeq) return false;
    this.#set({ messages: merge(page.messages, this.state.messages), more: page.more });
    return true;
  }

  // ------------------------------------------------------------ writes

  async #send(key: TeamThreadKey, text: string): Promise<void> {
    const socket = this.#socket;
    if (!socket?.connected) throw new Error('Not connected to the hub');
    const clientId = this.#pending?.key === key && this.#pending.text === text ? this.#pending.clientId : crypto.randomUUID();
    this.#pending = { key, text, clientId };
    const pending = socket.timeout(ACK_TIMEOUT_MS).emitWithAck('team:send', { threadKey: key, clientId, text }) as Promise<Ack<{ message: TeamMessage }>>;
    const { message } = await unwrap(pending);
    this.#pending = null;
    if (this.state.error) this.#set({ error: '' });
    this.#onMessage(message);
  }

  /** Whether the agent sees the thread now: the Team view shown, the page visible, the thread open and loaded. */
  #showing(key: TeamThreadKey): boolean {
    return this.#visible && document.visibilityState === 'visible' && this.state.openKey === key && !this.state.loading;
  }

  /** Marks the open thread read up to its newest message, when the agent sees it and it has something new. */
  #readOpen(): void {
    const key = this.state.openKey;
    const newest = this.state.messages.at(-1);
    if (!key || !newest || !this.#showing(key) || newest.id <= (this.#readUpTo.get(key) ?? 0)) return;
    this.#readUpTo.set(key, newest.id);
    this.#setThread(key, (t) => ({ ...t, unreadCount: 0 }));
    this.#socket?.emit('team:read', { threadKey: key, upToId: newest.id }, () => undefined);
  }

  // ------------------------------------------------------------ live events

  #onMessage(m: TeamMessage): void {
    this.#clearTyping(m.threadKey, m.agentId);
    // The hub moved the author's read position to their own message.
    if (m.agentId === this.#me && m.id > (this.#readUpTo.get(m.threadKey) ?? 0)) this.#readUpTo.set(m.threadKey, m.id);
    this.#setThread(m.threadKey, (t) => ((t.lastMessage?.id ?? 0) >= m.id ? t : { ...t, id: m.threadId, lastMessage: m }));
    if (this.state.openKey !== m.threadKey || this.state.messages.some((x) => x.id === m.id)) return;
    this.#set({ messages: merge(this.state.messages, [m]) });
    this.#readOpen();
  }

  /**
   * A count from the hub. For the thread the agent is looking at, every message it counts has arrived before it
   * (the hub pushes the message first) and was marked read already: the answer to that read mark follows.
   */
  #onUnread(key: TeamThreadKey, count: number): void {
    if (count > 0 && this.#showing(key)) return;
    this.#setThread(key, (t) => ({ ...t, unreadCount: count }));
  }

  #onTyping(key: TeamThreadKey, agentId: string, name: string, typing: boolean): void {
    if (!typing) {
      this.#clearTyping(key, agentId);
      return;
    }
    this.#set({ typing: { ...this.state.typing, [key]: { ...this.state.typing[key], [agentId]: name } } });
    const timer = `${key}\n${agentId}`;
    clearTimeout(this.#typingTimers.get(timer));
    this.#typingTimers.set(
      timer,
      setTimeout(() => this.#clearTyping(key, agentId), TYPING_EXPIRY_MS),
    );
  }

  #clearTyping(key: TeamThreadKey, agentId: string): void {
    const timer = `${key}\n${agentId}`;
    clearTimeout(this.#typingTimers.get(timer));
    this.#typingTimers.delete(timer);
    if (!this.state.typing[key]?.[agentId]) return;
    const { [agentId]: _gone, ...rest } = this.state.typing[key] ?? {};
    this.#set({ typing: { ...this.state.typing, [key]: rest } });
  }

  #onVisibility = (): void => this.#readOpen();

  /** Changes one thread (adding it when it is new: a first direct message from another agent). */
  #setThread(key: TeamThreadKey, change: (t: TeamThread) => TeamThread): void {
    const threads = this.state.threads;
    const found = threads.find((t) => t.key === key);
    const base: TeamThread = found ?? {
      key,
      kind: kindOf(key),
      id: null,
      agentId: key.startsWith('direct:') ? key.slice(7) : null,
      lastMessage: null,
      unreadCount: 0,
    };
    const next = change(base);
    this.#set({ threads: found ? threads.map((t) => (t.key === key ? next : t)) : [...threads, next] });
  }

  #set(patch: Partial<TeamChatState>): void {
    this.state = { ...this.state, ...patch };
    this.host.requestUpdate();
  }
}
