/**
 * One statement for the message writes of a group (PostgreSQL). A group commit's writes share a transaction
 * (group-commit.ts), but each still sent its function call (message-writes.ts) as a statement of its own: a round
 * trip, and in PostgreSQL a portal, an executor and a result each. While a group's writes start, their calls are
 * held here, and then the calls of one function go as one statement that calls it once per write, in the writes'
 * order, over arrays of their parameters. Measured on the functions alone (8 writes a statement): PostgreSQL's CPU per
 * message fell by a fifth, the client's by half (docs/performance-history.md, session 17).
 *
 * Each call in the statement is the same function call as alone, with the same locks, and it sees what the calls
 * before it wrote (a volatile function takes a new snapshot for each of its statements). A failing call fails the
 * statement, and so every write in it; the group then runs again one write at a time (group-commit.ts).
 */
import { CompiledQuery } from 'kysely';
import type { Db } from './base.js';
import { preparedStatements } from './prepared-statements.js';

/** A function the message path calls, alone or for a batch; both statements answer its result as `result`. */
export class BatchableCall {
  readonly single: string;
  readonly batched: string;

  /** @param types the PostgreSQL types of the function's parameters, in order */
  constructor(name: string, types: string[]) {
    const places = types.map((type, i) => `$${i + 1}::${type}`);
    const columns = types.map((_, i) => `a.p${i + 1}`);
    this.single = `select ${name}(${places.join(', ')}) as result`;
    this.batched = `select a.i, ${name}(${columns.join(', ')}) as result
      from unnest(${places.map((place) => `${place}[]`).join(', ')}) with ordinality as a(${columns.map((c) => c.slice(2)).join(', ')}, i)`;
    // Parsed and planned once per connection (prepared-statements.ts).
    preparedStatements.register(this.single);
    preparedStatements.register(this.batched);
  }
}

interface Held {
  call: BatchableCall;
  parameters: unknown[];
  resolve(result: unknown): void;
  reject(error: unknown): void;
}

/** The batch holding the calls made in a transaction, while its group's writes start. */
const holding = new WeakMap<Db, StatementBatch>();

/** Calls the function in `tx`: at once, or held with the calls of the writes starting with this one. */
export async function callFunction<Result>(tx: Db, call: BatchableCall, parameters: unknown[]): Promise<Result | null> {
  const batch = holding.get(tx);
  if (batch) return batch.hold(call, parameters) as Promise<Result | null>;
  const query = CompiledQuery.raw(call.single, parameters) as CompiledQuery<{ result: Result | null }>;
  const [row] = (await tx.executeQuery(query)).rows;
  return row?.result ?? null;
}

/**
 * Holds the calls made in `tx` from its creation until `release()`. The group's writes start one after another while
 * it holds (each runs up to its first call without waiting for anything), so their first calls are all held.
 */
export class StatementBatch {
  #held: Held[] = [];
  /** The errors of the statements that failed (each rejected every call in it). */
  readonly #failures = new WeakSet<object>();

  constructor(private readonly tx: Db) {
    holding.set(tx, this);
  }

  hold(call: BatchableCall, parameters: unknown[]): Promise<unknown> {
    return new Promise((resolve, reject) => this.#held.push({ call, parameters, resolve, reject }));
  }

  /** Stops holding (later calls run at once) and runs the held calls: one statement per function. Never throws. */
  async release(): Promise<void> {
    holding.delete(this.tx);
    const byCall = new Map<BatchableCall, Held[]>();
    for (const held of this.#held) {
      const calls = byCall.get(held.call);
      if (calls) calls.push(held);
      else byCall.set(held.call, [held]);
    }
    this.#held = [];
    for (const [call, calls] of byCall) {
      try {
        const results = await this.#run(call, calls);
        for (const [i, held] of calls.entries()) held.resolve(results[i] ?? null);
      } catch (error) {
        if (typeof error === 'object' && error !== null) this.#failures.add(error);
        for (const held of calls) held.reject(error);
      }
    }
  }

  /** Whether `error` is a held call's statement's: that statement wrote nothing. */
  failedWith(error: unknown): boolean {
    return typeof error === 'object' && error !== null && this.#failures.has(error);
  }

  async #run(call: BatchableCall, calls: Held[]): Promise<unknown[]> {
    const [first] = calls;
    if (calls.length === 1 && first) return [await callFunction(this.tx, call, first.parameters)];
    // One array per parameter; `i` (from 1) tells each answer's write.
    const arrays = first?.parameters.map((_, p) => calls.map((held) => held.parameters[p] ?? null)) ?? [];
    const query = CompiledQuery.raw(call.batched, arrays) as CompiledQuery<{ i: string; result: unknown }>;
    const results: unknown[] = [];
    for (const row of (await this.tx.executeQuery(query)).rows) results[Number(row.i) - 1] = row.result;
    return results;
  }
}
