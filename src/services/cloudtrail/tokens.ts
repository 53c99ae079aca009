// NextToken for CloudTrail's paginated operations: the position to continue after and
// the query it belongs to, so reusing a token with other parameters fails as on AWS.
import { AwsError } from '../../protocol/errors.ts';

export function encodeToken(after: string, fingerprint: string): string {
  return Buffer.from(JSON.stringify({ a: after, q: fingerprint })).toString('base64');
}

/** The position a token carries; `errorCode` (the operation's own) when it is not a token of this query. */
export function decodeToken(token: string, fingerprint: string, errorCode: string, message: string): string {
  try {
    const decoded = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { a?: unknown; q?: unknown };
    if (typeof decoded.a === 'string' && decoded.q === fingerprint) return decoded.a;
  } catch {
    // fall through: not a token of ours
  }
  throw new AwsError(errorCode, message);
}
