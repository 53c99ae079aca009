// The per-region RSA key pairs that sign digest files (log file integrity validation).
// AWS uses a different key pair in each region and rotates them; ListPublicKeys hands
// out the public halves with their validity ranges. Here a region's key is made on first
// use and replaced once its validity ends; old keys stay listed so older digests still
// validate. Stored as:
//
//   cloudtrail.signing-keys   REGION/VALIDITY_START_ISO -> SigningKey
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { Documents, Store } from '../../store/store.ts';

export const SIGNING_KEYS = 'cloudtrail.signing-keys';

/** How long a key signs before the next one takes over. */
export const KEY_VALIDITY_MS = 30 * 24 * 60 * 60 * 1000;

export interface SigningKey {
  region: string;
  /** PKCS#8 PEM. Never leaves the store. */
  privateKeyPem: string;
  /** The public key, DER-encoded PKCS#1 RSAPublicKey, base64 (ListPublicKeys' Value). */
  publicKeyDer: string;
  /** Hex MD5 of the DER public key: the digests' digestPublicKeyFingerprint. */
  fingerprint: string;
  validityStart: string;
  validityEnd: string;
}

/** Hex MD5 of a DER-encoded public key: how a digest names the key that signed it. */
export function fingerprintOf(publicKeyDer: Buffer): string {
  return createHash('md5').update(publicKeyDer).digest('hex');
}

function newSigningKey(region: string, at: Date): SigningKey {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const der = publicKey.export({ type: 'pkcs1', format: 'der' });
  return {
    region,
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyDer: der.toString('base64'),
    fingerprint: fingerprintOf(der),
    validityStart: at.toISOString(),
    validityEnd: new Date(at.getTime() + KEY_VALIDITY_MS).toISOString(),
  };
}

async function regionKeys(docs: Documents, region: string): Promise<SigningKey[]> {
  return (await docs.list<SigningKey>(SIGNING_KEYS, { prefix: `${region}/` })).items.map((i) => i.value);
}

/**
 * The key that signs in `region` at `at`, made when there is none. Several nodes may
 * race here: the key is inserted under its start time, and whoever loses reads the winner's.
 */
export async function currentSigningKey(store: Store, region: string, at: Date): Promise<SigningKey> {
  const valid = (key: SigningKey) => key.validityStart <= at.toISOString() && at.toISOString() < key.validityEnd;
  const existing = (await regionKeys(store, region)).filter(valid).at(-1);
  if (existing) return existing;
  const made = newSigningKey(region, at);
  const inserted = await store.transaction(async (tx) => {
    const raced = (await regionKeys(tx, region)).filter(valid).at(-1);
    if (raced) return raced;
    await tx.put(SIGNING_KEYS, `${region}/${made.validityStart}`, made);
    return made;
  });
  return inserted;
}

/** The region's keys whose validity overlaps [start, end], oldest first. */
export async function signingKeysBetween(docs: Documents, region: string, start: Date, end: Date): Promise<SigningKey[]> {
  const [from, to] = [start.toISOString(), end.toISOString()];
  return (await regionKeys(docs, region)).filter((key) => key.validityStart <= to && key.validityEnd >= from);
}

export function privateKeyOf(key: SigningKey): KeyObject {
  return createPrivateKey(key.privateKeyPem);
}

export function publicKeyOf(derBase64: string): KeyObject {
  return createPublicKey({ key: Buffer.from(derBase64, 'base64'), format: 'der', type: 'pkcs1' });
}
