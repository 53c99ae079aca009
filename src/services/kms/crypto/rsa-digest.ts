// RSA signatures over a caller-supplied digest (MessageType DIGEST). node:crypto's
// sign() always hashes, so the encodings of RFC 8017 are built here and only the RSA
// primitive comes from node (privateEncrypt / publicDecrypt).

import { constants, createHash, privateEncrypt, publicDecrypt, randomBytes, timingSafeEqual, type KeyObject } from 'node:crypto';
import { HASH_BYTES, type HashName } from './specs.ts';

/** DER DigestInfo prefixes (RFC 8017 section 9.2, note 1). */
const DIGEST_INFO_PREFIX: Readonly<Partial<Record<HashName, Buffer>>> = {
  sha256: Buffer.from('3031300d060960864801650304020105000420', 'hex'),
  sha384: Buffer.from('3041300d060960864801650304020205000430', 'hex'),
  sha512: Buffer.from('3051300d060960864801650304020305000440', 'hex'),
};

function digestInfo(hash: HashName, digest: Uint8Array): Buffer {
  const prefix = DIGEST_INFO_PREFIX[hash];
  if (!prefix) throw new Error(`No DigestInfo for ${hash}.`);
  return Buffer.concat([prefix, digest]);
}

export function pkcs1SignDigest(privateKey: KeyObject, hash: HashName, digest: Uint8Array): Buffer {
  return privateEncrypt({ key: privateKey, padding: constants.RSA_PKCS1_PADDING }, digestInfo(hash, digest));
}

export function pkcs1VerifyDigest(publicKey: KeyObject, hash: HashName, digest: Uint8Array, signature: Uint8Array): boolean {
  const expected = digestInfo(hash, digest);
  let recovered: Buffer;
  try {
    recovered = publicDecrypt({ key: publicKey, padding: constants.RSA_PKCS1_PADDING }, signature);
  } catch {
    return false;
  }
  return recovered.length === expected.length && timingSafeEqual(recovered, expected);
}

function mgf1(hash: HashName, seed: Buffer, length: number): Buffer {
  const blocks: Buffer[] = [];
  for (let counter = 0; blocks.length * HASH_BYTES[hash] < length; counter++) {
    const c = Buffer.alloc(4);
    c.writeUInt32BE(counter);
    blocks.push(createHash(hash).update(seed).update(c).digest());
  }
  return Buffer.concat(blocks).subarray(0, length);
}

function modulusBits(key: KeyObject): number {
  return key.asymmetricKeyDetails?.modulusLength ?? 0;
}

/** M' = 8 zero bytes || mHash || salt, hashed (RFC 8017 9.1.1 steps 5-6). */
function pssHash(hash: HashName, digest: Uint8Array, salt: Buffer): Buffer {
  return createHash(hash).update(Buffer.alloc(8)).update(digest).update(salt).digest();
}

/** EMSA-PSS-ENCODE with MGF1 of the same hash and a salt as long as the hash, as KMS uses. */
export function pssSignDigest(privateKey: KeyObject, hash: HashName, digest: Uint8Array): Buffer {
  const hLen = HASH_BYTES[hash];
  const k = Math.ceil(modulusBits(privateKey) / 8);
  const emBits = modulusBits(privateKey) - 1;
  const emLen = Math.ceil(emBits / 8);
  const salt = randomBytes(hLen);
  const hPrime = pssHash(hash, digest, salt);
  const db = Buffer.concat([Buffer.alloc(emLen - 2 * hLen - 2), Buffer.from([1]), salt]);
  const mask = mgf1(hash, hPrime, db.length);
  for (let i = 0; i < db.length; i++) db[i] ^= mask[i];
  db[0] &= 0xff >> (8 * emLen - emBits);
  const em = Buffer.concat([db, hPrime, Buffer.from([0xbc])]);
  const block = Buffer.concat([Buffer.alloc(k - emLen), em]);
  return privateEncrypt({ key: privateKey, padding: constants.RSA_NO_PADDING }, block);
}

/** EMSA-PSS-VERIFY (RFC 8017 9.1.2) with the salt length fixed to the hash length. */
export function pssVerifyDigest(publicKey: KeyObject, hash: HashName, digest: Uint8Array, signature: Uint8Array): boolean {
  const hLen = HASH_BYTES[hash];
  const k = Math.ceil(modulusBits(publicKey) / 8);
  const emBits = modulusBits(publicKey) - 1;
  const emLen = Math.ceil(emBits / 8);
  if (signature.length !== k) return false;
  let block: Buffer;
  try {
    block = publicDecrypt({ key: publicKey, padding: constants.RSA_NO_PADDING }, signature);
  } catch {
    return false;
  }
  const em = block.subarray(block.length - emLen);
  if (block.length - emLen > 0 && block.subarray(0, block.length - emLen).some((b) => b !== 0)) return false;
  if (em[emLen - 1] !== 0xbc) return false;
  const maskedDb = em.subarray(0, emLen - hLen - 1);
  const hPrime = em.subarray(emLen - hLen - 1, emLen - 1);
  const topBits = 0xff >> (8 * emLen - emBits);
  if ((maskedDb[0] & ~topBits) !== 0) return false;
  const db = Buffer.from(maskedDb);
  const mask = mgf1(hash, hPrime, db.length);
  for (let i = 0; i < db.length; i++) db[i] ^= mask[i];
  db[0] &= topBits;
  const separator = emLen - 2 * hLen - 2;
  if (db.subarray(0, separator).some((b) => b !== 0) || db[separator] !== 1) return false;
  const salt = db.subarray(separator + 1);
  return timingSafeEqual(pssHash(hash, digest, salt), hPrime);
}
