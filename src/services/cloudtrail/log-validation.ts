// Validates a trail's digest and log files in a local bucket tree the way
// `aws cloudtrail validate-logs` does in S3: start from the newest digest in the range,
// check it (format, original location, public key, signature), check the log files it
// names (present, gunzip, SHA-256 of the content), then follow its link to the previous
// digest until the range is covered. Broken links, deleted digests and gaps are reported
// with the AWS CLI's wording, and the summary is the AWS CLI's.
//
// One addition of Bulwark's: a log file lying inside an hour that a valid digest covers
// but named by no digest was added after delivery, and is reported INVALID: not listed in
// any digest file (the AWS CLI only looks at the files digests name).
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { METADATA_SUFFIX, sha256Hex, verifyDigest, type DigestDocument, type DigestLogFile } from './digests.ts';
import { digestFileTime, folderPrefix, logFileTime, objectPath, type Destination } from './layout.ts';
import { isoSeconds } from './record.ts';
import { publicKeyOf } from './signing-keys.ts';

const HOUR_MS = 60 * 60 * 1000;
const MINUTE_MS = 60 * 1000;

export interface ValidationRequest {
  dataDir: string;
  trailArn: string;
  trailName: string;
  homeRegion: string;
  /** The region whose digests are checked (the trail's home region unless asked otherwise). */
  region: string;
  destination: Destination;
  start: Date;
  end: Date;
  /** The region's public keys (ListPublicKeys), by fingerprint. */
  publicKeys: ReadonlyMap<string, string>;
  verbose: boolean;
}

export interface ValidationReport {
  stdout: string;
  stderr: string;
  /** 1 when any digest or log file is invalid, as the AWS CLI. */
  exitCode: number;
}

type Digest = DigestDocument & { _signature?: string };

/** A failure of one digest: the AWS CLI's status line. */
class DigestProblem extends Error {}

/** The AWS CLI's output: statuses on stdout when verbose, problems on stderr with blank lines around them. */
class Output {
  stdout = '';
  stderr = '';
  #lastWasDoubleSpaced = true;
  readonly verbose: boolean;

  constructor(verbose: boolean) {
    this.verbose = verbose;
  }

  status(message: string): void {
    if (!this.verbose) return;
    this.#lastWasDoubleSpaced = false;
    this.stdout += `${message}\n`;
  }

  problem(message: string): void {
    this.stderr += this.#lastWasDoubleSpaced ? `${message}\n\n` : `\n${message}\n\n`;
    this.#lastWasDoubleSpaced = true;
  }

  get lastWasDoubleSpaced(): boolean {
    return this.#lastWasDoubleSpaced;
  }
}

/** '2015-01-08T05:21:42Z', the AWS CLI's display format. */
export const displayDate = isoSeconds;

export async function validateLogs(request: ValidationRequest): Promise<ValidationReport> {
  return new Validation(request).run();
}

class Validation {
  readonly #request: ValidationRequest;
  readonly #out: Output;
  #validDigests = 0;
  #invalidDigests = 0;
  #validLogs = 0;
  #invalidLogs = 0;
  #foundStart: Date | undefined;
  #foundEnd: Date | undefined;
  /** Log files named by valid digests, and the hours those digests cover. */
  readonly #listed = new Set<string>();
  readonly #covered: { bucket: string; start: number; end: number }[] = [];

  constructor(request: ValidationRequest) {
    this.#request = request;
    this.#out = new Output(request.verbose);
  }

