// GenerateDataKey, GenerateDataKeyPair and GenerateRandom. Data keys come back in
// plaintext and encrypted under a symmetric KMS key (a normal ciphertext blob, so
// Decrypt opens it); key pairs return the public key in the clear.

import { createPrivateKey, createPublicKey, randomBytes } from 'node:crypto';
import type { EncryptionContext } from './encryption-context.ts';
import { kmsError } from './errors.ts';
import { generateKeyMaterial, type KeyMaterial } from './key-material.ts';
import { encrypt, requireSymmetricMaterial } from './symmetric.ts';
import { DATA_KEY_BYTES, DATA_KEY_PAIR_SPECS, KMS_LIMITS, type DataKeyPairSpec, type DataKeySpec } from './specs.ts';

export interface DataKeySize {
  keySpec?: DataKeySpec;
  numberOfBytes?: number;
}

export interface DataKey {
  plaintext: Buffer;
  ciphertextBlob: Buffer;
}

/** GenerateRandom: 1 to 1,024 random bytes. */
export function generateRandom(numberOfBytes: number): Buffer {
  requireRandomSize(numberOfBytes, 'numberOfBytes');
  return randomBytes(numberOfBytes);
}

function requireRandomSize(n: number, member: string): void {
  if (!Number.isInteger(n) || n < KMS_LIMITS.minRandomBytes || n > KMS_LIMITS.maxRandomBytes) {
    throw kmsError('ValidationException', `1 validation error detected: Value '${n}' at '${member}' failed to satisfy constraint: Member must have value between ${KMS_LIMITS.minRandomBytes} and ${KMS_LIMITS.maxRandomBytes}`);
  }
}

/** The data key length: exactly one of KeySpec and NumberOfBytes, as KMS requires. */
export function dataKeyLength(size: DataKeySize): number {
  const { keySpec, numberOfBytes } = size;
  if ((keySpec === undefined) === (numberOfBytes === undefined)) {
    throw kmsError('ValidationException', 'Please specify either number of bytes or key spec.');
  }
  if (keySpec !== undefined) {
    const bytes = DATA_KEY_BYTES[keySpec];
    if (!bytes) throw kmsError('ValidationException', `KeySpec ${String(keySpec)} is not a valid data key spec.`);
    return bytes;
  }
  requireRandomSize(numberOfBytes!, 'numberOfBytes');
  return numberOfBytes!;
}

export function generateDataKey(material: KeyMaterial, keyId: string, size: DataKeySize, encryptionContext?: EncryptionContext): DataKey {
  requireSymmetricMaterial(material, 'GenerateDataKey');
  const plaintext = randomBytes(dataKeyLength(size));
  return { plaintext, ciphertextBlob: encrypt(material, keyId, plaintext, encryptionContext) };
}

export interface DataKeyPair {
  keyPairSpec: DataKeyPairSpec;
  /** PKCS#8 DER private key. */
  privateKeyPlaintext: Buffer;
  /** The private key encrypted under the symmetric KMS key. */
  privateKeyCiphertextBlob: Buffer;
  /** DER SubjectPublicKeyInfo. */
  publicKey: Buffer;
}

export async function generateDataKeyPair(
  material: KeyMaterial,
  keyId: string,
  keyPairSpec: DataKeyPairSpec,
  encryptionContext?: EncryptionContext,
): Promise<DataKeyPair> {
  requireSymmetricMaterial(material, 'GenerateDataKeyPair');
  if (!DATA_KEY_PAIR_SPECS.includes(keyPairSpec)) {
    throw kmsError('ValidationException', `KeyPairSpec ${String(keyPairSpec)} is not a valid data key pair spec.`);
  }
  const pair = await generateKeyMaterial(keyPairSpec, 'data-key-pair');
  // Derived directly rather than through the KMS key caches: data keys are not kept.
  const publicKey = createPublicKey(createPrivateKey({ key: pair.bytes, format: 'der', type: 'pkcs8' }));
  return {
    keyPairSpec,
    privateKeyPlaintext: pair.bytes,
    privateKeyCiphertextBlob: encrypt(material, keyId, pair.bytes, encryptionContext),
    publicKey: publicKey.export({ type: 'spki', format: 'der' }),
  };
}
