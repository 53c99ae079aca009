// The AWS SDK for JavaScript v3 talks to the query codec as it talks to IAM and STS:
// our parse reads its requests, and it reads our responses and typed errors.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateUserCommand,
  EntityAlreadyExistsException,
  GetAccountSummaryCommand,
  IAMClient,
  ListUsersCommand,
  NoSuchEntityException,
  GetUserCommand,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { AwsError } from '../../../src/protocol/errors.ts';
import { loadModel } from '../../../src/protocol/model.ts';
import { queryCodec } from '../../../src/protocol/query.ts';
import { CREDENTIALS, REGION } from './client-env.ts';
import { startCodecServer, type CodecServer } from './codec-server.ts';

const created = new Date('2025-01-02T03:04:05.123Z');

describe('the AWS SDK for JS v3 IAM client against the query codec', () => {
  let server: CodecServer;
  let iam: IAMClient;
  before(async () => {
    server = await startCodecServer(queryCodec, loadModel('iam'), (operation, input) => {
      if (operation === 'CreateUser') {
        if (input.UserName === 'taken') throw new AwsError('EntityAlreadyExistsException', 'User with name taken already exists.');
        return { User: { Path: '/', UserName: input.UserName, UserId: 'AIDA1', Arn: `arn:aws:iam::123456789012:user/${input.UserName}`, CreateDate: created, Tags: input.Tags } };
      }
      if (operation === 'GetUser') throw new AwsError('NoSuchEntity', `The user with name ${input.UserName} cannot be found.`);
      if (operation === 'ListUsers') return { Users: [], IsTruncated: true, Marker: 'a&b' };
      if (operation === 'GetAccountSummary') return { SummaryMap: { Users: 3, Roles: 9 } };
      return {};
    });
    iam = new IAMClient({ endpoint: server.endpoint, region: REGION, credentials: CREDENTIALS, maxAttempts: 1 });
  });
  after(async () => {
    iam.destroy();
    await server.stop();
  });

  it('CreateUser: the SDK reads the created user, tags and CreateDate as a Date', async () => {
    const tags = [{ Key: 'team', Value: 'red & <blue>' }];
    const result = await iam.send(new CreateUserCommand({ UserName: 'alice', Tags: tags }));
    assert.deepEqual(server.calls.at(-1), { operation: 'CreateUser', input: { UserName: 'alice', Tags: tags } });
    assert.equal(result.$metadata.httpStatusCode, 200);
    assert.equal(result.$metadata.requestId, `req-${server.calls.length}`);
    assert.deepEqual(result.User, { Path: '/', UserName: 'alice', UserId: 'AIDA1', Arn: 'arn:aws:iam::123456789012:user/alice', CreateDate: created, Tags: tags });
  });

  it('CreateUser of a taken name: EntityAlreadyExistsException, 409, with the message', async () => {
    await assert.rejects(iam.send(new CreateUserCommand({ UserName: 'taken' })), (error: unknown) => {
      assert.ok(error instanceof EntityAlreadyExistsException);
      assert.equal(error.name, 'EntityAlreadyExistsException');
      assert.equal(error.message, 'User with name taken already exists.');
      assert.equal(error.$metadata.httpStatusCode, 409);
      assert.equal(error.$fault, 'client');
      return true;
    });
  });

  it('GetUser of a missing user: NoSuchEntityException, 404', async () => {
    await assert.rejects(iam.send(new GetUserCommand({ UserName: 'ghost' })), (error: unknown) => {
      assert.ok(error instanceof NoSuchEntityException);
      assert.equal(error.$metadata.httpStatusCode, 404);
      return true;
    });
  });

  it('ListUsers: MaxItems arrives as a number; an empty list, a boolean and an escaped Marker come back', async () => {
    const result = await iam.send(new ListUsersCommand({ MaxItems: 10 }));
    assert.deepEqual(server.calls.at(-1)?.input, { MaxItems: 10 });
    assert.deepEqual(result.Users ?? [], []);
    assert.equal(result.IsTruncated, true);
    assert.equal(result.Marker, 'a&b');
  });

  it('GetAccountSummary: a map comes back as an object', async () => {
    const result = await iam.send(new GetAccountSummaryCommand({}));
    assert.deepEqual(result.SummaryMap, { Users: 3, Roles: 9 });
  });
});

describe('the AWS SDK for JS v3 STS client against the query codec', () => {
  let server: CodecServer;
  let sts: STSClient;
  const expiration = new Date('2025-01-02T04:04:05Z');
  before(async () => {
    server = await startCodecServer(queryCodec, loadModel('sts'), (operation, input) => {
      if (operation === 'GetCallerIdentity') return { UserId: 'AIDA1', Account: '123456789012', Arn: 'arn:aws:iam::123456789012:user/alice' };
      if (operation === 'AssumeRole') {
        if (input.RoleArn === 'denied') throw new AwsError('AccessDenied', 'Not authorized to perform sts:AssumeRole');
        return {
          Credentials: { AccessKeyId: 'ASIA1', SecretAccessKey: 's', SessionToken: 't', Expiration: expiration },
          AssumedRoleUser: { AssumedRoleId: 'AROA1:s', Arn: 'arn:aws:sts::123456789012:assumed-role/r/s' },
          PackedPolicySize: 4,
        };
      }
      return {};
    });
    sts = new STSClient({ endpoint: server.endpoint, region: REGION, credentials: CREDENTIALS, maxAttempts: 1 });
  });
  after(async () => {
    sts.destroy();
    await server.stop();
  });

  it('GetCallerIdentity: the SDK reads account, ARN and user id', async () => {
    const result = await sts.send(new GetCallerIdentityCommand({}));
    assert.equal(result.Account, '123456789012');
    assert.equal(result.Arn, 'arn:aws:iam::123456789012:user/alice');
    assert.equal(result.UserId, 'AIDA1');
  });

  it('AssumeRole: PolicyArns and Tags arrive typed; Expiration comes back as the same Date', async () => {
    const result = await sts.send(
      new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::123456789012:role/r', RoleSessionName: 's', PolicyArns: [{ arn: 'arn:p' }], Tags: [{ Key: 'k', Value: 'v' }], DurationSeconds: 900 }),
    );
    assert.deepEqual(server.calls.at(-1)?.input, {
      RoleArn: 'arn:aws:iam::123456789012:role/r',
      RoleSessionName: 's',
      PolicyArns: [{ arn: 'arn:p' }],
      Tags: [{ Key: 'k', Value: 'v' }],
      DurationSeconds: 900,
    });
    assert.deepEqual(result.Credentials?.Expiration, expiration);
    assert.equal(result.PackedPolicySize, 4);
  });

  it('a common error (AccessDenied) surfaces with its code and 403', async () => {
    await assert.rejects(sts.send(new AssumeRoleCommand({ RoleArn: 'denied', RoleSessionName: 's' })), (error: unknown) => {
      const e = error as { name: string; message: string; $metadata: { httpStatusCode: number } };
      assert.equal(e.name, 'AccessDenied');
      assert.equal(e.message, 'Not authorized to perform sts:AssumeRole');
      assert.equal(e.$metadata.httpStatusCode, 403);
      return true;
    });
  });
});
