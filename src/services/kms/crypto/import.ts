// Imported key material: GetParametersForImport and the unwrapping half of
// ImportKeyMaterial.
//
// The import token is opaque to the caller and carries everything the import needs:
// the KMS key it is for, the wrapping algorithm, its expiry and the wrapping private
// key, sealed with AES-256-GCM under a key derived from the service secret the caller
// passes in. So nothing but the token has to be stored, and a token edited in any way,
// or used for another key, fails with InvalidImportTokenException.

import {
  constants, createCipheriv, createDecipheriv, createHash, createHmac, createPublicKey,
  privateDecrypt, randomBytes, type KeyObject, createPrivateKey,
} from 'node:crypto';
import { kmsError } from './errors.ts';
import { isSameKmsKey, parseKeyRef } from './key-ref.ts';
import { canonicalPrivateKeyDer, generateKeyMaterial, isSameKeyMaterial, isSecretKeySpec, supportedShape, type KeyMaterial } from './key-material.ts';
import {
  IMPORTED_SECRET_BYTES, KMS_LIMITS, WRAPPING_KEY_BITS,
  type HashName, type KeySpec, type WrappingAlgorithm, type WrappingKeySpec,
} from './specs.ts';

type RsaWrappingKeySpec = keyof typeof WRAPPING_KEY_BITS;

/** What each supported wrapping algorithm does: RSA-OAEP alone, or RSA-OAEP + AES key wrap. */
const WRAPPING_ALGORITHMS: Readonly<Partial<Record<WrappingAlgorithm, { oaepHash: HashName; aesKeyWrap: boolean }>>> = {
  RSAES_OAEP_SHA_1: { oaepHash: 'sha1', aesKeyWrap: false },
  RSAES_OAEP_SHA_256: { oaepHash: 'sha256', aesKeyWrap: false },
  RSA_AES_KEY_WRAP_SHA_1: { oaepHash: 'sha1', aesKeyWrap: true },
  RSA_AES_KEY_WRAP_SHA_256: { oaepHash: 'sha256', aesKeyWrap: true },
};

/** RFC 5649 (AES key wrap with padding) ciphers by AES key length. */
const KEY_WRAP_CIPHERS: Readonly<Record<number, string>> = {
  16: 'id-aes128-wrap-pad',
  24: 'id-aes192-wrap-pad',
  32: 'id-aes256-wrap-pad',
};
const KEY_WRAP_IV = Buffer.from('a65959a6', 'hex');

export interface ImportParametersRequest {
  /** The KMS key the material is for (its ARN). */
  keyId: string;
  keySpec: KeySpec;
  wrappingAlgorithm: WrappingAlgorithm;
  wrappingKeySpec: WrappingKeySpec;
  now: Date;
  /** Bulwark's secret for sealing import tokens (any length; 32 random bytes is right). */
  serviceSecret: Uint8Array;
}

export interface ImportParameters {
  /** The wrapping public key, DER SubjectPublicKeyInfo. */
  publicKey: Buffer;
  importToken: Buffer;
  parametersValidTo: Date;
}

/** Rejects combinations KMS does not support (Developer Guide, "Select a wrapping algorithm"). */
export function checkWrappingChoice(keySpec: KeySpec, wrappingAlgorithm: WrappingAlgorithm, wrappingKeySpec: WrappingKeySpec): void {
  supportedShape(keySpec);
  if (wrappingKeySpec === 'SM2' || wrappingAlgorithm === 'SM2PKE') {
    throw kmsError('UnsupportedOperationException', 'SM2 wrapping is only available in China Regions and is not implemented by Bulwark.');
  }
  if (!(wrappingKeySpec in WRAPPING_KEY_BITS)) {
    throw kmsError('ValidationException', `WrappingKeySpec ${String(wrappingKeySpec)} is not valid.`);
  }
  if (wrappingAlgorithm === 'RSAES_PKCS1_V1_5') {
    throw kmsError('ValidationException', 'The RSAES_PKCS1_V1_5 wrapping algorithm is no longer supported (since October 10, 2023).');
  }
  const algorithm = WRAPPING_ALGORITHMS[wrappingAlgorithm];
  if (!algorithm) throw kmsError('ValidationException', `WrappingAlgorithm ${String(wrappingAlgorithm)} is not valid.`);
  if (!algorithm.aesKeyWrap && keySpec.startsWith('RSA_')) {
    throw kmsError('ValidationException', `To import RSA private key material, use an RSA_AES_KEY_WRAP wrapping algorithm, not ${wrappingAlgorithm}.`);
  }
  if (!algorithm.aesKeyWrap && keySpec === 'ECC_NIST_P521' && wrappingKeySpec === 'RSA_2048') {
    throw kmsError('ValidationException', 'ECC_NIST_P521 key material cannot be wrapped directly with an RSA_2048 wrapping key: use a larger wrapping key or an RSA_AES_KEY_WRAP algorithm.');
  }
}

