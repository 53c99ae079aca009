// The worker thread behind SqliteThreadEventLog (event-log-sqlite-thread.ts): its own
// connection to the store's file, one request at a time, in the order sent. An append
// is one transaction (events, resources, outbox documents): all or none.
//
// Durability: WAL with synchronous=NORMAL. A commit is written to the WAL file before
// COMMIT returns, so once the caller is answered the event survives the process dying
// in any way (SIGKILL, a crash); only an operating-system crash or power loss can take
// the last commits back (the database stays consistent). The fsync happens at
// checkpoints, on a helper thread (event-log-sqlite-checkpointer.ts), never in the way
// of an append. The README (CloudTrail, Recording) argues the choice.
import { once } from 'node:events';
import { parentPort, Worker, workerData } from 'node:worker_threads';
import { writeBatch } from './event-log.ts';
import type { WorkerReply, WorkerRequest } from './event-log-sqlite-thread.ts';
import { SqliteEngine } from './sqlite.ts';

const port = parentPort!;
const { path } = workerData as { path: string };
const engine = new SqliteEngine(path, { synchronous: 'NORMAL', autoCheckpoint: false });
const checkpointer = new Worker(new URL('./event-log-sqlite-checkpointer.ts', import.meta.url), { workerData: { path } });

port.on('message', async (request: WorkerRequest | { op: 'close' }) => {
  if (request.op === 'close') {
    checkpointer.postMessage('close');
    await once(checkpointer, 'exit');
    engine.close();
    port.close();
    return;
  }
  try {
    port.postMessage({ id: request.id, result: handle(request) } satisfies WorkerReply);
  } catch (error) {
    port.postMessage({ id: request.id, error } satisfies WorkerReply);
  }
});

function handle(request: WorkerRequest) {
  if (request.op === 'query') return engine.events.query(request.query);
  engine.begin();
  try {
    writeBatch(engine, engine.events, request.events);
    engine.commit();
  } catch (error) {
    engine.rollback();
    throw error;
  }
  return undefined;
}
