/**
 * The message path's statements, compiled once. Kysely builds and compiles a query anew on every call: about a
 * fifth of the hub's CPU per stored message in the profile (docs/performance.md), as much as SQLite spent running
 * the statements. The few statements a message runs have a fixed shape, so each is built once, with placeholders
 * where the caller's values go, and every later call binds that call's values in their places.
 *
 * A hot query's shape must not depend on its values (no `$if` on an argument): a different shape is a different
 * HotQuery. Values built into the query itself (a `limit 1`, a status constant) stay as they were compiled.
 * On PostgreSQL each also runs as a named prepared statement (prepared-statements.ts); on SQLite, inside a group's
 * transaction, on the connection directly (direct-statements.ts).
 */
import { type Compilable, CompiledQuery, type QueryResult } from 'kysely';
import type { Db } from './base.js';
import { runDirectly } from './direct-statements.js';
import { preparedStatements } from './prepared-statements.js';

/** Marks a placeholder among a compiled query's parameters; no value a caller sends starts with a NUL character. */
const MARK = '\u0000hot-query:';

/** The compiled SQL, and for each of its parameters: the argument that goes there, or the value compiled in. */
interface Compiled<Args> {
  sql: string;
  slots: ({ arg: keyof Args } | { constant: unknown })[];
}

export class HotQuery<Args extends Record<string, unknown>, Row> {
  #compiled: Compiled<Args> | undefined;

  /**
   * @param build the query, written with the builder as usual; it is called once, with a placeholder for each
   *   argument, and must use every argument as a value (not to choose the query's shape).
   */
  constructor(private readonly build: (args: Args) => Compilable<Row>) {}

  async execute(db: Db, args: Args): Promise<QueryResult<Row>> {
    this.#compiled ??= this.#compile(args);
    const parameters = this.#compiled.slots.map((slot) => ('arg' in slot ? args[slot.arg] : slot.constant));
    return runDirectly<Row>(db, this.#compiled.sql, parameters) ?? db.executeQuery(CompiledQuery.raw(this.#compiled.sql, parameters) as CompiledQuery<Row>);
  }

  async first(db: Db, args: Args): Promise<Row | undefined> {
    return (await this.execute(db, args)).rows[0];
  }

  #compile(example: Args): Compiled<Args> {
    const placeholders = Object.fromEntries(Object.keys(example).map((name) => [name, `${MARK}${name}`])) as Args;
    const { sql, parameters } = this.build(placeholders).compile();
    const slots = parameters.map((value) =>
      typeof value === 'string' && value.startsWith(MARK) ? { arg: value.slice(MARK.length) as keyof Args } : { constant: value },
    );
    const used = new Set(slots.flatMap((slot) => ('arg' in slot ? [slot.arg] : [])));
    const unused = Object.keys(example).filter((name) => !used.has(name));
    if (unused.length > 0) throw new Error(`HotQuery: ${unused.join(', ')} not used as values in: ${sql}`);
    preparedStatements.register(sql); // on PostgreSQL: parsed and planned once per connection
    return { sql, slots };
  }
}
