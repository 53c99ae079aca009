// Encryption with RSA keys: RSAES-OAEP with SHA-1 or SHA-256 (MGF1 with the same
// hash), as KMS does. The ciphertext is the bare RSA output; Decrypt must be told
// the key and the algorithm.

import { constants, privateDecrypt, publicEncrypt } from 'node:crypto';
import { kmsError } from './errors.ts';
import { privateKeyOf, publicKeyOf, type KeyMaterial } from './key-material.ts';
import {
  KEY_SPECS, RSA_OAEP_HASH, RSA_OAEP_MAX_PLAINTEXT_BYTES,
  type EncryptionAlgorithm, type KeySpec,
} from './specs.ts';

type RsaOaepAlgorithm = keyof typeof RSA_OAEP_HASH;
type RsaKeySpec = keyof typeof RSA_OAEP_MAX_PLAINTEXT_BYTES;

function requireRsaOaep(keySpec: KeySpec, algorithm: EncryptionAlgorithm): asserts algorithm is RsaOaepAlgorithm {
  const allowed = KEY_SPECS[keySpec].encryptionAlgorithms;
  if (!allowed.includes(algorithm) || !(algorithm in RSA_OAEP_HASH)) {
    throw kmsError('InvalidKeyUsageException', `The encryption algorithm ${algorithm} is not compatible with a key of KeySpec ${keySpec}.`);
  }
}

/** The largest plaintext Encrypt takes with this RSA key spec and algorithm. */
export function maxRsaPlaintextBytes(keySpec: KeySpec, algorithm: EncryptionAlgorithm): number {
  requireRsaOaep(keySpec, algorithm);
  return RSA_OAEP_MAX_PLAINTEXT_BYTES[keySpec as RsaKeySpec][algorithm];
}

export function rsaEncrypt(material: KeyMaterial, algorithm: EncryptionAlgorithm, plaintext: Uint8Array): Buffer {
  const max = maxRsaPlaintextBytes(material.keySpec, algorithm);
  if (plaintext.length < 1 || plaintext.length > max) {
    throw kmsError('ValidationException', `Plaintext must be between 1 and ${max} bytes for ${material.keySpec} with ${algorithm}.`);
  }
  return publicEncrypt(
    { key: publicKeyOf(material), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: RSA_OAEP_HASH[algorithm as RsaOaepAlgorithm] },
    plaintext,
  );
}

export function rsaDecrypt(material: KeyMaterial, algorithm: EncryptionAlgorithm, ciphertext: Uint8Array): Buffer {
  requireRsaOaep(material.keySpec, algorithm);
  try {
    return privateDecrypt(
      { key: privateKeyOf(material), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: RSA_OAEP_HASH[algorithm] },
      ciphertext,
    );
  } catch {
    throw kmsError('InvalidCiphertextException', 'The ciphertext could not be decrypted with this key and encryption algorithm.');
  }
}
