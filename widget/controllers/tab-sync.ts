/**
 * Notes between the tabs of one site over BroadcastChannel('switchboard-' + key): a message one tab
 * received, an outbox change, a message the hub refused for good, the conversation marked read.
 * Why: tabs of a site share one session and one IndexedDB outbox, so each must hear what the others
 * saw or queued (an offline tab's outbox is then delivered by a tab that is online). Where
 * BroadcastChannel does not exist, every call does nothing and each tab catches up on its own connect.
 */
import type { Message } from '../../protocol/types.js';
import type { FileRefusal } from './outbox.js';

/** What one tab tells the others. */
export type TabNote =
  | { kind: 'message'; message: Message }
  | { kind: 'outbox' }
  | { kind: 'failed'; clientId: string; refused?: FileRefusal }
  | { kind: 'read' };

export class TabSync {
  #channel: BroadcastChannel | null = null;

  /** Starts listening to the other tabs of `key` (the session's storage key). */
  open(key: string, onNote: (note: TabNote) => void): void {
    if (typeof BroadcastChannel === 'undefined') return;
    this.#channel = new BroadcastChannel(`switchboard-${key}`);
    this.#channel.onmessage = (event: MessageEvent<TabNote>) => onNote(event.data);
  }

  /** Tells the other tabs (never this one). */
  post(note: TabNote): void {
    this.#channel?.postMessage(note);
  }

  close(): void {
    this.#channel?.close();
    this.#channel = null;
  }
}
