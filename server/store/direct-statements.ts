/**
 * On SQLite, a group's transaction (group-commit.ts) runs its hot statements (hot-query.ts) on the connection itself.
 * Kysely's executor makes each query a chain of promises (the connection provided under a mutex, then released, the
 * result passed through the plugins): for the dozen small statements of a message that was about 4% of the hub's CPU
 * and a fifth of what it allocated (docs/performance-history.md, session 19). Inside a transaction the connection is that
 * transaction's alone (Kysely hands it to nobody else until it ends), and better-sqlite3 runs a statement at once, so
 * running it directly does what Kysely would, without the promises.
 *
 * One difference: Kysely queues a transaction's queries, so one issued before a direct statement but still queued
 * runs after it. The group's writes issue their statements one after another (each awaited), never together.
 */
import type { QueryResult, SqliteDatabase } from 'kysely';
import type { Db } from './base.js';

/** The SQLite connection behind each database db.ts opened. */
const connections = new WeakMap<Db, SqliteDatabase>();
/** The transactions running now whose hot statements go to their connection directly. */
const direct = new WeakMap<Db, SqliteDatabase>();

export function noteSqliteConnection(db: Db, connection: SqliteDatabase): void {
  connections.set(db, connection);
}

/** Runs a transaction's work with its hot statements sent to the connection directly, when `db` is SQLite's. */
export async function withDirectStatements<T>(db: Db, tx: Db, work: () => Promise<T>): Promise<T> {
  const connection = connections.get(db);
  if (!connection) return work();
  direct.set(tx, connection);
  try {
    return await work();
  } finally {
    direct.delete(tx);
  }
}

/** The statement's result, as Kysely's SQLite driver gives it; undefined when `db` does not run statements directly. */
export function runDirectly<Row>(db: Db, sql: string, parameters: readonly unknown[]): QueryResult<Row> | undefined {
  const connection = direct.get(db);
  if (!connection) return undefined;
  const statement = connection.prepare(sql);
  if (statement.reader) return { rows: statement.all(parameters) as Row[] };
  const { changes, lastInsertRowid } = statement.run(parameters);
  return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
}
