// RSA encryption, HMAC, key agreement, data keys and GenerateRandom.

import assert from 'node:assert/strict';
import {
  constants, createECDH, createHmac, createPrivateKey, createPublicKey, diffieHellman, generateKeyPairSync,
  privateDecrypt, publicEncrypt,
} from 'node:crypto';
import { describe, it } from 'node:test';
import {
  decryptWithMaterial, deriveSharedSecret, generateDataKey, generateDataKeyPair, generateMac, generateRandom,
  maxRsaPlaintextBytes, publicKeyDer, RSA_OAEP_MAX_PLAINTEXT_BYTES, rsaDecrypt, rsaEncrypt, verifyMac,
  type DataKeyPairSpec, type KeySpec, type MacAlgorithm,
} from '../../../../src/services/kms/crypto/index.ts';
import { materialFor, pythonCryptography, runPython } from './helpers.ts';

const KEY_ARN = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const OAEP_HASH = { RSAES_OAEP_SHA_1: 'sha1', RSAES_OAEP_SHA_256: 'sha256' } as const;

function kmsCode(code: string) {
  return (error: unknown) => {
    assert.equal((error as { kmsCode?: string }).kmsCode, code, String(error));
    return true;
  };
}

describe('RSA encryption (RSAES_OAEP_SHA_1, RSAES_OAEP_SHA_256)', () => {
  for (const keySpec of ['RSA_2048', 'RSA_3072', 'RSA_4096'] as const) {
    for (const algorithm of ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'] as const) {
      const max = RSA_OAEP_MAX_PLAINTEXT_BYTES[keySpec][algorithm];
      it(`${keySpec} ${algorithm}: encrypts up to ${max} bytes (k - 2·hLen - 2), not one more`, async () => {
        const material = await materialFor(keySpec);
        const modulusBytes = Number(keySpec.slice(4)) / 8;
        const hashBytes = algorithm === 'RSAES_OAEP_SHA_1' ? 20 : 32;
        assert.equal(max, modulusBytes - 2 * hashBytes - 2);
        assert.equal(maxRsaPlaintextBytes(keySpec, algorithm), max);
        const plaintext = Buffer.alloc(max, 0xa5);
        const ciphertext = rsaEncrypt(material, algorithm, plaintext);
        assert.equal(ciphertext.length, modulusBytes);
        assert.deepEqual(rsaDecrypt(material, algorithm, ciphertext), plaintext);
        assert.throws(() => rsaEncrypt(material, algorithm, Buffer.alloc(max + 1)), kmsCode('ValidationException'));
      });
    }
  }

  it('ciphertexts interoperate with node\'s own RSA-OAEP both ways (public key from GetPublicKey)', async () => {
    const material = await materialFor('RSA_2048');
    const publicKey = createPublicKey({ key: publicKeyDer(material), format: 'der', type: 'spki' });
    const privateKey = createPrivateKey({ key: material.bytes, format: 'der', type: 'pkcs8' });
    for (const algorithm of ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'] as const) {
      const oaep = { padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: OAEP_HASH[algorithm] };
      const outside = publicEncrypt({ key: publicKey, ...oaep }, Buffer.from('from a client'));
      assert.equal(rsaDecrypt(material, algorithm, outside).toString(), 'from a client');
      const inside = rsaEncrypt(material, algorithm, Buffer.from('from kms'));
      assert.equal(privateDecrypt({ key: privateKey, ...oaep }, inside).toString(), 'from kms');
    }
  });

  it('decrypting with the other OAEP hash or a tampered ciphertext fails: InvalidCiphertextException', async () => {
    const material = await materialFor('RSA_2048');
    const ciphertext = rsaEncrypt(material, 'RSAES_OAEP_SHA_256', Buffer.from('x'));
    assert.throws(() => rsaDecrypt(material, 'RSAES_OAEP_SHA_1', ciphertext), kmsCode('InvalidCiphertextException'));
    const tampered = Buffer.from(ciphertext);
    tampered[5] ^= 1;
    assert.throws(() => rsaDecrypt(material, 'RSAES_OAEP_SHA_256', tampered), kmsCode('InvalidCiphertextException'));
  });

  it('SYMMETRIC_DEFAULT with an RSA key, or OAEP with an ECC key, fails: InvalidKeyUsageException', async () => {
    const rsa = await materialFor('RSA_2048');
    assert.throws(() => rsaEncrypt(rsa, 'SYMMETRIC_DEFAULT', Buffer.from('x')), kmsCode('InvalidKeyUsageException'));
    const ecc = await materialFor('ECC_NIST_P256');
    assert.throws(() => rsaEncrypt(ecc, 'RSAES_OAEP_SHA_256', Buffer.from('x')), kmsCode('InvalidKeyUsageException'));
  });
});