export async function createImportParameters(request: ImportParametersRequest): Promise<ImportParameters> {
  const { keyId, keySpec, wrappingAlgorithm, wrappingKeySpec, now, serviceSecret } = request;
  checkWrappingChoice(keySpec, wrappingAlgorithm, wrappingKeySpec);
  const wrappingKey = await generateKeyMaterial(wrappingKeySpec as RsaWrappingKeySpec, 'wrapping-key');
  const parametersValidTo = new Date(now.getTime() + KMS_LIMITS.importTokenValidityMs);
  const contents: ImportTokenContents = {
    keyId,
    keySpec,
    wrappingAlgorithm,
    validTo: parametersValidTo.getTime(),
    wrappingKey: wrappingKey.bytes.toString('base64'),
  };
  const publicKey = createPublicKey(createPrivateKey({ key: wrappingKey.bytes, format: 'der', type: 'pkcs8' }));
  return {
    publicKey: publicKey.export({ type: 'spki', format: 'der' }),
    importToken: sealImportToken(serviceSecret, contents),
    parametersValidTo,
  };
}

export interface UnwrapRequest {
  /** The KMS key ImportKeyMaterial names (its ARN). */
  keyId: string;
  keySpec: KeySpec;
  importToken: Uint8Array;
  encryptedKeyMaterial: Uint8Array;
  now: Date;
  serviceSecret: Uint8Array;
}

/**
 * Opens the import token, checks it is for this key and not expired, and unwraps the
 * key material, checking it is valid material for the key spec. The material id is
 * derived from the key and the material, so re-importing the same material (or
 * importing it into another Region's replica of a multi-Region key) gives the same id.
 */
export function unwrapImportedKeyMaterial(request: UnwrapRequest): KeyMaterial {
  const token = openImportToken(request.serviceSecret, request.importToken);
  if (!isSameKmsKey(token.keyId, request.keyId) || token.keySpec !== request.keySpec) {
    throw kmsError('InvalidImportTokenException', 'The import token is not valid for this KMS key.');
  }
  if (request.now.getTime() > token.validTo) {
    throw kmsError('ExpiredImportTokenException', 'The import token has expired. Use GetParametersForImport to get a new one.');
  }
  const wrappingKey = createPrivateKey({ key: Buffer.from(token.wrappingKey, 'base64'), format: 'der', type: 'pkcs8' });
  const unwrapped = unwrap(wrappingKey, token.wrappingAlgorithm, Buffer.from(request.encryptedKeyMaterial));
  const bytes = validateImportedMaterial(request.keySpec, unwrapped);
  return { keySpec: request.keySpec, materialId: importedMaterialId(request.keyId, bytes), bytes };
}

/** ImportKeyMaterial with EXISTING_KEY_MATERIAL: it must be the material imported before. */
export function requireSameImportedMaterial(existing: KeyMaterial, incoming: KeyMaterial): void {
  if (!isSameKeyMaterial(existing, incoming)) {
    throw kmsError('IncorrectKeyMaterialException', 'The key material in the request is not the same key material that was previously imported into this KMS key.');
  }
}

