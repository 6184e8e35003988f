/**
 * PostgreSQL only: the hub's pool keeps its connections through a quiet spell. Closed after 10 s idle (`pg`'s default),
 * the next inbox list on a year of traffic ran on fresh backends (a new connection, the catalog read again, every
 * shared page it touched mapped anew) and took 72–179 ms instead of 8–24 (docs/performance-history.md, session 30).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { type Kysely, sql } from 'kysely';
import { openDatabase } from '../../server/store/db.js';
import type { Database } from '../../server/store/schema.js';
import { dropTestDatabase, testDatabaseUrl, testPostgresUrl } from '../helpers/databases.mjs';

const skip = testPostgresUrl() ? false : 'PostgreSQL only (SQLite has one connection, kept for the process: store/db.ts)';

/** The server processes behind `width` queries sent at once: each takes its connection before any answer is back. */
async function backends(db: Kysely<Database>, width: number): Promise<number[]> {
  const rows = await Promise.all(Array.from({ length: width }, () => sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(db)));
  return rows.map((result) => result.rows[0]?.pid ?? 0).sort((a, b) => a - b);
}

test('pooled connections stay open through an hour without queries', { skip }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-pool-'));
  const url = await testDatabaseUrl(dir);
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const { db } = await openDatabase(url);
  t.after(async () => {
    t.mock.timers.reset();
    await db.destroy();
    await dropTestDatabase(dir);
    rmSync(dir, { recursive: true, force: true });
  });
  const before = await backends(db, 3);
  assert.equal(new Set(before).size, 3, 'three queries at once ran on three connections');
  t.mock.timers.tick(60 * 60_000);
  assert.deepEqual(await backends(db, 3), before, 'the same three connections answer after the quiet hour');
});
