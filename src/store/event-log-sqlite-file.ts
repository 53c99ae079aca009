// The event log of an SQLite store on a file lives in a file of its own beside it
// (PATH-events: events, postings and the delivery outbox), on a connection of its
// own, for two reasons:
//   - its commits can skip the fsync (synchronous=NORMAL), where the documents' keep
//     it (FULL). A commit that skips it has still written the transaction to the WAL
//     file, in the operating system's cache, when it returns: the record survives the
//     process dying in any way (the README's CloudTrail section argues why that is the
//     guarantee recording needs). The fsync happens at checkpoints, on a helper thread
//     (wal-checkpointer.ts).
//   - a documents' commit fsyncs its WAL file, and with it every page written there
//     since the last fsync: in one file, each IAM write would also flush the records
//     of the calls around it (measured: a third more per commit under a mixed load).
// Log and outbox are in the same file, so one transaction still writes an event to
// both or to neither.
//
// Both connections live on the event loop's thread. An append is one synchronous
// transaction, so it never holds the write lock across an await. Another process may
// open the same store, though, and waiting for its lock in SQLite's busy handler would
// sleep the event loop; so this connection waits for nothing (busy timeout 0) and an
// append that finds the lock taken tries again on a later turn of the event loop.
// Deleting old events goes one bounded step (transaction) at a time, so a large
// delete shares the thread.
import { setTimeout as sleep } from 'node:timers/promises';
import { DatabaseSync } from 'node:sqlite';
import { SchemaVersionError, StoreClosedError } from './errors.ts';
import {
  checkDeleteTime,
  checkQuery,
  deleteInSteps,
  OUTBOX_COLLECTION,
  type EventLog,
  type EventLogPage,
  type EventLogQuery,
  type LoggedEvent,
  type OutboxEntry,
} from './event-log.ts';
import { SQLITE_EVENT_LOG_WIPE, SQLITE_EVENTS_FILE_SCHEMA, SqliteEventLog } from './event-log-sqlite.ts';
import { checkName } from './keys.ts';
import { PreparedStatements, SQLITE_BUSY_TIMEOUT_MS } from './sqlite-connection.ts';
import { startWalCheckpointer, type WalCheckpointer } from './wal-checkpointer.ts';

/** SQLITE_BUSY: another connection holds the write lock. */
const SQLITE_BUSY = 5;
/** Retries back off to this, so a long transaction elsewhere costs little meanwhile. */
const MAX_PAUSE_MS = 5;
/** The events file's schema version (PRAGMA user_version). */
const EVENTS_FILE_VERSION = 1;

/** Where the events of the store file at `storePath` live. */
export function eventsFilePath(storePath: string): string {
  return `${storePath}-events`;
}

/** The connection to an events file: the log's tables and the outbox. */
class EventsFile {
  readonly #db: DatabaseSync;
  readonly #statements: PreparedStatements;
  readonly events: SqliteEventLog;

