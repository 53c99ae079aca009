// Shared by the KMS crypto tests: key material generated once per spec and process,
// python3's `cryptography` package as an independent implementation when present, and
// the customer's side of importing key material.

import { execFileSync, spawnSync } from 'node:child_process';
import { constants, createCipheriv, createPublicKey, publicEncrypt, randomBytes } from 'node:crypto';
import { generateKeyMaterial, type KeyMaterial, type KeySpec } from '../../../../src/services/kms/crypto/index.ts';
import type { Store } from '../../../../src/store/store.ts';
import { callKms, type CallOptions } from '../caller.ts';

const materials = new Map<string, Promise<KeyMaterial>>();

/** One material per key spec (and label) for the whole test file: RSA generation is slow. */
export function materialFor(keySpec: KeySpec, label = ''): Promise<KeyMaterial> {
  const key = `${keySpec}/${label}`;
  let material = materials.get(key);
  if (!material) {
    material = generateKeyMaterial(keySpec);
    materials.set(key, material);
  }
  return material;
}

export const pythonCryptography: boolean =
  spawnSync('python3', ['-c', 'import cryptography'], { stdio: 'ignore' }).status === 0;

/** Runs a python3 script with JSON on stdin (byte strings as hex) and returns its JSON output. */
export function runPython<T>(script: string, input: unknown): T {
  const output = execFileSync('python3', ['-c', script], { input: JSON.stringify(input), encoding: 'utf8' });
  return JSON.parse(output) as T;
}

const OAEP_HASH: Record<string, string> = {
  RSAES_OAEP_SHA_1: 'sha1', RSAES_OAEP_SHA_256: 'sha256', RSA_AES_KEY_WRAP_SHA_1: 'sha1', RSA_AES_KEY_WRAP_SHA_256: 'sha256',
};

/**
 * The customer's side of an import, as the KMS guide's OpenSSL steps do it, with
 * node:crypto (written independently of the code under test): RSA-OAEP under the
 * wrapping public key (DER SPKI from GetParametersForImport), or for RSA_AES_KEY_WRAP_*
 * a fresh AES-256 key under RSA-OAEP followed by the material under AES key wrap with
 * padding (RFC 5649).
 */
export function wrapKeyMaterial(wrappingPublicKeyDer: Uint8Array, algorithm: string, material: Uint8Array): Buffer {
  const publicKey = createPublicKey({ key: Buffer.from(wrappingPublicKeyDer), format: 'der', type: 'spki' });
  const oaep = { key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: OAEP_HASH[algorithm] };
  if (!algorithm.startsWith('RSA_AES')) return publicEncrypt(oaep, material);
  const aesKey = randomBytes(32);
  const kwp = createCipheriv('id-aes256-wrap-pad', aesKey, Buffer.from('a65959a6', 'hex'));
  return Buffer.concat([publicEncrypt(oaep, aesKey), kwp.update(material), kwp.final()]);
}

/**
 * GetParametersForImport, then ImportKeyMaterial of `material` wrapped with
 * RSAES_OAEP_SHA_256 (non-expiring unless `extra` gives ValidTo); its KeyMaterialId.
 */
export async function importKeyMaterial(
  store: Store,
  keyId: string,
  material: Buffer,
  extra: Record<string, unknown> = {},
  options: CallOptions = {},
): Promise<string> {
  const params = await callKms(store, 'GetParametersForImport', { KeyId: keyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' }, options);
  const { KeyMaterialId } = await callKms(store, 'ImportKeyMaterial', {
    KeyId: keyId, ImportToken: params.ImportToken, EncryptedKeyMaterial: wrapKeyMaterial(params.PublicKey, 'RSAES_OAEP_SHA_256', material),
    ExpirationModel: extra.ValidTo ? 'KEY_MATERIAL_EXPIRES' : 'KEY_MATERIAL_DOES_NOT_EXPIRE',
    ...extra,
  }, options);
  return KeyMaterialId;
}
