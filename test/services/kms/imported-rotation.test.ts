// On-demand rotation of symmetric keys with imported material, as AWS KMS does it:
// new material is imported as NEW_KEY_MATERIAL and waits in PENDING_ROTATION until
// RotateKeyOnDemand makes it current; every material the key holds for good must stay
// imported, or the key is PendingImport.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { openStore } from '../../../src/store/index.ts';
import type { Store } from '../../../src/store/store.ts';
import { callKms, fails } from './caller.ts';
import { importKeyMaterial } from './crypto/helpers.ts';

const DAY_MS = 86_400_000;

let store: Store;
let now = new Date('2026-05-01T00:00:00Z');

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const call = (operation: string, input: Record<string, unknown>): Promise<any> => callKms(store, operation, input, { now });

const importMaterial = (keyId: string, material: Buffer, extra: Record<string, unknown> = {}) => importKeyMaterial(store, keyId, material, extra, { now });

async function importedKey(): Promise<{ keyId: string; first: string; material: Buffer }> {
  const keyId = (await call('CreateKey', { Origin: 'EXTERNAL' })).KeyMetadata.KeyId;
  const material = randomBytes(32);
  return { keyId, first: await importMaterial(keyId, material), material };
}

async function materials(keyId: string): Promise<Record<string, string>> {
  const { Rotations } = await call('ListKeyRotations', { KeyId: keyId, IncludeKeyMaterial: 'ALL_KEY_MATERIAL' });
  return Object.fromEntries(Rotations.map((r: { KeyMaterialId: string; KeyMaterialState: string; ImportState: string }) => [r.KeyMaterialId, `${r.KeyMaterialState}/${r.ImportState}`]));
}

const state = async (keyId: string) => (await call('DescribeKey', { KeyId: keyId })).KeyMetadata.KeyState;

