// Opens the store a --store URL names:
//   sqlite:PATH   the embedded default (PATH's parent directories are created)
//   memory:       nothing on disk, for tests
//   postgres://…  planned (several Bulwark nodes on one database), not available yet
import { StoreUrlError } from './errors.ts';
import { openMemoryStore } from './memory.ts';
import { openSqliteStore } from './sqlite.ts';
import type { Store } from './store.ts';

export async function openStore(url: string): Promise<Store> {
  if (url === 'memory:') return openMemoryStore();
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length);
    if (path === '') throw new StoreUrlError(`the store URL '${url}' names no file: use sqlite:PATH`);
    return openSqliteStore(path);
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    throw new StoreUrlError('PostgreSQL stores are not supported yet: use sqlite:PATH or memory:');
  }
  throw new StoreUrlError(`unknown store URL '${url}': use sqlite:PATH or memory:`);
}

export { openMemoryStore } from './memory.ts';
export { openSqliteStore } from './sqlite.ts';
export { StoreClosedError, StoreError, StoreUrlError, SchemaVersionError, TransactionError } from './errors.ts';
export type { Documents, Entry, ListOptions, Page, Store, Transaction } from './store.ts';
