/**
 * The SQLite connection as Kysely's driver sees it: each SQL text prepared once, and rows built in JavaScript.
 *
 * Kysely's SQLite driver prepares every statement anew; preparing cost about as much as running the hub's small
 * queries (12% of the hub's CPU under load in the profile). The hub issues a few hundred distinct SQL strings at
 * most (the whole test suite: 653, and at most 250 on one connection), so their prepared statements are kept. Kysely
 * runs one query at a time on this connection, so a statement is never used by two queries at once.
 *
 * Kept for good, and never left to the garbage collector: neither a statement nor the connection. better-sqlite3 12
 * wraps them in Node's `ObjectWrap`, whose destructor on Node 24.19 and later asks for the current Node environment
 * and aborts the process when a collection runs while there is none (a SIGABRT in `RemoveEnvironmentCleanupHook`,
 * seen in 19 of the test files on Node 24.21; WiseLibs/better-sqlite3#1515, closed without a fix in 12.x; 13.x
 * needs Node 22). So nothing is evicted, and a closed connection's objects stay referenced until the process ends:
 * one connection for a hub, a few dozen in a test process.
 *
 * better-sqlite3 builds a row object by setting its properties one by one through V8's API, which cost as much as
 * finding and reading the row: a conversation's 27 columns took 9 µs, 3 of them in the property sets. A message
 * reads or returns two such rows (docs/performance-history.md, session 15). So a statement that returns rows runs in raw
 * mode (each row an array) and a function made once for its column list builds each row as one object literal,
 * which V8 creates with a fixed shape. The rows are the same: same names, same values, and where two columns share
 * a name the later one wins, as in better-sqlite3's own objects.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

type Row = Record<string, unknown>;

/** Every connection given to `withStatementCache`, and its cache (every statement): kept for the process's life. */
const keptForGood: object[] = [];

export function withStatementCache(database: BetterSqlite3.Database): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  keptForGood.push(database, cache);
  return {
    close: () => database.close(),
    prepare(sql: string): SqliteStatement {
      let statement = cache.get(sql);
      if (!statement) {
        statement = withRowsBuilt(database.prepare(sql));
        cache.set(sql, statement);
      }
      return statement;
    },
  };
}

function withRowsBuilt(statement: BetterSqlite3.Statement): SqliteStatement {
  if (!statement.reader) return statement;
  const names = statement.columns().map((column) => column.name);
  // In an object literal `"__proto__": v` sets the prototype; no query of ours names a column so, but stay exact.
  if (names.includes('__proto__')) return statement;
  const toRow = rowBuilder(names);
  statement.raw(true);
  return {
    reader: true,
    all: (parameters) => (statement.all(parameters) as unknown[][]).map(toRow),
    run: (parameters) => statement.run(parameters),
    // From `all`, not better-sqlite3's `iterate`, whose iterator is one more native object for the collector (above).
    // Nothing of the hub streams rows (Kysely's `stream()`), so reading them at once costs nothing.
    *iterate(parameters) {
      for (const values of statement.all(parameters) as unknown[][]) yield toRow(values);
    },
  };
}

/** `(values) => ({ name0: values[0], … })` for these column names (quoted as JSON: any name is a valid key). */
function rowBuilder(names: readonly string[]): (values: unknown[]) => Row {
  const properties = names.map((name, index) => `${JSON.stringify(name)}: values[${index}]`);
  return new Function('values', `return { ${properties.join(', ')} };`) as (values: unknown[]) => Row;
}
