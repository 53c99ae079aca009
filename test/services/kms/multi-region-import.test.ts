// Multi-Region keys with imported material (Origin EXTERNAL), as AWS KMS behaves: the
// material is not copied to a replica, which waits in PendingImport for its own import
// of the same material; then the copies interoperate, and their states are their own.
// New material is imported into the primary, then into each replica, before the
// primary's RotateKeyOnDemand rotates them all.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { openStore } from '../../../src/store/index.ts';
import type { Store } from '../../../src/store/store.ts';
import { callKms, fails } from './caller.ts';
import { importKeyMaterial } from './crypto/helpers.ts';

const PRIMARY = 'us-east-1';
const REPLICA = 'eu-west-1';

let store: Store;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const call = (operation: string, input: Record<string, unknown>, region = PRIMARY): Promise<any> => callKms(store, operation, input, { region });

const importInto = (keyId: string, region: string, material: Buffer, extra: Record<string, unknown> = {}) =>
  importKeyMaterial(store, keyId, material, extra, { region });

/** A multi-Region key with imported material (none yet) in the primary Region. */
const externalMultiRegionKey = async (): Promise<string> => (await call('CreateKey', { Origin: 'EXTERNAL', MultiRegion: true })).KeyMetadata.KeyId;

async function materialStates(keyId: string, region: string): Promise<Record<string, string>> {
  const { Rotations } = await call('ListKeyRotations', { KeyId: keyId, IncludeKeyMaterial: 'ALL_KEY_MATERIAL' }, region);
  return Object.fromEntries(Rotations.map((r: { KeyMaterialId: string; KeyMaterialState: string }) => [r.KeyMaterialId, r.KeyMaterialState]));
}

/** A multi-Region key with the same imported material in its primary and its replica. */
async function replicatedImportedKey(): Promise<string> {
  const keyId = await externalMultiRegionKey();
  const material = randomBytes(32);
  await importInto(keyId, PRIMARY, material);
  await call('ReplicateKey', { KeyId: keyId, ReplicaRegion: REPLICA });
  await importInto(keyId, REPLICA, material);
  return keyId;
}

const state = async (keyId: string, region: string) => (await call('DescribeKey', { KeyId: keyId }, region)).KeyMetadata.KeyState;

describe('multi-Region keys with imported material', () => {
  before(async () => {
    store = await openStore('memory:');
  });

  it('a replica starts in PendingImport and needs its own import of the same material; then it decrypts the primary\'s ciphertexts', async () => {
    const keyId = await externalMultiRegionKey();
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
    const keyId = await externalMultiRegionKey();
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

  it('rotating imported material: new material goes into the primary, then into every replica, then RotateKeyOnDemand on the primary rotates all', async () => {
    const keyId = await replicatedImportedKey();

    const next = randomBytes(32);
    const nextId = await importInto(keyId, PRIMARY, next, { ImportType: 'NEW_KEY_MATERIAL' });
    assert.equal((await materialStates(keyId, PRIMARY))[nextId], 'PENDING_MULTI_REGION_IMPORT_AND_ROTATION');
    await assert.rejects(call('RotateKeyOnDemand', { KeyId: keyId }), fails('KMSInvalidStateException'));
    await assert.rejects(importInto(keyId, REPLICA, randomBytes(32), { ImportType: 'NEW_KEY_MATERIAL' }), fails('UnsupportedOperationException'));
    await assert.rejects(importInto(keyId, REPLICA, randomBytes(32), { ImportType: 'EXISTING_KEY_MATERIAL' }), fails('IncorrectKeyMaterialException'));
    await importInto(keyId, REPLICA, next, { ImportType: 'EXISTING_KEY_MATERIAL' });
    assert.equal((await materialStates(keyId, PRIMARY))[nextId], 'PENDING_ROTATION');

    await assert.rejects(call('RotateKeyOnDemand', { KeyId: keyId }, REPLICA), fails('UnsupportedOperationException'));
    await call('RotateKeyOnDemand', { KeyId: keyId });
    for (const region of [PRIMARY, REPLICA]) assert.equal((await materialStates(keyId, region))[nextId], 'CURRENT');
    const { CiphertextBlob, KeyMaterialId } = await call('GenerateDataKey', { KeyId: keyId, KeySpec: 'AES_256' }, REPLICA);
    assert.equal(KeyMaterialId, nextId);
    assert.equal((await call('Decrypt', { CiphertextBlob })).KeyMaterialId, nextId);
  });

  it('deleting a primary\'s material pending rotation deletes it from the replicas too', async () => {
    const keyId = await replicatedImportedKey();
    const next = randomBytes(32);
    const nextId = await importInto(keyId, PRIMARY, next, { ImportType: 'NEW_KEY_MATERIAL' });
    await importInto(keyId, REPLICA, next, { ImportType: 'EXISTING_KEY_MATERIAL' });
    await call('DeleteImportedKeyMaterial', { KeyId: keyId, KeyMaterialId: nextId });
    for (const region of [PRIMARY, REPLICA]) {
      assert.equal((await materialStates(keyId, region))[nextId], undefined);
      assert.equal(await state(keyId, region), 'Enabled');
    }
  });

  it('a replica made after a rotation needs its primary\'s current material to be Enabled; then it decrypts old and new ciphertexts', async () => {
    const keyId = await externalMultiRegionKey();
    const [first, second] = [randomBytes(32), randomBytes(32)];
    await importInto(keyId, PRIMARY, first);
    const old = await call('Encrypt', { KeyId: keyId, Plaintext: Buffer.from('old') });
    await importInto(keyId, PRIMARY, second, { ImportType: 'NEW_KEY_MATERIAL' });
    await call('RotateKeyOnDemand', { KeyId: keyId });
    const recent = await call('Encrypt', { KeyId: keyId, Plaintext: Buffer.from('new') });

    await call('ReplicateKey', { KeyId: keyId, ReplicaRegion: REPLICA });
    await importInto(keyId, REPLICA, first);
    assert.equal(await state(keyId, REPLICA), 'PendingImport');
    await importInto(keyId, REPLICA, second);
    assert.equal(await state(keyId, REPLICA), 'Enabled');
    for (const [blob, text] of [[old.CiphertextBlob, 'old'], [recent.CiphertextBlob, 'new']] as const) {
      assert.equal(Buffer.from((await call('Decrypt', { CiphertextBlob: blob }, REPLICA)).Plaintext).toString(), text);
    }
  });
});
