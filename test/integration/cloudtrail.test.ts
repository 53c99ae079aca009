// CloudTrail end to end: calls made with the AWS SDK for JavaScript v3 against a real
// Bulwark server show up in LookupEvents (SDK and boto3) with AWS's record shape, and a
// logging trail delivers them as a gzipped log file in AWS's S3 layout.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import {
  CloudTrailClient,
  CloudTrailServiceException,
  CreateTrailCommand,
  DescribeTrailsCommand,
  GetTrailStatusCommand,
  LookupEventsCommand,
  StartLoggingCommand,
  StopLoggingCommand,
  type LookupAttribute,
} from '@aws-sdk/client-cloudtrail';
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, ListUsersCommand } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { RunningServer } from '../../src/server/server.ts';
import { failure } from '../helpers/errors.ts';
import { awsEnv, DUMMY_CREDENTIALS, startTestServer, TEST_ACCOUNT } from '../helpers/server.ts';

const run = promisify(execFile);
const REGION = 'us-east-1';

interface Record_ {
  eventName: string;
  eventSource: string;
  userIdentity: Record<string, unknown>;
  requestParameters: Record<string, unknown> | null;
  responseElements: Record<string, unknown> | null;
  errorCode?: string;
  errorMessage?: string;
  readOnly: boolean;
  eventID: string;
  eventVersion: string;
  recipientAccountId: string;
  resources?: { ARN: string; type: string; accountId: string }[];
  bulwarkAuthorization?: { action: string; decision: string; decidedBy: string }[];
}

