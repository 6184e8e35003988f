/**
 * The panel's live connection to the hub (`/agent` namespace), as a Lit reactive controller.
 * It owns the socket, tracks connection state, forwards hub events to handlers, and wraps the
 * request events (`emitWithAck`) so callers get the data or an `ApiError` with the hub's code.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { type Socket, io } from 'socket.io-client';
import type { Ack } from '../../protocol/errors.js';
import { AGENT_NAMESPACE, type AgentClientToServer, type AgentSent, type AgentServerToClient } from '../../protocol/events.js';
import { ApiError } from '../api.js';

export type AgentSocket = Socket<AgentServerToClient, AgentClientToServer>;
export type HubHandlers = Partial<AgentServerToClient> & { connect?: () => void; refused?: () => void };

export const ACK_TIMEOUT_MS = 10_000;

/** The conversation watched, and the id of its last message the panel holds (asked when the watch is sent). */
interface Watching {
  conversationId: string;
  lastSeen: () => number;
}
/** The longest a push waits for the next animation frame before it is applied anyway. */
const PUSH_BATCH_MAX_WAIT_MS = 100;
/** The shortest time between two batches of pushes: a stream of them renders 10 times a second, not at every frame. */
const PUSH_BATCH_INTERVAL_MS = 100;

export async function unwrap<T>(pending: Promise<Ack<T>>): Promise<T> {
  let ack: Ack<T>;
  try {
    ack = await pending;
  } catch {
    throw new ApiError(0, 'network', 'The hub did not answer in time');
  }
  if (ack.error) throw new ApiError(0, ack.error.code, ack.error.message);
  return ack.data;
}

