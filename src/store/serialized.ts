// The Store interface on top of a synchronous storage engine (SQLite through
// node:sqlite, or plain maps in memory). The engine does one thing at a time on one
// connection, so this layer makes the asynchronous interface safe: an async mutex lets
// one operation or one whole transaction use the engine at a time, which also makes
// transactions serializable within the process. Validation, versions, JSON encoding
// and the transaction rules live here once, so both engines behave the same.
import { AsyncLocalStorage } from 'node:async_hooks';
import { StoreClosedError, TransactionError } from './errors.ts';
import { checkLimit, checkName, checkVersion, compareKeys, encodeValue, prefixUpperBound } from './keys.ts';
import { ForwardingDocuments } from './forwarding.ts';
import type { Documents, Entry, ListOptions, Page, Store, Transaction } from './store.ts';

export interface Row {
  key: string;
  json: string;
  version: number;
}

/** Keys from `low` (inclusive or not) up to `high` (exclusive; open when absent). */
export interface KeyRange {
  low: string;
  lowInclusive: boolean;
  high?: string;
}

/** What an engine must do; every call is synchronous and sees its own uncommitted writes. */
export interface SyncEngine {
  read(collection: string, key: string): Row | undefined;
  /** Inserts or replaces. */
  write(collection: string, key: string, json: string, version: number): void;
  remove(collection: string, key: string): boolean;
  /** Rows in the range, in key order (see compareKeys), at most `limit` of them. */
  scan(collection: string, range: KeyRange, limit: number | undefined): Row[];
  count(collection: string, range: KeyRange): number;
  /** The next value of the store-wide version counter. */
  nextVersion(): number;
  begin(): void;
  commit(): void;
  /** Undoes everything since begin(); harmless when no transaction is open. */
  rollback(): void;
  /** Removes all documents (not the version counter, so versions are never reused). */
  wipe(): void;
  close(): void;
}

export class SerializedStore extends ForwardingDocuments implements Store {
  readonly #engine: SyncEngine;
  readonly #mutex = new Mutex();
  /** Set while a transaction's work runs, so calls back into the store are caught, not deadlocked. */
  readonly #transactionScope = new AsyncLocalStorage<TransactionScope>();
  protected readonly documents: EngineDocuments;
  #closed = false;

  constructor(engine: SyncEngine) {
    super();
    this.#engine = engine;
    this.documents = new EngineDocuments(engine, (operation, writes, body) => this.#runSingle(operation, writes, body));
  }

  async transaction<R>(work: (tx: Transaction) => Promise<R>): Promise<R> {
    this.#checkCallable('transaction');
    return this.#mutex.run(async () => {
      this.#checkOpen();
      const scope: TransactionScope = { active: true };
      const tx = new EngineDocuments(this.#engine, async (operation, _writes, body) => {
        if (!scope.active) throw new TransactionError(`tx.${operation}() was called after its transaction ended`);
        return body();
      });
      this.#engine.begin();
      try {
        const result = await this.#transactionScope.run(scope, () => work(tx));
        scope.active = false; // before commit: nothing may slip in after it
        this.#engine.commit();
        return result;
      } catch (error) {
        scope.active = false;
        this.#engine.rollback();
        throw error;
      }
    });
  }

  async wipe(): Promise<void> {
    this.#checkCallable('wipe');
    await this.#mutex.run(() => {
      this.#checkOpen();
      this.#atomically(() => this.#engine.wipe());
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#checkCallable('close');
    await this.#mutex.run(() => {
      if (this.#closed) return;
      this.#closed = true;
      this.#engine.close();
    });
  }

  async #runSingle<R>(operation: string, writes: boolean, body: () => R): Promise<R> {
    this.#checkCallable(operation);
    return this.#mutex.run(() => {
      this.#checkOpen();
      return writes ? this.#atomically(body) : body();
    });
  }

  /** A write outside a transaction may read first (insert, update): make the pair atomic. */
  #atomically<R>(body: () => R): R {
    this.#engine.begin();
    try {
      const result = body();
      this.#engine.commit();
      return result;
    } catch (error) {
      this.#engine.rollback();
      throw error;
    }
  }

  #checkCallable(operation: string): void {
    this.#checkOpen();
    if (this.#transactionScope.getStore()?.active) {
      const what = operation === 'transaction' ? 'transactions do not nest' : `store.${operation}() was called inside a transaction`;
      throw new TransactionError(`${what}: inside store.transaction(), use its tx (the store would wait for the transaction to end, forever)`);
    }
  }

  #checkOpen(): void {
    if (this.#closed) throw new StoreClosedError();
  }
}

