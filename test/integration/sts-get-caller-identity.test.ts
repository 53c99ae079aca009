// sts:GetCallerIdentity end to end, from the three real clients.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { RunningServer } from '../../src/server/server.ts';
import { awsEnv, DUMMY_CREDENTIALS, startTestServer, TEST_ACCOUNT } from '../helpers/server.ts';

const run = promisify(execFile);

describe('sts:GetCallerIdentity', () => {
  let server: RunningServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  function sdkClient(credentials = DUMMY_CREDENTIALS) {
    return new STSClient({ endpoint: server.url, region: 'us-east-1', credentials });
  }

  it('answers the AWS SDK for JavaScript v3 as the root user of the default account', async () => {
    const out = await sdkClient().send(new GetCallerIdentityCommand({}));
    assert.equal(out.Account, TEST_ACCOUNT);
    assert.equal(out.Arn, `arn:aws:iam::${TEST_ACCOUNT}:root`);
    assert.equal(out.UserId, TEST_ACCOUNT);
    assert.equal(out.$metadata.httpStatusCode, 200);
    assert.match(out.$metadata.requestId ?? '', /^[0-9a-f-]{36}$/);
  });

  it('takes a 12-digit access key id as the root user of that account', async () => {
    const out = await sdkClient({ accessKeyId: '210987654321', secretAccessKey: 'x' }).send(
      new GetCallerIdentityCommand({}),
    );
    assert.equal(out.Account, '210987654321');
    assert.equal(out.Arn, 'arn:aws:iam::210987654321:root');
  });

  it('answers boto3', async () => {
    const script = `
import boto3, json, sys
sts = boto3.client('sts', endpoint_url=sys.argv[1])
r = sts.get_caller_identity()
print(json.dumps({k: r[k] for k in ('UserId', 'Account', 'Arn')}))`;
    const { stdout } = await run('python3', ['-c', script, server.url], { env: awsEnv() });
    assert.deepEqual(JSON.parse(stdout), {
      UserId: TEST_ACCOUNT,
      Account: TEST_ACCOUNT,
      Arn: `arn:aws:iam::${TEST_ACCOUNT}:root`,
    });
  });

  it('answers the AWS CLI', async () => {
    const { stdout } = await run('aws', ['--endpoint-url', server.url, 'sts', 'get-caller-identity', '--output', 'json'], {
      env: awsEnv(),
    });
    assert.deepEqual(JSON.parse(stdout), {
      UserId: TEST_ACCOUNT,
      Account: TEST_ACCOUNT,
      Arn: `arn:aws:iam::${TEST_ACCOUNT}:root`,
    });
  });

  it('answers a presigned GET from botocore', async () => {
    const script = `
import boto3, sys
sts = boto3.client('sts', endpoint_url=sys.argv[1])
print(sts.generate_presigned_url('get_caller_identity', ExpiresIn=300))`;
    const { stdout } = await run('python3', ['-c', script, server.url], { env: awsEnv() });
    const res = await fetch(stdout.trim());
    const body = await res.text();
    assert.equal(res.status, 200, body);
    assert.match(body, new RegExp(`<Account>${TEST_ACCOUNT}</Account>`));
  });
});
