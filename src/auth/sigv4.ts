// AWS Signature Version 4, verified on the server: the canonical request is rebuilt
// from exactly what the client signed (its signed headers, the raw query, the body's
// hash) and the signature recomputed with the stored secret.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv.html
import { createHash, createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';
import type { HttpRequest } from '../protocol/http.ts';

export const ALGORITHM = 'AWS4-HMAC-SHA256';
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';

/** The four parts of a credential scope, with the access key id in front of them. */
export interface CredentialScope {
  accessKeyId: string;
  /** YYYYMMDD */
  date: string;
  region: string;
  service: string;
  terminator: string;
}

/** Splits `AKID/20250101/us-east-1/sts/aws4_request`; undefined when it has not five parts. */
export function parseCredential(credential: string): CredentialScope | undefined {
  const parts = credential.split('/');
  if (parts.length !== 5) return undefined;
  const [accessKeyId, date, region, service, terminator] = parts;
  return { accessKeyId, date, region, service, terminator };
}

export function scopeString(scope: CredentialScope): string {
  return `${scope.date}/${scope.region}/${scope.service}/${scope.terminator}`;
}

/** RFC 3986 encoding as SigV4 wants it: everything but unreserved characters. */
export function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Percent-decoding that leaves '+' alone (it is a literal plus in SigV4) and survives bad escapes. */
export function uriDecode(text: string): string {
  if (!text.includes('%')) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    return text.replace(/%([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  }
}

/** The raw query as decoded (name, value) pairs, in order of appearance. */
export function queryPairs(rawQuery: string): [string, string][] {
  if (rawQuery === '') return [];
  const pairs: [string, string][] = [];
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    pairs.push(eq < 0 ? [uriDecode(part), ''] : [uriDecode(part.slice(0, eq)), uriDecode(part.slice(eq + 1))]);
  }
  return pairs;
}

/** The path with dot segments removed and each segment encoded once more, as non-S3 services sign it. */
export function canonicalPath(rawPath: string): string {
  const segments: string[] = [];
  for (const segment of rawPath.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(uriEncode(segment));
  }
  const trailing = rawPath.endsWith('/') && segments.length > 0 ? '/' : '';
  return '/' + segments.join('/') + trailing;
}

export function canonicalQuery(pairs: readonly [string, string][]): string {
  return pairs
    .map(([name, value]) => [uriEncode(name), uriEncode(value)])
    .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

function canonicalHeaderValue(value: string): string {
  return value.trim().replace(/\s+/g, ' ');
}

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

export interface SignatureInput {
  request: HttpRequest;
  /** Lower-case names, in the order the client listed them. */
  signedHeaders: readonly string[];
  /** Decoded query pairs without X-Amz-Signature. */
  query: readonly [string, string][];
  amzDate: string;
  scope: CredentialScope;
  payloadHash: string;
}

export function canonicalRequest(input: SignatureInput): string {
  const { request } = input;
  const headers = input.signedHeaders.map((name) => `${name}:${canonicalHeaderValue(request.headers[name] ?? '')}\n`).join('');
  return [
    request.method,
    canonicalPath(request.path),
    canonicalQuery(input.query),
    headers,
    input.signedHeaders.join(';'),
    input.payloadHash,
  ].join('\n');
}

export function stringToSign(input: SignatureInput): string {
  return [ALGORITHM, input.amzDate, scopeString(input.scope), sha256Hex(canonicalRequest(input))].join('\n');
}

// Signing keys change once a day per secret, region and service: derive each once.
// Kept as KeyObjects: handing node a raw Buffer makes it wrap the key anew each time.
const signingKeys = new Map<string, KeyObject>();
const MAX_CACHED_KEYS = 10_000;

function signingKey(secret: string, scope: CredentialScope): KeyObject {
  const cacheKey = `${secret}\n${scope.date}\n${scope.region}\n${scope.service}`;
  let key = signingKeys.get(cacheKey);
  if (!key) {
    const kDate = createHmac('sha256', `AWS4${secret}`).update(scope.date).digest();
    const kRegion = createHmac('sha256', kDate).update(scope.region).digest();
    const kService = createHmac('sha256', kRegion).update(scope.service).digest();
    key = createSecretKey(createHmac('sha256', kService).update('aws4_request').digest());
    if (signingKeys.size >= MAX_CACHED_KEYS) signingKeys.clear();
    signingKeys.set(cacheKey, key);
  }
  return key;
}

export function computeSignature(secret: string, input: SignatureInput): string {
  return createHmac('sha256', signingKey(secret, input.scope)).update(stringToSign(input)).digest('hex');
}

/** Constant-time comparison of two hex signatures. */
export function signaturesMatch(expected: string, given: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(given, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** 20250102T030405Z -> Date; undefined when malformed. */
export function parseAmzDate(text: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!m) return undefined;
  const date = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]));
  return Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10).replaceAll('-', '') !== m.slice(1, 4).join('')
    ? undefined
    : date;
}

export function formatAmzDate(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}