interface TransactionScope {
  active: boolean;
}

/** Runs one operation's synchronous body: for the store, under the mutex; for a transaction, if it is still open. */
type Runner = <R>(operation: string, writes: boolean, body: () => R) => Promise<R>;

/** The Documents methods, once, for both the store and its transactions. */
class EngineDocuments implements Documents {
  readonly #engine: SyncEngine;
  readonly #run: Runner;

  constructor(engine: SyncEngine, run: Runner) {
    this.#engine = engine;
    this.#run = run;
  }

  get<T>(collection: string, key: string): Promise<T | undefined> {
    return this.#run('get', false, () => {
      const row = this.#engine.read(checkName('collection', collection), checkName('key', key));
      return row && (JSON.parse(row.json) as T);
    });
  }

  getEntry<T>(collection: string, key: string): Promise<Entry<T> | undefined> {
    return this.#run('getEntry', false, () => {
      const row = this.#engine.read(checkName('collection', collection), checkName('key', key));
      return row && toEntry<T>(row);
    });
  }

  put(collection: string, key: string, value: unknown): Promise<number> {
    return this.#run('put', true, () => {
      const json = encodeValue(value);
      checkName('collection', collection);
      checkName('key', key);
      const version = this.#engine.nextVersion();
      this.#engine.write(collection, key, json, version);
      return version;
    });
  }

  insert(collection: string, key: string, value: unknown): Promise<boolean> {
    return this.#run('insert', true, () => {
      const json = encodeValue(value);
      checkName('collection', collection);
      checkName('key', key);
      if (this.#engine.read(collection, key)) return false;
      this.#engine.write(collection, key, json, this.#engine.nextVersion());
      return true;
    });
  }

  update(collection: string, key: string, value: unknown, expectedVersion: number): Promise<boolean> {
    return this.#run('update', true, () => {
      const json = encodeValue(value);
      checkName('collection', collection);
      checkName('key', key);
      checkVersion(expectedVersion);
      if (this.#engine.read(collection, key)?.version !== expectedVersion) return false;
      this.#engine.write(collection, key, json, this.#engine.nextVersion());
      return true;
    });
  }

  delete(collection: string, key: string): Promise<boolean> {
    return this.#run('delete', true, () => this.#engine.remove(checkName('collection', collection), checkName('key', key)));
  }

  list<T>(collection: string, options: ListOptions = {}): Promise<Page<T>> {
    return this.#run('list', false, () => {
      checkName('collection', collection);
      const prefix = checkName('prefix', options.prefix ?? '', true);
      const after = options.after === undefined ? undefined : checkName('after', options.after, true);
      const limit = checkLimit(options.limit);
      // One row more than asked says whether another page follows.
      const rows = this.#engine.scan(collection, listRange(prefix, after), limit === undefined ? undefined : limit + 1);
      if (limit === undefined || rows.length <= limit) return { items: rows.map((row) => toEntry<T>(row)) };
      const items = rows.slice(0, limit).map((row) => toEntry<T>(row));
      return { items, next: items[items.length - 1].key };
    });
  }

  count(collection: string, prefix = ''): Promise<number> {
    return this.#run('count', false, () =>
      this.#engine.count(checkName('collection', collection), listRange(checkName('prefix', prefix, true), undefined)),
    );
  }
}

function listRange(prefix: string, after: string | undefined): KeyRange {
  const high = prefixUpperBound(prefix);
  if (after !== undefined && compareKeys(after, prefix) >= 0) return { low: after, lowInclusive: false, high };
  return { low: prefix, lowInclusive: true, high };
}

function toEntry<T>(row: Row): Entry<T> {
  return { key: row.key, value: JSON.parse(row.json) as T, version: row.version };
}

/** Lets one task at a time run, in the order they asked. */
class Mutex {
  #tail: Promise<unknown> = Promise.resolve();

  run<R>(task: () => R | Promise<R>): Promise<R> {
    const result = this.#tail.then(task);
    this.#tail = result.catch(() => {});
    return result;
  }
}
