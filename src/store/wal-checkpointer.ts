// A helper thread that copies an SQLite file's WAL into the database every
// CHECKPOINT_MS (a PASSIVE checkpoint: it never blocks writers). Started once the
// event log is written (sqlite.ts): its commits skip the fsync (synchronous=NORMAL),
// and the checkpoint is where their fsync happens, here and not on the event loop.
// Without it, the connection that commits past 1000 WAL pages checkpoints, fsync
// included, inside that commit.
//
// The thread runs plain JavaScript given as text: a worker that loads TypeScript
// carries its own copy of Node's type stripper, some 16 MB more resident memory.
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { SQLITE_BUSY_TIMEOUT_MS } from './sqlite-connection.ts';

const CHECKPOINT_MS = 100;

const CHECKPOINTER = `
  const { DatabaseSync } = require('node:sqlite');
  const { parentPort, workerData } = require('node:worker_threads');
  const db = new DatabaseSync(workerData.path, { timeout: ${SQLITE_BUSY_TIMEOUT_MS} });
  const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
  const timer = setInterval(() => checkpoint.get(), ${CHECKPOINT_MS});
  parentPort.once('message', () => {
    clearInterval(timer);
    checkpoint.get();
    db.close();
    parentPort.close();
  });`;

export interface WalCheckpointer {
  /** Checkpoints once more, then ends the thread. */
  stop(): Promise<void>;
}

export function startWalCheckpointer(path: string): WalCheckpointer {
  const worker = new Worker(CHECKPOINTER, { eval: true, workerData: { path } });
  // It never keeps the process alive; a checkpoint it misses is done by the next one to open the file.
  worker.unref();
  worker.on('error', () => {}); // e.g. the file went away under it: SQLite checkpoints on commit again
  let ended = false;
  worker.once('exit', () => (ended = true));
  return {
    async stop() {
      if (ended) return;
      const exited = once(worker, 'exit');
      worker.ref(); // the process waits for this last checkpoint
      worker.postMessage('stop');
      await exited;
    },
  };
}