  async run(): Promise<ValidationReport> {
    const { trailArn, start, end } = this.#request;
    let stdout = `Validating log files for trail ${trailArn} between ${displayDate(start)} and ${displayDate(end)}\n\n`;
    await this.#traverse();
    await this.#findUnlistedLogFiles();
    stdout += this.#out.stdout + this.#summary();
    return { stdout, stderr: this.#out.stderr, exitCode: this.#invalidDigests > 0 || this.#invalidLogs > 0 ? 1 : 0 };
  }

  /** Newest digest first, along the chain of links, falling back to the listing where a link is missing or broken. */
  async #traverse(): Promise<void> {
    const { start } = this.#request;
    let bucket = this.#request.destination.bucket;
    let keys = await this.#digestKeys(bucket);
    let key = keys.pop();
    let lastStart = key ? digestFileTime(key)! : start;
    while (key && start.getTime() <= lastStart.getTime()) {
      let digest: Digest;
      try {
        digest = await this.#loadDigest(bucket, key);
      } catch (error) {
        if (error instanceof DigestProblem) {
          this.#invalidDigests++;
          this.#out.problem(error.message);
        } else throw error;
        key = nextOlder(keys, key);
        continue;
      }
      this.#validDigests++;
      this.#trackFoundTimes(digest);
      this.#out.status(`Digest file\ts3://${digest.digestS3Bucket}/${digest.digestS3Object}\tvalid`);
      this.#covered.push({ bucket, start: Date.parse(digest.digestStartTime), end: Date.parse(digest.digestEndTime) });
      for (const log of digest.logFiles ?? []) await this.#checkLogFile(log);
      lastStart = new Date(digest.digestStartTime);
      if (digest.previousDigestS3Bucket && digest.previousDigestS3Object) {
        if (digest.previousDigestS3Bucket !== bucket) {
          bucket = digest.previousDigestS3Bucket;
          keys = await this.#digestKeys(bucket);
        }
        key = digest.previousDigestS3Object;
        continue;
      }
      const next = nextOlder(keys, key);
      if (next) {
        this.#out.problem(`No log files were delivered by CloudTrail between ${displayDate(digestFileTime(next)!)} and ${displayDate(lastStart)}`);
      }
      key = next;
    }
  }

