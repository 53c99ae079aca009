// Key material: generation, the storable form, and the node:crypto KeyObjects that
// operations use (cached, since parsing a key costs more than using it).

import {
  createPrivateKey, createPublicKey, createSecretKey, generateKeyPair, randomBytes, timingSafeEqual,
  type KeyObject,
} from 'node:crypto';
import { kmsError } from './errors.ts';
import { KEY_SPECS, type KeySpec, type MaterialShape } from './specs.ts';

/**
 * One version of a KMS key's material. Rotation adds versions; each has its own
 * `materialId` (64 lowercase hex characters, like AWS's KeyMaterialId).
 */
export interface KeyMaterial {
  readonly keySpec: KeySpec;
  readonly materialId: string;
  /** The raw secret (symmetric and HMAC specs) or the PKCS#8 DER private key. */
  readonly bytes: Buffer;
}

/** Key material as the store keeps it: plain JSON. */
export interface StoredKeyMaterial {
  keySpec: KeySpec;
  materialId: string;
  encoding: 'raw' | 'pkcs8-der';
  material: string;
}

export function newMaterialId(): string {
  return randomBytes(32).toString('hex');
}

export function isSecretKeySpec(keySpec: KeySpec): boolean {
  return KEY_SPECS[keySpec].shape.kind === 'secret';
}

/** The material shape of a spec Bulwark can serve; a clear error for those it cannot. */
export function supportedShape(keySpec: KeySpec): Exclude<MaterialShape, { kind: 'unsupported' }> {
  const info = KEY_SPECS[keySpec];
  if (!info) throw kmsError('ValidationException', `KeySpec ${String(keySpec)} is not a valid key spec.`);
  if (info.shape.kind === 'unsupported') {
    throw kmsError('UnsupportedOperationException', `KeySpec ${keySpec} is not supported: ${info.shape.reason}.`);
  }
  return info.shape;
}

/** New material for a key spec. Asynchronous: RSA key generation runs off the event loop. */
export async function generateKeyMaterial(keySpec: KeySpec, materialId: string = newMaterialId()): Promise<KeyMaterial> {
  const shape = supportedShape(keySpec);
  const bytes = shape.kind === 'secret' ? randomBytes(shape.generatedBytes) : await generatePrivateKeyDer(shape);
  return { keySpec, materialId, bytes };
}

function generatePrivateKeyDer(shape: Exclude<MaterialShape, { kind: 'unsupported' | 'secret' }>): Promise<Buffer> {
  switch (shape.kind) {
    case 'rsa': return generatePair('rsa', { modulusLength: shape.modulusBits, publicExponent: 0x10001 });
    case 'ec': return generatePair('ec', { namedCurve: shape.namedCurve });
    case 'ed25519': return generatePair('ed25519', {});
    case 'ml-dsa': return generatePair(shape.nodeType, {});
  }
}

/** node's generateKeyPair, returning the PKCS#8 DER private key. */
function generatePair(type: string, options: object): Promise<Buffer> {
  // Called through a loose signature: @types/node's overloads do not list ML-DSA yet.
  const generate = generateKeyPair as unknown as (
    type: string,
    options: object,
    callback: (error: Error | null, publicKey: Buffer, privateKey: Buffer) => void,
  ) => void;
  const encoding = { privateKeyEncoding: { type: 'pkcs8', format: 'der' }, publicKeyEncoding: { type: 'spki', format: 'der' } };
  return new Promise((resolve, reject) => {
    generate(type, { ...options, ...encoding }, (error, _publicKey, privateKey) => (error ? reject(error) : resolve(privateKey)));
  });
}

export function toStoredKeyMaterial(material: KeyMaterial): StoredKeyMaterial {
  return {
    keySpec: material.keySpec,
    materialId: material.materialId,
    encoding: isSecretKeySpec(material.keySpec) ? 'raw' : 'pkcs8-der',
    material: material.bytes.toString('base64'),
  };
}

export function fromStoredKeyMaterial(stored: StoredKeyMaterial): KeyMaterial {
  const expected = isSecretKeySpec(stored.keySpec) ? 'raw' : 'pkcs8-der';
  if (stored.encoding !== expected) {
    throw new Error(`Stored ${stored.keySpec} material must be ${expected}, not ${stored.encoding}.`);
  }
  return { keySpec: stored.keySpec, materialId: stored.materialId, bytes: Buffer.from(stored.material, 'base64') };
}

