import assert from 'node:assert/strict';
import { constants, createHash, createPrivateKey, createPublicKey, sign as nodeSign, verify as nodeVerify } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  HASH_BYTES, KEY_SPECS, publicKeyDer, sign, SIGNING_ALGORITHMS, verify,
  type KeySpec, type MessageType, type SigningAlgorithm,
} from '../../../../src/services/kms/crypto/index.ts';
import { materialFor, pythonCryptography, runPython } from './helpers.ts';

const SIGNING_SPECS: KeySpec[] = [
  'RSA_2048', 'RSA_3072', 'ECC_NIST_P256', 'ECC_NIST_P384', 'ECC_NIST_P521', 'ECC_SECG_P256K1',
  'ECC_NIST_EDWARDS25519', 'ML_DSA_44', 'ML_DSA_65', 'ML_DSA_87',
];

/** ECDSA key specs, their digest's algorithm and the group order n (SEC 2, FIPS 186-4). */
const ECDSA_CURVES: Array<[KeySpec, SigningAlgorithm, bigint]> = [
  ['ECC_NIST_P256', 'ECDSA_SHA_256', 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n],
  ['ECC_NIST_P384', 'ECDSA_SHA_384', 0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n],
  ['ECC_NIST_P521', 'ECDSA_SHA_512', 0x01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409n],
  ['ECC_SECG_P256K1', 'ECDSA_SHA_256', 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n],
];

/** ECDSA-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }, DER. */
function derSignature(r: bigint, s: bigint): Buffer {
  const length = (n: number) => Buffer.from(n < 0x80 ? [n] : [0x81, n]);
  const integer = (value: bigint) => {
    const hex = value.toString(16);
    const bytes = Buffer.from(`${hex.length % 2 ? '0' : ''}${hex}`, 'hex');
    const body = bytes[0] & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes;
    return Buffer.concat([Buffer.from([0x02]), length(body.length), body]);
  };
  const body = Buffer.concat([integer(r), integer(s)]);
  return Buffer.concat([Buffer.from([0x30]), length(body.length), body]);
}

function kmsCode(code: string) {
  return (error: unknown) => {
    assert.equal((error as { kmsCode?: string }).kmsCode, code, String(error));
    return true;
  };
}

interface Case {
  keySpec: KeySpec;
  algorithm: SigningAlgorithm;
  messageType: MessageType;
  message: Buffer;
  /** The message before hashing, for verifiers that hash themselves. */
  raw: Buffer;
  signature: Buffer;
  publicKey: Buffer;
}

/** Every (spec, algorithm, message type) Bulwark implements, signed once. */
async function signEverything(): Promise<Case[]> {
  const cases: Case[] = [];
  for (const keySpec of SIGNING_SPECS) {
    const material = await materialFor(keySpec);
    for (const algorithm of KEY_SPECS[keySpec].signingAlgorithms) {
      const info = SIGNING_ALGORITHMS[algorithm];
      if (info.scheme === 'ed25519ph') continue; // no independent verifier: checked against RFC 8032 below
      for (const messageType of info.messageTypes.filter((t) => t !== 'EXTERNAL_MU')) {
        const raw = Buffer.from(`message for ${keySpec} ${algorithm} ${messageType}`);
        const message = messageType === 'DIGEST' ? createHash(info.hash!).update(raw).digest() : raw;
        const signature = sign(material, algorithm, message, messageType);
        cases.push({ keySpec, algorithm, messageType, message, raw, signature, publicKey: publicKeyDer(material) });
      }
    }
  }
  return cases;
}

/** node's own verify, from the public key alone: the signature KMS's clients check. */
function nodeVerifies(c: Case): boolean {
  const info = SIGNING_ALGORITHMS[c.algorithm];
  const key = createPublicKey({ key: c.publicKey, format: 'der', type: 'spki' });
  const options =
    info.scheme === 'rsa-pss' ? { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: HASH_BYTES[info.hash!] }
    : info.scheme === 'rsa-pkcs1' ? { key, padding: constants.RSA_PKCS1_PADDING }
    : info.scheme === 'ecdsa' ? { key, dsaEncoding: 'der' as const }
    : { key };
  return nodeVerify(info.hash ?? null, c.raw, options, c.signature);
}