  constructor(path: string) {
    this.#db = new DatabaseSync(path, { timeout: 0 });
    this.#statements = new PreparedStatements(this.#db);
    try {
      this.#db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = 0;');
      this.#migrate();
      this.events = new SqliteEventLog(this.#db);
    } catch (error) {
      this.#db.close();
      throw error;
    }
  }

  /** Runs `work` in a transaction: committed, or rolled back when it throws. */
  transaction<R>(work: () => R): R {
    return inTransaction(this.#db, work);
  }

  putOutbox(key: string, record: string): void {
    this.#statements.get('INSERT OR REPLACE INTO event_outbox (key, record) VALUES (?, ?)').run(checkName('key', key), record);
  }

  outbox(limit: number): OutboxEntry[] {
    const rows = this.#statements.get('SELECT key, record FROM event_outbox ORDER BY key LIMIT ?').all(limit) as { key: string; record: string }[];
    return rows.map(({ key, record }) => ({ key, record: JSON.parse(record) as unknown }));
  }

  clearOutbox(keys: readonly string[]): void {
    const remove = this.#statements.get('DELETE FROM event_outbox WHERE key = ?');
    for (const key of keys) remove.run(key);
  }

  wipe(): void {
    this.#db.exec(`${SQLITE_EVENT_LOG_WIPE} DELETE FROM event_outbox;`);
  }

  close(): void {
    this.#statements.clear();
    this.#db.close();
  }

  #migrate(): void {
    const { user_version: version } = this.#db.prepare('PRAGMA user_version').get() as { user_version: number };
    if (version > EVENTS_FILE_VERSION) {
      throw new SchemaVersionError(`the events file has schema version ${version}, newer than this Bulwark knows (${EVENTS_FILE_VERSION}); use a newer Bulwark`);
    }
    if (version === EVENTS_FILE_VERSION) return;
    this.transaction(() => this.#db.exec(`${SQLITE_EVENTS_FILE_SCHEMA} PRAGMA user_version = ${EVENTS_FILE_VERSION};`));
  }

}

/** Opened on first use: a store that never records costs no connection and no thread. */
export class SqliteFileEventLog implements EventLog {
  readonly #path: string;
  readonly #inFlight = new Set<Promise<unknown>>();
  #opened: { file: EventsFile; checkpointer: WalCheckpointer } | undefined;
  #closed = false;

  /** `path`: the events file (eventsFilePath of the store's). */
  constructor(path: string) {
    this.#path = path;
  }

  append(events: readonly LoggedEvent[]): Promise<void> {
    return this.#track(async () => {
      if (events.length === 0) return;
      await this.#whenUnlocked((file) => {
        for (const { outboxKey, record } of events) if (outboxKey !== undefined) file.putOutbox(outboxKey, record);
        file.events.append(events);
      });
    });
  }

  outbox(limit: number): Promise<OutboxEntry[]> {
    return this.#track(async () => this.#file().outbox(limit));
  }

  clearOutbox(keys: readonly string[]): Promise<void> {
    return this.#track(async () => {
      if (keys.length > 0) await this.#whenUnlocked((file) => file.clearOutbox(keys));
    });
  }

  deleteBefore(timeMs: number): Promise<number> {
    return this.#track(async () => {
      checkDeleteTime(timeMs);
      return deleteInSteps(async (from) => {
        // Another turn of the event loop between steps: recording and lookups go on meanwhile.
        await sleep(0);
        if (this.#closed) return { deleted: 0 }; // closing: the rest waits for the next delete
        return this.#whenUnlocked((file) => file.events.deleteBefore(timeMs, from));
      });
    });
  }

  query(query: EventLogQuery): Promise<EventLogPage> {
    // A read needs no lock in WAL mode: it sees what was committed when it starts.
    return this.#track(async () => {
      checkQuery(query);
      return this.#file().events.query(query);
    });
  }

  /** Empties the log and the outbox (the store's wipe). */
  wipe(): Promise<void> {
    return this.#track(() => this.#whenUnlocked((file) => file.wipe()));
  }

  /** Opens the file now (creating it), if it is not open yet. */
  open(): void {
    this.#file();
  }

  /** Lets appends under way finish, then closes the connection; later calls throw StoreClosedError. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
    this.#opened?.file.close();
    await this.#opened?.checkpointer.stop();
  }

  #file(): EventsFile {
    this.#opened ??= { file: new EventsFile(this.#path), checkpointer: startWalCheckpointer(this.#path) };
    return this.#opened.file;
  }

  /** Runs `write` in a transaction of its own once the write lock is free. */
  async #whenUnlocked<R>(write: (file: EventsFile) => R): Promise<R> {
    const started = performance.now();
    for (let attempt = 0; ; attempt++) {
      try {
        const file = this.#file();
        return file.transaction(() => write(file));
      } catch (error) {
        // (An extended result code keeps the primary one in its low byte.)
        const busy = (((error as { errcode?: number }).errcode ?? 0) & 0xff) === SQLITE_BUSY;
        if (!busy || performance.now() - started > SQLITE_BUSY_TIMEOUT_MS) throw error;
      }
      await sleep(Math.min(MAX_PAUSE_MS, attempt));
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

/**
 * Moves the events a store file kept itself (before the events file existed) into
 * the events file at `eventsPath`, through the store's connection `db`, at open. Two
 * transactions, as the files commit apart: copy (into an events file still empty),
 * then delete from the store file. A move cut short between them is finished at the
 * next open: the events file is no longer empty, so only the delete runs.
 */
export function moveEventsOutOfStoreFile(db: DatabaseSync, eventsPath: string, eventsLog: SqliteFileEventLog): void {
  const leftover = (sql: string) => db.prepare(sql).get() !== undefined;
  const outboxDocuments = `FROM documents WHERE collection = '${OUTBOX_COLLECTION}'`;
  if (!leftover('SELECT 1 FROM cloudtrail_events LIMIT 1') && !leftover(`SELECT 1 ${outboxDocuments} LIMIT 1`)) return;
  eventsLog.open(); // creates the events file with its tables
  db.prepare('ATTACH DATABASE ? AS events_file').run(eventsPath);
  try {
    inTransaction(db, () => {
      if (leftover('SELECT 1 FROM events_file.cloudtrail_events LIMIT 1') || leftover('SELECT 1 FROM events_file.event_outbox LIMIT 1')) return;
      // Rowids kept: the postings point at them.
      db.exec(`
        INSERT INTO events_file.cloudtrail_events (rowid, account, region, time, id, event_name, event_source, username, access_key_id, read_only, resources, record)
          SELECT rowid, account, region, time, id, event_name, event_source, username, access_key_id, read_only, resources, record FROM main.cloudtrail_events;
        INSERT INTO events_file.cloudtrail_event_postings SELECT * FROM main.cloudtrail_event_postings;
        INSERT INTO events_file.event_outbox (key, record) SELECT key, value ${outboxDocuments};`);
    });
    inTransaction(db, () => db.exec(`DELETE FROM main.cloudtrail_events; DELETE FROM main.cloudtrail_event_postings; DELETE ${outboxDocuments};`));
  } finally {
    db.exec('DETACH DATABASE events_file');
  }
}

function inTransaction<R>(db: DatabaseSync, work: () => R): R {
  db.exec('BEGIN IMMEDIATE');
  try {
    const result = work();
    db.exec('COMMIT');
    return result;
  } catch (error) {
    if (db.isTransaction) db.exec('ROLLBACK');
    throw error;
  }
}