export function importedMaterialId(keyId: string, material: Uint8Array): string {
  return createHash('sha256')
    .update('bulwark/kms/imported-material\0')
    .update(parseKeyRef(keyId).keyId)
    .update('\0')
    .update(material)
    .digest('hex');
}

function unwrap(wrappingKey: KeyObject, wrappingAlgorithm: WrappingAlgorithm, encrypted: Buffer): Buffer {
  const algorithm = WRAPPING_ALGORITHMS[wrappingAlgorithm]!;
  const rsaBytes = (wrappingKey.asymmetricKeyDetails?.modulusLength ?? 0) / 8;
  const oaep = (ciphertext: Buffer): Buffer =>
    privateDecrypt({ key: wrappingKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: algorithm.oaepHash }, ciphertext);
  try {
    if (!algorithm.aesKeyWrap) return oaep(encrypted);
    // RSA_AES_KEY_WRAP: RSA-OAEP(ephemeral AES key) || AES-KWP(key material).
    const aesKey = oaep(encrypted.subarray(0, rsaBytes));
    const cipher = KEY_WRAP_CIPHERS[aesKey.length];
    if (!cipher) throw new Error('unexpected AES key length');
    const decipher = createDecipheriv(cipher, aesKey, KEY_WRAP_IV);
    return Buffer.concat([decipher.update(encrypted.subarray(rsaBytes)), decipher.final()]);
  } catch {
    throw kmsError('InvalidCiphertextException', 'The encrypted key material could not be decrypted with the wrapping key and algorithm of this import token.');
  }
}

function validateImportedMaterial(keySpec: KeySpec, bytes: Buffer): Buffer {
  if (isSecretKeySpec(keySpec)) {
    const size = IMPORTED_SECRET_BYTES[keySpec]!;
    if (bytes.length < size.min || bytes.length > size.max) {
      const expected = size.min === size.max ? `${size.min}` : `${size.min} to ${size.max}`;
      throw kmsError('IncorrectKeyMaterialException', `${keySpec} key material must be ${expected} bytes, not ${bytes.length}.`);
    }
    return bytes;
  }
  const canonical = canonicalPrivateKeyDer(keySpec, bytes);
  if (!canonical) {
    throw kmsError('IncorrectKeyMaterialException', `The key material is not a PKCS#8 DER private key of KeySpec ${keySpec}.`);
  }
  return canonical;
}

// --- The import token -------------------------------------------------------------

interface ImportTokenContents {
  keyId: string;
  keySpec: KeySpec;
  wrappingAlgorithm: WrappingAlgorithm;
  /** Epoch milliseconds. */
  validTo: number;
  /** PKCS#8 DER of the wrapping private key, base64. */
  wrappingKey: string;
}

const TOKEN_VERSION = Buffer.from([1]);

function tokenKey(serviceSecret: Uint8Array): Buffer {
  return createHmac('sha256', serviceSecret).update('bulwark/kms/import-token/v1').digest();
}

function sealImportToken(serviceSecret: Uint8Array, contents: ImportTokenContents): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', tokenKey(serviceSecret), iv);
  cipher.setAAD(TOKEN_VERSION);
  const sealed = Buffer.concat([cipher.update(JSON.stringify(contents), 'utf8'), cipher.final()]);
  return Buffer.concat([TOKEN_VERSION, iv, cipher.getAuthTag(), sealed]);
}

function openImportToken(serviceSecret: Uint8Array, token: Uint8Array): ImportTokenContents {
  const bytes = Buffer.from(token);
  try {
    if (bytes.length < 1 + 12 + 16 + 1 || bytes[0] !== TOKEN_VERSION[0]) throw new Error('not a token');
    const decipher = createDecipheriv('aes-256-gcm', tokenKey(serviceSecret), bytes.subarray(1, 13));
    decipher.setAAD(TOKEN_VERSION);
    decipher.setAuthTag(bytes.subarray(13, 29));
    const json = Buffer.concat([decipher.update(bytes.subarray(29)), decipher.final()]).toString('utf8');
    return JSON.parse(json) as ImportTokenContents;
  } catch {
    throw kmsError('InvalidImportTokenException', 'The import token is invalid or was altered.');
  }
}
