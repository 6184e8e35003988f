/**
 * Two hubs on one PostgreSQL database fold the tab counts' deltas at once (server/store/count-totals.ts) while both
 * write: every change is counted once (the advisory lock and the one-statement move), as the definition counts it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { CountTotals } from '../../server/store/count-totals.js';
import { openDatabase } from '../../server/store/db.js';
import { dropTestDatabase, testDatabaseUrl } from '../helpers/databases.mjs';
import { assertCounts, at, conversation } from '../helpers/count-reference.js';

const postgres = process.env.TEST_POSTGRES_URL;
if (!postgres) throw new Error('TEST_POSTGRES_URL must be set (see .ci/services)');

test('two hubs on one database folding at once while both write count every change once', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-counts-cluster-'));
  const url = await testDatabaseUrl(dir, postgres);
  const [one, two] = [await openDatabase(url), await openDatabase(url)];
  t.after(async () => {
    await Promise.all([one.db.destroy(), two.db.destroy()]);
    await dropTestDatabase(dir, postgres);
    rmSync(dir, { recursive: true, force: true });
  });
  const first = { db: one.db, totals: new CountTotals(one.db, one.dialect) };
  const second = { db: two.db };
  const other = new CountTotals(two.db, two.dialect);
  let folding = true;
  const folds = (async () => {
    while (folding) await Promise.all([first.totals.compact(), other.compact()]);
  })();
  for (let round = 0; round < 20; round++) {
    const db = round % 2 === 0 ? first.db : second.db;
    await Promise.all(
      Array.from({ length: 10 }, async (_, i) => {
        const id = `c-${round}-${i}`;
        await db
          .insertInto('conversations')
          .values(conversation(id, at(1, i)))
          .execute();
        await db
          .updateTable('conversations')
          .set({ unreplied_count: 2, holder_id: i % 2 ? 'ann' : null })
          .where('id', '=', id)
          .execute();
        if (i % 3 === 0)
          await db
            .deleteFrom('conversations')
            .where('id', '=', `c-${round - 1}-${i}`)
            .execute();
      }),
    );
  }
  folding = false;
  await folds;
  await assertCounts(first.db, first.totals, 'while folding');
  await first.totals.compact();
  await assertCounts(first.db, first.totals, 'folded');
});