const PYTHON_VERIFY = `
import json, sys
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, utils, rsa, ed25519
from cryptography.hazmat.primitives.serialization import load_der_public_key
from cryptography.exceptions import InvalidSignature
H = {'sha256': hashes.SHA256, 'sha384': hashes.SHA384, 'sha512': hashes.SHA512}
out = []
for c in json.load(sys.stdin):
    key = load_der_public_key(bytes.fromhex(c['publicKey']))
    msg, sig = bytes.fromhex(c['message']), bytes.fromhex(c['signature'])
    h = H[c['hash']]() if c['hash'] else None
    alg = utils.Prehashed(h) if c['messageType'] == 'DIGEST' else h
    try:
        if c['scheme'] == 'ecdsa': key.verify(sig, msg, ec.ECDSA(alg))
        elif c['scheme'] == 'rsa-pss': key.verify(sig, msg, padding.PSS(mgf=padding.MGF1(H[c['hash']]()), salt_length=h.digest_size), alg)
        elif c['scheme'] == 'rsa-pkcs1': key.verify(sig, msg, padding.PKCS1v15(), alg)
        elif c['scheme'] == 'ed25519': key.verify(sig, msg)
        out.append(True)
    except InvalidSignature:
        out.append(False)
print(json.dumps(out))
`;

