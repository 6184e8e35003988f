/**
 * Group commit: message writes that arrive together share one transaction, so a burst of 50 messages costs one
 * commit instead of 50. Each write still resolves only after the shared transaction has committed (nothing is
 * acknowledged before it is durable), and one failing write (a duplicate, a bad input) is refused alone: the group is
 * then run again with a savepoint per write, and the others commit.
 *
 * Writes queue in a lane; a lane flushes what it holds at the end of the current event-loop turn (setImmediate), and
 * while a flush runs, new arrivals wait and go together in the next one. SQLite has one connection, so one lane.
 * PostgreSQL gets four lanes of its pool of 10 (a lane has one statement in the database at a time; with a group's
 * calls in one statement, fewer and fuller lanes did more per CPU second than six: decisions.md, session 17; six
 * connections stay free for reads). A write goes to the lane of its key (the contact), so
 * the row locks of one contact are only ever taken in one lane, and two lanes can't deadlock on them.
 *
 * On PostgreSQL the function calls of a group's writes go as one statement (statement-batch.ts). When every write of
 * a group says it may (`alone`: its call is a whole transaction by itself, message-writes.ts), they run on a
 * connection outside any transaction, and that statement commits them: BEGIN and COMMIT would be a round trip each.
 * Such a write throws NeedsTransaction, having written nothing, when it finds it needs more (the lane then runs it
 * in a transaction).
 */
import { type Kysely, sql } from 'kysely';
import type { Db } from './base.js';
import type { Dialect } from './migrations.js';
import type { Database } from './schema.js';
import { withDirectStatements } from './direct-statements.js';
import { StatementBatch } from './statement-batch.js';

/** `db`: the group's transaction, or a connection outside any for a write alone (see above). */
type Work<T> = (db: Db) => Promise<T>;

interface Pending {
  /** The contact whose rows the write locks (GroupCommit.run). */
  key: string;
  work: Work<unknown>;
  alone: boolean;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/** Thrown by a write run alone that needs a transaction after all; it has written nothing. */
export class NeedsTransaction extends Error {
  constructor() {
    super('this write needs a transaction');
  }
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };
/** A whole attempt rolled back: `byWrite` when a write threw, else the commit (or the connection) failed. */
type Failed = { failed: unknown; byWrite: boolean };

/** Most writes per shared transaction: bounds how long one flush holds its connection and its locks. */
const MAX_GROUP = 128;

class Lane {
  #queue: Pending[] = [];
  #flushing = false;
  #scheduled = false;

  constructor(
    private readonly db: Kysely<Database>,
    /**
     * PostgreSQL, where each statement is a round trip: a write may run alone (BEGIN and COMMIT would be two more),
     * and the group's function calls go as one statement (statement-batch.ts).
     */
    private readonly postgres: boolean,
  ) {}

  add(pending: Pending): void {
    this.#queue.push(pending);
    if (!this.#flushing && !this.#scheduled) {
      this.#scheduled = true;
      // The end of this turn: the writes that arrived in it go together.
      setImmediate(() => {
        this.#scheduled = false;
        void this.#flush();
      });
    }
  }

  async #flush(): Promise<void> {
    this.#flushing = true;
    try {
      while (this.#queue.length > 0) {
        const group = this.#queue.splice(0, MAX_GROUP);
        await this.#commit(group);
      }
    } finally {
      this.#flushing = false;
    }
  }

  async #commit(writes: Pending[]): Promise<void> {
    let group = writes;
    if (this.postgres && group.every((pending) => pending.alone)) {
      group = await this.#runAlone(group);
      if (group.length === 0) return;
    }
    // Optimistic first: one transaction and no savepoints (each costs a round trip on PostgreSQL). Writes rarely fail
    // (a resend is found under the contact's lock, not by a constraint), and when one does, the whole group rolls back
    // and runs again with a savepoint per write, so that only the failing write is refused. A write may therefore run
    // twice; only its first run's transaction was rolled back, so each write must leave nothing behind but its rows.
    const first = await this.#attempt(group, false);
    if (this.#settle(group, first, group.length === 1 || !('failed' in first) || !first.byWrite)) return;
    this.#settle(group, await this.#attempt(group, true), true);
  }

