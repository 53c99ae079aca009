import assert from 'node:assert/strict';
import {
  createHmac, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes,
  verify as nodeVerify,
} from 'node:crypto';
import { describe, it } from 'node:test';
import {
  checkWrappingChoice, createImportParameters, decryptWithMaterial, encrypt, generateMac, importedMaterialId,
  KMS_LIMITS, requireSameImportedMaterial, sign, unwrapImportedKeyMaterial,
  type ImportParameters, type KeySpec, type WrappingAlgorithm, type WrappingKeySpec,
} from '../../../../src/services/kms/crypto/index.ts';
import { pythonCryptography, runPython, wrapKeyMaterial } from './helpers.ts';

const KEY_ARN = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const OTHER_ARN = 'arn:aws:kms:us-east-1:123456789012:key/0987dcba-09fe-87dc-65ba-ab0987654321';
const SERVICE_SECRET = randomBytes(32);
const NOW = new Date('2025-06-01T12:00:00Z');

function kmsCode(code: string) {
  return (error: unknown) => {
    assert.equal((error as { kmsCode?: string }).kmsCode, code, String(error));
    return true;
  };
}

function parameters(keySpec: KeySpec, wrappingAlgorithm: WrappingAlgorithm, wrappingKeySpec: WrappingKeySpec = 'RSA_2048'): Promise<ImportParameters> {
  return createImportParameters({ keyId: KEY_ARN, keySpec, wrappingAlgorithm, wrappingKeySpec, now: NOW, serviceSecret: SERVICE_SECRET });
}

function unwrap(keySpec: KeySpec, params: ImportParameters, encryptedKeyMaterial: Buffer, overrides: { keyId?: string; now?: Date; serviceSecret?: Buffer; importToken?: Buffer } = {}) {
  return unwrapImportedKeyMaterial({
    keyId: overrides.keyId ?? KEY_ARN,
    keySpec,
    importToken: overrides.importToken ?? params.importToken,
    encryptedKeyMaterial,
    now: overrides.now ?? NOW,
    serviceSecret: overrides.serviceSecret ?? SERVICE_SECRET,
  });
}

// --- The customer's side, written independently of the code under test --------------

/** As the KMS guide's OpenSSL steps do it, with node:crypto. */
function wrapWithNode(params: ImportParameters, algorithm: WrappingAlgorithm, material: Buffer): Buffer {
  return wrapKeyMaterial(params.publicKey, algorithm, material);
}

/** With python cryptography's RSA-OAEP and aes_key_wrap_with_padding (RFC 5649). */
function wrapWithPython(params: ImportParameters, algorithm: WrappingAlgorithm, material: Buffer): Buffer {
  const hex = runPython<string>(`
import json, os, sys
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.keywrap import aes_key_wrap_with_padding
from cryptography.hazmat.primitives.serialization import load_der_public_key
c = json.load(sys.stdin)
key = load_der_public_key(bytes.fromhex(c['publicKey']))
h = hashes.SHA1 if c['hash'] == 'sha1' else hashes.SHA256
oaep = padding.OAEP(mgf=padding.MGF1(h()), algorithm=h(), label=None)
material = bytes.fromhex(c['material'])
if c['aes']:
    aes = os.urandom(32)
    out = key.encrypt(aes, oaep) + aes_key_wrap_with_padding(aes, material)
else:
    out = key.encrypt(material, oaep)
print(json.dumps(out.hex()))
`, { publicKey: params.publicKey.toString('hex'), hash: algorithm.endsWith('SHA_1') ? 'sha1' : 'sha256', aes: algorithm.startsWith('RSA_AES'), material: material.toString('hex') });
  return Buffer.from(hex, 'hex');
}

