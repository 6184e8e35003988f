/**
 * A socket.io client that sends the way the widget and the panel do: every message goes into an
 * outbox with its clientId first, leaves it only when the hub acknowledges it, and everything still
 * in the outbox is sent again (same clientId) after each reconnect. Used by the crash and soak tests
 * to count what was sent, acknowledged, stored, lost and duplicated.
 */
import { randomUUID } from 'node:crypto';
import { type Socket, io } from 'socket.io-client';
import type { Ack } from '../../protocol/errors.js';
import type { VisitorSession } from '../../protocol/events.js';
import type { Message } from '../../protocol/types.js';

interface Pending {
  clientId: string;
  text: string;
  conversationId?: string;
}

export class OutboxClient {
  readonly socket: Socket;
  /** Every message this client ever sent, by clientId. */
  readonly sent = new Map<string, Pending>();
  readonly outbox = new Map<string, Pending>();
  readonly acked = new Set<string>();
  /** Sends that the hub refused (error ack): they stay in the outbox only if the error is transient. */
  readonly refused: string[] = [];
  conversationId: string | undefined;
  sessions = 0;
  #drained: (() => void)[] = [];
  #acks: (() => void)[] = [];
  #ready: Promise<void>;

  private constructor(
    url: string,
    readonly kind: 'visitor' | 'agent',
    auth: Record<string, unknown>,
  ) {
    this.socket = io(`${url}/${kind}`, { auth, transports: ['websocket'], forceNew: true, reconnectionDelay: 50, reconnectionDelayMax: 250 });
    this.#ready = new Promise((resolve, reject) => {
      const ready = kind === 'visitor' ? 'session' : 'hello';
      this.socket.on(ready, (session: VisitorSession) => {
        this.sessions += 1;
        if (kind === 'visitor') {
          // What the widget stores in IndexedDB: the next connect continues the same visitor.
          this.socket.auth = { ...(this.socket.auth as object), token: session.token };
          this.conversationId ??= session.conversation?.id;
        }
        this.flush();
        resolve();
      });
      this.socket.once('connect_error', (error) => (this.sessions === 0 ? reject(error) : undefined));
    });
  }

  static async visitor(url: string, auth: Record<string, unknown> = {}): Promise<OutboxClient> {
    const client = new OutboxClient(url, 'visitor', { site: 'demo', ...auth });
    await client.#ready;
    return client;
  }

  static async agent(url: string, token: string): Promise<OutboxClient> {
    const client = new OutboxClient(url, 'agent', { token });
    await client.#ready;
    return client;
  }

  /** Queues a message (for agents: into `conversationId`) and sends it if connected. */
  send(text: string, conversationId?: string): string {
    const pending: Pending = { clientId: randomUUID(), text, conversationId };
    this.sent.set(pending.clientId, pending);
    this.outbox.set(pending.clientId, pending);
    if (this.socket.connected) this.#emit(pending);
    return pending.clientId;
  }

  /** Resolves when the outbox is empty. */
  drained(): Promise<void> {
    if (this.outbox.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#drained.push(resolve));
  }

  /** Resolves once fewer than `n` messages wait for their ack (a sender that pipelines at most n). */
  async below(n: number): Promise<void> {
    while (this.outbox.size >= n) await new Promise<void>((resolve) => this.#acks.push(resolve));
  }

  /** Drops the connection as a network failure would; socket.io reconnects by itself. */
  dropConnection(): void {
    this.socket.io.engine?.close();
  }

  close(): void {
    this.socket.disconnect();
  }

  private flush(): void {
    for (const pending of this.outbox.values()) this.#emit(pending);
  }

  #emit(pending: Pending): void {
    const payload = this.kind === 'visitor' ? { clientId: pending.clientId, text: pending.text } : pending;
    this.socket.emit('message:send', payload, (ack: Ack<{ message: Message; conversation: { id: string } }>) => {
      if (ack.error) {
        this.refused.push(`${ack.error.code}: ${ack.error.message}`);
        return; // stays in the outbox; the next reconnect sends it again
      }
      if (this.kind === 'visitor') this.conversationId ??= ack.data.conversation.id;
      this.acked.add(pending.clientId);
      if (!this.outbox.delete(pending.clientId)) return; // a resend's ack arrived after the first one
      for (const resolve of this.#acks.splice(0)) resolve();
      if (this.outbox.size === 0) for (const resolve of this.#drained.splice(0)) resolve();
    });
  }
}