describe('GenerateMac / VerifyMac', () => {
  const pairs: Array<[KeySpec, MacAlgorithm, string]> = [
    ['HMAC_224', 'HMAC_SHA_224', 'sha224'],
    ['HMAC_256', 'HMAC_SHA_256', 'sha256'],
    ['HMAC_384', 'HMAC_SHA_384', 'sha384'],
    ['HMAC_512', 'HMAC_SHA_512', 'sha512'],
  ];
  for (const [keySpec, algorithm, hash] of pairs) {
    it(`${keySpec} computes ${algorithm} as HMAC-${hash.toUpperCase()} over the message and verifies it`, async () => {
      const material = await materialFor(keySpec);
      const message = Buffer.from('mac this message');
      const mac = generateMac(material, algorithm, message);
      assert.deepEqual(mac, createHmac(hash, material.bytes).update(message).digest());
      assert.equal(verifyMac(material, algorithm, message, mac), true);
      const changed = Buffer.from(mac);
      changed[0] ^= 1;
      assert.equal(verifyMac(material, algorithm, message, changed), false);
      assert.equal(verifyMac(material, algorithm, Buffer.from('other message'), mac), false);
      assert.equal(verifyMac(material, algorithm, message, mac.subarray(1)), false);
    });
  }

  it('a MAC algorithm of another HMAC spec, or a non-HMAC key, fails: InvalidKeyUsageException', async () => {
    const hmac256 = await materialFor('HMAC_256');
    assert.throws(() => generateMac(hmac256, 'HMAC_SHA_512', Buffer.from('m')), kmsCode('InvalidKeyUsageException'));
    const symmetric = await materialFor('SYMMETRIC_DEFAULT');
    assert.throws(() => generateMac(symmetric, 'HMAC_SHA_256', Buffer.from('m')), kmsCode('InvalidKeyUsageException'));
  });

  it('messages are 1 to 4,096 bytes: ValidationException beyond', async () => {
    const material = await materialFor('HMAC_256');
    assert.equal(generateMac(material, 'HMAC_SHA_256', Buffer.alloc(4096)).length, 32);
    assert.throws(() => generateMac(material, 'HMAC_SHA_256', Buffer.alloc(4097)), kmsCode('ValidationException'));
  });
});

describe('DeriveSharedSecret (ECDH)', () => {
  for (const [keySpec, curve] of [['ECC_NIST_P256', 'prime256v1'], ['ECC_NIST_P384', 'secp384r1'], ['ECC_NIST_P521', 'secp521r1']] as const) {
    it(`${keySpec}: the secret equals what the peer derives from the KMS public key`, async () => {
      const material = await materialFor(keySpec);
      const peer = generateKeyPairSync('ec', { namedCurve: curve });
      const peerSpki = peer.publicKey.export({ type: 'spki', format: 'der' });
      const secret = deriveSharedSecret(material, 'ECDH', peerSpki);
      const kmsPublicKey = createPublicKey({ key: publicKeyDer(material), format: 'der', type: 'spki' });
      assert.deepEqual(secret, diffieHellman({ privateKey: peer.privateKey, publicKey: kmsPublicKey }));
      // And by a second, raw-point path: node's ECDH class.
      const ecdh = createECDH(curve);
      ecdh.setPrivateKey(Buffer.from(peer.privateKey.export({ format: 'jwk' }).d!, 'base64url'));
      const kmsJwk = kmsPublicKey.export({ format: 'jwk' });
      const point = Buffer.concat([Buffer.from([4]), Buffer.from(kmsJwk.x!, 'base64url'), Buffer.from(kmsJwk.y!, 'base64url')]);
      assert.deepEqual(secret, ecdh.computeSecret(point));
    });
  }

  it('a peer key on another curve or not a key fails: ValidationException; a non-ECC key: InvalidKeyUsageException', async () => {
    const p256 = await materialFor('ECC_NIST_P256');
    const p384Peer = generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).publicKey.export({ type: 'spki', format: 'der' });
    assert.throws(() => deriveSharedSecret(p256, 'ECDH', p384Peer), kmsCode('ValidationException'));
    assert.throws(() => deriveSharedSecret(p256, 'ECDH', Buffer.from('not a key')), kmsCode('ValidationException'));
    const k1 = await materialFor('ECC_SECG_P256K1');
    assert.throws(() => deriveSharedSecret(k1, 'ECDH', p384Peer), kmsCode('InvalidKeyUsageException'));
  });
});

