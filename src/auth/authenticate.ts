// Who sent a request, proven by its SigV4 signature (in the Authorization header or
// in a presigned URL's query). The errors are AWS's, named per protocol family: the
// query services say SignatureDoesNotMatch where JSON services say
// InvalidSignatureException.
import { AwsError } from '../protocol/errors.ts';
import type { HttpRequest } from '../protocol/http.ts';
import { anonymousPrincipal, rootPrincipal, type Principal } from './principal.ts';
import {
  ALGORITHM,
  computeSignature,
  formatAmzDate,
  parseAmzDate,
  parseCredential,
  queryPairs,
  sha256Hex,
  signaturesMatch,
  UNSIGNED_PAYLOAD,
  uriDecode,
  type CredentialScope,
} from './sigv4.ts';

export type AuthFlavor = 'query' | 'json';
export type AuthMode = 'permissive' | 'strict';

/** A credential Bulwark issued, as the authentication layer needs it. */
export interface ResolvedCredential {
  secretAccessKey: string;
  principal: Principal;
  /** Temporary credentials: the token that must come with every request. */
  sessionToken?: string;
  expiresAt?: Date;
  active: boolean;
  mfaAuthenticated?: boolean;
}

export interface CredentialResolver {
  lookup(accessKeyId: string): Promise<ResolvedCredential | undefined>;
}

export interface AuthOptions {
  flavor: AuthFlavor;
  mode: AuthMode;
  credentials: CredentialResolver;
  /** Bulwark's clock: temporary credentials expire by it. */
  now: Date;
  /**
   * The machine's own time when the request arrived. Clients sign with their real
   * clocks, so clock skew and presigned-URL lifetimes are judged against it; this
   * matters once Bulwark's test clock has been moved forward. Defaults to `now`.
   */
  wallTime?: Date;
  /** The signing name of the service the request was routed to; the credential scope must name it. */
  service?: string;
  defaultAccountId: string;
  /** The operation may be called unsigned (e.g. sts:AssumeRoleWithWebIdentity). */
  allowAnonymous?: boolean;
}

export interface AuthResult {
  principal: Principal;
  accessKeyId?: string;
  /** The region of the credential scope. */
  region?: string;
  signingService?: string;
  signedAt?: Date;
  presigned: boolean;
  /** False when permissive mode took an unknown key on trust (its secret is unknown). */
  verified: boolean;
  /** The session token the request carried (X-Amz-Security-Token). */
  sessionToken?: string;
  credential?: ResolvedCredential;
}

/** Requests may be signed at most this far from Bulwark's time, either way. */
const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;
/** The longest a presigned URL may live: seven days. */
const MAX_PRESIGNED_EXPIRES_S = 604_800;

const ERROR_NAMES = {
  incomplete: { query: 'IncompleteSignature', json: 'IncompleteSignatureException' },
  mismatch: { query: 'SignatureDoesNotMatch', json: 'InvalidSignatureException' },
  missing: { query: 'MissingAuthenticationToken', json: 'MissingAuthenticationTokenException' },
  invalidToken: { query: 'InvalidClientTokenId', json: 'UnrecognizedClientException' },
  expiredToken: { query: 'ExpiredToken', json: 'ExpiredTokenException' },
  denied: { query: 'AccessDenied', json: 'AccessDeniedException' },
} as const;

const STATUS: Record<keyof typeof ERROR_NAMES, Record<AuthFlavor, number>> = {
  incomplete: { query: 400, json: 400 },
  // JSON services answer a bad signature with 403 too (e.g. KMS, Lambda, CloudFront KVS).
  mismatch: { query: 403, json: 403 },
  missing: { query: 403, json: 403 },
  invalidToken: { query: 403, json: 400 },
  expiredToken: { query: 400, json: 400 },
  denied: { query: 403, json: 403 },
};

function authError(kind: keyof typeof ERROR_NAMES, flavor: AuthFlavor, message: string): AwsError {
  return new AwsError(ERROR_NAMES[kind][flavor], message, { status: STATUS[kind][flavor], senderFault: true });
}

const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
const INVALID_TOKEN = 'The security token included in the request is invalid.';

