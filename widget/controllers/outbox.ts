/**
 * The outbox: every message the visitor sends goes to IndexedDB (the session store) before it is
 * sent, and leaves it only when the hub acknowledges it or refuses it for good.
 * Why: a message typed offline, or lost with a dropped connection or a closed page, must still be
 * delivered, in order and exactly once. So the outbox is sent oldest first, stops at the first message
 * without an answer (offline, timeout, rate limit) and is resent from there on the next (re)connect or
 * outbox change, with the same clientIds (the hub stores each clientId once).
 * Files go with their message (as Blobs, in the same item): they are uploaded first, one by one, each noted in the
 * store once the hub has it (so a reload does not upload it again; a retried upload answers the stored copy anyway),
 * and the message is sent only when every file is stored. A file the hub refuses for good fails its whole message.
 * It knows nothing of socket.io, the transcript or the tabs: the controller wires those in.
 */
import type { Ack } from '../../protocol/errors.js';
import type { Message, VisitorConversation } from '../../protocol/types.js';
import type { OutboxFile, OutboxItem, SessionStore } from '../session-db.js';
import { PERMANENT_UPLOAD, type UploadResult } from './upload.js';

/** The hub's answer to one sent message. */
export type SendAck = Ack<{ message: Message; conversation: VisitorConversation }>;

/** Refusals that won't change on retry: the message is shown as not sent. */
const PERMANENT = new Set(['bad_request', 'too_large', 'forbidden', 'closed']);

export interface OutboxLink {
  /** The store of this session (it changes once the session has loaded). */
  store: () => SessionStore;
  /** Sends one item to the hub with its stored files; null when not online (nothing sent). Rejects when the hub does not answer in time. */
  send: (item: OutboxItem, attachmentIds: string[]) => Promise<SendAck> | null;
  /** Uploads one file of an item; null when not online. */
  upload?: (file: OutboxFile) => Promise<UploadResult> | null;
  /** The item is in the store (show it as pending, tell the other tabs). */
  queued: (item: OutboxItem) => void;
  /** The hub stored the item as `message`. */
  delivered: (message: Message, conversation: VisitorConversation) => void;
  /** The hub refused the item for good (`refused`: the file it refused, with its code); it has left the outbox. */
  failed: (clientId: string, refused?: FileRefusal) => void;
}

/** Why a message with files was not sent: the first file the hub refused. */
export interface FileRefusal {
  name: string;
  code: string;
}

/** A file to send (the outbox gives it its clientId). */
export type NewFile = Omit<OutboxFile, 'clientId' | 'attachment'>;

/** After an upload that failed for now while online (rate limit, hub error), try again this much later. */
const UPLOAD_RETRY_MS = 5_000;

export class Outbox {
  #flushing = false;
  #flushAgain = false;
  #lastCreatedAt = 0;
  #retry: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly link: OutboxLink) {}

  /** Queues a message and sends it when possible. Resolves once it is in the outbox (not when delivered). */
  async send(text: string, files: NewFile[] = []): Promise<void> {
    // Strictly increasing within the tab, so the outbox keeps the typing order.
    this.#lastCreatedAt = Math.max(Date.now(), this.#lastCreatedAt + 1);
    const clientId = crypto.randomUUID();
    const item: OutboxItem = { clientId, text, createdAt: new Date(this.#lastCreatedAt).toISOString() };
    if (files.length > 0) item.files = files.map((file, i) => ({ ...file, clientId: `${clientId}:${i}` }));
    await this.link.store().enqueue(item);
    this.link.queued(item);
    void this.flush();
  }

  /** Stops a pending retry (the element left the page). */
  stop(): void {
    clearTimeout(this.#retry);
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
    const attachmentIds: string[] = [];
    for (const file of item.files ?? []) {
      if (!file.attachment) {
        const uploading = this.link.upload?.(file);
        if (!uploading) return false;
        const result = await uploading;
        if ('error' in result) {
          if (!PERMANENT_UPLOAD.has(result.error)) {
            // Still online (or the hub did not answer): try again soon rather than only on the next connect.
            clearTimeout(this.#retry);
            this.#retry = setTimeout(() => void this.flush(), UPLOAD_RETRY_MS);
            return false;
          }
          await this.link.store().dequeue(item.clientId);
          this.link.failed(item.clientId, { name: file.name, code: result.error });
          return true;
        }
        file.attachment = result.attachment;
        await this.link.store().update(item);
      }
      attachmentIds.push(file.attachment.id);
    }
    const sending = this.link.send(item, attachmentIds);
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