describe('on-demand rotation of imported key material', () => {
  before(async () => {
    store = await openStore('memory:');
  });

  it('NEW_KEY_MATERIAL waits in PENDING_ROTATION; RotateKeyOnDemand makes it current; old ciphertexts still decrypt', async () => {
    const { keyId, first } = await importedKey();
    const before = await call('Encrypt', { KeyId: keyId, Plaintext: Buffer.from('before') });
    const second = await importMaterial(keyId, randomBytes(32), { ImportType: 'NEW_KEY_MATERIAL', KeyMaterialDescription: 'second' });
    assert.deepEqual(await materials(keyId), { [first]: 'CURRENT/IMPORTED', [second]: 'PENDING_ROTATION/IMPORTED' });
    assert.deepEqual((await call('ListKeyRotations', { KeyId: keyId })).Rotations, []);
    assert.equal((await call('GenerateDataKey', { KeyId: keyId, KeySpec: 'AES_256' })).KeyMaterialId, first);

    await call('RotateKeyOnDemand', { KeyId: keyId });
    assert.deepEqual(await materials(keyId), { [first]: 'NON_CURRENT/IMPORTED', [second]: 'CURRENT/IMPORTED' });
    const [rotation] = (await call('ListKeyRotations', { KeyId: keyId })).Rotations;
    assert.equal(rotation.KeyMaterialId, second);
    assert.equal(rotation.RotationType, 'ON_DEMAND');
    assert.equal(rotation.KeyMaterialDescription, 'second');
    const after = await call('Encrypt', { KeyId: keyId, Plaintext: Buffer.from('after') });
    assert.equal((await call('Decrypt', { CiphertextBlob: after.CiphertextBlob })).KeyMaterialId, second);
    assert.equal(Buffer.from((await call('Decrypt', { CiphertextBlob: before.CiphertextBlob })).Plaintext).toString(), 'before');
  });

  it('RotateKeyOnDemand without pending material, or a second NEW import while one is pending: KMSInvalidStateException', async () => {
    const { keyId } = await importedKey();
    await assert.rejects(call('RotateKeyOnDemand', { KeyId: keyId }), fails('KMSInvalidStateException'));
    await importMaterial(keyId, randomBytes(32), { ImportType: 'NEW_KEY_MATERIAL' });
    await assert.rejects(importMaterial(keyId, randomBytes(32), { ImportType: 'NEW_KEY_MATERIAL' }), fails('KMSInvalidStateException'));
  });

  it('pending material is not the key\'s for good: deleting it leaves the key Enabled and other material may take its place', async () => {
    const { keyId, first } = await importedKey();
    const pending = await importMaterial(keyId, randomBytes(32), { ImportType: 'NEW_KEY_MATERIAL' });
    await call('DeleteImportedKeyMaterial', { KeyId: keyId, KeyMaterialId: pending });
    assert.equal(await state(keyId), 'Enabled');
    assert.deepEqual(await materials(keyId), { [first]: 'CURRENT/IMPORTED' });
    const other = await importMaterial(keyId, randomBytes(32), { ImportType: 'NEW_KEY_MATERIAL' });
    assert.equal((await materials(keyId))[other], 'PENDING_ROTATION/IMPORTED');
  });

  it('deleting non-current material makes the key PendingImport until the same material (KeyMaterialId checked) is imported again', async () => {
    const { keyId, first, material } = await importedKey();
    await importMaterial(keyId, randomBytes(32), { ImportType: 'NEW_KEY_MATERIAL' });
    await call('RotateKeyOnDemand', { KeyId: keyId });
    await call('DeleteImportedKeyMaterial', { KeyId: keyId, KeyMaterialId: first });
    assert.equal(await state(keyId), 'PendingImport');
    assert.equal((await materials(keyId))[first], 'NON_CURRENT/PENDING_IMPORT');
    await assert.rejects(importMaterial(keyId, material, { KeyMaterialId: 'f'.repeat(64) }), fails('IncorrectKeyMaterialException'));
    await assert.rejects(importMaterial(keyId, randomBytes(32)), fails('IncorrectKeyMaterialException'));
    await importMaterial(keyId, material, { ImportType: 'EXISTING_KEY_MATERIAL', KeyMaterialId: first });
    assert.equal(await state(keyId), 'Enabled');
  });

  it('expiry: pending material that expires is dropped; the current material expiring makes the key PendingImport', async () => {
    const { keyId } = await importedKey();
    const pending = await importMaterial(keyId, randomBytes(32), { ImportType: 'NEW_KEY_MATERIAL', ValidTo: new Date(now.getTime() + DAY_MS) });
    now = new Date(now.getTime() + 2 * DAY_MS);
    assert.equal(await state(keyId), 'Enabled');
    assert.equal((await materials(keyId))[pending], undefined);

    const expiring = (await call('CreateKey', { Origin: 'EXTERNAL' })).KeyMetadata.KeyId;
    const current = await importMaterial(expiring, randomBytes(32), { ValidTo: new Date(now.getTime() + DAY_MS) });
    now = new Date(now.getTime() + 2 * DAY_MS);
    assert.equal(await state(expiring), 'PendingImport');
    assert.equal((await materials(expiring))[current], 'CURRENT/PENDING_IMPORT');
  });

  it('parameters: NEW_KEY_MATERIAL with a KeyMaterialId, or ImportType on a non-symmetric key: ValidationException', async () => {
    const { keyId, material } = await importedKey();
    await assert.rejects(importMaterial(keyId, material, { ImportType: 'NEW_KEY_MATERIAL', KeyMaterialId: 'a'.repeat(64) }), fails('ValidationException'));
    await assert.rejects(importMaterial(keyId, material, { ImportType: 'NEW_KEY_MATERIAL' }), fails('IncorrectKeyMaterialException'));
    const hmac = (await call('CreateKey', { Origin: 'EXTERNAL', KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' })).KeyMetadata.KeyId;
    await assert.rejects(importMaterial(hmac, randomBytes(32), { ImportType: 'NEW_KEY_MATERIAL' }), fails('ValidationException'));
  });

  it('automatic rotation stays refused for imported material: UnsupportedOperationException', async () => {
    const { keyId } = await importedKey();
    await assert.rejects(call('EnableKeyRotation', { KeyId: keyId }), fails('UnsupportedOperationException'));
  });
});
