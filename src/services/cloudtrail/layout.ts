// Where CloudTrail puts files in a trail's bucket, as on AWS. S3 does not exist in
// Bulwark: a bucket is the local directory <dataDir>/s3/<bucket>/ and an object key is a
// path under it.
//
//   [<prefix>/]AWSLogs/[<org-id>/]<account>/CloudTrail/<region>/YYYY/MM/DD/
//     <account>_CloudTrail_<region>_<YYYYMMDDTHHmmZ>_<16 characters>.json.gz
//   [<prefix>/]AWSLogs/[<org-id>/]<account>/CloudTrail-Digest/<region>/YYYY/MM/DD/
//     <account>_CloudTrail-Digest_<region>_<trail>_<home region>_<YYYYMMDDTHHmmssZ>.json.gz
import { randomBytes } from 'node:crypto';
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';

const gzip = promisify(gzipCallback);

/** Where a trail's files for one account go (an organization trail has one per member account). */
export interface Destination {
  bucket: string;
  prefix?: string;
  /** The account whose events the files hold. */
  accountId: string;
  /** Set for organization trails: files go under AWSLogs/<org-id>/<account>/. */
  organizationId?: string;
}

/** Where a trail puts the files of `accountId` (an organization trail logs its members' too, under its organization's id). */
export function trailDestination(
  trail: { s3BucketName: string; s3KeyPrefix?: string; accountId: string; organizationId?: string },
  accountId = trail.accountId,
): Destination {
  return {
    bucket: trail.s3BucketName,
    ...(trail.s3KeyPrefix && { prefix: trail.s3KeyPrefix }),
    accountId,
    ...(trail.organizationId && { organizationId: trail.organizationId }),
  };
}

/** The directory standing for an S3 bucket. */
export function bucketDir(dataDir: string, bucket: string): string {
  return join(dataDir, 's3', bucket);
}

/** The local path of an object. */
export function objectPath(dataDir: string, bucket: string, key: string): string {
  return join(bucketDir(dataDir, bucket), ...key.split('/'));
}

/** Writes an object's content gzipped, to `<path>.partial` then renamed: a reader never sees half a file. */
export async function writeGzippedObject(path: string, content: string): Promise<void> {
  await writeFile(`${path}.partial`, await gzip(content));
  await rename(`${path}.partial`, path);
}

/** The key prefix of one kind of file ('CloudTrail' or 'CloudTrail-Digest') of a region, before the date folders. */
export function folderPrefix(destination: Destination, kind: 'CloudTrail' | 'CloudTrail-Digest', region: string): string {
  const prefix = destination.prefix ? destination.prefix.split('/').filter(Boolean) : [];
  const org = destination.organizationId ? [destination.organizationId] : [];
  return [...prefix, 'AWSLogs', ...org, destination.accountId, kind, region].join('/');
}

function dateFolders(at: Date): string {
  const iso = at.toISOString();
  return `${iso.slice(0, 4)}/${iso.slice(5, 7)}/${iso.slice(8, 10)}`;
}

/** 20150817T1501Z (log files) or 20150817T150131Z (digests). */
function compactStamp(at: Date, seconds: boolean): string {
  const iso = at.toISOString();
  const time = iso.slice(11, 13) + iso.slice(14, 16) + (seconds ? iso.slice(17, 19) : '');
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${time}Z`;
}

/** The key of a new log file of `region` delivered at `at`. */
export function logFileKey(destination: Destination, region: string, at: Date): string {
  const name = `${destination.accountId}_CloudTrail_${region}_${compactStamp(at, false)}_${uniqueSuffix()}.json.gz`;
  return `${folderPrefix(destination, 'CloudTrail', region)}/${dateFolders(at)}/${name}`;
}

/** The key of the digest of `trail` for `region` whose window ends at `end`. */
export function digestFileKey(destination: Destination, region: string, trail: { name: string; homeRegion: string }, end: Date): string {
  const name = `${destination.accountId}_CloudTrail-Digest_${region}_${trail.name}_${trail.homeRegion}_${compactStamp(end, true)}.json.gz`;
  return `${folderPrefix(destination, 'CloudTrail-Digest', region)}/${dateFolders(end)}/${name}`;
}

/** The time in a log file's name (to the minute), or undefined when the name is not one. */
export function logFileTime(key: string): Date | undefined {
  const match = /_(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})Z_[A-Za-z0-9]{16}\.json\.gz$/.exec(key);
  return match ? new Date(`${match[1]}-${match[2]}-${match[3]}T${match[4]}:${match[5]}:00Z`) : undefined;
}

/** The end time in a digest's name, or undefined when the name is not one. */
export function digestFileTime(key: string): Date | undefined {
  const match = /_(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z\.json\.gz$/.exec(key);
  return match ? new Date(`${match[1]}-${match[2]}-${match[3]}T${match[4]}:${match[5]}:${match[6]}Z`) : undefined;
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function uniqueSuffix(): string {
  return Array.from(randomBytes(16), (b) => ALPHANUMERIC[b % ALPHANUMERIC.length]).join('');
}
