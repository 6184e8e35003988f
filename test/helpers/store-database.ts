/** Databases of the store this run uses (SQLite file, or a fresh PostgreSQL database), gone after the test. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { openDatabase } from '../../server/store/db.js';
import { type Dialect, migrationProvider } from '../../server/store/migrations.js';
import type { Database } from '../../server/store/schema.js';
import { withStatementCache } from '../../server/store/sqlite-statements.js';
import { dropTestDatabase, testDatabaseUrl, testPostgresUrl } from './databases.mjs';
import { migratedDatabaseUrl } from './schema-template.js';

type TestContext = { after(fn: () => Promise<void>): void };

/** A database at the current schema. */
export async function openTestDatabase(t: TestContext, name: string): Promise<Awaited<ReturnType<typeof openDatabase>>> {
  const dir = mkdtempSync(join(tmpdir(), `switchboard-${name}-`));
  const opened = await openDatabase(await migratedDatabaseUrl(dir));
  t.after(async () => {
    await opened.db.destroy();
    await dropTestDatabase(dir);
    rmSync(dir, { recursive: true, force: true });
  });
  return opened;
}

export interface OlderSchema {
  db: Kysely<Database>;
  dialect: Dialect;
  /** Upgrades it: `migrator.migrateToLatest()`. */
  migrator: Migrator;
  /** For the test's own connections, which it closes with `alsoClose` (before the database is dropped). */
  url: string;
  alsoClose(close: () => Promise<void>): void;
}

/** An empty database migrated up to `migration` (an older schema), for a test of the migrations after it. */
export async function openAtMigration(t: TestContext, name: string, migration: string): Promise<OlderSchema> {
  const dir = mkdtempSync(join(tmpdir(), `switchboard-${name}-`));
  const url = await testDatabaseUrl(dir);
  const dialect: Dialect = testPostgresUrl() ? 'postgres' : 'sqlite';
  const db = new Kysely<Database>({
    dialect:
      dialect === 'postgres'
        ? new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 2 }) })
        : new SqliteDialect({ database: withStatementCache(new SqliteDatabase(url.replace(/^sqlite:/, ''))) }),
  });
  const closing: (() => Promise<void>)[] = [];
  t.after(async () => {
    for (const close of closing) await close();
    await db.destroy();
    await dropTestDatabase(dir);
    rmSync(dir, { recursive: true, force: true });
  });
  const migrator = new Migrator({ db, provider: migrationProvider(dialect) });
  const { error } = await migrator.migrateTo(migration);
  if (error) throw error;
  return { db, dialect, migrator, url, alsoClose: (close) => closing.push(close) };
}
