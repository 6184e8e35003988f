// `npm run test:server`: node's test runner over the hub's suites, on SQLite and — when a
// PostgreSQL server is configured (TEST_POSTGRES_URL, which .ci/run sets via .ci/services) —
// a second time on PostgreSQL, plus the two-hub tests that also need Redis (TEST_REDIS_URL).
//
// The runs go in two lanes at the same time, one test file at a time in each: the SQLite run then the
// two-hub tests in one, the PostgreSQL run in the other (the two lanes take about as long). Much of a
// file's time is start-up and waiting on sockets and the database, so two files share two cores well.
// The soak runs alone afterwards: its check that the hub's memory stays flat under 500 visitors fails
// when another file takes CPU from the hub (its backlog grows; seen at 1.34× for a 1.25× limit).
// Nothing is shared between test files: each hub has its own temp directory, port (0), database (a
// SQLite file, or a fresh PostgreSQL database named after the directory: test/helpers/databases.mjs)
// and Redis channel prefix. Each output line is prefixed with its run ([sqlite], [postgres], [cluster],
// [soak]); a summary of every run, failures listed, comes at the end. TEST_SERIAL=1 runs them one
// after the other, unprefixed, stopping at the first that fails.
// The files run as JavaScript transpiled ahead of time into .test-build/ (scripts/test-tree.mjs: tsx's loading cost
// each process 1.8 s of CPU); a single file still runs from source: node --import tsx --test test/server/FILE.ts
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { buildTestTree, filesUnder } from './test-tree.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const tree = await buildTestTree(root);

/** Every *.test.ts under `dirs`, sorted, so both runs see the same files in the same order; as their .js in the tree. */
function testFiles(...dirs) {
  return dirs
    .filter((dir) => existsSync(join(root, dir)))
    .flatMap((dir) => filesUnder(join(root, dir)))
    .filter((file) => file.endsWith('.test.ts'))
    .sort()
    .map((file) => join(tree, file.slice(root.length)).replace(/\.ts$/, '.js'));
}

const serial = process.env.TEST_SERIAL === '1';

/**
 * Runs node's test runner over the run's files with its env, each output line prefixed with `prefix`;
 * resolves with what the summary needs.
 * @param {{ label: string, prefix: string, files: string[], env: Record<string, string> }} run
 */
function start({ label, prefix, files, env }) {
  const started = Date.now();
  console.log(`\n${prefix}# ${label}: ${files.length} files`);
  // TAP, which the lines below read: node's default reporter for a pipe, up to Node 22 (Node 24's is `spec`).
  const child = spawn(
    process.execPath,
    ['--test', '--test-reporter=tap', '--test-concurrency=1', '--test-timeout=120000', ...process.argv.slice(2), ...files],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    },
  );
  const failures = [];
  const totals = [];
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY }).on('line', (line) => {
      console.log(prefix + line);
      if (/^\s*not ok /.test(line)) failures.push(line.trim());
      if (/^# (tests|pass|fail|cancelled|skipped|todo) /.test(line)) totals.push(line.slice(2));
    });
  }
  return new Promise((resolve) => {
    child.on('close', (code, signal) => resolve({ label, code: code ?? 1, signal, seconds: (Date.now() - started) / 1000, failures, totals }));
  });
}

/** Starts the runs of a lane one after the other (each whatever the previous one's outcome). */
async function lane(runs) {
  const results = [];
  for (const run of runs) results.push(await start(run));
  return results;
}

const { TEST_DATABASE_URL: _ignored, ...withoutDatabase } = process.env;
process.env = withoutDatabase;

const postgres = process.env.TEST_POSTGRES_URL;
const redis = process.env.TEST_REDIS_URL;
const sqliteRun = { label: 'SQLite', prefix: '[sqlite] ', files: testFiles('server', 'test/server', 'test/e2e'), env: {} };
const soakRun = { label: 'Soak (SQLite, alone)', prefix: '[soak] ', files: testFiles('test/soak'), env: {} };
const postgresRun = { label: 'PostgreSQL', prefix: '[postgres] ', files: testFiles('server', 'test/server'), env: { TEST_DATABASE_URL: postgres } };
// Two hubs on one PostgreSQL database and one Redis (their in-process hubs on PostgreSQL too).
const clusterRun = { label: 'Two hubs (PostgreSQL + Redis)', prefix: '[cluster] ', files: testFiles('test/cluster'), env: { TEST_DATABASE_URL: postgres } };

const results = [];
if (!(postgres && redis)) {
  results.push(...(await lane([{ ...sqliteRun, files: [...sqliteRun.files, ...soakRun.files], prefix: '' }])));
} else if (serial) {
  for (const run of [sqliteRun, soakRun, postgresRun, clusterRun]) {
    const [result] = await lane([{ ...run, prefix: '' }]);
    results.push(result);
    if (result.code !== 0) break;
  }
} else {
  const lanes = await Promise.all([lane([sqliteRun, clusterRun]), lane([postgresRun])]);
  results.push(...lanes.flat(), ...(await lane([soakRun])));
}

console.log('\n# Summary');
for (const { label, code, signal, seconds, failures, totals } of results) {
  console.log(`# ${label}: ${code === 0 ? 'passed' : `FAILED (exit ${signal ?? code})`} in ${seconds.toFixed(0)} s — ${totals.join(', ')}`);
  for (const failure of failures) console.log(`#   ${failure}`);
}
if (!(postgres && redis)) {
  console.log(
    '\n# PostgreSQL run and two-hub tests not run: TEST_POSTGRES_URL / TEST_REDIS_URL are not set.' +
      '\n# .ci/run sets them; on a dev machine: eval "$(sudo bash .ci/services)" && npm run test:server',
  );
  if (process.env.CI) process.exit(1); // CI must exercise PostgreSQL and Redis
}
const failed = results.find((result) => result.code !== 0);
if (failed) process.exit(failed.code || 1);
