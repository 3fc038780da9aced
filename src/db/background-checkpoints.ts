// SQLite in WAL mode appends every commit to the write-ahead log, and a checkpoint copies the log
// back into the database file. By default the connection that commits runs the checkpoint itself
// once the log passes 1,000 pages: that commit then copies the pages and waits for two fsyncs on
// the event loop, and every request of the server waits with it (in the code-step benchmark a
// commit took 348 µs on average with those checkpoints, 198 µs without). A serving process runs
// them instead on a worker thread with a connection of its own, every CHECKPOINT_INTERVAL_MS:
// a PASSIVE checkpoint takes no lock the readers or the writer need, so they go on meanwhile.
// The serving connection keeps a far threshold of its own as a safety net, should the worker fall
// behind or stop. Crash safety is SQLite's own: a checkpoint cut short is redone from the log.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { sql, type Kysely } from 'kysely';
import type { FastifyBaseLogger } from 'fastify';
import type { Database } from './schema.js';

export const CHECKPOINT_INTERVAL_MS = 250;
/** About 100 MiB of log: far beyond what the worker leaves between two checkpoints. */
export const SAFETY_NET_PAGES = 25_000;
const SQLITE_DEFAULT_PAGES = 1000;

// Plain JavaScript run by the worker, so that it is the same under the tests (TypeScript sources)
// and from dist/. It reports each failure once until a checkpoint succeeds again.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
let db;
try {
  db = new Database(workerData.file, { fileMustExist: true });
} catch (error) {
  parentPort.postMessage({ startFailed: String(error && error.message) });
  process.exit(1);
}
let failing = false;
const checkpoint = () => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
    if (failing) parentPort.postMessage({ recovered: true });
    failing = false;
  } catch (error) {
    if (!failing) parentPort.postMessage({ failed: String(error && error.message) });
    failing = true;
  }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
parentPort.postMessage({ started: true });
`;

export interface BackgroundCheckpoints {
  /** Stops the worker after the checkpoint it may be running, and closes its connection. */
  stop(): Promise<void>;
}

/** Moves the checkpoints of the SQLite file `file`, open in `db`, to a worker thread. */
export async function checkpointInBackground(db: Kysely<Database>, file: string, log: FastifyBaseLogger,
  intervalMs = CHECKPOINT_INTERVAL_MS): Promise<BackgroundCheckpoints> {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, file, intervalMs } });
  worker.unref(); // never what keeps the process alive
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    worker.once('error', reject);
    worker.on('message', (message: { started?: true; startFailed?: string; failed?: string; recovered?: true }) => {
      if (message.started) resolve();
      if (message.startFailed) reject(new Error(`the checkpoint worker could not open ${file}: ${message.startFailed}`));
      if (message.failed) log.warn({ error: message.failed }, 'background checkpoint of the SQLite log failed; will retry (commits run it past the safety net)');
      if (message.recovered) log.info('background checkpoints of the SQLite log work again');
    });
  });
  const checkpointOnCommit = (pages: number) => sql.raw(`pragma wal_autocheckpoint = ${pages}`).execute(db);
  worker.on('error', (error) => {
    log.error({ err: error }, 'the SQLite checkpoint worker stopped; commits run the checkpoints again');
    void checkpointOnCommit(SQLITE_DEFAULT_PAGES);
  });
  // Only once the worker runs: until then the serving connection keeps checkpointing as before.
  await checkpointOnCommit(SAFETY_NET_PAGES);
  return {
    // The safety net stays: the requests still draining need no more, and closing the last
    // connection checkpoints what is left.
    stop: async () => {
      worker.postMessage('stop');
      await exited;
    },
  };
}
