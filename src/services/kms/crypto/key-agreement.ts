// DeriveSharedSecret: ECDH between the private key of a KEY_AGREEMENT KMS key and a
// peer's public key (DER SubjectPublicKeyInfo) on the same curve. KMS returns the raw
// shared secret (the x-coordinate), leaving key derivation to the caller.

import { createPublicKey, diffieHellman, type KeyObject } from 'node:crypto';
import { kmsError } from './errors.ts';
import { privateKeyOf, type KeyMaterial } from './key-material.ts';
import { KEY_SPECS, type KeyAgreementAlgorithm } from './specs.ts';

export function deriveSharedSecret(material: KeyMaterial, algorithm: KeyAgreementAlgorithm, peerPublicKeyDer: Uint8Array): Buffer {
  if (!KEY_SPECS[material.keySpec].keyAgreementAlgorithms.includes(algorithm)) {
    throw kmsError('InvalidKeyUsageException', `The key agreement algorithm ${algorithm} is not compatible with a key of KeySpec ${material.keySpec}.`);
  }
  const privateKey = privateKeyOf(material);
  const peer = parsePeerKey(peerPublicKeyDer);
  const curve = privateKey.asymmetricKeyDetails?.namedCurve;
  if (peer.asymmetricKeyType !== 'ec' || peer.asymmetricKeyDetails?.namedCurve !== curve) {
    throw kmsError('ValidationException', `The public key must be an elliptic curve key on the same curve as the KMS key (${material.keySpec}).`);
  }
  return diffieHellman({ privateKey, publicKey: peer });
}

function parsePeerKey(der: Uint8Array): KeyObject {
  try {
    return createPublicKey({ key: Buffer.from(der), format: 'der', type: 'spki' });
  } catch {
    throw kmsError('ValidationException', 'The public key is not a valid DER-encoded X.509 SubjectPublicKeyInfo.');
  }
}