describe('Sign / Verify', async () => {
  const cases = await signEverything();

  it('signs and verifies every algorithm of every signing key spec, RAW and DIGEST', async () => {
    assert.ok(cases.length >= 30, `${cases.length} combinations`);
    for (const c of cases) {
      const material = await materialFor(c.keySpec);
      assert.equal(verify(material, c.algorithm, c.message, c.signature, c.messageType), true, `${c.keySpec} ${c.algorithm} ${c.messageType}`);
    }
  });

  it('signatures verify independently with node:crypto and the public key (ECDSA as DER)', () => {
    for (const c of cases) assert.equal(nodeVerifies(c), true, `${c.keySpec} ${c.algorithm} ${c.messageType}`);
  });

  it('signatures verify independently with python cryptography (ECDSA, RSA-PSS, PKCS#1 v1.5, Ed25519)', { skip: !pythonCryptography && 'python3 cryptography not installed' }, () => {
    const checked = cases.filter((c) => SIGNING_ALGORITHMS[c.algorithm].scheme !== 'ml-dsa');
    // A control the verifier must reject: a P-256 signature with one bit changed.
    const control = checked.find((c) => c.algorithm === 'ECDSA_SHA_256')!;
    const broken = Buffer.from(control.signature);
    broken[10] ^= 1;
    const [brokenOk, ...results] = runPython<boolean[]>(PYTHON_VERIFY, [{ ...control, signature: broken }, ...checked].map((c) => ({
      scheme: SIGNING_ALGORITHMS[c.algorithm].scheme,
      hash: SIGNING_ALGORITHMS[c.algorithm].hash ?? null,
      messageType: c.messageType,
      publicKey: c.publicKey.toString('hex'),
      message: c.message.toString('hex'),
      signature: c.signature.toString('hex'),
    })));
    assert.equal(brokenOk, false);
    assert.equal(results.length, checked.length);
    results.forEach((ok, i) => assert.equal(ok, true, `${checked[i].keySpec} ${checked[i].algorithm} ${checked[i].messageType}`));
  });

  it('a signature over a digest equals in meaning one over the raw message: each verifies the other way', async () => {
    const material = await materialFor('ECC_NIST_P256');
    const message = Buffer.from('hash me');
    const digest = createHash('sha256').update(message).digest();
    assert.equal(verify(material, 'ECDSA_SHA_256', digest, sign(material, 'ECDSA_SHA_256', message, 'RAW'), 'DIGEST'), true);
    assert.equal(verify(material, 'ECDSA_SHA_256', message, sign(material, 'ECDSA_SHA_256', digest, 'DIGEST'), 'RAW'), true);
    // PKCS#1 v1.5 is deterministic: both paths produce the same bytes.
    const rsa = await materialFor('RSA_2048');
    assert.deepEqual(sign(rsa, 'RSASSA_PKCS1_V1_5_SHA_256', digest, 'DIGEST'), sign(rsa, 'RSASSA_PKCS1_V1_5_SHA_256', message, 'RAW'));
  });

  it('Verify answers false for a changed message, a changed signature, another key or a digest signed as RAW', async () => {
    for (const c of cases) {
      const material = await materialFor(c.keySpec);
      const otherMessage = Buffer.from(c.message);
      otherMessage[0] ^= 1;
      assert.equal(verify(material, c.algorithm, otherMessage, c.signature, c.messageType), false, `message ${c.algorithm}`);
      const otherSignature = Buffer.from(c.signature);
      otherSignature[otherSignature.length >> 1] ^= 1;
      assert.equal(verify(material, c.algorithm, c.message, otherSignature, c.messageType), false, `signature ${c.algorithm}`);
      assert.equal(verify(material, c.algorithm, c.message, Buffer.from([0x30, 0x00]), c.messageType), false, `garbage ${c.algorithm}`);
    }
    const p256 = await materialFor('ECC_NIST_P256');
    const other = await materialFor('ECC_NIST_P256', 'other');
    const message = Buffer.from('who signed this?');
    assert.equal(verify(other, 'ECDSA_SHA_256', message, sign(p256, 'ECDSA_SHA_256', message)), false);
    const digest = createHash('sha256').update(message).digest();
    assert.equal(verify(p256, 'ECDSA_SHA_256', digest, sign(p256, 'ECDSA_SHA_256', digest, 'DIGEST'), 'RAW'), false);
  });

  it('a DIGEST message must be as long as the algorithm\'s hash: ValidationException', async () => {
    const rsa = await materialFor('RSA_2048');
    assert.throws(() => sign(rsa, 'RSASSA_PSS_SHA_384', Buffer.alloc(32), 'DIGEST'), kmsCode('ValidationException'));
    assert.throws(() => sign(rsa, 'RSASSA_PKCS1_V1_5_SHA_512', Buffer.alloc(48), 'DIGEST'), kmsCode('ValidationException'));
    const p384 = await materialFor('ECC_NIST_P384');
    assert.throws(() => verify(p384, 'ECDSA_SHA_384', Buffer.alloc(32), Buffer.alloc(8), 'DIGEST'), kmsCode('ValidationException'));
  });

  it('RAW messages are 1 to 4,096 bytes: ValidationException beyond', async () => {
    const p256 = await materialFor('ECC_NIST_P256');
    assert.ok(sign(p256, 'ECDSA_SHA_256', Buffer.alloc(4096, 7)).length > 0);
    assert.throws(() => sign(p256, 'ECDSA_SHA_256', Buffer.alloc(4097)), kmsCode('ValidationException'));
    assert.throws(() => sign(p256, 'ECDSA_SHA_256', Buffer.alloc(0)), kmsCode('ValidationException'));
  });

  it('an algorithm that does not fit the key spec fails: InvalidKeyUsageException', async () => {
    const mismatches: Array<[KeySpec, SigningAlgorithm]> = [
      ['ECC_NIST_P256', 'ECDSA_SHA_384'],
      ['ECC_NIST_P384', 'ECDSA_SHA_256'],
      ['ECC_NIST_P521', 'ECDSA_SHA_256'],
      ['ECC_SECG_P256K1', 'ECDSA_SHA_512'],
      ['RSA_2048', 'ECDSA_SHA_256'],
      ['ECC_NIST_P256', 'RSASSA_PSS_SHA_256'],
      ['ECC_NIST_EDWARDS25519', 'ECDSA_SHA_512'],
      ['ML_DSA_44', 'ED25519_SHA_512'],
    ];
    for (const [keySpec, algorithm] of mismatches) {
      const material = await materialFor(keySpec);
      assert.throws(() => sign(material, algorithm, Buffer.from('m')), kmsCode('InvalidKeyUsageException'), `${keySpec} ${algorithm}`);
    }
    const symmetric = await materialFor('SYMMETRIC_DEFAULT');
    assert.throws(() => sign(symmetric, 'ECDSA_SHA_256', Buffer.from('m')), kmsCode('InvalidKeyUsageException'));
  });

  it('ED25519_SHA_512 takes RAW messages only; DIGEST is a ValidationException', async () => {
    const ed = await materialFor('ECC_NIST_EDWARDS25519');
    assert.throws(() => sign(ed, 'ED25519_SHA_512', Buffer.alloc(64), 'DIGEST'), kmsCode('ValidationException'));
  });

  it('ED25519_PH_SHA_512 is RFC 8032 Ed25519ph: the RFC\'s test vector, RAW and DIGEST; Verify rejects changes', () => {
    // RFC 8032, section 7.3, "TEST abc".
    const seed = Buffer.from('833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42', 'hex');
    const material = {
      keySpec: 'ECC_NIST_EDWARDS25519' as const, materialId: 'rfc8032',
      bytes: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]),
    };
    const expected = '98a70222f0b8121aa9d30f813d683f809e462b469c7ff87639499bb94e6dae41'
      + '31f85042463c2a355a2003d062adf5aaa10b8c61e636062aaad11c2a26083406';
    const message = Buffer.from('abc');
    const digest = createHash('sha512').update(message).digest();
    assert.equal(sign(material, 'ED25519_PH_SHA_512', message).toString('hex'), expected);
    assert.equal(sign(material, 'ED25519_PH_SHA_512', digest, 'DIGEST').toString('hex'), expected);
    const signature = Buffer.from(expected, 'hex');
    assert.equal(verify(material, 'ED25519_PH_SHA_512', message, signature), true);
    assert.equal(verify(material, 'ED25519_PH_SHA_512', digest, signature, 'DIGEST'), true);
    assert.equal(verify(material, 'ED25519_PH_SHA_512', Buffer.from('abd'), signature), false);
    const changed = Buffer.from(signature);
    changed[40] ^= 1;
    assert.equal(verify(material, 'ED25519_PH_SHA_512', message, changed), false);
    // Not the pure Ed25519 signature of the same message.
    assert.equal(verify(material, 'ED25519_SHA_512', message, signature), false);
  });

  it('ML-DSA EXTERNAL_MU is not implemented: UnsupportedOperationException', async () => {
    const mlDsa = await materialFor('ML_DSA_44');
    assert.throws(() => sign(mlDsa, 'ML_DSA_SHAKE_256', Buffer.alloc(64), 'EXTERNAL_MU'), kmsCode('UnsupportedOperationException'));
  });

  it('ECDSA over a DIGEST accepts s in either half of the order (KMS does not normalize to low s) and never repeats a signature', async () => {
    for (const [keySpec, algorithm, order] of ECDSA_CURVES) {
      const material = await materialFor(keySpec);
      const hash = SIGNING_ALGORITHMS[algorithm].hash!;
      const raw = Buffer.from(`either half of s on ${keySpec}`);
      const digest = createHash(hash).update(raw).digest();
      const key = createPrivateKey({ key: material.bytes, format: 'der', type: 'pkcs8' });
      const p1363 = nodeSign(hash, raw, { key, dsaEncoding: 'ieee-p1363' });
      const r = BigInt(`0x${p1363.subarray(0, p1363.length / 2).toString('hex')}`);
      const s = BigInt(`0x${p1363.subarray(p1363.length / 2).toString('hex')}`);
      for (const sValue of [s, order - s]) { // both are valid ECDSA signatures
        const signature = derSignature(r, sValue);
        assert.equal(nodeVerify(hash, raw, { key: createPublicKey(key), dsaEncoding: 'der' }, signature), true, `${keySpec} node`);
        assert.equal(verify(material, algorithm, digest, signature, 'DIGEST'), true, `${keySpec} s ${sValue === s ? 'as signed' : 'negated'}`);
      }
      assert.notDeepEqual(sign(material, algorithm, digest, 'DIGEST'), sign(material, algorithm, digest, 'DIGEST'), keySpec);
    }
  });
});
