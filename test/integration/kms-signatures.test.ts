// KMS signatures interoperate with node:crypto both ways, through the AWS SDK: a key
// pair made by node is imported into a KMS key (Origin EXTERNAL), so node's signatures
// must verify in KMS (RAW and DIGEST) and KMS's signatures must verify with node's own
// public key. KMS never gives out the private key of a key it made, so this is the
// only way a signature made outside KMS can meet KMS Verify.
import assert from 'node:assert/strict';
import { constants, createHash, generateKeyPairSync, sign as nodeSign, verify as nodeVerify, type KeyObject } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  CreateKeyCommand, GetParametersForImportCommand, GetPublicKeyCommand, ImportKeyMaterialCommand, SignCommand,
  VerifyCommand, type KeySpec, type SigningAlgorithmSpec,
} from '@aws-sdk/client-kms';
import { rejectsWith } from '../helpers/errors.ts';
import { kmsServer } from './kms-server.ts';
import { wrapKeyMaterial } from '../services/kms/crypto/helpers.ts';

interface Case {
  keySpec: KeySpec;
  algorithm: SigningAlgorithmSpec;
  generate: () => { publicKey: KeyObject; privateKey: KeyObject };
}

const CASES: Case[] = [
  { keySpec: 'RSA_2048', algorithm: 'RSASSA_PSS_SHA_256', generate: () => generateKeyPairSync('rsa', { modulusLength: 2048 }) },
  { keySpec: 'RSA_3072', algorithm: 'RSASSA_PKCS1_V1_5_SHA_384', generate: () => generateKeyPairSync('rsa', { modulusLength: 3072 }) },
  { keySpec: 'ECC_NIST_P256', algorithm: 'ECDSA_SHA_256', generate: () => generateKeyPairSync('ec', { namedCurve: 'prime256v1' }) },
  { keySpec: 'ECC_NIST_P384', algorithm: 'ECDSA_SHA_384', generate: () => generateKeyPairSync('ec', { namedCurve: 'secp384r1' }) },
];

const hashOf = (algorithm: string) => `sha${/SHA_(256|384|512)$/.exec(algorithm)![1]}`;

/** node's form of a KMS signing algorithm: PSS with a salt as long as the hash, ECDSA as DER. */
function nodeKey(key: KeyObject, algorithm: string) {
  if (algorithm.includes('PSS')) return { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: Number(hashOf(algorithm).slice(3)) / 8 };
  return { key, dsaEncoding: 'der' as const };
}

