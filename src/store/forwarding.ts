// The single-operation document methods every store offers, handed on to the object
// that does them (the store's own Documents, which knows how it runs one operation).
import type { Documents, Entry, ListOptions, Page } from './store.ts';

export abstract class ForwardingDocuments implements Documents {
  protected abstract readonly documents: Documents;

  get<T = unknown>(collection: string, key: string): Promise<T | undefined> {
    return this.documents.get<T>(collection, key);
  }
  getEntry<T = unknown>(collection: string, key: string): Promise<Entry<T> | undefined> {
    return this.documents.getEntry<T>(collection, key);
  }
  put(collection: string, key: string, value: unknown): Promise<number> {
    return this.documents.put(collection, key, value);
  }
  insert(collection: string, key: string, value: unknown): Promise<boolean> {
    return this.documents.insert(collection, key, value);
  }
  update(collection: string, key: string, value: unknown, expectedVersion: number): Promise<boolean> {
    return this.documents.update(collection, key, value, expectedVersion);
  }
  delete(collection: string, key: string): Promise<boolean> {
    return this.documents.delete(collection, key);
  }
  list<T = unknown>(collection: string, options?: ListOptions): Promise<Page<T>> {
    return this.documents.list<T>(collection, options);
  }
  count(collection: string, prefix?: string): Promise<number> {
    return this.documents.count(collection, prefix);
  }
}
