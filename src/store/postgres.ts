// The shared store: PostgreSQL through `pg`, so several Bulwark nodes can serve one
// state. A single operation is one autocommitted statement (each is atomic on its
// own: insert is ON CONFLICT DO NOTHING, update compares the version in its WHERE).
// A transaction runs at SERIALIZABLE isolation on one pooled connection; when
// PostgreSQL aborts it for a serialization failure or a deadlock, its work runs again
// from the start (the Store interface allows this), after a short random pause.
//
// A lost connection (the server restarted, a connection was cut) is retried too, but
// only where running again cannot repeat a write: a transaction that had not sent its
// COMMIT (PostgreSQL rolled it back), a read, or any statement whose connection could
// not be opened. A write cut off in flight may have committed, so it fails instead.
import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';
import { StoreClosedError, TransactionError } from './errors.ts';
import { checkLimit, checkName, checkVersion, compareKeys, encodeValue, prefixUpperBound } from './keys.ts';
import { ChangeFeed, changeChannel, checkTopic } from './postgres-changes.ts';
import { migrate, parseStoreUrl, quoteIdentifier } from './postgres-schema.ts';
import { checkQuery, documentOutbox, type EventLog } from './event-log.ts';
import { PostgresEventLog, postgresEventLogWipe } from './event-log-postgres.ts';
import { ForwardingDocuments } from './forwarding.ts';
import type { Documents, Entry, ListOptions, Page, Store, Transaction } from './store.ts';

/** SQLSTATEs after which a transaction may simply be run again. */
const RETRYABLE = new Set(['40001' /* serialization_failure */, '40P01' /* deadlock_detected */]);
/** SQLSTATEs of a connection that is gone (class 08) or a server shutting down or starting. */
const CONNECTION_LOST = /^(08...|57P0[123])$/;
/** Node's socket errors, and pg's own words for a connection that ended under it. */
const SOCKET_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND']);
const PG_CONNECTION_ENDED = /Connection terminated|Client has encountered a connection error|Client was closed/i;
const MAX_ATTEMPTS = 50;
const MAX_PAUSE_MS = 100;
/** Reconnecting waits 50 ms, 100 ms, ... up to 1 s: about 6 s in all before giving up. */
const MAX_CONNECTION_ATTEMPTS = 10;
const MAX_CONNECTION_PAUSE_MS = 1000;
/** Operations that only read: safe to send again after a connection was lost under them. */
const READS = new Set(['get', 'getEntry', 'list', 'count']);
const POOL_SIZE = 10;

export interface PostgresStoreOptions {
  /** Connections per node (default 10). */
  poolSize?: number;
}

/**
 * Opens (creating or migrating its tables) the store at a postgres:// or postgresql://
 * URL. `?schema=NAME` puts the tables in that schema (created if missing) instead of
 * `public`, so several Bulwark deployments or test runs can share one database.
 */
export async function openPostgresStore(url: string, options: PostgresStoreOptions = {}): Promise<Store> {
  const { connectionString, schema } = parseStoreUrl(url);
  const config: pg.ClientConfig = { connectionString, application_name: 'bulwark' };
  const pool = new pg.Pool({ ...config, max: options.poolSize ?? POOL_SIZE });
  // An idle connection that breaks is dropped by the pool; without a handler it would crash the process.
  pool.on('error', () => {});
  try {
    const client = await pool.connect();
    try {
      await migrate(client, schema);
    } finally {
      client.release();
    }
    const feed = await ChangeFeed.open({ ...config, application_name: 'bulwark-changes' }, changeChannel(schema));
    return new PostgresStore(pool, new Statements(quoteIdentifier(schema)), feed, changeChannel(schema), new PostgresEventLog(pool, config, quoteIdentifier(schema)));
  } catch (error) {
    await pool.end().catch(() => {});
    throw error;
  }
}

/** The SQL texts, built once for the store's schema. */
class Statements {
  readonly get: string;
  readonly put: string;
  readonly insert: string;
  readonly update: string;
  readonly delete: string;
  readonly wipe: string;
  readonly #documents: string;

