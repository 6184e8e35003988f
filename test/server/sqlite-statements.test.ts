/**
 * The SQLite connection Kysely's driver is given (server/store/sqlite-statements.ts) builds rows itself from raw
 * mode: every row must be the one better-sqlite3 would have made, whatever the statement returns. And it leaves no
 * statement or connection for the garbage collector, which on Node 24.19+ can abort the process.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import SqliteDatabase from 'better-sqlite3';
import { sql } from 'kysely';
import { openDatabase } from '../../server/store/db.js';
import { withStatementCache } from '../../server/store/sqlite-statements.js';
import { testPostgresUrl } from '../helpers/databases.mjs';

const skip = testPostgresUrl() ? 'SQLite only (this run uses PostgreSQL)' : false;

/** This file's own connections and statements, never left to the garbage collector either. */
const keptForGood: object[] = [];

function database(): SqliteDatabase.Database {
  const database = new SqliteDatabase(':memory:');
  keptForGood.push(database);
  database.exec(`
    create table people (id integer primary key, name text, score real, photo blob, note text);
    create table pets (id integer primary key, owner_id integer, name text);
    insert into people values (1, 'Ann', 2.5, x'00ff', null), (2, 'Émile “Bo”', -1, null, 'x');
    insert into pets values (10, 1, 'Rex'), (11, 1, 'Tom'), (12, 2, null);
  `);
  return database;
}

test('rows built from raw mode are the rows better-sqlite3 builds', { skip }, () => {
  const plain = database();
  const cached = withStatementCache(plain);
  const cases: [string, unknown[]][] = [
    ['select * from people order by id', []],
    ['select * from people where id = ?', [2]],
    ['select * from people where id = ?', [99]], // no row
    // Two columns named `id` and `name`: the later one wins, as in better-sqlite3's own objects.
    ['select p.*, pets.* from people p join pets on pets.owner_id = p.id order by pets.id', []],
    ['select count(*), max(score) as "odd name ""quoted""", ? as "__value" from people', ['bound']],
    ['update pets set name = ? where owner_id = ? returning *', ['Kit', 1]],
    ['insert into people (name) values (?) returning id, name, score', ['Cy']],
  ];
  for (const [sql, parameters] of cases) {
    // The reference runs first on a copy of the data, so a writing statement meets the same rows in both.
    const reference = database();
    const referenceStatement = reference.prepare(sql);
    const expected = referenceStatement.all(parameters);
    reference.close();
    keptForGood.push(reference, referenceStatement); // as the store does (see the last test)
    const statement = cached.prepare(sql);
    assert.equal(statement.reader, true, sql);
    assert.deepEqual(statement.all(parameters), expected, sql);
    if (sql.startsWith('select')) assert.deepEqual([...statement.iterate(parameters)], expected, sql);
  }
  // The same text is prepared once, and keeps its row shape.
  assert.equal(cached.prepare('select * from people where id = ?'), cached.prepare('select * from people where id = ?'));
  assert.deepEqual(cached.prepare('select * from people where id = ?').all([1]), [
    { id: 1, name: 'Ann', score: 2.5, photo: Buffer.from([0, 255]), note: null },
  ]);
  // A statement that returns nothing still runs as before.
  assert.equal(cached.prepare('delete from pets where id = ?').run([12]).changes, 1);
  plain.close();
});

test('a SQLite store leaves no statement or connection to the garbage collector, open or closed', { skip }, async (t) => {
  // Every statement better-sqlite3 prepares in this process, and every connection that prepares one, is watched; a
  // sentinel shows when a full collection and its finalizers have run. `pragma` prepares a statement inside the
  // driver and drops it at once, so a call to it counts as collected.
  const collected: string[] = [];
  const watch = new FinalizationRegistry<string>((what) => collected.push(what));
  const { prepare, pragma } = SqliteDatabase.prototype;
  SqliteDatabase.prototype.pragma = function (this: SqliteDatabase.Database, source: string, options?: SqliteDatabase.PragmaOptions) {
    collected.push(`pragma ${source}`);
    return pragma.call(this, source, options);
  } as typeof pragma;
  const connections = new WeakSet<object>();
  SqliteDatabase.prototype.prepare = function (this: SqliteDatabase.Database, source: string) {
    if (!connections.has(this)) {
      connections.add(this);
      watch.register(this, 'a connection');
    }
    const statement = prepare.call(this, source);
    watch.register(statement, `statement: ${source}`);
    return statement;
  } as typeof prepare;
  // A statement's iterator (`iterate`, which Kysely's `stream()` calls) is a native object of its own.
  const probe = new SqliteDatabase(':memory:');
  const probeStatement = probe.prepare('select 1');
  keptForGood.push(probe, probeStatement);
  const statementPrototype = Object.getPrototypeOf(probeStatement) as SqliteDatabase.Statement;
  const { iterate } = statementPrototype;
  statementPrototype.iterate = function (this: SqliteDatabase.Statement, ...parameters: unknown[]) {
    const iterator = iterate.apply(this, parameters);
    watch.register(iterator, `iterator: ${this.source}`);
    return iterator;
  } as typeof iterate;
  t.after(() => {
    Object.assign(SqliteDatabase.prototype, { prepare, pragma });
    statementPrototype.iterate = iterate;
  });
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-statements-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));

  await (async () => {
    const { db } = await openDatabase(`sqlite:${join(dir, 'store.db')}`); // migrations: a few hundred statements
    try {
      for (let i = 0; i < 20; i++) await sql`select ${i} as n, ${'x'.repeat(i)} as s`.execute(db);
      await db.insertInto('settings').values({ key: 'streamed', value: '"yes"' }).execute();
      const streamed = [];
      for await (const row of db.selectFrom('settings').select('value').where('key', '=', 'streamed').stream()) streamed.push(row.value);
      assert.deepEqual(streamed, ['"yes"']);
    } finally {
      await db.destroy();
    }
  })();

  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  let sentinelCollected = false;
  const sentinel = new FinalizationRegistry(() => {
    sentinelCollected = true;
  });
  sentinel.register({}, undefined);
  for (let turn = 0; turn < 50 && !sentinelCollected; turn++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
  assert.ok(sentinelCollected, 'a full collection ran and its finalizers were called');
  gc();
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(collected, []);
});
