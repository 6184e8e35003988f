/**
 * Password guessing, slowed without locking anyone out for good. Two counters of failed sign-ins:
 * - per account and client address: after MAX_PER_SOURCE failures in WINDOW_MS, that address is
 *   refused for that account until the window has passed;
 * - per account, from any address: after FREE_FAILURES, each further attempt must wait twice as long
 *   as the one before (1 s, 2 s, 4 s … capped at MAX_DELAY_MS), so a botnet gets a few guesses a
 *   minute while the real user, at worst, waits a minute.
 * Counters are forgotten WINDOW_MS after the last failure and reset by a successful sign-in.
 * Kept in memory per hub process (several hubs: the limits apply per hub).
 */
export const WINDOW_MS = 15 * 60_000;
export const MAX_PER_SOURCE = 10;
export const FREE_FAILURES = 5;
export const MAX_DELAY_MS = 60_000;

interface Counter {
  failures: number;
  lastFailureAt: number;
}

export class LoginThrottle {
  readonly #bySource = new Map<string, Counter>();
  readonly #byAccount = new Map<string, Counter>();

  constructor(private readonly now: () => number) {}

  /** Milliseconds before this attempt may be checked, or 0 when it may go ahead. */
  waitFor(account: string, source: string): number {
    const now = this.now();
    const bySource = this.#live(this.#bySource, `${account}\u0000${source}`, now);
    if (bySource && bySource.failures >= MAX_PER_SOURCE) return bySource.lastFailureAt + WINDOW_MS - now;
    const byAccount = this.#live(this.#byAccount, account, now);
    if (byAccount && byAccount.failures >= FREE_FAILURES) {
      const delay = Math.min(1000 * 2 ** (byAccount.failures - FREE_FAILURES), MAX_DELAY_MS);
      return Math.max(0, byAccount.lastFailureAt + delay - now);
    }
    return 0;
  }

  failed(account: string, source: string): void {
    const now = this.now();
    for (const [map, key] of [
      [this.#bySource, `${account}\u0000${source}`],
      [this.#byAccount, account],
    ] as const) {
      const counter = this.#live(map, key, now) ?? { failures: 0, lastFailureAt: now };
      map.set(key, { failures: counter.failures + 1, lastFailureAt: now });
    }
    if (this.#bySource.size > 100_000) this.#prune(now);
  }

  succeeded(account: string, source: string): void {
    this.#bySource.delete(`${account}\u0000${source}`);
    this.#byAccount.delete(account);
  }

  #live(map: Map<string, Counter>, key: string, now: number): Counter | undefined {
    const counter = map.get(key);
    if (counter && now - counter.lastFailureAt > WINDOW_MS) {
      map.delete(key);
      return undefined;
    }
    return counter;
  }

  #prune(now: number): void {
    for (const map of [this.#bySource, this.#byAccount]) for (const [key, c] of map) if (now - c.lastFailureAt > WINDOW_MS) map.delete(key);
  }
}
