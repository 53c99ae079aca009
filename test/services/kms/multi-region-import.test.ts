// Multi-Region keys with imported material (Origin EXTERNAL), as AWS KMS behaves: the
// material is not copied to a replica, which waits in PendingImport for its own import
// of the same material; then the copies interoperate, and their states are their own.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { AwsError } from '../../../src/protocol/errors.ts';
import { openStore } from '../../../src/store/index.ts';
import type { Store } from '../../../src/store/store.ts';
import { callKms } from './caller.ts';
import { wrapKeyMaterial } from './crypto/helpers.ts';

const PRIMARY = 'us-east-1';
const REPLICA = 'eu-west-1';

let store: Store;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const call = (operation: string, input: Record<string, unknown>, region = PRIMARY): Promise<any> => callKms(store, operation, input, { region });

function fails(code: string) {
  return (error: unknown) => {
    assert.ok(error instanceof AwsError, String(error));
    assert.equal(error.code, code, error.message);
    return true;
  };
}

async function importInto(keyId: string, region: string, material: Buffer): Promise<void> {
  const params = await call('GetParametersForImport', { KeyId: keyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' }, region);
  await call('ImportKeyMaterial', {
    KeyId: keyId, ImportToken: params.ImportToken, ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE',
    EncryptedKeyMaterial: wrapKeyMaterial(params.PublicKey, 'RSAES_OAEP_SHA_256', material),
  }, region);
}

const state = async (keyId: string, region: string) => (await call('DescribeKey', { KeyId: keyId }, region)).KeyMetadata.KeyState;

describe('multi-Region keys with imported material', () => {
  before(async () => {
    store = await openStore('memory:');
  });

  it('a replica starts in PendingImport and needs its own import of the same material; then it decrypts the primary\'s ciphertexts', async () => {
    const keyId = (await call('CreateKey', { Origin: 'EXTERNAL', MultiRegion: true })).KeyMetadata.KeyId;
    const material = randomBytes(32);
    await importInto(keyId, PRIMARY, material);
    const { CiphertextBlob } = await call('Encrypt', { KeyId: keyId, Plaintext: Buffer.from('across Regions') });

    const { ReplicaKeyMetadata } = await call('ReplicateKey', { KeyId: keyId, ReplicaRegion: REPLICA });
    assert.equal(ReplicaKeyMetadata.KeyState, 'PendingImport');
    assert.equal(ReplicaKeyMetadata.Origin, 'EXTERNAL');
    await assert.rejects(call('Decrypt', { CiphertextBlob }, REPLICA), fails('KMSInvalidStateException'));

    await assert.rejects(importInto(keyId, REPLICA, randomBytes(32)), fails('IncorrectKeyMaterialException'));
    await importInto(keyId, REPLICA, material);
    assert.equal(await state(keyId, REPLICA), 'Enabled');
    const { Plaintext } = await call('Decrypt', { CiphertextBlob }, REPLICA);
    assert.equal(Buffer.from(Plaintext).toString(), 'across Regions');
  });

  it('the copies\' states are their own: deleting the primary\'s material leaves the replica usable', async () => {
    const keyId = (await call('CreateKey', { Origin: 'EXTERNAL', MultiRegion: true })).KeyMetadata.KeyId;
    await call('ReplicateKey', { KeyId: keyId, ReplicaRegion: REPLICA });
    // The first import may be into the replica; the primary must then take the same material.
    const material = randomBytes(32);
    await importInto(keyId, REPLICA, material);
    await assert.rejects(importInto(keyId, PRIMARY, randomBytes(32)), fails('IncorrectKeyMaterialException'));
    await importInto(keyId, PRIMARY, material);

    await call('DeleteImportedKeyMaterial', { KeyId: keyId });
    assert.equal(await state(keyId, PRIMARY), 'PendingImport');
    assert.equal(await state(keyId, REPLICA), 'Enabled');
    await call('Encrypt', { KeyId: keyId, Plaintext: Buffer.from('still') }, REPLICA);
  });
});
