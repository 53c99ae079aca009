// The event log worker's helper thread: it copies the WAL into the database file
// (a PASSIVE checkpoint, which never blocks writers) every CHECKPOINT_MS. A checkpoint
// ends in an fsync that takes milliseconds; done by the writing connection, every
// append waiting behind it would wait too, and with them the calls they record.
import { DatabaseSync } from 'node:sqlite';
import { parentPort, workerData } from 'node:worker_threads';

const CHECKPOINT_MS = 100;
const BUSY_TIMEOUT_MS = 5000;

const db = new DatabaseSync((workerData as { path: string }).path, { timeout: BUSY_TIMEOUT_MS });
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
const timer = setInterval(() => checkpoint.get(), CHECKPOINT_MS);

parentPort!.once('message', () => {
  clearInterval(timer);
  checkpoint.get(); // what the writer left, so a reopened store finds a short WAL
  db.close();
  parentPort!.close();
});