describe('data keys and random bytes', () => {
  it('GenerateDataKey: AES_128 → 16 bytes, AES_256 → 32 bytes, NumberOfBytes 1–1024; the blob decrypts to the plaintext', async () => {
    const material = await materialFor('SYMMETRIC_DEFAULT');
    const context = { bucket: 'b' };
    for (const [size, length] of [[{ keySpec: 'AES_128' }, 16], [{ keySpec: 'AES_256' }, 32], [{ numberOfBytes: 1 }, 1], [{ numberOfBytes: 1024 }, 1024]] as const) {
      const dataKey = generateDataKey(material, KEY_ARN, size, context);
      assert.equal(dataKey.plaintext.length, length);
      assert.deepEqual(decryptWithMaterial(material, dataKey.ciphertextBlob, context).plaintext, dataKey.plaintext);
    }
  });

  it('GenerateDataKey needs exactly one of KeySpec and NumberOfBytes in range: ValidationException', async () => {
    const material = await materialFor('SYMMETRIC_DEFAULT');
    assert.throws(() => generateDataKey(material, KEY_ARN, {}), kmsCode('ValidationException'));
    assert.throws(() => generateDataKey(material, KEY_ARN, { keySpec: 'AES_256', numberOfBytes: 32 }), kmsCode('ValidationException'));
    assert.throws(() => generateDataKey(material, KEY_ARN, { numberOfBytes: 0 }), kmsCode('ValidationException'));
    assert.throws(() => generateDataKey(material, KEY_ARN, { numberOfBytes: 1025 }), kmsCode('ValidationException'));
    const rsa = await materialFor('RSA_2048');
    assert.throws(() => generateDataKey(rsa, KEY_ARN, { keySpec: 'AES_256' }), kmsCode('InvalidKeyUsageException'));
  });

  const pairSpecs: Array<[DataKeyPairSpec, string, string | number]> = [
    ['RSA_2048', 'rsa', 2048], ['RSA_3072', 'rsa', 3072], ['RSA_4096', 'rsa', 4096],
    ['ECC_NIST_P256', 'ec', 'prime256v1'], ['ECC_NIST_P384', 'ec', 'secp384r1'], ['ECC_NIST_P521', 'ec', 'secp521r1'],
    ['ECC_SECG_P256K1', 'ec', 'secp256k1'], ['ECC_NIST_EDWARDS25519', 'ed25519', ''],
  ];
  it('GenerateDataKeyPair: PKCS#8 private key, its SPKI public key, and the private key encrypted under the KMS key', async () => {
    const material = await materialFor('SYMMETRIC_DEFAULT');
    const pairs = await Promise.all(pairSpecs.map(([spec]) => generateDataKeyPair(material, KEY_ARN, spec, { use: 'pair' })));
    for (const [i, [spec, type, detail]] of pairSpecs.entries()) {
      const pair = pairs[i];
      const privateKey = createPrivateKey({ key: pair.privateKeyPlaintext, format: 'der', type: 'pkcs8' });
      assert.equal(privateKey.asymmetricKeyType, type, spec);
      if (type === 'rsa') assert.equal(privateKey.asymmetricKeyDetails?.modulusLength, detail, spec);
      if (type === 'ec') assert.equal(privateKey.asymmetricKeyDetails?.namedCurve, detail, spec);
      const publicKey = createPublicKey({ key: pair.publicKey, format: 'der', type: 'spki' });
      assert.ok(publicKey.equals(createPublicKey(privateKey)), spec);
      assert.deepEqual(decryptWithMaterial(material, pair.privateKeyCiphertextBlob, { use: 'pair' }).plaintext, pair.privateKeyPlaintext, spec);
    }
    await assert.rejects(generateDataKeyPair(material, KEY_ARN, 'SM2'), kmsCode('UnsupportedOperationException'));
    await assert.rejects(generateDataKeyPair(material, KEY_ARN, 'HMAC_256' as DataKeyPairSpec), kmsCode('ValidationException'));
  });

  it('GenerateRandom returns 1 to 1,024 fresh random bytes', () => {
    assert.equal(generateRandom(1).length, 1);
    assert.equal(generateRandom(1024).length, 1024);
    assert.notDeepEqual(generateRandom(32), generateRandom(32));
    for (const bad of [0, 1025, 1.5, Number.NaN]) assert.throws(() => generateRandom(bad), kmsCode('ValidationException'));
  });
});

describe('interoperability with python cryptography', { skip: !pythonCryptography && 'python3 cryptography not installed' }, () => {
  it('python decrypts KMS RSA-OAEP ciphertexts with the private key', async () => {
    const material = await materialFor('RSA_2048');
    const [sha1, sha256] = runPython<string[]>(`
import json, sys
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.serialization import load_der_private_key
c = json.load(sys.stdin)
key = load_der_private_key(bytes.fromhex(c['key']), password=None)
out = []
for ct, h in ((c['sha1'], hashes.SHA1), (c['sha256'], hashes.SHA256)):
    out.append(key.decrypt(bytes.fromhex(ct), padding.OAEP(mgf=padding.MGF1(h()), algorithm=h(), label=None)).decode())
print(json.dumps(out))
`, {
      key: material.bytes.toString('hex'),
      sha1: rsaEncrypt(material, 'RSAES_OAEP_SHA_1', Buffer.from('one')).toString('hex'),
      sha256: rsaEncrypt(material, 'RSAES_OAEP_SHA_256', Buffer.from('two five six')).toString('hex'),
    });
    assert.deepEqual([sha1, sha256], ['one', 'two five six']);
  });
});
