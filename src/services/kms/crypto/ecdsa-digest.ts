// ECDSA over a caller-supplied digest (Sign/Verify with MessageType DIGEST).
// node:crypto always hashes the message it signs, so signing a digest as-is needs
// the curve arithmetic here (SEC 1 section 4.1, Jacobian coordinates, BigInt). It is
// not constant-time, which is acceptable for an emulator; RAW messages use the
// native path.

import { randomBytes, type KeyObject } from 'node:crypto';

interface Curve {
  p: bigint;
  a: bigint;
  n: bigint;
  gx: bigint;
  gy: bigint;
  bytes: number;
}

const h = (hex: string): bigint => BigInt(`0x${hex}`);

/** Domain parameters (SEC 2 / FIPS 186-4), keyed by node's curve names. */
const CURVES: Readonly<Record<string, Curve>> = {
  prime256v1: {
    p: h('ffffffff00000001000000000000000000000000ffffffffffffffffffffffff'),
    a: h('ffffffff00000001000000000000000000000000fffffffffffffffffffffffc'),
    n: h('ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551'),
    gx: h('6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296'),
    gy: h('4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5'),
    bytes: 32,
  },
  secp384r1: {
    p: h('fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffff'),
    a: h('fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000fffffffc'),
    n: h('ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973'),
    gx: h('aa87ca22be8b05378eb1c71ef320ad746e1d3b628ba79b9859f741e082542a385502f25dbf55296c3a545e3872760ab7'),
    gy: h('3617de4a96262c6f5d9e98bf9292dc29f8f41dbd289a147ce9da3113b5f0b8c00a60b1ce1d7e819d7a431d7c90ea0e5f'),
    bytes: 48,
  },
  secp521r1: {
    p: (1n << 521n) - 1n,
    a: (1n << 521n) - 4n,
    n: h('01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409'),
    gx: h('00c6858e06b70404e9cd9e3ecb662395b4429c648139053fb521f828af606b4d3dbaa14b5e77efe75928fe1dc127a2ffa8de3348b3c1856a429bf97e7e31c2e5bd66'),
    gy: h('011839296a789a3bc0045c8a5fb42c7d1bd998f54449579b446817afbd17273e662c97ee72995ef42640c550b9013fad0761353c7086a272c24088be94769fd16650'),
    bytes: 66,
  },
  secp256k1: {
    p: h('fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f'),
    a: 0n,
    n: h('fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141'),
    gx: h('79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798'),
    gy: h('483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8'),
    bytes: 32,
  },
};

type Jacobian = readonly [bigint, bigint, bigint];
const INFINITY: Jacobian = [1n, 1n, 0n];

function mod(x: bigint, m: bigint): bigint {
  const r = x % m;
  return r < 0n ? r + m : r;
}

function invert(x: bigint, m: bigint): bigint {
  let [a, b, u, v] = [mod(x, m), m, 1n, 0n];
  while (a !== 0n) {
    const q = b / a;
    [a, b] = [b - q * a, a];
    [u, v] = [v - q * u, u];
  }
  if (b !== 1n) throw new Error('not invertible');
  return mod(v, m);
}

function double(c: Curve, [x, y, z]: Jacobian): Jacobian {
  if (z === 0n || y === 0n) return INFINITY;
  const { p } = c;
  const yy = (y * y) % p;
  const zz = (z * z) % p;
  const s = (4n * x * yy) % p;
  const m = (3n * x * x + c.a * ((zz * zz) % p)) % p;
  const x3 = mod(m * m - 2n * s, p);
  const y3 = mod(m * (s - x3) - 8n * ((yy * yy) % p), p);
  return [x3, y3, (2n * y * z) % p];
}

function add(c: Curve, first: Jacobian, second: Jacobian): Jacobian {
  if (first[2] === 0n) return second;
  if (second[2] === 0n) return first;
  const { p } = c;
  const [x1, y1, z1] = first;
  const [x2, y2, z2] = second;
  const z1z1 = (z1 * z1) % p;
  const z2z2 = (z2 * z2) % p;
  const u1 = (x1 * z2z2) % p;
  const u2 = (x2 * z1z1) % p;
  const s1 = (((y1 * z2) % p) * z2z2) % p;
  const s2 = (((y2 * z1) % p) * z1z1) % p;
  if (u1 === u2) return s1 === s2 ? double(c, first) : INFINITY;
  const hh = mod(u2 - u1, p);
  const r = mod(s2 - s1, p);
  const h2 = (hh * hh) % p;
  const h3 = (h2 * hh) % p;
  const x3 = mod(r * r - h3 - 2n * u1 * h2, p);
  const y3 = mod(r * (u1 * h2 - x3) - s1 * h3, p);
  return [x3, y3, (((hh * z1) % p) * z2) % p];
}

function multiply(c: Curve, k: bigint, point: Jacobian): Jacobian {
  let result = INFINITY;
  for (let bit = BigInt(k.toString(2).length - 1); bit >= 0n; bit--) {
    result = double(c, result);
    if ((k >> bit) & 1n) result = add(c, result, point);
  }
  return result;
}

