// The embedded store: one SQLite file through Node's built-in node:sqlite (no native
// addon to build). Durability settings: WAL journal, and synchronous=FULL so a write
// is on disk before its promise resolves and survives a crash or power loss.
// Transactions start with BEGIN IMMEDIATE, taking the write lock up front, so another
// process on the same file waits (busy timeout) instead of failing mid-transaction.
// CloudTrail's event log has a file and a connection of its own, whose commits skip
// the fsync (event-log-sqlite-file.ts says why and what that keeps).
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { SchemaVersionError } from './errors.ts';
import { PreparedStatements, SQLITE_BUSY_TIMEOUT_MS } from './sqlite-connection.ts';
import { SerializedStore, type KeyRange, type Row, type SyncEngine } from './serialized.ts';
import type { Store } from './store.ts';
import { serializedEventLog, type EventLog } from './event-log.ts';
import { eventsFilePath, moveEventsOutOfStoreFile, SqliteFileEventLog } from './event-log-sqlite-file.ts';
import { SQLITE_EVENT_LOG_MIGRATION, SQLITE_EVENT_LOG_WIPE, SQLITE_EVENT_LOG_POSTINGS_MIGRATION, SqliteEventLog } from './event-log-sqlite.ts';


/**
 * MIGRATIONS[i] takes the schema from version i to i + 1. Append only: a database
 * records its version, and on open the missing steps run in one transaction.
 */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE documents (
     collection TEXT NOT NULL,
     key        TEXT NOT NULL,
     value      TEXT NOT NULL, -- JSON
     version    INTEGER NOT NULL,
     PRIMARY KEY (collection, key)
   );
   -- One row: the store-wide version counter (never reset, so versions are never reused).
   CREATE TABLE version_counter (id INTEGER PRIMARY KEY CHECK (id = 1), value INTEGER NOT NULL);
   INSERT INTO version_counter VALUES (1, 0);`,
  SQLITE_EVENT_LOG_MIGRATION,
  SQLITE_EVENT_LOG_POSTINGS_MIGRATION,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

export function openSqliteStore(path: string): Store {
  const engine = new SqliteEngine(path);
  if (path !== ':memory:') return new SqliteFileStore(engine, path);
  // An in-memory database has one connection: its event log shares it.
  const store = new SerializedStore(engine);
  const eventLog = serializedEventLog(store, engine, engine.events);
  return Object.assign(store, { eventLog: () => eventLog });
}

/** A store on a file: the event log in a file of its own (PATH-events). */
class SqliteFileStore extends SerializedStore {
  readonly #eventLog: SqliteFileEventLog;

  constructor(engine: SqliteEngine, path: string) {
    super(engine);
    const eventsPath = eventsFilePath(path);
    this.#eventLog = new SqliteFileEventLog(eventsPath);
    try {
      engine.moveEventsOut(eventsPath, this.#eventLog);
    } catch (error) {
      engine.close();
      void this.#eventLog.close();
      throw error;
    }
  }

  eventLog(): EventLog {
    return this.#eventLog;
  }

  override async wipe(): Promise<void> {
    await super.wipe();
    await this.#eventLog.wipe();
  }

  override async close(): Promise<void> {
    await super.close();
    await this.#eventLog.close();
  }
}

class SqliteEngine implements SyncEngine {
  readonly #db: DatabaseSync;
  readonly #statements: PreparedStatements;
  /** CloudTrail's event log on this connection, for a database in memory (it shares the connection's transactions). */
  readonly events: SqliteEventLog;

  constructor(path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.#db = new DatabaseSync(path, { timeout: SQLITE_BUSY_TIMEOUT_MS });
    this.#statements = new PreparedStatements(this.#db);
    try {
      this.#db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;');
      migrate(this.#db);
      this.events = new SqliteEventLog(this.#db);
    } catch (error) {
      this.#db.close();
      throw error;
    }
  }

  read(collection: string, key: string): Row | undefined {
    return this.#statements.get('SELECT key, value AS json, version FROM documents WHERE collection = ? AND key = ?').get(
      collection,
      key,
    ) as Row | undefined;
  }

  write(collection: string, key: string, json: string, version: number): void {
    this.#statements.get(
      `INSERT INTO documents (collection, key, value, version) VALUES (?, ?, ?, ?)
       ON CONFLICT (collection, key) DO UPDATE SET value = excluded.value, version = excluded.version`,
    ).run(collection, key, json, version);
  }

  remove(collection: string, key: string): boolean {
    return this.#statements.get('DELETE FROM documents WHERE collection = ? AND key = ?').run(collection, key).changes > 0;
  }

  scan(collection: string, range: KeyRange, limit: number | undefined): Row[] {
    const sql = `SELECT key, value AS json, version FROM documents WHERE ${rangeCondition(range)} ORDER BY key LIMIT ?`;
    // LIMIT -1 is SQLite for "no limit".
    return this.#statements.get(sql).all(...rangeParameters(collection, range), limit ?? -1) as unknown as Row[];
  }

  count(collection: string, range: KeyRange): number {
    const sql = `SELECT count(*) AS n FROM documents WHERE ${rangeCondition(range)}`;
    return (this.#statements.get(sql).get(...rangeParameters(collection, range)) as { n: number }).n;
  }

  nextVersion(): number {
    return (this.#statements.get('UPDATE version_counter SET value = value + 1 RETURNING value').get() as { value: number }).value;
  }

  begin(): void {
    this.#db.exec('BEGIN IMMEDIATE');
  }

  commit(): void {
    this.#db.exec('COMMIT');
  }

  rollback(): void {
    if (this.#db.isTransaction) this.#db.exec('ROLLBACK');
  }

  wipe(): void {
    this.#db.exec('DELETE FROM documents');
    this.#db.exec(SQLITE_EVENT_LOG_WIPE);
  }

  close(): void {
    this.#statements.clear();
    this.#db.close();
  }

  /** Moves events this file still holds (from before the events file) out to it. */
  moveEventsOut(eventsPath: string, eventLog: SqliteFileEventLog): void {
    moveEventsOutOfStoreFile(this.#db, eventsPath, eventLog);
  }

}

// TEXT compares with memcmp on UTF-8 here (BINARY collation), i.e. in code point order,
// the order compareKeys defines; the range keeps the primary key index usable.
function rangeCondition({ lowInclusive, high }: KeyRange): string {
  return `collection = ? AND key ${lowInclusive ? '>=' : '>'} ?${high === undefined ? '' : ' AND key < ?'}`;
}

function rangeParameters(collection: string, { low, high }: KeyRange): string[] {
  return high === undefined ? [collection, low] : [collection, low, high];
}

function migrate(db: DatabaseSync): void {
  db.exec('BEGIN IMMEDIATE');
  try {
    db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
    const row = db.prepare('SELECT version FROM schema_version').get() as { version: number } | undefined;
    const current = row?.version ?? 0;
    if (current > SCHEMA_VERSION) {
      throw new SchemaVersionError(
        `the database has schema version ${current}, newer than this Bulwark knows (${SCHEMA_VERSION}); use a newer Bulwark`,
      );
    }
    for (const step of MIGRATIONS.slice(current)) db.exec(step);
    if (!row) db.prepare('INSERT INTO schema_version (version) VALUES (?)').run(SCHEMA_VERSION);
    else if (current < SCHEMA_VERSION) db.prepare('UPDATE schema_version SET version = ?').run(SCHEMA_VERSION);
    db.exec('COMMIT');
  } catch (error) {
    if (db.isTransaction) db.exec('ROLLBACK');
    throw error;
  }
}
