// Enforcement for temporary credentials: a session policy caps a role session, and an
// MFA-required condition is met only by a session made with an MFA code.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateAccessKeyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  CreateVirtualMFADeviceCommand,
  EnableMFADeviceCommand,
  GetUserCommand,
  IAMClient,
  ListUsersCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetSessionTokenCommand, STSClient } from '@aws-sdk/client-sts';
import type { RunningServer } from '../../src/server/server.ts';
import { base32Decode, totp } from '../../src/services/iam/credentials/totp.ts';
import { DUMMY_CREDENTIALS, startTestServer, TEST_ACCOUNT } from '../helpers/server.ts';

const policy = (statement: object | object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statement });

describe('enforcement with temporary credentials', () => {
  let server: RunningServer;
  let admin: IAMClient;
  before(async () => {
    server = await startTestServer();
    admin = new IAMClient({ endpoint: server.url, region: 'us-east-1', credentials: DUMMY_CREDENTIALS });
  });
  after(() => server.close());

  const clients = (credentials: { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string }) => {
    const c = { accessKeyId: credentials.AccessKeyId!, secretAccessKey: credentials.SecretAccessKey!, sessionToken: credentials.SessionToken };
    return {
      iam: new IAMClient({ endpoint: server.url, region: 'us-east-1', credentials: c }),
      sts: new STSClient({ endpoint: server.url, region: 'us-east-1', credentials: c }),
    };
  };

  async function denied(promise: Promise<unknown>, reason: RegExp) {
    await assert.rejects(promise, (e: any) => {
      assert.equal(e.name, 'AccessDenied');
      assert.equal(e.$metadata.httpStatusCode, 403);
      assert.match(e.message, reason);
      return true;
    });
  }

  it('caps a role session with its session policy', async () => {
    await admin.send(new CreateUserCommand({ UserName: 'carol' }));
    const { AccessKey } = await admin.send(new CreateAccessKeyCommand({ UserName: 'carol' }));
    await admin.send(new PutUserPolicyCommand({ UserName: 'carol', PolicyName: 'assume', PolicyDocument: policy({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }) }));
    const trust = policy({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${TEST_ACCOUNT}:root` }, Action: 'sts:AssumeRole' });
    const { Role } = await admin.send(new CreateRoleCommand({ RoleName: 'reader', AssumeRolePolicyDocument: trust }));
    await admin.send(new PutRolePolicyCommand({ RoleName: 'reader', PolicyName: 'read', PolicyDocument: policy({ Effect: 'Allow', Action: ['iam:ListUsers', 'iam:GetUser'], Resource: '*' }) }));

    const carol = clients(AccessKey!);
    const full = await carol.sts.send(new AssumeRoleCommand({ RoleArn: Role!.Arn!, RoleSessionName: 'full' }));
    await clients(full.Credentials!).iam.send(new ListUsersCommand({}));

    const capped = await carol.sts.send(
      new AssumeRoleCommand({ RoleArn: Role!.Arn!, RoleSessionName: 'capped', Policy: policy({ Effect: 'Allow', Action: 'iam:GetUser', Resource: '*' }) }),
    );
    const session = clients(capped.Credentials!);
    await session.iam.send(new GetUserCommand({ UserName: 'carol' }));
    await denied(session.iam.send(new ListUsersCommand({})), /assumed-role\/reader\/capped is not authorized to perform: iam:ListUsers because no session policy allows the iam:ListUsers action/);
  });

  it('meets an MFA-required condition only with a session made with an MFA code', async () => {
    await admin.send(new CreateUserCommand({ UserName: 'dave' }));
    const { AccessKey } = await admin.send(new CreateAccessKeyCommand({ UserName: 'dave' }));
    await admin.send(
      new PutUserPolicyCommand({
        UserName: 'dave',
        PolicyName: 'mfa-only',
        PolicyDocument: policy({ Effect: 'Allow', Action: 'iam:ListUsers', Resource: '*', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } }),
      }),
    );
    const { VirtualMFADevice } = await admin.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'dave-phone' }));
    const seed = base32Decode(Buffer.from(VirtualMFADevice!.Base32StringSeed!).toString('utf8'));
    const now = Date.now();
    await admin.send(
      new EnableMFADeviceCommand({
        UserName: 'dave',
        SerialNumber: VirtualMFADevice!.SerialNumber!,
        AuthenticationCode1: totp(seed, new Date(now - 30_000)),
        AuthenticationCode2: totp(seed, new Date(now)),
      }),
    );

    const dave = clients(AccessKey!);
    await denied(dave.iam.send(new ListUsersCommand({})), /no identity-based policy allows the iam:ListUsers action/);
    const plain = await dave.sts.send(new GetSessionTokenCommand({}));
    await denied(clients(plain.Credentials!).iam.send(new ListUsersCommand({})), /no identity-based policy allows/);

    // A fresh code: move Bulwark's clock one step on, so the code has not been used.
    await fetch(`${server.url}/_bulwark/clock`, { method: 'POST', body: JSON.stringify({ advanceSeconds: 30 }) });
    const withMfa = await dave.sts.send(
      new GetSessionTokenCommand({ SerialNumber: VirtualMFADevice!.SerialNumber!, TokenCode: totp(seed, new Date(Date.now() + 30_000)) }),
    );
    const out = await clients(withMfa.Credentials!).iam.send(new ListUsersCommand({}));
    assert.ok(out.Users!.some((user) => user.UserName === 'dave'));
  });
});
