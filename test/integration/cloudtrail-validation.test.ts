// Log file integrity validation end to end: a trail with EnableLogFileValidation delivers
// hourly digests on Bulwark's clock (moved with POST /_bulwark/clock), signed with the
// region's key that ListPublicKeys hands out; the AWS CLI's own digest verifier accepts
// them; and `bulwark cloudtrail validate-logs` reports valid files, then catches an edited
// log file, a deleted one, an added one and a tampered digest.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash, createPublicKey, verify } from 'node:crypto';
import { mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { gunzipSync, gzipSync } from 'node:zlib';
import {
  CloudTrailClient,
  CreateTrailCommand,
  GetTrailStatusCommand,
  ListPublicKeysCommand,
  StartLoggingCommand,
} from '@aws-sdk/client-cloudtrail';
import { CreateUserCommand, IAMClient } from '@aws-sdk/client-iam';
import type { RunningServer } from '../../src/server/server.ts';
import type { DigestDocument } from '../../src/services/cloudtrail/digests.ts';
import { advanceClock, bucketObjects, runValidateLogs, startDeliveringServer, waitFor } from '../helpers/cloudtrail-files.ts';
import { awsEnv, DUMMY_CREDENTIALS, TEST_ACCOUNT } from '../helpers/server.ts';

const run = promisify(execFile);
const REGION = 'us-east-1';
const BUCKET = 'integrity-bucket';
const TRAIL = 'integrity-trail';
const TRAIL_ARN = `arn:aws:cloudtrail:${REGION}:${TEST_ACCOUNT}:trail/${TRAIL}`;

type Digest = DigestDocument;

describe('CloudTrail log file integrity validation', () => {
  let server: RunningServer;
  let dataDir: string;
  let closeServer: () => Promise<void>;
  let trail: CloudTrailClient;
  let iam: IAMClient;
  const bucketDir = () => join(dataDir, 's3', BUCKET);

  /** Object keys of the bucket's `folder` folders (CloudTrail or CloudTrail-Digest), oldest first. */
  const objects = (folder: string) => bucketObjects(dataDir, BUCKET).filter((key) => key.includes(`/${folder}/`));
  const readDigest = (key: string) => JSON.parse(gunzipSync(readFileSync(join(bucketDir(), key))).toString()) as Digest;
  const metadataOf = (key: string) => JSON.parse(readFileSync(join(bucketDir(), `${key}.metadata.json`), 'utf8')) as Record<string, string>;

  /** A call, then the log file holding it. */
  const deliverLogFile = async (userName: string) => {
    const before = new Set(objects('CloudTrail'));
    await iam.send(new CreateUserCommand({ UserName: userName }));
    return waitFor('a log file', () => objects('CloudTrail').find((key) => !before.has(key)));
  };
  /** Moves Bulwark's clock an hour on and waits for the digest of the hour that ended. */
  const closeHour = async () => {
    const before = objects('CloudTrail-Digest').length;
    await advanceClock(server.url, 3601);
    return waitFor('a digest', () => (objects('CloudTrail-Digest').length > before ? objects('CloudTrail-Digest').at(-1) : undefined));
  };
  const validateLogs = (...extra: string[]) =>
    runValidateLogs(['--trail-arn', TRAIL_ARN, '--start-time', '2020-01-01T00:00:00Z', '--data-dir', dataDir, ...extra]);

  let untamperedThirdDigest: Buffer;
  const hour1: string[] = [];
  const hour2: string[] = [];
  const digests: string[] = [];

  before(async () => {
    // The command reads the store: a SQLite file in the data directory, as `bulwark start` keeps it.
    ({ server, dataDir, close: closeServer } = await startDeliveringServer('ct-validation'));
    const client = { endpoint: server.url, region: REGION, credentials: DUMMY_CREDENTIALS };
    trail = new CloudTrailClient(client);
    iam = new IAMClient(client);
    await trail.send(new CreateTrailCommand({ Name: TRAIL, S3BucketName: BUCKET, EnableLogFileValidation: true }));
    await trail.send(new StartLoggingCommand({ Name: TRAIL }));
    hour1.push(await deliverLogFile('hour-one-a'), await deliverLogFile('hour-one-b'));
    digests.push(await closeHour());
    hour2.push(await deliverLogFile('hour-two'));
    digests.push(await closeHour());
    digests.push(await closeHour()); // an hour without calls still gets its digest
  });
  after(async () => {
    trail.destroy();
    iam.destroy();
    await closeServer();
  });

  it("delivers hourly digests in AWS's layout and format, naming each log file of the hour with its SHA-256", () => {
    assert.equal(digests.length, 3);
    for (const key of digests) {
      assert.match(
        key,
        new RegExp(`^AWSLogs/${TEST_ACCOUNT}/CloudTrail-Digest/${REGION}/\\d{4}/\\d{2}/\\d{2}/${TEST_ACCOUNT}_CloudTrail-Digest_${REGION}_${TRAIL}_${REGION}_\\d{8}T\\d{6}Z\\.json\\.gz$`),
      );
    }
    const [first, second, third] = digests.map(readDigest);
    assert.equal(first.awsAccountId, TEST_ACCOUNT);
    assert.equal(first.digestS3Bucket, BUCKET);
    assert.equal(first.digestS3Object, digests[0]);
    assert.equal(first.digestSignatureAlgorithm, 'SHA256withRSA');
    assert.match(first.digestPublicKeyFingerprint, /^[0-9a-f]{32}$/);
    assert.equal(Date.parse(first.digestEndTime) - Date.parse(first.digestStartTime), 3600_000);
    assert.equal(first.previousDigestSignature, null, 'the first digest of a chain links to nothing');
    const named = first.logFiles.map((f) => f.s3Object);
    for (const key of hour1) assert.ok(named.includes(key), `${key} is in the first digest`);
    for (const file of first.logFiles) {
      assert.equal(file.hashAlgorithm, 'SHA-256');
      const content = gunzipSync(readFileSync(join(bucketDir(), file.s3Object)));
      assert.equal(file.hashValue, createHashHex(content));
    }
    assert.ok(second.logFiles.some((f) => f.s3Object === hour2[0]));
    assert.deepEqual(third.logFiles, []);
    assert.equal(third.digestStartTime, second.digestEndTime);
  });

  it("chains each digest to the previous one: its object, the SHA-256 of its content and its signature", () => {
    const [first, second] = digests.map(readDigest);
    assert.equal(second.previousDigestS3Object, digests[0]);
    assert.equal(second.previousDigestHashValue, createHashHex(gunzipSync(readFileSync(join(bucketDir(), digests[0])))));
    assert.equal(second.previousDigestSignature, metadataOf(digests[0]).signature);
    assert.equal(second.digestStartTime, first.digestEndTime);
  });

  it('signs each digest over AWS\'s data-signing string with the key ListPublicKeys hands out', async () => {
    const keys = (await trail.send(new ListPublicKeysCommand({ StartTime: new Date('2020-01-01T00:00:00Z'), EndTime: new Date(Date.now() + 4 * 3600_000) })))
      .PublicKeyList!;
    for (const key of digests) {
      const digest = readDigest(key);
      const body = gunzipSync(readFileSync(join(bucketDir(), key)));
      const metadata = metadataOf(key);
      assert.equal(metadata['signature-algorithm'], 'SHA256withRSA');
      const publicKey = keys.find((k) => k.Fingerprint === digest.digestPublicKeyFingerprint);
      assert.ok(publicKey, 'the signing key is listed');
      assert.ok(publicKey.ValidityStartTime! <= new Date(digest.digestEndTime) && new Date(digest.digestEndTime) <= publicKey.ValidityEndTime!);
      const signed = `${digest.digestEndTime}\n${BUCKET}/${key}\n${createHashHex(body)}\n${digest.previousDigestSignature ?? 'null'}`;
      const der = createPublicKey({ key: Buffer.from(publicKey.Value!), format: 'der', type: 'pkcs1' });
      assert.ok(verify('sha256', Buffer.from(signed), der, Buffer.from(metadata.signature, 'hex')));
    }
  });

  it("passes the AWS CLI's own digest verifier, with the public key fetched by boto3", async () => {
    const script = `
import base64, gzip, json, sys, boto3
from datetime import datetime, timedelta, timezone
from awscli.customizations.cloudtrail.validation import Sha256RSADigestValidator
endpoint, bucket_dir, bucket = sys.argv[1:4]
client = boto3.client('cloudtrail', endpoint_url=endpoint)
now = datetime.now(timezone.utc)
keys = {k['Fingerprint']: k for k in client.list_public_keys(StartTime=now - timedelta(days=1), EndTime=now + timedelta(hours=5))['PublicKeyList']}
for key in sys.argv[4:]:
    raw = gzip.decompress(open(f'{bucket_dir}/{key}', 'rb').read())
    data = json.loads(raw)
    meta = json.load(open(f'{bucket_dir}/{key}.metadata.json'))
    data['_signature'] = meta['signature']
    data['_signature_algorithm'] = meta['signature-algorithm']
    # The AWS CLI reads Value unparsed (base64 text): hand it the same.
    public_key = base64.b64encode(keys[data['digestPublicKeyFingerprint']]['Value'])
    Sha256RSADigestValidator().validate(bucket, key, public_key, data, raw)
    print('valid', key)
`;
    const { stdout } = await run('python3', ['-c', script, server.url, bucketDir(), BUCKET, ...digests], { env: awsEnv() });
    assert.equal(stdout.trim().split('\n').length, digests.length);
  });

  it('GetTrailStatus reports the latest digest delivery', async () => {
    const status = await trail.send(new GetTrailStatusCommand({ Name: TRAIL }));
    assert.ok(status.LatestDigestDeliveryTime instanceof Date);
  });

  it('validate-logs: every digest and log file valid, with the AWS CLI\'s summary; --verbose lists each file', async () => {
    const result = await validateLogs('--verbose');
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, '');
    assert.match(result.stdout, new RegExp(`^Validating log files for trail ${TRAIL_ARN} between 2020-01-01T00:00:00Z and \\S+Z\n\n`));
    assert.match(result.stdout, /Results requested for 2020-01-01T00:00:00Z to \S+Z\nResults found for \S+Z to \S+Z:\n\n3\/3 digest files valid\n/);
    const logCount = digests.map(readDigest).reduce((n, d) => n + d.logFiles.length, 0);
    assert.match(result.stdout, new RegExp(`\n${logCount}/${logCount} log files valid\n`));
    assert.ok(result.stdout.includes(`Digest file\ts3://${BUCKET}/${digests[2]}\tvalid`));
    assert.ok(result.stdout.includes(`Log file\ts3://${BUCKET}/${hour1[0]}\tvalid`));
  });

  it('validate-logs catches an edited log file, a deleted one, an added one and a tampered digest: exit 1', async () => {
    const [edited, deleted] = hour1;
    const content = JSON.parse(gunzipSync(readFileSync(join(bucketDir(), edited))).toString());
    content.Records[0].eventName = 'SomethingHarmless';
    writeFileSync(join(bucketDir(), edited), gzipSync(JSON.stringify(content)));
    unlinkSync(join(bucketDir(), deleted));
    // An extra log file in the middle of the second digest's hour, named as CloudTrail names them.
    const second = readDigest(digests[1]);
    const middle = new Date((Date.parse(second.digestStartTime) + Date.parse(second.digestEndTime)) / 2).toISOString();
    const stamp = `${middle.slice(0, 4)}${middle.slice(5, 7)}${middle.slice(8, 10)}T${middle.slice(11, 13)}${middle.slice(14, 16)}Z`;
    const folder = `AWSLogs/${TEST_ACCOUNT}/CloudTrail/${REGION}/${middle.slice(0, 4)}/${middle.slice(5, 7)}/${middle.slice(8, 10)}`;
    const added = `${folder}/${TEST_ACCOUNT}_CloudTrail_${REGION}_${stamp}_AAAAAAAAAAAAAAAA.json.gz`;
    mkdirSync(join(bucketDir(), folder), { recursive: true });
    writeFileSync(join(bucketDir(), added), gzipSync(JSON.stringify({ Records: [] })));
    // The third digest claims a log file it never had.
    untamperedThirdDigest = readFileSync(join(bucketDir(), digests[2]));
    const third = readDigest(digests[2]);
    third.logFiles.push({ ...second.logFiles[0], s3Object: added, hashValue: '0'.repeat(64) });
    writeFileSync(join(bucketDir(), digests[2]), gzipSync(JSON.stringify(third)));

    const result = await validateLogs();
    assert.equal(result.code, 1);
    assert.ok(result.stderr.includes(`Digest file\ts3://${BUCKET}/${digests[2]}\tINVALID: signature verification failed\n`), result.stderr);
    assert.ok(result.stderr.includes(`Log file\ts3://${BUCKET}/${edited}\tINVALID: hash value doesn't match\n`), result.stderr);
    assert.ok(result.stderr.includes(`Log file\ts3://${BUCKET}/${deleted}\tINVALID: not found\n`), result.stderr);
    assert.ok(result.stderr.includes(`Log file\ts3://${BUCKET}/${added}\tINVALID: not listed in any digest file\n`), result.stderr);
    const logCount = readDigest(digests[0]).logFiles.length + second.logFiles.length;
    assert.match(result.stdout, /\n2\/3 digest files valid, 1\/3 digest files INVALID\n/);
    assert.match(result.stdout, new RegExp(`\n${logCount - 2}/${logCount + 1} log files valid, 3/${logCount + 1} log files INVALID\n`));
  });

  it('validate-logs reports a deleted digest as not found (the next one links to it) and goes on with the one before it', async () => {
    writeFileSync(join(bucketDir(), digests[2]), untamperedThirdDigest);
    unlinkSync(join(bucketDir(), digests[1]));
    const result = await validateLogs();
    assert.equal(result.code, 1);
    assert.ok(result.stderr.includes(`Digest file\ts3://${BUCKET}/${digests[1]}\tINVALID: not found\n`), result.stderr);
    assert.match(result.stdout, /\n2\/3 digest files valid, 1\/3 digest files INVALID\n/);
  });

  it('validate-logs answers an unknown trail and a reversed time range as the AWS CLI does', async () => {
    const unknown = await validateLogs('--s3-prefix', 'x', '--trail-arn', `arn:aws:cloudtrail:${REGION}:${TEST_ACCOUNT}:trail/nope`);
    assert.equal(unknown.code, 255);
    assert.match(unknown.stderr, /A trail could not be found for arn:aws:cloudtrail:us-east-1:123456789012:trail\/nope/);
    const reversed = await validateLogs('--end-time', '2019-01-01T00:00:00Z');
    assert.equal(reversed.code, 255);
    assert.match(reversed.stderr, /Invalid time range specified: start-time must occur before end-time/);
    const noStart = await runValidateLogs(['--trail-arn', TRAIL_ARN, '--data-dir', dataDir]);
    assert.equal(noStart.code, 2);
    assert.match(noStart.stderr, /the following arguments are required: --start-time/);
    const badTime = await validateLogs('--end-time', 'yesterday-ish');
    assert.equal(badTime.code, 2);
    assert.match(badTime.stderr, /Unable to parse date value: yesterday-ish/);
  });
});

function createHashHex(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