describe('KMS signatures and node:crypto, both ways (key pairs imported with the AWS SDK)', () => {
  const bulwark = kmsServer();

  /** A SIGN_VERIFY key holding node's private key. */
  async function importedKey(keySpec: KeySpec, privateKey: KeyObject): Promise<string> {
    const key = (await bulwark.kms.send(new CreateKeyCommand({ KeySpec: keySpec, KeyUsage: 'SIGN_VERIFY', Origin: 'EXTERNAL' }))).KeyMetadata!;
    const params = await bulwark.kms.send(new GetParametersForImportCommand({
      KeyId: key.KeyId, WrappingAlgorithm: 'RSA_AES_KEY_WRAP_SHA_256', WrappingKeySpec: 'RSA_4096',
    }));
    const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'der' });
    await bulwark.kms.send(new ImportKeyMaterialCommand({
      KeyId: key.KeyId, ImportToken: params.ImportToken,
      EncryptedKeyMaterial: wrapKeyMaterial(params.PublicKey!, 'RSA_AES_KEY_WRAP_SHA_256', pkcs8),
      ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE',
    }));
    return key.KeyId!;
  }

  for (const { keySpec, algorithm, generate } of CASES) {
    it(`${keySpec} ${algorithm}: node's signature verifies in KMS (RAW and DIGEST), and KMS's with node's public key`, async () => {
      const pair = generate();
      const keyId = await importedKey(keySpec, pair.privateKey);
      const { PublicKey } = await bulwark.kms.send(new GetPublicKeyCommand({ KeyId: keyId }));
      assert.deepEqual(Buffer.from(PublicKey!), pair.publicKey.export({ type: 'spki', format: 'der' }), 'GetPublicKey is node\'s public key');

      const message = Buffer.from(`signed outside KMS with ${keySpec}`);
      const digest = createHash(hashOf(algorithm)).update(message).digest();
      const nodeSignature = nodeSign(hashOf(algorithm), message, nodeKey(pair.privateKey, algorithm));
      for (const [Message, MessageType] of [[message, 'RAW'], [digest, 'DIGEST']] as const) {
        const verified = await bulwark.kms.send(new VerifyCommand({ KeyId: keyId, Message, MessageType, Signature: nodeSignature, SigningAlgorithm: algorithm }));
        assert.equal(verified.SignatureValid, true, `KMS Verify (${MessageType}) accepts node's signature`);
      }

      // KMS signs the digest node computed; node verifies it over the raw message.
      const { Signature } = await bulwark.kms.send(new SignCommand({ KeyId: keyId, Message: digest, MessageType: 'DIGEST', SigningAlgorithm: algorithm }));
      assert.ok(nodeVerify(hashOf(algorithm), message, nodeKey(pair.publicKey, algorithm), Signature!), 'node verifies KMS\'s signature');

      // A signature by another node key is not one by this KMS key.
      const stranger = nodeSign(hashOf(algorithm), message, nodeKey(generate().privateKey, algorithm));
      await assert.rejects(
        bulwark.kms.send(new VerifyCommand({ KeyId: keyId, Message: message, Signature: stranger, SigningAlgorithm: algorithm })),
        rejectsWith('KMSInvalidSignatureException'),
      );
    });
  }

  it('a KMS-made RSA key: a signature over node\'s digest (MessageType DIGEST) verifies in KMS over the raw message, and in node', async () => {
    const key = (await bulwark.kms.send(new CreateKeyCommand({ KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' }))).KeyMetadata!;
    const publicKey = (await bulwark.kms.send(new GetPublicKeyCommand({ KeyId: key.KeyId }))).PublicKey!;
    const message = Buffer.from('digest computed by node');
    const digest = createHash('sha256').update(message).digest();
    for (const algorithm of ['RSASSA_PSS_SHA_256', 'RSASSA_PKCS1_V1_5_SHA_256'] as const) {
      const { Signature } = await bulwark.kms.send(new SignCommand({ KeyId: key.KeyId, Message: digest, MessageType: 'DIGEST', SigningAlgorithm: algorithm }));
      const raw = await bulwark.kms.send(new VerifyCommand({ KeyId: key.KeyId, Message: message, MessageType: 'RAW', Signature, SigningAlgorithm: algorithm }));
      assert.equal(raw.SignatureValid, true);
      const spki = { key: Buffer.from(publicKey), format: 'der' as const, type: 'spki' as const };
      const options = algorithm.includes('PSS') ? { ...spki, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 } : spki;
      assert.ok(nodeVerify('sha256', message, options, Signature!));
    }
  });

  it('ED25519_PH_SHA_512: KMS signs a message or its SHA-512 digest alike, and Verify accepts either form', async () => {
    const key = (await bulwark.kms.send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_EDWARDS25519', KeyUsage: 'SIGN_VERIFY' }))).KeyMetadata!;
    const message = Buffer.from('pre-hashed Ed25519');
    const digest = createHash('sha512').update(message).digest();
    const raw = await bulwark.kms.send(new SignCommand({ KeyId: key.KeyId, Message: message, SigningAlgorithm: 'ED25519_PH_SHA_512' }));
    const pre = await bulwark.kms.send(new SignCommand({ KeyId: key.KeyId, Message: digest, MessageType: 'DIGEST', SigningAlgorithm: 'ED25519_PH_SHA_512' }));
    assert.deepEqual(raw.Signature, pre.Signature, 'Ed25519ph is deterministic');
    const verified = await bulwark.kms.send(new VerifyCommand({ KeyId: key.KeyId, Message: digest, MessageType: 'DIGEST', Signature: raw.Signature, SigningAlgorithm: 'ED25519_PH_SHA_512' }));
    assert.equal(verified.SignatureValid, true);
  });
});