function affineX(c: Curve, [x, , z]: Jacobian): bigint | undefined {
  if (z === 0n) return undefined;
  const zInv = invert(z, c.p);
  return (x * zInv * zInv) % c.p;
}

function curveOf(key: KeyObject): Curve {
  const curve = CURVES[key.asymmetricKeyDetails?.namedCurve ?? ''];
  if (!curve) throw new Error(`No ECDSA digest support for curve ${key.asymmetricKeyDetails?.namedCurve}.`);
  return curve;
}

function jwkInteger(value: string | undefined): bigint {
  return h(Buffer.from(value ?? '', 'base64url').toString('hex') || '0');
}

/** SEC 1 4.1.3 step 5: the digest as an integer, truncated to the bit length of n. */
function digestInteger(c: Curve, digest: Uint8Array): bigint {
  const e = h(Buffer.from(digest).toString('hex') || '0');
  const excess = digest.length * 8 - c.n.toString(2).length;
  return excess > 0 ? e >> BigInt(excess) : e;
}

function randomScalar(c: Curve): bigint {
  for (;;) {
    const k = mod(h(randomBytes(c.bytes + 8).toString('hex')), c.n);
    if (k !== 0n) return k;
  }
}

export function ecdsaSignDigest(privateKey: KeyObject, digest: Uint8Array): Buffer {
  const c = curveOf(privateKey);
  const d = jwkInteger(privateKey.export({ format: 'jwk' }).d);
  const e = digestInteger(c, digest);
  for (;;) {
    const k = randomScalar(c);
    const x = affineX(c, multiply(c, k, [c.gx, c.gy, 1n]));
    if (x === undefined) continue;
    const r = x % c.n;
    if (r === 0n) continue;
    const s = mod(invert(k, c.n) * (e + r * d), c.n);
    if (s !== 0n) return derSignature(r, s);
  }
}

export function ecdsaVerifyDigest(publicKey: KeyObject, digest: Uint8Array, signature: Uint8Array): boolean {
  const c = curveOf(publicKey);
  const parsed = parseDerSignature(signature);
  if (!parsed) return false;
  const { r, s } = parsed;
  if (r <= 0n || r >= c.n || s <= 0n || s >= c.n) return false;
  const jwk = publicKey.export({ format: 'jwk' });
  const q: Jacobian = [jwkInteger(jwk.x), jwkInteger(jwk.y), 1n];
  const w = invert(s, c.n);
  const e = digestInteger(c, digest);
  const point = add(c, multiply(c, mod(e * w, c.n), [c.gx, c.gy, 1n]), multiply(c, mod(r * w, c.n), q));
  const x = affineX(c, point);
  return x !== undefined && x % c.n === r;
}

/** Public point of a private scalar (exposed so tests can check the curve constants). */
export function ecPublicPoint(curveName: string, d: bigint): { x: bigint; y: bigint } {
  const c = CURVES[curveName];
  const [x, y, z] = multiply(c, d, [c.gx, c.gy, 1n]);
  const zInv = invert(z, c.p);
  return { x: (x * zInv * zInv) % c.p, y: (y * zInv * zInv * zInv) % c.p };
}

// --- DER: ECDSA-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER } ----------------------

function derInteger(value: bigint): Buffer {
  let hex = value.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  let bytes = Buffer.from(hex, 'hex');
  if (bytes[0] & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return Buffer.concat([Buffer.from([0x02]), derLength(bytes.length), bytes]);
}

function derLength(length: number): Buffer {
  return length < 0x80 ? Buffer.from([length]) : Buffer.from([0x81, length]);
}

function derSignature(r: bigint, s: bigint): Buffer {
  const body = Buffer.concat([derInteger(r), derInteger(s)]);
  return Buffer.concat([Buffer.from([0x30]), derLength(body.length), body]);
}

function parseDerSignature(signature: Uint8Array): { r: bigint; s: bigint } | undefined {
  const bytes = Buffer.from(signature);
  let offset = 0;
  const readLength = (): number | undefined => {
    const first = bytes[offset++];
    if (first === undefined) return undefined;
    if (first < 0x80) return first;
    if (first !== 0x81) return undefined;
    const length = bytes[offset++];
    return length !== undefined && length >= 0x80 ? length : undefined;
  };
  const readInteger = (): bigint | undefined => {
    if (bytes[offset++] !== 0x02) return undefined;
    const length = readLength();
    if (!length || offset + length > bytes.length) return undefined;
    const value = bytes.subarray(offset, offset + length);
    offset += length;
    if (value[0] & 0x80) return undefined;
    return h(value.toString('hex'));
  };
  if (bytes[offset++] !== 0x30) return undefined;
  const total = readLength();
  if (total === undefined || offset + total !== bytes.length) return undefined;
  const r = readInteger();
  const s = readInteger();
  if (r === undefined || s === undefined || offset !== bytes.length) return undefined;
  return { r, s };
}
