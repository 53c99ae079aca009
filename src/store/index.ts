// Opens the store a --store URL names:
//   sqlite:PATH   the embedded default (PATH's parent directories are created)
//   memory:       nothing on disk, for tests
//   postgres://USER:PASSWORD@HOST:PORT/DATABASE[?schema=NAME]  (or postgresql://)
//                 shared by several Bulwark nodes; see docs/postgres.md
import { StoreUrlError } from './errors.ts';
import { openMemoryStore } from './memory.ts';
import { openPostgresStore } from './postgres.ts';
import { openSqliteStore } from './sqlite.ts';
import type { Store } from './store.ts';

export async function openStore(url: string): Promise<Store> {
  if (url === 'memory:') return openMemoryStore();
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length);
    if (path === '') throw new StoreUrlError(`the store URL '${url}' names no file: use sqlite:PATH`);
    return openSqliteStore(path);
  }
  if (/^postgres(ql)?:\/\//.test(url)) return openPostgresStore(url);
  throw new StoreUrlError(`unknown store URL '${url}': use sqlite:PATH, memory: or postgres://USER:PASSWORD@HOST/DATABASE`);
}

export { openMemoryStore } from './memory.ts';
export { openSqliteStore } from './sqlite.ts';
export { openPostgresStore } from './postgres.ts';
export { StoreClosedError, StoreError, StoreUrlError, SchemaVersionError, TransactionError } from './errors.ts';
export type { Documents, Entry, ListOptions, Page, Store, Transaction } from './store.ts';

/** The store URL with any password hidden, for logs and the health endpoint. */
export { redact as redactStoreUrl } from './postgres-schema.ts';