describe('importing key material', () => {
  it('GetParametersForImport: an RSA wrapping public key of the requested size, valid for 24 hours', async () => {
    const params = await parameters('SYMMETRIC_DEFAULT', 'RSAES_OAEP_SHA_256', 'RSA_3072');
    const publicKey = createPublicKey({ key: params.publicKey, format: 'der', type: 'spki' });
    assert.equal(publicKey.asymmetricKeyType, 'rsa');
    assert.equal(publicKey.asymmetricKeyDetails?.modulusLength, 3072);
    assert.equal(params.parametersValidTo.getTime() - NOW.getTime(), 24 * 60 * 60 * 1000);
    assert.ok(params.importToken.length <= KMS_LIMITS.maxCiphertextBytes);
  });

  it('imports symmetric material wrapped with RSAES_OAEP_SHA_256 (node): it encrypts and decrypts', async () => {
    const params = await parameters('SYMMETRIC_DEFAULT', 'RSAES_OAEP_SHA_256');
    const secret = randomBytes(32);
    const material = unwrap('SYMMETRIC_DEFAULT', params, wrapWithNode(params, 'RSAES_OAEP_SHA_256', secret));
    assert.deepEqual(material.bytes, secret);
    assert.match(material.materialId, /^[a-f0-9]{64}$/);
    const blob = encrypt(material, KEY_ARN, Buffer.from('imported'), { k: 'v' });
    assert.equal(decryptWithMaterial(material, blob, { k: 'v' }).plaintext.toString(), 'imported');
  });

  it('imports HMAC material wrapped with RSAES_OAEP_SHA_1: MACs are HMACs under the imported key', async () => {
    const params = await parameters('HMAC_384', 'RSAES_OAEP_SHA_1');
    const secret = randomBytes(100);
    const material = unwrap('HMAC_384', params, wrapWithNode(params, 'RSAES_OAEP_SHA_1', secret));
    assert.deepEqual(generateMac(material, 'HMAC_SHA_384', Buffer.from('m')), createHmac('sha384', secret).update('m').digest());
  });

  it('imports an ECC_NIST_P256 private key wrapped with RSA_AES_KEY_WRAP_SHA_1 (node, id-aes256-wrap-pad)', async () => {
    const params = await parameters('ECC_NIST_P256', 'RSA_AES_KEY_WRAP_SHA_1');
    const pair = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const der = pair.privateKey.export({ type: 'pkcs8', format: 'der' });
    const material = unwrap('ECC_NIST_P256', params, wrapWithNode(params, 'RSA_AES_KEY_WRAP_SHA_1', der));
    const signature = sign(material, 'ECDSA_SHA_256', Buffer.from('signed by imported key'));
    assert.equal(nodeVerify('sha256', Buffer.from('signed by imported key'), { key: pair.publicKey, dsaEncoding: 'der' }, signature), true);
  });

  it('imports an RSA_2048 private key wrapped with RSA_AES_KEY_WRAP_SHA_256 by python cryptography (RFC 5649)', { skip: !pythonCryptography && 'python3 cryptography not installed' }, async () => {
    const params = await parameters('RSA_2048', 'RSA_AES_KEY_WRAP_SHA_256', 'RSA_4096');
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const der = pair.privateKey.export({ type: 'pkcs8', format: 'der' });
    const material = unwrap('RSA_2048', params, wrapWithPython(params, 'RSA_AES_KEY_WRAP_SHA_256', der));
    const signature = sign(material, 'RSASSA_PKCS1_V1_5_SHA_256', Buffer.from('m'));
    assert.equal(nodeVerify('sha256', Buffer.from('m'), pair.publicKey, signature), true);
  });

  it('imports symmetric material wrapped with RSAES_OAEP_SHA_1 by python cryptography', { skip: !pythonCryptography && 'python3 cryptography not installed' }, async () => {
    const params = await parameters('SYMMETRIC_DEFAULT', 'RSAES_OAEP_SHA_1');
    const secret = randomBytes(32);
    assert.deepEqual(unwrap('SYMMETRIC_DEFAULT', params, wrapWithPython(params, 'RSAES_OAEP_SHA_1', secret)).bytes, secret);
  });

  describe('the import token', async () => {
    const params = await parameters('SYMMETRIC_DEFAULT', 'RSAES_OAEP_SHA_256');
    const secret = randomBytes(32);
    const wrapped = wrapWithNode(params, 'RSAES_OAEP_SHA_256', secret);

    it('is tamper-evident: changing any byte fails with InvalidImportTokenException', () => {
      for (let i = 0; i < params.importToken.length; i++) {
        const token = Buffer.from(params.importToken);
        token[i] ^= 0x01;
        assert.throws(() => unwrap('SYMMETRIC_DEFAULT', params, wrapped, { importToken: token }), kmsCode('InvalidImportTokenException'), `byte ${i}`);
      }
    });

    it('is bound to its KMS key and to the service secret: InvalidImportTokenException otherwise', () => {
      assert.throws(() => unwrap('SYMMETRIC_DEFAULT', params, wrapped, { keyId: OTHER_ARN }), kmsCode('InvalidImportTokenException'));
      assert.throws(() => unwrap('SYMMETRIC_DEFAULT', params, wrapped, { serviceSecret: randomBytes(32) }), kmsCode('InvalidImportTokenException'));
    });

    it('is valid for 24 hours, then fails with ExpiredImportTokenException', () => {
      const lastMoment = new Date(NOW.getTime() + 24 * 60 * 60 * 1000);
      assert.deepEqual(unwrap('SYMMETRIC_DEFAULT', params, wrapped, { now: lastMoment }).bytes, secret);
      assert.throws(() => unwrap('SYMMETRIC_DEFAULT', params, wrapped, { now: new Date(lastMoment.getTime() + 1) }), kmsCode('ExpiredImportTokenException'));
    });

    it('material wrapped with another key or garbled fails: InvalidCiphertextException', async () => {
      const others = await parameters('SYMMETRIC_DEFAULT', 'RSAES_OAEP_SHA_256');
      assert.throws(() => unwrap('SYMMETRIC_DEFAULT', params, wrapWithNode(others, 'RSAES_OAEP_SHA_256', secret)), kmsCode('InvalidCiphertextException'));
      assert.throws(() => unwrap('SYMMETRIC_DEFAULT', params, randomBytes(256)), kmsCode('InvalidCiphertextException'));
    });

    it('re-importing: the same material gets the same material id; different material is IncorrectKeyMaterialException', () => {
      const first = unwrap('SYMMETRIC_DEFAULT', params, wrapped);
      const again = unwrap('SYMMETRIC_DEFAULT', params, wrapWithNode(params, 'RSAES_OAEP_SHA_256', secret));
      assert.equal(again.materialId, first.materialId);
      requireSameImportedMaterial(first, again);
      const different = unwrap('SYMMETRIC_DEFAULT', params, wrapWithNode(params, 'RSAES_OAEP_SHA_256', randomBytes(32)));
      assert.notEqual(different.materialId, first.materialId);
      assert.throws(() => requireSameImportedMaterial(first, different), kmsCode('IncorrectKeyMaterialException'));
    });

    it('a multi-Region key\'s replicas derive the same material id from the same material', () => {
      const primary = 'arn:aws:kms:us-east-1:123456789012:key/mrk-0123456789abcdef0123456789abcdef';
      const replica = primary.replace('us-east-1', 'ap-south-1');
      assert.equal(importedMaterialId(primary, secret), importedMaterialId(replica, secret));
      assert.notEqual(importedMaterialId(primary, secret), importedMaterialId(OTHER_ARN, secret));
    });
  });

  it('material that is not valid for the key spec fails: IncorrectKeyMaterialException', async () => {
    const symmetric = await parameters('SYMMETRIC_DEFAULT', 'RSAES_OAEP_SHA_256');
    assert.throws(() => unwrap('SYMMETRIC_DEFAULT', symmetric, wrapWithNode(symmetric, 'RSAES_OAEP_SHA_256', randomBytes(16))), kmsCode('IncorrectKeyMaterialException'));
    const hmac = await parameters('HMAC_256', 'RSAES_OAEP_SHA_256');
    assert.throws(() => unwrap('HMAC_256', hmac, wrapWithNode(hmac, 'RSAES_OAEP_SHA_256', randomBytes(31))), kmsCode('IncorrectKeyMaterialException'));
    const rsa = await parameters('RSA_2048', 'RSA_AES_KEY_WRAP_SHA_256');
    const ecKey = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ type: 'pkcs8', format: 'der' });
    assert.throws(() => unwrap('RSA_2048', rsa, wrapWithNode(rsa, 'RSA_AES_KEY_WRAP_SHA_256', ecKey)), kmsCode('IncorrectKeyMaterialException'));
    assert.throws(() => unwrap('RSA_2048', rsa, wrapWithNode(rsa, 'RSA_AES_KEY_WRAP_SHA_256', randomBytes(300))), kmsCode('IncorrectKeyMaterialException'));
  });

  it('rejects wrapping choices KMS does not support', () => {
    assert.throws(() => checkWrappingChoice('RSA_2048', 'RSAES_OAEP_SHA_256', 'RSA_4096'), kmsCode('ValidationException'));
    assert.throws(() => checkWrappingChoice('ECC_NIST_P521', 'RSAES_OAEP_SHA_1', 'RSA_2048'), kmsCode('ValidationException'));
    checkWrappingChoice('ECC_NIST_P521', 'RSAES_OAEP_SHA_1', 'RSA_3072');
    checkWrappingChoice('ECC_NIST_P521', 'RSA_AES_KEY_WRAP_SHA_1', 'RSA_2048');
    assert.throws(() => checkWrappingChoice('SYMMETRIC_DEFAULT', 'RSAES_PKCS1_V1_5', 'RSA_2048'), kmsCode('ValidationException'));
    assert.throws(() => checkWrappingChoice('SYMMETRIC_DEFAULT', 'SM2PKE', 'SM2'), kmsCode('UnsupportedOperationException'));
    assert.throws(() => checkWrappingChoice('SM2', 'RSA_AES_KEY_WRAP_SHA_256', 'RSA_2048'), kmsCode('UnsupportedOperationException'));
  });

  it('the imported private key is stored in canonical PKCS#8 form', async () => {
    const params = await parameters('ECC_NIST_P384', 'RSA_AES_KEY_WRAP_SHA_256');
    const pair = generateKeyPairSync('ec', { namedCurve: 'secp384r1' });
    const der = pair.privateKey.export({ type: 'pkcs8', format: 'der' });
    const material = unwrap('ECC_NIST_P384', params, wrapWithNode(params, 'RSA_AES_KEY_WRAP_SHA_256', der));
    assert.ok(createPrivateKey({ key: material.bytes, format: 'der', type: 'pkcs8' }).equals(pair.privateKey));
  });
});
