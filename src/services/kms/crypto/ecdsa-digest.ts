// ECDSA over a caller-supplied digest (Sign/Verify with MessageType DIGEST).
// node:crypto always hashes the message it signs, so a digest signed as-is goes through
// @noble/curves (constant-time signing, RFC 6979 nonces hedged with fresh randomness so
// that, like KMS, two signatures of one digest differ). RAW messages use the native path.

import type { KeyObject } from 'node:crypto';
import { p256, p384, p521 } from '@noble/curves/nist.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';

type Ecdsa = typeof p256;

/** The curves of KMS's ECC key specs, keyed by node's curve names. */
const CURVES: Readonly<Record<string, Ecdsa>> = {
  prime256v1: p256,
  secp384r1: p384,
  secp521r1: p521,
  secp256k1,
};

/**
 * DER signatures as KMS returns them; the digest is used as given (no hashing); s is not
 * normalized to the low half, as KMS does not, and verification accepts either half.
 */
const OPTIONS = { prehash: false, lowS: false, format: 'der' } as const;

function curveOf(key: KeyObject): Ecdsa {
  const name = key.asymmetricKeyDetails?.namedCurve;
  const curve = CURVES[name ?? ''];
  if (!curve) throw new Error(`No ECDSA digest support for curve ${name}.`);
  return curve;
}

const base64url = (value: string | undefined): Buffer => Buffer.from(value ?? '', 'base64url');

export function ecdsaSignDigest(privateKey: KeyObject, digest: Uint8Array): Buffer {
  const curve = curveOf(privateKey);
  const secretKey = base64url(privateKey.export({ format: 'jwk' }).d);
  return Buffer.from(curve.sign(digest, secretKey, { ...OPTIONS, extraEntropy: true }));
}

export function ecdsaVerifyDigest(publicKey: KeyObject, digest: Uint8Array, signature: Uint8Array): boolean {
  const curve = curveOf(publicKey);
  const { x, y } = publicKey.export({ format: 'jwk' });
  const point = Buffer.concat([Buffer.from([0x04]), base64url(x), base64url(y)]);
  try {
    return curve.verify(signature, digest, point, OPTIONS);
  } catch {
    // Not a DER ECDSA-Sig-Value: not a valid signature.
    return false;
  }
}
