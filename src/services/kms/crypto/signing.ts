// Sign / Verify with asymmetric signing keys. RAW messages take node's native path;
// DIGEST messages (already hashed by the caller) use the encodings in rsa-digest.ts
// and ecdsa-digest.ts; Ed25519ph (either) is ed25519ph.ts. ECDSA signatures are
// DER-encoded, as KMS returns them. Verify answers a boolean: the handler raises
// KMSInvalidSignatureException for false.

import { createHash, sign as nodeSign, verify as nodeVerify, constants, type KeyObject } from 'node:crypto';
import { ecdsaSignDigest, ecdsaVerifyDigest } from './ecdsa-digest.ts';
import { ed25519phSign, ed25519phVerify } from './ed25519ph.ts';
import { kmsError } from './errors.ts';
import { isSecretKeySpec, privateKeyOf, publicKeyOf, type KeyMaterial } from './key-material.ts';
import { pkcs1SignDigest, pkcs1VerifyDigest, pssSignDigest, pssVerifyDigest } from './rsa-digest.ts';
import {
  HASH_BYTES, KEY_SPECS, KMS_LIMITS, SIGNING_ALGORITHMS,
  type MessageType, type SigningAlgorithm, type SigningAlgorithmInfo,
} from './specs.ts';

function checkRequest(material: KeyMaterial, algorithm: SigningAlgorithm, message: Uint8Array, messageType: MessageType): SigningAlgorithmInfo {
  const info = SIGNING_ALGORITHMS[algorithm];
  if (!info) throw kmsError('ValidationException', `SigningAlgorithm ${String(algorithm)} is not valid.`);
  if (isSecretKeySpec(material.keySpec) || !KEY_SPECS[material.keySpec].signingAlgorithms.includes(algorithm)) {
    throw kmsError('InvalidKeyUsageException', `The signing algorithm ${algorithm} is not compatible with a key of KeySpec ${material.keySpec}.`);
  }
  if (!info.messageTypes.includes(messageType)) {
    throw kmsError('ValidationException', `MessageType ${messageType} is not supported with the signing algorithm ${algorithm}.`);
  }
  if (info.scheme === 'sm2' || messageType === 'EXTERNAL_MU') {
    throw kmsError('UnsupportedOperationException', `Bulwark does not implement ${algorithm} with MessageType ${messageType}.`);
  }
  if (messageType === 'DIGEST') {
    const expected = HASH_BYTES[info.hash!];
    if (message.length !== expected) {
      throw kmsError('ValidationException', `Digest is invalid length for algorithm ${algorithm}: expected ${expected} bytes, got ${message.length}.`);
    }
  } else if (message.length < 1 || message.length > KMS_LIMITS.maxSignMessageBytes) {
    throw kmsError('ValidationException', `1 validation error detected: Value at 'message' failed to satisfy constraint: Member must have length between 1 and ${KMS_LIMITS.maxSignMessageBytes}`);
  }
  return info;
}

/** Options node's sign()/verify() need for a RAW message. */
function nativeKey(key: KeyObject, info: SigningAlgorithmInfo): { key: KeyObject; padding?: number; saltLength?: number; dsaEncoding?: 'der' } {
  switch (info.scheme) {
    case 'rsa-pss': return { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: HASH_BYTES[info.hash!] };
    case 'rsa-pkcs1': return { key, padding: constants.RSA_PKCS1_PADDING };
    case 'ecdsa': return { key, dsaEncoding: 'der' };
    default: return { key };
  }
}

/** Ed25519ph signs a SHA-512 digest: the caller's (DIGEST) or the message's (RAW). */
function sha512Digest(message: Uint8Array, messageType: MessageType): Uint8Array {
  return messageType === 'DIGEST' ? message : createHash('sha512').update(message).digest();
}

export function sign(material: KeyMaterial, algorithm: SigningAlgorithm, message: Uint8Array, messageType: MessageType = 'RAW'): Buffer {
  const info = checkRequest(material, algorithm, message, messageType);
  const key = privateKeyOf(material);
  if (info.scheme === 'ed25519ph') return ed25519phSign(key, sha512Digest(message, messageType));
  if (messageType === 'RAW') return nodeSign(info.hash ?? null, message, nativeKey(key, info));
  switch (info.scheme) {
    case 'rsa-pss': return pssSignDigest(key, info.hash!, message);
    case 'rsa-pkcs1': return pkcs1SignDigest(key, info.hash!, message);
    case 'ecdsa': return ecdsaSignDigest(key, message);
    default: throw kmsError('UnsupportedOperationException', `Bulwark does not implement ${algorithm} with MessageType ${messageType}.`);
  }
}

export function verify(
  material: KeyMaterial,
  algorithm: SigningAlgorithm,
  message: Uint8Array,
  signature: Uint8Array,
  messageType: MessageType = 'RAW',
): boolean {
  const info = checkRequest(material, algorithm, message, messageType);
  const key = publicKeyOf(material);
  try {
    if (info.scheme === 'ed25519ph') return ed25519phVerify(key, sha512Digest(message, messageType), signature);
    if (messageType === 'RAW') return nodeVerify(info.hash ?? null, message, nativeKey(key, info), signature);
    switch (info.scheme) {
      case 'rsa-pss': return pssVerifyDigest(key, info.hash!, message, signature);
      case 'rsa-pkcs1': return pkcs1VerifyDigest(key, info.hash!, message, signature);
      case 'ecdsa': return ecdsaVerifyDigest(key, message, signature);
      default: return false;
    }
  } catch {
    // A malformed signature is simply not a valid one.
    return false;
  }
}
