// The event log of an SQLite store on a file, on a connection of its own (sqlite.ts
// opens it beside the documents' one), for one reason: its commits can skip the
// fsync (synchronous=NORMAL), where the documents' keep it (FULL). SQLite sets that
// per connection, never inside a transaction. A commit that skips it has still written
// the transaction to the WAL file, in the operating system's cache, when it returns:
// the record survives the process dying in any way (the README's CloudTrail section
// argues why that is the guarantee recording needs). The fsync happens at checkpoints,
// on a helper thread (wal-checkpointer.ts).
//
// Both connections live on the event loop's thread. An append is one synchronous
// transaction, so it never holds the write lock across an await; but a documents'
// transaction may (BEGIN IMMEDIATE, then awaits). Waiting for that lock in SQLite's
// busy handler would sleep the very thread that has to finish it, so this connection
// waits for nothing (busy timeout 0) and an append that finds the lock taken tries
// again on a later turn of the event loop. Deleting old events does the same, one
// bounded step (transaction) at a time, so a large delete shares the thread.
import { setTimeout as sleep } from 'node:timers/promises';
import { StoreClosedError } from './errors.ts';
import { checkDeleteTime, checkQuery, deleteInSteps, writeBatch, type EventLog, type EventLogPage, type EventLogQuery, type LoggedEvent } from './event-log.ts';
import type { SqliteEventLog } from './event-log-sqlite.ts';
import type { SyncEngine } from './serialized.ts';
import { startWalCheckpointer, type WalCheckpointer } from './wal-checkpointer.ts';

/** SQLITE_BUSY: another connection holds the write lock. */
const SQLITE_BUSY = 5;
/** Retries back off to this, so a long documents' transaction costs little meanwhile. */
const MAX_PAUSE_MS = 5;
/** About as long as the documents' connection waits for the lock (its busy timeout). */
const GIVE_UP_AFTER_MS = 5000;

export type EventLogEngine = Pick<SyncEngine, 'begin' | 'commit' | 'rollback' | 'write' | 'nextVersion' | 'close'> & { events: SqliteEventLog };

/** Opened on first use: a store that never records costs no connection and no thread. */
export class SqliteConnectionEventLog implements EventLog {
  readonly #path: string;
  readonly #open: () => EventLogEngine;
  readonly #inFlight = new Set<Promise<unknown>>();
  #opened: { engine: EventLogEngine; checkpointer: WalCheckpointer } | undefined;
  #closed = false;

  /** `open` opens the connection to the file at `path`: synchronous=NORMAL, no automatic checkpoints, busy timeout 0. */
  constructor(path: string, open: () => EventLogEngine) {
    this.#path = path;
    this.#open = open;
  }

  append(events: readonly LoggedEvent[]): Promise<void> {
    return this.#track(async () => {
      if (events.length === 0) return;
      await this.#whenUnlocked(() => writeBatch(this.#engine(), this.#engine().events, events));
    });
  }

  deleteBefore(timeMs: number): Promise<number> {
    return this.#track(async () => {
      checkDeleteTime(timeMs);
      return deleteInSteps(async (from) => {
        // Another turn of the event loop between steps: recording and lookups go on meanwhile.
        await sleep(0);
        if (this.#closed) return { deleted: 0 }; // closing: the rest waits for the next delete
        return this.#whenUnlocked(() => this.#engine().events.deleteBefore(timeMs, from));
      });
    });
  }

  query(query: EventLogQuery): Promise<EventLogPage> {
    // A read needs no lock in WAL mode: it sees what was committed when it starts.
    return this.#track(async () => {
      checkQuery(query);
      return this.#engine().events.query(query);
    });
  }

  /** Lets appends under way finish, then closes the connection; later calls throw StoreClosedError. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
    this.#opened?.engine.close();
    await this.#opened?.checkpointer.stop();
  }

  #engine(): EventLogEngine {
    this.#opened ??= { engine: this.#open(), checkpointer: startWalCheckpointer(this.#path) };
    return this.#opened.engine;
  }

  /** Runs `write` in a transaction of its own once the write lock is free. */
  async #whenUnlocked<R>(write: () => R): Promise<R> {
    const started = performance.now();
    for (let attempt = 0; ; attempt++) {
      try {
        return this.#transaction(write);
      } catch (error) {
        // (An extended result code keeps the primary one in its low byte.)
        const busy = (((error as { errcode?: number }).errcode ?? 0) & 0xff) === SQLITE_BUSY;
        if (!busy || performance.now() - started > GIVE_UP_AFTER_MS) throw error;
      }
      await sleep(Math.min(MAX_PAUSE_MS, attempt));
    }
  }

  #transaction<R>(write: () => R): R {
    const engine = this.#engine();
    engine.begin();
    try {
      const result = write();
      engine.commit();
      return result;
    } catch (error) {
      engine.rollback();
      throw error;
    }
  }

  #track<R>(work: () => Promise<R>): Promise<R> {
    if (this.#closed) return Promise.reject(new StoreClosedError());
    const running = work();
    this.#inFlight.add(running);
    const forget = () => this.#inFlight.delete(running);
    running.then(forget, forget);
    return running;
  }
}
