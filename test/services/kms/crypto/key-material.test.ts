import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  fromStoredKeyMaterial, generateKeyMaterial, isSameKeyMaterial, KEY_SPEC_NAMES, newMaterialId, publicKeyDer,
  toStoredKeyMaterial, type KeySpec,
} from '../../../../src/services/kms/crypto/index.ts';
import { materialFor } from './helpers.ts';

function kmsCode(code: string) {
  return (error: unknown) => {
    assert.equal((error as { kmsCode?: string }).kmsCode, code, String(error));
    return true;
  };
}

/** What node reports for each asymmetric spec's private key. */
const EXPECTED_KEYS: Partial<Record<KeySpec, { type: string; modulusLength?: number; namedCurve?: string }>> = {
  RSA_2048: { type: 'rsa', modulusLength: 2048 },
  RSA_3072: { type: 'rsa', modulusLength: 3072 },
  RSA_4096: { type: 'rsa', modulusLength: 4096 },
  ECC_NIST_P256: { type: 'ec', namedCurve: 'prime256v1' },
  ECC_NIST_P384: { type: 'ec', namedCurve: 'secp384r1' },
  ECC_NIST_P521: { type: 'ec', namedCurve: 'secp521r1' },
  ECC_SECG_P256K1: { type: 'ec', namedCurve: 'secp256k1' },
  ECC_NIST_EDWARDS25519: { type: 'ed25519' },
  ML_DSA_44: { type: 'ml-dsa-44' },
  ML_DSA_65: { type: 'ml-dsa-65' },
  ML_DSA_87: { type: 'ml-dsa-87' },
};

/** Secret lengths: AES-256 for symmetric keys, the HMAC key spec's bit length for HMAC keys. */
const SECRET_BYTES: Partial<Record<KeySpec, number>> = {
  SYMMETRIC_DEFAULT: 32, HMAC_224: 28, HMAC_256: 32, HMAC_384: 48, HMAC_512: 64,
};

describe('key material', () => {
  it('generates secrets of the documented length for SYMMETRIC_DEFAULT and every HMAC spec', async () => {
    for (const [keySpec, bytes] of Object.entries(SECRET_BYTES) as Array<[KeySpec, number]>) {
      const a = await generateKeyMaterial(keySpec);
      const b = await generateKeyMaterial(keySpec);
      assert.equal(a.bytes.length, bytes, keySpec);
      assert.equal(isSameKeyMaterial(a, b), false, `${keySpec} material is random`);
    }
  });

  it('generates PKCS#8 private keys of the right type, size and curve for every asymmetric spec', async () => {
    for (const [keySpec, expected] of Object.entries(EXPECTED_KEYS) as Array<[KeySpec, NonNullable<typeof EXPECTED_KEYS[KeySpec]>]>) {
      const material = await materialFor(keySpec);
      const key = createPrivateKey({ key: material.bytes, format: 'der', type: 'pkcs8' });
      assert.equal(key.asymmetricKeyType, expected.type, keySpec);
      if (expected.modulusLength) {
        assert.equal(key.asymmetricKeyDetails?.modulusLength, expected.modulusLength, keySpec);
        assert.equal(key.asymmetricKeyDetails?.publicExponent, 65537n, keySpec);
      }
      if (expected.namedCurve) assert.equal(key.asymmetricKeyDetails?.namedCurve, expected.namedCurve, keySpec);
    }
  });

  it('covers every key spec of the KMS model: served, or refused with a clear error (SM2)', async () => {
    const served = new Set([...Object.keys(SECRET_BYTES), ...Object.keys(EXPECTED_KEYS)]);
    for (const keySpec of KEY_SPEC_NAMES) {
      if (served.has(keySpec)) continue;
      assert.equal(keySpec, 'SM2');
      await assert.rejects(generateKeyMaterial(keySpec), (error: Error & { kmsCode?: string }) =>
        error.kmsCode === 'UnsupportedOperationException' && /SM2/.test(error.message));
    }
  });

  it('GetPublicKey returns the DER SubjectPublicKeyInfo matching the private key', async () => {
    for (const keySpec of Object.keys(EXPECTED_KEYS) as KeySpec[]) {
      const material = await materialFor(keySpec);
      const spki = publicKeyDer(material);
      const fromSpki = createPublicKey({ key: spki, format: 'der', type: 'spki' });
      const fromPrivate = createPublicKey(createPrivateKey({ key: material.bytes, format: 'der', type: 'pkcs8' }));
      assert.ok(fromSpki.equals(fromPrivate), keySpec);
      assert.equal(spki[0], 0x30, `${keySpec} SPKI is a DER SEQUENCE`);
    }
    assert.throws(() => publicKeyDer({ keySpec: 'SYMMETRIC_DEFAULT', materialId: newMaterialId(), bytes: Buffer.alloc(32) }), kmsCode('UnsupportedOperationException'));
  });

  it('round-trips every spec through the stored JSON form', async () => {
    for (const keySpec of ['SYMMETRIC_DEFAULT', 'HMAC_384', 'RSA_2048', 'ECC_NIST_P384', 'ECC_NIST_EDWARDS25519', 'ML_DSA_44'] as KeySpec[]) {
      const material = await materialFor(keySpec);
      const stored = JSON.parse(JSON.stringify(toStoredKeyMaterial(material)));
      assert.equal(stored.encoding, keySpec === 'SYMMETRIC_DEFAULT' || keySpec.startsWith('HMAC') ? 'raw' : 'pkcs8-der');
      const restored = fromStoredKeyMaterial(stored);
      assert.equal(restored.keySpec, keySpec);
      assert.equal(restored.materialId, material.materialId);
      assert.ok(isSameKeyMaterial(restored, material), keySpec);
    }
  });

  it('material ids look like AWS KeyMaterialIds: 64 lowercase hex characters, unique', () => {
    const ids = new Set(Array.from({ length: 50 }, newMaterialId));
    assert.equal(ids.size, 50);
    for (const id of ids) assert.match(id, /^[a-f0-9]{64}$/);
  });
});
