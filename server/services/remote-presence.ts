/**
 * What this hub last heard from the others about who is connected there, so that showing presence does not cost a
 * round trip through Redis per question. A summary is pushed for every message and says whether its visitor is online;
 * with the visitor on another hub, each one asked every hub (`fetchSockets`), and answering and asking were 15 % of two
 * hubs' busy time (docs/performance.md).
 *
 * Only "someone is there" is remembered, and it is forgotten when the hub that held the room says it emptied (a
 * socket.io adapter's `delete-room`, passed on as a server-side event) or after `ttlMs`, which bounds how long a hub
 * that died without a word is believed. Answers that decide something (whether to email a reply, whether a visitor's
 * last tab closed) still ask every hub.
 */
import type { Namespace } from 'socket.io';

/** The server-side event a hub sends when one of its presence rooms empties. */
export const ROOM_EMPTIED = 'presence:room-emptied';

/** Rooms presence asks about (a visitor's tabs, a contact's devices, an agent's panels, all agents). */
const PRESENCE_ROOM = /^(visitor|contact|agent):|^agents$/;

export class RemotePresence {
  /** Namespace and room → when the belief lapses (ms, the clock of `now`). */
  readonly #present = new Map<string, number>();
  /** Rooms heard emptied while a question about them was out: an answer given before that news is not kept. */
  #emptiedCount = 0;

  constructor(
    private readonly ttlMs = 15_000,
    private readonly now: () => number = () => performance.now(),
    private readonly maxEntries = 50_000,
  ) {}

  /** Passes this hub's emptied rooms to the others, and forgets what they report emptied. */
  watch(nsp: Namespace): void {
    nsp.adapter.on('delete-room', (room: string) => {
      if (PRESENCE_ROOM.test(room)) nsp.serverSideEmit(ROOM_EMPTIED, room);
    });
    nsp.on(ROOM_EMPTIED, (room: unknown) => {
      if (typeof room !== 'string') return;
      this.#emptiedCount++;
      this.#present.delete(key(nsp, room));
    });
  }

  /** Whether another hub lately had someone in `room` (and has not said it emptied since). */
  known(nsp: Namespace, room: string): boolean {
    const k = key(nsp, room);
    const until = this.#present.get(k);
    if (until === undefined) return false;
    if (until > this.now()) return true;
    this.#present.delete(k);
    return false;
  }

  /**
   * Asks the other hubs with `ask` and remembers a yes, unless some room emptied while the question was out (its
   * answer may predate that news).
   */
  async ask(nsp: Namespace, room: string, ask: () => Promise<boolean>): Promise<boolean> {
    const emptiedBefore = this.#emptiedCount;
    const present = await ask();
    if (present && this.#emptiedCount === emptiedBefore) this.#remember(key(nsp, room));
    return present;
  }

  #remember(k: string): void {
    const now = this.now();
    if (this.#present.size >= this.maxEntries) {
      for (const [entry, until] of this.#present) if (until <= now) this.#present.delete(entry);
      if (this.#present.size >= this.maxEntries) this.#present.clear();
    }
    this.#present.set(k, now + this.ttlMs);
  }
}

const key = (nsp: Namespace, room: string) => `${nsp.name} ${room}`;
