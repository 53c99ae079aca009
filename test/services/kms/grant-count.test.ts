// The key's grant count lets the access declaration skip listing grants for a key that
// has none; these tests check that a grant is never missed because of it: the count
// follows CreateGrant, RevokeGrant and RetireGrant, survives a write of a key record
// read before the grant existed, and records without a count still list their grants.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Principal } from '../../../src/auth/principal.ts';
import { Clock } from '../../../src/lib/clock.ts';
import type { RequestContext } from '../../../src/services/service.ts';
import { kms } from '../../../src/services/kms/index.ts';
import { saveKey } from '../../../src/services/kms/keys.ts';
import { KMS_COLLECTIONS, keyKey, type KeyRecord } from '../../../src/services/kms/records.ts';
import { openStore } from '../../../src/store/index.ts';
import type { Store } from '../../../src/store/store.ts';

const ACCOUNT = '123456789012';
const ROOT: Principal = { type: 'Root', accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:root`, userId: ACCOUNT };
const GRANTEE = `arn:aws:iam::${ACCOUNT}:user/grantee`;

let store: Store;

function context(): RequestContext {
  return { requestId: 'r', principal: ROOT, accessKeyId: undefined, region: 'us-east-1', now: new Date(), clock: new Clock(), store, defaultAccountId: ACCOUNT, sourceIp: undefined };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function call(operation: string, input: Record<string, unknown>): Promise<any> {
  return kms.handlers[operation]!(input, context());
}

async function storedKey(keyId: string): Promise<KeyRecord> {
  return (await store.get<KeyRecord>(KMS_COLLECTIONS.keys, keyKey(ACCOUNT, 'us-east-1', keyId)))!;
}

/** The key policy statements Encrypt's access declaration adds for grants. */
async function grantStatementsForEncrypt(keyId: string): Promise<unknown[]> {
  const [requirement] = await kms.access.Encrypt!({ KeyId: keyId, Plaintext: Buffer.from('x') }, context());
  const document = JSON.parse(requirement!.resourcePolicy!.document) as { Statement: { Sid?: string }[] };
  return document.Statement.filter((statement) => statement.Sid?.startsWith('grant-'));
}

describe('KMS grant count', () => {
  before(async () => {
    store = await openStore('memory:');
  });

  it('a new key counts no grants, and CreateGrant, RevokeGrant and RetireGrant keep the count', async () => {
    const { KeyMetadata } = await call('CreateKey', {});
    const keyId = KeyMetadata.KeyId as string;
    assert.equal((await storedKey(keyId)).grantCount, 0);
    assert.deepEqual(await grantStatementsForEncrypt(keyId), []);

    const first = await call('CreateGrant', { KeyId: keyId, GranteePrincipal: GRANTEE, Operations: ['Encrypt'] });
    const second = await call('CreateGrant', { KeyId: keyId, GranteePrincipal: GRANTEE, Operations: ['Decrypt'], RetiringPrincipal: GRANTEE });
    assert.equal((await storedKey(keyId)).grantCount, 2);
    assert.equal((await grantStatementsForEncrypt(keyId)).length, 1);

    await call('RevokeGrant', { KeyId: keyId, GrantId: first.GrantId });
    assert.equal((await storedKey(keyId)).grantCount, 1);
    assert.deepEqual(await grantStatementsForEncrypt(keyId), []);
    await call('RetireGrant', { GrantToken: second.GrantToken });
    assert.equal((await storedKey(keyId)).grantCount, 0);
  });

  it('a key record read before CreateGrant and written after it keeps the new count', async () => {
    const { KeyMetadata } = await call('CreateKey', {});
    const keyId = KeyMetadata.KeyId as string;
    const readBeforeTheGrant = await storedKey(keyId);
    await call('CreateGrant', { KeyId: keyId, GranteePrincipal: GRANTEE, Operations: ['Encrypt'] });

    readBeforeTheGrant.description = 'changed meanwhile';
    await saveKey(store, readBeforeTheGrant);
    const stored = await storedKey(keyId);
    assert.equal(stored.description, 'changed meanwhile');
    assert.equal(stored.grantCount, 1);
    assert.equal((await grantStatementsForEncrypt(keyId)).length, 1);
  });

  it('a key record without a count (stored before counts existed) has its grants listed', async () => {
    const { KeyMetadata } = await call('CreateKey', {});
    const keyId = KeyMetadata.KeyId as string;
    await call('CreateGrant', { KeyId: keyId, GranteePrincipal: GRANTEE, Operations: ['Encrypt'] });
    const legacy = await storedKey(keyId);
    delete legacy.grantCount;
    await store.put(KMS_COLLECTIONS.keys, keyKey(ACCOUNT, 'us-east-1', keyId), legacy);

    assert.equal((await grantStatementsForEncrypt(keyId)).length, 1);
  });
});
