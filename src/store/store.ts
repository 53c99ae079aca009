// The one interface behind which all of Bulwark's durable state lives.
//
// Shape: named collections ('iam.users') of JSON documents, each under a string key
// ('123456789012/alice') that the owning service lays out. Keys sort by Unicode code
// point, which is the byte order of their UTF-8 form (SQLite's and PostgreSQL's
// "C" ordering), so a service can list "everything under 123456789012/" in order.
//
// Versions: every write gives the document a new version drawn from one store-wide
// counter that only goes up (never reused, not even after a delete or a wipe), so
// `update(..., expectedVersion)` cannot be fooled by delete-then-recreate.
//
// Transactions: `store.transaction(async (tx) => ...)` runs `work` serializably: all
// of its reads and writes commit together or, if it throws, not at all. Rules:
//  - Use only `tx` inside `work`. Calling the store itself (store.get, a nested
//    store.transaction, wipe, close) from inside is rejected with a TransactionError,
//    rather than joined: joining would hide which writes a rollback undoes.
//  - `work` may run more than once (a PostgreSQL store retries serialization
//    failures), so it must not have effects outside `tx`; do those after it returns.
//  - `tx` is dead once `work` settles; using it later throws a TransactionError.
// A single operation outside a transaction is atomic on its own.
//
// Secondary lookups ("the access key with this id, in whichever account"): a service
// keeps its own index collection (e.g. 'iam.access-key-ids', key = the id, value =
// where the record lives) and writes it in the same transaction as the record. Its
// `insert` makes the index unique for free. The store has no index feature of its own.
//
// Append-heavy ordered data (CloudTrail events) has its own interface, `eventLog()`
// (event-log.ts); nothing here is meant for millions of documents in one collection.
import type { EventLog } from './event-log.ts';

export interface Entry<T = unknown> {
  key: string;
  value: T;
  /** Changes on every write of this document; compare it in `update`. */
  version: number;
}

export interface ListOptions {
  /** Only keys that start with this string (compared exactly, no wildcards). */
  prefix?: string;
  /** Only keys sorting strictly after this one: the `next` of the previous page. */
  after?: string;
  /** At most this many entries (a positive integer); all when absent. */
  limit?: number;
}

export interface Page<T = unknown> {
  /** In key order. */
  items: Entry<T>[];
  /** Pass as `after` to read the next page; absent when this page is the last. */
  next?: string;
}

/** What a transaction and the store itself both offer: reads and writes of documents. */
export interface Documents {
  /** The document's value, or undefined when there is none. */
  get<T = unknown>(collection: string, key: string): Promise<T | undefined>;
  /** The document with its version, or undefined when there is none. */
  getEntry<T = unknown>(collection: string, key: string): Promise<Entry<T> | undefined>;
  /** Writes the document whether or not it exists; returns its new version. */
  put(collection: string, key: string, value: unknown): Promise<number>;
  /** Creates the document only if the key is free; false (nothing written) if it is taken. */
  insert(collection: string, key: string, value: unknown): Promise<boolean>;
  /**
   * Replaces the document only if it still has `expectedVersion`; false (nothing
   * written) if it changed or was deleted since that version was read.
   */
  update(collection: string, key: string, value: unknown, expectedVersion: number): Promise<boolean>;
  /** Removes the document; false if there was none. */
  delete(collection: string, key: string): Promise<boolean>;
  list<T = unknown>(collection: string, options?: ListOptions): Promise<Page<T>>;
  count(collection: string, prefix?: string): Promise<number>;
}

export type Transaction = Documents;

export interface Store extends Documents {
  /** Runs `work` atomically and in isolation; see the rules at the top of this file. */
  transaction<R>(work: (tx: Transaction) => Promise<R>): Promise<R>;
  /** Removes every document of every collection (POST /_bulwark/reset). */
  wipe(): Promise<void>;
  /** Waits for operations in flight, then closes; every later call throws StoreClosedError. */
  close(): Promise<void>;
  /**
   * Change notices between Bulwark nodes that share one database (PostgreSQL), so each
   * can drop what it caches. `notify(topic)` reaches the `onChange` listeners of every
   * store open on that database, this one included, soon after it resolves (a notice is
   * a hint: listeners re-read the store). Absent on stores only one process uses, where
   * the caller's own local invalidation is all there is to do.
   */
  notify?(topic: string): Promise<void>;
  /**
   * Calls `listener` on each notice for `topic`, and also when notices may have been
   * missed (the store lost and regained its connection). Returns a function that stops it.
   */
  onChange?(topic: string, listener: () => void): () => void;
  /**
   * The append-only log of recorded API events (CloudTrail), kept beside the documents
   * and emptied by `wipe`. Absent on a store that has none (callers fall back to documents).
   */
  eventLog?(): EventLog;
}
