// The SQLite event log of a store on a file, on a thread of its own: a worker
// (event-log-sqlite-worker.ts) with its own connection to the same file in WAL mode
// does the appends and lookups, so a commit's disk write and a lookup's index scan
// never hold up the event loop that answers calls. A caller's promise still settles
// only once the worker has committed (or answered).
//
// The worker handles messages in order: a lookup sent after an append resolved sees it,
// and close() (sent last) lets everything before it finish. It is started on first use
// (a store that never records costs no thread), and again if it dies.
import { Worker } from 'node:worker_threads';
import { StoreClosedError } from './errors.ts';
import { checkQuery, type EventLog, type EventLogPage, type EventLogQuery, type LoggedEvent } from './event-log.ts';

export type WorkerRequest = { id: number; op: 'append'; events: readonly LoggedEvent[] } | { id: number; op: 'query'; query: EventLogQuery };
export type WorkerReply = { id: number; result?: EventLogPage; error?: unknown };

interface Pending {
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

const WORKER = new URL('./event-log-sqlite-worker.ts', import.meta.url);

export class SqliteThreadEventLog implements EventLog {
  readonly #path: string;
  readonly #pending = new Map<number, Pending>();
  #worker: Worker | undefined;
  #nextId = 0;
  #closing: Promise<void> | undefined;

  constructor(path: string) {
    this.#path = path;
  }

  // Not async: the events are posted (copied) at once, and nothing here keeps them alive
  // while the worker writes (a batch held across that wait would outlive the young
  // generation and cost the garbage collector a full collection).
  append(events: readonly LoggedEvent[]): Promise<void> {
    if (this.#closing) return Promise.reject(new StoreClosedError());
    return events.length === 0 ? Promise.resolve() : (this.#call({ op: 'append', events }) as Promise<void>);
  }

  async query(query: EventLogQuery): Promise<EventLogPage> {
    this.#checkOpen();
    checkQuery(query);
    return (await this.#call({ op: 'query', query })) as EventLogPage;
  }

  /** Lets what was sent finish, then stops the worker; later calls throw StoreClosedError. */
  close(): Promise<void> {
    this.#closing ??= this.#stop();
    return this.#closing;
  }

  async #stop(): Promise<void> {
    const worker = this.#worker;
    if (!worker) return;
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    worker.ref();
    worker.postMessage({ op: 'close' });
    await exited;
  }

  #checkOpen(): void {
    if (this.#closing) throw new StoreClosedError();
  }

  #call(request: { op: 'append'; events: readonly LoggedEvent[] } | { op: 'query'; query: EventLogQuery }): Promise<unknown> {
    const worker = (this.#worker ??= this.#start());
    const id = ++this.#nextId;
    // Referenced only while it owes an answer: an idle worker does not keep the process alive.
    if (this.#pending.size === 0) worker.ref();
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      worker.postMessage({ ...request, id } satisfies WorkerRequest);
    });
  }

  #start(): Worker {
    const worker = new Worker(WORKER, { workerData: { path: this.#path } });
    worker.unref();
    worker.on('message', ({ id, result, error }: WorkerReply) => {
      const pending = this.#pending.get(id);
      if (!pending) return;
      this.#pending.delete(id);
      if (this.#pending.size === 0) worker.unref();
      if (error === undefined) pending.resolve(result);
      else pending.reject(error);
    });
    // A worker that failed to open the file, or died: its callers learn why, the next call starts another.
    const fail = (error: unknown) => {
      if (this.#worker === worker) this.#worker = undefined;
      for (const pending of this.#pending.values()) pending.reject(error);
      this.#pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the event log's worker thread exited (code ${code})`)));
    return worker;
  }
}
