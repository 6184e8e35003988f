/**
 * Hot statements compiled once (server/store/hot-query.ts) on the real database: every call binds its own values in
 * their places, values compiled into the query stay, and a query whose shape would depend on a value is refused.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HotQuery } from '../../server/store/hot-query.js';
import { openTestDatabase } from '../helpers/store-database.js';

test('a statement compiled once stores and finds each call’s own values', async (t) => {
  const { db } = await openTestDatabase(t, 'hot');
  const insert = new HotQuery((args: { key: string; value: string }) => db.insertInto('settings').values({ key: args.key, value: args.value }));
  // `like 'hot-%'` is compiled in; only the value after it is the caller's.
  const find = new HotQuery((args: { value: string }) =>
    db.selectFrom('settings').select('key').where('key', 'like', 'hot-%').where('value', '=', args.value).orderBy('key'),
  );
  for (const [key, value] of [
    ['hot-a', 'one'],
    ['hot-b', 'two'],
    ['cold-c', 'two'],
    ['hot-d', 'two'],
  ]) {
    await insert.execute(db, { key: key as string, value: value as string });
  }
  assert.deepEqual((await find.execute(db, { value: 'two' })).rows, [{ key: 'hot-b' }, { key: 'hot-d' }]);
  assert.deepEqual((await find.execute(db, { value: 'one' })).rows, [{ key: 'hot-a' }]);
  assert.equal(await find.first(db, { value: 'none' }), undefined);

  // An argument that only chooses the query's shape would be compiled in for good: refused at the first call.
  const shaped = new HotQuery((args: { value: string; newestFirst: boolean }) =>
    db
      .selectFrom('settings')
      .select('key')
      .where('value', '=', args.value)
      .orderBy('key', args.newestFirst ? 'desc' : 'asc'),
  );
  await assert.rejects(shaped.execute(db, { value: 'two', newestFirst: true }), /newestFirst not used as values/);
});