/** Whether two materials are the same key (for re-importing: IncorrectKeyMaterialException). */
export function isSameKeyMaterial(a: KeyMaterial, b: KeyMaterial): boolean {
  return a.keySpec === b.keySpec && a.bytes.length === b.bytes.length && timingSafeEqual(a.bytes, b.bytes);
}

// --- KeyObject caches ---------------------------------------------------------------
// Handlers rebuild KeyMaterial from the store on every request, so a per-object
// WeakMap alone would miss; the bounded map keyed by the material itself does not.

const MAX_CACHED_KEYS = 1024;
const byObject = new WeakMap<KeyMaterial, KeyObject>();
const byMaterial = new Map<string, KeyObject>();
const publicKeys = new Map<string, { keyObject: KeyObject; der: Buffer }>();

function cacheKey(material: KeyMaterial): string {
  return `${material.keySpec}:${material.bytes.toString('base64')}`;
}

function remember<V>(cache: Map<string, V>, key: string, value: V): V {
  if (cache.size >= MAX_CACHED_KEYS) cache.delete(cache.keys().next().value as string);
  cache.set(key, value);
  return value;
}

function cachedKeyObject(material: KeyMaterial, create: () => KeyObject): KeyObject {
  const known = byObject.get(material);
  if (known) return known;
  const key = cacheKey(material);
  const keyObject = byMaterial.get(key) ?? remember(byMaterial, key, create());
  byObject.set(material, keyObject);
  return keyObject;
}

/** The AES or HMAC secret of symmetric/HMAC material. */
export function secretKeyOf(material: KeyMaterial): KeyObject {
  if (!isSecretKeySpec(material.keySpec)) throw new Error(`${material.keySpec} material has no secret key.`);
  return cachedKeyObject(material, () => createSecretKey(material.bytes));
}

/** The private key of asymmetric material. */
export function privateKeyOf(material: KeyMaterial): KeyObject {
  if (isSecretKeySpec(material.keySpec)) throw new Error(`${material.keySpec} material has no private key.`);
  return cachedKeyObject(material, () => createPrivateKey({ key: material.bytes, format: 'der', type: 'pkcs8' }));
}

function publicKeyEntry(material: KeyMaterial): { keyObject: KeyObject; der: Buffer } {
  const key = cacheKey(material);
  const known = publicKeys.get(key);
  if (known) return known;
  const keyObject = createPublicKey(privateKeyOf(material));
  return remember(publicKeys, key, { keyObject, der: keyObject.export({ type: 'spki', format: 'der' }) });
}

export function publicKeyOf(material: KeyMaterial): KeyObject {
  return publicKeyEntry(material).keyObject;
}

/** GetPublicKey: the DER-encoded X.509 SubjectPublicKeyInfo (RFC 5280). */
export function publicKeyDer(material: KeyMaterial): Buffer {
  if (isSecretKeySpec(material.keySpec)) {
    throw kmsError('UnsupportedOperationException', `${material.keySpec} keys have no public key.`);
  }
  return Buffer.from(publicKeyEntry(material).der);
}

/**
 * Parses a PKCS#8 DER private key and checks that it is a key of `keySpec` (for
 * imported material). Returns its canonical PKCS#8 DER encoding, or undefined when
 * the bytes are no such key.
 */
export function canonicalPrivateKeyDer(keySpec: KeySpec, der: Buffer): Buffer | undefined {
  const shape = supportedShape(keySpec);
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  } catch {
    return undefined;
  }
  if (!privateKeyMatchesShape(key, shape)) return undefined;
  return key.export({ type: 'pkcs8', format: 'der' });
}

function privateKeyMatchesShape(key: KeyObject, shape: MaterialShape): boolean {
  const details = key.asymmetricKeyDetails ?? {};
  switch (shape.kind) {
    case 'rsa': return key.asymmetricKeyType === 'rsa' && details.modulusLength === shape.modulusBits;
    case 'ec': return key.asymmetricKeyType === 'ec' && details.namedCurve === shape.namedCurve;
    case 'ed25519': return key.asymmetricKeyType === 'ed25519';
    case 'ml-dsa': return (key.asymmetricKeyType as string) === shape.nodeType;
    default: return false;
  }
}
