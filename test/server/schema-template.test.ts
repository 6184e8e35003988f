/**
 * The PostgreSQL run's hubs start from copies of a template database (test/helpers/schema-template.ts). The suite only
 * proves the code when the template is what the migrations make today: this compares a copy with a database the
 * migrations have just made, object by object.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { openDatabase } from '../../server/store/db.js';
import { dropTestDatabase, testDatabaseUrl, testPostgresUrl, withServer } from '../helpers/databases.mjs';
import { migratedDatabaseUrl } from '../helpers/schema-template.js';

const skip = testPostgresUrl() ? false : 'PostgreSQL only (SQLite databases are migrated by each hub)';

/** What a database's schema holds, each object as PostgreSQL prints it back. */
const CATALOG = [
  `select table_name, column_name, data_type, is_nullable, column_default from information_schema.columns
    where table_schema = 'public' order by 1, 2`,
  "select indexname, indexdef from pg_indexes where schemaname = 'public' order by 1",
  `select c.relname, t.tgname, pg_get_triggerdef(t.oid) from pg_trigger t join pg_class c on c.oid = t.tgrelid
    where not t.tgisinternal order by 1, 2`,
  "select proname, pg_get_function_identity_arguments(oid), md5(prosrc) from pg_proc where pronamespace = 'public'::regnamespace order by 1, 2",
  "select conname, pg_get_constraintdef(oid) from pg_constraint where connamespace = 'public'::regnamespace order by 1, 2",
  'select name from kysely_migration order by name',
];

async function catalog(url: string): Promise<unknown[][]> {
  const results: unknown[][] = [];
  await withServer(url, async (client) => {
    for (const query of CATALOG) results.push((await client.query(query)).rows);
  });
  return results;
}

test('a copy of the template holds what the migrations make from an empty database', { skip }, async (t) => {
  const copyDir = mkdtempSync(join(tmpdir(), 'switchboard-template-copy-'));
  const freshDir = mkdtempSync(join(tmpdir(), 'switchboard-template-fresh-'));
  t.after(async () => {
    for (const dir of [copyDir, freshDir]) {
      await dropTestDatabase(dir);
      rmSync(dir, { recursive: true, force: true });
    }
  });
  const copy = await migratedDatabaseUrl(copyDir);
  const fresh = await testDatabaseUrl(freshDir);
  const opened = await openDatabase(fresh);
  await opened.db.destroy();

  const [copied, migrated] = [await catalog(copy), await catalog(fresh)];
  assert.ok((migrated[0]?.length ?? 0) > 100, 'the migrations made the schema');
  assert.deepEqual(copied, migrated);
});