describe('CloudTrail with the real clients', () => {
  let server: RunningServer;
  let dataDir: string;
  let trail: CloudTrailClient;
  let iam: IAMClient;
  let userKey: { accessKeyId: string; secretAccessKey: string };

  const lookup = async (attribute?: LookupAttribute, extra: { StartTime?: Date; EndTime?: Date; MaxResults?: number } = {}) => {
    const answer = await trail.send(new LookupEventsCommand({ ...(attribute && { LookupAttributes: [attribute] }), ...extra }));
    return answer.Events ?? [];
  };
  const recordOf = (event: { CloudTrailEvent?: string }) => JSON.parse(event.CloudTrailEvent!) as Record_;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'bulwark-cloudtrail-'));
    server = await startTestServer({ dataDir, cloudTrailRecording: true });
    const client = { endpoint: server.url, region: REGION, credentials: DUMMY_CREDENTIALS };
    trail = new CloudTrailClient(client);
    iam = new IAMClient(client);
    await iam.send(new CreateUserCommand({ UserName: 'trail-bob' }));
    const key = await iam.send(new CreateAccessKeyCommand({ UserName: 'trail-bob' }));
    userKey = { accessKeyId: key.AccessKey!.AccessKeyId!, secretAccessKey: key.AccessKey!.SecretAccessKey! };
  });
  after(async () => {
    trail.destroy();
    iam.destroy();
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("records the root user's CreateUser with AWS's record shape: Root identity, camelCase parameters, the user as resource", async () => {
    const [event] = await lookup({ AttributeKey: 'EventName', AttributeValue: 'CreateUser' });
    assert.equal(event.EventSource, 'iam.amazonaws.com');
    assert.equal(event.Username, 'root');
    assert.equal(event.ReadOnly, 'false');
    const record = recordOf(event);
    assert.equal(record.eventVersion, '1.11');
    assert.deepEqual(record.userIdentity, {
      type: 'Root',
      principalId: TEST_ACCOUNT,
      arn: `arn:aws:iam::${TEST_ACCOUNT}:root`,
      accountId: TEST_ACCOUNT,
      accessKeyId: DUMMY_CREDENTIALS.accessKeyId,
    });
    assert.deepEqual(record.requestParameters, { userName: 'trail-bob' });
    assert.equal((record.responseElements?.user as { userName: string }).userName, 'trail-bob');
    assert.match((record.responseElements?.user as { createDate: string }).createDate, /^[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2}:\d{2} [AP]M$/);
    assert.equal(record.recipientAccountId, TEST_ACCOUNT);
    assert.deepEqual(record.resources?.[0], {
      accountId: TEST_ACCOUNT,
      type: 'AWS::IAM::User',
      ARN: `arn:aws:iam::${TEST_ACCOUNT}:user/trail-bob`,
    });
    assert.equal(record.bulwarkAuthorization?.[0].action, 'iam:CreateUser');
  });

  it('hides the secret access key CreateAccessKey returned: HIDDEN_DUE_TO_SECURITY_REASONS', async () => {
    const [event] = await lookup({ AttributeKey: 'EventName', AttributeValue: 'CreateAccessKey' });
    const accessKey = recordOf(event).responseElements?.accessKey as Record<string, string>;
    assert.equal(accessKey.accessKeyId, userKey.accessKeyId);
    assert.equal(accessKey.secretAccessKey, 'HIDDEN_DUE_TO_SECURITY_REASONS');
    assert.ok(!event.CloudTrailEvent!.includes(userKey.secretAccessKey));
  });

  it("records an IAM user's calls with an IAMUser identity, and a denied call with errorCode AccessDenied and AWS's message", async () => {
    const sts = new STSClient({ endpoint: server.url, region: REGION, credentials: userKey });
    const userIam = new IAMClient({ endpoint: server.url, region: REGION, credentials: userKey });
    try {
      await sts.send(new GetCallerIdentityCommand({}));
      const denied = await failure(userIam.send(new ListUsersCommand({})));
      assert.equal(denied.name, 'AccessDenied');
    } finally {
      sts.destroy();
      userIam.destroy();
    }
    const events = await lookup({ AttributeKey: 'Username', AttributeValue: 'trail-bob' });
    assert.deepEqual(
      events.map((e) => e.EventName),
      ['ListUsers', 'GetCallerIdentity'],
    );
    const [listUsers, getCallerIdentity] = events.map(recordOf);
    assert.equal(getCallerIdentity.userIdentity.type, 'IAMUser');
    assert.equal(getCallerIdentity.userIdentity.userName, 'trail-bob');
    assert.equal(getCallerIdentity.userIdentity.accessKeyId, userKey.accessKeyId);
    assert.match(String(getCallerIdentity.userIdentity.principalId), /^AIDA/);
    assert.equal(getCallerIdentity.userIdentity.arn, `arn:aws:iam::${TEST_ACCOUNT}:user/trail-bob`);
    assert.equal(getCallerIdentity.readOnly, true);
    assert.equal(listUsers.errorCode, 'AccessDenied');
    assert.match(listUsers.errorMessage ?? '', /not authorized to perform: iam:ListUsers/);
    assert.match(listUsers.errorMessage ?? '', /identity-based policy/);
    // The decision stays with the denied call's event: which policy type decided it.
    assert.deepEqual(
      listUsers.bulwarkAuthorization?.map(({ action, decision, decidedBy }) => ({ action, decision, decidedBy })),
      [{ action: 'iam:ListUsers', decision: 'ImplicitDeny', decidedBy: 'identity' }],
    );
  });

  it('finds events by every lookup attribute', async () => {
    const [createUser] = await lookup({ AttributeKey: 'EventName', AttributeValue: 'CreateUser' });
    const record = recordOf(createUser);
    const byAttribute: LookupAttribute[] = [
      { AttributeKey: 'EventId', AttributeValue: record.eventID },
      { AttributeKey: 'ReadOnly', AttributeValue: 'false' },
      { AttributeKey: 'Username', AttributeValue: 'root' },
      { AttributeKey: 'ResourceType', AttributeValue: 'AWS::IAM::User' },
      { AttributeKey: 'ResourceName', AttributeValue: `arn:aws:iam::${TEST_ACCOUNT}:user/trail-bob` },
      { AttributeKey: 'EventSource', AttributeValue: 'iam.amazonaws.com' },
      { AttributeKey: 'AccessKeyId', AttributeValue: DUMMY_CREDENTIALS.accessKeyId },
    ];
    for (const attribute of byAttribute) {
      const ids = (await lookup(attribute)).map((e) => e.EventId);
      assert.ok(ids.includes(record.eventID), `${attribute.AttributeKey} finds CreateUser`);
    }
    assert.deepEqual(
      (await lookup({ AttributeKey: 'EventId', AttributeValue: record.eventID })).map((e) => e.EventId),
      [record.eventID],
    );
    const readOnly = await lookup({ AttributeKey: 'ReadOnly', AttributeValue: 'true' });
    assert.ok(readOnly.length > 0 && readOnly.every((e) => e.ReadOnly === 'true'));
    assert.deepEqual(await lookup({ AttributeKey: 'EventName', AttributeValue: 'NoSuchOperation' }), []);
  });

  it('pages newest first with MaxResults and NextToken, and honours StartTime and EndTime', async () => {
    const times: Date[] = [];
    for (let i = 0; i < 5; i++) {
      server.clock.advance(60_000);
      times.push(server.clock.now());
      await trail.send(new DescribeTrailsCommand({}));
    }
    const seen: string[] = [];
    const eventTimes: number[] = [];
    let token: string | undefined;
    do {
      const page = await trail.send(
        new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'DescribeTrails' }], MaxResults: 2, NextToken: token }),
      );
      assert.ok((page.Events ?? []).length <= 2);
      for (const event of page.Events ?? []) {
        seen.push(event.EventId!);
        eventTimes.push(event.EventTime!.getTime());
      }
      token = page.NextToken;
    } while (token);
    assert.equal(seen.length, 5);
    assert.equal(new Set(seen).size, 5);
    assert.deepEqual(eventTimes, [...eventTimes].sort((a, b) => b - a), 'newest first');

    const window = await lookup(
      { AttributeKey: 'EventName', AttributeValue: 'DescribeTrails' },
      { StartTime: new Date(times[1].getTime() - 1000), EndTime: new Date(times[3].getTime() + 1000) },
    );
    assert.equal(window.length, 3);
    const inRange = await lookup(undefined, { StartTime: new Date(times[4].getTime() - 1000) });
    assert.ok(inRange.every((e) => e.EventTime!.getTime() >= times[4].getTime() - 1000));
    assert.ok(inRange.some((e) => e.EventName === 'DescribeTrails'));
  });

  it('rejects a NextToken reused with other parameters and more than one lookup attribute', async () => {
    const page = await trail.send(new LookupEventsCommand({ MaxResults: 1 }));
    assert.ok(page.NextToken);
    const reused = await failure(
      trail.send(new LookupEventsCommand({ MaxResults: 1, NextToken: page.NextToken, LookupAttributes: [{ AttributeKey: 'ReadOnly', AttributeValue: 'true' }] })),
      CloudTrailServiceException,
    );
    assert.equal(reused.name, 'InvalidNextTokenException');
    const two = await failure(
      trail.send(
        new LookupEventsCommand({
          LookupAttributes: [
            { AttributeKey: 'ReadOnly', AttributeValue: 'true' },
            { AttributeKey: 'Username', AttributeValue: 'root' },
          ],
        }),
      ),
      CloudTrailServiceException,
    );
    assert.equal(two.name, 'InvalidLookupAttributesException');
  });

  it('boto3 looks events up by attribute and sees the IAM user', async () => {
    const script = `
import boto3, json, os
ct = boto3.client('cloudtrail', endpoint_url=os.environ['ENDPOINT'])
events = ct.lookup_events(LookupAttributes=[{'AttributeKey': 'Username', 'AttributeValue': 'trail-bob'}])['Events']
print(json.dumps([[e['EventName'], json.loads(e['CloudTrailEvent'])['userIdentity']['type']] for e in events]))
`;
    const { stdout } = await run('python3', ['-c', script], { env: awsEnv({ ENDPOINT: server.url }) });
    const rows = JSON.parse(stdout) as [string, string][];
    assert.ok(rows.some(([name, type]) => name === 'GetCallerIdentity' && type === 'IAMUser'));
  });

  it("a logging trail delivers a gzipped log file in AWS's layout holding the calls, when it stops", async () => {
    await trail.send(new CreateTrailCommand({ Name: 'main-trail', S3BucketName: 'audit-bucket', S3KeyPrefix: 'logs' }));
    assert.equal((await trail.send(new GetTrailStatusCommand({ Name: 'main-trail' }))).IsLogging, false);
    await trail.send(new StartLoggingCommand({ Name: 'main-trail' }));
    await iam.send(new CreateUserCommand({ UserName: 'logged-carol' }));
    await trail.send(new StopLoggingCommand({ Name: 'main-trail' }));

    const bucket = join(dataDir, 's3', 'audit-bucket');
    const files = readdirSync(bucket, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => relative(bucket, join(entry.parentPath, entry.name)));
    assert.equal(files.length, 1, `one file: ${files.join(', ')}`);
    assert.match(
      files[0],
      new RegExp(`^logs/AWSLogs/${TEST_ACCOUNT}/CloudTrail/${REGION}/\\d{4}/\\d{2}/\\d{2}/${TEST_ACCOUNT}_CloudTrail_${REGION}_\\d{8}T\\d{4}Z_[A-Za-z0-9]{16}\\.json\\.gz$`),
    );
    const log = JSON.parse(gunzipSync(readFileSync(join(bucket, files[0]))).toString('utf8')) as { Records: Record_[] };
    const names = log.Records.map((r) => r.eventName);
    assert.ok(names.includes('StartLogging'));
    assert.ok(names.includes('CreateUser'));
    const created = log.Records.find((r) => r.eventName === 'CreateUser')!;
    assert.deepEqual(created.requestParameters, { userName: 'logged-carol' });
    assert.equal(created.bulwarkAuthorization, undefined, 'delivered records are AWS records');

    const status = await trail.send(new GetTrailStatusCommand({ Name: 'main-trail' }));
    assert.equal(status.IsLogging, false);
    assert.ok(status.LatestDeliveryTime instanceof Date);
  });
});
