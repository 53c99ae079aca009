// Ed25519ph (RFC 8032, section 5.1, with the pre-hash flag and an empty context): the
// ED25519_PH_SHA_512 signing algorithm. node:crypto signs pure Ed25519 only, so the
// curve arithmetic is here, on BigInt, in extended coordinates. The message is the
// SHA-512 digest of what is signed (KMS's DIGEST; RAW messages are hashed first).
// Only public values and a signature are computed: timing is not a concern for an
// emulator's keys.
import { createHash, type KeyObject } from 'node:crypto';

const P = 2n ** 255n - 19n;
const L = 2n ** 252n + 27742317777372353535851937790883648493n;
const D = mod(-121665n * inverse(121666n));
const SQRT_M1 = power(2n, (P - 1n) / 4n);
/** dom2(phflag = 1, context = empty). */
const DOM2 = Buffer.concat([Buffer.from('SigEd25519 no Ed25519 collisions', 'latin1'), Buffer.from([1, 0])]);

/** A point in extended coordinates: x = X/Z, y = Y/Z, x·y = T/Z. */
interface Point { X: bigint; Y: bigint; Z: bigint; T: bigint }

const IDENTITY: Point = { X: 0n, Y: 1n, Z: 1n, T: 0n };
const BASE: Point = (() => {
  const y = mod(4n * inverse(5n));
  const x = recoverX(y, 0)!;
  return { X: x, Y: y, Z: 1n, T: mod(x * y) };
})();

function mod(a: bigint, m = P): bigint {
  const r = a % m;
  return r < 0n ? r + m : r;
}

function power(base: bigint, exponent: bigint): bigint {
  let result = 1n;
  let b = mod(base);
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = mod(result * b);
    b = mod(b * b);
  }
  return result;
}

function inverse(a: bigint): bigint {
  return power(a, P - 2n);
}

/** RFC 8032 5.1.3: x from y and x's sign bit; undefined when y is not on the curve. */
function recoverX(y: bigint, sign: number): bigint | undefined {
  if (y >= P) return undefined;
  const x2 = mod((y * y - 1n) * inverse(D * y * y + 1n));
  if (x2 === 0n) return sign ? undefined : 0n;
  let x = power(x2, (P + 3n) / 8n);
  if (mod(x * x - x2) !== 0n) x = mod(x * SQRT_M1);
  if (mod(x * x - x2) !== 0n) return undefined;
  return Number(x & 1n) === sign ? x : P - x;
}

/** RFC 8032 5.1.4: addition (complete for edwards25519, so it also doubles). */
function add(a: Point, b: Point): Point {
  const A = mod((a.Y - a.X) * (b.Y - b.X));
  const B = mod((a.Y + a.X) * (b.Y + b.X));
  const C = mod(2n * a.T * D * b.T);
  const Dz = mod(2n * a.Z * b.Z);
  const [E, F, G, H] = [B - A, Dz - C, Dz + C, B + A];
  return { X: mod(E * F), Y: mod(G * H), Z: mod(F * G), T: mod(E * H) };
}

function multiply(scalar: bigint, point: Point): Point {
  let result = IDENTITY;
  let addend = point;
  for (let s = scalar; s > 0n; s >>= 1n) {
    if (s & 1n) result = add(result, addend);
    addend = add(addend, addend);
  }
  return result;
}

function equal(a: Point, b: Point): boolean {
  return mod(a.X * b.Z - b.X * a.Z) === 0n && mod(a.Y * b.Z - b.Y * a.Z) === 0n;
}

function littleEndian(bytes: Uint8Array): bigint {
  return BigInt(`0x${Buffer.from(bytes).reverse().toString('hex') || '0'}`);
}

function toLittleEndian(value: bigint): Buffer {
  return Buffer.from(value.toString(16).padStart(64, '0'), 'hex').reverse();
}

function encode(point: Point): Buffer {
  const zInverse = inverse(point.Z);
  const x = mod(point.X * zInverse);
  const bytes = toLittleEndian(mod(point.Y * zInverse));
  bytes[31]! |= Number(x & 1n) << 7;
  return bytes;
}

function decode(bytes: Uint8Array): Point | undefined {
  if (bytes.length !== 32) return undefined;
  const copy = Buffer.from(bytes);
  const sign = copy[31]! >> 7;
  copy[31]! &= 0x7f;
  const y = littleEndian(copy);
  const x = recoverX(y, sign);
  return x === undefined ? undefined : { X: x, Y: y, Z: 1n, T: mod(x * y) };
}

function sha512(...parts: Uint8Array[]): Buffer {
  const hash = createHash('sha512');
  for (const part of parts) hash.update(part);
  return hash.digest();
}

/** The 32-byte seed of an Ed25519 private key (the end of its PKCS#8 form). */
function seedOf(privateKey: KeyObject): Buffer {
  return privateKey.export({ format: 'der', type: 'pkcs8' }).subarray(-32);
}

/** Signs a SHA-512 digest (64 bytes) with Ed25519ph. */
export function ed25519phSign(privateKey: KeyObject, digest: Uint8Array): Buffer {
  const h = sha512(seedOf(privateKey));
  const scalarBytes = Buffer.from(h.subarray(0, 32));
  scalarBytes[0]! &= 248;
  scalarBytes[31]! &= 127;
  scalarBytes[31]! |= 64;
  const s = littleEndian(scalarBytes);
  const publicKey = encode(multiply(s, BASE));
  const r = mod(littleEndian(sha512(DOM2, h.subarray(32), digest)), L);
  const R = encode(multiply(r, BASE));
  const k = mod(littleEndian(sha512(DOM2, R, publicKey, digest)), L);
  return Buffer.concat([R, toLittleEndian(mod(r + k * s, L))]);
}

/** Verifies an Ed25519ph signature over a SHA-512 digest. */
export function ed25519phVerify(publicKey: KeyObject, digest: Uint8Array, signature: Uint8Array): boolean {
  if (signature.length !== 64) return false;
  const encodedA = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  const A = decode(encodedA);
  const R = decode(signature.subarray(0, 32));
  const S = littleEndian(signature.subarray(32));
  if (!A || !R || S >= L) return false;
  const k = mod(littleEndian(sha512(DOM2, signature.subarray(0, 32), encodedA, digest)), L);
  return equal(multiply(S, BASE), add(R, multiply(k, A)));
}
