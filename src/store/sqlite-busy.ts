// How long a connection to an SQLite file waits for another's write lock before it
// gives up (SQLITE_BUSY): one figure for the store's connection, the events file's
// retries and the checkpointer thread, so none outwaits the others.
export const SQLITE_BUSY_TIMEOUT_MS = 5000;
