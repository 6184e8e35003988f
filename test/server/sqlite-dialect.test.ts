/**
 * The SQLite driver's connection lock (server/store/sqlite-dialect.ts): one holder at a time, handed on in the order
 * of asking, and through Kysely a transaction keeps the connection to itself until it ends, however many queries
 * wait for it meanwhile.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as turn } from 'node:timers/promises';
import { test } from 'node:test';
import { sql } from 'kysely';
import { openDatabase } from '../../server/store/db.js';
import { HandoffLock } from '../../server/store/sqlite-dialect.js';
import { testPostgresUrl } from '../helpers/databases.mjs';

const skip = testPostgresUrl() ? 'SQLite only (this run uses PostgreSQL)' : false;

test('the lock has one holder at a time and passes to its waiters in the order they asked', async () => {
  const lock = new HandoffLock();
  const granted: number[] = [];
  let holders = 0;
  const holder = async (id: number) => {
    await lock.lock();
    holders++;
    assert.equal(holders, 1, 'two holders at once');
    granted.push(id);
    await turn(); // hold it across a turn of the loop, as a transaction does
    holders--;
    lock.unlock();
  };
  // Three rounds, so the queue empties and fills again (its slots are reused).
  for (let round = 0; round < 3; round++) {
    const ids = Array.from({ length: 200 }, (_, i) => round * 1000 + i);
    await Promise.all(ids.map(holder));
    assert.deepEqual(granted.splice(0), ids);
  }
  // Free again: the next caller gets it at once.
  await lock.lock();
  lock.unlock();
});

test('a queue that never empties keeps its order while its served slots are dropped', async () => {
  const lock = new HandoffLock();
  await lock.lock();
  const granted: number[] = [];
  // Each holder queues the next two before releasing, so thousands pass through a queue that is never empty.
  let issued = 0;
  let allGranted: () => void = () => undefined;
  const done = new Promise<void>((resolve) => {
    allGranted = resolve;
  });
  const waiter = (id: number): void =>
    void lock.lock().then(() => {
      granted.push(id);
      if (granted.length === 5000) allGranted();
      if (issued < 5000) waiter(issued++);
      if (issued < 5000) waiter(issued++);
      lock.unlock();
    });
  waiter(issued++);
  waiter(issued++);
  lock.unlock();
  await done;
  assert.deepEqual(
    granted,
    Array.from({ length: 5000 }, (_, i) => i),
  );
});

test('a release hands the lock to the first waiter only', async () => {
  const lock = new HandoffLock();
  await lock.lock();
  const got: number[] = [];
  const waiters = [1, 2, 3].map((id) => lock.lock().then(() => got.push(id)));
  lock.unlock();
  await turn();
  assert.deepEqual(got, [1], 'one release, one new holder');
  lock.unlock();
  lock.unlock();
  await Promise.all(waiters);
  assert.deepEqual(got, [1, 2, 3]);
  lock.unlock();
});

test('queries issued during a transaction wait for its end and then run in the order issued', { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-dialect-'));
  const { db } = await openDatabase(`sqlite:${join(dir, 'hub.db')}`);
  try {
    await sql`create table tally (n integer not null)`.execute(db);
    await sql`insert into tally values (0)`.execute(db);
    const seen: number[] = [];
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const transaction = db.transaction().execute(async (tx) => {
      await sql`update tally set n = 1`.execute(tx);
      await held; // the connection stays with the transaction across loop turns
      await sql`update tally set n = 2`.execute(tx);
    });
    await turn();
    const reads = Array.from({ length: 50 }, (_, i) =>
      sql<{ n: number }>`select n from tally`.execute(db).then(({ rows }) => {
        seen.push(i);
        return rows[0]?.n;
      }),
    );
    await turn();
    assert.deepEqual(seen, [], 'a read ran inside the transaction');
    release();
    await transaction;
    assert.deepEqual(await Promise.all(reads), Array(50).fill(2), 'every read sees the committed transaction whole');
    assert.deepEqual(
      seen,
      Array.from({ length: 50 }, (_, i) => i),
    );
  } finally {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
});
