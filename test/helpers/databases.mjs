// Where a test hub keeps its data: a SQLite file in the hub's temp directory by default, or,
// when TEST_DATABASE_URL names a PostgreSQL server, a fresh database per hub directory (so tests
// never see each other's rows, and a restarted hub on the same directory finds its data again),
// empty or a copy of a template (test/helpers/schema-template.ts).
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';

/** @returns {string | undefined} */
export function testPostgresUrl() {
  const url = process.env.TEST_DATABASE_URL;
  return url && /^postgres(ql)?:\/\//.test(url) ? url : undefined;
}

/** @param {string} dir */
function databaseName(dir) {
  return `sb_test_${createHash('sha1').update(dir).digest('hex').slice(0, 20)}`;
}

/** @param {string} base @param {(client: pg.Client) => Promise<void>} work */
export async function withServer(base, work) {
  const client = new pg.Client({ connectionString: base });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}

/**
 * @param {string} dir the hub's temp directory
 * @param {string} [base] a PostgreSQL URL to create the database on (default: TEST_DATABASE_URL)
 * @param {string} [template] the database to copy (else PostgreSQL's empty template1)
 * @returns {Promise<string>} the DATABASE_URL for a hub using `dir`
 */
export async function testDatabaseUrl(dir, base = testPostgresUrl(), template = undefined) {
  if (!base) return `sqlite:${join(dir, 'hub.db')}`;
  const name = databaseName(dir);
  await withServer(base, async (client) => {
    try {
      await client.query(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`);
    } catch (error) {
      if (/** @type {{ code?: string }} */ (error).code !== '42P04') throw error; // already exists: a restart
    }
  });
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * Drops the PostgreSQL database of `dir`, if any. Best effort: an autovacuum worker that just started on
 * it can't be terminated by a non-superuser, and a leftover test database harms nothing (its name is
 * unique), so a failed drop must not fail the test that used it.
 * @param {string} dir @param {string} [base]
 */
export async function dropTestDatabase(dir, base = testPostgresUrl()) {
  if (!base) return;
  await withServer(base, (client) => client.query(`DROP DATABASE IF EXISTS ${databaseName(dir)} WITH (FORCE)`).then(() => undefined)).catch((error) =>
    process.stderr.write(`note: test database ${databaseName(dir)} left behind (${error.message})\n`),
  );
}
