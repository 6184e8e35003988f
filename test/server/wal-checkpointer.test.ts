/**
 * SQLite's checkpoints run in a worker thread (server/store/wal-checkpointer.ts), not in the commits of the hub's
 * connection: what the hub commits reaches the database file itself shortly after, although the WAL is far below
 * the size at which the hub's connection would checkpoint, and the hub's own threshold is the backstop's. A
 * deletion's truncation of the WAL (secure-delete.ts) still happens when it meets the worker's checkpoint.
 */
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import SqliteDatabase from 'better-sqlite3';
import { sql } from 'kysely';
import { openDatabase } from '../../server/store/db.js';
import { scrubDeleted } from '../../server/store/secure-delete.js';
import { withStatementCache } from '../../server/store/sqlite-statements.js';
import { BACKSTOP_PAGES, WAL_KEPT_BYTES } from '../../server/store/wal-checkpointer.js';
import { testPostgresUrl } from '../helpers/databases.mjs';

/**
 * The settings row as the database file alone has it: a copy without its WAL shows only checkpointed pages. A copy
 * taken while the worker is writing a checkpoint's pages into the file may be half old, half new (until a checkpoint
 * ends, only the WAL makes the file whole): such a copy reads as malformed, and counts as not copied yet.
 */
function inDatabaseFile(dir: string, file: string, key: string): string | undefined {
  const copy = join(dir, 'without-wal.db');
  copyFileSync(file, copy);
  // Through the hub's statement cache, which leaves nothing to the garbage collector (sqlite-statements.ts).
  const database = withStatementCache(new SqliteDatabase(copy, { readonly: true }));
  try {
    if (database.prepare("select 1 from sqlite_master where name = 'settings'").all([]).length === 0) return undefined; // not yet copied either
    return (database.prepare('select value from settings where key = ?').all([key])[0] as { value: string } | undefined)?.value;
  } catch (error) {
    if ((error as { code?: string }).code === 'SQLITE_CORRUPT') return undefined; // a checkpoint in progress
    throw error;
  } finally {
    database.close();
  }
}

/** A hub's SQLite database (with its checkpoint worker) in a directory of its own, removed after the test. */
async function openInTempDir(t: { after(fn: () => Promise<void>): void }) {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-checkpoint-'));
  const file = join(dir, 'hub.db');
  const { db } = await openDatabase(`sqlite:${file}`);
  t.after(async () => {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });
  return { dir, file, db };
}

test('what the hub commits reaches the database file without a checkpoint in its own connection', {
  skip: testPostgresUrl() ? 'SQLite only (this run uses PostgreSQL)' : false,
}, async (t) => {
  const { dir, file, db } = await openInTempDir(t);
  const { rows } = await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(db);
  assert.equal(rows[0]?.wal_autocheckpoint, BACKSTOP_PAGES, "the hub's connection checkpoints only as a backstop");

  // One small commit: a handful of WAL pages, far below any connection's automatic checkpoint.
  await db.insertInto('settings').values({ key: 'checkpointed', value: 'yes' }).execute();
  const deadline = Date.now() + 5000;
  let found = inDatabaseFile(dir, file, 'checkpointed');
  while (found === undefined && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20)); // polling the file: the worker's turn comes on its own
    found = inDatabaseFile(dir, file, 'checkpointed');
  }
  assert.equal(found, 'yes', 'the commit was copied into the database file by the worker');
});

test('every deletion empties the WAL, also when it meets the worker copying pages', {
  skip: testPostgresUrl() ? 'SQLite only (this run uses PostgreSQL)' : false,
}, async (t) => {
  const { file, db } = await openInTempDir(t);
  // SQLite does not wait for another connection's checkpoint: a truncation that meets one reports busy and leaves
  // the WAL (and the deleted rows' old pages) as it was. The worker checkpoints every 100 ms; 600 deletions a few
  // milliseconds apart meet it at every moment of its turn (before the retry, a few in each run did).
  const kept: number[] = [];
  for (let i = 0; i < 600; i++) {
    const rows = Array.from({ length: 20 }, (_, j) => ({ key: `erase-${i}-${j}`, value: 'x'.repeat(400) }));
    await db.insertInto('settings').values(rows).execute();
    await db.deleteFrom('settings').where('key', 'like', `erase-${i}-%`).execute();
    await scrubDeleted(db, 'sqlite');
    if (statSync(`${file}-wal`).size !== 0) kept.push(i);
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 5)); // spreads the deletions over the worker's turns
  }
  assert.deepEqual(kept, [], 'deletions after which the WAL kept its pages');
});

test('once the database is closed its files stay as they are: the worker has exited and its directory can go', {
  skip: testPostgresUrl() ? 'SQLite only (this run uses PostgreSQL)' : false,
}, async () => {
  // A short-lived hub (a test's) closes while the worker may be starting a turn, which opens the WAL and its index
  // again: removing the directory then met files appearing in it (ENOTEMPTY in a fresh-clone CI run).
  for (let i = 0; i < 40; i++) {
    const dir = mkdtempSync(join(tmpdir(), 'switchboard-checkpoint-'));
    const { db } = await openDatabase(`sqlite:${join(dir, 'hub.db')}`);
    await db.insertInto('settings').values({ key: 'k', value: 'v' }).execute();
    await new Promise((resolve) => setTimeout(resolve, (i * 7) % 130)); // closes at every moment of the worker's turn
    await db.destroy();
    const left = readdirSync(dir);
    rmSync(dir, { recursive: true });
    assert.deepEqual(left, ['hub.db'], 'the last connection to close removed the WAL and its index');
    assert.equal(existsSync(dir), false);
  }
});

test('a WAL that a burst grew past 64 MiB is emptied once the hub is quiet, and keeps every commit', {
  skip: testPostgresUrl() ? 'SQLite only (this run uses PostgreSQL)' : false,
}, async (t) => {
  const { file, db } = await openInTempDir(t);
  // A reader's snapshot keeps the checkpoints from reaching the end of the WAL, so the writes below pile up in it, as
  // commits every millisecond do (wal-checkpointer.ts). Through the statement cache: nothing left to the collector.
  const reader = withStatementCache(new SqliteDatabase(file));
  reader.prepare('begin').run([]);
  reader.prepare('select count(*) from settings').all([]);
  const megabyte = 'x'.repeat(1024 * 1024);
  for (let i = 0; i < 70; i++)
    await db
      .insertInto('settings')
      .values({ key: `burst-${i}`, value: megabyte })
      .execute();
  assert.ok(statSync(`${file}-wal`).size > WAL_KEPT_BYTES, 'the burst grew the WAL past what is kept');
  reader.prepare('commit').run([]);
  reader.close();

  const deadline = Date.now() + 10_000;
  while (statSync(`${file}-wal`).size > WAL_KEPT_BYTES && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50)); // polling the file: the worker's turns come on their own
  }
  assert.ok(statSync(`${file}-wal`).size <= WAL_KEPT_BYTES, `the WAL still holds ${statSync(`${file}-wal`).size} bytes`);
  const { rows } = await sql<{ n: number; bytes: number }>`select count(*) as n, sum(length(value)) as bytes from settings where key like 'burst-%'`.execute(
    db,
  );
  assert.deepEqual(rows[0], { n: 70, bytes: 70 * megabyte.length }, 'every commit of the burst is in the database');
});
