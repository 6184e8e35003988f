/**
 * Test databases that start at the current schema. On PostgreSQL a fresh database took about half a second before a
 * test could use it: 150 ms to create, 330 to run every migration (statements, functions, triggers). The PostgreSQL
 * run starts hundreds of hubs, and it is the longest lane of `npm run test:server`. So the migrations run once, into a
 * template database, and each hub gets a copy of it (a copy takes about as long as an empty database).
 *
 * The template's name hashes every file of server/store (the migrations import nothing else but types): a change to
 * the store's code makes a new template, so no test runs on a schema the code no longer makes
 * (test/server/schema-template.test.ts checks a copy against a fresh migration). The tests of the migrations start
 * from empty databases (`testDatabaseUrl` without a template), as do the hubs that tests spawn as processes. SQLite's
 * migrations take about 30 ms: its databases are made as before.
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../../server/store/db.js';
import { testDatabaseUrl, testPostgresUrl, withServer } from './databases.mjs';

const STORE = fileURLToPath(new URL('../../server/store/', import.meta.url));

/** Per process: the template is made (or found) once. */
let template: Promise<string> | undefined;

function templateName(): string {
  const hash = createHash('sha1');
  for (const file of readdirSync(STORE).sort()) hash.update(file).update(readFileSync(join(STORE, file)));
  return `sb_template_${hash.digest('hex').slice(0, 20)}`;
}

/**
 * Makes the template unless it exists. Test processes run at the same time (the PostgreSQL and two-hub lanes), so
 * one makes it under an advisory lock while the others wait; it is built under another name and renamed when done,
 * so no process ever copies a half-migrated one.
 */
async function ensureTemplate(base: string): Promise<string> {
  const name = templateName();
  await withServer(base, async (client) => {
    await client.query('select pg_advisory_lock(hashtext($1))', [name]); // released when the client ends
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (rowCount) return;
    const building = `${name}_building`;
    await client.query(`DROP DATABASE IF EXISTS ${building} WITH (FORCE)`); // a process killed while building
    await client.query(`CREATE DATABASE ${building}`);
    const url = new URL(base);
    url.pathname = `/${building}`;
    const opened = await openDatabase(url.toString());
    await opened.db.destroy();
    // PostgreSQL waits (up to 5 s) for the migration's connections to end before renaming or copying a database.
    await client.query(`ALTER DATABASE ${building} RENAME TO ${name}`);
    // Templates of earlier code go; one that another checkout is copying from right now stays (best effort).
    const { rows } = await client.query<{ datname: string }>("select datname from pg_database where datname like 'sb\\_template\\_%' and datname <> $1", [
      name,
    ]);
    for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS ${datname}`).catch(() => undefined);
  });
  return name;
}

/** The DATABASE_URL for a hub using `dir`: on PostgreSQL a copy of the current schema's template. */
export async function migratedDatabaseUrl(dir: string): Promise<string> {
  const base = testPostgresUrl();
  if (!base) return testDatabaseUrl(dir);
  template ??= ensureTemplate(base);
  try {
    return await testDatabaseUrl(dir, base, await template);
  } catch (error) {
    // 3D000: the template is gone. Tests of another checkout, at other code, made theirs and dropped this one.
    if ((error as { code?: string }).code !== '3D000') throw error;
    template = ensureTemplate(base);
    return testDatabaseUrl(dir, base, await template);
  }
}
