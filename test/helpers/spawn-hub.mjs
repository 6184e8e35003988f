// Starts the real hub (server/main.ts) as a child process on a free port with a fresh SQLite
// file, and resolves once it prints its URL. Used by the browser tests, the e2e tests and
// the crash test, which all need a hub in its own process.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
/**
 * How the hub starts: from its sources (through tsx, or as plain JavaScript in the transpiled tree that
 * `npm run test:server` runs: scripts/test-tree.mjs), or as the build's bundle (`bundled`: what `npm start` and the
 * Docker image run, dist/hub.js).
 * @param {boolean} bundled
 */
const hubEntry = (bundled) => {
  if (bundled) return ['dist/hub.js'];
  return existsSync(join(root, 'server/main.ts')) ? ['--import', 'tsx', 'server/main.ts'] : ['server/main.js'];
};

/** What node prints on stderr about its inspector: where it listens, a client attaching or leaving. */
const INSPECTOR_NOTICE = /^(Debugger (listening on|attached|ending on)|For help, see: https:\/\/nodejs\.org|Waiting for the debugger to disconnect)/;

export const TEST_ADMIN = { email: 'admin@test.local', password: 'admin-password-1' };
/** The demo site's identity secret in spawned hubs, so tests can sign a visitor's identity. */
export const TEST_SITE_SECRET = 'browser-test-site-secret';

/**
 * Where a process started with `--inspect` listens, from what it printed on stderr.
 * @param {string} output
 * @returns {string | undefined}
 */
export const inspectorUrl = (output) => /Debugger listening on (ws:\/\/\S+)/.exec(output)?.[1];

/**
 * @param {{ env?: Record<string, string>, dir?: string, port?: number, bundled?: boolean }} [options]
 * @returns {Promise<{ url: string, dir: string, child: import('node:child_process').ChildProcess, stop: (signal?: NodeJS.Signals) => Promise<void>, cleanup: () => void, inspectorUrl?: string }>}
 */
export async function spawnHub(options = {}) {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'switchboard-'));
  const child = spawn(process.execPath, hubEntry(options.bundled ?? false), {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(options.port ?? 0),
      HOST: '127.0.0.1',
      // SQLite in `dir` unless the caller passes DATABASE_URL (the crash and two-hub tests do).
      DATABASE_URL: `sqlite:${join(dir, 'hub.db')}`,
      ADMIN_EMAIL: TEST_ADMIN.email,
      ADMIN_PASSWORD: TEST_ADMIN.password,
      DEMO_SITE_SECRET: TEST_SITE_SECRET,
      DEMO_DATA: '0',
      // The browser suites sign in more than 20 times a minute from one address; the limit has its own tests.
      SIGN_INS_PER_MINUTE: '1000',
      // The lowest scrypt cost: the browser suites sign in hundreds of times (the default costs 50 ms each).
      PASSWORD_HASH_COST: '1024',
      // Two dozen browser suites share this hub from one address; the HTTP limit has its own tests.
      REQUESTS_PER_MINUTE: '100000',
      LOG_LEVEL: 'warn',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  // Started with `--inspect` (NODE_OPTIONS in env), the hub also prints where its inspector listens (on stderr, so
  // possibly after the URL): the capacity bench uses it to collect garbage before reading the hub's memory.
  const inspecting = /--inspect/.test(options.env?.NODE_OPTIONS ?? '');
  const url = await new Promise((resolve, reject) => {
    const onData = (chunk) => {
      output += chunk;
      const match = /Hub listening on (http:\/\/\S+)/.exec(output);
      if (match && (!inspecting || inspectorUrl(output))) resolve(match[1]);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`hub exited with ${code} before listening:\n${output}`)));
  });
  // The hub's own errors go on to the caller's stderr; the inspector's notices (a bench or the soak asking it for a
  // collection) would only be noise there.
  child.stderr.on('data', (chunk) => {
    const kept = String(chunk)
      .split('\n')
      .filter((line) => !INSPECTOR_NOTICE.test(line))
      .join('\n');
    if (kept.trim()) process.stderr.write(kept);
  });
  const stop = (signal = 'SIGTERM') =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill(signal);
    });
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  return { url, dir, child, stop, cleanup, inspectorUrl: inspectorUrl(output) };
}
