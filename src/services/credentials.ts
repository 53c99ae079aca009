// Where the authentication layer finds the secrets of the access keys Bulwark issued.
// IAM (CreateAccessKey) and STS (temporary credentials) write them to one collection,
// keyed by access key id, so a single lookup serves every kind of credential.
import type { CredentialResolver, ResolvedCredential } from '../auth/index.ts';
import type { Store } from '../store/store.ts';

export const ACCESS_KEYS = 'auth.access-keys';

/** A stored credential: ResolvedCredential with its dates as ISO strings. */
export type StoredCredential = Omit<ResolvedCredential, 'expiresAt'> & { expiresAt?: string };

export function credentialResolverFor(store: Store): CredentialResolver {
  return {
    async lookup(accessKeyId) {
      const stored = (await store.get(ACCESS_KEYS, accessKeyId)) as StoredCredential | undefined;
      if (!stored) return undefined;
      return { ...stored, expiresAt: stored.expiresAt ? new Date(stored.expiresAt) : undefined };
    },
  };
}
