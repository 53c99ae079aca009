// Symmetric encryption (SYMMETRIC_DEFAULT keys): AES-256-GCM with a random 96-bit IV.
// The AAD is the blob header (key reference, material id) followed by the canonical
// encryption context, so the context must match exactly and the header cannot be
// edited to point the blob at another key.

import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { decodeCiphertextBlob, encodeBlobHeader, IV_BYTES, TAG_BYTES, type CiphertextBlobParts } from './ciphertext-blob.ts';
import { encodeEncryptionContext, type EncryptionContext } from './encryption-context.ts';
import { kmsError } from './errors.ts';
import { isSameKmsKey } from './key-ref.ts';
import { secretKeyOf, type KeyMaterial } from './key-material.ts';
import { KMS_LIMITS } from './specs.ts';

export interface DecryptResult {
  plaintext: Buffer;
  /** The key reference recorded in the blob. */
  keyId: string;
  materialId: string;
}

/** Finds the material a blob names (for rotation: any version of the key). */
export type ResolveKeyMaterial = (ref: { keyId: string; materialId: string }) =>
  KeyMaterial | undefined | Promise<KeyMaterial | undefined>;

export function requireSymmetricMaterial(material: KeyMaterial, operation: string): void {
  if (material.keySpec !== 'SYMMETRIC_DEFAULT') {
    throw kmsError('InvalidKeyUsageException', `${operation} needs a symmetric encryption key; this key's KeySpec is ${material.keySpec}.`);
  }
}

export function requirePlaintextSize(plaintext: Uint8Array, limit: number = KMS_LIMITS.maxPlaintextBytes): void {
  if (plaintext.length < 1 || plaintext.length > limit) {
    throw kmsError('ValidationException', `1 validation error detected: Value at 'plaintext' failed to satisfy constraint: Member must have length between 1 and ${limit}`);
  }
}

/**
 * Encrypt with a symmetric key. `keyId` is the reference recorded in the blob (use
 * the key ARN: Decrypt without KeyId, cross-account and multi-Region replicas rely on
 * it).
 */
export function encrypt(material: KeyMaterial, keyId: string, plaintext: Uint8Array, encryptionContext?: EncryptionContext): Buffer {
  requireSymmetricMaterial(material, 'Encrypt');
  requirePlaintextSize(plaintext);
  const header = encodeBlobHeader(keyId, material.materialId);
  const aad = additionalData(header, encryptionContext);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', secretKeyOf(material), iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([header, iv, cipher.getAuthTag(), ciphertext]);
}

export interface DecryptOptions {
  /**
   * The key the caller named in KeyId (its ARN, after alias resolution). A blob made
   * under another key fails with IncorrectKeyException.
   */
  expectedKeyId?: string;
}

/**
 * Decrypt a blob: it names its key and material version, which `resolveKey` looks
 * up. An unknown key or version, a tampered blob or a different encryption context all
 * fail with InvalidCiphertextException.
 */
export async function decrypt(
  blob: Uint8Array,
  resolveKey: ResolveKeyMaterial,
  encryptionContext?: EncryptionContext,
  options: DecryptOptions = {},
): Promise<DecryptResult> {
  const parts = decodeCiphertextBlob(blob);
  checkExpectedKey(parts, options.expectedKeyId);
  const material = await resolveKey({ keyId: parts.keyId, materialId: parts.materialId });
  if (!material) throw invalidCiphertext();
  return decryptParts(material, parts, encryptionContext);
}

/** Decrypt when the caller already loaded the material the blob names (synchronous). */
export function decryptWithMaterial(
  material: KeyMaterial,
  blob: Uint8Array,
  encryptionContext?: EncryptionContext,
  options: DecryptOptions = {},
): DecryptResult {
  const parts = decodeCiphertextBlob(blob);
  checkExpectedKey(parts, options.expectedKeyId);
  return decryptParts(material, parts, encryptionContext);
}

function checkExpectedKey(parts: CiphertextBlobParts, expectedKeyId: string | undefined): void {
  if (expectedKeyId !== undefined && !isSameKmsKey(parts.keyId, expectedKeyId)) {
    throw kmsError('IncorrectKeyException', 'The key ID in the request does not identify a CMK that can perform this operation.');
  }
}

function decryptParts(material: KeyMaterial, parts: CiphertextBlobParts, encryptionContext: EncryptionContext | undefined): DecryptResult {
  requireSymmetricMaterial(material, 'Decrypt');
  if (material.materialId !== parts.materialId) throw invalidCiphertext();
  const aad = additionalData(parts.header, encryptionContext);
  const decipher = createDecipheriv('aes-256-gcm', secretKeyOf(material), parts.iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(aad);
  decipher.setAuthTag(parts.tag);
  try {
    const plaintext = Buffer.concat([decipher.update(parts.ciphertext), decipher.final()]);
    return { plaintext, keyId: parts.keyId, materialId: parts.materialId };
  } catch {
    throw invalidCiphertext();
  }
}

function additionalData(header: Buffer, encryptionContext: EncryptionContext | undefined): Buffer {
  return Buffer.concat([header, encodeEncryptionContext(encryptionContext)]);
}

function invalidCiphertext(): Error {
  return kmsError('InvalidCiphertextException', 'The ciphertext could not be decrypted: it was altered, or the encryption context or key does not match.');
}
