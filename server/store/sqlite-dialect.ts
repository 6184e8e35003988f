/**
 * Kysely's SQLite dialect with two changes to its driver: the one connection is handed to its waiters one at a time,
 * in the order they asked, and `destroy` also waits for the checkpoint worker to exit (wal-checkpointer.ts).
 *
 * Kysely's driver guards the connection with a mutex whose `unlock` wakes every waiter at once; all but one find it
 * taken again and wait anew, each on a fresh promise. In a burst (a thousand visitors connecting, a hundred at a
 * time) dozens of queries wait while a transaction holds the connection, so every release cost a promise per waiter:
 * over a whole delivery bench run that lock allocated 11 of the hub's 115 kB per message, food for the young
 * generation's collections, which pause the loop (docs/performance-history.md, session 34). Here a release hands the
 * connection to the first waiter alone: one promise per acquisition.
 */
import { type DatabaseConnection, type Driver, SqliteDialect, type SqliteDialectConfig, SqliteDriver } from 'kysely';
import type { WalCheckpointer } from './wal-checkpointer.js';

/** A lock passed from holder to the next waiter in arrival order. */
export class HandoffLock {
  #held = false;
  /** The waiters, from `#head` on; the slots before it were handed the lock already. */
  readonly #waiting: ((() => void) | undefined)[] = [];
  #head = 0;

  lock(): Promise<void> {
    if (!this.#held) {
      this.#held = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  unlock(): void {
    const next = this.#waiting[this.#head];
    if (!next) {
      this.#held = false;
      this.#waiting.length = 0;
      this.#head = 0;
      return;
    }
    this.#waiting[this.#head++] = undefined;
    // Drop the served slots now and then rather than on every release (a shift copies the whole queue), and also
    // when the queue never empties under sustained load.
    if (this.#head >= 1024 && this.#head * 2 >= this.#waiting.length) {
      this.#waiting.splice(0, this.#head);
      this.#head = 0;
    }
    next(); // the lock stays held: it passes to `next`
  }
}

export class CheckpointedSqliteDialect extends SqliteDialect {
  constructor(
    private readonly sqliteConfig: SqliteDialectConfig,
    private readonly checkpointer: WalCheckpointer,
  ) {
    super(sqliteConfig);
  }

  override createDriver(): Driver {
    return new HandoffSqliteDriver(this.sqliteConfig, this.checkpointer);
  }
}

class HandoffSqliteDriver extends SqliteDriver {
  readonly #lock = new HandoffLock();
  #connection: DatabaseConnection | undefined;

  constructor(
    config: SqliteDialectConfig,
    private readonly checkpointer: WalCheckpointer,
  ) {
    super(config);
  }

  override async init(): Promise<void> {
    await super.init();
    // Kysely's driver keeps its connection private: taken once through its own lock, then guarded by ours.
    this.#connection = await super.acquireConnection();
    await super.releaseConnection();
  }

  override async acquireConnection(): Promise<DatabaseConnection> {
    await this.#lock.lock();
    if (!this.#connection) throw new Error('the SQLite driver was not initialised');
    return this.#connection;
  }

  override async releaseConnection(): Promise<void> {
    this.#lock.unlock();
  }

  /** After the connection has closed: whoever removes the database's directory next finds no file still changing. */
  override async destroy(): Promise<void> {
    await super.destroy();
    await this.checkpointer.stop();
  }
}
