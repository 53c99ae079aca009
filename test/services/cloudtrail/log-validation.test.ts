// The validator over a bucket tree made here: AWS's data-signing string, chains, gaps,
// and each way a digest can be INVALID, worded as `aws cloudtrail validate-logs` words it.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { digestDocument, sha256Hex, signDigest, stringToSign, type DigestLink } from '../../../src/services/cloudtrail/digests.ts';
import { digestFileKey, objectPath, type Destination } from '../../../src/services/cloudtrail/layout.ts';
import { validateLogs, type ValidationRequest } from '../../../src/services/cloudtrail/log-validation.ts';
import { fingerprintOf } from '../../../src/services/cloudtrail/signing-keys.ts';

const ACCOUNT = '111122223333';
const REGION = 'us-east-2';
const BUCKET = 'digest-bucket';
const TRAIL = { name: 'my-trail', homeRegion: REGION };
const destination: Destination = { bucket: BUCKET, accountId: ACCOUNT };
const HOUR = 3600_000;
const T0 = Date.parse('2015-08-17T14:01:31Z');

describe('log-validation', () => {
  let dataDir: string;
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const der = publicKey.export({ type: 'pkcs1', format: 'der' });
  const fingerprint = fingerprintOf(der);
  const keys = new Map([[fingerprint, der.toString('base64')]]);

  /** Writes the digest of the hour ending at `endMs` and answers its link. */
  const writeDigest = (endMs: number, previous: DigestLink | undefined, object = digestFileKey(destination, REGION, TRAIL, new Date(endMs))) => {
    const iso = (ms: number) => new Date(ms).toISOString().replace('.000', '');
    const signed = signDigest(
      digestDocument({ accountId: ACCOUNT, start: iso(endMs - HOUR), end: iso(endMs), bucket: BUCKET, object, fingerprint, logFiles: [], previous }),
      privateKey,
    );
    const path = objectPath(dataDir, BUCKET, digestFileKey(destination, REGION, TRAIL, new Date(endMs)));
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, gzipSync(signed.body));
    writeFileSync(`${path}.metadata.json`, JSON.stringify({ signature: signed.signature, 'signature-algorithm': 'SHA256withRSA' }));
    return { link: { bucket: BUCKET, object, hashValue: signed.hashValue, signature: signed.signature }, path };
  };
  const request = (overrides: Partial<ValidationRequest> = {}): ValidationRequest => ({
    dataDir,
    trailArn: `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/my-trail`,
    trailName: 'my-trail',
    homeRegion: REGION,
    region: REGION,
    destination,
    start: new Date(T0 - 2 * HOUR),
    end: new Date(T0 + 10 * HOUR),
    publicKeys: keys,
    verbose: false,
    ...overrides,
  });

  before(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'bulwark-log-validation-'));
  });
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it("signs AWS's data-signing string: end time, bucket/key, SHA-256 of the content, previous signature or 'null'", () => {
    const body = '{"a":1}';
    const text = stringToSign({ digestEndTime: '2015-08-17T15:01:31Z', digestS3Bucket: 'b', digestS3Object: 'k', previousDigestSignature: null }, body);
    assert.equal(text, `2015-08-17T15:01:31Z\nb/k\n${sha256Hex(body)}\nnull`);
  });

  it('names digest files as AWS: account, region, trail, home region, end time to the second', () => {
    assert.equal(
      digestFileKey({ bucket: 'b', prefix: 'p/q', accountId: ACCOUNT }, REGION, TRAIL, new Date('2015-08-17T15:01:31Z')),
      `p/q/AWSLogs/${ACCOUNT}/CloudTrail-Digest/us-east-2/2015/08/17/${ACCOUNT}_CloudTrail-Digest_us-east-2_my-trail_us-east-2_20150817T150131Z.json.gz`,
    );
  });

  it('a linked chain is valid; an unlinked older digest is reported as a gap, not as invalid', async () => {
    const first = writeDigest(T0, undefined);
    writeDigest(T0 + HOUR, first.link);
    // The trail stopped for two hours, then started a new chain.
    writeDigest(T0 + 4 * HOUR, undefined);
    const report = await validateLogs(request({ verbose: true }));
    assert.equal(report.exitCode, 0);
    // After a verbose status line, the AWS CLI sets a problem apart with a blank line before it too.
    assert.equal(report.stderr, '\nNo log files were delivered by CloudTrail between 2015-08-17T15:01:31Z and 2015-08-17T17:01:31Z\n\n');
    assert.match(report.stdout, /Results found for 2015-08-17T13:01:31Z to 2015-08-17T18:01:31Z:\n\n3\/3 digest files valid\n$/);
  });

  it('reports each kind of invalid digest with the AWS CLI\'s words, and exit code 1', async () => {
    const unknownKey = await validateLogs(request({ publicKeys: new Map() }));
    assert.equal(unknownKey.exitCode, 1);
    assert.match(unknownKey.stderr, new RegExp(`INVALID: public key not found in region ${REGION} for fingerprint ${fingerprint}\n`));

    // A digest copied to another hour's name claims its original location.
    const copied = writeDigest(T0 + 6 * HOUR, undefined, digestFileKey(destination, REGION, TRAIL, new Date(T0 + 5 * HOUR)));
    const moved = await validateLogs(request());
    assert.ok(moved.stderr.includes(`Digest file\ts3://${BUCKET}/${digestFileKey(destination, REGION, TRAIL, new Date(T0 + 6 * HOUR))}\tINVALID: has been moved from its original location\n`));

    writeFileSync(copied.path, 'not gzip');
    const garbled = await validateLogs(request());
    assert.match(garbled.stderr, /INVALID: invalid format\n/);

    const later = writeDigest(T0 + 7 * HOUR, undefined);
    unlinkSync(`${later.path}.metadata.json`);
    const unsigned = await validateLogs(request());
    assert.match(unsigned.stderr, /_20150817T210131Z\.json\.gz\tINVALID: signature verification failed\n/);
    assert.match(unsigned.stdout, /\n3\/5 digest files valid, 2\/5 digest files INVALID\n/);
  });

  it('answers "No digests found" for a range without digests', async () => {
    const report = await validateLogs(request({ start: new Date('2001-01-01T00:00:00Z'), end: new Date('2001-01-02T00:00:00Z') }));
    assert.equal(report.exitCode, 0);
    assert.equal(report.stdout.split('\n\n')[1], 'Results requested for 2001-01-01T00:00:00Z to 2001-01-02T00:00:00Z\nNo digests found\n');
  });
});