/** What a signed request claims, before anything is verified. */
interface SignedClaim {
  scope: CredentialScope;
  signedHeaders: string[];
  signature: string;
  amzDate: string;
  signedAt: Date;
  /** Presigned URLs only: seconds the signature stays valid. */
  expiresSeconds?: number;
  sessionToken?: string;
  /** The query pairs that were signed (X-Amz-Signature removed). */
  query: [string, string][];
  presigned: boolean;
}

/** The credential scope of a signed request, without verifying anything (for routing). */
export function credentialScopeOf(request: HttpRequest): CredentialScope | undefined {
  const header = request.headers.authorization;
  if (header?.startsWith(ALGORITHM)) {
    const match = /Credential=([^,\s]+)/.exec(header);
    return match ? parseCredential(match[1]) : undefined;
  }
  const match = /(?:^|&)X-Amz-Credential=([^&]*)/.exec(request.rawQuery);
  return match ? parseCredential(uriDecode(match[1])) : undefined;
}

export async function authenticate(request: HttpRequest, options: AuthOptions): Promise<AuthResult> {
  const claim = readClaim(request, options.flavor);
  if (!claim) {
    if (options.allowAnonymous) {
      return { principal: anonymousPrincipal(options.defaultAccountId), presigned: false, verified: false };
    }
    throw authError('missing', options.flavor, 'Request is missing Authentication Token');
  }
  checkScope(claim, options);
  checkTime(claim, options);

  const { accessKeyId } = claim.scope;
  const base = {
    accessKeyId,
    region: claim.scope.region,
    signingService: claim.scope.service,
    signedAt: claim.signedAt,
    presigned: claim.presigned,
    sessionToken: claim.sessionToken,
  };
  const credential = await options.credentials.lookup(accessKeyId);
  if (!credential) {
    if (options.mode === 'strict') throw authError('invalidToken', options.flavor, INVALID_TOKEN);
    // Permissive: a key Bulwark never issued acts as a root user; its secret is unknown,
    // so its signature cannot be checked. A 12-digit key id names the account.
    const accountId = /^\d{12}$/.test(accessKeyId) ? accessKeyId : options.defaultAccountId;
    return { ...base, principal: rootPrincipal(accountId), verified: false };
  }
  if (!credential.active) throw authError('invalidToken', options.flavor, INVALID_TOKEN);
  // Temporary credentials need their own token; a long-term key must come without one.
  const tokenOk =
    credential.sessionToken === undefined
      ? claim.sessionToken === undefined
      : claim.sessionToken !== undefined && signaturesMatch(credential.sessionToken, claim.sessionToken);
  if (!tokenOk) throw authError('invalidToken', options.flavor, INVALID_TOKEN);
  if (credential.expiresAt && credential.expiresAt.getTime() <= options.now.getTime()) {
    throw authError('expiredToken', options.flavor, 'The security token included in the request is expired');
  }
  const expected = computeSignature(credential.secretAccessKey, {
    request,
    signedHeaders: claim.signedHeaders,
    query: claim.query,
    amzDate: claim.amzDate,
    scope: claim.scope,
    payloadHash: payloadHash(request, claim, options.flavor),
  });
  if (!signaturesMatch(expected, claim.signature)) throw authError('mismatch', options.flavor, SIGNATURE_MISMATCH);
  return { ...base, principal: credential.principal, verified: true, credential };
}

function readClaim(request: HttpRequest, flavor: AuthFlavor): SignedClaim | undefined {
  const header = request.headers.authorization;
  const presigned = /(?:^|&)X-Amz-(Algorithm|Credential|Signature)=/.test(request.rawQuery);
  if (header !== undefined && /(?:^|&)X-Amz-Algorithm=/.test(request.rawQuery)) {
    throw authError('mismatch', flavor, "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.");
  }
  if (header !== undefined) return readHeaderClaim(request, header, flavor);
  if (presigned) return readPresignedClaim(request, flavor);
  return undefined;
}