  /** The trail's digest keys in the region whose end time falls in [start, end + 1 hour], oldest first. */
  async #digestKeys(bucket: string): Promise<string[]> {
    const { destination, region, trailName, homeRegion, start, end } = this.#request;
    const folder = folderPrefix(destination, 'CloudTrail-Digest', region);
    const name = new RegExp(`^${escape(destination.accountId)}_CloudTrail-Digest_${escape(region)}_${escape(trailName)}_${escape(homeRegion)}_\\d{8}T\\d{6}Z\\.json\\.gz$`);
    const latest = end.getTime() + HOUR_MS;
    return (await filesUnder(this.#request.dataDir, bucket, folder))
      .filter((key) => name.test(key.slice(key.lastIndexOf('/') + 1)))
      .filter((key) => {
        const at = digestFileTime(key)!.getTime();
        return at >= Math.floor(start.getTime() / 1000) * 1000 && at <= latest;
      })
      .sort();
  }

  async #loadDigest(bucket: string, key: string): Promise<Digest> {
    const location = `s3://${bucket}/${key}`;
    const path = objectPath(this.#request.dataDir, bucket, key);
    const compressed = await readObject(path);
    if (!compressed) throw new DigestProblem(`Digest file\t${location}\tINVALID: not found`);
    let body: Buffer;
    let digest: Digest;
    try {
      body = gunzipSync(compressed);
      digest = JSON.parse(body.toString('utf8')) as Digest;
    } catch {
      throw new DigestProblem(`Digest file\t${location}\tINVALID: invalid format`);
    }
    const metadata = await readMetadata(`${path}${METADATA_SUFFIX}`);
    if (!metadata?.signature || !metadata['signature-algorithm']) {
      throw new DigestProblem(`Digest file\t${location}\tINVALID: signature verification failed`);
    }
    const required = ['digestPublicKeyFingerprint', 'digestS3Bucket', 'digestS3Object', 'previousDigestSignature', 'digestEndTime', 'digestStartTime'];
    if (typeof digest !== 'object' || digest === null || required.some((member) => !(member in digest))) {
      throw new DigestProblem(`Digest file\t${location}\tINVALID: invalid format`);
    }
    if (digest.digestS3Bucket !== bucket || digest.digestS3Object !== key) {
      throw new DigestProblem(`Digest file\t${location}\tINVALID: has been moved from its original location`);
    }
    const publicKey = this.#request.publicKeys.get(digest.digestPublicKeyFingerprint);
    if (!publicKey) {
      throw new DigestProblem(
        `Digest file\t${location}\tINVALID: public key not found in region ${this.#request.homeRegion} for fingerprint ${digest.digestPublicKeyFingerprint}`,
      );
    }
    if (!verifyDigest(digest, body, metadata.signature, publicKeyOf(publicKey))) {
      throw new DigestProblem(`Digest file\t${location}\tINVALID: signature verification failed`);
    }
    return digest;
  }

  async #checkLogFile(log: DigestLogFile): Promise<void> {
    const location = `s3://${log.s3Bucket}/${log.s3Object}`;
    this.#listed.add(location);
    const compressed = await readObject(objectPath(this.#request.dataDir, log.s3Bucket, log.s3Object));
    if (!compressed) return this.#invalidLog(`Log file\t${location}\tINVALID: not found`);
    let content: Buffer;
    try {
      content = gunzipSync(compressed);
    } catch {
      return this.#invalidLog(`Log file\t${location}\tINVALID: invalid format`);
    }
    if (sha256Hex(content) !== log.hashValue) return this.#invalidLog(`Log file\t${location}\tINVALID: hash value doesn't match`);
    this.#validLogs++;
    this.#out.status(`Log file\t${location}\tvalid`);
  }

  #invalidLog(message: string): void {
    this.#invalidLogs++;
    this.#out.problem(message);
  }

  /** Log files inside hours that valid digests cover, which no digest names. */
  async #findUnlistedLogFiles(): Promise<void> {
    const { destination, region } = this.#request;
    const folder = folderPrefix(destination, 'CloudTrail', region);
    const ownName = `${destination.accountId}_CloudTrail_${region}_`;
    for (const bucket of new Set(this.#covered.map((c) => c.bucket))) {
      for (const key of (await filesUnder(this.#request.dataDir, bucket, folder)).sort()) {
        const location = `s3://${bucket}/${key}`;
        const at = logFileTime(key)?.getTime();
        if (at === undefined || !key.slice(key.lastIndexOf('/') + 1).startsWith(ownName) || this.#listed.has(location)) continue;
        // The name carries the minute only: a file is judged when that whole minute lies inside a digest's hour.
        if (this.#covered.some((c) => c.bucket === bucket && at >= c.start && at + MINUTE_MS <= c.end)) {
          this.#invalidLog(`Log file\t${location}\tINVALID: not listed in any digest file`);
        }
      }
    }
  }

  #trackFoundTimes(digest: Digest): void {
    const { start, end } = this.#request;
    const earliest = new Date(Math.max(Date.parse(digest.digestStartTime), start.getTime()));
    if (!this.#foundStart || earliest < this.#foundStart) this.#foundStart = earliest;
    const latest = new Date(Math.min(Date.parse(digest.digestEndTime), end.getTime()));
    if (!this.#foundEnd || latest > this.#foundEnd) this.#foundEnd = latest;
  }

  #summary(): string {
    const { start, end } = this.#request;
    let text = this.#out.lastWasDoubleSpaced ? '' : '\n';
    text += `Results requested for ${displayDate(start)} to ${displayDate(end)}\n`;
    if (this.#validDigests + this.#invalidDigests === 0) return `${text}No digests found\n`;
    text += this.#foundStart && this.#foundEnd
      ? `Results found for ${displayDate(this.#foundStart)} to ${displayDate(this.#foundEnd)}:\n`
      : 'No valid digests found in range\n';
    text += ratio(this.#validDigests, this.#invalidDigests, 'digest');
    text += ratio(this.#validLogs, this.#invalidLogs, 'log');
    return `${text}\n`;
  }
}

function ratio(valid: number, invalid: number, name: string): string {
  const total = valid + invalid;
  if (total === 0) return '';
  return `\n${valid}/${total} ${name} files valid` + (invalid > 0 ? `, ${invalid}/${total} ${name} files INVALID` : '');
}

/** The next digest key older than `key` still in the listing (taken off it). */
function nextOlder(keys: string[], key: string): string | undefined {
  const before = digestFileTime(key)!.getTime();
  while (keys.length > 0) {
    const next = keys.pop()!;
    if (digestFileTime(next)!.getTime() < before) return next;
  }
  return undefined;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
}

/** Object keys under a key prefix of a bucket directory (none when it does not exist). */
async function filesUnder(dataDir: string, bucket: string, prefix: string): Promise<string[]> {
  const dir = objectPath(dataDir, bucket, prefix);
  try {
    const entries = await readdir(dir, { recursive: true, withFileTypes: true });
    return entries.filter((e) => e.isFile()).map((e) => `${prefix}/${relative(dir, join(e.parentPath, e.name)).split(sep).join('/')}`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

async function readObject(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

async function readMetadata(path: string): Promise<Partial<Record<'signature' | 'signature-algorithm', string>> | undefined> {
  const raw = await readObject(path);
  if (!raw) return undefined;
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    return undefined;
  }
}
