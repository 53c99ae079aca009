// `bulwark cloudtrail validate-logs`: what the command needs from Bulwark's store (the
// trail's bucket and prefix, the region's public keys) before log-validation.ts walks the
// bucket tree. As `aws cloudtrail validate-logs` asks DescribeTrails and ListPublicKeys.
import type { Documents } from '../../store/store.ts';
import { trailDestination } from './layout.ts';
import { displayDate, validateLogs, type ValidationReport } from './log-validation.ts';
import { signingKeysBetween } from './signing-keys.ts';
import { TRAILS, trailArn, trailKey, type TrailRecord } from './trails.ts';

const HOUR_MS = 60 * 60 * 1000;

export interface ValidateLogsOptions {
  dataDir: string;
  trailArn: string;
  start: Date;
  end: Date;
  /** Digests of this region (default: the trail's home region). */
  region?: string;
  /** The bucket and prefix when they are no longer the trail's (or the trail is gone). */
  s3Bucket?: string;
  s3Prefix?: string;
  /** The member account whose files an organization trail's validation covers. */
  accountId?: string;
  verbose: boolean;
}

/** A problem with the request itself (the AWS CLI's ValueError): no validation ran. */
export class ValidateLogsError extends Error {}

const ARN = /^arn:.+:cloudtrail:([^:]+):(\d{12}):trail\/(.+)$/;

export async function validateTrailLogs(store: Documents, options: ValidateLogsOptions): Promise<ValidationReport> {
  const match = ARN.exec(options.trailArn);
  if (!match) throw new ValidateLogsError(`Invalid trail ARN provided: ${options.trailArn}`);
  const [, homeRegion, trailAccountId, trailName] = match;
  const accountId = options.accountId ?? trailAccountId;
  if (options.start.getTime() > options.end.getTime()) {
    throw new ValidateLogsError('Invalid time range specified: start-time must occur before end-time');
  }
  let destination;
  if (options.s3Bucket) {
    destination = trailDestination({ s3BucketName: options.s3Bucket, ...(options.s3Prefix && { s3KeyPrefix: options.s3Prefix }), accountId });
  } else {
    const trail = await store.get<TrailRecord>(TRAILS, trailKey(trailAccountId, trailName));
    if (!trail || trailArn(trail) !== options.trailArn) throw new ValidateLogsError(`A trail could not be found for ${options.trailArn}`);
    if (trail.isOrganizationTrail && options.accountId === undefined) {
      throw new ValidateLogsError("Missing required parameter for organization trail: '--account-id'");
    }
    destination = trailDestination(trail, accountId);
  }
  const region = options.region ?? homeRegion;
  // The AWS CLI asks for the keys of the range and two hours beyond it.
  const keys = await signingKeysBetween(store, region, options.start, new Date(options.end.getTime() + 2 * HOUR_MS));
  if (keys.length === 0) {
    throw new ValidateLogsError(`No public keys found between ${displayDate(options.start)} and ${displayDate(new Date(options.end.getTime() + 2 * HOUR_MS))}`);
  }
  return validateLogs({
    dataDir: options.dataDir,
    trailArn: options.trailArn,
    trailName,
    homeRegion,
    region,
    destination,
    start: options.start,
    end: options.end,
    publicKeys: new Map(keys.map((k) => [k.fingerprint, k.publicKeyDer])),
    verbose: options.verbose,
  });
}