function readHeaderClaim(request: HttpRequest, header: string, flavor: AuthFlavor): SignedClaim {
  // AWS reads `ALGORITHM key=value, key=value, ...`, splitting on commas and blanks, in
  // this order: every part a key=value pair, the required parts present, then the algorithm.
  const trimmed = header.trim();
  const algorithm = trimmed.split(/\s/, 1)[0];
  const fields = new Map<string, string>();
  for (const part of trimmed.slice(algorithm.length).split(/[\s,]+/)) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    if (eq < 0) {
      throw authError('incomplete', flavor, `'${part}' not a valid key=value pair (missing equal-sign) in Authorization header: '${header}'.`);
    }
    fields.set(part.slice(0, eq), part.slice(eq + 1));
  }
  const amzDate = request.headers['x-amz-date'] ?? request.headers.date;
  const problems: string[] = [];
  if (!fields.get('Credential')) problems.push("Authorization header requires 'Credential' parameter.");
  if (!fields.get('Signature')) problems.push("Authorization header requires 'Signature' parameter.");
  if (!fields.get('SignedHeaders')) problems.push("Authorization header requires 'SignedHeaders' parameter.");
  if (amzDate === undefined) problems.push("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  if (problems.length > 0) {
    throw authError('incomplete', flavor, `${problems.join(' ')} Authorization=${header}`);
  }
  const signedAt = parseDate(amzDate!, flavor);
  if (algorithm !== ALGORITHM) throw unsupportedAlgorithm(algorithm, flavor);
  const scope = readCredential(fields.get('Credential')!, flavor);
  return {
    scope,
    signedHeaders: fields.get('SignedHeaders')!.toLowerCase().split(';'),
    signature: fields.get('Signature')!,
    amzDate: formatAmzDate(signedAt),
    signedAt,
    sessionToken: request.headers['x-amz-security-token'],
    query: queryPairs(request.rawQuery),
    presigned: false,
  };
}

function readPresignedClaim(request: HttpRequest, flavor: AuthFlavor): SignedClaim {
  const pairs = queryPairs(request.rawQuery);
  const params = new Map(pairs);
  const missing = ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Signature', 'X-Amz-SignedHeaders', 'X-Amz-Date'].filter(
    (name) => !params.get(name),
  );
  if (missing.length > 0) {
    throw authError(
      'incomplete',
      flavor,
      missing.map((name) => `AWS query-string parameters must include '${name}'.`).join(' ') + ' Re-examine the query-string parameters.',
    );
  }
  if (params.get('X-Amz-Algorithm') !== ALGORITHM) throw unsupportedAlgorithm(params.get('X-Amz-Algorithm')!, flavor);
  const scope = readCredential(params.get('X-Amz-Credential')!, flavor);
  const expiresText = params.get('X-Amz-Expires');
  let expiresSeconds: number | undefined;
  if (expiresText !== undefined) {
    expiresSeconds = /^\d{1,7}$/.test(expiresText) ? Number(expiresText) : NaN;
    if (!(expiresSeconds >= 1 && expiresSeconds <= MAX_PRESIGNED_EXPIRES_S)) {
      throw authError('denied', flavor, `X-Amz-Expires must be an integer from 1 to ${MAX_PRESIGNED_EXPIRES_S} (got '${expiresText}').`);
    }
  }
  const signedAt = parseDate(params.get('X-Amz-Date')!, flavor);
  return {
    scope,
    signedHeaders: params.get('X-Amz-SignedHeaders')!.toLowerCase().split(';'),
    signature: params.get('X-Amz-Signature')!,
    amzDate: formatAmzDate(signedAt),
    signedAt,
    expiresSeconds,
    sessionToken: params.get('X-Amz-Security-Token'),
    query: pairs.filter(([name]) => name !== 'X-Amz-Signature'),
    presigned: true,
  };
}

function unsupportedAlgorithm(algorithm: string, flavor: AuthFlavor): AwsError {
  return authError('incomplete', flavor, `Unsupported AWS 'algorithm': '${algorithm}' (only AWS4-HMAC-SHA256 for now).`);
}

/** `AKID/date/region/service/aws4_request`; AWS ignores trailing slashes. */
function readCredential(credential: string, flavor: AuthFlavor): CredentialScope {
  const scope = parseCredential(credential.replace(/\/+$/, ''));
  if (!scope) {
    throw authError('incomplete', flavor, `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${credential}'`);
  }
  return scope;
}