  constructor(schema: string) {
    const documents = `${schema}.documents`;
    const nextVersion = `nextval('${schema}.document_versions')`;
    this.#documents = documents;
    this.get = `SELECT key, value, version FROM ${documents} WHERE collection = $1 AND key = $2`;
    this.put = `INSERT INTO ${documents} (collection, key, value, version) VALUES ($1, $2, $3, ${nextVersion})
                ON CONFLICT (collection, key) DO UPDATE SET value = EXCLUDED.value, version = EXCLUDED.version
                RETURNING version`;
    this.insert = `INSERT INTO ${documents} (collection, key, value, version) VALUES ($1, $2, $3, ${nextVersion})
                   ON CONFLICT (collection, key) DO NOTHING`;
    this.update = `UPDATE ${documents} SET value = $3, version = ${nextVersion}
                   WHERE collection = $1 AND key = $2 AND version = $4`;
    this.delete = `DELETE FROM ${documents} WHERE collection = $1 AND key = $2`;
    this.wipe = `DELETE FROM ${documents}; ${postgresEventLogWipe(schema)}`;
  }

  /** Keys in [low, high) (or (low, high)); the range keeps the primary key index usable. */
  scan(range: KeyRange): string {
    return `SELECT key, value, version FROM ${this.#documents} WHERE ${rangeCondition(range)} ORDER BY key LIMIT $${rangeParameterCount(range) + 1}`;
  }

  count(range: KeyRange): string {
    return `SELECT count(*) AS n FROM ${this.#documents} WHERE ${rangeCondition(range)}`;
  }
}

interface KeyRange {
  low: string;
  lowInclusive: boolean;
  high?: string;
}

function listRange(prefix: string, after: string | undefined): KeyRange {
  const high = prefixUpperBound(prefix);
  if (after !== undefined && compareKeys(after, prefix) >= 0) return { low: after, lowInclusive: false, high };
  return { low: prefix, lowInclusive: true, high };
}

function rangeCondition({ lowInclusive, high }: KeyRange): string {
  return `collection = $1 AND key ${lowInclusive ? '>=' : '>'} $2${high === undefined ? '' : ' AND key < $3'}`;
}

function rangeParameterCount(range: KeyRange): number {
  return range.high === undefined ? 2 : 3;
}

function rangeParameters(collection: string, { low, high }: KeyRange): string[] {
  return high === undefined ? [collection, low] : [collection, low, high];
}

interface DocumentRow {
  key: string;
  value: string;
  /** bigint arrives as text. */
  version: string;
}

type Queryable = Pick<pg.ClientBase, 'query'>;

/** Runs one operation's SQL: for the store on the pool, for a transaction on its connection. */
type Runner = <R>(operation: string, body: (db: Queryable) => Promise<R>) => Promise<R>;

interface TransactionScope {
  active: boolean;
  /** The first retryable failure of this attempt, even if the work caught it. */
  conflict?: unknown;
  /** The first lost connection of this attempt; retryable unless COMMIT had been sent. */
  lostConnection?: unknown;
  commitSent?: boolean;
}

class PostgresStore extends ForwardingDocuments implements Store {
  readonly #pool: pg.Pool;
  readonly #sql: Statements;
  readonly #feed: ChangeFeed;
  readonly #channel: string;
  protected readonly documents: SqlDocuments;
  readonly #eventLog: EventLog;
  readonly #events: PostgresEventLog;
  /** Set while a transaction's work runs, so calls back into the store are caught. */
  readonly #transactionScope = new AsyncLocalStorage<TransactionScope>();
  readonly #inFlight = new Set<Promise<unknown>>();
  #closed = false;
  #closing: Promise<void> | undefined;

  constructor(pool: pg.Pool, sql: Statements, feed: ChangeFeed, channel: string, events: PostgresEventLog) {
    super();
    this.#pool = pool;
    this.#sql = sql;
    this.#feed = feed;
    this.#channel = channel;
    this.documents = new SqlDocuments(sql, (operation, body) => this.#track(operation, () => runStatement(this.#pool, operation, body)));
    this.#events = events;
    // Appends only insert new rows, so they need no serializable retry; track them for close().
    this.#eventLog = {
      append: (batch) => this.#track('eventLog.append', () => events.append(batch)),
      ...documentOutbox(this),
      query: async (query) => {
        checkQuery(query);
        return this.#track('eventLog.query', () => events.query(query));
      },
      deleteBefore: (timeMs) => this.#track('eventLog.deleteBefore', () => events.deleteBefore(timeMs)),
    };
  }

  eventLog(): EventLog {
    return this.#eventLog;
  }

