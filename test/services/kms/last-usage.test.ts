// GetKeyLastUsage called on the handlers directly: which cryptographic operation last
// used a key, when and in which request; failures and dry runs are not uses.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { AwsError } from '../../../src/protocol/errors.ts';
import { flushKeyUses } from '../../../src/services/kms/usage.ts';
import { openStore } from '../../../src/store/index.ts';
import type { Store } from '../../../src/store/store.ts';
import { callKms, lastRequestId } from './caller.ts';

let store: Store;
let now = new Date('2026-03-01T00:00:00Z');

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const call = (operation: string, input: Record<string, unknown>): Promise<any> => callKms(store, operation, input, { now });

async function newKey(input: Record<string, unknown> = {}): Promise<string> {
  return (await call('CreateKey', input)).KeyMetadata.KeyId;
}

describe('GetKeyLastUsage', () => {
  before(async () => {
    store = await openStore('memory:');
  });

  it('a key never used: KeyLastUsage is empty and tracking starts at its creation', async () => {
    const keyId = await newKey();
    const usage = await call('GetKeyLastUsage', { KeyId: keyId });
    assert.equal(usage.KeyId, keyId);
    assert.deepEqual(usage.KeyLastUsage, {});
    assert.deepEqual(usage.KeyCreationDate, now);
    assert.deepEqual(usage.TrackingStartDate, now);
  });

  it('reports the latest successful operation, its time and its request id', async () => {
    const keyId = await newKey();
    const { CiphertextBlob } = await call('Encrypt', { KeyId: keyId, Plaintext: Buffer.from('x') });
    const encryptRequest = lastRequestId();
    let usage = (await call('GetKeyLastUsage', { KeyId: keyId })).KeyLastUsage;
    assert.equal(usage.Operation, 'Encrypt');
    assert.equal(usage.KmsRequestId, encryptRequest);

    now = new Date(now.getTime() + 60_000);
    await call('Decrypt', { CiphertextBlob });
    const decryptRequest = lastRequestId();
    usage = (await call('GetKeyLastUsage', { KeyId: keyId })).KeyLastUsage;
    assert.deepEqual(usage, { Operation: 'Decrypt', Timestamp: now, KmsRequestId: decryptRequest });
  });

  it('ReEncrypt is a use of both its source and its destination key', async () => {
    const [source, destination] = [await newKey(), await newKey()];
    const { CiphertextBlob } = await call('Encrypt', { KeyId: source, Plaintext: Buffer.from('x') });
    await call('ReEncrypt', { CiphertextBlob, DestinationKeyId: destination });
    for (const keyId of [source, destination]) {
      assert.equal((await call('GetKeyLastUsage', { KeyId: keyId })).KeyLastUsage.Operation, 'ReEncrypt');
    }
  });

  it('a failed Verify, a dry run and GetPublicKey are not uses', async () => {
    const keyId = await newKey({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
    const message = Buffer.from('signed');
    const { Signature } = await call('Sign', { KeyId: keyId, Message: message, SigningAlgorithm: 'ECDSA_SHA_256' });
    await assert.rejects(
      call('Verify', { KeyId: keyId, Message: Buffer.from('other'), Signature, SigningAlgorithm: 'ECDSA_SHA_256' }),
      (error: unknown) => error instanceof AwsError && error.code === 'KMSInvalidSignatureException',
    );
    await assert.rejects(
      call('Verify', { KeyId: keyId, Message: message, Signature, SigningAlgorithm: 'ECDSA_SHA_256', DryRun: true }),
      (error: unknown) => error instanceof AwsError && error.code === 'DryRunOperationException',
    );
    await call('GetPublicKey', { KeyId: keyId });
    assert.equal((await call('GetKeyLastUsage', { KeyId: keyId })).KeyLastUsage.Operation, 'Sign');
  });

  it('uses are written to the store: they survive the in-memory tracker', async () => {
    const keyId = await newKey({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' });
    await call('GenerateMac', { KeyId: keyId, Message: Buffer.from('m'), MacAlgorithm: 'HMAC_SHA_256' });
    await flushKeyUses(); // as the server does when it stops; a new tracker then reads the store
    assert.equal((await call('GetKeyLastUsage', { KeyId: keyId })).KeyLastUsage.Operation, 'GenerateMac');
  });

  it('a key deleted after a use not yet written gets no usage record back', async () => {
    const keyId = await newKey();
    await call('Encrypt', { KeyId: keyId, Plaintext: Buffer.from('x') }); // in memory only
    await call('ScheduleKeyDeletion', { KeyId: keyId, PendingWindowInDays: 7 });
    const before = now;
    now = new Date(now.getTime() + 8 * 24 * 3600_000);
    try {
      await assert.rejects(call('DescribeKey', { KeyId: keyId }), (error: unknown) => error instanceof AwsError && error.code === 'NotFoundException');
    } finally {
      now = before;
    }
    await flushKeyUses();
    const usages = await store.list('kms.usage');
    assert.ok(!usages.items.some((u) => u.key.includes(keyId)), 'no usage record for the deleted key');
  });

  it('an unknown key: NotFoundException', async () => {
    await assert.rejects(
      call('GetKeyLastUsage', { KeyId: '00000000-0000-0000-0000-000000000000' }),
      (error: unknown) => error instanceof AwsError && error.code === 'NotFoundException',
    );
  });
});
