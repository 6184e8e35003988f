/**
 * SQLite's checkpoints, off the event loop. In WAL mode a commit that takes the WAL past 1,000 pages (the default
 * `wal_autocheckpoint`) copies the WAL into the database file and fsyncs it, in the committing call: in the store
 * bench, one group commit in ten took 6–7 ms instead of 0.6, and for those milliseconds the hub answered nobody
 * (docs/performance-history.md, session 14). A worker thread with a connection of its own checkpoints instead, every
 * CHECKPOINT_EVERY_MS, on the other core.
 *
 * A PASSIVE checkpoint waits for nobody and is waited for by nobody: it copies what no reader still needs, and the
 * writer goes on appending meanwhile. Durability does not change: a commit is durable when its WAL frames are
 * written (synchronous = NORMAL), before and after. The hub's own connection keeps a backstop, a checkpoint of its
 * own once the WAL passes BACKSTOP_PAGES, should the worker fall behind or die.
 *
 * The backstop is reached under steady traffic too, not only when the worker fails: SQLite starts the WAL over only
 * when a writer finds every frame already copied, and with commits every millisecond the worker never quite catches
 * up, so the WAL grows by what it holds. At 10,000 pages the delivery bench met the backstop every 0.55 s, each
 * time two fsyncs on the event loop (5–8 ms here), which set its p99 (docs/performance-history.md, session 38).
 *
 * SQLite reuses the WAL file rather than shrink it, so a burst that grew it to hundreds of MB left it that size for
 * good. The worker gives the space back when the hub has been quiet for QUIET_TURNS turns: a TRUNCATE checkpoint,
 * which empties the file. Not SQLite's `journal_size_limit`, which truncates in the first commit after the WAL
 * starts over, on the event loop: freeing 336 MB of file took 60 ms here.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

const CHECKPOINT_EVERY_MS = 100;
/**
 * 400 MB of WAL at SQLite's 4 kB pages: reached after 5–6 s of the delivery bench's 2,000 messages a second, where
 * a real site's lulls let the WAL start over long before. The file keeps the largest size it reached until the hub
 * is quiet (WAL_KEPT_BYTES), and a hub restarted after a crash reads what it holds.
 */
export const BACKSTOP_PAGES = 100_000;

/** A WAL file larger than this after a burst is emptied once the hub is quiet: 64 MiB, 16,384 of SQLite's pages. */
export const WAL_KEPT_BYTES = 64 * 1024 * 1024;
/**
 * Turns without a write to the WAL before the worker empties it: 300 ms. The truncation holds SQLite's write lock for
 * as long as the file system takes to free the file, and a commit in that time waits for it.
 */
const QUIET_TURNS = 3;

/** CommonJS, evaluated in the worker: no file of its own to find, whether the hub runs from TypeScript or not. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const { statSync } = require('node:fs');
const database = new Database(workerData.file);
// The WAL's last write as the previous turn saw it, and how many turns since it changed.
let lastWrite;
let quietTurns = 0;
const emptyWhenQuiet = () => {
  const wal = statSync(workerData.file + '-wal', { throwIfNoEntry: false });
  if (wal?.mtimeMs !== lastWrite) {
    lastWrite = wal?.mtimeMs;
    quietTurns = 0;
  } else if (++quietTurns >= workerData.quietTurns && wal && wal.size > workerData.keptBytes) {
    database.exec('pragma wal_checkpoint(TRUNCATE)');
  }
};
const timer = setInterval(() => {
  try {
    database.exec('pragma wal_checkpoint(PASSIVE)'); // exec: no statement left for the collector (sqlite-statements.ts)
    emptyWhenQuiet();
  } catch (error) {
    parentPort.postMessage(String(error)); // a busy or locked database: the next turn tries again
  }
}, workerData.everyMs);
parentPort.on('message', () => {
  clearInterval(timer);
  database.close();
  parentPort.close();
});
`;

export interface WalCheckpointer {
  /**
   * Stops the worker; resolves once it has exited. Call it after the hub's connection has closed: the worker's is
   * then the last, and its close checkpoints and removes the WAL, so the files are settled when this resolves.
   */
  stop(): Promise<void>;
}

/** Starts checkpointing `file`, a database in WAL mode whose own connection has `wal_autocheckpoint` at BACKSTOP_PAGES. */
export function startWalCheckpointer(file: string, onError: (message: string) => void = () => undefined): WalCheckpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { file, driver, everyMs: CHECKPOINT_EVERY_MS, keptBytes: WAL_KEPT_BYTES, quietTurns: QUIET_TURNS },
  });
  worker.unref(); // never what keeps the process alive
  worker.on('message', onError);
  worker.on('error', (error) => onError(String(error)));
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    worker.once('exit', () => {
      exited = true;
      resolve();
    }),
  );
  return {
    stop: () => {
      if (!exited) {
        worker.ref(); // whoever waits for the exit keeps the process up until it comes
        worker.postMessage('stop');
      }
      return exit;
    },
  };
}