  transaction<R>(work: (tx: Transaction) => Promise<R>): Promise<R> {
    return this.#track('transaction', async () => {
      for (let attempt = 1, reconnects = 0; ; attempt++) {
        const scope: TransactionScope = { active: true };
        try {
          return await this.#attempt(work, scope);
        } catch (error) {
          if (scope.lostConnection !== undefined && !scope.commitSent && ++reconnects < MAX_CONNECTION_ATTEMPTS) {
            await connectionPause(reconnects);
          } else if (scope.conflict !== undefined && scope.lostConnection === undefined && attempt < MAX_ATTEMPTS) {
            await pause(attempt);
          } else {
            throw error;
          }
        }
      }
    });
  }

  async #attempt<R>(work: (tx: Transaction) => Promise<R>, scope: TransactionScope): Promise<R> {
    const noteConflict = (error: unknown) => {
      if (isRetryable(error)) scope.conflict ??= error;
      if (isConnectionLost(error)) scope.lostConnection ??= error;
      return error;
    };
    const client = await this.#pool.connect().catch((error) => {
      throw noteConflict(error);
    });
    // A connection cut while the work runs (not inside a query) reports here; unheard it would crash the process.
    client.on('error', noteConflict);
    const tx = new SqlDocuments(this.#sql, async (operation, body) => {
      if (!scope.active) throw new TransactionError(`tx.${operation}() was called after its transaction ended`);
      try {
        return await body(client);
      } catch (error) {
        throw noteConflict(error);
      }
    });
    let healthy = true;
    try {
      await client.query('BEGIN ISOLATION LEVEL SERIALIZABLE').catch((error) => {
        throw noteConflict(error);
      });
      const result = await this.#transactionScope.run(scope, () => work(tx));
      scope.active = false; // before commit: nothing may slip in after it
      // PostgreSQL aborted the transaction even if the work caught the error: run it again.
      if (scope.conflict !== undefined) throw scope.conflict;
      if (scope.lostConnection !== undefined) throw scope.lostConnection;
      scope.commitSent = true;
      await client.query('COMMIT').catch((error) => {
        throw noteConflict(error);
      });
      return result;
    } catch (error) {
      scope.active = false;
      await client.query('ROLLBACK').catch(() => (healthy = false));
      throw error;
    } finally {
      client.off('error', noteConflict);
      client.release(!healthy);
    }
  }

  wipe(): Promise<void> {
    return this.#track('wipe', async () => {
      await this.#pool.query(this.#sql.wipe);
    });
  }

  notify(topic: string): Promise<void> {
    return this.#track('notify', async () => {
      await this.#pool.query('SELECT pg_notify($1, $2)', [this.#channel, checkTopic(topic)]);
    });
  }

  onChange(topic: string, listener: () => void): () => void {
    this.#checkCallable('onChange');
    return this.#feed.on(topic, listener);
  }

  close(): Promise<void> {
    if (this.#closing) return this.#closing;
    try {
      this.#checkCallable('close');
    } catch (error) {
      return Promise.reject(error);
    }
    this.#closed = true;
    return (this.#closing = (async () => {
      while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
      await this.#feed.close();
      await this.#events.close();
      await this.#pool.end();
    })());
  }

  /** Checks the call is allowed now (synchronously, so close() sees it), and keeps it in flight. */
  #track<R>(operation: string, body: () => Promise<R>): Promise<R> {
    try {
      this.#checkCallable(operation);
    } catch (error) {
      return Promise.reject(error);
    }
    const running = body();
    this.#inFlight.add(running);
    const forget = () => this.#inFlight.delete(running);
    running.then(forget, forget);
    return running;
  }

  #checkCallable(operation: string): void {
    if (this.#closed) throw new StoreClosedError();
    if (this.#transactionScope.getStore()?.active) {
      const what = operation === 'transaction' ? 'transactions do not nest' : `store.${operation}() was called inside a transaction`;
      throw new TransactionError(`${what}: inside store.transaction(), use its tx (a second connection could wait on the first, forever)`);
    }
  }
}

/**
 * Runs one autocommitted statement on a pooled connection. A conflict (a deadlock) runs
 * it again; so does a lost connection, if the statement only reads or was never sent.
 */
async function runStatement<R>(pool: pg.Pool, operation: string, body: (db: Queryable) => Promise<R>): Promise<R> {
  for (let attempt = 1, reconnects = 0; ; attempt++) {
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (error) {
      if (!isConnectionLost(error) || ++reconnects >= MAX_CONNECTION_ATTEMPTS) throw error;
      await connectionPause(reconnects);
      continue;
    }
    let lost = false;
    const onError = () => (lost = true); // the connection broke between queries: the pool must not keep it
    client.on('error', onError);
    try {
      return await body(client);
    } catch (error) {
      lost = isConnectionLost(error);
      if (lost && READS.has(operation) && ++reconnects < MAX_CONNECTION_ATTEMPTS) {
        await connectionPause(reconnects);
      } else if (!lost && isRetryable(error) && attempt < MAX_ATTEMPTS) {
        await pause(attempt);
      } else {
        throw error;
      }
    } finally {
      client.off('error', onError);
      client.release(lost);
    }
  }
}

