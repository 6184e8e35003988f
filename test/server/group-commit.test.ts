/**
 * Group commit (server/store/group-commit.ts) on the real database: writes that arrive together share one
 * transaction, each resolves only once it is committed (a second connection already sees it), and a failing write
 * rolls back alone. On PostgreSQL writes that may be alone run outside a transaction (each statement is its own), and
 * one that finds it needs a transaction after all runs again in one, before the later writes of its contact.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Db } from '../../server/store/base.js';
import { openDatabase } from '../../server/store/db.js';
import { NeedsTransaction } from '../../server/store/group-commit.js';
import { Store } from '../../server/store/store.js';
import { dropTestDatabase, testDatabaseUrl } from '../helpers/databases.mjs';

async function twoStores(t: { after(fn: () => Promise<void>): void }): Promise<[Store, Store]> {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-group-'));
  const url = await testDatabaseUrl(dir);
  const first = await openDatabase(url);
  // A second, independent connection: it sees only what was committed.
  const second = await openDatabase(url);
  const stores: [Store, Store] = [new Store(first.db, first.dialect), new Store(second.db, second.dialect)];
  t.after(async () => {
    await Promise.all(stores.map((s) => s.close()));
    await dropTestDatabase(dir);
    rmSync(dir, { recursive: true, force: true });
  });
  return stores;
}

const setting = (tx: Db, key: string, value: string) => tx.insertInto('settings').values({ key, value }).execute();

test('writes arriving together share a transaction, and each resolves only after its commit', async (t) => {
  const [store, observer] = await twoStores(t);
  const transactions = new Set<Db>();
  const seenByOthersOnResolve: boolean[] = [];
  await Promise.all(
    Array.from({ length: 50 }, async (_, i) => {
      const key = `group-${i}`;
      await store.grouped('contact-1', async (tx) => {
        transactions.add(tx);
        await setting(tx, key, String(i));
      });
      // Acknowledged: another connection must already see the row.
      const row = await observer.db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
      seenByOthersOnResolve.push(row?.value === String(i));
    }),
  );
  assert.equal(seenByOthersOnResolve.length, 50);
  assert.ok(seenByOthersOnResolve.every(Boolean), 'a write resolved before another connection could see it');
  // 50 writes of one turn (one contact, so one lane) went in one transaction, not 50.
  assert.equal(transactions.size, 1, `${transactions.size} transactions for 50 writes`);
});

test('a failing write rolls back alone; the others of its group commit', async (t) => {
  const [store] = await twoStores(t);
  const outcomes = await Promise.allSettled(
    Array.from({ length: 10 }, (_, i) =>
      store.grouped(`contact-${i}`, async (tx) => {
        await setting(tx, `part-${i}`, 'written');
        if (i === 4) throw new Error('bad input');
        // A duplicate key fails in the database itself (on PostgreSQL that aborts the transaction without a savepoint).
        if (i === 7) await setting(tx, `part-${i}`, 'again');
      }),
    ),
  );
  assert.deepEqual(
    outcomes.map((o) => o.status),
    ['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled'],
  );
  const rows = await store.db.selectFrom('settings').select('key').where('key', 'like', 'part-%').orderBy('key').execute();
  assert.deepEqual(
    rows.map((r) => r.key),
    ['part-0', 'part-1', 'part-2', 'part-3', 'part-5', 'part-6', 'part-8', 'part-9'],
    'the failed writes left nothing; the others are stored',
  );
});

test('writes that may be alone are their own transactions (PostgreSQL); one that needs a transaction runs again in one', async (t) => {
  const [store, observer] = await twoStores(t);
  const postgres = store.dialect === 'postgres';
  const stored = async (key: string) => (await observer.db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst())?.value;

  // Alone and allowed to be: on PostgreSQL no BEGIN/COMMIT (SQLite ignores `alone`: a transaction costs no round trip).
  const inTransaction: boolean[] = [];
  await store.grouped(
    'contact-1',
    async (db) => {
      inTransaction.push(db.isTransaction);
      await setting(db, 'alone', 'written');
    },
    true,
  );
  assert.deepEqual(inTransaction, [!postgres]);
  assert.equal(await stored('alone'), 'written', 'acknowledged before another connection could see it');

  // Alone, but it needs a transaction after all: it wrote nothing, and runs again in one.
  const runs: boolean[] = [];
  await store.grouped(
    'contact-1',
    async (db) => {
      runs.push(db.isTransaction);
      if (!db.isTransaction) throw new NeedsTransaction();
      await setting(db, 'needed', 'written');
    },
    true,
  );
  assert.deepEqual(runs, postgres ? [false, true] : [true]);
  assert.equal(await stored('needed'), 'written');

  // Alone, and failing in the database: refused with its own error, nothing written.
  await assert.rejects(
    store.grouped('contact-1', (db) => setting(db, 'alone', 'again'), true),
    (error: { code?: string }) => ['23505', 'SQLITE_CONSTRAINT_PRIMARYKEY', 'SQLITE_CONSTRAINT_UNIQUE'].includes(error.code ?? ''),
  );
  assert.equal(await stored('alone'), 'written');

  // Several arriving together that all may be alone: outside a transaction too (PostgreSQL), their calls together.
  // One that needs a transaction runs again in one, and so do the later writes of its contact: they keep their order.
  const ran = new Map<string, boolean[]>();
  const order: string[] = [];
  await Promise.all(
    ['first', 'needs', 'after'].map((key) =>
      store.grouped(
        'contact-2',
        async (db) => {
          ran.set(key, [...(ran.get(key) ?? []), db.isTransaction]);
          if (key === 'needs' && !db.isTransaction) throw new NeedsTransaction();
          await setting(db, key, 'written');
          order.push(key);
        },
        true,
      ),
    ),
  );
  assert.deepEqual(
    Object.fromEntries(ran),
    postgres ? { first: [false], needs: [false, true], after: [true] } : { first: [true], needs: [true], after: [true] },
  );
  assert.deepEqual(order, ['first', 'needs', 'after']);
  for (const key of order) assert.equal(await stored(key), 'written');
});
