// Every call by an IAM principal is decided by the policy engine, as AWS decides it:
// no policy denies, a policy allows, an explicit deny wins, a boundary caps, and
// conditions on the request (source IP, region, tags) decide.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreatePolicyCommand,
  CreateUserCommand,
  GetUserCommand,
  IAMClient,
  ListUsersCommand,
  PutUserPermissionsBoundaryCommand,
  PutUserPolicyCommand,
  DeleteUserPolicyCommand,
  TagUserCommand,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { RunningServer } from '../../src/server/server.ts';
import { ACCESS_KEYS } from '../../src/services/credentials.ts';
import { DUMMY_CREDENTIALS, startTestServer, TEST_ACCOUNT } from '../helpers/server.ts';

const policy = (statement: object | object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statement });

describe('enforcement of IAM policies on every call', () => {
  let server: RunningServer;
  let admin: IAMClient;
  let userCounter = 0;

  before(async () => {
    server = await startTestServer();
    admin = new IAMClient({ endpoint: server.url, region: 'us-east-1', credentials: DUMMY_CREDENTIALS });
  });
  after(() => server.close());

  /** A fresh IAM user with a key Bulwark knows, and clients signed with it. */
  async function newUser(region = 'us-east-1') {
    const userName = `user${++userCounter}`;
    const { User } = await admin.send(new CreateUserCommand({ UserName: userName }));
    const credentials = { accessKeyId: `AKIAENFORCETEST${String(userCounter).padStart(5, '0')}`, secretAccessKey: `secret-of-${userName}` };
    await server.store.put(ACCESS_KEYS, credentials.accessKeyId, {
      secretAccessKey: credentials.secretAccessKey,
      active: true,
      principal: { type: 'IAMUser', accountId: TEST_ACCOUNT, arn: User!.Arn!, userId: User!.UserId!, userName, path: '/' },
    });
    return {
      userName,
      arn: User!.Arn!,
      iam: new IAMClient({ endpoint: server.url, region, credentials }),
      sts: new STSClient({ endpoint: server.url, region, credentials }),
    };
  }

  async function denied(promise: Promise<unknown>, reason: RegExp) {
    await assert.rejects(promise, (e: any) => {
      assert.equal(e.name, 'AccessDenied');
      assert.equal(e.$metadata.httpStatusCode, 403);
      assert.match(e.message, reason);
      return true;
    });
  }

  it('denies a user with no policy, with AWS’s reason', async () => {
    const { iam, arn } = await newUser();
    await denied(
      iam.send(new ListUsersCommand({})),
      new RegExp(`^User: ${arn} is not authorized to perform: iam:ListUsers because no identity-based policy allows the iam:ListUsers action$`),
    );
  });

  it('allows once a policy allows, at once (cached policies are dropped on IAM writes)', async () => {
    const { iam, userName } = await newUser();
    await denied(iam.send(new ListUsersCommand({})), /no identity-based policy allows/);
    await admin.send(new PutUserPolicyCommand({ UserName: userName, PolicyName: 'list', PolicyDocument: policy({ Effect: 'Allow', Action: 'iam:List*', Resource: '*' }) }));
    const out = await iam.send(new ListUsersCommand({}));
    assert.ok(out.Users!.length >= 1);
    await admin.send(new DeleteUserPolicyCommand({ UserName: userName, PolicyName: 'list' }));
    await denied(iam.send(new ListUsersCommand({})), /no identity-based policy allows/);
  });

  it('lets an explicit deny win over an allow', async () => {
    const { iam, userName } = await newUser();
    await admin.send(new PutUserPolicyCommand({ UserName: userName, PolicyName: 'all', PolicyDocument: policy({ Effect: 'Allow', Action: '*', Resource: '*' }) }));
    await admin.send(new PutUserPolicyCommand({ UserName: userName, PolicyName: 'no-list', PolicyDocument: policy({ Effect: 'Deny', Action: 'iam:ListUsers', Resource: '*' }) }));
    await denied(iam.send(new ListUsersCommand({})), /with an explicit deny in an identity-based policy/);
    await iam.send(new GetUserCommand({ UserName: userName }));
  });

  it('caps a user with its permissions boundary', async () => {
    const { iam, userName } = await newUser();
    const { Policy } = await admin.send(new CreatePolicyCommand({ PolicyName: `boundary-${userName}`, PolicyDocument: policy({ Effect: 'Allow', Action: 'iam:GetUser', Resource: '*' }) }));
    await admin.send(new PutUserPolicyCommand({ UserName: userName, PolicyName: 'all', PolicyDocument: policy({ Effect: 'Allow', Action: 'iam:*', Resource: '*' }) }));
    await admin.send(new PutUserPermissionsBoundaryCommand({ UserName: userName, PermissionsBoundary: Policy!.Arn! }));
    await iam.send(new GetUserCommand({ UserName: userName }));
    await denied(iam.send(new ListUsersCommand({})), /because no permissions boundary allows the iam:ListUsers action/);
  });

  it('decides aws:SourceIp conditions on the caller’s address', async () => {
    const { iam, userName } = await newUser();
    await admin.send(new PutUserPolicyCommand({ UserName: userName, PolicyName: 'office', PolicyDocument: policy({ Effect: 'Allow', Action: 'iam:ListUsers', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }) }));
    await denied(iam.send(new ListUsersCommand({})), /no identity-based policy allows/);
    await admin.send(new PutUserPolicyCommand({ UserName: userName, PolicyName: 'office', PolicyDocument: policy({ Effect: 'Allow', Action: 'iam:ListUsers', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': ['127.0.0.0/8', '::1/128'] } } }) }));
    await iam.send(new ListUsersCommand({}));
  });

  it('decides aws:RequestedRegion from the region the request was signed for', async () => {
    const home = await newUser('us-east-1');
    const doc = policy([
      { Effect: 'Allow', Action: 'iam:ListUsers', Resource: '*' },
      { Effect: 'Deny', Action: '*', Resource: '*', Condition: { StringNotEquals: { 'aws:RequestedRegion': 'us-east-1' } } },
    ]);
    await admin.send(new PutUserPolicyCommand({ UserName: home.userName, PolicyName: 'region', PolicyDocument: doc }));
    await home.iam.send(new ListUsersCommand({}));
    const away = new IAMClient({ endpoint: server.url, region: 'eu-west-1', credentials: await home.iam.config.credentials() });
    await denied(away.send(new ListUsersCommand({})), /with an explicit deny in an identity-based policy/);
  });

  it('decides tag-based (ABAC) conditions: aws:ResourceTag against aws:PrincipalTag', async () => {
    const { iam, userName } = await newUser();
    await admin.send(new TagUserCommand({ UserName: userName, Tags: [{ Key: 'team', Value: 'blue' }] }));
    await admin.send(new CreateUserCommand({ UserName: `blue-mate-${userName}`, Tags: [{ Key: 'team', Value: 'blue' }] }));
    await admin.send(new CreateUserCommand({ UserName: `red-rival-${userName}`, Tags: [{ Key: 'team', Value: 'red' }] }));
    await admin.send(new PutUserPolicyCommand({ UserName: userName, PolicyName: 'abac', PolicyDocument: policy({ Effect: 'Allow', Action: 'iam:GetUser', Resource: '*', Condition: { StringEquals: { 'aws:ResourceTag/team': '${aws:PrincipalTag/team}' } } }) }));
    await iam.send(new GetUserCommand({ UserName: `blue-mate-${userName}` }));
    await denied(iam.send(new GetUserCommand({ UserName: `red-rival-${userName}` })), /iam:GetUser on resource: arn:aws:iam::123456789012:user\/red-rival/);
  });

  it('never stops sts:GetCallerIdentity, which needs no permission on AWS either', async () => {
    const { sts, userName, arn } = await newUser();
    await admin.send(new PutUserPolicyCommand({ UserName: userName, PolicyName: 'deny-all', PolicyDocument: policy({ Effect: 'Deny', Action: '*', Resource: '*' }) }));
    const out = await sts.send(new GetCallerIdentityCommand({}));
    assert.equal(out.Arn, arn);
  });

  it('reports the IAM mode in health', async () => {
    const health = (await (await fetch(`${server.url}/_bulwark/health`)).json()) as any;
    assert.equal(health.settings.iamMode, 'enforce');
  });
});

describe('--iam-mode soft', () => {
  let server: RunningServer;
  before(async () => {
    server = await startTestServer({ iamMode: 'soft' });
  });
  after(() => server.close());

  it('lets a denied call through (and only logs it)', async () => {
    const admin = new IAMClient({ endpoint: server.url, region: 'us-east-1', credentials: DUMMY_CREDENTIALS });
    const { User } = await admin.send(new CreateUserCommand({ UserName: 'soft-sam' }));
    const credentials = { accessKeyId: 'AKIASOFTMODETEST0001', secretAccessKey: 'soft-secret' };
    await server.store.put(ACCESS_KEYS, credentials.accessKeyId, {
      secretAccessKey: credentials.secretAccessKey,
      active: true,
      principal: { type: 'IAMUser', accountId: TEST_ACCOUNT, arn: User!.Arn!, userId: User!.UserId!, userName: 'soft-sam', path: '/' },
    });
    const iam = new IAMClient({ endpoint: server.url, region: 'us-east-1', credentials });
    const out = await iam.send(new ListUsersCommand({}));
    assert.equal(out.Users!.length, 1);
  });
});
