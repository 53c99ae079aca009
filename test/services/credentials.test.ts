// The credential cache in front of the store: every signed request looks its key up, so
// the server keeps what it read, and forgets all of it on any change.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ACCESS_KEYS, credentialResolverFor, type StoredCredential } from '../../src/services/credentials.ts';
import { openStore } from '../../src/store/index.ts';
import type { Store } from '../../src/store/store.ts';

const stored = (active: boolean): StoredCredential =>
  ({
    accessKeyId: 'AKIAEXAMPLECACHE0001',
    secretAccessKey: 'secret',
    active,
    principal: { type: 'root', accountId: '123456789012', arn: 'arn:aws:iam::123456789012:root' },
    expiresAt: '2030-01-01T00:00:00.000Z',
  }) as unknown as StoredCredential;

/** A store that counts its reads of credentials. */
function countingReads(store: Store): { store: Store; reads: () => number } {
  let reads = 0;
  const counted = Object.create(store) as Store;
  counted.get = (collection: string, key: string) => {
    if (collection === ACCESS_KEYS) reads++;
    return store.get(collection, key);
  };
  return { store: counted, reads: () => reads };
}

describe('credentialResolverFor', () => {
  it('reads a key once and answers later lookups from memory, with its dates as Dates', async () => {
    const base = await openStore('memory:');
    await base.put(ACCESS_KEYS, 'AKIAEXAMPLECACHE0001', stored(true));
    const { store, reads } = countingReads(base);
    const resolver = credentialResolverFor(store);
    const first = await resolver.lookup('AKIAEXAMPLECACHE0001');
    const second = await resolver.lookup('AKIAEXAMPLECACHE0001');
    assert.equal(reads(), 1);
    assert.equal(second, first);
    assert.ok(first?.expiresAt instanceof Date);
    assert.ok(Object.isFrozen(first), 'callers share it, so nobody may change it');
  });

  it('after invalidate reads again and sees the change (a deactivated key)', async () => {
    const store = await openStore('memory:');
    await store.put(ACCESS_KEYS, 'AKIAEXAMPLECACHE0001', stored(true));
    const resolver = credentialResolverFor(store);
    assert.equal((await resolver.lookup('AKIAEXAMPLECACHE0001'))?.active, true);
    await store.put(ACCESS_KEYS, 'AKIAEXAMPLECACHE0001', stored(false));
    assert.equal((await resolver.lookup('AKIAEXAMPLECACHE0001'))?.active, true, 'cached until told');
    resolver.invalidate();
    assert.equal((await resolver.lookup('AKIAEXAMPLECACHE0001'))?.active, false);
  });

  it('never keeps a miss: a key written after a failed lookup is found at once', async () => {
    const store = await openStore('memory:');
    const resolver = credentialResolverFor(store);
    assert.equal(await resolver.lookup('AKIAEXAMPLECACHE0001'), undefined);
    await store.put(ACCESS_KEYS, 'AKIAEXAMPLECACHE0001', stored(true));
    assert.equal((await resolver.lookup('AKIAEXAMPLECACHE0001'))?.active, true);
  });

  it('does not keep a read that an invalidation overtook (it may hold the old value)', async () => {
    const base = await openStore('memory:');
    await base.put(ACCESS_KEYS, 'AKIAEXAMPLECACHE0001', stored(true));
    const { store, reads } = countingReads(base);
    const resolver = credentialResolverFor(store);
    const racing = resolver.lookup('AKIAEXAMPLECACHE0001');
    resolver.invalidate(); // arrives while the read is in flight
    await racing;
    await resolver.lookup('AKIAEXAMPLECACHE0001');
    assert.equal(reads(), 2, 'the raced read was used once, not kept');
  });
});
