// Ed25519ph (RFC 8032, section 5.1, with the pre-hash flag and an empty context): the
// ED25519_PH_SHA_512 signing algorithm. node:crypto signs pure Ed25519 only, so this
// goes through @noble/curves' EdDSA over edwards25519. KMS hands us the SHA-512 digest
// (DIGEST; RAW messages are hashed first), so the scheme's pre-hash step is the
// identity here, and the digest enters the signature as PH(M).
import { createHash, type KeyObject } from 'node:crypto';
import { eddsa } from '@noble/curves/abstract/edwards.js';
import { ed25519 } from '@noble/curves/ed25519.js';

const DOM2_PREFIX = Buffer.from('SigEd25519 no Ed25519 collisions', 'latin1');

/** dom2(phflag, context) || data, RFC 8032 section 5.1. */
function dom2(data: Uint8Array, context: Uint8Array, phflag: boolean): Uint8Array {
  return Buffer.concat([DOM2_PREFIX, Buffer.from([phflag ? 1 : 0, context.length]), context, data]);
}

/** Ed25519's clamping of the secret scalar's bytes. */
function clamp(bytes: Uint8Array): Uint8Array {
  bytes[0]! &= 248;
  bytes[31]! &= 127;
  bytes[31]! |= 64;
  return bytes;
}

const sha512 = (data: Uint8Array): Uint8Array => createHash('sha512').update(data).digest();

const ed25519phOverDigest = eddsa(ed25519.Point, sha512, { adjustScalarBytes: clamp, domain: dom2, prehash: (digest: Uint8Array) => digest });

/** The 32-byte seed of an Ed25519 private key (the end of its PKCS#8 form). */
function seedOf(privateKey: KeyObject): Buffer {
  return privateKey.export({ format: 'der', type: 'pkcs8' }).subarray(-32);
}

/** Signs a SHA-512 digest (64 bytes) with Ed25519ph. */
export function ed25519phSign(privateKey: KeyObject, digest: Uint8Array): Buffer {
  return Buffer.from(ed25519phOverDigest.sign(digest, seedOf(privateKey)));
}

/** Verifies an Ed25519ph signature over a SHA-512 digest. */
export function ed25519phVerify(publicKey: KeyObject, digest: Uint8Array, signature: Uint8Array): boolean {
  if (signature.length !== 64) return false;
  const encoded = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  try {
    return ed25519phOverDigest.verify(signature, digest, encoded);
  } catch {
    return false; // not a point or an out-of-range S: not a valid signature
  }
}