export class HubController implements ReactiveController {
  socket: AgentSocket | null = null;
  connected = false;
  /** Set when the hub refused the token (connect_error `unauthorized`). */
  refused = false;
  #watching: Watching | null = null;
  #pending: [handler: (...args: unknown[]) => void, args: unknown[]][] = [];
  /** The number of the batch waiting for its frame (0: none), of all batches so far, and when the last was applied. */
  #scheduled = 0;
  #batches = 0;
  #lastFlush = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly handlers: HubHandlers,
  ) {
    host.addController(this);
  }

  connect(hub: string, token: string): void {
    this.disconnect();
    this.refused = false;
    const socket: AgentSocket = io(`${hub}${AGENT_NAMESPACE}`, { auth: { token }, transports: ['websocket', 'polling'] });
    socket.on('connect', () => {
      this.connected = true;
      // After a reconnect the hub has forgotten what we watched, and messages may have come meanwhile.
      if (this.#watching) this.#emitWatch(socket, this.#watching);
      this.handlers.connect?.();
      this.host.requestUpdate();
    });
    socket.on('disconnect', () => {
      this.connected = false;
      this.host.requestUpdate();
    });
    socket.on('connect_error', (error) => {
      if (error.message === 'unauthorized') {
        this.refused = true;
        socket.disconnect();
        this.handlers.refused?.();
      }
      this.host.requestUpdate();
    });
    for (const [name, handler] of Object.entries(this.handlers)) {
      if (name === 'connect' || name === 'refused' || !handler) continue;
      socket.on(name as keyof AgentServerToClient, ((...args: unknown[]) => this.#enqueue(handler as (...a: unknown[]) => void, args)) as never);
    }
    this.socket = socket;
  }

  /**
   * Pushes are applied in batches, at an animation frame: a busy inbox sends hundreds a second, and applying each in
   * its own task re-rendered the panel for each. A batch runs in one task, so Lit renders once for it. Batches are at
   * least PUSH_BATCH_INTERVAL_MS apart: under a stream of pushes, a render at every frame was most of a busy panel's
   * work (50 panels on two cores fell tens of seconds behind and then missed the hub's pings). A lone push still
   * waits only for the next frame. The timer bounds the wait where frames stop (a hidden tab).
   */
  #enqueue(handler: (...args: unknown[]) => void, args: unknown[]): void {
    this.#pending.push([handler, args]);
    if (this.#scheduled !== 0) return;
    const batch = ++this.#batches;
    this.#scheduled = batch;
    const flush = () => this.#flush(batch);
    const wait = Math.max(0, this.#lastFlush + PUSH_BATCH_INTERVAL_MS - performance.now());
    if (wait === 0) requestAnimationFrame(flush);
    else setTimeout(() => requestAnimationFrame(flush), wait);
    setTimeout(flush, wait + PUSH_BATCH_MAX_WAIT_MS);
  }

  /** Applies the pending pushes if `batch` is still the one scheduled (its frame or its timer, whichever comes first). */
  #flush(batch: number): void {
    if (this.#scheduled !== batch) return;
    this.#scheduled = 0;
    this.#lastFlush = performance.now();
    const pending = this.#pending;
    this.#pending = [];
    for (const [handler, args] of pending) {
      try {
        handler(...args);
      } catch (error) {
        reportError(error); // one bad push must not drop the rest of its batch
      }
    }
  }

  disconnect(): void {
    this.#pending = [];
    this.#scheduled = 0;
    this.socket?.removeAllListeners();
    this.socket?.disconnect();
    this.socket = null;
    this.connected = false;
  }

  /**
   * Watch one conversation live (its messages, typing, viewers); stops watching the previous one. `lastSeen` answers
   * the id of the last message held: what was stored after it (before the watch, or while the connection was lost)
   * comes with the hub's answer and is applied like a pushed `message:new`.
   */
  watch(conversationId: string | null, lastSeen: () => number = () => 0): void {
    const socket = this.socket;
    const previous = this.#watching?.conversationId;
    if (previous && previous !== conversationId) socket?.emit('conversation:unwatch', { conversationId: previous });
    this.#watching = conversationId ? { conversationId, lastSeen } : null;
    if (socket && this.#watching) this.#emitWatch(socket, this.#watching);
  }

  #emitWatch(socket: AgentSocket, watching: Watching): void {
    socket.emit('conversation:watch', { conversationId: watching.conversationId, after: watching.lastSeen() }, (ack) => {
      const onMessage = this.handlers['message:new'];
      if (!onMessage || this.#watching !== watching) return;
      for (const message of ack.data?.messages ?? []) this.#enqueue(onMessage as (...args: unknown[]) => void, [message]);
    });
  }

  markRead(conversationId: string): void {
    this.socket?.emit('conversation:read', { conversationId }, () => undefined);
  }

  typing(conversationId: string, typing: boolean): void {
    this.socket?.emit('typing', { conversationId, typing });
  }

  /**
   * Sends a reply, with files already uploaded (`attachmentIds`). Takes the conversation over if nobody holds it;
   * `already_claimed` if someone else does. The hub answers this socket with the message and the conversation's
   * change instead of pushing them to it (protocol/events.ts `AgentSent`): they are applied as those pushes would
   * be, in the same queue, so a push that came before the answer is not applied after it.
   */
  send(conversationId: string, text: string, attachmentIds: string[] = [], clientId: string = crypto.randomUUID()): Promise<AgentSent> {
    const socket = this.socket;
    if (!socket?.connected) return Promise.reject(new ApiError(0, 'network', 'Not connected to the hub'));
    const payload = attachmentIds.length > 0 ? { conversationId, clientId, text, attachmentIds } : { conversationId, clientId, text };
    const sent = new Promise<Ack<AgentSent>>((resolve, reject) =>
      socket.timeout(ACK_TIMEOUT_MS).emit('message:send', payload, (error: Error | null, ack: Ack<AgentSent>) => {
        if (error) return reject(error);
        if (ack.data) this.#applySent(ack.data);
        resolve(ack);
      }),
    );
    return unwrap(sent);
  }

  /** The answer to this panel's own reply, applied as the pushes the hub sent every other socket. */
  #applySent({ message, conversation, change }: AgentSent): void {
    const onMessage = this.handlers['message:new'];
    if (onMessage) this.#enqueue(onMessage as (...args: unknown[]) => void, [message]);
    const onUpdated = this.handlers['conversation:updated'];
    if (onUpdated && change) this.#enqueue(onUpdated as (...args: unknown[]) => void, [conversation, change]);
  }

  hostConnected(): void {
    if (this.socket && !this.socket.connected && !this.refused) this.socket.connect();
  }

  hostDisconnected(): void {
    this.socket?.disconnect();
  }
}
