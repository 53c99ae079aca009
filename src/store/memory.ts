// The in-memory store, for tests: the same behaviour as SQLite (documents are kept as
// JSON text, so what comes out is a copy), without a file. Listing sorts on demand,
// which is fine for the few thousand documents a test holds.
import { compareKeys } from './keys.ts';
import { SerializedStore, type KeyRange, type Row, type SyncEngine } from './serialized.ts';
import type { Store } from './store.ts';
import { MemoryEventLog, serializedEventLog } from './event-log.ts';

export function openMemoryStore(): Store {
  const engine = new MemoryEngine();
  const store = new SerializedStore(engine);
  const eventLog = serializedEventLog(store, engine, engine.events);
  return Object.assign(store, { eventLog: () => eventLog });
}

type Collection = Map<string, Row>;

class MemoryEngine implements SyncEngine {
  #collections = new Map<string, Collection>();
  #version = 0;
  /** CloudTrail's event log (appends only, each in a transaction of its own, so never rolled back). */
  readonly events = new MemoryEventLog();
  /** While a transaction is open: each touched document's state before it, to restore on rollback. */
  #undo: Map<string, { collection: string; key: string; before: Row | undefined }> | undefined;

  read(collection: string, key: string): Row | undefined {
    return this.#collections.get(collection)?.get(key);
  }

  write(collection: string, key: string, json: string, version: number): void {
    this.#remember(collection, key);
    let documents = this.#collections.get(collection);
    if (!documents) this.#collections.set(collection, (documents = new Map()));
    documents.set(key, { key, json, version });
  }

  remove(collection: string, key: string): boolean {
    this.#remember(collection, key);
    return this.#collections.get(collection)?.delete(key) ?? false;
  }

  scan(collection: string, range: KeyRange, limit: number | undefined): Row[] {
    const rows = this.#inRange(collection, range).sort((a, b) => compareKeys(a.key, b.key));
    return limit === undefined ? rows : rows.slice(0, limit);
  }

  count(collection: string, range: KeyRange): number {
    return this.#inRange(collection, range).length;
  }

  nextVersion(): number {
    return ++this.#version;
  }

  begin(): void {
    this.#undo = new Map();
  }

  commit(): void {
    this.#undo = undefined;
  }

  rollback(): void {
    for (const { collection, key, before } of this.#undo?.values() ?? []) {
      const documents = this.#collections.get(collection);
      if (before) documents?.set(key, before);
      else documents?.delete(key);
    }
    this.#undo = undefined;
  }

  wipe(): void {
    this.events.clear();
    for (const [collection, documents] of this.#collections) {
      for (const key of documents.keys()) this.#remember(collection, key);
      documents.clear();
    }
  }

  close(): void {
    this.#collections.clear();
    this.events.clear();
  }

  #remember(collection: string, key: string): void {
    const id = JSON.stringify([collection, key]);
    if (this.#undo && !this.#undo.has(id)) this.#undo.set(id, { collection, key, before: this.read(collection, key) });
  }

  #inRange(collection: string, { low, lowInclusive, high }: KeyRange): Row[] {
    return [...(this.#collections.get(collection)?.values() ?? [])].filter((row) => {
      const fromLow = compareKeys(row.key, low);
      return (lowInclusive ? fromLow >= 0 : fromLow > 0) && (high === undefined || compareKeys(row.key, high) < 0);
    });
  }
}
