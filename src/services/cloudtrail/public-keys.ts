// ListPublicKeys: the public halves of the caller's region's digest signing keys whose
// validity overlaps the requested range (both ends default to now, which answers the
// current key). Validators pick the key whose fingerprint a digest names.
import { AwsError } from '../../protocol/errors.ts';
import type { RequestContext } from '../service.ts';
import type { ListPublicKeysRequest, ListPublicKeysResponse } from '../../protocol/types/cloudtrail.ts';
import { currentSigningKey, signingKeysBetween } from './signing-keys.ts';

export async function listPublicKeys(input: ListPublicKeysRequest, context: RequestContext): Promise<ListPublicKeysResponse> {
  const start = input.StartTime ?? context.now;
  const end = input.EndTime ?? context.now;
  if (start.getTime() > end.getTime()) {
    throw new AwsError('InvalidTimeRangeException', 'Start time must be before end time.');
  }
  if (input.NextToken !== undefined) {
    // Reserved for future use by AWS: every key fits in one answer, so no token is ever handed out.
    throw new AwsError('InvalidTokenException', 'Invalid token.');
  }
  // A region always has a current key, as on AWS, even before its first digest.
  await currentSigningKey(context.store, context.region, context.now);
  const keys = await signingKeysBetween(context.store, context.region, start, end);
  return {
    PublicKeyList: keys.map((key) => ({
      Value: Buffer.from(key.publicKeyDer, 'base64'),
      ValidityStartTime: new Date(key.validityStart),
      ValidityEndTime: new Date(key.validityEnd),
      Fingerprint: key.fingerprint,
    })),
  };
}