function parseDate(text: string, flavor: AuthFlavor): Date {
  const date = parseAmzDate(text) ?? parseHttpDate(text);
  if (!date) {
    throw authError('incomplete', flavor, `Date must be in ISO-8601 'basic format'. Got '${text}'. See http://en.wikipedia.org/wiki/ISO_8601`);
  }
  return date;
}

/** The `Date` header form (RFC 7231), which SigV4 accepts when X-Amz-Date is absent. */
function parseHttpDate(text: string): Date | undefined {
  if (!/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(text)) return undefined;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** AWS reports every fault of the credential scope at once, in this order. */
function checkScope(claim: SignedClaim, options: AuthOptions): void {
  const { scope } = claim;
  const day = claim.amzDate.slice(0, 8);
  const faults: string[] = [];
  if (!/^[a-z]{2,4}(-[a-z]+)+-\d{1,2}$/.test(scope.region)) {
    faults.push(`Credential should be scoped to a valid region, not '${scope.region}'.`);
  }
  if (options.service !== undefined && scope.service !== options.service) {
    faults.push(`Credential should be scoped to correct service: '${options.service}'.`);
  }
  if (scope.terminator !== 'aws4_request') {
    faults.push(`Credential should be scoped with a valid terminator: 'aws4_request', not '${scope.terminator}'.`);
  }
  if (scope.date !== day) {
    faults.push(
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scope.date}' != '${day}', from '${claim.amzDate}'.`,
    );
  }
  if (faults.length > 0) throw authError('mismatch', options.flavor, faults.join(' '));
  if (!claim.signedHeaders.includes('host')) {
    throw authError('mismatch', options.flavor, "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  }
}

function checkTime(claim: SignedClaim, options: AuthOptions): void {
  const now = (options.wallTime ?? options.now).getTime();
  const signed = claim.signedAt.getTime();
  if (claim.expiresSeconds !== undefined) {
    if (now > signed + claim.expiresSeconds * 1000) throw authError('denied', options.flavor, 'Request has expired.');
    if (signed - now > MAX_CLOCK_SKEW_MS) {
      throw authError('mismatch', options.flavor, skewMessage('later', claim.amzDate, now));
    }
    return;
  }
  if (now - signed > MAX_CLOCK_SKEW_MS) throw authError('mismatch', options.flavor, skewMessage('earlier', claim.amzDate, now));
  if (signed - now > MAX_CLOCK_SKEW_MS) throw authError('mismatch', options.flavor, skewMessage('later', claim.amzDate, now));
}

/** AWS's wording, e.g. "Signature expired: 20250101T000000Z is now earlier than 20250101T001500Z (20250101T003000Z - 15 min.)". */
function skewMessage(direction: 'earlier' | 'later', amzDate: string, now: number): string {
  const nowText = formatAmzDate(new Date(now));
  if (direction === 'earlier') {
    const bound = formatAmzDate(new Date(now - MAX_CLOCK_SKEW_MS));
    return `Signature expired: ${amzDate} is now earlier than ${bound} (${nowText} - 15 min.)`;
  }
  const bound = formatAmzDate(new Date(now + MAX_CLOCK_SKEW_MS));
  return `Signature not yet current: ${amzDate} is still later than ${bound} (${nowText} + 15 min.)`;
}

/**
 * The body hash the client signed. A declared x-amz-content-sha256 is signed as given,
 * so it must also be the body's real hash, or a tampered body would pass. A presigned
 * URL may declare UNSIGNED-PAYLOAD in its query instead.
 */
function payloadHash(request: HttpRequest, claim: SignedClaim, flavor: AuthFlavor): string {
  const declared =
    request.headers['x-amz-content-sha256'] ??
    (claim.presigned ? claim.query.find(([name]) => name === 'X-Amz-Content-Sha256')?.[1] : undefined);
  if (declared === UNSIGNED_PAYLOAD) return declared;
  const actual = sha256Hex(request.body);
  if (declared !== undefined && declared !== actual) throw authError('mismatch', flavor, SIGNATURE_MISMATCH);
  return actual;
}