  /**
   * The writes outside any transaction, their calls together (each statement commits by itself); returns those that
   * need a transaction after all, having written nothing: a write that said so, every write of a statement that failed
   * (the transaction's savepoints then find which), and the later writes of their contacts (kept in order).
   */
  async #runAlone(group: Pending[]): Promise<Pending[]> {
    const needing: Pending[] = [];
    const deferred = new Set<string>();
    const runs = [...distinctKeys(group)];
    let done = 0;
    try {
      await this.db.connection().execute(async (connection) => {
        for (const writes of runs) {
          const run = writes.filter((pending) => !deferred.has(pending.key));
          for (const pending of writes) if (deferred.has(pending.key)) needing.push(pending);
          const { settled, unwritten } = await runTogether(connection, run);
          run.forEach((pending, i) => {
            const outcome = settled[i];
            if (outcome?.status === 'fulfilled') pending.resolve(outcome.value);
            else if (outcome?.reason instanceof NeedsTransaction || unwritten(outcome?.reason)) {
              needing.push(pending);
              deferred.add(pending.key);
            } else pending.reject(outcome?.reason);
          });
          done++;
        }
      });
    } catch {
      // No connection (or it broke between runs): the runs not started have written nothing. The transaction path
      // tries them, and refuses them with its own error if the database is still out of reach.
      needing.push(...runs.slice(done).flat());
    }
    return needing;
  }

  /** Runs the group in one transaction; with `savepoints`, a failing write is rolled back alone. */
  async #attempt(group: Pending[], savepoints: boolean): Promise<Outcome[] | Failed> {
    const outcomes: Outcome[] = [];
    let byWrite = false;
    try {
      await this.db.transaction().execute((tx) =>
        withDirectStatements(this.db, tx, async () => {
          if (!savepoints && this.postgres) {
            for (const run of distinctKeys(group)) {
              const { settled } = await runTogether(tx, run);
              const failed = settled.find((outcome) => outcome.status === 'rejected');
              if (failed) {
                byWrite = true;
                throw failed.reason;
              }
              for (const outcome of settled) if (outcome.status === 'fulfilled') outcomes.push({ ok: true, value: outcome.value });
            }
            return;
          }
          for (const pending of group) {
            if (!savepoints) {
              try {
                outcomes.push({ ok: true, value: await pending.work(tx) });
              } catch (error) {
                byWrite = true;
                throw error;
              }
              continue;
            }
            await sql`savepoint grouped_write`.execute(tx);
            try {
              const value = await pending.work(tx);
              await sql`release savepoint grouped_write`.execute(tx);
              outcomes.push({ ok: true, value });
            } catch (error) {
              await sql`rollback to savepoint grouped_write`.execute(tx);
              await sql`release savepoint grouped_write`.execute(tx);
              outcomes.push({ ok: false, error });
            }
          }
        }),
      );
    } catch (error) {
      // A write failed without a savepoint, or the commit itself failed (connection lost, disk full): nothing of the
      // group is stored. A failed commit is not tried again: it may have reached the database before the connection
      // broke.
      return { failed: error, byWrite };
    }
    return outcomes;
  }

  /**
   * Resolves or rejects each write from an attempt's outcome; returns false, settling nothing, when the attempt
   * failed as a whole and is not `final` (the group is tried again with savepoints).
   */
  #settle(group: Pending[], result: Outcome[] | Failed, final: boolean): boolean {
    if ('failed' in result) {
      if (!final) return false;
      for (const pending of group) pending.reject(result.failed);
      return true;
    }
    group.forEach((pending, i) => {
      const outcome = result[i];
      if (outcome?.ok) pending.resolve(outcome.value);
      else pending.reject(outcome?.error);
    });
    return true;
  }
}

export class GroupCommit {
  readonly #lanes: Lane[];

  constructor(db: Kysely<Database>, dialect: Dialect, lanes = dialect === 'postgres' ? 4 : 1) {
    this.#lanes = Array.from({ length: lanes }, () => new Lane(db, dialect === 'postgres'));
  }

  /**
   * Runs `work` in a transaction shared with the writes that arrive with it; resolves once that has committed.
   * `alone`: the work may run outside a transaction when it is alone in its group (see above).
   */
  run<T>(key: string, work: Work<T>, alone = false): Promise<T> {
    const lane = this.#lanes[this.#lanes.length === 1 ? 0 : hash(key) % this.#lanes.length] as Lane;
    return new Promise<T>((resolve, reject) => lane.add({ key, work: work as Work<unknown>, alone, resolve: resolve as (v: unknown) => void, reject }));
  }
}

/**
 * The group in runs of writes of distinct contacts, in order. The writes of a run start together, and their function
 * calls go as one statement (statement-batch.ts): so each runs its first call before any runs the rest of its work.
 * That is the same as running them one after another only when they lock different rows: one contact's writes (a
 * second message finding no conversation, like the first, would open another) stay in separate runs, in order.
 */
function* distinctKeys(group: Pending[]): Generator<Pending[]> {
  let run: Pending[] = [];
  const keys = new Set<string>();
  for (const pending of group) {
    if (keys.has(pending.key)) {
      yield run;
      run = [];
      keys.clear();
    }
    run.push(pending);
    keys.add(pending.key);
  }
  if (run.length > 0) yield run;
}

/**
 * Starts the run's writes in `db`, their calls held and sent together; settles once every write has. `unwritten`
 * tells an error of a statement that failed: nothing of it was written.
 */
async function runTogether(db: Db, run: Pending[]): Promise<{ settled: PromiseSettledResult<unknown>[]; unwritten(error: unknown): boolean }> {
  const batch = new StatementBatch(db);
  const started = run.map((pending) => {
    // Each runs up to its first call now, while the batch holds (a write that throws at once fails alone).
    try {
      return pending.work(db);
    } catch (error) {
      return Promise.reject(error);
    }
  });
  void batch.release();
  // Every write settles before the transaction ends, even after one failed: none may still use it then.
  return { settled: await Promise.allSettled(started), unwritten: (error) => batch.failedWith(error) };
}

/** FNV-1a: a cheap, stable spread of keys over the lanes. */
function hash(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
