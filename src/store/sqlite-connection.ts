// What every Bulwark connection to an SQLite file shares: how long it waits for
// another's write lock, and its prepared statements.
import type { DatabaseSync, StatementSync } from 'node:sqlite';

/**
 * How long a connection waits for another's write lock before it gives up
 * (SQLITE_BUSY): one figure for the store's connection, the events file's retries and
 * the checkpointer thread, so none outwaits the others.
 */
export const SQLITE_BUSY_TIMEOUT_MS = 5000;

/** A connection's statements, each SQL text prepared once (the few shapes of query are each their own text). */
export class PreparedStatements {
  readonly #db: DatabaseSync;
  readonly #statements = new Map<string, StatementSync>();

  constructor(db: DatabaseSync) {
    this.#db = db;
  }

  get(sql: string): StatementSync {
    let statement = this.#statements.get(sql);
    if (!statement) this.#statements.set(sql, (statement = this.#db.prepare(sql)));
    return statement;
  }

  /** Lets go of them (the connection is closing). */
  clear(): void {
    this.#statements.clear();
  }
}
