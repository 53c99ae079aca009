// A KMS key used from another account, end to end with the AWS SDK: an organization's
// member account (reached through OrganizationAccountAccessRole) may use the
// management account's key as far as both the key policy and its own IAM policies
// allow, and only for the operations AWS allows across accounts.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateGrantCommand, CreateKeyCommand, DecryptCommand, DescribeKeyCommand, EncryptCommand, GetKeyPolicyCommand, KMSClient,
  ScheduleKeyDeletionCommand, TagResourceCommand,
} from '@aws-sdk/client-kms';
import { AttachUserPolicyCommand, CreateAccessKeyCommand, CreateUserCommand, IAMClient } from '@aws-sdk/client-iam';
import {
  CreateAccountCommand, CreateOrganizationCommand, DescribeCreateAccountStatusCommand, OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { RunningServer } from '../../src/server/server.ts';
import { DUMMY_CREDENTIALS, startTestServer, TEST_ACCOUNT, TEST_REGION } from '../helpers/server.ts';

describe('KMS across accounts (an organization member using the management account\'s key)', () => {
  let server: RunningServer;
  let memberAccount: string;
  let kms: KMSClient;
  let memberKms: KMSClient;
  const config = () => ({ endpoint: server.url, region: TEST_REGION, credentials: DUMMY_CREDENTIALS, maxAttempts: 1 });

  before(async () => {
    server = await startTestServer();
    kms = new KMSClient(config());
    const organizations = new OrganizationsClient(config());
    await organizations.send(new CreateOrganizationCommand({}));
    const started = await organizations.send(new CreateAccountCommand({ Email: 'member@example.com', AccountName: 'member' }));
    const status = await organizations.send(new DescribeCreateAccountStatusCommand({ CreateAccountRequestId: started.CreateAccountStatus!.Id! }));
    memberAccount = status.CreateAccountStatus!.AccountId!;
    // Root users cannot assume roles: an administrator of the management account does.
    const iam = new IAMClient(config());
    await iam.send(new CreateUserCommand({ UserName: 'kms-org-admin' }));
    await iam.send(new AttachUserPolicyCommand({ UserName: 'kms-org-admin', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }));
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'kms-org-admin' }));
    const sts = new STSClient({ ...config(), credentials: { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! } });
    const { Credentials } = await sts.send(new AssumeRoleCommand({
      RoleArn: `arn:aws:iam::${memberAccount}:role/OrganizationAccountAccessRole`, RoleSessionName: 'kms',
    }));
    memberKms = new KMSClient({
      ...config(),
      credentials: { accessKeyId: Credentials!.AccessKeyId!, secretAccessKey: Credentials!.SecretAccessKey!, sessionToken: Credentials!.SessionToken! },
    });
  });
  after(() => server.close());

  function keyPolicy(memberActions: string | string[]): string {
    return JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${TEST_ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' },
        { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${memberAccount}:root` }, Action: memberActions, Resource: '*' },
      ],
    });
  }

  it('the member uses the key by ARN (Encrypt, Decrypt of the owner\'s ciphertext, DescribeKey, CreateGrant) as the key policy allows', async () => {
    const key = (await kms.send(new CreateKeyCommand({ Policy: keyPolicy('kms:*') }))).KeyMetadata!;
    const own = await kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from('from the owner') }));
    const { Plaintext } = await memberKms.send(new DecryptCommand({ CiphertextBlob: own.CiphertextBlob }));
    assert.equal(Buffer.from(Plaintext!).toString(), 'from the owner');
    const encrypted = await memberKms.send(new EncryptCommand({ KeyId: key.Arn, Plaintext: Buffer.from('from the member') }));
    assert.equal(encrypted.KeyId, key.Arn);
    assert.equal((await memberKms.send(new DescribeKeyCommand({ KeyId: key.Arn }))).KeyMetadata!.AWSAccountId, TEST_ACCOUNT);
    await memberKms.send(new CreateGrantCommand({ KeyId: key.Arn, GranteePrincipal: `arn:aws:iam::${memberAccount}:root`, Operations: ['Decrypt'] }));
  });

  it('management operations have no effect across accounts, whatever the key policy says: AccessDeniedException', async () => {
    const key = (await kms.send(new CreateKeyCommand({ Policy: keyPolicy('kms:*') }))).KeyMetadata!;
    const denied = [
      new GetKeyPolicyCommand({ KeyId: key.Arn }),
      new ScheduleKeyDeletionCommand({ KeyId: key.Arn, PendingWindowInDays: 7 }),
      new TagResourceCommand({ KeyId: key.Arn, Tags: [{ TagKey: 'k', TagValue: 'v' }] }),
    ];
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    for (const command of denied) await assert.rejects(memberKms.send(command as any), (error: Error) => error.name === 'AccessDeniedException');
    assert.equal((await kms.send(new DescribeKeyCommand({ KeyId: key.KeyId }))).KeyMetadata!.KeyState, 'Enabled');
  });

  it('a key policy that gives the member account less: only that', async () => {
    const key = (await kms.send(new CreateKeyCommand({ Policy: keyPolicy(['kms:DescribeKey']) }))).KeyMetadata!;
    await memberKms.send(new DescribeKeyCommand({ KeyId: key.Arn }));
    await assert.rejects(memberKms.send(new EncryptCommand({ KeyId: key.Arn, Plaintext: Buffer.from('no') })), (error: Error) => error.name === 'AccessDeniedException');
  });
});
