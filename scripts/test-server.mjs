// `npm run test:server`: node's test runner over the hub's suites, on SQLite and — when a
// PostgreSQL server is configured (TEST_POSTGRES_URL, which .ci/run sets via .ci/services) —
// a second time on PostgreSQL, plus the two-hub test that also needs Redis (TEST_REDIS_URL).
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Every *.test.ts under `dirs`, sorted, so both runs see the same files in the same order. */
function testFiles(...dirs) {
  const found = [];
  const walk = (dir) => {
    let entries;
    try {
      entries = readdirSync(dir);
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (entry.endsWith('.test.ts')) found.push(path);
    }
  };
  for (const dir of dirs) walk(dir);
  return found.sort();
}

function run(label, files, env) {
  console.log(`\n# ${label}: ${files.length} files`);
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-timeout=120000', ...process.argv.slice(2), ...files],
    { stdio: 'inherit', env: { ...process.env, ...env } },
  );
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const { TEST_DATABASE_URL: _ignored, ...withoutDatabase } = process.env;
process.env = withoutDatabase;

run('SQLite', testFiles('server', 'test/server', 'test/soak', 'test/e2e'), {});

const postgres = process.env.TEST_POSTGRES_URL;
const redis = process.env.TEST_REDIS_URL;
if (postgres && redis) {
  run('PostgreSQL', testFiles('server', 'test/server', 'test/cluster'), { TEST_DATABASE_URL: postgres });
} else {
  console.log(
    '\n# PostgreSQL run and two-hub test not run: TEST_POSTGRES_URL / TEST_REDIS_URL are not set.' +
      '\n# .ci/run sets them; on a dev machine: eval "$(sudo bash .ci/services)" && npm run test:server',
  );
  if (process.env.CI) process.exit(1); // CI must exercise PostgreSQL and Redis
}
