/** Opens the database named by DATABASE_URL (SQLite file or PostgreSQL) and runs migrations. */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect } from 'kysely';
import { noteSqliteConnection } from './direct-statements.js';
import { type Dialect, migrationProvider } from './migrations.js';
import { withPreparedStatements } from './prepared-statements.js';
import type { Database } from './schema.js';
import { CheckpointedSqliteDialect } from './sqlite-dialect.js';
import { withStatementCache } from './sqlite-statements.js';
import { BACKSTOP_PAGES, startWalCheckpointer } from './wal-checkpointer.js';

export interface OpenedDb {
  db: Kysely<Database>;
  dialect: Dialect;
  /** Human-readable description for logs and /health (no password). */
  description: string;
}

/**
 * @param onConnectionLost called when PostgreSQL drops an idle pooled connection (server restart,
 *   failover, admin terminate). The pool replaces it on the next query; without a listener the
 *   'error' event would crash the process.
 * @param onCheckpointError called when SQLite's checkpoint worker fails a turn (wal-checkpointer.ts).
 */
export async function openDatabase(
  url: string,
  onConnectionLost: (error: Error) => void = () => undefined,
  onCheckpointError: (message: string) => void = () => undefined,
): Promise<OpenedDb> {
  let opened: OpenedDb;
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    // Loaded only for PostgreSQL: a SQLite hub (the default) does not load the driver at its start.
    const { default: pg } = await import('pg');
    // Connections are kept, not closed after 10 s idle (`pg`'s default): a fresh backend reads the catalog again and
    // maps every shared page it touches anew, so on a quiet hub an agent's next inbox list at 1,000,000 conversations
    // took 72–179 ms instead of 8–24 (docs/performance-history.md, session 30), and the message path's prepared statements
    // were lost with it. TCP keepalive finds a connection a restart or a firewall dropped; the pool replaces it.
    const pool = new pg.Pool({ connectionString: url, max: 10, idleTimeoutMillis: 0, keepAlive: true });
    pool.on('error', onConnectionLost);
    // The hub's queries are short, and what PostgreSQL does for one it merely estimates as costly (a search at a
    // million conversations: every prefix query is guessed at 2% of the messages) took longer than the query itself:
    // JIT compiling it 35–45 ms; starting two parallel workers to read the one message with a rare word 15–20 ms of
    // the search's 40 (every inbox query at 1M was as fast or faster without them: docs/performance.md). A server that
    // refuses them keeps its defaults: nothing else depends on them.
    // One query (a second, sent before the first finished, is a deprecated use of `pg`).
    pool.on('connect', (client) => void client.query('set jit = off; set max_parallel_workers_per_gather = 0').catch(() => undefined));
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: withPreparedStatements(pool) }) });
    opened = { db, dialect: 'postgres', description: `postgres ${new URL(url).host}${new URL(url).pathname}` };
  } else {
    const file = resolve(url.replace(/^sqlite:(\/\/)?/, '') || './data/switchboard.db');
    mkdirSync(dirname(file), { recursive: true });
    const database = new SqliteDatabase(file);
    // WAL: readers never block the writer; NORMAL sync is durable across process crashes
    // (a committed transaction survives SIGKILL; only an OS crash can lose the last commits).
    // `exec`, not `pragma`: `pragma` prepares a statement and drops it, and a dropped statement is what
    // sqlite-statements.ts must never leave behind (it can abort the process on Node 24).
    // A page cache of up to 128 MiB, not SQLite's 2 MB: at 1,000,000 conversations one inbox list touches a few
    // thousand pages, and the next list evicted them, so each re-read its pages from the OS (a system call a page).
    // An agent's search took 54–63 ms with 2 MB, 53–55 with 16, 28–29 with 64 and with 256 (docs/performance-history.md,
    // session 31). Pages are held only once read: a small site's hub never grows to it.
    database.exec(`
      pragma journal_mode = WAL;
      pragma synchronous = NORMAL;
      pragma busy_timeout = 5000;
      pragma cache_size = -131072; -- KiB
      pragma foreign_keys = ON;
      pragma secure_delete = ON; -- deleted rows are zeroed on disk, see secure-delete.ts
      pragma wal_autocheckpoint = ${BACKSTOP_PAGES}; -- checkpoints run in a worker: wal-checkpointer.ts
    `);
    const checkpointer = startWalCheckpointer(file, onCheckpointError);
    const connection = withStatementCache(database);
    const db = new Kysely<Database>({ dialect: new CheckpointedSqliteDialect({ database: connection }, checkpointer) });
    noteSqliteConnection(db, connection); // for the message path's transactions: direct-statements.ts
    opened = { db, dialect: 'sqlite', description: `sqlite ${file}` };
  }
  const migrator = new Migrator({ db: opened.db, provider: migrationProvider(opened.dialect) });
  const { error } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return opened;
}
