// Where the authentication layer finds the secrets of the access keys Bulwark issued.
// IAM (CreateAccessKey) and STS (temporary credentials) write them to one collection,
// keyed by access key id, so a single lookup serves every kind of credential; the
// server keeps what it read until something changes.
import type { CredentialResolver, ResolvedCredential } from '../auth/index.ts';
import type { Store } from '../store/store.ts';

export const ACCESS_KEYS = 'auth.access-keys';

/** A stored credential: ResolvedCredential with its dates as ISO strings. */
export type StoredCredential = Omit<ResolvedCredential, 'expiresAt'> & { expiresAt?: string };

/** A credential resolver that keeps what it read; `invalidate` drops it all. */
export interface CachingCredentialResolver extends CredentialResolver {
  invalidate(): void;
}

/** Enough for every key a busy test fleet uses; past it the cache starts over. */
const MAX_CACHED = 10_000;

/**
 * Reads credentials from the store and keeps them, since every signed request needs
 * one: the server calls `invalidate` on every IAM change (deactivated and deleted keys,
 * renamed users), on change notices from other nodes, on sign-out and on reset. STS only
 * adds new keys, and misses are never kept, so a new key works at once.
 */
export function credentialResolverFor(store: Store): CachingCredentialResolver {
  const cache = new Map<string, ResolvedCredential>();
  let generation = 0;
  return {
    async lookup(accessKeyId) {
      const cached = cache.get(accessKeyId);
      if (cached) return cached;
      const readAt = generation;
      const stored = (await store.get(ACCESS_KEYS, accessKeyId)) as StoredCredential | undefined;
      if (!stored) return undefined;
      const credential = Object.freeze({ ...stored, expiresAt: stored.expiresAt ? new Date(stored.expiresAt) : undefined });
      // A read that raced an invalidation may be stale: use it once, do not keep it.
      if (readAt === generation) {
        if (cache.size >= MAX_CACHED) cache.clear();
        cache.set(accessKeyId, credential);
      }
      return credential;
    },
    invalidate() {
      generation++;
      cache.clear();
    },
  };
}
