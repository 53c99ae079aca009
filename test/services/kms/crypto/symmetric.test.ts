import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  decrypt, decryptWithMaterial, encodeEncryptionContext, encrypt, fromStoredKeyMaterial, generateKeyMaterial,
  KMS_LIMITS, parseCiphertextBlob, toStoredKeyMaterial, type KeyMaterial,
} from '../../../../src/services/kms/crypto/index.ts';

const KEY_ARN = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const OTHER_ARN = 'arn:aws:kms:us-east-1:123456789012:key/0987dcba-09fe-87dc-65ba-ab0987654321';

function resolverFor(...materials: Array<{ keyId: string; material: KeyMaterial }>) {
  return ({ keyId, materialId }: { keyId: string; materialId: string }) =>
    materials.find((m) => m.keyId === keyId && m.material.materialId === materialId)?.material;
}

function kmsCode(code: string) {
  return (error: unknown) => {
    assert.equal((error as { kmsCode?: string }).kmsCode, code, String(error));
    return true;
  };
}

describe('symmetric Encrypt/Decrypt (SYMMETRIC_DEFAULT, AES-256-GCM)', async () => {
  const material = await generateKeyMaterial('SYMMETRIC_DEFAULT');
  const resolve = resolverFor({ keyId: KEY_ARN, material });

  it('round-trips plaintexts of 1 byte to the 4,096-byte limit, without KeyId', async () => {
    for (const size of [1, 17, 1000, KMS_LIMITS.maxPlaintextBytes]) {
      const plaintext = Buffer.alloc(size, size % 251);
      const blob = encrypt(material, KEY_ARN, plaintext);
      const result = await decrypt(blob, resolve);
      assert.deepEqual(result.plaintext, plaintext);
      assert.equal(result.keyId, KEY_ARN);
      assert.equal(result.materialId, material.materialId);
      assert.ok(blob.length <= KMS_LIMITS.maxCiphertextBytes, `blob of ${blob.length} bytes fits CiphertextType`);
    }
  });

  it('encrypts the same plaintext to a different blob each time (random IV)', () => {
    const a = encrypt(material, KEY_ARN, Buffer.from('same'));
    const b = encrypt(material, KEY_ARN, Buffer.from('same'));
    assert.notDeepEqual(a, b);
  });

  it('rejects an empty plaintext and one over 4,096 bytes: ValidationException', () => {
    assert.throws(() => encrypt(material, KEY_ARN, Buffer.alloc(0)), kmsCode('ValidationException'));
    assert.throws(() => encrypt(material, KEY_ARN, Buffer.alloc(KMS_LIMITS.maxPlaintextBytes + 1)), kmsCode('ValidationException'));
  });

  it('rejects a non-symmetric key for Encrypt: InvalidKeyUsageException', async () => {
    const hmac = await generateKeyMaterial('HMAC_256');
    assert.throws(() => encrypt(hmac, KEY_ARN, Buffer.from('x')), kmsCode('InvalidKeyUsageException'));
  });

  it('parseCiphertextBlob names the key and material version without decrypting', () => {
    const blob = encrypt(material, KEY_ARN, Buffer.from('secret'), { purpose: 'test' });
    assert.deepEqual(parseCiphertextBlob(blob), { keyId: KEY_ARN, materialId: material.materialId });
    assert.throws(() => parseCiphertextBlob(Buffer.from('not a kms blob')), kmsCode('InvalidCiphertextException'));
  });

  describe('encryption context binding', () => {
    const context = { department: 'finance', 'project:name': 'ledger ☃' };
    const blob = encrypt(material, KEY_ARN, Buffer.from('bound'), context);

    it('decrypts with the same context given in another order', async () => {
      const reordered = { 'project:name': 'ledger ☃', department: 'finance' };
      assert.equal((await decrypt(blob, resolve, reordered)).plaintext.toString(), 'bound');
    });

    it('fails with a missing, different, extra or differently-cased context: InvalidCiphertextException', async () => {
      const wrongContexts: Array<Record<string, string> | undefined> = [
        undefined,
        {},
        { department: 'finance' },
        { department: 'finance', 'project:name': 'ledger' },
        { ...context, extra: '' },
        { Department: 'finance', 'project:name': 'ledger ☃' },
      ];
      for (const wrong of wrongContexts) {
        await assert.rejects(decrypt(blob, resolve, wrong), kmsCode('InvalidCiphertextException'), JSON.stringify(wrong));
      }
    });

    it('a blob made without a context decrypts with none or an empty one, not with any pair', async () => {
      const plain = encrypt(material, KEY_ARN, Buffer.from('no context'));
      assert.equal((await decrypt(plain, resolve)).plaintext.toString(), 'no context');
      assert.equal((await decrypt(plain, resolve, {})).plaintext.toString(), 'no context');
      await assert.rejects(decrypt(plain, resolve, { a: 'b' }), kmsCode('InvalidCiphertextException'));
    });

    it('encodes contexts unambiguously: {"a":"bc"} and {"ab":"c"} differ, and neither decrypts the other', async () => {
      assert.notDeepEqual(encodeEncryptionContext({ a: 'bc' }), encodeEncryptionContext({ ab: 'c' }));
      assert.notDeepEqual(encodeEncryptionContext({ a: 'b', c: 'd' }), encodeEncryptionContext({ a: 'bcd' }));
      assert.deepEqual(encodeEncryptionContext({ x: '1', y: '2' }), encodeEncryptionContext({ y: '2', x: '1' }));
      const split = encrypt(material, KEY_ARN, Buffer.from('x'), { a: 'bc' });
      await assert.rejects(decrypt(split, resolve, { ab: 'c' }), kmsCode('InvalidCiphertextException'));
    });

    it(`rejects a context over ${KMS_LIMITS.maxEncryptionContextBytes} bytes and non-string values: ValidationException`, () => {
      const big = { key: 'v'.repeat(KMS_LIMITS.maxEncryptionContextBytes) };
      assert.throws(() => encrypt(material, KEY_ARN, Buffer.from('x'), big), kmsCode('ValidationException'));
      const justFits = { key: 'v'.repeat(KMS_LIMITS.maxEncryptionContextBytes - 3) };
      assert.ok(encrypt(material, KEY_ARN, Buffer.from('x'), justFits).length > 0);
      const numeric = { n: 5 } as unknown as Record<string, string>;
      assert.throws(() => encrypt(material, KEY_ARN, Buffer.from('x'), numeric), kmsCode('ValidationException'));
    });
  });

  it('detects tampering: flipping any bit of any byte of the blob fails with InvalidCiphertextException', async () => {
    const context = { tenant: 't-1' };
    const blob = encrypt(material, KEY_ARN, Buffer.from('tamper-evident payload'), context);
    for (let i = 0; i < blob.length; i++) {
      for (const mask of [0x01, 0x80]) {
        const tampered = Buffer.from(blob);
        tampered[i] ^= mask;
        await assert.rejects(decrypt(tampered, resolve, context), kmsCode('InvalidCiphertextException'), `byte ${i} mask ${mask}`);
      }
    }
    await assert.rejects(decrypt(blob.subarray(0, blob.length - 1), resolve, context), kmsCode('InvalidCiphertextException'));
    await assert.rejects(decrypt(Buffer.concat([blob, Buffer.from([0])]), resolve, context), kmsCode('InvalidCiphertextException'));
  });

  it('fails when the blob names a key the resolver does not know: InvalidCiphertextException', async () => {
    const blob = encrypt(material, KEY_ARN, Buffer.from('x'));
    await assert.rejects(decrypt(blob, () => undefined), kmsCode('InvalidCiphertextException'));
  });

  it('a blob under another key with KeyId named fails: IncorrectKeyException (before the key is looked up)', async () => {
    const blob = encrypt(material, KEY_ARN, Buffer.from('x'));
    let looked = false;
    await assert.rejects(
      decrypt(blob, () => { looked = true; return material; }, undefined, { expectedKeyId: OTHER_ARN }),
      kmsCode('IncorrectKeyException'),
    );
    assert.equal(looked, false);
    assert.equal((await decrypt(blob, resolve, undefined, { expectedKeyId: KEY_ARN })).plaintext.toString(), 'x');
    assert.equal((await decrypt(blob, resolve, undefined, { expectedKeyId: '1234abcd-12ab-34cd-56ef-1234567890ab' })).plaintext.toString(), 'x');
  });

  it('material of another key cannot decrypt the blob even if a resolver hands it over', async () => {
    const other = await generateKeyMaterial('SYMMETRIC_DEFAULT');
    const blob = encrypt(material, KEY_ARN, Buffer.from('x'));
    const impostor = { ...other, materialId: material.materialId };
    assert.throws(() => decryptWithMaterial(impostor, blob), kmsCode('InvalidCiphertextException'));
  });

  it('after rotation, ciphertexts of every earlier material version still decrypt', async () => {
    const versions = [material, await generateKeyMaterial('SYMMETRIC_DEFAULT'), await generateKeyMaterial('SYMMETRIC_DEFAULT')];
    const blobs = versions.map((version, i) => encrypt(version, KEY_ARN, Buffer.from(`made under version ${i}`)));
    const rotatedResolve = resolverFor(...versions.map((version) => ({ keyId: KEY_ARN, material: version })));
    for (const [i, blob] of blobs.entries()) {
      assert.equal(parseCiphertextBlob(blob).materialId, versions[i].materialId);
      assert.equal((await decrypt(blob, rotatedResolve)).plaintext.toString(), `made under version ${i}`);
    }
    assert.equal(new Set(versions.map((v) => v.materialId)).size, 3);
  });

  it('material survives the stored form: a blob made before storage decrypts after', () => {
    const blob = encrypt(material, KEY_ARN, Buffer.from('stored'));
    const stored = JSON.parse(JSON.stringify(toStoredKeyMaterial(material)));
    assert.equal(stored.encoding, 'raw');
    const restored = fromStoredKeyMaterial(stored);
    assert.equal(decryptWithMaterial(restored, blob).plaintext.toString(), 'stored');
  });

  describe('multi-Region keys', () => {
    const primaryArn = 'arn:aws:kms:us-east-1:123456789012:key/mrk-1234abcd12ab34cd56ef1234567890ab';
    const replicaArn = 'arn:aws:kms:eu-west-1:123456789012:key/mrk-1234abcd12ab34cd56ef1234567890ab';

    it('a ciphertext made by the primary decrypts under a replica sharing its material', async () => {
      const primary = await generateKeyMaterial('SYMMETRIC_DEFAULT');
      const replica = fromStoredKeyMaterial(toStoredKeyMaterial(primary));
      const blob = encrypt(primary, primaryArn, Buffer.from('replicated'), { region: 'any' });
      // In eu-west-1 the handler resolves the blob's mrk- key id to its local replica.
      const replicaResolve = ({ keyId }: { keyId: string }) => (keyId.endsWith('/mrk-1234abcd12ab34cd56ef1234567890ab') ? replica : undefined);
      const result = await decrypt(blob, replicaResolve, { region: 'any' }, { expectedKeyId: replicaArn });
      assert.equal(result.plaintext.toString(), 'replicated');
      assert.equal(result.keyId, primaryArn);
    });

    it('a single-Region key of the same id in another Region is a different key: IncorrectKeyException', async () => {
      const blob = encrypt(material, KEY_ARN, Buffer.from('x'));
      await assert.rejects(
        decrypt(blob, resolve, undefined, { expectedKeyId: KEY_ARN.replace('us-east-1', 'eu-west-1') }),
        kmsCode('IncorrectKeyException'),
      );
    });
  });

  it('is fast: a small encrypt + decrypt takes tens of microseconds', () => {
    const plaintext = Buffer.from('a small secret of a few bytes');
    const context = { app: 'bench' };
    const stored = toStoredKeyMaterial(material);
    for (let i = 0; i < 200; i++) decryptWithMaterial(material, encrypt(material, KEY_ARN, plaintext, context), context);
    const rounds = 2000;
    const start = process.hrtime.bigint();
    for (let i = 0; i < rounds; i++) {
      // As a handler would: material rebuilt from the store form on every request.
      const fresh = fromStoredKeyMaterial(stored);
      decryptWithMaterial(fresh, encrypt(fresh, KEY_ARN, plaintext, context), context);
    }
    const microseconds = Number(process.hrtime.bigint() - start) / 1000 / rounds;
    assert.ok(microseconds < 200, `encrypt+decrypt took ${microseconds.toFixed(1)} µs`);
  });
});
