// A small, strict JWT (JWS compact form) reader and verifier for web identity tokens:
// RS256/384/512 and ES256/384/512 only (never `none`, never HMAC), the header's alg
// must match the key's, and the signature is checked with node:crypto.
import { createPublicKey, verify, type JsonWebKey } from 'node:crypto';

export class JwtError extends Error {
  override name = 'JwtError';
}

export interface Jwt {
  header: { alg: string; kid?: string; typ?: string };
  claims: Record<string, unknown>;
  signingInput: string;
  signature: Buffer;
}

export interface Jwk extends JsonWebKey {
  kid?: string;
  alg?: string;
  use?: string;
}

/** alg -> the digest and key type it needs (and the curve, for ECDSA). */
const ALGORITHMS: Record<string, { hash: string; kty: 'RSA' | 'EC'; crv?: string }> = {
  RS256: { hash: 'sha256', kty: 'RSA' },
  RS384: { hash: 'sha384', kty: 'RSA' },
  RS512: { hash: 'sha512', kty: 'RSA' },
  ES256: { hash: 'sha256', kty: 'EC', crv: 'P-256' },
  ES384: { hash: 'sha384', kty: 'EC', crv: 'P-384' },
  ES512: { hash: 'sha512', kty: 'EC', crv: 'P-521' },
};

const BASE64URL = /^[A-Za-z0-9_-]*$/;

function decodeJson(part: string, what: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new JwtError(`The ${what} of the JWT is not a JSON object.`);
}

/** Splits and decodes a token without trusting it. */
export function parseJwt(token: string): Jwt {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts.every((part) => BASE64URL.test(part)) || parts[2] === '') {
    throw new JwtError('The token is not a signed JWT (header.payload.signature).');
  }
  const header = decodeJson(parts[0]!, 'header');
  if (typeof header.alg !== 'string' || !(header.alg in ALGORITHMS)) {
    throw new JwtError(`Unsupported JWT signing algorithm: ${String(header.alg)}.`);
  }
  if (header.kid !== undefined && typeof header.kid !== 'string') throw new JwtError('The JWT header kid is not a string.');
  return {
    header: header as Jwt['header'],
    claims: decodeJson(parts[1]!, 'payload'),
    signingInput: `${parts[0]}.${parts[1]}`,
    signature: Buffer.from(parts[2]!, 'base64url'),
  };
}

/** The keys of a JWKS that may have signed this token (same kid if it has one, key type fitting its alg). */
function candidateKeys(jwt: Jwt, keys: readonly Jwk[]): Jwk[] {
  const needs = ALGORITHMS[jwt.header.alg]!;
  return keys.filter(
    (key) =>
      key.kty === needs.kty &&
      (needs.crv === undefined || key.crv === needs.crv) &&
      (key.alg === undefined || key.alg === jwt.header.alg) &&
      (key.use === undefined || key.use === 'sig') &&
      (jwt.header.kid === undefined || key.kid === jwt.header.kid),
  );
}

/** True when one of the keys verifies the token's signature. */
export function verifyJwt(jwt: Jwt, keys: readonly Jwk[]): boolean {
  const needs = ALGORITHMS[jwt.header.alg]!;
  for (const jwk of candidateKeys(jwt, keys)) {
    try {
      const key = createPublicKey({ key: jwk, format: 'jwk' });
      const options = needs.kty === 'EC' ? { key, dsaEncoding: 'ieee-p1363' as const } : key;
      if (verify(needs.hash, Buffer.from(jwt.signingInput), options, jwt.signature)) return true;
    } catch {
      // An unusable key in the set: try the others.
    }
  }
  return false;
}
