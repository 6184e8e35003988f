/**
 * The outbox: every message the visitor sends goes to IndexedDB (the session store) before it is
 * sent, and leaves it only when the hub acknowledges it or refuses it for good.
 * Why: a message typed offline, or lost with a dropped connection or a closed page, must still be
 * delivered, in order and exactly once. So the outbox is sent oldest first, stops at the first message
 * without an answer (offline, timeout, rate limit) and is resent from there on the next (re)connect or
 * outbox change, with the same clientIds (the hub stores each clientId once).
 * It knows nothing of socket.io, the transcript or the tabs: the controller wires those in.
 */
import type { Ack } from '../../protocol/errors.js';
import type { Message, VisitorConversation } from '../../protocol/types.js';
import type { OutboxItem, SessionStore } from '../session-db.js';

/** The hub's answer to one sent message. */
export type SendAck = Ack<{ message: Message; conversation: VisitorConversation }>;

/** Refusals that won't change on retry: the message is shown as not sent. */
const PERMANENT = new Set(['bad_request', 'too_large', 'forbidden', 'closed']);

export interface OutboxLink {
  /** The store of this session (it changes once the session has loaded). */
  store: () => SessionStore;
  /** Sends one item to the hub; null when not online (nothing sent). Rejects when the hub does not answer in time. */
  send: (item: OutboxItem) => Promise<SendAck> | null;
  /** The item is in the store (show it as pending, tell the other tabs). */
  queued: (item: OutboxItem) => void;
  /** The hub stored the item as `message`. */
  delivered: (message: Message, conversation: VisitorConversation) => void;
  /** The hub refused the item for good; it has left the outbox. */
  failed: (clientId: string) => void;
}

export class Outbox {
  #flushing = false;
  #flushAgain = false;
  #lastCreatedAt = 0;

  constructor(private readonly link: OutboxLink) {}

  /** Queues a message and sends it when possible. Resolves once it is in the outbox (not when delivered). */
  async send(text: string): Promise<void> {
    // Strictly increasing within the tab, so the outbox keeps the typing order.
    this.#lastCreatedAt = Math.max(Date.now(), this.#lastCreatedAt + 1);
    const item: OutboxItem = { clientId: crypto.randomUUID(), text, createdAt: new Date(this.#lastCreatedAt).toISOString() };
    await this.link.store().enqueue(item);
    this.link.queued(item);
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
        for (const item of await this.link.store().outbox()) {
          if (!(await this.#deliver(item))) return;
        }
      } while (this.#flushAgain);
    } finally {
      this.#flushing = false;
    }
  }

  /** One outbox item; false when delivery should stop for now (offline, no answer, rate limit). */
  async #deliver(item: OutboxItem): Promise<boolean> {
    const sending = this.link.send(item);
    if (!sending) return false;
    let ack: SendAck;
    try {
      ack = await sending;
    } catch {
      return false; // No answer: it stays queued and the next connect resends it.
    }
    if (ack.data) {
      await this.link.store().dequeue(item.clientId);
      this.link.delivered(ack.data.message, ack.data.conversation);
      return true;
    }
    if (!PERMANENT.has(ack.error.code)) return false;
    await this.link.store().dequeue(item.clientId);
    this.link.failed(item.clientId);
    return true;
  }
}