function isRetryable(error: unknown): boolean {
  return error instanceof Error && RETRYABLE.has((error as { code?: string }).code ?? '');
}

function isConnectionLost(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (CONNECTION_LOST.test(code) || SOCKET_ERRORS.has(code))) return true;
  return PG_CONNECTION_ENDED.test(error.message);
}

function connectionPause(attempt: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.min(MAX_CONNECTION_PAUSE_MS, 25 * 2 ** attempt)));
}

/** A random pause that grows with the attempt, so colliding transactions spread out. */
function pause(attempt: number): Promise<void> {
  const ceiling = Math.min(MAX_PAUSE_MS, 2 ** attempt);
  return new Promise((resolve) => setTimeout(resolve, Math.random() * ceiling));
}

/** The Documents methods, once, for both the store and its transactions. */
class SqlDocuments implements Documents {
  readonly #sql: Statements;
  readonly #run: Runner;

  constructor(sql: Statements, run: Runner) {
    this.#sql = sql;
    this.#run = run;
  }

  async get<T>(collection: string, key: string): Promise<T | undefined> {
    return (await this.#read<T>('get', collection, key))?.value;
  }

  getEntry<T>(collection: string, key: string): Promise<Entry<T> | undefined> {
    return this.#read<T>('getEntry', collection, key);
  }

  #read<T>(operation: string, collection: string, key: string): Promise<Entry<T> | undefined> {
    return this.#run(operation, async (db) => {
      const { rows } = await db.query<DocumentRow>(this.#sql.get, [checkName('collection', collection), checkName('key', key)]);
      return rows.length === 0 ? undefined : toEntry<T>(rows[0]);
    });
  }

  put(collection: string, key: string, value: unknown): Promise<number> {
    return this.#run('put', async (db) => {
      const json = encodeValue(value);
      const { rows } = await db.query<{ version: string }>(this.#sql.put, [checkName('collection', collection), checkName('key', key), json]);
      return Number(rows[0].version);
    });
  }

  insert(collection: string, key: string, value: unknown): Promise<boolean> {
    return this.#run('insert', async (db) => {
      const json = encodeValue(value);
      const { rowCount } = await db.query(this.#sql.insert, [checkName('collection', collection), checkName('key', key), json]);
      return rowCount === 1;
    });
  }

  update(collection: string, key: string, value: unknown, expectedVersion: number): Promise<boolean> {
    return this.#run('update', async (db) => {
      const json = encodeValue(value);
      const parameters = [checkName('collection', collection), checkName('key', key), json, checkVersion(expectedVersion)];
      const { rowCount } = await db.query(this.#sql.update, parameters);
      return rowCount === 1;
    });
  }

  delete(collection: string, key: string): Promise<boolean> {
    return this.#run('delete', async (db) => {
      const { rowCount } = await db.query(this.#sql.delete, [checkName('collection', collection), checkName('key', key)]);
      return (rowCount ?? 0) > 0;
    });
  }

  list<T>(collection: string, options: ListOptions = {}): Promise<Page<T>> {
    return this.#run('list', async (db) => {
      checkName('collection', collection);
      const prefix = checkName('prefix', options.prefix ?? '', true);
      const after = options.after === undefined ? undefined : checkName('after', options.after, true);
      const limit = checkLimit(options.limit);
      const range = listRange(prefix, after);
      // One row more than asked says whether another page follows.
      const { rows } = await db.query<DocumentRow>(this.#sql.scan(range), [
        ...rangeParameters(collection, range),
        limit === undefined ? null : limit + 1,
      ]);
      if (limit === undefined || rows.length <= limit) return { items: rows.map((row) => toEntry<T>(row)) };
      const items = rows.slice(0, limit).map((row) => toEntry<T>(row));
      return { items, next: items[items.length - 1].key };
    });
  }

  count(collection: string, prefix = ''): Promise<number> {
    return this.#run('count', async (db) => {
      checkName('collection', collection);
      const range = listRange(checkName('prefix', prefix, true), undefined);
      const { rows } = await db.query<{ n: string }>(this.#sql.count(range), rangeParameters(collection, range));
      return Number(rows[0].n);
    });
  }
}

function toEntry<T>(row: DocumentRow): Entry<T> {
  return { key: row.key, value: JSON.parse(row.value) as T, version: Number(row.version) };
}
